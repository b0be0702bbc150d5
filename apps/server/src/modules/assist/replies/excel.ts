import {
  type ImportRefusal,
  type ImportRefusalCode,
  type PlatformId,
  platformIds,
  platformLabels,
  type ReplyImportReport,
  replyExcelColumns,
  storeLabel,
} from "@yunxi/contracts";
import { and, eq, isNull, type SQL } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { newId } from "../../../platform/db/ids.ts";
import { AppError, badRequest, forbidden } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, canSeeStore, getOrg } from "../../identity/index.ts";
import { listOrgStores, type StoreRow } from "../../stores/index.ts";
import { categoryPaths, ensureCategoryPath, PATH_SEPARATOR, splitPath } from "../library/categories.ts";
import { appendLibraryChanged, type ChangeScope } from "../library/events.ts";
import { bumpRevision } from "../library/index-cache.ts";
import { canManageCategories, canManageShared } from "../library/policy.ts";
import { formatWallClock, instantOf, nextDay, previousDay, type WallClock, wallClockOf } from "../library/time.ts";
import { cannedReplies } from "../tables.ts";
import { normalizeKeywords } from "./search-vector.ts";
import { deriveTitle } from "./service.ts";

/**
 * The 话术库 spreadsheet as CS teams keep it: 分类 (a path, `鞋子/售后`), 关键词
 * (several, separated by `，` `,` `、` `;`), 平台 (`抖音`, empty for all), 店铺 (a store
 * name or `淘宝-旗舰店`), 话术内容; optionally 标题, 生效时间, 失效时间 (dates in the
 * org's time zone; a 失效时间 without a time means through that day).
 */
export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

type Column = (typeof replyExcelColumns)[number];

/** Header names teams use for each column. */
const headerAliases: Record<Column, string[]> = {
  分类: ["分类", "类目", "分组", "分类路径", "category"],
  关键词: ["关键词", "关键字", "快捷词", "快捷短语", "keyword", "keywords"],
  平台: ["平台", "platform"],
  店铺: ["店铺", "店铺名", "店铺名称", "store"],
  话术内容: ["话术内容", "话术", "内容", "回复内容", "text"],
  标题: ["标题", "名称", "title"],
  生效时间: ["生效时间", "开始时间", "生效日期", "valid from"],
  失效时间: ["失效时间", "结束时间", "截止时间", "失效日期", "valid until"],
};

const MAX_ROWS = 20_000;
const INSERT_CHUNK = 500;

const platformByName = new Map<string, PlatformId>();
for (const id of platformIds) {
  platformByName.set(id, id);
  platformByName.set(platformLabels[id]["zh-CN"].toLowerCase(), id);
  platformByName.set(platformLabels[id]["en-US"].toLowerCase(), id);
}
platformByName.set("天猫", "taobao");
platformByName.set("千牛", "taobao");
platformByName.set("抖店", "douyin");
platformByName.set("多多", "pdd");
const allPlatforms = new Set(["", "全部", "全平台", "通用", "所有平台", "all"]);

const keywordSeparator = /[,，、;；|\n]+/;

interface ParsedRow {
  row: number;
  categoryNames: string[];
  keywords: string[];
  platform: PlatformId | null;
  storeId: string | null;
  text: string;
  title: string;
  validFrom: Date | null;
  validUntil: Date | null;
}

class RowRefused extends Error {
  readonly code: ImportRefusalCode;
  readonly column: Column | null;
  readonly value: string | null;
  constructor(code: ImportRefusalCode, column: Column | null, value: string | null, message: string) {
    super(message);
    this.code = code;
    this.column = column;
    this.value = value;
  }
}

// ── Export ───────────────────────────────────────────────────────────────

