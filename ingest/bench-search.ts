// `npm run bench:search`: a fixed mix of queries over HTTP against /api/search of the real web
// app (next start) on the linux-mmc archive, p50/p95 per query, then EXPLAIN (ANALYZE) of each
// to show the indexes in use. The database: DATABASE_URL when set (linux-mmc ingested there),
// else an embedded PostgreSQL under .patchlore/bench/ that the first run fills from the bundle
// and later runs reuse.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connect, type Db } from "../lib/db/client";
import { startEmbedded, withDatabase, type EmbeddedServer } from "./postgres/embedded";
import { ensureMigrated, homeDir } from "./postgres/open";
import { projectRoot } from "./postgres/migrate";
import { explainSearch } from "../lib/views/search";
import { reindexSearch } from "../lib/passes/reindex";
import { searchQueryString } from "../lib/search/params";
import { startApp } from "./app-server";
import { ingestSource } from "./pipeline";
import { prepareSource } from "./bench";
import { progressReporter } from "./progress";

const DEFAULT_BUNDLE = path.join(projectRoot(), "..", "shared", "corpora", "linux-mmc-0.bundle");

export interface BenchQuery {
  q: string;
  /** what the query exercises */
  kind: string;
  r?: boolean;
  t?: boolean;
}

/** The fixed mix. Two entries are filled from the corpus (a Message-ID, a patch-id). */
export function benchQueries(ids: { msgid: string; patchId: string; blob: string }): BenchQuery[] {
  return [
    { kind: "subject word", q: "s:regression" },
    { kind: "subject, broad", q: "s:mmc" },
    { kind: "default fields, broad", q: "sdhci" },
    { kind: "From address (phrase)", q: "f:ulf.hansson@linaro.org" },
    { kind: "To/Cc/From + subject", q: "a:robh@kernel.org s:dt-bindings" },
    { kind: "body phrase", q: 'b:"card detect"' },
    { kind: "phrase, default fields", q: '"use after free"' },
    { kind: "unquoted text minus subject", q: "nq:tested -s:RFC" },
    { kind: "quoted text identifier", q: "q:mmc_hostname" },
    { kind: "diff file name", q: "dfn:drivers/mmc/host/sdhci.c" },
    { kind: "diff function (hunk header)", q: "dfhh:sdhci_set_clock" },
    { kind: "added lines identifier", q: "dfb:mmc_hostname" },
    { kind: "removed lines identifier", q: "dfa:spin_lock_irqsave" },
    { kind: "context lines", q: "dfctx:mmc_request_done" },
    { kind: "blob id (dfblob)", q: `dfblob:${ids.blob}` },
    { kind: "patch-id", q: `patchid:${ids.patchId}` },
    { kind: "Message-ID", q: `mid:${ids.msgid}` },
    { kind: "date range", q: "d:2023-01-01..2023-02-01" },
    { kind: "date range + subject", q: "s:sdhci d:2022-01-01..2022-12-31" },
    { kind: "open date range + diff file", q: "d:..2020-01-01 dfn:drivers/mmc/core/block.c" },
    { kind: "facet + date", q: "is:cover d:2024-01-01.." },
    { kind: "facet + diff file", q: "is:patch dfn:drivers/mmc/core/block.c" },
    { kind: "superseded + subject", q: "is:superseded s:sdhci" },
    { kind: "version + subject", q: "v:3 s:mmc" },
    { kind: "series author", q: "by:adrian.hunter@intel.com is:cover" },
    { kind: "wildcard identifier", q: "mmc_blk*" },
    { kind: "OR, NOT, facet", q: "(s:emmc OR s:sdio) -is:reply" },
    { kind: "NEAR", q: "tuning NEAR timeout" },
    { kind: "attachments", q: "has:attachment" },
    { kind: "relevance order", q: "s:sdhci tuning", r: true },
    { kind: "threads collapsed", q: "dfn:sdhci", t: true },
  ];
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function openBenchDatabase(source: string | undefined, log: (s: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.DATABASE_URL;
  if (external) {
    await ensureMigrated(external);
    return { url: external, stop: async () => {} };
  }
  const bundle = source ?? DEFAULT_BUNDLE;
  const dir = path.join(homeDir(), "bench", "search-pg");
  const stampFile = path.join(homeDir(), "bench", "search-pg.json");
  let stamp: { source: string } | null = null;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    stamp = null;
  }
  if (stamp && stamp.source !== bundle) {
    fs.rmSync(dir, { recursive: true, force: true });
    stamp = null;
  }
  if (!stamp) fs.rmSync(dir, { recursive: true, force: true });
  const server: EmbeddedServer = await startEmbedded({ dataDir: dir, durable: false });
  const url = withDatabase(server.url, "bench");
  if (!stamp) {
    if (!fs.existsSync(bundle)) {
      await server.stop();
      throw new Error(`${bundle} is absent (it lives in ../shared/corpora); pass --source <archive> or set DATABASE_URL`);
    }
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE bench`);
    await admin.end();
    await ensureMigrated(url);
    const db = connect(url);
    try {
      log(`ingesting ${bundle} into ${dir} (once; later runs reuse it) ...`);
      const progress = progressReporter("bench:search ingest");
      const s = await ingestSource(db, prepareSource(bundle), { list: "linux-mmc", onProgress: progress.update });
      progress.stop();
      log(`ingested ${s.inserted} messages in ${s.seconds.toFixed(0)} s`);
      await db.pool.query(`VACUUM ANALYZE`);
    } finally {
      await db.close();
    }
    fs.writeFileSync(stampFile, JSON.stringify({ source: bundle, at: new Date().toISOString() }));
  } else {
    await ensureMigrated(url);
  }
  return { url, stop: () => server.stop() };
}

/** The search index of a database ingested before search existed is built first. */
async function ensureSearchIndex(db: Db, log: (s: string) => void): Promise<void> {
  const { rows } = await db.pool.query(
    `SELECT (SELECT count(*) FROM search_doc) AS docs, (SELECT count(*) FROM message WHERE NOT ghost) AS messages`,
  );
  if (Number(rows[0].docs) > 0) return;
  log(`the search index is empty: building it (${rows[0].messages} messages) ...`);
  await reindexSearch(db);
  await db.pool.query(`VACUUM ANALYZE search_doc`);
}

async function corpusIds(db: Db): Promise<{ msgid: string; patchId: string; blob: string }> {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, p.patch_id, (SELECT f.old_hash FROM patch_file f WHERE f.message_id = p.message_id AND f.old_hash IS NOT NULL ORDER BY f.position LIMIT 1) AS blob
     FROM patch p JOIN message m ON m.id = p.message_id
     WHERE p.patch_id IS NOT NULL AND p.kind = 'patch' AND EXISTS (SELECT 1 FROM patch_file f WHERE f.message_id = p.message_id AND f.old_hash IS NOT NULL)
     ORDER BY m.date, m.id OFFSET 1000 LIMIT 1`,
  );
  if (!rows.length) throw new Error("no patch with a patch-id and a blob id in the database: is linux-mmc ingested?");
  return { msgid: rows[0].msgid, patchId: rows[0].patch_id, blob: String(rows[0].blob).slice(0, 10) };
}

/** index names in a plan: "Bitmap Index Scan on x", "Index Scan using x on t", "Index Only Scan using x" */
function indexesIn(plan: string[]): string[] {
  const out = new Set<string>();
  for (const l of plan) {
    const m = /(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)/.exec(l);
    if (m) out.add(m[1]);
  }
  return [...out];
}

export interface QueryFigures {
  kind: string;
  q: string;
  r: boolean;
  t: boolean;
  results: number;
  p50: number;
  p95: number;
  max: number;
  indexes: string[];
  seqScans: string[];
  sqlMs: number | null;
}

export async function benchSearch(opts: { source?: string; runs?: number; json?: boolean }): Promise<QueryFigures[]> {
  const runs = opts.runs ?? 30;
  const log = (s: string) => process.stderr.write(s + "\n");
  const { url, stop } = await openBenchDatabase(opts.source, log);
  const db = connect(url);
  let app: Awaited<ReturnType<typeof startApp>> | null = null;
  try {
    await ensureSearchIndex(db, log);
    const { rows: [counts] } = await db.pool.query(`SELECT (SELECT count(*) FROM search_doc) AS docs, pg_size_pretty(pg_total_relation_size('search_doc')) AS size`);
    const queries = benchQueries(await corpusIds(db));
    log(`starting the web app (next start; next build first when the sources changed) ...`);
    // the benchmark's requests must not be throttled by the per-client rate limit
    process.env.PATCHLORE_RATE_LIMIT ??= "off";
    app = await startApp(url, { timeoutMs: 120_000 });
    const load0 = os.loadavg()[0];
    const figures: QueryFigures[] = [];
    const fetchOne = async (b: BenchQuery) => {
      const u = `${app!.url}/api/search?${searchQueryString({ q: b.q, relevance: b.r, threads: b.t })}`;
      const t0 = performance.now();
      const res = await fetch(u);
      const body = (await res.json()) as { total?: number; threadTotal?: number; detail?: string };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${b.q}: HTTP ${res.status} ${body.detail ?? ""}`);
      return { ms, results: (b.t ? body.threadTotal : body.total) ?? 0 };
    };
    // warm up: every query a few times (caches, the app's first compiles of each route)
    for (let i = 0; i < 3; i++) for (const b of queries) await fetchOne(b);
    for (const b of queries) {
      const times: number[] = [];
      let results = 0;
      for (let i = 0; i < runs; i++) {
        const r = await fetchOne(b);
        times.push(r.ms);
        results = r.results;
      }
      times.sort((a, c) => a - c);
      const plan = (await explainSearch(db, { q: b.q })).plan;
      const exec = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
      figures.push({
        kind: b.kind,
        q: b.q,
        r: !!b.r,
        t: !!b.t,
        results,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        max: times[times.length - 1],
        indexes: indexesIn(plan),
        seqScans: [...new Set(plan.flatMap((l) => /Seq Scan on (\S+)/.exec(l)?.[1] ?? []))],
        sqlMs: exec ? Number(exec[1]) : null,
      });
    }
    const load1 = os.loadavg()[0];
    const w = Math.max(...figures.map((f) => (f.q + (f.r ? " [r=1]" : "") + (f.t ? " [t=1]" : "")).length), 10);
    const lines = [
      `search benchmark: ${counts.docs} documents (search_doc ${counts.size}), ${runs} runs per query over HTTP (GET /api/search, 50 results with snippets)`,
      `cpus ${os.availableParallelism()}, load average ${load0.toFixed(1)} before, ${load1.toFixed(1)} after`,
      "",
      `${"query".padEnd(w)}  ${"results".padStart(7)}  ${"p50 ms".padStart(7)}  ${"p95 ms".padStart(7)}  ${"sql ms".padStart(7)}  indexes (EXPLAIN ANALYZE)`,
    ];
    for (const f of figures) {
      const label = f.q + (f.r ? " [r=1]" : "") + (f.t ? " [t=1]" : "");
      lines.push(
        `${label.padEnd(w)}  ${String(f.results).padStart(7)}  ${f.p50.toFixed(1).padStart(7)}  ${f.p95.toFixed(1).padStart(7)}  ${(f.sqlMs?.toFixed(1) ?? "-").padStart(7)}  ${f.indexes.join(", ")}${f.seqScans.length ? `; seq scan: ${f.seqScans.join(", ")}` : ""}`,
      );
    }
    const p95s = figures.map((f) => f.p95).sort((a, b) => a - b);
    const over = figures.filter((f) => f.p95 > 50);
    lines.push(
      "",
      `p95 over the mix: median ${percentile(p95s, 50).toFixed(1)} ms, worst ${p95s[p95s.length - 1].toFixed(1)} ms; ${over.length ? `${over.length} of ${figures.length} above the 50 ms target: ${over.map((f) => f.q).join(" | ")}` : `all ${figures.length} within the 50 ms target ✓`}`,
    );
    process.stdout.write(lines.join("\n") + "\n");
    if (opts.json) process.stdout.write(JSON.stringify(figures, null, 2) + "\n");
    return figures;
  } finally {
    await app?.stop();
    await db.close();
    await stop();
  }
}
