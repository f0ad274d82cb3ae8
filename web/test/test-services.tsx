import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { ServicesProvider, type AppServices } from "../src/app-services.js";
import type { IntersectionSample } from "../src/feedback/dwell-tracker.js";
import { FeedbackQueue } from "../src/feedback/feedback-queue.js";
import { LocaleProvider } from "../src/i18n/locale-context.js";
import type { Locale } from "../src/i18n/messages.js";
import { safeStorage } from "../src/session/safe-storage.js";

/** A request the fake server received, with its JSON body parsed. */
export interface ReceivedRequest {
  url: string;
  method: string;
  body: unknown;
  headers: Record<string, string>;
}

export type Route = (request: ReceivedRequest, init: RequestInit | undefined) => Response | Promise<Response>;

/**
 * A fake server behind an injected fetch: each request is recorded and answered by the first route whose
 * URL prefix matches. Feedback is accepted with 202 unless a route says otherwise.
 */
export function fakeServer(routes: Record<string, Route> = {}) {
  const requests: ReceivedRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    let body: unknown = undefined;
    if (typeof init?.body === "string") body = JSON.parse(init.body);
    const request = { url, method: init?.method ?? "GET", body, headers };
    requests.push(request);
    const match = Object.keys(routes)
      .filter((prefix) => url.startsWith(prefix))
      .sort((a, b) => b.length - a.length)[0];
    if (match) return routes[match]!(request, init);
    if (url.startsWith("/api/feedback"))
      return Response.json({ feedbackId: `f${requests.length}` }, { status: 202 });
    return Response.json({ error: { code: "NOT_FOUND", message: "no route" } }, { status: 404 });
  };
  /** Feedback bodies without their eventId (random per event); every body must carry a valid one. */
  const feedbackBodies = () =>
    requests.filter((r) => r.url === "/api/feedback").map((r) => withoutEventId(r.body));
  return { fetchFn, requests, feedbackBodies };
}

/** A feedback body without its `eventId`, which the queue draws at random; throws if it has none the server takes. */
export function withoutEventId(body: unknown): unknown {
  if (typeof body !== "object" || body === null) return body;
  const { eventId, ...rest } = body as Record<string, unknown>;
  if (typeof eventId !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(eventId))
    throw new Error(`feedback without a valid eventId: ${JSON.stringify(body)}`);
  return rest;
}

/** Drives dwell tracking by hand: a clock, the latest observer's callback, and page visibility. */
export function fakeDwell() {
  const state = {
    time: 0,
    pageVisible: true,
    callbacks: [] as ((entries: IntersectionSample[]) => void)[],
    listeners: new Set<() => void>(),
  };
  const env: AppServices["dwell"] = {
    now: () => state.time,
    createObserver: (callback) => {
      state.callbacks.push(callback);
      return { observe: () => undefined, disconnect: () => undefined };
    },
    visibility: {
      isVisible: () => state.pageVisible,
      subscribe: (listener) => {
        state.listeners.add(listener);
        return () => state.listeners.delete(listener);
      },
    },
  };
  const showAll = (ratio: number) => {
    for (const callback of state.callbacks) {
      callback([
        { intersectionRatio: ratio, intersectionRect: { height: ratio * 100 }, rootBounds: { height: 800 } },
      ]);
    }
  };
  return { state, env, showAll };
}

/** Options of {@link renderWithServices}. */
export interface RenderOptions {
  fetchFn?: typeof fetch;
  locale?: Locale;
  now?: () => number;
  dwell?: AppServices["dwell"];
  sendBeacon?: (url: string, data: Blob) => boolean;
  writeClipboard?: (text: string) => Promise<void>;
}

/** Renders `ui` inside the app's providers, with a real FeedbackQueue over the injected fetch. */
export function renderWithServices(
  ui: ReactElement,
  options: RenderOptions = {},
): RenderResult & { services: AppServices } {
  const server = options.fetchFn ? null : fakeServer();
  const fetchFn = options.fetchFn ?? server!.fetchFn;
  const storage = safeStorage(() => window.localStorage);
  if (options.locale) storage.set("promptloop.locale", options.locale);
  const services: AppServices = {
    fetch: fetchFn,
    sessionId: "test-session",
    feedback: new FeedbackQueue({
      sessionId: "test-session",
      fetch: fetchFn,
      ...(options.sendBeacon ? { sendBeacon: options.sendBeacon } : {}),
    }),
    now: options.now ?? (() => 0),
    dwell: options.dwell ?? fakeDwell().env,
    ...(options.writeClipboard ? { writeClipboard: options.writeClipboard } : {}),
  };
  const result = render(
    <LocaleProvider storage={storage}>
      <ServicesProvider services={services}>{ui}</ServicesProvider>
    </LocaleProvider>,
  );
  return { ...result, services };
}
