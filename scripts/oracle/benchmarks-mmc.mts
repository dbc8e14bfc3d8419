// Oracle: kernel test robot reports on the linux-mmc epoch, through lib/knowledge.
//
//   npx tsx scripts/oracle/benchmarks-mmc.mts [--repo /tmp/kb-mmc.git] [--json out.json] [--verbose]
//
// 1. Reads every message of the epoch (one commit per message, the raw message in blob `m`):
//    --repo, else /tmp/kb-mmc.git, else /tmp/mmc.git when it is a complete repository (read-only),
//    else clones ../shared/corpora/linux-mmc-0.bundle with `git clone --mirror` into /tmp/kb-mmc.git.
// 2. Keeps the messages lib/knowledge reportOf() calls kernel test robot reports, and as a
//    cross-check every message whose From says "test robot" or lkp@intel.com.
// 3. Per report: its kind (performance / build-error / build-warning / build-summary /
//    static-analysis / runtime / other) and findBenchmarks() on its own lines and subject.
// Prints how many reports there are, how many are performance reports, how many of those yield
// benchmarks with suite, metric and change (and their headline), a sample, and every report that
// yields none with its kind. Exits 1 when a performance report yields no benchmark with suite,
// metric and change.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseMail } from "../../lib/mail/parse";
import { findBenchmarks, reportOf, type Benchmark, type RobotReport } from "../../lib/knowledge/benchmarks";
import { messageText } from "../../lib/knowledge/text";
import { readMessages } from "./oracle-lib";
import { arg, flag } from "../args";

const verbose = flag("verbose");

const BUNDLE = path.resolve(import.meta.dirname, "../../../shared/corpora/linux-mmc-0.bundle");
const OWN = "/tmp/kb-mmc.git";
const SHARED = "/tmp/mmc.git";

