import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import {
  fakeDwell,
  fakeServer,
  renderWithServices,
  withoutEventId,
  type Route,
} from "../../test/test-services.js";
import { encoder, sseBody, sseResponse } from "../../test/event-stream.js";
import { ChatPage } from "./chat-page.js";

function turnEvents(n: number, reply: string): [string, unknown][] {
  return [
    [
      "sentiment",
      {
        interactionId: `s${n}`,
        feedbackToken: `tok-s${n}`,
        label: "负面",
        confidence: 0.64,
        promptVersion: "sentiment@v1",
        latencyMs: 5,
      },
    ],
    ...[...reply].map((ch): [string, unknown] => ["token", { text: ch }]),
    [
      "done",
      { interactionId: `r${n}`, feedbackToken: `tok-r${n}`, promptVersion: "chat@v1", reply, latencyMs: 50 },
    ],
  ];
}

const tasksRoute: Route = () =>
  Response.json([
    { task: "sentiment", kind: "classifier", labels: ["正面", "负面"], activeVersion: "sentiment@v1" },
    { task: "chat", kind: "generator", activeVersion: "chat@v1" },
  ]);

function setup(analyze: Route) {
  const server = fakeServer({ "/api/analyze": analyze, "/api/tasks": tasksRoute });
  const clock = { now: 1_000_000 };
  const beacons: Blob[] = [];
  const dwell = fakeDwell();
  const result = renderWithServices(<ChatPage />, {
    fetchFn: server.fetchFn,
    now: () => clock.now,
    sendBeacon: (_url, blob) => beacons.push(blob) > 0,
    dwell: dwell.env,
  });
  return { server, clock, beacons, dwell, ...result };
}

function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.readAsText(blob);
  });
}

const analyzeBodies = (server: ReturnType<typeof fakeServer>) =>
  server.requests.filter((r) => r.url === "/api/analyze").map((r) => r.body);

