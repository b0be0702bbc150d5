import type {
  AutoReplyMode,
  AutoReplyRules,
  AutoReplyTemplates,
  Intent,
  UpdateAutoReplyRulesRequest,
} from "@yunxi/contracts";
import { and, eq, inArray } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId } from "../../../platform/db/ids.ts";
import { notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, canSeeStore } from "../../identity/index.ts";
import { listOrgStores } from "../../stores/index.ts";
import { assertCanChangeRules } from "./policy.ts";
import { autoReplyRules } from "./tables.ts";

/** What a store answers until a supervisor changes it: off, the two shipping questions, sensible words. */
export const defaultIntents: Intent[] = ["物流-发货时间", "物流-物流查询"];
export const DEFAULT_CONFIDENCE = 0.6;
export const DEFAULT_MAX_CONSECUTIVE = 2;

export const defaultTemplates: AutoReplyTemplates = {
  unpaid: "亲，您的订单{订单号}（{商品名}）还没有付款哦～付款后我们会尽快为您安排发货，有其他问题随时找我们。",
  paid: "亲，您的订单{订单号}（{商品名}）已付款，仓库正在备货，会在{承诺发货时间}前为您发货，请耐心等待哦～",
  shipped: "亲，您的订单{订单号}已经发货啦：{快递公司}，运单号{快递单号}。最新物流：{物流进度}",
  delivered:
    "亲，您的订单{订单号}显示已签收（{快递公司} {快递单号}）：{物流进度}。如果没有收到包裹，请回复“人工”，客服马上为您核实。",
  completed: "亲，您的订单{订单号}已完成交易，感谢支持！如需售后请回复“人工”。",
  closed: "亲，您的订单{订单号}已关闭，不会再发货哦；如果还需要{商品名}，可以重新下单～",
  refunding: "亲，您的订单{订单号}正在退款处理中，我们会尽快处理，请耐心等待～",
  refunded: "亲，您的订单{订单号}已退款成功，款项会原路退回，请留意到账哦～",
};

export const defaultAskWhichOrder =
  "亲，查到您有以下几笔订单，请问您问的是哪一笔呢？回复序号或订单号即可：\n{订单列表}";

export function defaultRules(storeId: string): AutoReplyRules {
  return {
    storeId,
    enabled: false,
    intents: [...defaultIntents],
    confidenceThreshold: DEFAULT_CONFIDENCE,
    mode: "always",
    dryRun: false,
    maxConsecutive: DEFAULT_MAX_CONSECUTIVE,
    templates: { ...defaultTemplates },
    askWhichOrder: defaultAskWhichOrder,
    updatedAt: null,
  };
}

type RulesRow = typeof autoReplyRules.$inferSelect;

