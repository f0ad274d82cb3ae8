import { useEffect, useState } from "react";

/** The two pages; anything but `#/dashboard` is the chat, so a first visit to `/` lands there. */
export type Route = "chat" | "dashboard";

export function routeOf(hash: string): Route {
  return hash.replace(/^#\/?/, "").split(/[?/]/)[0] === "dashboard" ? "dashboard" : "chat";
}

/** The current route, following `hashchange`. */
export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
