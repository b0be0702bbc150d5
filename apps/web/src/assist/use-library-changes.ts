import type { LibraryKind } from "@yunxi/contracts";
import { useEffect, useState } from "react";
import { useInbox, useInboxActions } from "../inbox/inbox-provider.tsx";

/**
 * A number that goes up when the library's replies or articles change (a `library.changed`
 * event, from any agent's or supervisor's edit) or after a reconnect that could not resume:
 * use it as an effect's trigger to refetch. Bursts (an import sends one event per store)
 * count once.
 */
export function useLibraryVersion(kind: LibraryKind): number {
  const { subscribe } = useInboxActions();
  const { resyncToken } = useInbox();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((events) => {
      if (!events.some((e) => e.type === "library.changed" && e.library === kind)) return;
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((n) => n + 1), 150);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [subscribe, kind]);
  return version + resyncToken;
}
