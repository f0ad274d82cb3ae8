import type { RandomSource } from "../../statistics/seeded-random.js";
import { dayMs, hourMs, type TrafficSettings } from "./simulation-settings.js";

/** One request a simulated session will send: when, and which item of the data set. */
export interface PlannedRequest {
  at: number;
  item: number;
}

/** A user's (or spammer's) visit: a session id and its requests in time order. */
export interface PlannedSession {
  sessionId: string;
  spammer: boolean;
  requests: PlannedRequest[];
}

/** The day/night cycle of the rollout simulation: 30% of the mean rate at 02:00, 170% at 14:00. */
const dailyAmplitude = 0.7;
const peakHour = 14;
/** Seconds between one answer and the user's next request. */
const requestGapSeconds = { minimum: 20, maximum: 180 };

/** Deals item indices in shuffled passes over the data set, so every item is used before any repeats. */
export interface ItemDeck {
  next(): number;
}

export function createItemDeck(itemCount: number, random: RandomSource): ItemDeck {
  let order: number[] = [];
  let position = 0;
  return {
    next() {
      if (position === order.length) {
        order = Array.from({ length: itemCount }, (_, index) => index);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        position = 0;
      }
      return order[position++]!;
    },
  };
}

/** A time of day (ms after midnight) drawn from the day/night cycle, by rejection. */
function timeOfDay(random: RandomSource): number {
  for (;;) {
    const hour = random() * 24;
    const density =
      (1 + dailyAmplitude * Math.cos((2 * Math.PI * (hour - peakHour)) / 24)) / (1 + dailyAmplitude);
    if (random() < density) return hour * hourMs;
  }
}

function uniformInteger(minimum: number, maximum: number, random: RandomSource): number {
  return minimum + Math.floor(random() * (maximum - minimum + 1));
}

function requestsFrom(start: number, count: number, deck: ItemDeck, random: RandomSource): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (i > 0) at += 1000 * uniformInteger(requestGapSeconds.minimum, requestGapSeconds.maximum, random);
    requests.push({ at, item: deck.next() });
  }
  return requests;
}

/**
 * The sessions of simulated day `day` (0-based): `usersPerDay` users at times that follow the day/night cycle,
 * each with 1–3 (or the configured range of) requests a few minutes apart, and each spammer's requests spread
 * over the day in one session that keeps its id for the whole run. Sorted by first request.
 */
export function planDay(
  day: number,
  traffic: TrafficSettings,
  deck: ItemDeck,
  random: RandomSource,
): PlannedSession[] {
  const midnight = traffic.startsAt + day * dayMs;
  const sessions: PlannedSession[] = [];
  for (let user = 0; user < traffic.usersPerDay; user++) {
    const count = uniformInteger(traffic.requestsPerUser.minimum, traffic.requestsPerUser.maximum, random);
    sessions.push({
      sessionId: `sim-user-${day + 1}-${user + 1}`,
      spammer: false,
      requests: requestsFrom(midnight + timeOfDay(random), count, deck, random),
    });
  }
  for (let spammer = 0; spammer < traffic.spammers; spammer++) {
    const times = Array.from({ length: traffic.spammerRequestsPerDay }, () => midnight + timeOfDay(random));
    sessions.push({
      sessionId: `sim-spammer-${spammer + 1}`,
      spammer: true,
      requests: times.sort((a, b) => a - b).map((at) => ({ at, item: deck.next() })),
    });
  }
  return sessions.sort((a, b) => (a.requests[0]?.at ?? 0) - (b.requests[0]?.at ?? 0));
}