/** The shared replies (supervisors and above) or my personal ones, as the spreadsheet. */
export async function exportReplies(ctx: AppContext, actor: Actor, personal: boolean): Promise<Buffer> {
  if (!personal && !canManageShared(actor)) throw forbidden("Only supervisors can export shared canned replies");
  const [rows, paths, stores, org] = await Promise.all([
    ctx.db
      .select()
      .from(cannedReplies)
      .where(and(eq(cannedReplies.orgId, actor.orgId), ownership(actor, personal))),
    categoryPaths(ctx.db, actor.orgId, "replies"),
    listOrgStores(ctx.db, actor.orgId),
    getOrg(ctx.db, actor.orgId),
  ]);
  const storesById = new Map(stores.map((s) => [s.id, s]));
  const visible = rows
    .filter((r) => r.storeId === null || canSeeStore(actor, r.storeId))
    .map((r) => ({ r, path: r.categoryId ? (paths.get(r.categoryId) ?? "") : "" }))
    .sort((a, b) => a.path.localeCompare(b.path, "zh-CN") || a.r.title.localeCompare(b.r.title, "zh-CN"));

  const workbook = new ExcelJS.Workbook();
  workbook.creator = "云席 Yunxi";
  const sheet = workbook.addWorksheet("话术库", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = replyExcelColumns.map((header) => ({
    header,
    key: header,
    width: header === "话术内容" ? 60 : header === "关键词" || header === "分类" ? 20 : 14,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const { r, path } of visible) {
    const store = r.storeId ? storesById.get(r.storeId) : undefined;
    sheet.addRow({
      分类: path,
      关键词: r.keywords.join("，"),
      平台: r.platform ? platformLabels[r.platform as PlatformId]["zh-CN"] : "",
      店铺: store?.name ?? "",
      话术内容: r.body,
      标题: r.title,
      生效时间: r.validFrom ? formatWallClock(wallClockOf(r.validFrom, org.timezone)) : "",
      失效时间: r.validUntil ? formatUntil(r.validUntil, org.timezone) : "",
    });
  }
  sheet.getColumn("话术内容").alignment = { wrapText: true, vertical: "top" };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** An end at midnight is written as the last day it covers (`2026-11-11` = through the 11th). */
function formatUntil(until: Date, timeZone: string): string {
  const wall = wallClockOf(until, timeZone);
  return wall.hour === 0 && wall.minute === 0 ? formatWallClock(previousDay(wall)) : formatWallClock(wall);
}

const ownership = (actor: Actor, personal: boolean): SQL =>
  personal ? eq(cannedReplies.ownerId, actor.userId) : isNull(cannedReplies.ownerId);

// ── Import ───────────────────────────────────────────────────────────────

/**
 * Import the spreadsheet: every good row is inserted in one transaction, every bad
 * row is reported with its row number and reason; rows equal to a reply that exists
 * already are left alone (an export imported again changes nothing).
 */
export async function importReplies(
  ctx: AppContext,
  actor: Actor,
  personal: boolean,
  bytes: Buffer,
): Promise<ReplyImportReport> {
  if (!personal && !canManageShared(actor)) throw forbidden("Only supervisors can import shared canned replies");
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    throw new AppError(415, "unsupported_media_type", "Not an Excel workbook (.xlsx)");
  }
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) throw badRequest("The workbook is empty");
  const header = findHeader(sheet);
  if (sheet.rowCount - header.row > MAX_ROWS) throw badRequest(`At most ${MAX_ROWS} rows per import`);

  const [stores, org, paths] = await Promise.all([
    listOrgStores(ctx.db, actor.orgId),
    getOrg(ctx.db, actor.orgId),
    categoryPaths(ctx.db, actor.orgId, "replies"),
  ]);
  const visibleStores = stores.filter((s) => canSeeStore(actor, s.id));
  const knownPaths = new Set(paths.values());
  const mayCreateCategories = canManageCategories(actor);

  const refused: ImportRefusal[] = [];
  const good: ParsedRow[] = [];
  const seen = new Set<string>();
  let rows = 0;
  for (let n = header.row + 1; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    const cell = (column: Column) => {
      const index = header.columns.get(column);
      return index === undefined ? null : row.getCell(index);
    };
    const values = replyExcelColumns.map((c) => cellText(cell(c)));
    if (values.every((v) => v === "")) continue;
    rows++;
    try {
      const parsed = parseRow(n, cell, visibleStores, org.timezone);
      const path = parsed.categoryNames.join(PATH_SEPARATOR);
      if (path && !mayCreateCategories && !knownPaths.has(path)) {
        throw new RowRefused("bad_category", "分类", path, "Unknown category (only supervisors create categories)");
      }
      const key = rowKey(parsed);
      if (seen.has(key))
        throw new RowRefused("duplicate_row", null, null, "The same reply appears earlier in the file");
      seen.add(key);
      good.push(parsed);
    } catch (err) {
      if (!(err instanceof RowRefused)) throw err;
      refused.push({ row: n, column: err.column, code: err.code, value: err.value, message: err.message });
    }
  }

  const { imported, unchanged, created, events } = await ctx.db.transaction(async (tx) => {
    const existing = await existingKeys(tx, actor, personal);
    const revision = await bumpRevision(tx, actor.orgId, "replies");
    const cache = new Map<string, string>();
    let createdCategories = 0;
    const values: (typeof cannedReplies.$inferInsert)[] = [];
    let same = 0;
    const scopes = new Map<string, ChangeScope>();
    for (const r of good) {
      const path = r.categoryNames.join(PATH_SEPARATOR);
      if (existing.has(rowKey(r, path))) {
        same++;
        continue;
      }
      const category = await ensureCategoryPath(tx, actor.orgId, "replies", r.categoryNames, cache);
      createdCategories += category.created;
      values.push({
        id: newId(),
        orgId: actor.orgId,
        ownerId: personal ? actor.userId : null,
        platform: r.platform,
        storeId: r.storeId,
        categoryId: category.id,
        title: r.title,
        keywords: r.keywords,
        body: r.text,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
        revision,
        createdBy: actor.userId,
        updatedBy: actor.userId,
      });
      scopes.set(`${r.storeId}|${r.platform}`, { storeId: r.storeId, platform: r.platform });
    }
    // Multi-row statements: PGlite pays per statement.
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      await tx.insert(cannedReplies).values(values.slice(i, i + INSERT_CHUNK));
    }
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "library.replies_imported",
      targetType: "canned_reply",
      details: { personal, rows, imported: values.length, unchanged: same, refused: refused.length },
    });
    return {
      imported: values.length,
      unchanged: same,
      created: createdCategories,
      events: values.length > 0 ? await appendLibraryChanged(tx, actor.orgId, "replies", [...scopes.values()]) : [],
    };
  });
  ctx.bus.publish(events);
  return { rows, imported, unchanged, categoriesCreated: created, refused };
}

