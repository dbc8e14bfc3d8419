// The process-wide database handle for the web app (server only). `npm start` sets
// DATABASE_URL for `next start`; without it pages say how to start the app instead of failing.
import "server-only";
import { connect, type Db } from "@/lib/db/client";

export const NO_DATABASE_MESSAGE = "DATABASE_URL is not set: start the app with `npm start`";

const holder = globalThis as typeof globalThis & { __patchloreDb?: Db };

/** The shared Db, or null when DATABASE_URL is not set. */
export function getDb(): Db | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (!holder.__patchloreDb || holder.__patchloreDb.url !== url) {
    // statement timeout: one slow page must not hold a pool slot forever
    holder.__patchloreDb = connect(url, { max: 10, statementTimeoutMs: 30_000 });
  }
  return holder.__patchloreDb;
}
