import { useEffect } from "react";

/**
 * Text for the reply box from elsewhere on the screen (a knowledge-base article in the
 * side panel): the composer of that conversation appends it to its draft.
 */
const eventName = "yunxi:insert-into-reply";
type Detail = { conversationId: string; text: string };

export function insertIntoReply(conversationId: string, text: string): void {
  window.dispatchEvent(new CustomEvent<Detail>(eventName, { detail: { conversationId, text } }));
}

export function useInsertIntoReply(conversationId: string, insert: (text: string) => void): void {
  useEffect(() => {
    const listener = (event: Event) => {
      const { detail } = event as CustomEvent<Detail>;
      if (detail.conversationId === conversationId) insert(detail.text);
    };
    window.addEventListener(eventName, listener);
    return () => window.removeEventListener(eventName, listener);
  }, [conversationId, insert]);
}
