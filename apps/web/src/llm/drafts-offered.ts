import { useSyncExternalStore } from "react";
import { llmApi } from "./llm-api.ts";

/**
 * Whether the admin has LLM drafts on, as last asked. Asked when a composer first needs it,
 * again whenever the window regains focus (an admin may have changed it in another tab or
 * browser) and when an admin saves the settings in this tab. A refresh asked while one is on
 * its way asks once more after it (the first answer may predate a save). A failed ask keeps
 * what was known.
 */
export class DraftsOffered {
  readonly #ask: () => Promise<boolean>;
  #value = false;
  #asked = false;
  #inflight: Promise<void> | null = null;
  #again = false;
  readonly #listeners = new Set<() => void>();

  constructor(ask: () => Promise<boolean>) {
    this.#ask = ask;
  }

  get value(): boolean {
    return this.#value;
  }

  /** Ask the server unless it was asked already (the first composer on the page). */
  ensure(): void {
    if (!this.#asked) void this.refresh();
  }

  refresh(): Promise<void> {
    this.#asked = true;
    if (this.#inflight) {
      this.#again = true;
      return this.#inflight;
    }
    this.#inflight = this.#run().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      try {
        this.#set(await this.#ask());
      } catch {
        // Unreachable for now: keep what was known; the next focus asks again.
      }
    } while (this.#again);
  }

  #set(value: boolean): void {
    if (value === this.#value) return;
    this.#value = value;
    for (const listener of this.#listeners) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export const draftsOffered = new DraftsOffered(() => llmApi.status().then((status) => status.drafts));

const onFocus = () => void draftsOffered.refresh();
let watchers = 0;

/** One focus listener for every composer on the page. */
function subscribe(listener: () => void): () => void {
  const unsubscribe = draftsOffered.subscribe(listener);
  if (watchers++ === 0) window.addEventListener("focus", onFocus);
  draftsOffered.ensure();
  return () => {
    unsubscribe();
    if (--watchers === 0) window.removeEventListener("focus", onFocus);
  };
}

const current = () => draftsOffered.value;

/** Whether the 「AI 草稿」 button shows; follows the admin's changes without a reload. */
export function useDraftsOffered(): boolean {
  return useSyncExternalStore(subscribe, current);
}
