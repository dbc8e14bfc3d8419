// PostgreSQL's statement timeout (SQLSTATE 57014, query_canceled) as the web app meets it: the
// default for its pool, and a test for the error however deeply a driver or Prisma wrapped it.

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;
export const STATEMENT_TIMEOUT_ENV = "PATCHLORE_STATEMENT_TIMEOUT_MS";

/** $PATCHLORE_STATEMENT_TIMEOUT_MS, default 10 s; 0 turns it off. */
export function statementTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const v = env[STATEMENT_TIMEOUT_ENV];
  if (v === undefined || v === "") return DEFAULT_STATEMENT_TIMEOUT_MS;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${STATEMENT_TIMEOUT_ENV}: not a number of milliseconds: ${v}`);
  return n;
}

/** True for a statement cancelled by statement_timeout (57014), also when wrapped (cause chains). */
export function isStatementTimeout(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && typeof x === "object" && depth < 8; depth++) {
    const o = x as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if (o.code === "57014" || o.originalCode === "57014") return true;
    if (typeof o.message === "string" && /canceling statement due to statement timeout/.test(o.message)) return true;
    x = o.cause;
  }
  return false;
}
