import { useEffect, useState } from "react";

/** The pages; anything but `#/dashboard` or `#/console…` is the chat, so a first visit to `/` lands there. */
export type Route = "chat" | "dashboard" | "console";

export function routeOf(hash: string): Route {
  const first = hash.replace(/^#\/?/, "").split(/[?/]/)[0];
  return first === "dashboard" ? "dashboard" : first === "console" ? "console" : "chat";
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