function findHeader(sheet: ExcelJS.Worksheet): { row: number; columns: Map<Column, number> } {
  for (let n = 1; n <= Math.min(sheet.rowCount, 10); n++) {
    const columns = new Map<Column, number>();
    sheet.getRow(n).eachCell((cell, index) => {
      const name = cellText(cell).replace(/\s|\*/g, "").toLowerCase();
      for (const column of replyExcelColumns) {
        if (!columns.has(column) && headerAliases[column].some((a) => a.replace(/\s/g, "") === name)) {
          columns.set(column, index);
        }
      }
    });
    if (columns.has("话术内容")) return { row: n, columns };
  }
  throw badRequest(`No header row with a 话术内容 column (expected: ${replyExcelColumns.join(", ")})`);
}

/** A cell as text: rich text, formulas (their result) and hyperlinks alike; dates are read separately. */
function cellText(cell: ExcelJS.Cell | null): string {
  if (!cell || cell.value === null || cell.value === undefined) return "";
  if (cell.value instanceof Date) return cell.value.toISOString();
  return (cell.text ?? "").trim();
}

function parseRow(
  n: number,
  cell: (column: Column) => ExcelJS.Cell | null,
  stores: StoreRow[],
  timeZone: string,
): ParsedRow {
  const text = cellText(cell("话术内容")).replace(/\r\n/g, "\n");
  if (!text) throw new RowRefused("text_missing", "话术内容", null, "话术内容 is empty");
  if (text.length > 2000)
    throw new RowRefused("text_too_long", "话术内容", null, "话术内容 is longer than 2000 characters");

  const rawKeywords = cellText(cell("关键词"))
    .split(keywordSeparator)
    .map((k) => k.trim())
    .filter(Boolean);
  const long = rawKeywords.find((k) => k.length > 40);
  if (long) throw new RowRefused("keyword_too_long", "关键词", long, "A keyword is longer than 40 characters");
  if (rawKeywords.length > 20) throw new RowRefused("too_many_keywords", "关键词", null, "More than 20 keywords");
  const keywords = normalizeKeywords(rawKeywords);

  const platformText = cellText(cell("平台"));
  let platform: PlatformId | null = null;
  if (!allPlatforms.has(platformText.toLowerCase())) {
    platform = platformByName.get(platformText.toLowerCase()) ?? null;
    if (!platform) throw new RowRefused("unknown_platform", "平台", platformText, `Unknown platform ${platformText}`);
  }

  const storeText = cellText(cell("店铺"));
  let storeId: string | null = null;
  if (storeText) {
    const matches = stores.filter(
      (s) =>
        (s.name === storeText || storeLabel(s.platform as PlatformId, s.name) === storeText) &&
        (platform === null || s.platform === platform),
    );
    if (matches.length === 0) {
      const elsewhere = stores.some((s) => s.name === storeText);
      if (elsewhere && platform) {
        throw new RowRefused(
          "store_platform_mismatch",
          "店铺",
          storeText,
          `Store ${storeText} is not on ${platformText}`,
        );
      }
      throw new RowRefused("unknown_store", "店铺", storeText, `Unknown store ${storeText}`);
    }
    if (matches.length > 1) {
      throw new RowRefused("ambiguous_store", "店铺", storeText, `Several stores are named ${storeText}: add 平台`);
    }
    storeId = matches[0]!.id;
    platform = matches[0]!.platform as PlatformId;
  }

  const validFrom = readDate(cell("生效时间"), "生效时间", timeZone, "start");
  const validUntil = readDate(cell("失效时间"), "失效时间", timeZone, "end");
  if (validFrom && validUntil && validUntil <= validFrom) {
    throw new RowRefused("window_empty", "失效时间", cellText(cell("失效时间")), "失效时间 is not after 生效时间");
  }

  const titleText = cellText(cell("标题"));
  if (titleText.length > 100)
    throw new RowRefused("title_too_long", "标题", null, "标题 is longer than 100 characters");
  const categoryNames = splitPath(cellText(cell("分类")));
  if (categoryNames.length > 5 || categoryNames.some((c) => c.length > 40)) {
    throw new RowRefused(
      "bad_category",
      "分类",
      cellText(cell("分类")),
      "分类 nests more than 5 levels or a name is too long",
    );
  }
  return {
    row: n,
    categoryNames,
    keywords,
    platform,
    storeId,
    text,
    title: deriveTitle(titleText, keywords, text),
    validFrom,
    validUntil,
  };
}

