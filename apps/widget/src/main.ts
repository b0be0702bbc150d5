import type { WidgetIdentity, WidgetMessage } from "@yunxi/contracts";
import { io, type Socket } from "socket.io-client";
import { WidgetApi } from "./api.ts";
import { pickStrings } from "./locale.ts";
import { mountView } from "./ui.ts";

/**
 * Yunxi's web chat widget. Embed with
 *   <script src="https://yunxi.example/widget.js" data-store="<storeKey>" async></script>
 * For a logged-in customer, also set data-user-id, data-user-name, data-ts and
 * data-signature (HMAC-SHA256 of userId + ts with the store's secret, made on
 * the merchant's server), or `window.YunxiWidgetSettings = { identity: {…} }`
 * before the tag.
 */
declare global {
  interface Window {
    YunxiWidgetSettings?: { identity?: WidgetIdentity; open?: boolean };
  }
}

const script = document.currentScript as HTMLScriptElement | null;

function identityFrom(tag: HTMLScriptElement): WidgetIdentity | undefined {
  const fromSettings = window.YunxiWidgetSettings?.identity;
  if (fromSettings) return fromSettings;
  const { userId, userName, ts, signature } = tag.dataset;
  if (!userId || !ts || !signature) return undefined;
  return { userId, ts: Number(ts), signature, ...(userName && { name: userName }) };
}

const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");

function start(tag: HTMLScriptElement): void {
  const storeKey = tag.dataset.store;
  if (!storeKey) {
    console.warn("[Yunxi] the widget's <script> tag needs data-store");
    return;
  }
  const t = pickStrings(navigator.languages?.length ? navigator.languages : [navigator.language]);
  const api = new WidgetApi(new URL(tag.src).origin, storeKey);
  const tokenKey = `yunxi-widget:${storeKey}`;
  const identity = identityFrom(tag);
  let started: Promise<void> | null = null;

  const show = (m: WidgetMessage) => {
    view.add(m, api.absolute);
    if (m.from !== "agent") return;
    // Someone answered: the offline notice no longer holds.
    view.showNotice(null);
    view.markUnread();
  };

  const connect = (): Promise<void> => {
    started ??= (async () => {
      const session = await api.session(localStorage.getItem(tokenKey), identity).catch(() =>
        // A refused identity (expired signature) still leaves the visitor a way to talk: anonymous.
        api.session(localStorage.getItem(tokenKey), undefined),
      );
      localStorage.setItem(tokenKey, session.token);
      view.setTitle(`${session.store.name} · ${t.title}`);
      view.showNotice(session.agentsOnline ? null : t.offline);
      // Socket first, then history: a reply in between arrives twice and is shown once, never zero times.
      const socket: Socket = io(`${api.base}/widget`, { transports: ["websocket"], auth: { token: session.token } });
      socket.on("widget:message", show);
      const history = await api.history();
      if (history.items.length === 0) view.system(t.welcome);
      for (const m of history.items) view.add(m, api.absolute);
    })().catch((err: unknown) => {
      started = null;
      view.system(`${t.failed} (${(err as Error).message})`);
    });
    return started;
  };

  const send = async (input: { text?: string; imageUrl?: string }) => {
    await connect();
    const result = await api.send({ clientId: randomId(), ...input });
    if (result.message) view.add(result.message, api.absolute);
    view.showNotice(result.offline ? t.offline : null);
  };

  const view = mountView(t, {
    onOpen: () => void connect(),
    onSend: (text) => void send({ text }).catch(() => view.system(t.failed)),
    onImage: (file) =>
      void (async () => {
        await connect();
        const { url } = await api.upload(file);
        await send({ imageUrl: url });
      })().catch(() => view.system(t.tooLarge)),
  });

  // A returning visitor reconnects at once, so a reply given while they were away shows as unread.
  if (localStorage.getItem(tokenKey)) void connect();
  if (window.YunxiWidgetSettings?.open) view.open();
}

if (script) {
  const tag = script;
  if (document.body) start(tag);
  else document.addEventListener("DOMContentLoaded", () => start(tag));
}
