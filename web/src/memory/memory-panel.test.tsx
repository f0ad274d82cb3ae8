import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { fakeServer, renderWithServices, type ReceivedRequest } from "../../test/test-services.js";
import type { MemoryEntry, MemoryView } from "./memory-api.js";
import { MemoryPanel } from "./memory-panel.js";

function entry(id: string, key: string, text: string): MemoryEntry {
  return {
    id,
    key,
    text,
    createdAt: Date.UTC(2026, 11, 6, 12, 0),
    expiresAt: Date.UTC(2027, 5, 4, 3, 0),
    lastUsedAt: null,
    uses: 0,
  };
}

/** A fake memory API over a mutable view, answering like src/memory/memory-routes.ts. */
function memoryServer(initial: MemoryView) {
  const state: MemoryView = { ...initial, entries: [...initial.entries] };
  const server = fakeServer({
    "/api/memory/switch": (request) => {
      state.enabled = (request.body as { enabled: boolean }).enabled;
      state.chosen = true;
      return Response.json(state);
    },
    "/api/memory": (request: ReceivedRequest) => {
      const url = new URL(request.url, "http://x");
      if (url.searchParams.get("sessionId") !== "test-session")
        return Response.json({ error: { code: "MEMORY_NOT_FOUND", message: "no" } }, { status: 404 });
      const id = url.pathname.split("/")[3];
      if (request.method === "DELETE" && id) {
        state.entries = state.entries.filter((e) => e.id !== decodeURIComponent(id));
        return new Response(null, { status: 204 });
      }
      if (request.method === "DELETE") {
        const deleted = state.entries.length;
        state.entries = [];
        return Response.json({ deleted });
      }
      return Response.json(state);
    },
  });
  return { state, server };
}

const entries = () => screen.queryAllByTestId("memory-entry").map((li) => li.textContent ?? "");

describe("MemoryPanel", () => {
  it("lists the session's entries and deletes one, then all", async () => {
    const { state, server } = memoryServer({
      enabled: true,
      chosen: false,
      entries: [entry("m1", "name", "用户希望被称为“小王”"), entry("m2", "diet", "用户是素食者")],
    });
    renderWithServices(<MemoryPanel refreshKey={0} />, { fetchFn: server.fetchFn });
    await waitFor(() => expect(entries()).toHaveLength(2));
    expect(entries()[0]).toContain("小王");
    const stated = screen.getAllByTestId("memory-entry")[0]!.querySelector("time");
    expect(stated?.getAttribute("datetime")).toBe("2026-12-06T12:00:00.000Z");
    expect(stated?.textContent).toMatch(/^记于 2026年12月6日/);
    expect(screen.getByText(/我记得…/)).toBeTruthy();
    expect(screen.getByTestId("memory-switch-state").textContent).toBe("已开启（默认设置）");

    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "删除“用户希望被称为“小王””" }));
    await waitFor(() => expect(entries()).toHaveLength(1));
    expect(state.entries.map((e) => e.id)).toEqual(["m2"]);
    expect(
      server.requests.some((r) => r.method === "DELETE" && r.url === "/api/memory/m1?sessionId=test-session"),
    ).toBe(true);

    await user.click(screen.getByTestId("memory-forget-all"));
    expect(state.entries).toHaveLength(1); // asks first
    await user.click(screen.getByTestId("memory-forget-confirm"));
    await waitFor(() => expect(screen.getByTestId("memory-empty")).toBeTruthy());
    expect(state.entries).toHaveLength(0);
  });

  it("flips the user's switch and shows it is their choice", async () => {
    const { server } = memoryServer({ enabled: false, chosen: false, entries: [] });
    renderWithServices(<MemoryPanel refreshKey={0} />, { fetchFn: server.fetchFn, locale: "en" });
    const toggle = await screen.findByRole("switch");
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId("memory-switch-state").textContent).toBe("Off (the default)");
    await userEvent.setup().click(toggle);
    await waitFor(() =>
      expect(screen.getByTestId("memory-switch-state").textContent).toBe("On (your choice)"),
    );
    const put = server.requests.find((r) => r.url === "/api/memory/switch");
    expect(put).toMatchObject({ method: "PUT", body: { sessionId: "test-session", enabled: true } });
  });

  it("reloads when refreshKey changes (after a chat reply)", async () => {
    const { state, server } = memoryServer({ enabled: true, chosen: true, entries: [] });
    function Harness() {
      const [replies, setReplies] = useState(0);
      return (
        <>
          <button type="button" onClick={() => setReplies((n) => n + 1)}>
            reply
          </button>
          <MemoryPanel refreshKey={replies} />
        </>
      );
    }
    renderWithServices(<Harness />, { fetchFn: server.fetchFn });
    await screen.findByTestId("memory-empty");
    state.entries.push(entry("m3", "reply_length", "用户希望回答简短一些"));
    await userEvent.setup().click(screen.getByRole("button", { name: "reply" }));
    await waitFor(() => expect(entries()).toHaveLength(1));
    expect(within(screen.getByTestId("memory-entry")).getByText("用户希望回答简短一些")).toBeTruthy();
  });

  it("shows a failure to load instead of an empty list", async () => {
    const server = fakeServer({
      "/api/memory": () => Response.json({ error: { code: "INTERNAL", message: "boom" } }, { status: 500 }),
    });
    renderWithServices(<MemoryPanel refreshKey={0} />, { fetchFn: server.fetchFn });
    expect((await screen.findByTestId("memory-error")).textContent).toBe("服务器内部出错，请稍后再试。");
    expect(screen.queryByTestId("memory-empty")).toBeNull();
  });
});
