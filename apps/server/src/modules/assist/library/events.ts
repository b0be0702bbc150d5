import type { LibraryKind } from "@yunxi/contracts";
import type { Executor } from "../../../platform/db/client.ts";
import { appendEvents, type LoggedEvent } from "../../../platform/events/log.ts";
import { listOrgStores } from "../../stores/index.ts";

/** Where a change applies: one store, every store of a platform, or (both null) every store of the org. */
export interface ChangeScope {
  storeId: string | null;
  platform: string | null;
}

/**
 * Append `library.changed` for every store the change applies to, in the caller's
 * transaction; publish the returned events after commit. The gateway sends an event
 * to the agents of its store (and to supervisors), and an event without a store to
 * supervisors only, so an org-wide change is sent once per store: every agent hears
 * it, and a reconnecting agent finds it in the log.
 */
export async function appendLibraryChanged(
  tx: Executor,
  orgId: string,
  library: LibraryKind,
  scopes: ChangeScope[],
): Promise<LoggedEvent[]> {
  if (scopes.length === 0) return [];
  const storeIds = new Set<string>();
  const needsStores = scopes.some((s) => s.storeId === null);
  const stores = needsStores ? await listOrgStores(tx, orgId) : [];
  for (const scope of scopes) {
    if (scope.storeId !== null) storeIds.add(scope.storeId);
    else for (const s of stores) if (scope.platform === null || s.platform === scope.platform) storeIds.add(s.id);
  }
  return appendEvents(
    tx,
    orgId,
    [...storeIds].map((storeId) => ({ type: "library.changed", storeId, payload: { library } })),
  );
}
