import { describe, expect, it } from "vitest";
import { zhCN } from "../i18n/zh-CN.ts";
import type { KeyInput } from "./registry.ts";
import { bindingKeys, isTypingTarget, matchShortcut, shortcutIds, shortcuts } from "./registry.ts";

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});
const idle = { typing: false };
const typing = { typing: true };

describe("shortcut mapping", () => {
  it("maps the daily path: J/K and Alt+↓/↑, N, R, C, T, E, ?", () => {
    expect(matchShortcut(key("j"), idle)).toBe("nextConversation");
    expect(matchShortcut(key("k"), idle)).toBe("previousConversation");
    expect(matchShortcut(key("ArrowDown", { altKey: true }), idle)).toBe("nextConversation");
    expect(matchShortcut(key("ArrowUp", { altKey: true }), idle)).toBe("previousConversation");
    expect(matchShortcut(key("n"), idle)).toBe("nextWaiting");
    expect(matchShortcut(key("r"), idle)).toBe("focusReply");
    expect(matchShortcut(key("c"), idle)).toBe("claim");
    expect(matchShortcut(key("t"), idle)).toBe("transfer");
    expect(matchShortcut(key("e"), idle)).toBe("resolve");
    expect(matchShortcut(key("?", { shiftKey: true }), idle)).toBe("help");
    expect(matchShortcut(key("J", { shiftKey: false }), idle)).toBe("nextConversation"); // Caps Lock
  });

  it("leaves browser and system keys alone (modifiers must match)", () => {
    expect(matchShortcut(key("c", { ctrlKey: true }), idle)).toBeNull(); // copy
    expect(matchShortcut(key("r", { metaKey: true }), idle)).toBeNull(); // reload
    expect(matchShortcut(key("t", { shiftKey: true }), idle)).toBeNull();
    expect(matchShortcut(key("ArrowDown"), idle)).toBeNull(); // scrolling
    expect(matchShortcut(key("x"), idle)).toBeNull();
  });

  it("ignores single keys while typing, and everything during an IME composition", () => {
    expect(matchShortcut(key("j"), typing)).toBeNull();
    expect(matchShortcut(key("?", { shiftKey: true }), typing)).toBeNull();
    // Alt+↓ still moves on from the reply box.
    expect(matchShortcut(key("ArrowDown", { altKey: true }), typing)).toBe("nextConversation");
    expect(matchShortcut(key("ArrowDown", { altKey: true, isComposing: true }), typing)).toBeNull();
    // Ctrl+Enter belongs to the composer, not the global handler.
    expect(matchShortcut(key("Enter", { ctrlKey: true }), typing)).toBeNull();
  });

  it("knows what typing is", () => {
    expect(isTypingTarget({ tagName: "TEXTAREA" })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "search" })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it("lists every shortcut once, with a label in the locale and keys to show", () => {
    expect(shortcuts.map((s) => s.id).sort()).toEqual([...shortcutIds].sort());
    for (const shortcut of shortcuts) expect(zhCN[shortcut.label]).toBeTruthy();
    expect(bindingKeys({ key: "ArrowDown", alt: true }, false)).toEqual(["Alt", "↓"]);
    expect(bindingKeys({ key: "Enter", mod: true }, true)).toEqual(["⌘", "Enter"]);
    expect(bindingKeys({ key: "j" }, false)).toEqual(["J"]);
  });
});
