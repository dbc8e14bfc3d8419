// What a benchmark figure found in a mail is. The conventions its fields follow are in
// index.ts.

import type { Provenance } from "../types";

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
