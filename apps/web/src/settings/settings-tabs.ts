import type { Role } from "@yunxi/contracts";
import { canOpenAdmin } from "../admin/permissions.ts";
import type { AdminTab } from "../routing/routes.ts";
import { canSupervise } from "../supervisor/supervisor-state.ts";

/** The routing settings (groups, routing, priority, notifications) are for supervisors and above. */
export const routingTabs = [
  "groups",
  "routing",
  "priority",
  "notifications",
  "autoreply",
  "quality",
  "schedules",
  "survey",
] as const satisfies readonly AdminTab[];

/**
 * The admin console's tabs a role sees: stores, members and the LLM for admins and owners,
 * routing for supervisors too, and the reply library for everyone (agents keep their personal 话术 there).
 */
export function visibleAdminTabs(role: Role): AdminTab[] {
  const tabs: AdminTab[] = [];
  if (canOpenAdmin(role)) tabs.push("stores", "users");
  if (canSupervise(role)) tabs.push(...routingTabs);
  // The LLM endpoint and its key: admins only, as on the server.
  if (canOpenAdmin(role)) tabs.push("llm");
  tabs.push("library");
  return tabs;
}
