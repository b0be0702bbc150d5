import { useEffect, useRef, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";

export type Loaded<T> = {
  data: T | null;
  /** The server's message (a reversed range, a store not served …) or a localized client failure. */
  error: string | null;
  loading: boolean;
};

/**
 * Loads once per `key` (the query as a string), aborting the previous load. A failure clears the
 * figures: numbers of another period never stand beside the error.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, key: string | null): Loaded<T> {
  const t = useT();
  const loadRef = useRef(load);
  loadRef.current = load;
  const tRef = useRef(t);
  tRef.current = t;
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: key !== null });

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: null, loading: false });
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setState({ data: null, error: errorText(cause, tRef.current), loading: false });
      },
    );
    return () => controller.abort();
  }, [key]);

  return state;
}
