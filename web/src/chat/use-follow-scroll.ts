import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** How close to the bottom (px) still counts as "at the bottom". */
const slack = 48;

function scroller(): HTMLElement {
  return (document.scrollingElement as HTMLElement | null) ?? document.documentElement;
}

function atBottom(): boolean {
  const element = scroller();
  return element.scrollTop + window.innerHeight >= element.scrollHeight - slack;
}

/**
 * Keeps the page scrolled to the bottom while `content` grows (a streaming reply), unless the user scrolled up: then
 * it stays where they are and `away` is true until they come back down or call `follow()` (on send, "jump to
 * latest"). Scrolls instantly: a smooth scroll would read as the user scrolling away mid-way.
 */
export function useFollowScroll(content: unknown): { away: boolean; follow: () => void } {
  const following = useRef(true);
  const [away, setAway] = useState(false);

  useEffect(() => {
    const onScroll = () => {
      following.current = atBottom();
      setAway(!following.current);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  useLayoutEffect(() => {
    if (following.current) window.scrollTo(0, scroller().scrollHeight);
  }, [content]);

  const follow = useCallback(() => {
    following.current = true;
    setAway(false);
    window.scrollTo(0, scroller().scrollHeight);
  }, []);
  return { away, follow };
}
