import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

/**
 * jsdom has no IntersectionObserver. This double never reports anything by itself; tests that care
 * about visibility inject their own observer through AppServices.dwell and drive it.
 */
class InertIntersectionObserver implements IntersectionObserver {
  readonly root = null;
  readonly rootMargin = "0px";
  readonly thresholds: readonly number[] = [0];
  readonly scrollMargin = "0px";
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
  takeRecords(): IntersectionObserverEntry[] {
    return [];
  }
}

if (!("IntersectionObserver" in globalThis)) {
  globalThis.IntersectionObserver = InertIntersectionObserver;
}

afterEach(() => {
  cleanup();
  window.localStorage.clear();
  window.sessionStorage.clear();
});
