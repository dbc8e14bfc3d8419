// kernbench summaries.

import { type Ctx, strip } from "./context";
import { directionOf, NUM, parseNumber, pct } from "./metrics";

const KERNBENCH_ROW = new RegExp(String.raw`^\s*(Elapsed Time|User Time|System Time|Percent CPU|Context Switches|Sleeps)\s+(` + NUM + String.raw`)(?:\s+\((` + NUM + String.raw`)\))?(?:\s+(` + NUM + String.raw`)(?:\s+\((` + NUM + String.raw`)\))?)?\s*$`);

export function kernbench(ctx: Ctx): void {
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
