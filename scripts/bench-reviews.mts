// `npm run bench:reviews`: the review pass of the derive step (lib/passes/reviews updateReviews)
// over every thread of an archive, timed, with a digest of every row it writes.
//
//   npx tsx scripts/bench-reviews.mts [--source /tmp/mmc.git] [--bundle <linux-mmc-0.bundle>]
//        [--database-url <url>] [--data-dir <dir>] [--chunk 500] [--runs 1] [--limit <threads>]
//        [--fresh] [--sql]
//
// The database: --database-url (an existing one; ingested when it holds no message), else an
// embedded PostgreSQL in --data-dir (kept, and reused by the next run: the ingest is done once),
// else a throwaway one in the temporary directory. The archive (ingested once) is --source, a git
// archive cloned from --bundle when missing.
//
// Then updateReviews runs over all threads in chunks of --chunk thread ids (as deriveDirtyThreads
// does: one transaction per chunk), and prints the total, ms/thread, the breakdown (SQL reads,
// diff parsing, analyzeThread + rows, resolution, SQL writes) and a digest of the rows written
// (trailer, patch_trailer, review, discussion, review_comment; contents without ids, ids that point
// at other rows replaced by what they point at), so a change can be checked to leave the output
// as it was. --fresh empties the review tables before each run (the first derive of an ingest: no
// old rows to delete); without it every thread's rows are replaced (a re-derive). --sql prints the
// time per statement (statements are pipelined: a statement's time includes waiting for those
// before it). Profile with: node --cpu-prof --import tsx scripts/bench-reviews.mts --data-dir …
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connect, type Db } from "../lib/db/client";
import { startEmbedded, withDatabase, type EmbeddedServer } from "../ingest/postgres/embedded";
import { ensureMigrated } from "../ingest/postgres/open";
import { newReviewTimings, updateReviews, type ReviewTimings } from "../lib/passes/reviews";
import { ingestSource } from "../ingest/pipeline";
import { arg, flag } from "./args";


const SOURCE = arg("source", "/tmp/mmc.git")!;
const BUNDLE = arg("bundle", "/work/shared/corpora/linux-mmc-0.bundle")!;
const CHUNK = Number(arg("chunk", "500"));
const RUNS = Number(arg("runs", "1"));
const LIMIT = arg("limit") ? Number(arg("limit")) : null;
/** --sql: time every statement updateReviews sends (by its first words) */
const SQL = flag("sql");
const FRESH = flag("fresh");
const sqlTimes = new Map<string, { n: number; ms: number }>();

/** the client, its queries timed by statement */
function timed(client: pg.PoolClient): pg.PoolClient {
  if (!SQL) return client;
  return new Proxy(client, {
    get(target, prop, recv) {
      if (prop !== "query") return Reflect.get(target, prop, recv);
      return async (text: string, values?: unknown[]) => {
        const t0 = performance.now();
        try {
          return await target.query(text, values);
        } finally {
          const k = text.replace(/\s+/g, " ").trim().slice(0, 90);
          const e = sqlTimes.get(k) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += performance.now() - t0;
          sqlTimes.set(k, e);
        }
      };
    },
  });
}

const log = (s: string) => process.stderr.write(`${s}\n`);

