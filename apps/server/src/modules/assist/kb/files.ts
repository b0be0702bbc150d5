import fs from "node:fs";
import path from "node:path";
import { randomToken } from "../../../platform/crypto.ts";

/**
 * Files attached to knowledge-base articles, kept in DATA_DIR/kb-attachments under
 * unguessable names and served only to signed-in users of the article's org (the
 * widget's uploads, channels/uploads.ts, are public images: a different need). The
 * type is decided by the bytes, not by what the browser claims. Several nodes need
 * DATA_DIR on shared storage, as for the widget's uploads.
 */

interface FileType {
  mime: string;
  /** Shown in the browser (images, PDF); everything else is downloaded. */
  inline: boolean;
  matches: (bytes: Buffer, ext: string) => boolean;
}

const zipMagic = (b: Buffer) => b.subarray(0, 4).equals(Buffer.from("504b0304", "hex"));

const fileTypes: FileType[] = [
  { mime: "image/png", inline: true, matches: (b) => b.subarray(0, 8).equals(Buffer.from("89504e470d0a1a0a", "hex")) },
  { mime: "image/jpeg", inline: true, matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/gif", inline: true, matches: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString("latin1")) },
  {
    mime: "image/webp",
    inline: true,
    matches: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP",
  },
  { mime: "application/pdf", inline: true, matches: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-" },
  {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    inline: false,
    matches: (b, ext) => zipMagic(b) && ext === "docx",
  },
  {
    mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    inline: false,
    matches: (b, ext) => zipMagic(b) && ext === "xlsx",
  },
  {
    mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    inline: false,
    matches: (b, ext) => zipMagic(b) && ext === "pptx",
  },
  {
    mime: "video/mp4",
    inline: false,
    matches: (b, ext) => ext === "mp4" && b.subarray(4, 8).toString("latin1") === "ftyp",
  },
  {
    mime: "text/plain; charset=utf-8",
    inline: false,
    matches: (b, ext) => ["txt", "csv", "md"].includes(ext) && !b.includes(0) && isUtf8(b),
  },
];

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export const acceptedAttachmentTypes = "png, jpg, gif, webp, pdf, docx, xlsx, pptx, mp4, txt, csv, md";

/** The type of an upload by its bytes (and, for zip-based and text formats, its extension); null if not accepted. */
export function sniffAttachment(fileName: string, bytes: Buffer): FileType | null {
  const ext = path.extname(fileName).slice(1).toLowerCase();
  return fileTypes.find((t) => t.matches(bytes, ext)) ?? null;
}

export const isInline = (mime: string): boolean => fileTypes.some((t) => t.mime === mime && t.inline);

/** A file name fit for a header and a listing: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? "file";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return (clean || "file").slice(-200);
}

const STORAGE_NAME = /^[A-Za-z0-9_-]{24,64}$/;

const dirOf = (dataDir: string) => path.join(dataDir, "kb-attachments");

/** Writes the bytes under a new unguessable name; returns the name. */
export function storeFile(dataDir: string, bytes: Buffer): string {
  const dir = dirOf(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  const name = randomToken(24);
  fs.writeFileSync(path.join(dir, name), bytes, { flag: "wx" });
  return name;
}

export function storedFilePath(dataDir: string, storageName: string): string | null {
  if (!STORAGE_NAME.test(storageName)) return null;
  const file = path.join(dirOf(dataDir), storageName);
  return fs.existsSync(file) ? file : null;
}

export function removeFile(dataDir: string, storageName: string): void {
  const file = storedFilePath(dataDir, storageName);
  if (file) fs.rmSync(file, { force: true });
}
