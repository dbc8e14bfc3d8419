// `npm run digest`: a digest of every derived table after ingesting the linux-mmc epoch and the
// seeds into a fresh database, then again after `patchlore reindex` of everything. Run before and
// after a change that must not change output (a refactor, a faster pass): the two printouts must
// be identical.
//
//   npx tsx scripts/digest.mts [--source <archive or bundle>] [--seeds <dir>] [--no-reindex]
//        [--database-url <url>] [--json] [--dump DIR --dump-tables t1,t2]
//        [--ignore-keys table.column.key,...]
//
// --ignore-keys digests a JSON column without the keys named (a key a change added on purpose, to
// show that nothing else in the table moved).
// --dump writes the rows of the --dump-tables (sorted, as text) to DIR/<stage>.<table>.txt, to
// see what differs when two digests do not agree.
//
// Every table but the raw bytes and the accounts is digested: one md5 per row of its columns (ids
// included: they come from insertion order, so a pass running in another order shows), the rows'
// digests sorted and digested again. Wall-clock columns (created_at, updated_at, added_at,
// last_seen_at) are left out. Row counts are printed beside each digest.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { connect, type Db } from "../lib/db/client";
import { ensureMigrated, scratchDatabase } from "../ingest/postgres/open";
import { projectRoot } from "../ingest/postgres/migrate";
import { reindex } from "../lib/passes/reindex";
import { ingestSource } from "../ingest/pipeline";
import { prepareSource } from "../ingest/bench";
import { arg, flag } from "./args";

const shared = path.join(projectRoot(), "..", "shared");
const SOURCE = arg("source", path.join(shared, "corpora", "linux-mmc-0.bundle"))!;
const SEEDS = arg("seeds", path.join(shared, "seeds"))!;
const WALL_CLOCK = new Set(["created_at", "updated_at", "added_at", "last_seen_at"]);
const NOT_DERIVED = new Set(["raw_message", "app_user", "session", "api_token", "_prisma_migrations"]);
/** "table.column" -> JSON keys left out of the digest (--ignore-keys) */
const IGNORED = new Map<string, string[]>();
for (const spec of (arg("ignore-keys") ?? "").split(",").filter(Boolean)) {
  const [table, column, ...key] = spec.split(".");
  IGNORED.set(`${table}.${column}`, [...(IGNORED.get(`${table}.${column}`) ?? []), key.join(".")]);
}
const log = (s: string) => process.stderr.write(`${s}\n`);

/** --database-url (migrated if needed, kept), else a scratch database removed at the end */
async function openDb(): Promise<{ db: Db; stop: () => Promise<void> }> {
  const given = arg("database-url");
  if (given) {
    await ensureMigrated(given);
    const db = connect(given);
    return { db, stop: () => db.close() };
  }
  return scratchDatabase("digest", { durable: false });
}

async function digest(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  const { rows: cols } = await db.pool.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) {
    if (NOT_DERIVED.has(c.table_name) || WALL_CLOCK.has(c.column_name)) continue;
    byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
  }
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const [table, columns] of [...byTable].sort(([a], [b]) => a.localeCompare(b))) {
    const list = columns.map((c) => (IGNORED.get(`${table}.${c}`) ?? []).reduce((e, k) => `(${e} - '${k.replace(/'/g, "''")}')`, `"${c}"`)).join(", ");
    const { rows: [r] } = await db.pool.query(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(h, '' ORDER BY h)), '-') AS md5
         FROM (SELECT md5(row(${list})::text) AS h FROM "${table}") t`,
    );
    out[table] = { rows: r.rows, md5: r.md5 };
  }
  return out;
}

function dump(db: Db, stage: string) {
  const dir = arg("dump");
  if (!dir) return Promise.resolve();
  fs.mkdirSync(dir, { recursive: true });
  return (async () => {
    for (const t of (arg("dump-tables") ?? "").split(",").filter(Boolean)) {
      const { rows: cols } = await db.pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [t],
      );
      const list = cols.map((c) => c.column_name).filter((c) => !WALL_CLOCK.has(c)).map((c) => `"${c}"`).join(", ");
      const { rows } = await db.pool.query(`SELECT row(${list})::text AS r FROM "${t}" ORDER BY 1`);
      fs.writeFileSync(path.join(dir, `${stage}.${t}.txt`), rows.map((r) => r.r).join("\n") + "\n");
    }
  })();
}

function print(title: string, d: Record<string, { rows: number; md5: string }>) {
  process.stdout.write(`== ${title}\n`);
  for (const [t, { rows, md5 }] of Object.entries(d)) process.stdout.write(`${t.padEnd(20)} ${String(rows).padStart(8)}  ${md5}\n`);
  const all = Object.values(d).map((x) => x.md5).join("");
  process.stdout.write(`${"ALL".padEnd(20)} ${"".padStart(8)}  ${createHash("md5").update(all).digest("hex")}\n`);
}

const { db, stop } = await openDb();
try {
  // the seeds are linux-mm threads; the archive names its own list
  const sources: [string, string | undefined][] = [[prepareSource(SOURCE), undefined]];
  if (fs.existsSync(SEEDS)) sources.push(...fs.readdirSync(SEEDS).sort().map((f): [string, string] => [path.join(SEEDS, f), "linux-mm"]));
  const t0 = performance.now();
  for (const [s, list] of sources) {
    log(`ingest ${s}`);
    await ingestSource(db, s, { list });
  }
  log(`ingested in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const results: Record<string, unknown> = { ingest: await digest(db) };
  print("after ingest", results.ingest as never);
  await dump(db, "ingest");
  if (!flag("no-reindex")) {
    const t1 = performance.now();
    await reindex(db);
    log(`reindexed in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    results.reindex = await digest(db);
    print("after reindex", results.reindex as never);
    await dump(db, "reindex");
  }
  if (flag("json")) process.stdout.write(JSON.stringify(results) + "\n");
} finally {
  await stop();
}
