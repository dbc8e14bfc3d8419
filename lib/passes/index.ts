// The cross-message passes, in their one order. Ingest (after the messages of a run are stored),
// reindex (after every message was analyzed again) and tests all call runPasses; no pass calls
// another.
//
//   1. series    thread -> series, patches in order, covers, version lines   (lib/series)
//   2. reviews   trailers, verdicts, anchored comments, resolution            (lib/review)
//                 (reads the series just written, in the same transaction)
//   3. knowledge decision -> the series/patch it decides, report -> its patch (lib/knowledge)
//   4. people    addresses of one person -> person.canonical_id               (lib/people)
//   5. proposals lines of design work across series, threads and years      (lib/proposals)
//   6. upstream  patches -> the upstream commits they became, by patch-id   (lib/upstream)
//
// Passes 1 and 2 are per thread: they run over the threads whose messages changed (thread.dirty,
// set by the writer), a chunk of threads per transaction under the store lock, and the chunk's
// dirty flag is cleared in that transaction; so a crash leaves the rest dirty for the next run.
// Passes 3-6 then run over the scope: the threads that were dirty when the run began, or all.
import type pg from "pg";
import type { Db } from "../db/client";
import { transaction } from "../db/tx";
import { updateSeries } from "./series";
import { updateReviews } from "./reviews";
import { linkKnowledge } from "./knowledge-links";
import { derivePeople } from "./people";
import { deriveProposals } from "./proposals";
import { matchExact } from "./upstream";

/** What the passes run over: the threads an ingest touched, or everything (reindex). */
export type PassScope = { threadIds: number[] } | { all: true };

/** A pass over a chunk of threads, inside the chunk's transaction. */
export interface ThreadPass {
  name: string;
  run(tx: pg.PoolClient, threadIds: number[]): Promise<unknown>;
}

/** A pass over the scope, with its own transactions. */
export interface ScopePass {
  name: string;
  run(db: Db, scope: PassScope): Promise<unknown>;
}

export const THREAD_PASSES: readonly ThreadPass[] = [
  { name: "series", run: (tx, ids) => updateSeries(tx, ids) },
  { name: "reviews", run: (tx, ids) => updateReviews(tx, ids) },
];

export const SCOPE_PASSES: readonly ScopePass[] = [
  { name: "knowledge", run: (db, s) => linkKnowledge(db.pool, "all" in s ? { all: true } : { threadIds: s.threadIds }) },
  { name: "people", run: (db) => derivePeople(db) },
  { name: "proposals", run: async (db, s) => ("all" in s ? deriveProposals(db.pool) : s.threadIds.length ? deriveProposals(db.pool, { threadIds: s.threadIds }) : null) },
  // set-based over every stored commit: cheap, and nothing to do before `commits import`
  { name: "upstream", run: (db) => matchExact(db) },
];

export interface PassReport {
  name: string;
  ms: number;
  result: unknown;
}

export interface RunPassesOptions {
  /** threads per transaction of the thread passes (default 500) */
  chunk?: number;
  /** thread passes: threads done, threads left */
  onThreads?: (done: number, left: number) => void;
  /** after each pass */
  onPass?: (p: PassReport) => void;
}

export interface RunPassesResult {
  /** threads the thread passes derived */
  threads: number;
  passes: PassReport[];
}

/** The threads whose messages changed since the passes last ran over them. */
export async function dirtyThreads(db: Db): Promise<number[]> {
  const { rows } = await db.pool.query(`SELECT id FROM thread WHERE dirty ORDER BY id`);
  return rows.map((r) => r.id as number);
}

/** Runs every pass in the one order (see the file comment). */
export async function runPasses(db: Db, scope: PassScope, o: RunPassesOptions = {}): Promise<RunPassesResult> {
  const passes: PassReport[] = [];
  const timed = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    const result = await fn();
    const p = { name, ms: performance.now() - t0, result };
    passes.push(p);
    o.onPass?.(p);
  };
  let threads = 0;
  await timed(THREAD_PASSES.map((p) => p.name).join("+"), async () => {
    threads = await runThreadPasses(db, o);
    return { threads };
  });
  for (const p of SCOPE_PASSES) await timed(p.name, () => p.run(db, scope));
  return { threads, passes };
}

async function runThreadPasses(db: Db, o: RunPassesOptions): Promise<number> {
  const chunk = o.chunk ?? 500;
  let done = 0;
  for (;;) {
    const ids = await transaction(db.pool, async (tx) => {
      const { rows } = await tx.query(`SELECT id FROM thread WHERE dirty ORDER BY id LIMIT $1`, [chunk]);
      const ids = rows.map((r) => r.id as number);
      if (!ids.length) return ids;
      for (const p of THREAD_PASSES) await p.run(tx, ids);
      await tx.query(`UPDATE thread SET dirty = false WHERE id = ANY($1::int[])`, [ids]);
      return ids;
    }, { lock: true });
    if (!ids.length) return done;
    done += ids.length;
    if (o.onThreads) {
      const { rows: [{ n }] } = await db.pool.query(`SELECT count(*)::int AS n FROM thread WHERE dirty`);
      o.onThreads(done, n);
    }
  }
}
