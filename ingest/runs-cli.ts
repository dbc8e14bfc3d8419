// `patchlore runs import <file.json|csv> (--proposal ID | --series KEY | --patch MSGID)` and
// `patchlore runs list`: benchmark and simulator runs done outside the list (docs/runs.md).
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { Db } from "../lib/db/client";
import type { OpenedDb } from "./postgres/open";
import { findUserByEmail } from "../lib/auth/store";
import { formatProblem, parseRunFile, RunsValidationError, type RunTarget } from "../lib/runs/parse";
import { importRuns, resolveRunTarget, RunTargetError } from "../lib/db/runs";
import { importedRuns, listRuns, runsForTarget, type RunRecord } from "../lib/views/runs";

type WithDb = <T>(fn: (db: OpenedDb) => Promise<T>) => Promise<T>;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (s) => void process.stdout.write(s + "\n"),
  err: (s) => void process.stderr.write(s + "\n"),
};

export interface TargetFlags {
  proposal?: string;
  series?: string;
  patch?: string;
}

function targetOf(o: TargetFlags): RunTarget | null | "many" {
  const t: RunTarget = {};
  if (o.proposal !== undefined) t.proposal = o.proposal;
  if (o.series !== undefined) t.series = o.series;
  if (o.patch !== undefined) t.patch = o.patch;
  const n = Object.keys(t).length;
  return n > 1 ? "many" : n ? t : null;
}

/** `patchlore runs import`; answers the exit status (0 ok, 2 bad input or a target that does not exist). */
export async function runsImportCommand(db: Db, file: string, o: TargetFlags & { user?: string; json?: boolean }, io: Io = stdio): Promise<number> {
  const target = targetOf(o);
  if (target === "many") {
    io.err("patchlore: give one of --proposal, --series, --patch");
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    io.err(`patchlore: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 2;
  }
  let userId: number | null = null;
  if (o.user !== undefined) {
    const u = await findUserByEmail(db, o.user);
    if (!u) {
      io.err(`patchlore: no user ${o.user} (patchlore users list)`);
      return 2;
    }
    userId = u.id;
  }
  try {
    const runs = parseRunFile(text, { name: file });
    const results = await importRuns(db, runs, { target, userId, sourceName: path.basename(file), via: "cli" });
    if (o.json) {
      io.out(JSON.stringify(await importedRuns(db, results), null, 2));
      return 0;
    }
    for (const r of results) {
      const stored = r.inserted.map((x) => `${x.label} (#${x.id})`).join(", ");
      io.out(
        `${r.target.label}: stored ${r.inserted.length} run${r.inserted.length === 1 ? "" : "s"}${stored ? `: ${stored}` : ""}` +
          (r.unchanged.length ? `; ${r.unchanged.length} already stored (${r.unchanged.map((u) => u.label).join(", ")})` : ""),
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof RunsValidationError) {
      for (const p of e.problems) io.err(`${file}: ${formatProblem(p)}`);
      return 2;
    }
    if (e instanceof RunTargetError) {
      io.err(`patchlore: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

function summary(r: RunRecord): string {
  const attached = r.proposalId != null ? `proposal ${r.proposalId}` : r.seriesKey ? `series <${r.seriesKey}>` : r.patchMsgid ? `patch <${r.patchMsgid}>` : "-";
  const what = [
    ...Object.entries(r.metrics)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, m]) => `${k}=${m.value}${m.unit ? ` ${m.unit}` : ""}`),
    ...r.series.map((s) => `${s.metric} vs ${s.parameter} (${s.points.length} points)`),
  ];
  return `#${r.id}  ${r.label}  ${r.tool}${r.toolVersion ? ` ${r.toolVersion}` : ""}  ${attached}  ${what.join(", ")}`;
}

/** `patchlore runs list`; answers the exit status. */
export async function runsListCommand(db: Db, o: TargetFlags & { json?: boolean }, io: Io = stdio): Promise<number> {
  const target = targetOf(o);
  if (target === "many") {
    io.err("patchlore: give one of --proposal, --series, --patch");
    return 2;
  }
  let runs: RunRecord[];
  try {
    runs = target ? await runsForTarget(db, await resolveRunTarget(db, target)) : await listRuns(db);
  } catch (e) {
    if (e instanceof RunTargetError) {
      io.err(`patchlore: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (o.json) io.out(JSON.stringify(runs, null, 2));
  else if (!runs.length) io.err("no runs");
  else for (const r of runs) io.out(summary(r));
  return 0;
}

export function registerRunsCommands(program: Command, withDb: WithDb): void {
  const runs = program.command("runs").description("benchmark and simulator runs done outside the list (docs/runs.md)");
  runs
    .command("import")
    .description("import runs from a JSON or CSV file (docs/runs.md, docs/runs.schema.json) and attach them to a proposal, a series or a patch")
    .argument("<file>", "a .json or .csv run file")
    .option("--proposal <id>", "a proposal id, or the series key or Message-ID of one of its members")
    .option("--series <key>", "a series key (its cover letter's Message-ID)")
    .option("--patch <msgid>", "a patch's Message-ID")
    .option("--user <email>", "record the import as done by this account")
    .option("--json", "print what was stored as JSON")
    .action(async (file: string, o) => {
      const code = await withDb((db) => runsImportCommand(db, file, o));
      if (code) process.exitCode = code;
    });
  runs
    .command("list")
    .description("list runs: all, or those of a proposal (with its series and patches), a series or a patch")
    .option("--proposal <id>", "a proposal id, or the series key or Message-ID of one of its members")
    .option("--series <key>", "a series key")
    .option("--patch <msgid>", "a patch's Message-ID")
    .option("--json", "print the runs as JSON (what GET /api/runs answers)")
    .action(async (o) => {
      const code = await withDb((db) => runsListCommand(db, o));
      if (code) process.exitCode = code;
    });
}

/** The demo's run file: an invented simulator run for the rotation-queue proposal (ingest/demo/README.md). */
export const DEMO_RUN = path.join(import.meta.dirname, "demo", "run.json");
const DEMO_RUN_SOURCE = "ingest/demo/run.json";

/**
 * Imports ingest/demo/run.json once (`npm start` on a database with the demo corpus): attached to
 * the proposal holding the v3 series, or to the v3 series itself when proposals are not derived.
 * Does nothing when the demo's v3 series is absent or the demo run was imported before.
 */
export async function importDemoRuns(db: Db, log: (s: string) => void = () => {}): Promise<number> {
  const runs = parseRunFile(fs.readFileSync(DEMO_RUN, "utf8"), { name: DEMO_RUN });
  const key = runs[0].target?.proposal ?? runs[0].target?.series;
  if (!key) return 0;
  const present = await db.pool.query(
    `SELECT EXISTS (SELECT 1 FROM series WHERE key = $1) AS series, EXISTS (SELECT 1 FROM run WHERE source_name = $2) AS imported`,
    [key, DEMO_RUN_SOURCE],
  );
  if (!present.rows[0].series || present.rows[0].imported) return 0;
  let target: RunTarget | null = null;
  try {
    await resolveRunTarget(db, { proposal: key });
  } catch (e) {
    if (!(e instanceof RunTargetError)) throw e;
    target = { series: key };
  }
  const results = await importRuns(db, runs, { target, userId: null, sourceName: DEMO_RUN_SOURCE, via: "demo" });
  const n = results.reduce((s, r) => s + r.inserted.length, 0);
  for (const r of results) log(`demo run: ${r.inserted.length} runs (${r.inserted.map((x) => x.label).join(", ")}) attached to ${r.target.label}`);
  return n;
}
