import type { RoutingStrategy, StoreRouting, UpdateStoreRoutingRequest } from "@yunxi/contracts";
import { UpdateStoreRoutingRequest as UpdateStoreRoutingSchema } from "@yunxi/contracts";

/**
 * A store's routing as the settings form edits it: SLA targets in minutes (the server counts
 * seconds), optional selects as null, business hours as a flat list of weekday windows.
 * Converting back and validating against the contract are pure, and tested.
 */
export type BusinessWindow = { weekday: number; start: string; end: string };

export type RoutingFormValues = {
  autoAssign: boolean;
  strategy: RoutingStrategy;
  groupId: string | null;
  overflowGroupId: string | null;
  overflowAfterSeconds: number | null;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warnBeforeMinutes: number;
  notifySupervisors: boolean;
  raisePriority: number;
  reassign: boolean;
  alwaysOpen: boolean;
  windows: BusinessWindow[];
};

export type RoutingField = Exclude<keyof RoutingFormValues, "windows">;

const toMinutes = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round((seconds / 60) * 100) / 100;
const toSeconds = (minutes: number | null | undefined): number | null =>
  minutes === null || minutes === undefined ? null : Math.round(minutes * 60);

export function routingToValues(routing: StoreRouting): RoutingFormValues {
  return {
    autoAssign: routing.autoAssign,
    strategy: routing.strategy,
    groupId: routing.groupId,
    overflowGroupId: routing.overflowGroupId,
    overflowAfterSeconds: routing.overflowAfterSeconds,
    firstResponseMinutes: toMinutes(routing.sla.firstResponseSeconds),
    nextResponseMinutes: toMinutes(routing.sla.nextResponseSeconds),
    resolutionMinutes: toMinutes(routing.sla.resolutionSeconds),
    warnBeforeMinutes: toMinutes(routing.sla.warnBeforeSeconds) ?? 0,
    notifySupervisors: routing.sla.escalation.notifySupervisors,
    raisePriority: routing.sla.escalation.raisePriority,
    reassign: routing.sla.escalation.reassign,
    alwaysOpen: routing.businessHours.alwaysOpen,
    windows: routing.businessHours.windows.map((w) => ({ ...w })),
  };
}

/** The windows in the form's order (issues point at them by index); antd may hand over half-filled rows. */
function cleanWindows(windows: readonly Partial<BusinessWindow>[] | undefined): BusinessWindow[] {
  return (windows ?? []).map((w) => ({
    weekday: Number(w.weekday),
    start: (w.start ?? "").trim(),
    end: (w.end ?? "").trim(),
  }));
}

/** What the form's values ask of `PUT /api/routing/stores/:id` (every part, so the form is the truth). */
export function valuesToRequest(values: RoutingFormValues): UpdateStoreRoutingRequest {
  const overflowGroupId = values.overflowGroupId ?? null;
  return {
    autoAssign: values.autoAssign,
    strategy: values.strategy,
    groupId: values.groupId ?? null,
    overflowGroupId,
    // Without an overflow group the wait means nothing.
    overflowAfterSeconds: overflowGroupId === null ? null : (values.overflowAfterSeconds ?? null),
    sla: {
      firstResponseSeconds: toSeconds(values.firstResponseMinutes),
      nextResponseSeconds: toSeconds(values.nextResponseMinutes),
      resolutionSeconds: toSeconds(values.resolutionMinutes),
      warnBeforeSeconds: toSeconds(values.warnBeforeMinutes) ?? 0,
      escalation: {
        notifySupervisors: values.notifySupervisors,
        raisePriority: values.raisePriority ?? 0,
        reassign: values.reassign,
      },
    },
    businessHours: { alwaysOpen: values.alwaysOpen, windows: cleanWindows(values.windows) },
  };
}

/** A form field (or a window's start/end) a contract issue points at. */
export type FieldName = RoutingField | ["windows", number, "start" | "end" | "weekday"];

const slaFields: Record<string, RoutingField> = {
  firstResponseSeconds: "firstResponseMinutes",
  nextResponseSeconds: "nextResponseMinutes",
  resolutionSeconds: "resolutionMinutes",
  warnBeforeSeconds: "warnBeforeMinutes",
  raisePriority: "raisePriority",
};

/** Maps a contract issue's path to the form field to mark; null when no single field is at fault. */
export function fieldOfIssue(path: readonly PropertyKey[]): FieldName | null {
  const [head, second, third, fourth] = path;
  if (head === "sla") {
    const last = path[path.length - 1];
    return typeof last === "string" ? (slaFields[last] ?? null) : null;
  }
  if (head === "businessHours" && second === "windows" && typeof third === "number") {
    return fourth === "start" || fourth === "end" || fourth === "weekday" ? ["windows", third, fourth] : null;
  }
  if (head === "overflowAfterSeconds" || head === "groupId" || head === "overflowGroupId" || head === "strategy") {
    return head;
  }
  return null;
}

/** Windows whose end is not after their start (the contract refuses those as a whole). */
export function invalidWindows(windows: readonly Partial<BusinessWindow>[]): number[] {
  const bad: number[] = [];
  windows.forEach((w, index) => {
    if (w.start && w.end && w.start >= w.end) bad.push(index);
  });
  return bad;
}

export type RoutingCheck =
  | { ok: true; request: UpdateStoreRoutingRequest }
  | { ok: false; fields: FieldName[]; messages: string[] };

/** The request, checked against the contract before it is sent. */
export function checkRouting(values: RoutingFormValues): RoutingCheck {
  const request = valuesToRequest(values);
  const parsed = UpdateStoreRoutingSchema.safeParse(request);
  if (parsed.success) return { ok: true, request: parsed.data };
  const fields: FieldName[] = [];
  const messages: string[] = [];
  const reversed = invalidWindows(request.businessHours?.windows ?? []);
  for (const index of reversed) fields.push(["windows", index, "end"]);
  for (const issue of parsed.error.issues) {
    const field = fieldOfIssue(issue.path);
    if (field) fields.push(field);
    // The "end after start" rule is about the whole list: the windows at fault are marked above.
    else if (!(reversed.length > 0 && issue.path.join(".") === "businessHours.windows")) messages.push(issue.message);
  }
  return { ok: false, fields, messages };
}

/** Quick fills for the business-hours editor. */
export const windowPresets = {
  weekdays: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
  everyDay: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "09:00", end: "22:00" })),
} satisfies Record<string, BusinessWindow[]>;

export const clockPattern = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