describe("ChatPage", () => {
  it("works on a first visit: shows the sentiment, then the streamed reply", async () => {
    const user = userEvent.setup();
    const { server } = setup(() => sseResponse(sseBody(turnEvents(1, "别灰心，还能接受就好。"))));
    expect(screen.getByTestId("chat-empty").querySelector("h2")?.textContent).toBe("说点什么吧");

    await user.type(screen.getByRole("textbox", { name: "消息" }), "结果真令人失望，不过还能接受{Enter}");

    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    expect(screen.getByTestId("classifier-chip").textContent).toBe("负面 · 64%");
    expect(screen.getByTestId("reply-text").textContent).toBe("别灰心，还能接受就好。");
    expect(analyzeBodies(server)).toEqual([
      { text: "结果真令人失望，不过还能接受", sessionId: "test-session", history: [], stream: true },
    ]);
    expect((screen.getByTestId("message-input") as HTMLTextAreaElement).value).toBe("");
    // The binary task's other label is offered from GET /api/tasks.
    await user.click(screen.getByTestId("thumbs-down"));
    expect(screen.getByTestId("correct-label-正面").getAttribute("aria-pressed")).toBe("false");
  });

  it("sends earlier turns as history and records the follow-up delay on the previous reply", async () => {
    const user = userEvent.setup();
    let n = 0;
    const { server, clock } = setup(() => {
      n++;
      return sseResponse(sseBody(turnEvents(n, n === 1 ? "第一条回复" : "第二条回复")));
    });
    await user.type(screen.getByTestId("message-input"), "你好{Enter}");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    clock.now += 4200;
    await user.type(screen.getByTestId("message-input"), "再说一遍{Enter}");
    await waitFor(() => expect(screen.getAllByTestId("reply-text")).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));

    expect(analyzeBodies(server)[1]).toEqual({
      text: "再说一遍",
      sessionId: "test-session",
      history: [
        { role: "user", content: "你好" },
        { role: "assistant", content: "第一条回复" },
      ],
      stream: true,
    });
    await waitFor(() =>
      expect(server.feedbackBodies()).toEqual([
        {
          interactionId: "r1",
          feedbackToken: "tok-r1",
          type: "follow_up",
          afterMs: 4200,
          sessionId: "test-session",
        },
      ]),
    );
  });

  it("sends exit for the latest reply by beacon when the page is left, once", async () => {
    const user = userEvent.setup();
    const { beacons, server } = setup(() => sseResponse(sseBody(turnEvents(1, "好的"))));
    await user.type(screen.getByTestId("message-input"), "嗯{Enter}");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));

    act(() => void window.dispatchEvent(new PageTransitionEvent("pagehide")));
    act(() => void window.dispatchEvent(new PageTransitionEvent("pagehide")));

    expect(beacons.map((blob) => blob.type)).toEqual(["text/plain"]);
    const texts = await Promise.all(beacons.map(readBlob));
    expect(texts.map((text) => withoutEventId(JSON.parse(text)))).toEqual([
      { interactionId: "r1", feedbackToken: "tok-r1", type: "exit", sessionId: "test-session" },
    ]);
    expect(server.feedbackBodies()).toEqual([]);
  });

  it("sends the reply's pending dwell with the exit when the page is left", async () => {
    const user = userEvent.setup();
    const { beacons, dwell } = setup(() => sseResponse(sseBody(turnEvents(1, "好的"))));
    await user.type(screen.getByTestId("message-input"), "嗯{Enter}");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    act(() => dwell.showAll(1));
    dwell.state.time += 2750;

    act(() => void window.dispatchEvent(new PageTransitionEvent("pagehide")));

    const texts = await Promise.all(beacons.map(readBlob));
    expect(texts.map((text) => withoutEventId(JSON.parse(text)))).toEqual([
      { interactionId: "r1", feedbackToken: "tok-r1", type: "dwell", ms: 2750, sessionId: "test-session" },
      { interactionId: "r1", feedbackToken: "tok-r1", type: "exit", sessionId: "test-session" },
    ]);
  });

  it("shows the server's error readably for a non-2xx answer", async () => {
    const user = userEvent.setup();
    setup(() => Response.json({ error: { code: "ENGINE_BUSY", message: "busy" } }, { status: 503 }));
    await user.type(screen.getByTestId("message-input"), "在吗{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("模型正忙，请稍后再试。");
    expect(screen.getByTestId("stream-status").textContent).toBe("出错了");
    // Sending is possible again (no stop button), waiting for new text.
    expect(screen.queryByTestId("stop-button")).toBeNull();
    expect(screen.getByTestId("send-button").getAttribute("aria-disabled")).toBe("true");
  });

  it("keeps the partial reply and shows an error that arrives mid-stream", async () => {
    const user = userEvent.setup();
    setup(() =>
      sseResponse(
        sseBody([
          ...turnEvents(1, "x").slice(0, 1),
          ["token", { text: "我想" }],
          ["error", { error: { code: "ENGINE_FAILED", message: "decode failed" } }],
        ]),
      ),
    );
    await user.type(screen.getByTestId("message-input"), "讲个故事{Enter}");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("模型生成失败，请稍后再试。");
    expect(screen.getByTestId("reply-text").textContent).toBe("我想");
    expect(screen.getByTestId("classifier-chip").textContent).toMatch(/^(正面|负面) · \d+%$/);
  });

  it("stops a reply on request and lets the user send again", async () => {
    const user = userEvent.setup();
    const { server } = setup((_request, init) => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(sseBody(turnEvents(1, "x").slice(0, 1))));
          controller.enqueue(encoder.encode(sseBody([["token", { text: "很长的" }]])));
          init?.signal?.addEventListener("abort", () =>
            controller.error(new DOMException("aborted", "AbortError")),
          );
        },
      });
      return new Response(stream, { headers: { "content-type": "text/event-stream" } });
    });
    await user.type(screen.getByTestId("message-input"), "讲个长故事{Enter}");
    await waitFor(() => expect(screen.getByTestId("reply-text").textContent).toContain("很长的"));
    await user.click(screen.getByRole("button", { name: "停止" }));
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("已停止"));
    expect(screen.getByTestId("reply-text").textContent).toContain("（已停止）");
    expect(screen.queryByTestId("rating-star-1")).toBeNull();
    expect(screen.queryByTestId("stop-button")).toBeNull();
    expect(screen.getByTestId("send-button").getAttribute("aria-disabled")).toBe("true");
    expect(server.requests.filter((r) => r.url === "/api/analyze")).toHaveLength(1);
  });

  it("adds a line on Shift+Enter instead of sending", async () => {
    const user = userEvent.setup();
    const { server } = setup(() => sseResponse(sseBody(turnEvents(1, "好"))));
    const input = screen.getByTestId("message-input") as HTMLTextAreaElement;
    await user.type(input, "第一行{Shift>}{Enter}{/Shift}第二行");
    expect(input.value).toBe("第一行\n第二行");
    // Enter while an input method is composing confirms the candidate; it must not send.
    fireEvent.keyDown(input, { key: "Enter", isComposing: true });
    expect(analyzeBodies(server)).toEqual([]);
    await user.click(screen.getByTestId("send-button"));
    await waitFor(() => expect(analyzeBodies(server)).toHaveLength(1));
    expect(analyzeBodies(server)[0]).toMatchObject({ text: "第一行\n第二行" });
  });
});
