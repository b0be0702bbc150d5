// Renders the PWA icons (public/icons/*.png, public/apple-touch-icon.png) from the shapes of
// public/favicon.svg, without a browser or an image library: the few shapes are rasterized here
// with 4×4 supersampling and written as PNG with node:zlib. Run after changing favicon.svg:
//   node apps/web/scripts/generate-icons.mjs
// The shapes below mirror favicon.svg (64×64): keep them in step.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";

const publicDir = join(dirname(fileURLToPath(import.meta.url)), "..", "public");
const blue = [0x16, 0x77, 0xff];
const white = [0xff, 0xff, 0xff];

/** The seat: M14 40 c0-9 7-16 16-16 h4 c9 0 16 7 16 16 v2 H14 z, flattened to a polygon. */
function seatPolygon() {
  const points = [];
  const cubic = (p0, p1, p2, p3) => {
    for (let i = 0; i <= 24; i++) {
      const t = i / 24;
      const u = 1 - t;
      points.push([
        u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
        u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
      ]);
    }
  };
  cubic([14, 40], [14, 31], [21, 24], [30, 24]);
  cubic([34, 24], [43, 24], [50, 31], [50, 40]);
  points.push([50, 42], [14, 42]);
  return points;
}
const seat = seatPolygon();

function inPolygon(x, y, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inRoundedSquare(x, y, radius) {
  if (x < 0 || y < 0 || x > 64 || y > 64) return false;
  const cx = Math.min(Math.max(x, radius), 64 - radius);
  const cy = Math.min(Math.max(y, radius), 64 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
}

const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function inGlyph(x, y) {
  return inPolygon(x, y, seat) || inCircle(x, y, 22, 20, 5) || inCircle(x, y, 42, 20, 5);
}

/**
 * The colour at a point of the 64×64 design. `maskable`: a full-bleed background with the glyph
 * centred inside the safe zone (a circle of 40% of the size), as Android crops it.
 */
function sample(x, y, maskable) {
  if (maskable) {
    // Glyph box is x 14–50, y 15–42 (centre 32, 28.5): centre it and leave a margin.
    const scale = 0.9;
    const gx = (x - 32) / scale + 32;
    const gy = (y - 32) / scale + 28.5;
    return inGlyph(gx, gy) ? white : blue;
  }
  if (!inRoundedSquare(x, y, 14)) return null;
  return inGlyph(x, y) ? white : blue;
}

function render(size, maskable) {
  const n = 4;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const color = sample(((px + (sx + 0.5) / n) * 64) / size, ((py + (sy + 0.5) / n) * 64) / size, maskable);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          a += 1;
        }
      }
      const at = (py * size + px) * 4;
      if (a > 0) {
        pixels[at] = Math.round(r / a);
        pixels[at + 1] = Math.round(g / a);
        pixels[at + 2] = Math.round(b / a);
      }
      pixels[at + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return pixels;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const outputs = [
  { file: "icons/icon-192.png", size: 192, maskable: false },
  { file: "icons/icon-512.png", size: 512, maskable: false },
  { file: "icons/icon-maskable-512.png", size: 512, maskable: true },
  // iOS rounds the corners itself and asks for /apple-touch-icon.png when no <link> names one.
  { file: "apple-touch-icon.png", size: 180, maskable: true },
];
for (const { file, size, maskable } of outputs) {
  writeFileSync(join(publicDir, file), png(size, render(size, maskable)));
  console.log(`wrote public/${file} (${size}×${size})`);
}
