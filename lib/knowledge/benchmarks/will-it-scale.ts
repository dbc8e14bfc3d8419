// will-it-scale output.

import { contextAbove, type Ctx, mark, strip } from "./context";
import { parseNumber } from "./metrics";

export function willItScale(ctx: Ctx): void {
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
