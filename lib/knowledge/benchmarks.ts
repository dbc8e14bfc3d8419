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

import { paragraphs, sentences } from "./text";
import type { MessageText, OwnLine, Provenance } from "./types";

export type BenchmarkDirection = "improvement" | "regression" | null;

export interface Benchmark extends Provenance {
  /** the benchmark suite ("vm-scalability", "will-it-scale", "mmtests", "fio", "stress-ng", "kernbench", "pft", "time"); null when a prose claim names none */
  suite: string | null;
  /** the test within the suite ("lru-file-readtwice", "page_fault3", "pft-threads", a fio job, a stressor) */
  test?: string;
  /** what was measured ("throughput", "per_process_ops", "elapsed", "faults/cpu-1", "read.iops"); null when a prose claim names none */
  metric: string | null;
  /** mmtests' statistic column ("Amean", "Hmean", "Stddev"), fio's "avg" */
  statistic?: string;
  /** the measured (new) value */
  value?: number;
  unit?: string;
  /** the value it is compared with */
  baseline?: number;
  /** signed percent change of value against baseline (+12.4 = 12.4 % higher) */
  change?: number;
  /** absolute difference, when the mail prints that instead of a percent */
  delta?: number;
  direction: BenchmarkDirection;
  /** relative standard deviation of value, percent ("± 2%") */
  stddev?: number;
  /** relative standard deviation of the baseline, percent */
  baselineStddev?: number;
  /** absolute standard deviation of value */
  stddevAbs?: number;
  /** column names of a comparison table: what the value and the baseline were measured on */
  variant?: string;
  baselineVariant?: string;
  /** mmtests marks significant differences with "*" */
  significant?: boolean;
  machine?: string;
  config?: Record<string, string>;
  /** commits compared (LKP: the "commit:" list, base first) */
  commitBase?: string;
  commitNew?: string;
  /**
   * LKP reports: "headline" = the change the report is about (subject / "noticed" sentence /
   * "significant impact" box), "result" = another row of the tested suite, "monitor" = a
   * monitor row (perf-profile, perf-stat, vmstat, meminfo, …). Unset for other formats.
   */
  role?: "headline" | "result" | "monitor";
  /** a prose claim that cites a report: "lkp" when it names the kernel test robot / LKP, or the Message-ID / URL it links */
  cites?: string;
}

// ---------------------------------------------------------------------------------------------
// numbers, suites, directions

const NUM = String.raw`[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?`;
const PM = String.raw`(?:±|Â±|\uFFFD|\+-|\+\/-)`;

/** "12.3k" -> 12300, "18.2M" -> 18200000, "8.412e+08", "1,234.5" */
export function parseNumber(s: string): number | undefined {
  const m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?|[+-]?\.\d+)([kKMGT])?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1].replace(/,/g, ""));
  if (!Number.isFinite(n)) return undefined;
  const mul = m[2] ? { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]]! : 1;
  return n * mul;
}

function pct(base: number | undefined, value: number | undefined): number | undefined {
  if (base === undefined || value === undefined || base === 0) return undefined;
  return round(((value - base) / Math.abs(base)) * 100);
}

