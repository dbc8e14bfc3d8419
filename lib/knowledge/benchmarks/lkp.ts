// LKP / kernel test robot performance reports: the subject line, the "noticed" sentence, the
// %change comparison tables, the "significant impact on the following tests" box, the commits
// compared and the test parameters.

import type { OwnLine } from "../types";
import { type Ctx, mark, strip } from "./context";
import { betterWhen, directionOf, parseNumber, PM, splitMetric } from "./metrics";
import type { Benchmark, BenchmarkDirection } from "./types";

export const LKP_SUBJECT = /(?:^|\s)([0-9a-f]{7,40}):\s+([A-Za-z0-9][\w+-]*)\.(\S+?)\s+([+\-\u2212]?\d+(?:\.\d+)?)\s?%\s+(regression|improvement)\b/;
/** "kernel test robot noticed a 12.4% improvement of vm-scalability.throughput on:" / "FYI, we noticed a -53.4% regression of will-it-scale.per_process_ops due to commit:" */
export const LKP_NOTICED = /\bnoticed an? ([+\-\u2212]?\d+(?:\.\d+)?)\s?%\s+(regression|improvement) of ([A-Za-z0-9][\w+-]*)\.(\S+?)(?:\s+(?:on|due to)\b|:|\s*$)/;

/**
 * The "noticed" sentence at own line i, also when the mail wrapped it ("noticed a -64.5% regression
 * of" / "fsmark.files_per_sec due to commit:", "a 23.2" / "% improvement of …"): the line joined with
 * up to two more. `last` is the index of its last line.
 */
export function noticedAt(own: { text: string }[], i: number): { m: RegExpExecArray; last: number } | null {
  const t = own[i].text;
  if (!/noticed an?\s*$|noticed an? /.test(t)) return null;
  let joined = t;
  for (let k = i; k < own.length && k <= i + 2; k++) {
    if (k > i) {
      const n = own[k].text.trim();
      if (!n) break;
      joined = /\d$/.test(joined.trimEnd()) && n.startsWith("%") ? joined.trimEnd() + n : joined.trimEnd() + " " + n;
    }
    const m = LKP_NOTICED.exec(joined);
    if (m) return { m, last: k };
  }
  return null;
}

/**
 * A headline's change as a signed percent: as written when it carries a sign; else the sign its
 * word and the metric imply (a regression of a higher-is-better metric went down).
 */
export function signedChange(written: string, word: string, metric: string): number {
  const w = written.replace(/^\u2212/, "-");
  const n = Number(w);
  if (/^[+-]/.test(w)) return n;
  const better = betterWhen(metric);
  if (!better) return n;
  return (word === "regression") === (better === 1) ? -Math.abs(n) : Math.abs(n);
}

interface LkpSection {
  testcase?: string;
  machine?: string;
  config: Record<string, string>;
  commits: string[];
}

export function lkp(ctx: Ctx, subject: string): void {
  const own = ctx.own;
  const subj = subject.replace(/\s+/g, " ");
  const isReply = /^\s*(?:re|aw|sv|antw)\s*(?:\[\d+\])?\s*:/i.test(subj);
  const headline = LKP_SUBJECT.exec(subj);
  let top: LkpSection = { config: {}, commits: [] };
  let sec: LkpSection = top;
  let reportCommit: string | undefined;
  let noticed: { line: OwnLine; m: RegExpExecArray; last: OwnLine } | null = null;
  const rows: Benchmark[] = [];
  const heads: Benchmark[] = [];
  /** the machine a "***" separator names, for the next details section */
  let pendingMachine: string | undefined;

  for (let i = 0; i < own.length; i++) {
    const t = own[i].text;
    let m: RegExpExecArray | null;
    let nt: ReturnType<typeof noticedAt>;
    if (!noticed && (nt = noticedAt(own, i))) {
      noticed = { line: own[i], m: nt.m, last: own[nt.last] };
      mark(ctx, i, nt.last);
      i = nt.last;
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
      const change = signedChange(m[4], m[5], m[3]);
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
    ? { suite: headline[2], metric: headline[3], change: signedChange(headline[4], headline[5], headline[3]), dir: headline[5], commit: headline[1], method: "lkp-subject" }
    : noticed
      ? { suite: noticed.m[3], metric: noticed.m[4], change: signedChange(noticed.m[1], noticed.m[2], noticed.m[4]), dir: noticed.m[2], commit: undefined, method: "lkp-noticed" }
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
      lines: noticed ? [noticed.line.line, noticed.last.line] : row ? row.lines : [0, 0],
      method: hsrc.method,
      confidence: 0.95,
      quote: noticed ? noticed.m.input.trim() : subj,
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

/** Parses a subject only when it looks like an LKP performance report (for callers without a body). */
export function lkpSubject(subject: string): { commit: string; suite: string; metric: string; change: number; direction: BenchmarkDirection } | null {
  const m = LKP_SUBJECT.exec(subject.replace(/\s+/g, " "));
  if (!m) return null;
  return { commit: m[1], suite: m[2], metric: m[3], change: signedChange(m[4], m[5], m[3]), direction: m[5] as BenchmarkDirection };
}
