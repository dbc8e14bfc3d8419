// The process-wide database handle for the web app (server only). `npm start` sets
// DATABASE_URL for `next start`; without it pages say how to start the app instead of failing.
import "server-only";
import type pg from "pg";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { connect, type Db } from "@/lib/db/client";
import { isStatementTimeout, statementTimeoutMs } from "@/lib/db/timeout";

export const NO_DATABASE_MESSAGE = "DATABASE_URL is not set: start the app with `npm start`";

const holder = globalThis as typeof globalThis & { __patchloreDb?: Db };

/** The shared Db, or null when DATABASE_URL is not set. */
export function getDb(): Db | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (!holder.__patchloreDb || holder.__patchloreDb.url !== url) {
    // statement timeout ($PATCHLORE_STATEMENT_TIMEOUT_MS, default 10 s): one slow page must not
    // hold a pool slot forever
    const db = connect(url, { max: 10, statementTimeoutMs: statementTimeoutMs() });
    // pool.query (it calls client.query with a callback, which the client wrapper leaves alone) and
    // clients checked out with pool.connect()
    wrapQuery(db.pool);
    db.pool.on("connect", (client) => wrapQuery(client));
    holder.__patchloreDb = db;
  }
  return holder.__patchloreDb;
}

const WRAPPED = Symbol("patchlore.timeoutWrapped");

/** wrapQuery: a query cancelled by the statement timeout (57014) becomes a redirect to /timeout, which
 * answers 504 with a clear page: a page component cannot set its own status, and a redirect is
 * the one answer Next lets any server component give. The thrown redirect keeps code 57014, so
 * route handlers that answer JSON catch it (isStatementTimeout) and send 504 themselves. */
function wrapQuery(target: pg.Pool | pg.PoolClient): void {
  const t = target as (pg.Pool | pg.PoolClient) & { [WRAPPED]?: true };
  if (t[WRAPPED]) return;
  t[WRAPPED] = true;
  const query = t.query.bind(t) as (...args: unknown[]) => unknown;
  (t as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const r = query(...args);
    // callback-style calls and submittables (cursors, COPY) are passed through untouched
    if (!r || typeof (r as Promise<unknown>).then !== "function" || typeof (r as { submit?: unknown }).submit === "function") return r;
    return (r as Promise<unknown>).catch(async (e: unknown) => {
      if (!isStatementTimeout(e)) throw e;
      // the page that timed out, for the "try again" link (proxy.ts passes it on)
      const from = await headers().then((h) => h.get("x-patchlore-url") ?? "", () => "");
      let redirectError: unknown;
      try {
        redirect(`/timeout${from ? `?from=${encodeURIComponent(from)}` : ""}`);
      } catch (re) {
        redirectError = re;
      }
      Object.assign(redirectError as object, { code: "57014", cause: e });
      throw redirectError;
    });
  };
}
