import { badgeText } from "./badge.ts";

/**
 * The favicon with a red unread count, drawn on a canvas from /favicon.svg. Where drawing is not
 * possible (no canvas, the image fails to load) the plain icon stays: the tab title still counts.
 */
const iconSize = 64;
let base: Promise<HTMLImageElement | null> | null = null;
let originalHref: string | null = null;
let drawn = -1;

function iconLink(): HTMLLinkElement | null {
  return document.querySelector<HTMLLinkElement>('link[rel="icon"]');
}

function loadBase(href: string): Promise<HTMLImageElement | null> {
  base ??= new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = href;
  });
  return base;
}

export async function setFaviconBadge(count: number): Promise<void> {
  const link = iconLink();
  if (!link) return;
  originalHref ??= link.getAttribute("href") ?? "/favicon.svg";
  if (count === drawn) return;
  drawn = count;
  if (count <= 0) {
    link.type = "image/svg+xml";
    link.href = originalHref;
    return;
  }
  try {
    const image = await loadBase(originalHref);
    if (!image || drawn !== count) return;
    const canvas = document.createElement("canvas");
    canvas.width = iconSize;
    canvas.height = iconSize;
    const g = canvas.getContext("2d");
    if (!g) return;
    g.drawImage(image, 0, 0, iconSize, iconSize);
    const text = badgeText(count);
    const radius = text.length > 2 ? 22 : 20;
    const cx = iconSize - radius + 2;
    const cy = radius - 2;
    g.beginPath();
    g.arc(cx, cy, radius, 0, Math.PI * 2);
    g.fillStyle = "#ff4d4f";
    g.fill();
    g.lineWidth = 3;
    g.strokeStyle = "#ffffff";
    g.stroke();
    g.fillStyle = "#ffffff";
    g.font = `bold ${text.length > 2 ? 20 : 28}px -apple-system, "PingFang SC", sans-serif`;
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(text, cx, cy + 1);
    link.type = "image/png";
    link.href = canvas.toDataURL("image/png");
  } catch {
    // A tainted or missing canvas: keep the plain icon.
  }
}