function presentRules(row: RulesRow): AutoReplyRules {
  return {
    storeId: row.storeId,
    enabled: row.enabled,
    intents: row.intents as Intent[],
    confidenceThreshold: row.confidenceThreshold,
    mode: row.mode as AutoReplyMode,
    dryRun: row.dryRun,
    maxConsecutive: row.maxConsecutive,
    // A status added later keeps its default until someone writes one.
    templates: { ...defaultTemplates, ...(row.templates as Partial<AutoReplyTemplates>) },
    askWhichOrder: row.askWhichOrder,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The rules of the given stores of an org, defaults where none are saved. */
export async function rulesOfStores(
  db: Executor,
  orgId: string,
  storeIds: string[],
): Promise<Map<string, AutoReplyRules>> {
  const map = new Map(storeIds.map((id) => [id, defaultRules(id)]));
  if (storeIds.length === 0) return map;
  const rows = await db
    .select()
    .from(autoReplyRules)
    .where(and(eq(autoReplyRules.orgId, orgId), inArray(autoReplyRules.storeId, storeIds)));
  for (const row of rows) map.set(row.storeId, presentRules(row));
  return map;
}

export async function rulesOfStore(db: Executor, orgId: string, storeId: string): Promise<AutoReplyRules> {
  return (await rulesOfStores(db, orgId, [storeId])).get(storeId)!;
}

/** The stores of an org whose bot is on (read inside the triage transaction: one small query). */
export async function enabledStoreIds(db: Executor, orgId: string): Promise<Set<string>> {
  const rows = await db
    .select({ storeId: autoReplyRules.storeId })
    .from(autoReplyRules)
    .where(and(eq(autoReplyRules.orgId, orgId), eq(autoReplyRules.enabled, true)));
  return new Set(rows.map((r) => r.storeId));
}

/** The rules of every store the actor can see. */
export async function listRules(db: Executor, actor: Actor): Promise<AutoReplyRules[]> {
  const stores = (await listOrgStores(db, actor.orgId)).filter((s) => canSeeStore(actor, s.id));
  const map = await rulesOfStores(
    db,
    actor.orgId,
    stores.map((s) => s.id),
  );
  return [...map.values()];
}

/** Change a store's rules (supervisors and above), recorded in the audit log. */
export async function updateRules(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  input: UpdateAutoReplyRulesRequest,
): Promise<AutoReplyRules> {
  assertCanChangeRules(actor);
  return ctx.db.transaction(async (tx) => {
    const stores = await listOrgStores(tx, actor.orgId);
    if (!isId(storeId) || !stores.some((s) => s.id === storeId) || !canSeeStore(actor, storeId)) {
      throw notFound("Store");
    }
    const current = await rulesOfStore(tx, actor.orgId, storeId);
    const templates = { ...current.templates };
    for (const [status, text] of Object.entries(input.templates ?? {})) {
      if (text !== undefined) templates[status as keyof AutoReplyTemplates] = text;
    }
    const next: AutoReplyRules = {
      ...current,
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.intents !== undefined && { intents: [...new Set(input.intents)] }),
      ...(input.confidenceThreshold !== undefined && { confidenceThreshold: input.confidenceThreshold }),
      ...(input.mode !== undefined && { mode: input.mode }),
      ...(input.dryRun !== undefined && { dryRun: input.dryRun }),
      ...(input.maxConsecutive !== undefined && { maxConsecutive: input.maxConsecutive }),
      ...(input.askWhichOrder !== undefined && { askWhichOrder: input.askWhichOrder }),
      templates,
    };
    const now = ctx.now();
    const values = {
      orgId: actor.orgId,
      storeId,
      enabled: next.enabled,
      intents: next.intents,
      confidenceThreshold: next.confidenceThreshold,
      mode: next.mode,
      dryRun: next.dryRun,
      maxConsecutive: next.maxConsecutive,
      templates: next.templates,
      askWhichOrder: next.askWhichOrder,
      updatedBy: actor.userId,
      updatedAt: now,
    };
    await tx
      .insert(autoReplyRules)
      .values(values)
      .onConflictDoUpdate({ target: [autoReplyRules.orgId, autoReplyRules.storeId], set: values });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "autoreply.updated",
      targetType: "store",
      targetId: storeId,
      details: { ...input },
    });
    return { ...next, updatedAt: now.toISOString() };
  });
}

/**
 * Switch the bot on with the default rules for the given stores, as an operator
 * setting up an org (the `npm start` demo); stores that have rules keep them.
 */
export async function enableDefaultRules(db: Executor, orgId: string, storeIds: string[]): Promise<void> {
  for (const storeId of storeIds) {
    const rules = defaultRules(storeId);
    await db
      .insert(autoReplyRules)
      .values({
        orgId,
        storeId,
        enabled: true,
        intents: rules.intents,
        confidenceThreshold: rules.confidenceThreshold,
        mode: rules.mode,
        dryRun: rules.dryRun,
        maxConsecutive: rules.maxConsecutive,
        templates: rules.templates,
        askWhichOrder: rules.askWhichOrder,
        updatedBy: null,
      })
      .onConflictDoNothing();
  }
}
