// mmtests compare-kernels tables.

import type { OwnLine } from "../types";
import { contextAbove, type Ctx, mark, strip } from "./context";
import { directionOf, NUM, parseNumber, pct, testIn } from "./metrics";
import type { BenchmarkDirection } from "./types";

const MM_STAT = String.raw`(?:Min|Max|Amean|Hmean|Gmean|Stddev|CoeffVar|Range|Median|B[AHG]mean-\d+|\d+(?:st|nd|rd|th)|Ops|Time)`;
const MM_ROW = new RegExp(String.raw`^\s*(` + MM_STAT + String.raw`)\s+(\S+)\s+(` + NUM + String.raw`)\s+\(\s*(` + NUM + String.raw`)%\)((?:\s+` + NUM + String.raw`\s+[(*]\s*` + NUM + String.raw`%\s*[)*])+)\s*$`);
const MM_COL = new RegExp(String.raw`(` + NUM + String.raw`)\s+([(*])\s*(` + NUM + String.raw`)%\s*([)*])`, "g");
const MM_PLAIN = new RegExp(String.raw`^\s*((?:Duration|System|User|Elapsed|Ops|Time)(?:\s+[A-Za-z][\w/-]*){0,3})\s+(` + NUM + String.raw`)((?:\s+` + NUM + String.raw`)+)\s*$`);

export function mmtests(ctx: Ctx): void {
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
export function headerNames(own: OwnLine[], first: number, ncol: number): { names: string[]; lines: number } | null {
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
