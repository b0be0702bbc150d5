import type { AgentState, Conversation, Store } from "@yunxi/contracts";
import { useMemo } from "react";
import { useInbox } from "./inbox-provider.tsx";
import type { ThreadMessage } from "./inbox-state.ts";

const noMessages: readonly ThreadMessage[] = [];

export function useConversation(id: string | null): Conversation | undefined {
  const { state } = useInbox();
  return id ? state.conversations.get(id) : undefined;
}

export function useThreadMessages(conversationId: string): readonly ThreadMessage[] {
  const { state } = useInbox();
  return state.messages.get(conversationId) ?? noMessages;
}

/** Stores by id, for the store names of source labels. */
export function useStoresById(): ReadonlyMap<string, Store> {
  const { stores } = useInbox();
  return useMemo(() => new Map(stores.map((store) => [store.id, store])), [stores]);
}

/** The org's agents by user id (names, status, load, stores). */
export function useAgentsById(): ReadonlyMap<string, AgentState> {
  const { state } = useInbox();
  return state.agents;
}