const datePattern =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?$/;

/** A date cell: an Excel date (its wall clock, in the org's zone), a serial number, or text. */
function readDate(cell: ExcelJS.Cell | null, column: Column, timeZone: string, edge: "start" | "end"): Date | null {
  if (!cell || cell.value === null || cell.value === undefined || cellText(cell) === "") return null;
  let wall: WallClock | null = null;
  let dateOnly = false;
  const value = cell.value;
  if (value instanceof Date) {
    // Excel stores no zone: exceljs reads the wall clock as if it were UTC.
    wall = {
      year: value.getUTCFullYear(),
      month: value.getUTCMonth() + 1,
      day: value.getUTCDate(),
      hour: value.getUTCHours(),
      minute: value.getUTCMinutes(),
    };
    dateOnly = wall.hour === 0 && wall.minute === 0;
  } else if (typeof value === "number" && value > 20_000 && value < 80_000) {
    const d = new Date(Math.round((value - 25_569) * 86_400_000));
    wall = {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    };
    dateOnly = wall.hour === 0 && wall.minute === 0;
  } else {
    const m = datePattern.exec(cellText(cell));
    if (m) {
      wall = {
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: m[4] ? Number(m[4]) : 0,
        minute: m[5] ? Number(m[5]) : 0,
      };
      dateOnly = !m[4];
    }
  }
  if (!wall || !isRealDate(wall)) throw new RowRefused("bad_date", column, cellText(cell), `${column} is not a date`);
  // "Until 2026-11-11" means through that day: the reply disappears at the next midnight.
  if (edge === "end" && dateOnly) wall = nextDay(wall);
  return instantOf(wall, timeZone);
}

function isRealDate(w: WallClock): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
  return (
    w.year >= 2000 &&
    w.year <= 2100 &&
    d.getUTCMonth() === w.month - 1 &&
    d.getUTCDate() === w.day &&
    w.hour < 24 &&
    w.minute < 60
  );
}

/** What makes two replies the same for an import: scope, category, keywords, title, text and window. */
function rowKey(
  r: Pick<ParsedRow, "storeId" | "platform" | "keywords" | "text" | "title" | "validFrom" | "validUntil"> & {
    categoryNames?: string[];
  },
  path = r.categoryNames?.join(PATH_SEPARATOR) ?? "",
): string {
  return JSON.stringify([
    r.storeId,
    r.storeId ? null : r.platform,
    path,
    [...r.keywords].sort(),
    r.title,
    r.text,
    r.validFrom?.getTime() ?? null,
    r.validUntil?.getTime() ?? null,
  ]);
}

async function existingKeys(tx: Executor, actor: Actor, personal: boolean): Promise<Set<string>> {
  const [rows, paths] = await Promise.all([
    tx
      .select()
      .from(cannedReplies)
      .where(and(eq(cannedReplies.orgId, actor.orgId), ownership(actor, personal))),
    categoryPaths(tx, actor.orgId, "replies"),
  ]);
  return new Set(
    rows.map((r) =>
      rowKey(
        {
          storeId: r.storeId,
          platform: r.platform as PlatformId | null,
          keywords: r.keywords,
          text: r.body,
          title: r.title,
          validFrom: r.validFrom,
          validUntil: r.validUntil,
        },
        r.categoryId ? (paths.get(r.categoryId) ?? "") : "",
      ),
    ),
  );
}
