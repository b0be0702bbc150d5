import { createHash } from "node:crypto";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { auditLog } from "./tables.ts";

export interface AuditEntry {
  orgId: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

const GENESIS = "0".repeat(64);

/** JSON with keys sorted at every level: jsonb does not keep key order, the hash must not depend on it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

function entryHash(prevHash: string, e: AuditEntry, createdAt: string): string {
  const content = canonicalJson([
    prevHash,
    e.orgId,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId ?? null,
    e.details ?? {},
    e.ip ?? null,
    createdAt,
  ]);
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Append to the org's chain inside the caller's transaction. The advisory lock
 * serializes writers of one org so two entries never share a predecessor.
 */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(7112, hashtext(${entry.orgId}))`);
  const last = await queryRows<{ hash: string }>(
    tx,
    sql`SELECT hash FROM audit_log WHERE org_id = ${entry.orgId} ORDER BY id DESC LIMIT 1`,
  );
  const prevHash = last[0]?.hash ?? GENESIS;
  const createdAt = new Date().toISOString();
  await tx.insert(auditLog).values({
    orgId: entry.orgId,
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
    ip: entry.ip ?? null,
    createdAt: new Date(createdAt),
    prevHash,
    hash: entryHash(prevHash, entry, createdAt),
  });
}

/** Recompute the chain; returns the id of the first entry that does not match, or null if intact. */
export async function verifyChain(db: Executor, orgId: string): Promise<number | null> {
  const rows = await queryRows<{
    id: string | number;
    actor_id: string | null;
    action: string;
    target_type: string;
    target_id: string | null;
    details: unknown;
    ip: string | null;
    created_at: string | Date;
    prev_hash: string;
    hash: string;
  }>(db, sql`SELECT * FROM audit_log WHERE org_id = ${orgId} ORDER BY id`);
  let prev = GENESIS;
  for (const r of rows) {
    const details = (typeof r.details === "string" ? JSON.parse(r.details) : r.details) as Record<string, unknown>;
    const createdAt = new Date(r.created_at).toISOString();
    const expected = entryHash(
      prev,
      {
        orgId,
        actorId: r.actor_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        details,
        ip: r.ip,
      },
      createdAt,
    );
    if (r.prev_hash !== prev || r.hash !== expected) return Number(r.id);
    prev = r.hash;
  }
  return null;
}
