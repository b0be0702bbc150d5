/**
 * The app's few pages, as paths. No router library: the history API and a switch are enough for
 * the workspace, the supervisor view and the admin console, and the server answers every unknown
 * path with index.html.
 */
export const adminTabs = [
  "stores",
  "users",
  "groups",
  "routing",
  "priority",
  "notifications",
  "autoreply",
  "quality",
  "llm",
  "schedules",
  "survey",
  "library",
] as const;
export type AdminTab = (typeof adminTabs)[number];

export type Route =
  | { page: "inbox" }
  | { page: "supervisor" }
  | { page: "dashboard" }
  | { page: "reports" }
  | { page: "admin"; tab: AdminTab };

export function isAdminTab(value: unknown): value is AdminTab {
  return adminTabs.some((name) => name === value);
}

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean);
  if (parts[0] === "supervisor") return { page: "supervisor" };
  if (parts[0] === "dashboard") return { page: "dashboard" };
  if (parts[0] === "reports") return { page: "reports" };
  if (parts[0] !== "admin") return { page: "inbox" };
  const tab = adminTabs.find((name) => name === parts[1]) ?? "stores";
  return { page: "admin", tab };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case "admin":
      return `/admin/${route.tab}`;
    case "supervisor":
      return "/supervisor";
    case "dashboard":
      return "/dashboard";
    case "reports":
      return "/reports";
    case "inbox":
      return "/";
  }
}
