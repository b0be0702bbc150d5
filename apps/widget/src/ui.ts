import type { WidgetMessage } from "@yunxi/contracts";
import type { Strings } from "./locale.ts";
import { styles } from "./styles.ts";

export interface WidgetView {
  open(): void;
  setTitle(title: string): void;
  showNotice(text: string | null): void;
  /** Add a message once (by id), in time order. */
  add(message: WidgetMessage, imageUrl: (url: string) => string): void;
  system(text: string): void;
  markUnread(): void;
}

export interface ViewHandlers {
  onOpen(): void;
  onSend(text: string): void;
  onImage(file: File): void;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  // Texts are always text nodes: nothing a visitor or agent writes is parsed as HTML.
  if (text !== undefined) node.textContent = text;
  return node;
};

/** The launcher button and the chat panel, in a shadow root on a host element of our own. */
export function mountView(t: Strings, handlers: ViewHandlers): WidgetView {
  const host = el("div");
  host.setAttribute("data-yunxi-widget", "");
  document.body.appendChild(host);
  const root = host.attachShadow({ mode: "open" });
  const style = el("style");
  style.textContent = styles;

  const launcher = el("button", "launcher", t.open);
  const badge = el("span", "badge", "1");
  launcher.appendChild(badge);
  const panel = el("div", "panel");
  panel.setAttribute("role", "dialog");
  const header = el("div", "header");
  const title = el("span", "title", t.title);
  const close = el("button", undefined, "×");
  close.setAttribute("aria-label", t.close);
  header.append(title, close);
  const notice = el("div", "notice");
  const list = el("div", "messages");
  const composer = el("div", "composer");
  const input = el("textarea");
  input.placeholder = t.placeholder;
  const file = el("input");
  file.type = "file";
  file.accept = "image/png,image/jpeg,image/gif,image/webp";
  const pick = el("button", "pick");
  pick.appendChild(imageIcon());
  pick.title = t.image;
  const send = el("button", "send", t.send);
  composer.append(input, file, pick, send);
  panel.append(header, notice, list, composer);
  root.append(style, launcher, panel);

  const seen = new Map<string, HTMLElement>();
  const submit = () => {
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    handlers.onSend(text);
  };
  launcher.addEventListener("click", () => {
    const opening = !panel.classList.contains("open");
    panel.classList.toggle("open");
    launcher.classList.remove("unread");
    if (opening) {
      handlers.onOpen();
      input.focus();
    }
  });
  close.addEventListener("click", () => panel.classList.remove("open"));
  send.addEventListener("click", submit);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  pick.addEventListener("click", () => file.click());
  file.addEventListener("change", () => {
    const chosen = file.files?.[0];
    file.value = "";
    if (chosen) handlers.onImage(chosen);
  });

  const scrollDown = () => {
    list.scrollTop = list.scrollHeight;
  };

  return {
    open() {
      panel.classList.add("open");
      handlers.onOpen();
    },
    setTitle(text) {
      title.textContent = text;
    },
    showNotice(text) {
      notice.textContent = text ?? "";
      notice.classList.toggle("show", text !== null);
    },
    add(message, imageUrl) {
      if (seen.has(message.id)) return;
      const row = el("div", `row ${message.from}`);
      row.dataset.at = message.createdAt;
      const bubble = el("div", "bubble", message.kind === "image" ? undefined : message.text);
      if (message.kind === "image" && message.imageUrl) {
        const img = el("img");
        img.src = imageUrl(message.imageUrl);
        img.alt = t.image;
        img.addEventListener("click", () => window.open(img.src, "_blank", "noopener"));
        img.addEventListener("load", scrollDown);
        bubble.appendChild(img);
      }
      row.appendChild(bubble);
      seen.set(message.id, row);
      const later = [...list.children].find(
        (child) => child instanceof HTMLElement && (child.dataset.at ?? "") > message.createdAt,
      );
      list.insertBefore(row, later ?? null);
      scrollDown();
    },
    system(text) {
      const row = el("div", "row system");
      row.appendChild(el("div", "bubble", text));
      list.appendChild(row);
      scrollDown();
    },
    markUnread() {
      if (!panel.classList.contains("open")) launcher.classList.add("unread");
    },
  };
}

/** A picture icon drawn as SVG: no emoji font needed on the visitor's device. */
function imageIcon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20");
  svg.setAttribute("height", "20");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  for (const [tag, attrs] of [
    ["rect", { x: "3", y: "4", width: "18", height: "16", rx: "2" }],
    ["circle", { cx: "9", cy: "10", r: "2" }],
    ["path", { d: "M21 17l-5-5-8 8" }],
  ] as const) {
    const shape = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, v);
    svg.appendChild(shape);
  }
  return svg;
}
