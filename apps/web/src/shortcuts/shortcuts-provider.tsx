import type { ReactNode } from "react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { ShortcutId } from "./registry.ts";
import { isTypingTarget, matchShortcut } from "./registry.ts";
import { ShortcutHelp } from "./shortcut-help.tsx";

type Handler = () => void;

type ShortcutsContextValue = {
  register: (id: ShortcutId, handler: { current: Handler }) => () => void;
  openHelp: () => void;
};

const ShortcutsContext = createContext<ShortcutsContextValue | null>(null);

/** An open dialog (a modal, a drawer) owns the keyboard: shortcuts would act on what is behind it. */
function dialogOpen(target: EventTarget | null): boolean {
  if (target instanceof Element && target.closest('[role="dialog"], .ant-modal-wrap, .ant-drawer') !== null)
    return true;
  // Focus may have stayed on the page behind (a click on the mask): any modal on screen counts.
  for (const element of document.querySelectorAll('[aria-modal="true"]')) {
    if (element.getClientRects().length > 0) return true;
  }
  return false;
}

/**
 * One key listener for the workspace. Components say what a shortcut does where they are
 * (`useShortcut("transfer", open)`); the most recently mounted handler of an id wins. `?` opens
 * the help sheet, which lists every shortcut of the registry.
 */
export function ShortcutsProvider({ children }: { children: ReactNode }) {
  const handlers = useRef(new Map<ShortcutId, { current: Handler }[]>());
  const [helpOpen, setHelpOpen] = useState(false);

  const register = useCallback((id: ShortcutId, handler: { current: Handler }) => {
    const list = handlers.current.get(id) ?? [];
    handlers.current.set(id, [...list, handler]);
    return () => {
      const current = handlers.current.get(id) ?? [];
      handlers.current.set(
        id,
        current.filter((h) => h !== handler),
      );
    };
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      if (dialogOpen(event.target)) return;
      const typing = isTypingTarget(event.target instanceof HTMLElement ? event.target : null);
      const id = matchShortcut(event, { typing });
      if (!id) return;
      if (id === "help") {
        event.preventDefault();
        setHelpOpen(true);
        return;
      }
      const handler = handlers.current.get(id)?.at(-1);
      if (!handler) return;
      event.preventDefault();
      handler.current();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const value = useMemo(() => ({ register, openHelp: () => setHelpOpen(true) }), [register]);

  return (
    <ShortcutsContext value={value}>
      {children}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </ShortcutsContext>
  );
}

/** Binds a shortcut to `handler` while the component is mounted (and `enabled`). */
export function useShortcut(id: ShortcutId, handler: Handler, enabled = true): void {
  const context = useContext(ShortcutsContext);
  const latest = useRef(handler);
  latest.current = handler;
  const register = context?.register;
  useEffect(() => {
    if (!register || !enabled) return;
    return register(id, latest);
  }, [register, id, enabled]);
}

/** Opens the help sheet (the header's "?" button). */
export function useOpenShortcutHelp(): () => void {
  const context = useContext(ShortcutsContext);
  return context?.openHelp ?? noop;
}

const noop = () => undefined;
