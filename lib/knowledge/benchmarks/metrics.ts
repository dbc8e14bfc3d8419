// Numbers, suites and directions shared by every format parser: reading a number as mail
// prints it, naming the suite and test a line is about, and telling from a metric's name
// whether higher or lower is better.

import type { BenchmarkDirection } from "./types";

export const NUM = String.raw`[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?`;
export const PM = String.raw`(?:±|Â±|\uFFFD|\+-|\+\/-)`;

/** "12.3k" -> 12300, "18.2M" -> 18200000, "8.412e+08", "1,234.5" */
export function parseNumber(s: string): number | undefined {
  const m = /^([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?|[+-]?\.\d+)([kKMGT])?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1].replace(/,/g, ""));
  if (!Number.isFinite(n)) return undefined;
  const mul = m[2] ? { k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]]! : 1;
  return n * mul;
}

export function pct(base: number | undefined, value: number | undefined): number | undefined {
  if (base === undefined || value === undefined || base === 0) return undefined;
  return round(((value - base) / Math.abs(base)) * 100);
}

export function round(n: number, digits = 4): number {
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

export function suiteIn(s: string): string | undefined {
  for (const [re, name] of SUITES) if (re.test(s)) return name;
  return undefined;
}

export function testIn(s: string): { suite: string; test: string } | undefined {
  for (const [re, suite, test] of TESTS) {
    const m = re.exec(s);
    if (m) return { suite, test: test === "$1" ? m[1] : test || m[0] };
  }
  return undefined;
}

const HIGHER = /throughput|performance|\bops\b|_ops\b|\bops\/|iops|\bbw\b|bandwidth|per_sec|per-sec|\/s\b|\/sec\b|per-min|jobs|score|\bipc\b|bogo|transactions|\btps\b|\bqps\b|requests|speed|works|files_per_sec|faults?\/cpu|faults?\/w?sec|flt\/cpu|hits|\brate\b|MB\/s|GB\/s|ops_per|[._]bw(?:[._]|$)|MBps|\bsequential (?:read|write)\b|\b(?:read|write) speed\b/i;
const LOWER = /time|latency|\blat\b|\.lat|(?:^|[._])c?lat(?:[._]|$)|elapsed|duration|\bwall\b|cycles|\bcpi\b|misses|miss-rate|contention|stall|\bwait|overhead|\brss\b|maxrss|seconds|\bsys\b|\buser\b|\bsystem\b|\breal\b|context.?switch|migrations|mpki|slowpath|spinning|jitter|footprint|\bpower\b|consumption|\bcurrent\b|energy|boot ?time/i;

/** +1: higher is better, -1: lower is better, 0: the metric does not say. */
export function betterWhen(metric: string): 1 | -1 | 0 {
  if (HIGHER.test(metric)) return 1;
  if (LOWER.test(metric)) return -1;
  return 0;
}

export function directionOf(metric: string | null, change: number | undefined): BenchmarkDirection {
  if (!metric || change === undefined || change === 0) return null;
  const b = betterWhen(metric);
  if (!b) return null;
  return Math.sign(change) === b ? "improvement" : "regression";
}

export function splitMetric(name: string): { suite: string | null; metric: string } {
  const i = name.indexOf(".");
  if (i <= 0) return { suite: null, metric: name };
  return { suite: name.slice(0, i), metric: name.slice(i + 1) };
}
