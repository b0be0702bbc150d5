import type { NotificationEvent, NotificationSettings, Role } from "@yunxi/contracts";
import { notificationEvents, roles } from "@yunxi/contracts";

/** The event × role grid of the notification settings: reading a cell, and setting one. */
export function isTold(settings: NotificationSettings, event: NotificationEvent, role: Role): boolean {
  return settings.rules[event]?.includes(role) ?? false;
}

/** A copy with one cell changed; every event is present in the result, roles in their usual order. */
export function withCell(
  settings: NotificationSettings,
  event: NotificationEvent,
  role: Role,
  told: boolean,
): NotificationSettings {
  const cell = (name: NotificationEvent): Role[] => {
    const current = new Set(settings.rules[name] ?? []);
    if (name === event) {
      if (told) current.add(role);
      else current.delete(role);
    }
    return roles.filter((r) => current.has(r));
  };
  return {
    rules: {
      assigned: cell("assigned"),
      new_message: cell("new_message"),
      sla_warning: cell("sla_warning"),
      sla_breach: cell("sla_breach"),
      mention: cell("mention"),
      unassigned_waiting: cell("unassigned_waiting"),
    },
  };
}

export function sameSettings(a: NotificationSettings, b: NotificationSettings): boolean {
  return notificationEvents.every((event) => roles.every((role) => isTold(a, event, role) === isTold(b, event, role)));
}
