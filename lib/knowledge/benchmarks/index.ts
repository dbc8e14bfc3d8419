// Benchmark figures out of mail: LKP / kernel test robot reports (the subject line, the "noticed"
// sentence, the %change comparison tables, the "significant impact on the following tests" box,
// the commits compared and the test parameters), mmtests compare-kernels tables, time(1) output
// (bash, POSIX -p, GNU default and -v, zsh), will-it-scale, stress-ng, pft, kernbench, fio,
// hand-made comparison tables, and claims in prose ("31.4% improvement on will-it-scale
// page_fault3", "reduces latency by 12%", "system time went down by about 16%").
//
// Conventions (every parser follows them):
//   * `change` is a signed PERCENT of the baseline: +12.4 means the value is 12.4 % above the
//     baseline (what LKP's %change column prints). It is never a fraction.
//   * `delta` is an absolute difference, given when the mail prints one instead of a percent
//     (LKP perf-profile / percentage-point rows print "-32.6" meaning 38.72 -> 6.15).
//   * `direction` says whether the change is good: LKP says so in its subject/"noticed" sentence;
//     mmtests prints a gain whose sign says so; otherwise it comes from the metric (higher is
//     better for throughput, ops, IOPS, bandwidth, …; lower is better for time, latency, cycles,
//     …) and is null when the metric does not tell or nothing is compared.
//   * `stddev` is relative, in percent of the value ("± 2%"); `stddevAbs` is absolute
//     (kernbench's "(0.67)", fio's "stdev=").
// Tables inside diffs and quotes are never read: the parsers walk MessageText.ownLines.
// Pure; no I/O.
//
// One module per format under this folder; this one runs them (findBenchmarks).

import type { MessageText, OwnLine } from "../types";
import { AFTER, BEFORE, pairBeforeAfter } from "./before-after";
import { dd, DD_GATE } from "./dd";
import { fio } from "./fio";
import { genericTable } from "./hand-made-tables";
import { kernbench } from "./kernbench";
import { lkp, LKP_NOTICED, LKP_SUBJECT } from "./lkp";
import { mmtests } from "./mmtests";
import { pftClassic } from "./pft";
import { prose, PROSE_GATE } from "./prose-claims";
import { stressNg } from "./stress-ng";
import { timeOutput } from "./time";
import { willItScale } from "./will-it-scale";
import type { Ctx } from "./context";
import type { Benchmark } from "./types";

export type { Benchmark, BenchmarkDirection } from "./types";
export { betterWhen, parseNumber } from "./metrics";
export { parseLkpRow, lkpSubject } from "./lkp";
export { reportOf, type ReportInput, type RobotReport, type RobotReportKind } from "./robot-report";

/** the parsers whose runs are paired before/after */
const PAIRED: ReadonlySet<string> = new Set(["time", "time-v", "fio", "dd", "mmc_test"]);

export interface BenchmarkOptions {
  /** the Subject header (an LKP subject carries the headline) */
  subject?: string;
  /**
   * the message is a kernel test robot report (reportOf() said so). Its tables are read wherever
   * they stand in its own message (after a "-- " or "---" line too: the robot's template puts
   * them there at times), and only the robot's formats are read. Unset: told from the body (the
   * "noticed" sentence) or a robot subject that is not a reply.
   */
  robot?: boolean;
}

/** The body's lines that no one quotes ("> "), numbered as MessageText numbers them. */
export function unquotedLines(text: string): OwnLine[] {
  const out: OwnLine[] = [];
  const ls = text.split("\n");
  for (let i = 0; i < ls.length; i++) if (!/^\s{0,3}>/.test(ls[i])) out.push({ line: i + 1, text: ls[i] });
  return out;
}

/** Benchmark figures in the message's own text (and an LKP subject). */
export function findBenchmarks(input: MessageText, opts: BenchmarkOptions = {}): Benchmark[] {
  const subject = opts.subject ?? "";
  const ownText = input.ownLines.map((l) => l.text).join("\n");
  const subj = subject.replace(/\s+/g, " ");
  const robot = opts.robot ?? (LKP_NOTICED.test(ownText) || (LKP_SUBJECT.test(subj) && !/^\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:/i.test(subj)));
  if (robot) {
    // a robot's report: its own lines are every unquoted line (its tables may follow its "-- "),
    // and nothing but its formats is read (its template's prose and parameters are no figures)
    const ctx: Ctx = { own: unquotedLines(input.text), used: new Set(), out: [] };
    const all = ctx.own.map((l) => l.text).join("\n");
    if (LKP_SUBJECT.test(subj) || /%stddev|testcase: change|noticed an? /.test(all)) lkp(ctx, subject);
    return ctx.out.sort((a, b) => a.lines[0] - b.lines[0] || (a.role === "headline" ? -1 : 0));
  }
  const ctx: Ctx = { own: input.ownLines, used: new Set(), out: [] };
  // Every parser runs only when the author's text holds what its rows cannot do without (a cheap
  // test over the whole text): most messages carry no figures at all, and each parser would
  // otherwise try its patterns on every line. Each gate is a necessary condition of the parser
  // finding (or marking) anything, so the result is the same.
  const all = ownText;
  if (LKP_SUBJECT.test(subject.replace(/\s+/g, " ")) || /%stddev|testcase: change|noticed an? /.test(all)) lkp(ctx, subject);
  if (all.includes("%)")) mmtests(ctx);
  if (/\/(?:cpu|w?sec)/i.test(all)) pftClassic(ctx);
  if (/\d(?:s )?user\b|\breal:?\s+\d|Command being timed:|User time \(seconds\):/.test(all)) timeOutput(ctx);
  if (/_(?:processes|threads)\s+\d|tasks,processes/.test(all)) willItScale(ctx);
  if (/stressor\s+bogo ops/.test(all)) stressNg(ctx);
  if (/Average \w+ load -j|(?:Elapsed Time|User Time|System Time|Percent CPU|Context Switches|Sleeps)\s+[+-]?\d/i.test(all)) kernbench(ctx);
  if (/groupid=|iops=/i.test(all)) fio(ctx);
  if (all.includes(" copied,") && DD_GATE.test(all)) dd(ctx);
  if (/\d/.test(all)) genericTable(ctx);
  if (PROSE_GATE.test(all)) prose(ctx);
  // the same tool run before and after the change: one figure per quantity
  if (ctx.out.length > 1 && BEFORE.test(all) && AFTER.test(all)) pairBeforeAfter(ctx, PAIRED);
  return ctx.out.sort((a, b) => a.lines[0] - b.lines[0] || (a.role === "headline" ? -1 : 0));
}
