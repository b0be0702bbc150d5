/**
 * Whether a database error is a unique violation (SQLSTATE 23505), optionally of one
 * constraint. Drizzle wraps driver errors ("Failed query: …") with the driver's
 * error as `cause`; node-postgres and PGlite both carry `code` and `constraint`.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === "23505") return constraint === undefined || name === constraint;
  }
  return false;
}
