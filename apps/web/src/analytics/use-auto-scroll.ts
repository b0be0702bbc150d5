import type { RefObject } from "react";
import { useEffect } from "react";

/**
 * For the wallboard, where nobody scrolls: a list taller than its panel pages down by itself every
 * few seconds and starts over at the top, so every agent and store comes round on the TV.
 */
export function useAutoScroll(ref: RefObject<HTMLElement | null>, intervalMs = 8_000): void {
  useEffect(() => {
    const timer = setInterval(() => {
      const node = ref.current;
      if (!node) return;
      const max = node.scrollHeight - node.clientHeight;
      if (max <= 0) return;
      const atEnd = node.scrollTop >= max - 1;
      node.scrollTo({ top: atEnd ? 0 : Math.min(max, node.scrollTop + node.clientHeight * 0.8), behavior: "smooth" });
    }, intervalMs);
    return () => clearInterval(timer);
  }, [ref, intervalMs]);
}
