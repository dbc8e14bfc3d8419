// stress-ng metrics tables.

import { type Ctx, mark, strip } from "./context";
import { NUM, parseNumber } from "./metrics";

const STRESS_NG_ROW = new RegExp(String.raw`^([a-z][\w-]*)\s+(\d+)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)\s+(` + NUM + String.raw`)(?:\s+(` + NUM + String.raw`))?`);

export function stressNg(ctx: Ctx): void {
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