async function openDb(): Promise<{ db: Db; url: string; server: EmbeddedServer | null; cleanup: () => void }> {
  const given = arg("database-url");
  if (given) {
    await ensureMigrated(given);
    return { db: connect(given), url: given, server: null, cleanup: () => {} };
  }
  const keep = arg("data-dir");
  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), "patchlore-bench-reviews-"));
  const server = await startEmbedded({ dataDir: path.join(dir, "pgdata"), durable: false });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'bench'`);
  if (!rowCount) await admin.query(`CREATE DATABASE bench`);
  await admin.end();
  const url = withDatabase(server.url, "bench");
  await ensureMigrated(url);
  return { db: connect(url), url, server, cleanup: () => (keep ? undefined : fs.rmSync(dir, { recursive: true, force: true })) };
}

async function ensureIngested(db: Db): Promise<void> {
  const { rows: [{ n }] } = await db.pool.query(`SELECT count(*)::int AS n FROM message`);
  if (n > 0) {
    log(`database holds ${n} messages: not ingesting`);
    return;
  }
  if (!fs.existsSync(path.join(SOURCE, "HEAD"))) {
    log(`cloning ${BUNDLE} -> ${SOURCE}`);
    execFileSync("git", ["clone", "--quiet", "--mirror", BUNDLE, SOURCE], { stdio: "inherit" });
  }
  log(`ingesting ${SOURCE} (once) …`);
  const r = await ingestSource(db, SOURCE, {});
  log(`ingested ${r.read} messages in ${r.seconds.toFixed(1)} s (${r.threadsDerived} threads derived)`);
}

/** A digest of every row the review pass writes: contents without ids, references by what they reference. */
async function digest(db: Db): Promise<{ table: string; rows: number; md5: string }[]> {
  const parts: [string, string][] = [
    [
      "trailer",
      `SELECT json_build_array(m.msgid, t.thread_id, t.source, t.kind, t.key, t.value, t.person_name, t.person_address, t.person_id,
              t."commit", t.url, t.comment, t.line, t.end_line, t.mismatch, t.method, t.confidence)::text AS r
       FROM trailer t JOIN message m ON m.id = t.message_id`,
    ],
    [
      "patch_trailer",
      `SELECT json_build_array(pt.series_id, pm.msgid, tm.msgid, t.line, t.kind, t.value, pt.via)::text AS r
       FROM patch_trailer pt JOIN trailer t ON t.id = pt.trailer_id JOIN message tm ON tm.id = t.message_id
       JOIN message pm ON pm.id = pt.patch_message_id`,
    ],
    [
      "review",
      `SELECT json_build_array(m.msgid, r.thread_id, pm.msgid, r.kind, r.verdict, r.verdict_line, r.verdict_text, r.comment_count, r.rejected)::text AS r
       FROM review r JOIN message m ON m.id = r.message_id LEFT JOIN message pm ON pm.id = r.patch_message_id`,
    ],
    [
      "discussion",
      `WITH first AS (SELECT DISTINCT ON (rc.discussion_id) rc.discussion_id, m.msgid || '#' || rc.position AS k
                      FROM review_comment rc JOIN message m ON m.id = rc.message_id ORDER BY rc.discussion_id, rc.id)
       SELECT json_build_array(f.k, d.thread_id, pm.msgid, d.part, d.anchor, d.file, d.hunk_index, d.line_number, d.side, d.heading,
              d.patch_line, d.status, d.resolved_how, d.resolved_confidence, d.resolved_evidence, nm.msgid, d.carried_anchor,
              d.carried_from_id IS NOT NULL, d.first_date)::text AS r
       FROM discussion d LEFT JOIN first f ON f.discussion_id = d.id JOIN message pm ON pm.id = d.patch_message_id
       LEFT JOIN message nm ON nm.id = d.next_patch_message_id`,
    ],
    [
      "review_comment",
      `WITH c AS (SELECT rc.*, m.msgid || '#' || rc.position AS k,
                         row_number() OVER (PARTITION BY rc.discussion_id ORDER BY rc.id) AS rank,
                         first_value(m.msgid || '#' || rc.position) OVER (PARTITION BY rc.discussion_id ORDER BY rc.id) AS disc
                  FROM review_comment rc JOIN message m ON m.id = rc.message_id)
       SELECT json_build_array(c.k, c.disc, c.rank, c.first_line, c.last_line, c.text, c.method, c.confidence, p.k)::text AS r
       FROM c LEFT JOIN c p ON p.id = c.in_reply_to_id`,
    ],
  ];
  const out: { table: string; rows: number; md5: string }[] = [];
  for (const [table, sql] of parts) {
    const { rows: [r] } = await db.pool.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS h FROM (${sql}) x`);
    out.push({ table, rows: r.n, md5: r.h });
  }
  return out;
}

async function pass(db: Db, threads: number[], timings: ReviewTimings): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < threads.length; i += CHUNK) {
    const ids = threads.slice(i, i + CHUNK);
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await updateReviews(timed(client), ids, timings);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
    if (process.stderr.isTTY) process.stderr.write(`\r${Math.min(i + CHUNK, threads.length)}/${threads.length} threads`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  return (performance.now() - t0) / 1000;
}

const { db, server, cleanup } = await openDb();
try {
  await ensureIngested(db);
  const { rows } = await db.pool.query(`SELECT id FROM thread ORDER BY id${LIMIT ? ` LIMIT ${LIMIT}` : ""}`);
  const threads = rows.map((r) => r.id as number);
  const { rows: [{ n: msgs }] } = await db.pool.query(`SELECT count(*)::int AS n FROM message`);
  const out: string[] = [`archive:   ${msgs} messages, ${threads.length} threads, chunks of ${CHUNK}${FRESH ? ", review tables emptied first" : ""}`, `cpus:      ${os.availableParallelism()}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`];
  for (let run = 1; run <= RUNS; run++) {
    if (FRESH) await db.pool.query(`TRUNCATE review_comment, discussion, patch_trailer, review, trailer`);
    const t = newReviewTimings();
    const cpu0 = process.cpuUsage();
    const secs = await pass(db, threads, t);
    const cpu = process.cpuUsage(cpu0);
    const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
    out.push(
      `run ${run}:     ${secs.toFixed(2)} s total, ${((secs * 1000) / threads.length).toFixed(2)} ms/thread, this process's CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
      `  load SQL ${ms(t.load)} | parse diffs ${ms(t.parse)} | analyzeThread ${ms(t.analyze)} | resolution ${ms(t.resolve)} | write SQL ${ms(t.write)}`,
    );
  }
  if (SQL) for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms)) out.push(`  sql ${(v.ms / 1000).toFixed(2).padStart(6)} s ${String(v.n).padStart(4)}x  ${k}`);
  const d = await digest(db);
  for (const x of d) out.push(`digest:    ${x.table.padEnd(15)} ${String(x.rows).padStart(7)} rows  ${x.md5}`);
  const all = (await import("node:crypto")).createHash("md5").update(d.map((x) => `${x.table}:${x.rows}:${x.md5}`).join("\n")).digest("hex");
  out.push(`digest:    all ${all}`, `load after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  process.stdout.write(out.join("\n") + "\n");
} finally {
  await db.close();
  await server?.stop();
  cleanup();
}
