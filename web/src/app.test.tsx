import { act, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithServices } from "../test/test-services.js";
import { App } from "./app.js";
import { routeOf } from "./use-hash-route.js";

describe("App", () => {
  it("starts in Chinese and remembers a switch to English", async () => {
    const user = userEvent.setup();
    renderWithServices(<App />);
    expect(screen.getByTestId("nav-chat").textContent).toBe("对话");
    expect(document.documentElement.lang).toBe("zh-CN");

    await user.click(screen.getByRole("button", { name: "Switch to English" }));

    expect(screen.getByTestId("nav-chat").textContent).toBe("Chat");
    expect(screen.getByRole("textbox", { name: "Message" })).toBe(screen.getByTestId("message-input"));
    expect(document.documentElement.lang).toBe("en");
    expect(window.localStorage.getItem("promptloop.locale")).toBe("en");
    expect(screen.getByTestId("language-switch").textContent).toBe("中文");
  });

  it("opens the dashboard on #/dashboard and keeps the conversation mounted", async () => {
    window.location.hash = "#/";
    renderWithServices(<App />);
    expect(screen.getByTestId("nav-chat").getAttribute("aria-current")).toBe("page");
    act(() => {
      window.location.hash = "#/dashboard";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    // The dashboard chunk (with the charting library) loads lazily, which takes a while under jsdom.
    expect(
      (await screen.findByTestId("dashboard-token-input", {}, { timeout: 15_000 })).getAttribute("type"),
    ).toBe("password");
    expect(screen.getByTestId("nav-dashboard").getAttribute("aria-current")).toBe("page");
    expect(screen.getByTestId("message-input").closest("[hidden]")).not.toBeNull();
    window.location.hash = "";
  });

  it.each([
    ["", "chat"],
    ["#/", "chat"],
    ["#/dashboard", "dashboard"],
    ["#dashboard", "dashboard"],
    ["#/dashboard?x=1", "dashboard"],
    ["#/dashboards", "chat"],
  ])("routes %j to %s", (hash, route) => {
    expect(routeOf(hash)).toBe(route);
  });
});
