import fs from "node:fs";
import path from "node:path";
import { randomToken } from "../../platform/crypto.ts";

/**
 * Images that visitors and e-mail senders give us, kept as files in DATA_DIR/uploads
 * under unguessable names and served back only as the image type their bytes
 * prove. Several nodes need DATA_DIR/uploads on shared storage.
 */
export const UPLOADS_ROUTE = "/widget/uploads";

const imageTypes = {
  png: { mime: "image/png", magic: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from("89504e470d0a1a0a", "hex")) },
  jpg: { mime: "image/jpeg", magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  gif: { mime: "image/gif", magic: (b: Buffer) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString("latin1")) },
  webp: {
    mime: "image/webp",
    magic: (b: Buffer) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  },
} as const;
type ImageExt = keyof typeof imageTypes;

export const acceptedImageMimes: string[] = Object.values(imageTypes).map((t) => t.mime);

const extOfMime = (mime: string): ImageExt | undefined =>
  (Object.keys(imageTypes) as ImageExt[]).find((ext) => imageTypes[ext].mime === mime.toLowerCase().split(";")[0]);

const FILE_NAME = /^[A-Za-z0-9_-]{20,64}\.(png|jpg|gif|webp)$/;

export type SaveResult = { ok: true; url: string } | { ok: false; code: "unsupported_media_type"; message: string };

/** Keep an image whose bytes match its declared type; the URL is relative to the Yunxi server. */
export function saveImage(dataDir: string, mime: string, bytes: Buffer): SaveResult {
  const ext = extOfMime(mime);
  if (!ext) return { ok: false, code: "unsupported_media_type", message: `Only ${acceptedImageMimes.join(", ")}` };
  if (!imageTypes[ext].magic(bytes)) {
    return { ok: false, code: "unsupported_media_type", message: `The file is not a ${imageTypes[ext].mime} image` };
  }
  const dir = uploadsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const name = `${randomToken(18)}.${ext}`;
  fs.writeFileSync(path.join(dir, name), bytes, { flag: "wx" });
  return { ok: true, url: `${UPLOADS_ROUTE}/${name}` };
}

/** The file behind an upload URL (or name) we issued; null for anything else. */
export function uploadedFile(dataDir: string, urlOrName: string): { file: string; mime: string } | null {
  const name = urlOrName.startsWith(`${UPLOADS_ROUTE}/`) ? urlOrName.slice(UPLOADS_ROUTE.length + 1) : urlOrName;
  if (!FILE_NAME.test(name)) return null;
  const file = path.join(uploadsDir(dataDir), name);
  if (!fs.existsSync(file)) return null;
  const ext = name.slice(name.lastIndexOf(".") + 1) as ImageExt;
  return { file, mime: imageTypes[ext].mime };
}

const uploadsDir = (dataDir: string) => path.join(dataDir, "uploads");
