import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { consumeOrg } from "./consumer.ts";
import { rebuildRollups } from "./rebuild.ts";
import { analyticsSnapshot, analyticsWorld, buyerWrites, rollupTotals, serviceDay } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * The rollups are kept live from the event log and can be rebuilt from raw rows; both
 * must give the same rows exactly, and a consumer that dies half-way must resume
 * where it stopped without counting anything twice.
 */
describe.runIf(run)(`analytics rollups: live, rebuilt, resumed (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T01:00:00Z"); // 09:00 in Shanghai, a Tuesday
  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
  });
  afterAll(() => t?.close());

  const wholeDay = () => ({ from: new Date("2026-11-30T16:00:00Z"), to: new Date("2026-12-02T16:00:00Z") });

  it("counts a service day live, and a rebuild of the range changes nothing", async () => {
    const w = await analyticsWorld(t, ctx);
    await serviceDay(ctx, w, tick, { consume: true });
    const live = await analyticsSnapshot(ctx, w.orgId);
    const totals = await rollupTotals(ctx, w.orgId);
    expect(totals).toMatchObject({
      conversations: 5,
      inbound_msgs: 6,
      human_msgs: 3,
      bot_msgs: 2,
      handled: 3,
      rounds: 6,
      rounds_answered: 4,
      rounds_3m: 3, // 40 s, the bot's 5 s and 2 s; not the complaint's 10 min
      bot_rounds: 2,
      human_needed: 5,
      human_answered: 3,
      human_answered_3m: 1,
      bot_conversations: 1,
      handovers: 1,
      complaints: 1,
      sla_breaches: 1,
      resolved: 3,
      evaluations: 2,
      eval_satisfied: 1,
      consult_buyers: 5,
      converted_buyers: 2, // tb_小鹿 on Taobao, jd_小鹿 on JD
      paid_orders: 2,
      repeat_orders: 1,
      qc_checked: 3,
    });
    expect(live.conversations.length).toBe(5);

    const result = await rebuildRollups(ctx, w.orgId, wholeDay().from, wholeDay().to);
    expect(result.changed).toBe(0);
    expect(result.dropped).toBe(0);
    expect(await analyticsSnapshot(ctx, w.orgId)).toEqual(live);
  });

  it("rebuilds everything from raw rows alone: the same rows as live, exactly", async () => {
    const w = await analyticsWorld(t, ctx);
    clock = new Date("2026-12-01T01:00:00Z");
    await serviceDay(ctx, w, tick, { consume: true });
    const live = await analyticsSnapshot(ctx, w.orgId);
    const presence = await queryRows(
      ctx.db,
      sql`SELECT user_id, status, started_at::text, ended_at::text FROM analytics_presence
          WHERE org_id = ${w.orgId} ORDER BY user_id, started_at`,
    );
    // Each agent: online, away (idle 5 min, the workspace sweep), offline (away 30 min).
    expect(presence.map((p) => (p as { status: string }).status)).toEqual([
      "online",
      "away",
      "offline",
      "online",
      "away",
      "offline",
    ]);
    for (const table of [
      "analytics_facts",
      "analytics_minute_rollups",
      "analytics_daily_rollups",
      "analytics_agent_days",
      "analytics_store_minutes",
      "analytics_store_days",
      "analytics_store_agent_days",
      "analytics_store_intent_days",
      "analytics_question_days",
      "analytics_conversations",
      "analytics_presence",
    ]) {
      await ctx.db.execute(sql`DELETE FROM ${sql.raw(table)} WHERE org_id = ${w.orgId}`);
    }
    expect((await analyticsSnapshot(ctx, w.orgId)).rollups).toEqual([]);
    expect(live.daily.length).toBeGreaterThan(0);
    expect(live.agentDays.length).toBe(2);
    // The narrower levels are filled too: two stores of one day, and the five conversations' first lines.
    expect(live.storeDays.map((r) => r.day)).toEqual([live.daily[0]?.day, live.daily[0]?.day]);
    expect(live.storeMinutes.length).toBeGreaterThan(0);
    expect(live.storeAgentDays.length).toBeGreaterThan(0);
    expect(live.storeIntentDays.length).toBeGreaterThan(0);
    expect(live.questionDays.length).toBe(5);
    const result = await rebuildRollups(ctx, w.orgId, wholeDay().from, wholeDay().to);
    expect(result.conversations).toBe(5);
    expect(await analyticsSnapshot(ctx, w.orgId)).toEqual(live);
    expect(
      await queryRows(
        ctx.db,
        sql`SELECT user_id, status, started_at::text, ended_at::text FROM analytics_presence
            WHERE org_id = ${w.orgId} ORDER BY user_id, started_at`,
      ),
    ).toEqual(presence);
  });

  it("rebuilds a partial range without touching what lies outside it", async () => {
    const w = await analyticsWorld(t, ctx);
    clock = new Date("2026-12-01T01:00:00Z");
    await serviceDay(ctx, w, tick, { consume: true });
    const live = await analyticsSnapshot(ctx, w.orgId);
    // Corrupt the rollups of one hour, then rebuild just that hour.
    const from = new Date("2026-12-01T01:00:00Z");
    const to = new Date("2026-12-01T02:00:00Z");
    await ctx.db.execute(
      sql`UPDATE analytics_minute_rollups SET inbound_msgs = inbound_msgs + 100
          WHERE org_id = ${w.orgId} AND minute >= ${from.toISOString()}::timestamptz AND minute < ${to.toISOString()}::timestamptz`,
    );
    // … and the narrower levels: the hour's store minutes, the day's rows, its first lines.
    await ctx.db.execute(
      sql`UPDATE analytics_store_minutes SET inbound_msgs = inbound_msgs + 100
          WHERE org_id = ${w.orgId} AND minute >= ${from.toISOString()}::timestamptz AND minute < ${to.toISOString()}::timestamptz`,
    );
    for (const table of ["analytics_store_days", "analytics_store_agent_days", "analytics_store_intent_days"]) {
      await ctx.db.execute(
        sql`UPDATE ${sql.raw(table)} SET inbound_msgs = inbound_msgs + 100 WHERE org_id = ${w.orgId}`,
      );
    }
    await ctx.db.execute(
      sql`UPDATE analytics_question_days SET conversations = conversations + 1 WHERE org_id = ${w.orgId}`,
    );
    expect(await analyticsSnapshot(ctx, w.orgId)).not.toEqual(live);
    await rebuildRollups(ctx, w.orgId, from, to);
    expect(await analyticsSnapshot(ctx, w.orgId)).toEqual(live);
  });

  it("resumes after a crash exactly where it stopped: same totals, nothing counted twice", async () => {
    const w = await analyticsWorld(t, ctx);
    clock = new Date("2026-12-01T01:00:00Z");
    await serviceDay(ctx, w, tick, { consume: false }); // events logged, nothing consumed yet
    const cursor = async () =>
      Number(
        (
          await queryRows<{ last_seq: string }>(
            ctx.db,
            sql`SELECT last_seq FROM analytics_cursors WHERE org_id = ${w.orgId}`,
          )
        )[0]?.last_seq ?? 0,
      );
    const events = await queryRows<{ seq: string }>(
      ctx.db,
      sql`SELECT seq FROM realtime_events WHERE org_id = ${w.orgId} ORDER BY seq`,
    );
    expect(events.length).toBeGreaterThan(20);

    // Two batches of five events, then a crash in the middle of the third (after its rollups were written).
    expect(await consumeOrg(ctx, w.orgId, { batchSize: 5, maxBatches: 2 })).toBe(10);
    const afterTwo = await cursor();
    expect(afterTwo).toBe(Number(events[9]!.seq));
    const before = await analyticsSnapshot(ctx, w.orgId);
    await expect(
      consumeOrg(ctx, w.orgId, {
        batchSize: 5,
        beforeCommit: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(await cursor()).toBe(afterTwo);
    expect(await analyticsSnapshot(ctx, w.orgId)).toEqual(before);

    // Restarted: it takes up at the next event and goes to the end.
    expect(await consumeOrg(ctx, w.orgId, { batchSize: 5 })).toBe(events.length - 10);
    expect(await cursor()).toBe(Number(events.at(-1)!.seq));
    const resumed = await analyticsSnapshot(ctx, w.orgId);
    expect(await consumeOrg(ctx, w.orgId)).toBe(0);

    // The truth: the same day rebuilt from raw rows.
    for (const table of [
      "analytics_facts",
      "analytics_minute_rollups",
      "analytics_daily_rollups",
      "analytics_store_minutes",
      "analytics_store_days",
      "analytics_store_agent_days",
      "analytics_store_intent_days",
      "analytics_question_days",
      "analytics_conversations",
    ]) {
      await ctx.db.execute(sql`DELETE FROM ${sql.raw(table)} WHERE org_id = ${w.orgId}`);
    }
    await rebuildRollups(ctx, w.orgId, wholeDay().from, wholeDay().to);
    expect(resumed).toEqual(await analyticsSnapshot(ctx, w.orgId));
    expect((await rollupTotals(ctx, w.orgId)).conversations).toBe(5);

    // Even a lost position (replaying the whole log) counts nothing twice.
    await ctx.db.execute(sql`UPDATE analytics_cursors SET last_seq = 0 WHERE org_id = ${w.orgId}`);
    await consumeOrg(ctx, w.orgId, { batchSize: 7 });
    expect(await analyticsSnapshot(ctx, w.orgId)).toEqual(resumed);
  });

  it("keeps each org's rollups to itself", async () => {
    const one = await analyticsWorld(t, ctx);
    const two = await analyticsWorld(t, ctx);
    await buyerWrites(ctx, one.taobao, "tb_甲", "你好");
    await consumeOrg(ctx, one.orgId);
    await consumeOrg(ctx, two.orgId);
    expect((await rollupTotals(ctx, one.orgId)).conversations).toBe(1);
    expect((await rollupTotals(ctx, two.orgId)).conversations).toBe(0);
  });
});