function complete(repo: string): boolean {
  if (!fs.existsSync(path.join(repo, "HEAD")) || !fs.existsSync(path.join(repo, "objects"))) return false;
  try {
    execFileSync("git", ["-C", repo, "rev-parse", "--verify", "-q", "HEAD"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function repository(): string {
  const explicit = arg("repo");
  if (explicit) return explicit;
  if (complete(OWN)) return OWN;
  if (complete(SHARED)) return SHARED;
  if (!fs.existsSync(BUNDLE)) throw new Error(`no repository: ${OWN}, ${SHARED} and ${BUNDLE} are all absent`);
  execFileSync("git", ["clone", "--quiet", "--mirror", BUNDLE, OWN], { stdio: "inherit" });
  return OWN;
}

/** Header block of the raw bytes, for a cheap pre-filter. */
function fromHeader(raw: Buffer): string {
  const end = raw.indexOf("\n\n");
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 65536) : end).toString("latin1");
  const m = /^From:(.*(?:\n[ \t].*)*)/im.exec(head);
  return m ? m[1] : "";
}

interface Row {
  msgid: string;
  subject: string;
  date: string | null;
  report: RobotReport;
  benchmarks: Benchmark[];
}

const repo = repository();
const t0 = Date.now();
let total = 0;
const rows: Row[] = [];
const fromRobotButNotReport: string[] = [];
for await (const { raw } of readMessages(repo)) {
  total++;
  const f = fromHeader(raw);
  const byHeader = /test robot|lkp@intel\.com/i.test(f);
  // a report from another address is found by its body: parse only what may be one
  if (!byHeader && !/kernel test robot noticed|FYI, we noticed|%stddev/.test(raw.toString("latin1"))) continue;
  const m = await parseMail(raw);
  const mt = messageText(m.text);
  const report = reportOf({ subject: m.subject, from: m.from, body: mt });
  if (!report) {
    if (byHeader) fromRobotButNotReport.push(`${m.msgid} ${m.subject}`);
    continue;
  }
  rows.push({ msgid: m.msgid, subject: m.subject, date: m.date, report, benchmarks: findBenchmarks(mt, { subject: m.subject, robot: report !== null }) });
}

const complete3 = (b: Benchmark) => b.suite !== null && b.metric !== null && (b.change !== undefined || b.delta !== undefined);
const byKind = new Map<string, Row[]>();
for (const r of rows) byKind.set(r.report.kind, [...(byKind.get(r.report.kind) ?? []), r]);
const perf = byKind.get("performance") ?? [];
const perfWith = perf.filter((r) => r.benchmarks.some(complete3));
const perfHeadline = perf.filter((r) => r.benchmarks.some((b) => b.role === "headline" && complete3(b)));
const allBench = rows.flatMap((r) => r.benchmarks);
const none = rows.filter((r) => !r.benchmarks.some(complete3));

console.log(`repository: ${repo}  (${total} messages read in ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
console.log(`kernel test robot reports: ${rows.length}`);
for (const [k, v] of [...byKind].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${k.padEnd(16)} ${v.length}`);
console.log(`performance reports: ${perf.length}`);
console.log(`  yielding benchmarks with suite, metric and change: ${perfWith.length}/${perf.length}`);
console.log(`  with a headline benchmark:                         ${perfHeadline.length}/${perf.length}`);
console.log(`benchmarks extracted: ${allBench.length} (${allBench.filter(complete3).length} with suite, metric and change; ` +
  `${allBench.filter((b) => b.role === "headline").length} headline, ${allBench.filter((b) => b.role === "result").length} result rows, ${allBench.filter((b) => b.role === "monitor").length} monitor rows)`);
if (fromRobotButNotReport.length) console.log(`From says robot but reportOf() said no: ${fromRobotButNotReport.length}\n  ${fromRobotButNotReport.join("\n  ")}`);

console.log("\nsample (the headline and the first result rows of each performance report):");
for (const r of perf) {
  console.log(`  ${r.date?.slice(0, 10)} ${r.subject}`);
  console.log(`    report: commit ${r.report.commit ?? "?"}${r.report.commitTitle ? ` ("${r.report.commitTitle}")` : ""} tree ${r.report.tree ?? "?"} id ${r.report.reportId ?? "?"}`);
  const show = [...r.benchmarks.filter((b) => b.role === "headline"), ...r.benchmarks.filter((b) => b.role === "result").slice(0, 3)];
  for (const b of show) {
    console.log(
      `    ${(b.role ?? "").padEnd(8)} ${b.method.padEnd(12)} ${b.suite}${b.test ? `/${b.test}` : ""} ${b.metric}: ` +
        `${b.baseline ?? "?"} -> ${b.value ?? "?"} (${b.change !== undefined ? (b.change > 0 ? "+" : "") + b.change + "%" : b.delta !== undefined ? "Δ" + b.delta : "?"}) ${b.direction ?? ""}` +
        `${b.commitBase ? ` [${b.commitBase.slice(0, 12)}..${b.commitNew?.slice(0, 12)}]` : ""} lines ${b.lines.join("-")}`,
    );
  }
  console.log(`    … ${r.benchmarks.length} benchmarks in all (${r.benchmarks.filter((b) => b.role === "monitor").length} monitor rows)`);
}

console.log(`\nreports yielding no benchmark: ${none.length} (by kind: ${[...new Set(none.map((r) => r.report.kind))].map((k) => `${k} ${none.filter((r) => r.report.kind === k).length}`).join(", ")})`);
if (verbose) for (const r of none) console.log(`  ${r.report.kind.padEnd(16)} ${r.date?.slice(0, 10)} ${r.subject}`);
else {
  for (const k of new Set(none.map((r) => r.report.kind))) {
    const ex = none.filter((r) => r.report.kind === k).slice(0, 3);
    for (const r of ex) console.log(`  ${k.padEnd(16)} ${r.date?.slice(0, 10)} ${r.subject.slice(0, 100)}`);
  }
}

const json = arg("json");
if (json) fs.writeFileSync(json, JSON.stringify({ total, reports: rows.map((r) => ({ msgid: r.msgid, subject: r.subject, report: r.report, benchmarks: r.benchmarks })) }, null, 1));
const bad = perf.filter((r) => !perfWith.includes(r));
if (bad.length) {
  console.log(`\nFAIL: ${bad.length} performance report(s) without a benchmark with suite, metric and change:`);
  for (const r of bad) console.log(`  ${r.msgid} ${r.subject}`);
  process.exit(1);
}
