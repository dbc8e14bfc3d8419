// pft: the classic page-fault test output.

import { contextAbove, type Ctx, mark, strip } from "./context";
import { parseNumber, testIn } from "./metrics";

export function pftClassic(ctx: Ctx): void {
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
