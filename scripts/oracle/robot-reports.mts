// Oracle: kernel test robot reports of a real archive, through the whole product (ingest ->
// lib/knowledge per message -> robot_report / benchmark rows -> the link pass), read back from
// the database.
//
//   npm run bench:reports                       # linux-mmc (../shared/corpora/linux-mmc-0.bundle)
//   npx tsx scripts/oracle/robot-reports.mts [--source <archive>] [--database-url URL] [--sample N] [--json out.json]
//
// Without --database-url: a throwaway embedded PostgreSQL, the archive ingested into it (a .bundle
// is mirror-cloned once under .patchlore/bench, as `npm run bench:ingest` does). With it: reads a
// database that already ingested the archive (nothing is written).
//
// Prints the robot reports by kind, and for the performance reports whether each has at least one
// benchmark row with suite, metric and change, with a sample; cross-checks that every message whose
// From is the robot has a robot_report row. Exits 1 when a performance report has no such benchmark.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { connect, type Db } from "../../lib/db/client";
import { scratchDatabase } from "../../ingest/postgres/open";
import { projectRoot } from "../../ingest/postgres/migrate";
import { ingestSource } from "../../ingest/pipeline";
import { prepareSource } from "../../ingest/bench";
import { progressReporter } from "../../ingest/progress";

const argv = process.argv.slice(2);
const arg = (name: string): string | null => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? null) : null;
};
const SOURCE = arg("source") ?? path.join(projectRoot(), "..", "shared", "corpora", "linux-mmc-0.bundle");
const SAMPLE = Number(arg("sample") ?? 5);

async function withDatabase_(fn: (db: Db) => Promise<void>): Promise<void> {
  const url = arg("database-url");
  if (url) {
    const db = connect(url);
    try {
      await fn(db);
    } finally {
      await db.close();
    }
    return;
  }
  if (!fs.existsSync(SOURCE)) {
    process.stderr.write(`robot-reports: ${SOURCE} is absent (it lives in ../shared/corpora); pass --source <archive> or --database-url URL\n`);
    process.exit(2);
  }
  const source = prepareSource(SOURCE);
  const { db, stop } = await scratchDatabase("reports");
  try {
    const progress = progressReporter("ingest");
    const s = await ingestSource(db, source, { onProgress: progress.update });
    progress.stop();
    process.stdout.write(`ingested ${s.read} messages from ${SOURCE} in ${s.seconds.toFixed(1)} s (${Math.round(s.read / s.seconds)} msg/s)\n`);
    await fn(db);
  } finally {
    await stop();
  }
}

