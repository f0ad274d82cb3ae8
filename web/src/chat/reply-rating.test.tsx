import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import { ReplyRating } from "./reply-rating.js";

function setup() {
  const server = fakeServer();
  renderWithServices(<ReplyRating interactionId="reply-1" />, { fetchFn: server.fetchFn });
  return server;
}

const checked = () =>
  screen
    .getAllByRole("radio")
    .filter((star) => star.getAttribute("aria-checked") === "true")
    .map((star) => star.getAttribute("aria-label"));

describe("ReplyRating", () => {
  it("is a labelled radio group of five stars, none chosen", () => {
    setup();
    const group = screen.getByRole("radiogroup", { name: "为这条回复评分（可选）" });
    expect(group.querySelectorAll('[role="radio"]')).toHaveLength(5);
    expect(screen.getAllByRole("radio").map((star) => star.getAttribute("aria-label"))).toEqual([
      "1 星",
      "2 星",
      "3 星",
      "4 星",
      "5 星",
    ]);
    expect(checked()).toEqual([]);
  });

  it("sends the chosen score, and a new one only when it changes", async () => {
    const user = userEvent.setup();
    const server = setup();
    await user.click(screen.getByRole("radio", { name: "4 星" }));
    await waitFor(() => expect(screen.getByTestId("recorded-rating").textContent).toBe("已记录 ✓"));
    await user.click(screen.getByTestId("rating-star-4"));
    await user.click(screen.getByTestId("rating-star-2"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(2));
    expect(server.feedbackBodies()).toEqual([
      { interactionId: "reply-1", type: "rating", score: 4, sessionId: "test-session" },
      { interactionId: "reply-1", type: "rating", score: 2, sessionId: "test-session" },
    ]);
    expect(checked()).toEqual(["2 星"]);
  });

  it("moves focus with the arrow keys without sending, and chooses with Enter", async () => {
    const user = userEvent.setup();
    const server = setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId("rating-star-1"));
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(document.activeElement).toBe(screen.getByTestId("rating-star-3"));
    await user.keyboard("{ArrowLeft}{ArrowLeft}{ArrowLeft}");
    expect(document.activeElement).toBe(screen.getByTestId("rating-star-5"));
    expect(server.feedbackBodies()).toEqual([]);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({ type: "rating", score: 5 });
    // One tab stop for the whole group, on the chosen star.
    expect(screen.getAllByRole("radio").map((star) => star.tabIndex)).toEqual([-1, -1, -1, -1, 0]);
  });
});
