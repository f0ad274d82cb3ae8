import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../statistics/seeded-random.js";
import { createItemDeck, planDay } from "./session-plan.js";
import { dayMs, defaultSimulationStart, defaultUserBehaviour, hourMs } from "./simulation-settings.js";

const traffic = {
  days: 2,
  usersPerDay: 2000,
  requestsPerUser: { minimum: 1, maximum: 3 },
  behaviour: defaultUserBehaviour,
  spammers: 2,
  spammerRequestsPerDay: 30,
  spamLabel: null,
  seed: 1,
  startsAt: defaultSimulationStart,
};

describe("planDay", () => {
  const random = createSeededRandom(3);
  const sessions = planDay(1, traffic, createItemDeck(500, random), random);
  const users = sessions.filter((session) => !session.spammer);

  it("plans every user of the day with 1–3 requests a few minutes apart, and each spammer's requests", () => {
    expect(users).toHaveLength(2000);
    const counts = users.map((user) => user.requests.length);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(3);
    for (const user of users) {
      const first = user.requests[0]!.at - traffic.startsAt;
      expect(first).toBeGreaterThanOrEqual(dayMs);
      expect(first).toBeLessThan(2 * dayMs);
      user.requests.slice(1).forEach((request, index) => {
        const gap = request.at - user.requests[index]!.at;
        expect(gap).toBeGreaterThanOrEqual(20_000);
        expect(gap).toBeLessThanOrEqual(180_000);
      });
    }
    const spammers = sessions.filter((session) => session.spammer);
    expect(spammers.map((s) => s.sessionId)).toEqual(["sim-spammer-1", "sim-spammer-2"]);
    expect(spammers.every((s) => s.requests.length === 30)).toBe(true);
  });

  it("follows the day/night cycle: far more arrivals in the afternoon than at night", () => {
    const hourOf = (at: number) => Math.floor(((at - traffic.startsAt) % dayMs) / hourMs);
    const arrivals = users.map((user) => hourOf(user.requests[0]!.at));
    const afternoon = arrivals.filter((hour) => hour >= 12 && hour < 16).length;
    const night = arrivals.filter((hour) => hour >= 0 && hour < 4).length;
    expect(afternoon / night).toBeGreaterThan(3);
  });
});

describe("createItemDeck", () => {
  it("deals every item once per pass, in a shuffled order", () => {
    const deck = createItemDeck(50, createSeededRandom(5));
    const pass = Array.from({ length: 50 }, () => deck.next());
    expect([...pass].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(pass).not.toEqual([...pass].sort((a, b) => a - b));
  });
});
