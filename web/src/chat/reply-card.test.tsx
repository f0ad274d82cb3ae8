import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { fakeDwell, fakeServer, renderWithServices } from "../../test/test-services.js";
import { ReplyCard } from "./reply-card.js";

const reply = {
  interactionId: "reply-9",
  promptVersion: "chat@v1",
  reply: "你好！有什么可以帮你？",
  latencyMs: 900,
};

/** ReplyCard with its edited text held like the chat holds it. */
function Harness() {
  const [edited, setEdited] = useState<string | null>(null);
  return <ReplyCard reply={reply} editedText={edited} onEdited={setEdited} />;
}

describe("ReplyCard", () => {
  it("edits the reply in place, saves it, and shows the edited text marked as edited", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    renderWithServices(<Harness />, { fetchFn: server.fetchFn });
    expect(screen.queryByTestId("edited-marker")).toBeNull();

    await user.click(screen.getByRole("button", { name: "编辑" }));
    const textarea = screen.getByRole("textbox", { name: "编辑回复" });
    expect((textarea as HTMLTextAreaElement).value).toBe(reply.reply);
    expect(document.activeElement).toBe(textarea);
    await user.clear(textarea);
    await user.type(textarea, "你好，我能帮你做什么？");
    await user.click(screen.getByTestId("save-button"));

    expect(screen.getByTestId("reply-text").textContent).toBe("你好，我能帮你做什么？");
    expect(screen.getByTestId("edited-marker").textContent).toBe("已编辑");
    await waitFor(() => expect(screen.getByTestId("recorded-edit").textContent).toBe("已记录 ✓"));
    expect(server.feedbackBodies()).toEqual([
      {
        interactionId: "reply-9",
        type: "reply_edit",
        text: "你好，我能帮你做什么？",
        sessionId: "test-session",
      },
    ]);
  });

  it("sends nothing when the edit is cancelled or unchanged, and cannot save an empty reply", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    renderWithServices(<Harness />, { fetchFn: server.fetchFn });

    await user.click(screen.getByTestId("edit-button"));
    await user.type(screen.getByTestId("edit-textarea"), "!!");
    await user.keyboard("{Escape}");
    expect(screen.getByTestId("reply-text").textContent).toBe(reply.reply);

    await user.click(screen.getByTestId("edit-button"));
    await user.click(screen.getByTestId("save-button"));

    await user.click(screen.getByTestId("edit-button"));
    await user.clear(screen.getByTestId("edit-textarea"));
    expect(screen.getByTestId("save-button")).toHaveProperty("disabled", true);

    expect(server.feedbackBodies()).toEqual([]);
    expect(screen.queryByTestId("edited-marker")).toBeNull();
  });

  it("saves with Ctrl+Enter", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    renderWithServices(<Harness />, { fetchFn: server.fetchFn });
    await user.click(screen.getByTestId("edit-button"));
    await user.type(screen.getByTestId("edit-textarea"), "…");
    await user.keyboard("{Control>}{Enter}{/Control}");
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({ type: "reply_edit", text: `${reply.reply}…` });
  });

  it("records a copy from the copy event and from the copy button", async () => {
    const user = userEvent.setup();
    const server = fakeServer();
    const clipboard: string[] = [];
    renderWithServices(<Harness />, {
      fetchFn: server.fetchFn,
      writeClipboard: async (text) => void clipboard.push(text),
    });
    fireEvent.copy(screen.getByTestId("reply-text"));
    await user.click(screen.getByRole("button", { name: "复制" }));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    expect(clipboard).toEqual([reply.reply]);
    expect(server.feedbackBodies()).toEqual([
      { interactionId: "reply-9", type: "copy", sessionId: "test-session" },
      { interactionId: "reply-9", type: "copy", sessionId: "test-session" },
    ]);
    await waitFor(() => expect(screen.getByTestId("recorded-copy").textContent).toBe("已记录 ✓"));
  });

  it("reports how long the reply was in view while the page was visible", async () => {
    const server = fakeServer();
    const dwell = fakeDwell();
    const { unmount } = renderWithServices(<Harness />, { fetchFn: server.fetchFn, dwell: dwell.env });
    act(() => dwell.showAll(0.9));
    dwell.state.time = 1500;
    act(() => dwell.showAll(0)); // scrolled away: 1500 ms
    dwell.state.time = 9000;
    act(() => dwell.showAll(1));
    dwell.state.time = 9300; // 300 ms: held back until it adds up to 500 ms
    unmount();
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()).toEqual([
      { interactionId: "reply-9", type: "dwell", ms: 1500, sessionId: "test-session" },
    ]);
  });
});