await withDatabase_(async (db) => {
  const q = async <T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []) => (await db.pool.query<T>(sql, params)).rows;
  const [{ messages }] = await q(`SELECT count(*) AS messages FROM message WHERE NOT ghost`);
  const byKind = await q(`SELECT kind, count(*) AS n FROM robot_report GROUP BY kind ORDER BY n DESC, kind`);
  const total = byKind.reduce((a, r) => a + r.n, 0);
  // every report with its complete benchmarks (suite, metric and a change) and its headline
  const perf = await q(
    `SELECT m.msgid, m.subject, m.date, r.commit, r.suite, r.metric, r.change, r.direction, r.details->'link' AS link,
            (SELECT count(*) FROM benchmark b WHERE b.message_id = r.message_id) AS benchmarks,
            (SELECT count(*) FROM benchmark b WHERE b.message_id = r.message_id AND b.suite IS NOT NULL AND b.metric <> '' AND b.change IS NOT NULL) AS complete,
            (SELECT jsonb_build_object('suite', b.suite, 'test', b.test, 'metric', b.metric, 'baseline', b.details->'baseline', 'value', b.value,
                                       'change', b.change, 'direction', b.direction, 'lines', jsonb_build_array(b.first_line, b.last_line), 'method', b.method)
             FROM benchmark b WHERE b.message_id = r.message_id AND b.suite IS NOT NULL AND b.metric <> '' AND b.change IS NOT NULL
             ORDER BY (b.details->>'role' = 'headline') DESC NULLS LAST, b.first_line LIMIT 1) AS headline
     FROM robot_report r JOIN message m ON m.id = r.message_id WHERE r.kind = 'performance' ORDER BY m.date, m.id`,
  );
  const [{ n: benchOfReports }] = await q(`SELECT count(*) AS n FROM benchmark b JOIN robot_report r ON r.message_id = b.message_id`);
  const linked = await q(`SELECT r.details->'link'->>'method' AS method, count(*) AS n FROM robot_report r GROUP BY 1 ORDER BY n DESC`);
  // cross-check: mail from the robot that is not a report
  const missed = await q(
    `SELECT m.msgid, m.subject FROM message m WHERE NOT m.ghost AND (m.from_name ~* 'test robot' OR m.from_address ~* '^lkp@intel\\.com$')
       AND NOT EXISTS (SELECT 1 FROM robot_report r WHERE r.message_id = m.id) ORDER BY m.date LIMIT 20`,
  );
  const fromRobot = (await q(`SELECT count(*) AS n FROM message m WHERE NOT m.ghost AND (m.from_name ~* 'test robot' OR m.from_address ~* '^lkp@intel\\.com$')`))[0].n;

  const [rows] = await q(
    `SELECT (SELECT count(*) FROM idea) AS ideas, (SELECT count(*) FROM decision) AS decisions,
            (SELECT count(*) FROM decision WHERE series_id IS NOT NULL) AS decisions_linked, (SELECT count(*) FROM benchmark) AS benchmarks,
            (SELECT count(DISTINCT message_id) FROM benchmark) AS benchmark_messages`,
  );
  const ok = perf.filter((r) => r.complete > 0);
  const lines = [
    `messages:                    ${messages}`,
    `mail from the robot:         ${fromRobot}`,
    `robot reports:               ${total}`,
    ...byKind.map((r) => `  ${String(r.kind).padEnd(26)} ${r.n}`),
    `performance reports:         ${perf.length}`,
    `  with >= 1 benchmark with suite, metric and change: ${ok.length}/${perf.length}`,
    `  benchmark rows of all reports: ${benchOfReports}`,
    `knowledge rows:              ${rows.ideas} ideas, ${rows.decisions} decisions (${rows.decisions_linked} linked to a series), ${rows.benchmarks} benchmarks in ${rows.benchmark_messages} messages`,
    `reports linked (details.link.method): ${linked.map((r) => `${r.method ?? "not linked"} ${r.n}`).join(", ")}`,
    `robot mail without a report row: ${missed.length}${missed.length ? "\n" + missed.map((m) => `  ${m.msgid} ${m.subject}`).join("\n") : ""}`,
    "",
    `sample (${Math.min(SAMPLE, perf.length)} of ${perf.length} performance reports):`,
  ];
  // spread over the archive: evenly spaced
  const step = perf.length / Math.max(1, Math.min(SAMPLE, perf.length));
  for (let i = 0; i < Math.min(SAMPLE, perf.length); i++) {
    const r = perf[Math.floor(i * step)];
    const h = r.headline;
    lines.push(`  ${r.date?.toISOString().slice(0, 10)} <${r.msgid}>`, `    ${r.subject}`);
    lines.push(`    report: ${r.suite ?? "?"}.${r.metric ?? "?"} ${r.change ?? "?"}% ${r.direction ?? ""} commit ${r.commit ?? "?"}; link ${r.link?.method ?? "none"}`);
    if (h) {
      lines.push(
        `    benchmark: ${h.suite}${h.test ? `/${h.test}` : ""} ${h.metric}: ${h.baseline ?? "?"} -> ${h.value ?? "?"} (${h.change > 0 ? "+" : ""}${h.change}%) ${h.direction ?? ""}` +
          ` lines ${h.lines.join("-")} ${h.method}; ${r.complete}/${r.benchmarks} rows complete`,
      );
    }
  }
  process.stdout.write(lines.join("\n") + "\n");
  const json = arg("json");
  if (json) fs.writeFileSync(json, JSON.stringify({ messages, byKind, performance: perf, missed }, null, 1));
  const bad = perf.filter((r) => r.complete === 0);
  if (bad.length) {
    process.stdout.write(`\nFAIL: ${bad.length} performance report(s) without a benchmark with suite, metric and change:\n`);
    for (const r of bad) process.stdout.write(`  <${r.msgid}> ${r.subject}\n`);
    process.exit(1);
  }
});
