import type { AnalyticsFilterScope } from "@yunxi/contracts";
import { useEffect, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";

/**
 * The agents, groups and stores the user's figures may be cut by (a supervisor: their groups'),
 * so the filters offer nothing the server refuses. Null until loaded (or when it failed: the
 * filters then offer no agent or group).
 */
export function useFilterScope(): AnalyticsFilterScope | null {
  const [scope, setScope] = useState<AnalyticsFilterScope | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    analyticsApi.filterScope(controller.signal).then(setScope, () => undefined);
    return () => controller.abort();
  }, []);
  return scope;
}

/** The user's stores that are in the scope (all of them until the scope is known). */
export function storesInScope<S extends { id: string }>(stores: readonly S[], scope: AnalyticsFilterScope | null): S[] {
  const inScope = scope?.storeIds;
  if (!inScope) return [...stores];
  return stores.filter((s) => inScope.includes(s.id));
}
