import { useEffect, useRef } from "react";
import { parseRoute } from "../routing/routes.ts";
import { navigate } from "../routing/use-route.ts";

/**
 * "Open this conversation" from anywhere (a notification popup, a desktop notification, the
 * supervisor view) to the inbox, which owns the selection. The inbox listens with
 * `useOpenConversationRequests(setSelectedId)`; a request made while the inbox is not mounted
 * (e.g. from the supervisor page) waits until it is. A desktop notification clicked while no tab
 * was open arrives as `/?conversation=<id>`.
 */
const requestedEvent = "yunxi:open-conversation";
export const conversationParam = "conversation";

let pending: string | null = null;

/** The id a `?conversation=` address asks for, and the search string without it. */
export function readConversationParam(search: string): { id: string | null; rest: string } {
  const params = new URLSearchParams(search);
  const id = params.get(conversationParam);
  params.delete(conversationParam);
  const rest = params.toString();
  return { id: id && id.length > 0 ? id : null, rest: rest ? `?${rest}` : "" };
}

if (typeof window !== "undefined") {
  const { id, rest } = readConversationParam(window.location.search);
  if (id) {
    pending = id;
    window.history.replaceState(null, "", `${window.location.pathname}${rest}${window.location.hash}`);
  }
}

export function requestOpenConversation(conversationId: string): void {
  pending = conversationId;
  if (parseRoute(window.location.pathname).page !== "inbox") navigate("/");
  window.dispatchEvent(new CustomEvent<string>(requestedEvent, { detail: conversationId }));
}

/** For the inbox: selects the conversation asked for, now or as soon as it mounts. */
export function useOpenConversationRequests(open: (conversationId: string) => void): void {
  const latest = useRef(open);
  latest.current = open;
  useEffect(() => {
    const take = () => {
      if (pending === null) return;
      const id = pending;
      pending = null;
      latest.current(id);
    };
    take();
    window.addEventListener(requestedEvent, take);
    return () => window.removeEventListener(requestedEvent, take);
  }, []);
}