function round(n: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Known suites, in the spellings mail uses. */
const SUITES: [RegExp, string][] = [
  [/\bvm-scalability\b/i, "vm-scalability"],
  [/\bwill-it-scale\b/i, "will-it-scale"],
  [/\bstress-ng\b/i, "stress-ng"],
  [/\bmmtests\b/i, "mmtests"],
  [/\bkernbench\b/i, "kernbench"],
  [/\bfio\b/, "fio"],
  [/\bhackbench\b/i, "hackbench"],
  [/\bnetperf\b/i, "netperf"],
  [/\bunixbench\b/i, "unixbench"],
  [/\bsysbench\b/i, "sysbench"],
  [/\bfsmark\b|\bfs_mark\b/i, "fsmark"],
  [/\baim7\b/i, "aim7"],
  [/\baim9\b/i, "aim9"],
  [/\bdbench\b/i, "dbench"],
  [/\btbench\b/i, "tbench"],
  [/\blmbench\b/i, "lmbench"],
  [/\bschbench\b/i, "schbench"],
  [/\bebizzy\b/i, "ebizzy"],
  [/\bspecjbb\b/i, "specjbb"],
  [/\bredis-benchmark\b|\bredis\b/i, "redis"],
  [/\bmemtier\b/i, "memtier"],
  [/\bpgbench\b/i, "pgbench"],
  [/\bfxmark\b/i, "fxmark"],
  [/\bphoronix\b/i, "phoronix"],
  [/\bperf bench\b/i, "perf-bench"],
  [/\bblogbench\b/i, "blogbench"],
  [/\bpft-threads\b|\bpft\b/i, "pft"],
  [/\biperf3?\b/i, "iperf"],
  [/\bsockperf\b/i, "sockperf"],
  [/\bosbench\b/i, "osbench"],
  [/\bstream\b(?= benchmark| triad| copy)/i, "stream"],
];

/** Known tests and the suite they belong to. */
const TESTS: [RegExp, string, string][] = [
  [/\blru-file-readtwice\b/i, "vm-scalability", "lru-file-readtwice"],
  [/\blru-file-mmap-read\b/i, "vm-scalability", "lru-file-mmap-read"],
  [/\b(?:anon|lru|small|msync|mmap)-[a-z0-9-]+\b(?=[^.]*vm-scalability)/i, "vm-scalability", ""],
  [/\bpage_fault\d\b/i, "will-it-scale", ""],
  [/\b(?:brk|mmap|malloc|lock|read|write|pread|pwrite|poll|signal|futex|sched_yield|getppid|context_switch|unlink|open|eventfd|pipe|tlb_flush)\d(?:_(?:processes|threads))?\b/i, "will-it-scale", ""],
  [/\bpft-threads\b/i, "mmtests", "pft-threads"],
  [/\bconfig-workload-([\w-]+)/i, "mmtests", "$1"],
];

function suiteIn(s: string): string | undefined {
  for (const [re, name] of SUITES) if (re.test(s)) return name;
  return undefined;
}

function testIn(s: string): { suite: string; test: string } | undefined {
  for (const [re, suite, test] of TESTS) {
    const m = re.exec(s);
    if (m) return { suite, test: test === "$1" ? m[1] : test || m[0] };
  }
  return undefined;
}

const HIGHER = /throughput|performance|\bops\b|_ops\b|\bops\/|iops|\bbw\b|bandwidth|per_sec|per-sec|\/s\b|\/sec\b|per-min|jobs|score|\bipc\b|bogo|transactions|\btps\b|\bqps\b|requests|speed|works|files_per_sec|faults?\/cpu|faults?\/w?sec|flt\/cpu|hits|\brate\b|MB\/s|GB\/s|ops_per/i;
const LOWER = /time|latency|\blat\b|\.lat|elapsed|duration|\bwall\b|cycles|\bcpi\b|misses|miss-rate|contention|stall|\bwait|overhead|\brss\b|maxrss|seconds|\bsys\b|\buser\b|\bsystem\b|\breal\b|context.?switch|migrations|mpki|slowpath|spinning|jitter|footprint/i;

/** +1: higher is better, -1: lower is better, 0: the metric does not say. */
export function betterWhen(metric: string): 1 | -1 | 0 {
  if (HIGHER.test(metric)) return 1;
  if (LOWER.test(metric)) return -1;
  return 0;
}

function directionOf(metric: string | null, change: number | undefined): BenchmarkDirection {
  if (!metric || change === undefined || change === 0) return null;
  const b = betterWhen(metric);
  if (!b) return null;
  return Math.sign(change) === b ? "improvement" : "regression";
}

function splitMetric(name: string): { suite: string | null; metric: string } {
  const i = name.indexOf(".");
  if (i <= 0) return { suite: null, metric: name };
  return { suite: name.slice(0, i), metric: name.slice(i + 1) };
}

// ---------------------------------------------------------------------------------------------
// robot reports

export type RobotReportKind = "performance" | "build-error" | "build-warning" | "build-summary" | "static-analysis" | "runtime" | "other";

export interface RobotReport extends Provenance {
  /** always "kernel test robot" today (LKP / 0-day) */
  robot: "kernel test robot";
  kind: RobotReportKind;
  /** the commit the report is about: the full id when the body gives it, else the short one of the subject */
  commit?: string;
  commitTitle?: string;
  /** "linux-next:master", "axboe-block:for-next" (the subject's first bracket) */
  tree?: string;
  /** build reports: the patch the robot tested ("patch link: https://lore.kernel.org/r/<msgid>"), as a Message-ID */
  patchMsgid?: string;
  /** build reports: what the patch was applied on ("base: linus/master", a commit id) */
  base?: string;
  /** the report's own id in the 0-day archive / lore ("202403051432.7c1d9e0f-lkp@intel.com") */
  reportId?: string;
  /** performance reports: the headline */
  suite?: string;
  metric?: string;
  change?: number;
  direction?: BenchmarkDirection;
}

export interface ReportInput {
  subject: string;
  /** the sender */
  from: { name: string; address: string } | string;
  /** the body, or its MessageText (own lines) when the caller has one */
  body: string | MessageText;
}

const ROBOT_NAME = /\b(?:kernel|kbuild) test robot\b/i;
const ROBOT_ADDR = /^lkp@intel\.|^(?:kernel-test-robot|lkp)@/i;
/** "[linux-next:master] [mm/vmscan]  3f2a1b9c8d: vm-scalability.throughput 12.4% improvement" */
const LKP_SUBJECT = /(?:^|\s)([0-9a-f]{7,40}):\s+([A-Za-z0-9][\w+-]*)\.(\S+?)\s+([+-]?\d+(?:\.\d+)?)%\s+(regression|improvement)\b/;
/** "kernel test robot noticed a 12.4% improvement of vm-scalability.throughput on:" / "FYI, we noticed a -53.4% regression of will-it-scale.per_process_ops due to commit:" */
const LKP_NOTICED = /\bnoticed an? ([+-]?\d+(?:\.\d+)?)%\s+(regression|improvement) of ([A-Za-z0-9][\w+-]*)\.(\S+?)(?:\s+(?:on|due to)\b|:|\s*$)/;

function fromString(f: ReportInput["from"]): { name: string; address: string } {
  if (typeof f !== "string") return f;
  const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(f);
  return m ? { name: m[1].replace(/^"|"$/g, ""), address: m[2].toLowerCase() } : { name: f, address: f.includes("@") ? f.toLowerCase() : "" };
}

/**
 * Whether the message is a kernel test robot report, what kind, and which commit (and, for build
 * reports, which patch) it is about, so the caller can link it to its patch and series.
 */
export function reportOf(m: ReportInput): RobotReport | null {
  const from = fromString(m.from);
  const mt = typeof m.body === "string" ? null : m.body;
  const text = mt ? mt.text : (m.body as string);
  const own = mt ? mt.ownLines : text.replace(/\r\n?/g, "\n").split("\n").map((t, i) => ({ line: i + 1, text: t })).filter((l) => !l.text.startsWith(">"));
  const ownText = own.map((l) => l.text).join("\n");
  const byName = ROBOT_NAME.test(from.name) || ROBOT_ADDR.test(from.address);
  const byBody = /^(?:kernel test robot noticed|FYI, we noticed|Greeting,\s*$)/m.test(ownText) && /0-DAY (?:CI Kernel Test Service|kernel test infrastructure)|lkp-tests|Kernel Test Service/i.test(text);
  if (!byName && !byBody) return null;

  const subj = m.subject.replace(/\s+/g, " ");
  const out: RobotReport = { robot: "kernel test robot", kind: "other", lines: [0, 0], method: byName ? "robot:from" : "robot:body", confidence: byName ? 0.98 : 0.8, quote: subj };
  const tree = /\[([\w.-]+:[\w./-]+)(?:\s+\d+\/\d+)?\]/.exec(subj);
  if (tree) out.tree = tree[1];

  const ls = LKP_SUBJECT.exec(subj);
  const noticed = own.find((l) => LKP_NOTICED.test(l.text));
  const hasTable = own.some((l) => /%stddev\s+%?change\s+%stddev/.test(l.text));
  if (ls || noticed || hasTable) {
    out.kind = "performance";
    if (ls) {
      out.commit = ls[1];
      out.suite = ls[2];
      out.metric = ls[3];
      out.change = Number(ls[4]);
      out.direction = ls[5] as BenchmarkDirection;
    } else if (noticed) {
      const n = LKP_NOTICED.exec(noticed.text)!;
      out.suite = n[3];
      out.metric = n[4];
      out.change = Number(n[1]);
      out.direction = n[2] as BenchmarkDirection;
    }
    if (noticed) {
      out.lines = [noticed.line, noticed.line];
      out.quote = noticed.text.trim();
    }
  } else if (/\bBUILD (?:REGRESSION|SUCCESS)\b/.test(subj)) {
    out.kind = "build-summary";
    const c = /BUILD (?:REGRESSION|SUCCESS(?: WITH WARNING)?)\s+([0-9a-f]{7,40})/.exec(subj);
    if (c) out.commit = c[1];
  } else if (/\bcan be static\b|\bcan be made static\b|\b(?:sparse|smatch|coccinelle|cocci|checkpatch|Klocwork|clang-analyzer|kernel-doc|objtool|dtschema|dtbs_check)\b/i.test(subj) || /noticed the following (?:sparse|smatch|coccinelle)|\bsparse: |cocci(?:nelle)? warnings|smatch warnings:/.test(ownText)) {
    out.kind = "static-analysis";
  } else if (/noticed the following build errors|\bbuild errors?\b|All errors \(new ones prefixed by >>\)|\[auto build test ERROR|error: |undefined reference to|ERROR: modpost/.test(ownText + "\n" + subj)) {
    out.kind = "build-error";
  } else if (/noticed the following build warnings|\bbuild warnings?\b|All warnings \(new ones prefixed by >>\)|\[auto build test WARNING|warning: /.test(ownText + "\n" + subj)) {
    out.kind = "build-warning";
  } else if (/noticed "[^"]*"|\bBUG:|\bkernel BUG\b|\bWARNING:|\bOops\b|boot failed|kernel_panic|general protection|KASAN|UBSAN|\bdmesg\b/.test(ownText + "\n" + subj)) {
    out.kind = "runtime";
  }

  // the commit: "commit: <sha> ("title")" (performance, runtime), "commit: <sha>" in build reports
  for (const l of own) {
    const c = /^\s*commit:\s+([0-9a-f]{7,40})\b(?:\s+\("(.+)"\))?/.exec(l.text);
    if (c) {
      if (!out.commit || c[1].startsWith(out.commit) || out.commit.startsWith(c[1]) || out.kind !== "performance") out.commit = c[1];
      if (c[2]) out.commitTitle = c[2];
      if (out.lines[0] === 0) {
        out.lines = [l.line, l.line];
        out.quote = l.text.trim();
      }
      break;
    }
  }
  const pl = own.map((l) => /^\s*patch link:\s+https?:\/\/lore\.kernel\.org\/(?:[\w.-]+\/)?(?:r\/)?([^\s/]+(?:@|%40)[^\s/]+)/.exec(l.text)).find(Boolean);
  if (pl) out.patchMsgid = decodeURIComponent(pl[1]);
  const base = own.map((l) => /^\s*base:\s+(\S+)(?:\s+(\S+))?\s*$/.exec(l.text)).find(Boolean);
  if (base) out.base = base[2] && !/^https?:/.test(base[2]) && /^https?:/.test(base[1]) ? `${base[1]} ${base[2]}` : base[1];
  const rid = /(?:0day-ci\/archive\/\d+\/|lore\.kernel\.org\/oe-(?:lkp|kbuild-all)\/|Closes: https?:\/\/lore\.kernel\.org\/[\w-]+\/)([\w.+-]+@[\w.-]+)/.exec(ownText);
  if (rid) out.reportId = rid[1];
  if (!out.commit && ls) out.commit = ls[1];
  return out;
}

// ---------------------------------------------------------------------------------------------
// the analyzer

export interface BenchmarkOptions {
  /** the Subject header (an LKP subject carries the headline) */
  subject?: string;
}

interface Ctx {
  own: OwnLine[];
  /** own-line indexes already consumed by a table parser (prose claims skip them) */
  used: Set<number>;
  out: Benchmark[];
}

/** Benchmark figures in the message's own text (and an LKP subject). */
export function findBenchmarks(input: MessageText, opts: BenchmarkOptions = {}): Benchmark[] {
  const ctx: Ctx = { own: input.ownLines, used: new Set(), out: [] };
  // Every parser runs only when the author's text holds what its rows cannot do without (a cheap
  // test over the whole text): most messages carry no figures at all, and each parser would
  // otherwise try its patterns on every line. Each gate is a necessary condition of the parser
  // finding (or marking) anything, so the result is the same.
  const all = ctx.own.map((l) => l.text).join("\n");
  const subject = opts.subject ?? "";
  if (LKP_SUBJECT.test(subject.replace(/\s+/g, " ")) || /%stddev|testcase: change|noticed an? /.test(all)) lkp(ctx, subject);
  if (all.includes("%)")) mmtests(ctx);
  if (/\/(?:cpu|w?sec)/i.test(all)) pftClassic(ctx);
  if (/\d(?:s )?user\b|^\s*real\s|Command being timed:|User time \(seconds\):/m.test(all)) timeOutput(ctx);
  if (/_(?:processes|threads)\s+\d|tasks,processes/.test(all)) willItScale(ctx);
  if (/stressor\s+bogo ops/.test(all)) stressNg(ctx);
  if (/Average \w+ load -j|(?:Elapsed Time|User Time|System Time|Percent CPU|Context Switches|Sleeps)\s+[+-]?\d/i.test(all)) kernbench(ctx);
  if (/groupid=|iops=/i.test(all)) fio(ctx);
  if (/\d/.test(all)) genericTable(ctx);
  if (PROSE_GATE.test(all)) prose(ctx);
  return ctx.out.sort((a, b) => a.lines[0] - b.lines[0] || (a.role === "headline" ? -1 : 0));
}

function mark(ctx: Ctx, from: number, to: number): void {
  for (let i = from; i <= to; i++) ctx.used.add(i);
}

/** The prose just above own line i (up to 6 lines, stopping at a table line already used), for context. */
function contextAbove(ctx: Ctx, i: number, n = 6): string {
  const parts: string[] = [];
  for (let k = i - 1; k >= 0 && k >= i - n; k--) {
    if (ctx.used.has(k)) break;
    parts.unshift(ctx.own[k].text);
  }
  return parts.join("\n");
}

// ---------------------------------------------------------------------------------------------
// LKP

interface LkpSection {
  testcase?: string;
  machine?: string;
  config: Record<string, string>;
  commits: string[];
}

function lkp(ctx: Ctx, subject: string): void {
  const own = ctx.own;
  const subj = subject.replace(/\s+/g, " ");
  const isReply = /^\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:/i.test(subj);
  const headline = LKP_SUBJECT.exec(subj);
  let top: LkpSection = { config: {}, commits: [] };
  let sec: LkpSection = top;
  let reportCommit: string | undefined;
  let noticed: { line: OwnLine; m: RegExpExecArray } | null = null;
  const rows: Benchmark[] = [];
  const heads: Benchmark[] = [];
  /** the machine a "***" separator names, for the next details section */
  let pendingMachine: string | undefined;

  for (let i = 0; i < own.length; i++) {
    const t = own[i].text;
    let m: RegExpExecArray | null;
    if (!noticed && (m = LKP_NOTICED.exec(t))) {
      noticed = { line: own[i], m };
      ctx.used.add(i);
      continue;
    }
    if ((m = /^\s*commit:\s+([0-9a-f]{7,40})\b/.exec(t)) && !reportCommit) {
      reportCommit = m[1];
      continue;
    }
    if (/^\s*commit:\s*$/.test(t)) {
      sec.commits = [];
      for (let j = i + 1; j < own.length; j++) {
        const c = /^\s+([0-9a-f]{7,40})(?:\s+[("=]|\s*$)/.exec(own[j].text);
        if (!c) break;
        sec.commits.push(c[1]);
        i = j;
      }
      continue;
    }
    if ((m = /^\s*(?:in )?testcase:\s*(\S+)\s*$/.exec(t))) {
      sec.testcase = m[1];
      continue;
    }
    if ((m = /^\s*(?:on )?test machine:\s*(.+?)\s*$/.exec(t))) {
      sec.machine = m[1];
      continue;
    }
    if (/^\s*(?:with following )?parameters:\s*$/.test(t)) {
      for (let j = i + 1; j < own.length; j++) {
        const p = /^\s+([\w.-]+):\s*(.*?)\s*$/.exec(own[j].text);
        if (p) {
          sec.config[p[1]] = p[2];
          i = j;
          continue;
        }
        if (own[j].text.trim() === "" && j + 1 < own.length && /^\s+[\w.-]+:\s/.test(own[j + 1].text)) continue;
        break;
      }
      continue;
    }
    // "compiler/cpufreq_governor/kconfig/…/testcase:" + "  gcc-12/performance/…/vm-scalability"
    if ((m = /^([\w-]+(?:\/[\w-]+)+):\s*$/.exec(t)) && i + 1 < own.length) {
      const keys = m[1].split("/");
      const vals = own[i + 1].text.trim().split("/");
      if (vals.length === keys.length) {
        // a new details section (the first one continues the top of the report)
        if (sec !== top || Object.keys(sec.config).some((k) => keys.includes(k) && sec.config[k] !== vals[keys.indexOf(k)])) {
          sec = { machine: pendingMachine ?? sec.machine, config: {}, commits: [], testcase: undefined };
        }
        keys.forEach((k, n) => (sec.config[k] ??= vals[n]));
        if (sec.config.testcase) sec.testcase = sec.config.testcase;
        if (sec.config.tbox_group && !sec.machine) sec.machine = sec.config.tbox_group;
        pendingMachine = undefined;
        i++;
      }
      continue;
    }
    // "***…***" then "lkp-csl-2sp3: 96 threads 2 sockets …" names the machine of the next section
    if (/^\*{20,}\s*$/.test(t)) {
      const next = own[i + 1]?.text ?? "";
      const mm = /^\s*([\w.-]+):\s+(\d+ threads .+)$/.exec(next);
      if (mm) {
        pendingMachine = mm[2];
        i++;
      }
      continue;
    }
    // "| testcase: change | fsmark: fsmark.files_per_sec -54.0% regression |"
    if ((m = /^\|\s*testcase: change\s*\|\s*([\w.+-]+):\s+([\w.+-]+?)\.(\S+)\s+([+-]?\d+(?:\.\d+)?)%\s+(regression|improvement)\s*\|?\s*$/.exec(t))) {
      const start = i;
      const config: Record<string, string> = {};
      let machine: string | undefined;
      let j = i + 1;
      for (; j < own.length; j++) {
        const r = own[j].text;
        if (/^\|\s*testcase: change/.test(r) || !/^[|+]/.test(r)) break;
        const mach = /^\|\s*test machine\s*\|\s*(.+?)\s*\|?\s*$/.exec(r);
        if (mach) machine = mach[1];
        const par = /^\|\s*(?:test parameters)?\s*\|\s*([\w.-]+)=(.*?)\s*\|?\s*$/.exec(r);
        if (par) config[par[1]] = par[2];
      }
      const change = Number(m[4]);
      heads.push({
        suite: m[2],
        test: config.test,
        metric: m[3],
        change,
        direction: m[5] as BenchmarkDirection,
        machine,
        config,
        commitNew: reportCommit,
        role: "headline",
        lines: [own[start].line, own[j - 1].line],
        method: "lkp-impact",
        confidence: 0.9,
        quote: t.trim(),
      });
      mark(ctx, start, j - 1);
      i = j - 1;
      continue;
    }
    // the comparison table
    if (/%stddev\s+%?change\s+%stddev/.test(t)) {
      ctx.used.add(i);
      // column commits: the "----------------" line is preceded by the commit ids
      let cols = sec.commits.slice();
      for (let k = i - 1; k >= Math.max(0, i - 3); k--) {
        const ids = own[k].text.trim().split(/\s+/).filter((x) => !/^testcase\/testparams\/testbox$/.test(x));
        if (ids.length >= 2 && ids.every((x) => /^[0-9a-f]{7,40}$/.test(x))) {
          // the header's ids are longer than the "commit:" list's: keep the longer of each pair
          cols = cols.length ? ids.map((id, n) => (cols[n] && !id.startsWith(cols[n]) ? cols[n] : id)) : ids;
          break;
        }
      }
      let j = i + 1;
      if (j < own.length && /^\s*\\\s+\|\s+\\/.test(own[j].text)) {
        ctx.used.add(j);
        j++;
      }
      for (; j < own.length; j++) {
        const r = own[j].text;
        if (r.trim() === "") {
          // a table continues after one blank line when the next line is a row again
          if (j + 1 < own.length && parseLkpRow(own[j + 1].text)) continue;
          break;
        }
        const row = parseLkpRow(r);
        if (!row) {
          if (/^\s*\\\s+\|\s+\\/.test(r) || /^-{10,}/.test(r.trim())) continue;
          break;
        }
        ctx.used.add(j);
        const name = row.metric;
        // old reports: "will-it-scale/performance-process-16-read2-ucode=0x21/lkp-ivb-d02" (testcase/testparams/testbox)
        const tpb = /^([\w-]+)\/(\S+)\/([\w.-]+)$/.exec(name);
        const split = splitMetric(name.replace(/^GEO-MEAN\s+/, ""));
        const suite = tpb ? tpb[1] : split.suite;
        const metric = tpb ? (headline && headline[2] === tpb[1] ? headline[3] : null) : split.metric;
        const testcase = sec.testcase ?? sec.config.testcase ?? top.testcase;
        const role: Benchmark["role"] = tpb || name.startsWith("GEO-MEAN") || (suite && testcase && suite === testcase) || (headline && suite === headline[2]) ? "result" : "monitor";
        for (let c = 0; c < row.cols.length; c++) {
          const col = row.cols[c];
          const b: Benchmark = {
            suite: suite ?? testcase ?? null,
            test: tpb ? tpb[2] : (sec.config.test ?? top.config.test),
            metric,
            value: col.value,
            baseline: row.base,
            change: col.change,
            delta: col.delta,
            direction: role === "monitor" ? null : directionOf(metric, col.change ?? col.delta),
            stddev: col.stddev,
            baselineStddev: row.baseStddev,
            machine: tpb ? tpb[3] : (sec.machine ?? top.machine),
            config: { ...top.config, ...sec.config },
            commitBase: cols[0],
            commitNew: cols[c + 1] ?? (c === 0 ? reportCommit : undefined),
            role,
            lines: [own[j].line, own[j].line],
            method: "lkp-table",
            confidence: 0.9,
            quote: r.trim(),
          };
          if (name.startsWith("GEO-MEAN")) b.statistic = "GEO-MEAN";
          rows.push(strip(b));
        }
      }
      i = j - 1;
      continue;
    }
  }

  // the headline: the subject, else the "noticed" sentence; filled from the matching table row
  // a reply (a human answering a report, or the robot's own follow-up with new tables) does not
  // restate the subject's headline: its tables compare other things
  const hsrc = headline && (!isReply || noticed !== null)
    ? { suite: headline[2], metric: headline[3], change: Number(headline[4]), dir: headline[5], commit: headline[1], method: "lkp-subject" }
    : noticed
      ? { suite: noticed.m[3], metric: noticed.m[4], change: Number(noticed.m[1]), dir: noticed.m[2], commit: undefined, method: "lkp-noticed" }
      : null;
  if (hsrc) {
    const agrees = (c: number | undefined) => c === undefined || Math.abs(Math.abs(c) - Math.abs(hsrc.change)) < 0.06;
    const row = rows.find((r) => r.suite === hsrc.suite && r.metric === hsrc.metric && agrees(r.change));
    const h: Benchmark = {
      suite: hsrc.suite,
      test: top.config.test,
      metric: hsrc.metric,
      value: row?.value,
      baseline: row?.baseline,
      // the table's signed %change is the truth when the subject leaves the sign out
      change: row?.change !== undefined ? row.change : hsrc.change,
      direction: hsrc.dir as BenchmarkDirection,
      stddev: row?.stddev,
      baselineStddev: row?.baselineStddev,
      machine: top.machine,
      config: Object.keys(top.config).length ? { ...top.config } : undefined,
      commitBase: row?.commitBase,
      commitNew: reportCommit ?? hsrc.commit ?? row?.commitNew,
      role: "headline",
      lines: noticed ? [noticed.line.line, noticed.line.line] : row ? row.lines : [0, 0],
      method: hsrc.method,
      confidence: 0.95,
      quote: noticed ? noticed.line.text.trim() : subj,
    };
    ctx.out.push(strip(h));
  }
  ctx.out.push(...heads, ...rows);
}

interface LkpCol {
  value?: number;
  stddev?: number;
  change?: number;
  delta?: number;
}

/** "  41235812 ±  2%     +12.4%   46349273        vm-scalability.throughput" (and more columns) */
export function parseLkpRow(line: string): { base: number; baseStddev?: number; cols: LkpCol[]; metric: string } | null {
  const t = line.replace(new RegExp(PM + String.raw`\s*(\d+)%`, "g"), " ±$1% ").trim();
  const tok = t.split(/\s+/);
  if (tok.length < 3) return null;
  let k = 0;
  const base = parseNumber(tok[k]);
  if (base === undefined) return null;
  k++;
  let baseStddev: number | undefined;
  if (/^±\d+%$/.test(tok[k] ?? "")) baseStddev = Number(tok[k++].slice(1, -1));
  const cols: LkpCol[] = [];
  while (k < tok.length) {
    const ch = tok[k];
    let change: number | undefined;
    let delta: number | undefined;
    const pm = /^([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)%$/.exec(ch);
    if (pm) change = Number(pm[1]);
    else if (/^[+-]\d+(?:\.\d+)?(?:e[+-]?\d+)?$/.test(ch)) delta = Number(ch);
    else break;
    const v = parseNumber(tok[k + 1] ?? "");
    if (v === undefined) break;
    k += 2;
    let sd: number | undefined;
    if (/^±\d+%$/.test(tok[k] ?? "")) sd = Number(tok[k++].slice(1, -1));
    if (change !== undefined && (!Number.isFinite(change) || Math.abs(change) >= 1e6)) change = undefined;
    cols.push({ value: v, stddev: sd, change, delta });
  }
  if (!cols.length || k >= tok.length) return null;
  const metric = tok.slice(k).join(" ");
  if (!/[a-zA-Z]/.test(metric)) return null;
  return { base, baseStddev, cols, metric };
}

function strip<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

// ---------------------------------------------------------------------------------------------
// mmtests compare-kernels

const MM_STAT = String.raw`(?:Min|Max|Amean|Hmean|Gmean|Stddev|CoeffVar|Range|Median|B[AHG]mean-\d+|\d+(?:st|nd|rd|th)|Ops|Time)`;
const MM_ROW = new RegExp(String.raw`^\s*(` + MM_STAT + String.raw`)\s+(\S+)\s+(` + NUM + String.raw`)\s+\(\s*(` + NUM + String.raw`)%\)((?:\s+` + NUM + String.raw`\s+[(*]\s*` + NUM + String.raw`%\s*[)*])+)\s*$`);
const MM_COL = new RegExp(String.raw`(` + NUM + String.raw`)\s+([(*])\s*(` + NUM + String.raw`)%\s*([)*])`, "g");
const MM_PLAIN = new RegExp(String.raw`^\s*((?:Duration|System|User|Elapsed|Ops|Time)(?:\s+[A-Za-z][\w/-]*){0,3})\s+(` + NUM + String.raw`)((?:\s+` + NUM + String.raw`)+)\s*$`);

function mmtests(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i) || !MM_ROW.test(own[i].text)) continue;
    // header: up to two lines right above the first row with one name per column
    const first = i;
    let j = i;
    const rows: { idx: number; stat?: string; name: string; base: number; cols: { v: number; gain?: number; sig?: boolean }[] }[] = [];
    for (; j < own.length; j++) {
      const t = own[j].text;
      const m = MM_ROW.exec(t);
      if (m) {
        const cols: { v: number; gain?: number; sig?: boolean }[] = [];
        let c: RegExpExecArray | null;
        MM_COL.lastIndex = 0;
        while ((c = MM_COL.exec(m[5]))) cols.push({ v: parseNumber(c[1])!, gain: Number(c[3]), sig: c[2] === "*" });
        rows.push({ idx: j, stat: m[1], name: m[2], base: parseNumber(m[3])!, cols });
        continue;
      }
      const p = MM_PLAIN.exec(t);
      if (p) {
        const vals = p[3].trim().split(/\s+/).map((x) => parseNumber(x)!);
        rows.push({ idx: j, name: p[1].replace(/\s+/g, " "), base: parseNumber(p[2])!, cols: vals.map((v) => ({ v })) });
        continue;
      }
      if (t.trim() === "" && j + 1 < own.length && (MM_ROW.test(own[j + 1].text) || MM_PLAIN.test(own[j + 1].text))) continue;
      break;
    }
    const ncol = 1 + Math.max(...rows.map((r) => r.cols.length));
    const names = headerNames(own, first, ncol);
    const above = contextAbove(ctx, first - (names ? names.lines : 0), 8);
    const t = testIn(above);
    const test = t?.suite === "mmtests" ? t.test : /\bpft\b/i.test(above) ? "pft" : rows.some((r) => /^faults\//.test(r.name)) ? "pft" : undefined;
    for (const r of rows) {
      r.cols.forEach((c, n) => {
        const change = pct(r.base, c.v);
        const dir: BenchmarkDirection = c.gain !== undefined ? (c.gain > 0 ? "improvement" : c.gain < 0 ? "regression" : null) : directionOf(r.name, change);
        ctx.out.push(
          strip({
            suite: "mmtests",
            test,
            metric: r.name,
            statistic: r.stat,
            value: c.v,
            baseline: r.base,
            change,
            direction: r.stat && /^(?:Stddev|CoeffVar|Range)$/.test(r.stat) ? null : dir,
            significant: c.sig,
            variant: names?.names[n + 1],
            baselineVariant: names?.names[0],
            lines: [own[r.idx].line, own[r.idx].line] as [number, number],
            method: "mmtests",
            confidence: 0.9,
            quote: own[r.idx].text.trim(),
          }),
        );
      });
    }
    mark(ctx, first, j - 1);
    i = j - 1;
  }
}

/** Column names from the line(s) right above a table: one name per value column, or null. */
function headerNames(own: OwnLine[], first: number, ncol: number): { names: string[]; lines: number } | null {
  const got: string[][] = [];
  for (let k = first - 1; k >= 0 && k >= first - 2; k--) {
    if (own[k].line !== own[first].line - (first - k)) break;
    const t = own[k].text.trim();
    if (!t) break;
    const parts = t.split(/\s{2,}|\t+/).filter(Boolean);
    if (parts.length !== ncol) break;
    if (parts.some((p) => /^[+-]?\d+(?:\.\d+)?%?$/.test(p))) break;
    got.unshift(parts);
  }
  if (!got.length) return null;
  const names = got[0].map((_, n) => got.map((g) => g[n]).join(" "));
  return { names, lines: got.length };
}

// ---------------------------------------------------------------------------------------------
// pft (the classic page-fault test output)

function pftClassic(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const h = own[i].text.trim();
    if (!/\b(?:flt\/cpu\/s|faults?\/cpu\/s(?:ec)?|fault\/wsec|faults?\/w?sec)\b/i.test(h) || !/\b(?:Thr(?:eads)?|Tasks|CPUs?)\b/i.test(h)) continue;
    const cols = h.split(/\s+/);
    let j = i + 1;
    for (; j < own.length; j++) {
      const vals = own[j].text.trim().split(/\s+/);
      if (vals.length !== cols.length || !vals.every((v) => parseNumber(v.replace(/s$/, "")) !== undefined)) break;
      const cfg: Record<string, string> = {};
      cols.forEach((c, n) => {
        if (/^(?:Gb|Rep|Thr|Threads|Tasks|CPUs?|CLine|Procs)$/i.test(c)) cfg[c.toLowerCase()] = vals[n];
      });
      cols.forEach((c, n) => {
        if (/^(?:Gb|Rep|Thr|Threads|Tasks|CPUs?|CLine|Procs)$/i.test(c)) return;
        const v = parseNumber(vals[n].replace(/s$/, ""));
        ctx.out.push(strip({ suite: "pft", test: testIn(contextAbove(ctx, i))?.test, metric: c, value: v, unit: /^(?:User|System|Wall|Elapsed)$/i.test(c) ? "s" : undefined, direction: null, config: cfg, lines: [own[j].line, own[j].line] as [number, number], method: "pft", confidence: 0.85, quote: own[j].text.trim() }));
      });
    }
    if (j > i + 1) {
      mark(ctx, i, j - 1);
      i = j - 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// time(1)

function seconds(s: string): number | undefined {
  // "1:02:03.4", "2:04.04", "0m12.345s", "12.34s", "12.34"
  let m = /^(\d+)m([\d.]+)s$/.exec(s);
  if (m) return round(Number(m[1]) * 60 + Number(m[2]), 3);
  m = /^(?:(\d+):)?(\d+):([\d.]+)$/.exec(s);
  if (m) return round((m[1] ? Number(m[1]) * 3600 : 0) + Number(m[2]) * 60 + Number(m[3]), 3);
  m = /^([\d.]+)s?$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** The command a time(1) output measured: the nearest command-looking line above it. */
function timedCommand(ctx: Ctx, i: number, sameLine?: string): string | undefined {
  if (sameLine && sameLine.trim()) return sameLine.trim();
  for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
    const t = ctx.own[k].text.trim();
    if (!t) continue;
    if (/^(?:[$#%>]\s+|\.\/|time\s|sudo\s|perf\s|make\s|\/usr\/bin\/time|\S+\.sh\b|\S+\/\S+\s+-)/.test(t) || /run-mmtests|--config\b/.test(t)) return t.replace(/^[$#%>]\s+/, "");
  }
  return undefined;
}

function timeSuite(cmd: string | undefined, ctx: Ctx, i: number): { suite: string; test?: string } {
  const around = (cmd ?? "") + "\n" + contextAbove(ctx, i, 4);
  const t = testIn(around);
  if (t) return { suite: t.suite, test: t.test };
  if (/run-mmtests/.test(around)) return { suite: "mmtests" };
  const s = cmd ? suiteIn(cmd) : undefined;
  return s ? { suite: s } : { suite: "time" };
}

function timeOutput(ctx: Ctx): void {
  const own = ctx.own;
  const emit = (i: number, last: number, metrics: [string, number | undefined, string][], method: string, cmd: string | undefined) => {
    const st = timeSuite(cmd, ctx, i);
    for (const [metric, value, unit] of metrics) {
      if (value === undefined) continue;
      ctx.out.push(strip({ suite: st.suite, test: st.test, metric, value, unit, direction: null, config: cmd ? { command: cmd } : undefined, lines: [own[i].line, own[last].line] as [number, number], method, confidence: 0.9, quote: own.slice(i, last + 1).map((l) => l.text.trim()).join("\n") }));
    }
    mark(ctx, i, last);
  };
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    let m: RegExpExecArray | null;
    // zsh: "39.35s user 445.45s system 390% cpu 124.04s (2:04.04) total" (the command may lead the line)
    if ((m = /^(.*?)\s*([\d.]+)s user\s+([\d.]+)s system\s+(\d+)% cpu\s+(?:([\d.]+)s\s+\(([\d:.]+)\)|([\d:.]+))\s+total\s*$/.exec(t))) {
      const elapsed = m[5] ? Number(m[5]) : seconds(m[7]);
      emit(i, i, [["user", Number(m[2]), "s"], ["system", Number(m[3]), "s"], ["cpu", Number(m[4]), "%"], ["elapsed", elapsed, "s"]], "time", timedCommand(ctx, i, m[1]));
      continue;
    }
    // GNU default: "1.23user 0.12system 0:12.34elapsed 95%CPU (0avgtext+0avgdata 1234maxresident)k"
    if ((m = /^(.*?)\s*([\d.]+)user\s+([\d.]+)system\s+([\d:.]+)elapsed\s+(\d+)%CPU(?:\s+\(\d+avgtext\+\d+avgdata\s+(\d+)maxresident\)k)?/.exec(t))) {
      const n = ctx.out.length;
      emit(i, i, [["user", Number(m[2]), "s"], ["system", Number(m[3]), "s"], ["elapsed", seconds(m[4]), "s"], ["cpu", Number(m[5]), "%"], ["maxrss", m[6] ? Number(m[6]) : undefined, "KiB"]], "time", timedCommand(ctx, i));
      // "Base 6.9.0 : 0.07user …": the label says which kernel was timed
      const label = m[1].replace(/[:=-]\s*$/, "").trim();
      if (label) for (const b of ctx.out.slice(n)) b.variant = label;
      continue;
    }
    // bash / POSIX: real / user / sys on three lines
    if ((m = /^\s*real\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(t)) && i + 2 < own.length) {
      const u = /^\s*user\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(own[i + 1].text);
      const s = /^\s*sys\s+(\d+m[\d.]+s|[\d.]+)\s*$/.exec(own[i + 2].text);
      if (u && s) {
        emit(i, i + 2, [["elapsed", seconds(m[1]), "s"], ["user", seconds(u[1]), "s"], ["system", seconds(s[1]), "s"]], "time", timedCommand(ctx, i));
        i += 2;
        continue;
      }
    }
    // GNU time -v
    if (/^\s*Command being timed:/.test(t) || (/^\s*User time \(seconds\):/.test(t) && !ctx.used.has(i))) {
      const metrics: [string, number | undefined, string][] = [];
      let cmd: string | undefined;
      let j = i;
      for (; j < own.length; j++) {
        const r = own[j].text.trim();
        let v: RegExpExecArray | null;
        if ((v = /^Command being timed:\s*"?(.*?)"?$/.exec(r))) cmd = v[1];
        else if ((v = /^User time \(seconds\):\s*([\d.]+)/.exec(r))) metrics.push(["user", Number(v[1]), "s"]);
        else if ((v = /^System time \(seconds\):\s*([\d.]+)/.exec(r))) metrics.push(["system", Number(v[1]), "s"]);
        else if ((v = /^Percent of CPU this job got:\s*(\d+)%/.exec(r))) metrics.push(["cpu", Number(v[1]), "%"]);
        else if ((v = /^Elapsed \(wall clock\) time(?: \([^)]*\))?:\s*([\d:.]+)/.exec(r))) metrics.push(["elapsed", seconds(v[1]), "s"]);
        else if ((v = /^Maximum resident set size \(kbytes\):\s*(\d+)/.exec(r))) metrics.push(["maxrss", Number(v[1]), "KiB"]);
        else if (/^[A-Z][\w ()/-]+:\s*\S/.test(r)) continue;
        else break;
      }
      if (metrics.length) {
        emit(i, j - 1, metrics, "time-v", cmd ?? timedCommand(ctx, i));
        i = j - 1;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// will-it-scale

function willItScale(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    let m: RegExpExecArray | null;
    // "page_fault3_threads 16 1234567 ops" / "page_fault3_processes  1  123,456 ops/s"
    if ((m = /^\s*([a-z][a-z0-9_]*?)_(processes|threads)\s+(\d+)\s+([\d.,]+[kKM]?)\s*(ops(?:\/s(?:ec)?)?|ops per sec(?:ond)?)\s*$/.exec(t))) {
      ctx.out.push(strip({ suite: "will-it-scale", test: m[1], metric: `per_${m[2] === "threads" ? "thread" : "process"}_ops`, value: parseNumber(m[4]), unit: "ops/s", direction: null, config: { mode: m[2], nr_task: m[3] }, lines: [own[i].line, own[i].line] as [number, number], method: "will-it-scale", confidence: 0.85, quote: t.trim() }));
      ctx.used.add(i);
      continue;
    }
    // runtest.py CSV: "tasks,processes,processes_idle,threads,threads_idle,linear"
    if (/^\s*tasks,processes,processes_idle,threads,threads_idle,linear\s*$/.test(t)) {
      const test = /\b([a-z][a-z0-9_]*\d)\b/.exec(contextAbove(ctx, i, 3))?.[1];
      let j = i + 1;
      for (; j < own.length; j++) {
        const v = own[j].text.trim().split(",");
        if (v.length !== 6 || !v.every((x) => /^\d+(?:\.\d+)?$/.test(x))) break;
        if (v[0] === "0") continue;
        for (const [metric, col] of [["per_process_ops", 1], ["per_thread_ops", 3]] as const) {
          ctx.out.push(strip({ suite: "will-it-scale", test, metric, value: Number(v[col]), unit: "ops/s", direction: null, config: { nr_task: v[0] }, lines: [own[j].line, own[j].line] as [number, number], method: "will-it-scale", confidence: 0.85, quote: own[j].text.trim() }));
        }
      }
      mark(ctx, i, j - 1);
      i = j - 1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// stress-ng

const STRESS_NG_ROW = new RegExp(String.raw`^([a-z][\w-]*)\s+(\d+)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)(?:\s+(` + NUM + String.raw`))?`);

function stressNg(ctx: Ctx): void {
  const own = ctx.own;
  const PREFIX = /^\s*(?:stress-ng:\s*(?:info|metrc|metric):\s*\[\d+\]\s*)?/;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const h = own[i].text.replace(PREFIX, "");
    if (!/^stressor\s+bogo ops\s+real time/.test(h)) continue;
    let j = i + 1;
    if (j < own.length && /\(secs\)/.test(own[j].text)) j++;
    for (; j < own.length; j++) {
      const r = own[j].text.replace(PREFIX, "").trim();
      const m = STRESS_NG_ROW.exec(r);
      if (!m) break;
      const line: [number, number] = [own[j].line, own[j].line];
      const base = { suite: "stress-ng", test: m[1], direction: null, lines: line, method: "stress-ng", confidence: 0.9, quote: r };
      ctx.out.push(strip({ ...base, metric: "bogo-ops/s", value: parseNumber(m[6]), unit: "ops/s" }));
      ctx.out.push(strip({ ...base, metric: "bogo-ops", value: Number(m[2]), config: { "real-time": m[3], "usr-time": m[4], "sys-time": m[5] } }));
    }
    mark(ctx, i, j - 1);
    i = j - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// kernbench

const KERNBENCH_ROW = new RegExp(String.raw`^\s*(Elapsed Time|User Time|System Time|Percent CPU|Context Switches|Sleeps)\s+(` + NUM + String.raw`)(?:\s+\((` + NUM + String.raw`)\))?(?:\s+(` + NUM + String.raw`)(?:\s+\((` + NUM + String.raw`)\))?)?\s*$`);

function kernbench(ctx: Ctx): void {
  const own = ctx.own;
  let config: Record<string, string> | undefined;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    const h = /^\s*Average (\w+) load -j (\d+) Run/i.exec(t);
    if (h) {
      config = { load: h[1].toLowerCase(), jobs: h[2] };
      ctx.used.add(i);
      continue;
    }
    const m = KERNBENCH_ROW.exec(t);
    if (!m) continue;
    const metric = m[1].toLowerCase();
    const first = parseNumber(m[2])!;
    const second = m[4] ? parseNumber(m[4]) : undefined;
    const change = second !== undefined ? pct(first, second) : undefined;
    ctx.out.push(
      strip({
        suite: "kernbench",
        metric,
        value: second ?? first,
        baseline: second !== undefined ? first : undefined,
        change,
        stddevAbs: m[5] ? Number(m[5]) : m[3] && second === undefined ? Number(m[3]) : undefined,
        unit: /time/.test(metric) ? "s" : /percent/.test(metric) ? "%" : undefined,
        direction: directionOf(metric, change),
        config,
        lines: [own[i].line, own[i].line] as [number, number],
        method: "kernbench",
        confidence: 0.85,
        quote: t.trim(),
      }),
    );
    ctx.used.add(i);
  }
}

// ---------------------------------------------------------------------------------------------
// fio

function fio(ctx: Ctx): void {
  const own = ctx.own;
  let job: string | undefined;
  let rw = "";
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    let m: RegExpExecArray | null;
    if ((m = /^\s*([\w.-]+): \(groupid=\d+, jobs=\d+\): err=\s*\d+/.exec(t))) {
      job = m[1];
      ctx.used.add(i);
      continue;
    }
    const line: [number, number] = [own[i].line, own[i].line];
    const base = { suite: "fio", test: job, direction: null, lines: line, confidence: 0.9, quote: t.trim() };
    if ((m = /^\s*(read|write|trim)\s*:\s*IOPS=([\d.]+[kKM]?),\s*BW=([\d.]+)([KMGT]i?B\/s)/i.exec(t))) {
      rw = m[1].toLowerCase();
      ctx.out.push(strip({ ...base, metric: `${rw}.iops`, value: parseNumber(m[2]), unit: "IOPS", method: "fio" }));
      ctx.out.push(strip({ ...base, metric: `${rw}.bw`, value: Number(m[3]), unit: m[4], method: "fio" }));
      ctx.used.add(i);
      continue;
    }
    if ((m = /^\s*(read|write|trim)\s*:\s*io=\S+,\s*bw=([\d.]+)([KMG]?i?B\/s),\s*iops=([\d.]+[kKM]?)/i.exec(t))) {
      rw = m[1].toLowerCase();
      ctx.out.push(strip({ ...base, metric: `${rw}.iops`, value: parseNumber(m[4]), unit: "IOPS", method: "fio" }));
      ctx.out.push(strip({ ...base, metric: `${rw}.bw`, value: Number(m[2]), unit: m[3], method: "fio" }));
      ctx.used.add(i);
      continue;
    }
    if (rw && (m = /^\s*(c|s)?lat \((nsec|usec|msec)\):\s*min=\s*([\d.]+[kK]?),\s*max=\s*([\d.]+[kK]?),\s*avg=\s*([\d.]+[kK]?),\s*stdev=\s*([\d.]+[kK]?)/.exec(t))) {
      const unit = { nsec: "ns", usec: "us", msec: "ms" }[m[2]]!;
      ctx.out.push(strip({ ...base, metric: `${rw}.${m[1] ?? ""}lat`, statistic: "avg", value: parseNumber(m[5]), stddevAbs: parseNumber(m[6]), unit, method: "fio" }));
      ctx.used.add(i);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// hand-made comparison tables: a header with one name per column, rows "label  n  n (+x%)  …"

const CELL = new RegExp(String.raw`^(` + NUM + String.raw`)([kKMG])?\s*(%|s|ms|us|ns|MB\/s|GB\/s|KB\/s|MiB\/s|GiB\/s|ops\/s|x)?(?:\s*\(\s*(` + NUM + String.raw`)\s*%\s*\))?$`);

function parseCells(line: string): { label: string; cells: { v: number; pct?: number }[]; unit?: string } | null {
  const parts = line.trim().split(/\s{2,}|\t+/).filter(Boolean);
  if (parts.length < 3) return null;
  const label = parts[0];
  if (!/[a-zA-Z]/.test(label) || /^[0-9a-f]{7,}$/.test(label) || label.length > 48) return null;
  const cells: { v: number; pct?: number }[] = [];
  let unit: string | undefined;
  for (const p of parts.slice(1)) {
    const m = CELL.exec(p.trim());
    if (!m) return null;
    const v = parseNumber(m[1] + (m[2] ?? ""));
    if (v === undefined) return null;
    unit ??= m[3];
    cells.push({ v, pct: m[4] !== undefined ? Number(m[4]) : undefined });
  }
  return { label, cells, unit };
}

function genericTable(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i) || !/\d/.test(own[i].text)) continue;
    const first = parseCells(own[i].text);
    if (!first) continue;
    let j = i;
    const rows: { idx: number; r: NonNullable<ReturnType<typeof parseCells>> }[] = [];
    for (; j < own.length && !ctx.used.has(j); j++) {
      if (j > i && own[j].line !== own[j - 1].line + 1) break;
      const r = parseCells(own[j].text);
      if (!r || r.cells.length !== first.cells.length) break;
      rows.push({ idx: j, r });
    }
    const names = headerNames(own, i, first.cells.length + 1) ?? headerNames(own, i, first.cells.length);
    const annotated = rows.some((x) => x.r.cells.some((c) => c.pct !== undefined));
    if (rows.length < 2 && !(rows.length === 1 && (names || annotated))) continue;
    if (!names && !annotated) {
      i = j - 1;
      continue;
    }
    // diff-like lines ("-regulator_summary: …  2  1  0") and tables of non-measurements stay out
    const metricLike = rows.some((x) => /\([^)]+\)\s*$/.test(x.r.label) || METRIC_WORDS.test(x.r.label) || betterWhen(x.r.label) !== 0);
    if (rows.some((x) => /^[-+@!<>]/.test(x.r.label)) || !(annotated || metricLike)) {
      i = j - 1;
      continue;
    }
    const colNames = names ? (names.names.length === first.cells.length + 1 ? names.names.slice(1) : names.names) : [];
    const above = contextAbove(ctx, i - (names?.lines ?? 0), 6);
    const t = testIn(above);
    const suite = t?.suite ?? suiteIn(above) ?? null;
    for (const { idx, r } of rows) {
      const unit = /\(([^)]+)\)\s*$/.exec(r.label)?.[1] ?? r.unit;
      const metric = r.label.replace(/\s*\([^)]*\)\s*$/, "").trim();
      const base = r.cells[0].v;
      r.cells.slice(1).forEach((c, n) => {
        const change = c.pct ?? pct(base, c.v);
        ctx.out.push(
          strip({
            suite,
            test: t?.test || undefined,
            metric,
            value: c.v,
            unit,
            baseline: base,
            change,
            direction: directionOf(metric, change),
            variant: colNames[n + 1],
            baselineVariant: colNames[0],
            lines: [own[idx].line, own[idx].line] as [number, number],
            method: "table",
            confidence: suite ? 0.7 : 0.5,
            quote: own[idx].text.trim(),
          }),
        );
      });
    }
    mark(ctx, i - (names?.lines ?? 0), j - 1);
    i = j - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// prose claims

const AMOUNT = String.raw`(?:about |around |roughly |approximately |nearly |almost |over |more than |up to |~\s?|≈\s?)?`;
const CLAIM_PCT = new RegExp(String.raw`(?<![\w.])([+-]?\d+(?:\.\d+)?)\s?%\s+(?:(?:performance|throughput|latency|speed|runtime|time|cpu|system time)\s+)?(improvements?|regressions?|speed-?ups?|slow-?downs?|gains?|boosts?|drops?|reductions?|increases?|decreases?|degradations?|better|worse|faster|slower|higher|lower|fewer|less|more)\b`, "i");
const CLAIM_BY = new RegExp(String.raw`\b(reduces?|reduced|reducing|cuts?|improves?|improved|improving|increases?|increased|speeds? up|sped up|boosts?|boosted|lowers?|lowered|decreases?|decreased|drops?|dropped|regress(?:es|ed)?|slows? down|slowed down|shrinks?|shrank)\s+(?:the\s+)?([\w/.'() -]{0,50}?)\s+by\s+` + AMOUNT + String.raw`([+-]?\d+(?:\.\d+)?)\s?%`, "i");
const CLAIM_WENT = new RegExp(String.raw`\b((?:[\w/.()-]+\s){0,4}?[\w/.()-]+)\s+(?:went|goes|go|is|was|got|gets|has gone)\s+(down|up)\s+by\s+` + AMOUNT + String.raw`([+-]?\d+(?:\.\d+)?)\s?%`, "i");
const QTY = NUM + String.raw`(?:[kKMG](?![A-Za-z/]))?`;
const UNIT = String.raw`(%|ms|us|µs|ns|s|sec|seconds|MB\/s|GB\/s|MiB\/s|GiB\/s|ops\/s|IOPS)`;
const CLAIM_FROM_TO = new RegExp(String.raw`\b((?:[\w/.()&>-]+\s){0,8}?[\w/.()&>-]+)\s+(drops?|dropped|falls?|fell|goes|went|go|came|comes|rises?|rose|increases?|increased|decreases?|decreased|improves?|improved|is reduced|was reduced|are reduced|were reduced|reduces?|reduced|grows?|grew|shrinks?|shrank|changes?|changed)(?:\s+(?:down|up))?\s+from\s+(` + QTY + String.raw`)\s?` + UNIT + String.raw`?(?:\s+of\s+(?:the\s+)?[\w ]+?)?\s+to\s+(` + QTY + String.raw`)\s?` + UNIT + "?", "i");
const CLAIM_VERB_FROM_TO = new RegExp(String.raw`\b(cuts?|reduces?|reduced|brings? down|brought down|lowers?|lowered|improves?|improved|increases?|increased|raises?|raised|takes?|took)\s+(?:the\s+)?([\w/.()&>' -]{1,50}?)\s+from\s+(` + QTY + String.raw`)\s?` + UNIT + String.raw`?\s+to\s+(` + QTY + String.raw`)\s?` + UNIT + "?", "i");
const METRIC_WORDS = /\b(throughput|latency|tail latency|p99(?: latency)?|iops|bandwidth|system time|user time|elapsed time|run ?time|wall time|cpu time|cpu usage|memory usage|page faults?|faults\/sec|ops\/sec|ops|jobs-per-min|transactions|requests per second|cycles|cache misses|context switches|lock contention|contention)\b/i;
const LKP_TOKEN = /\b([a-z][a-z0-9]*(?:-[a-z0-9]+)+|fio|aim7|aim9|fsmark|hackbench|netperf|unixbench|sysbench|pft|kernbench|ebizzy|fxmark|dbench|tbench|lmbench|schbench|specjbb|blogbench|pgbench)\.([a-z][\w/-]*(?:\.[a-z][\w/-]*)*)\b/;

/** What every prose claim holds: a percentage or "from <number>" (checked per paragraph before its sentences are cut) */
const PROSE_GATE = /\d\s?%|\bfrom\s+\d/;

function prose(ctx: Ctx): void {
  const own = ctx.own;
  const usedLines = new Set([...ctx.used].map((k) => own[k].line));
  const free = own.filter((l) => !usedLines.has(l.line));
  for (const p of paragraphs(free)) {
    if (!PROSE_GATE.test(p.text)) continue;
    for (const s of sentences(p)) {
      if (!/\d\s?%|\bfrom\s+\d/.test(s.text)) continue;
      // one claim per clause: "this gives 12.4% improvement on X, and the time spent … drops from 38.7% to 6.2%"
      const clauses = s.text.split(/,\s+(?=(?:and|but|while|whereas|so)\s)|;\s+|:\s+(?=this|that|it|we|the)/i);
      for (const t of clauses) claim(ctx, s, t);
    }
  }
}

function claim(ctx: Ctx, s: { text: string; start: number; end: number }, t: string): void {
  if (!/\d\s?%|\bfrom\s+\d/.test(t)) return;
  let change: number | undefined;
  let word: string | undefined;
  let metric: string | null = null;
  let baseline: number | undefined;
  let value: number | undefined;
  let unit: string | undefined;
  let m: RegExpExecArray | null;
  let kind = "";
  if ((m = CLAIM_BY.exec(t))) {
    kind = "by";
    const verb = m[1].toLowerCase();
    const n = Math.abs(Number(m[3]));
    const down = /^(?:reduc|cut|lower|decreas|drop|slow|shrink|shrank)/.test(verb);
    change = down ? -n : n;
    word = /^regress|^slow/.test(verb) ? "regression" : undefined;
    metric = m[2].trim() || null;
  } else if ((m = CLAIM_WENT.exec(t))) {
    kind = "went";
    change = (m[2].toLowerCase() === "down" ? -1 : 1) * Math.abs(Number(m[3]));
    metric = lastWords(m[1]);
  } else if ((m = CLAIM_PCT.exec(t))) {
    kind = "pct";
    const n = Number(m[1]);
    word = m[2].toLowerCase();
    const neg = /^(?:regression|slow|drop|reduction|decrease|degradation|worse|slower|lower|fewer|less)/.test(word);
    change = m[1].startsWith("-") || m[1].startsWith("+") ? n : neg ? -Math.abs(n) : Math.abs(n);
  } else if ((m = CLAIM_VERB_FROM_TO.exec(t))) {
    kind = "from-to";
    baseline = parseNumber(m[3]);
    value = parseNumber(m[5]);
    unit = m[4] ?? m[6];
    change = unit === "%" ? undefined : pct(baseline, value);
    metric = m[2].trim();
  } else if ((m = CLAIM_FROM_TO.exec(t))) {
    kind = "from-to";
    baseline = parseNumber(m[3]);
    value = parseNumber(m[5]);
    unit = m[4] ?? m[6];
    change = unit === "%" ? undefined : pct(baseline, value);
    metric = lastWords(m[1]);
  } else return;

  // the benchmark the sentence names
  const tok = LKP_TOKEN.exec(t);
  let suite: string | null = null;
  let test: string | undefined;
  if (tok && (suiteIn(tok[1]) || (tok[1].includes("-") && /\b(?:improvement|regression) of\b/i.test(t)))) {
    suite = suiteIn(tok[1]) ?? tok[1];
    metric = tok[2];
  } else {
    const tt = testIn(t) ?? testIn(s.text);
    suite = tt?.suite ?? suiteIn(t) ?? suiteIn(s.text) ?? null;
    if (tt?.test) test = tt.test;
    if (suite && !test) {
      const after = new RegExp(String.raw`\b` + suite.replace(/[-]/g, "[- ]") + String.raw`\s*(?:\(([\w-]+)\)|\s([a-z]+[_-]?[a-z0-9_-]*\d[\w-]*))`, "i").exec(t);
      if (after) test = after[1] ?? after[2];
    }
    if (suite && !test && tt?.test) test = tt.test;
  }
  if (!metric) metric = METRIC_WORDS.exec(t)?.[1]?.toLowerCase() ?? null;
  if (metric && metric.length > 60) metric = metric.slice(-60).replace(/^\S*\s/, "");
  if (!suite && !metric) return;
  // without a named benchmark, the thing measured must read like a measurement
  if (!suite && !(METRIC_WORDS.test(metric!) || betterWhen(metric!) !== 0)) return;
  if (kind === "from-to" && !suite && /^(?:it|this|that|we|they|he|she|I)$/i.test(metric!.trim())) return;
  let direction: BenchmarkDirection = null;
  if (word && /^(?:improvement|speed-?up|gain|boost|better|faster)/.test(word)) direction = "improvement";
  else if (word && /^(?:regression|slow-?down|degradation|worse|slower)/.test(word)) direction = "regression";
  else direction = directionOf(metric, change ?? (baseline !== undefined && value !== undefined ? value - baseline : undefined));
  const cites = /kernel test robot|\bLKP\b|\b0-?day\b/i.test(t)
    ? "lkp"
    : (/<([^<>\s]+@[^<>\s]+)>/.exec(t)?.[1] ?? /https?:\/\/lore\.kernel\.org\/\S+/.exec(t)?.[0]);
  ctx.out.push(
    strip({
      suite,
      test,
      metric,
      value,
      baseline,
      unit,
      change: change !== undefined ? round(change) : undefined,
      direction,
      cites,
      lines: [s.start, s.end] as [number, number],
      method: `prose:${kind}`,
      confidence: suite ? 0.7 : 0.5,
      quote: s.text,
    }),
  );
}

/** The last few words of a noun phrase ("From the numbers it also looks like system time" -> "system time"). */
function lastWords(s: string): string | null {
  const metric = METRIC_WORDS.exec(s)?.[1];
  if (metric) return metric.toLowerCase();
  const w = s.trim().split(/\s+/);
  // drop a leading clause ("From the numbers it also looks like …") and articles
  let k = 0;
  for (let i = 0; i < w.length; i++) if (/^(?:like|that|and|so|then|but|which|where|while)$/i.test(w[i])) k = i + 1;
  const tail = w.slice(k).filter((x, i) => !(i === 0 && /^(?:the|a|an|our|its|their)$/i.test(x))).join(" ");
  return tail.length > 60 ? tail.slice(-60).replace(/^\S*\s/, "") : tail || null;
}

/** Parses a subject only when it looks like an LKP performance report (for callers without a body). */
export function lkpSubject(subject: string): { commit: string; suite: string; metric: string; change: number; direction: BenchmarkDirection } | null {
  const m = LKP_SUBJECT.exec(subject.replace(/\s+/g, " "));
  if (!m) return null;
  return { commit: m[1], suite: m[2], metric: m[3], change: Number(m[4]), direction: m[5] as BenchmarkDirection };
}
