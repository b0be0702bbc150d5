import type { MessageKey } from "../i18n/zh-CN.ts";

/**
 * The workspace's keyboard shortcuts: one table that both the key handler and the help sheet
 * read, so what is documented is what works. Pure (no DOM, no React) and unit-tested.
 */

export const shortcutIds = [
  "nextConversation",
  "previousConversation",
  "nextWaiting",
  "focusReply",
  "send",
  "leaveReply",
  "claim",
  "transfer",
  "resolve",
  "help",
] as const;
export type ShortcutId = (typeof shortcutIds)[number];

export type KeyBinding = {
  /** `KeyboardEvent.key`; letters are matched case-insensitively. */
  key: string;
  alt?: boolean;
  /** Ctrl, or ⌘ on a Mac. */
  mod?: boolean;
  /** Whether Shift must be held; "any" for keys typed with Shift on some layouts ("?"). */
  shift?: boolean | "any";
};

export type ShortcutGroup = "navigation" | "conversation" | "composer" | "general";

export type Shortcut = {
  id: ShortcutId;
  bindings: readonly KeyBinding[];
  label: MessageKey;
  group: ShortcutGroup;
  /**
   * global: handled by the workspace's key listener (single keys only when not typing);
   * composer: handled by the reply box itself, listed here for the help sheet.
   */
  scope: "global" | "composer";
};

export const shortcuts: readonly Shortcut[] = [
  {
    id: "nextConversation",
    bindings: [{ key: "j" }, { key: "ArrowDown", alt: true }],
    label: "shortcuts.nextConversation",
    group: "navigation",
    scope: "global",
  },
  {
    id: "previousConversation",
    bindings: [{ key: "k" }, { key: "ArrowUp", alt: true }],
    label: "shortcuts.previousConversation",
    group: "navigation",
    scope: "global",
  },
  {
    id: "nextWaiting",
    bindings: [{ key: "n" }],
    label: "shortcuts.nextWaiting",
    group: "navigation",
    scope: "global",
  },
  { id: "focusReply", bindings: [{ key: "r" }], label: "shortcuts.focusReply", group: "composer", scope: "global" },
  {
    id: "send",
    bindings: [{ key: "Enter", mod: true }],
    label: "shortcuts.send",
    group: "composer",
    scope: "composer",
  },
  {
    id: "leaveReply",
    bindings: [{ key: "Escape" }],
    label: "shortcuts.leaveReply",
    group: "composer",
    scope: "composer",
  },
  { id: "claim", bindings: [{ key: "c" }], label: "shortcuts.claim", group: "conversation", scope: "global" },
  { id: "transfer", bindings: [{ key: "t" }], label: "shortcuts.transfer", group: "conversation", scope: "global" },
  { id: "resolve", bindings: [{ key: "e" }], label: "shortcuts.resolve", group: "conversation", scope: "global" },
  { id: "help", bindings: [{ key: "?", shift: "any" }], label: "shortcuts.help", group: "general", scope: "global" },
];

export const shortcutGroups: readonly ShortcutGroup[] = ["navigation", "conversation", "composer", "general"];

/** What the matcher needs of a `KeyboardEvent`. */
export type KeyInput = {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** An IME composition is in progress (pinyin): never a shortcut. */
  isComposing?: boolean;
};

/** A binding of a plain key, which is also text a user types. */
export function isSingleKey(binding: KeyBinding): boolean {
  return !binding.alt && !binding.mod && binding.key.length === 1;
}

export function matchesBinding(input: KeyInput, binding: KeyBinding): boolean {
  if (input.key.length === 1 ? input.key.toLowerCase() !== binding.key.toLowerCase() : input.key !== binding.key) {
    return false;
  }
  if (input.altKey !== Boolean(binding.alt)) return false;
  if ((input.ctrlKey || input.metaKey) !== Boolean(binding.mod)) return false;
  const shift = binding.shift ?? false;
  return shift === "any" || input.shiftKey === shift;
}

/**
 * The global shortcut a key press means, or null. While the user types (an input, a text area, a
 * select with search), single keys are text, not shortcuts; a composition is never a shortcut.
 */
export function matchShortcut(input: KeyInput, options: { typing: boolean }): ShortcutId | null {
  if (input.isComposing) return null;
  for (const shortcut of shortcuts) {
    if (shortcut.scope !== "global") continue;
    for (const binding of shortcut.bindings) {
      if (options.typing && isSingleKey(binding)) continue;
      if (matchesBinding(input, binding)) return shortcut.id;
    }
  }
  return null;
}

/** Duck-typed so it is testable without a DOM: what counts as "typing" for a key event's target. */
export type TargetLike = { tagName?: string; isContentEditable?: boolean; type?: string } | null;

const textInputTypes = new Set(["", "text", "search", "email", "url", "tel", "password", "number", "datetime-local"]);

export function isTypingTarget(target: TargetLike): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  switch (target.tagName) {
    case "TEXTAREA":
    case "SELECT":
      return true;
    case "INPUT":
      return textInputTypes.has((target.type ?? "").toLowerCase());
    default:
      return false;
  }
}

const keyNames: Record<string, string> = {
  ArrowDown: "↓",
  ArrowUp: "↑",
  Enter: "Enter",
  Escape: "Esc",
};

/** The keys of a binding as shown in the help sheet: ["Alt", "↓"], ["⌘", "Enter"], ["J"]. */
export function bindingKeys(binding: KeyBinding, mac: boolean): string[] {
  const keys: string[] = [];
  if (binding.mod) keys.push(mac ? "⌘" : "Ctrl");
  if (binding.alt) keys.push(mac ? "⌥" : "Alt");
  if (binding.shift === true) keys.push("Shift");
  keys.push(keyNames[binding.key] ?? binding.key.toUpperCase());
  return keys;
}
