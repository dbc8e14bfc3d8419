// fio job output.

import { type Ctx, strip } from "./context";
import { parseNumber } from "./metrics";

export function fio(ctx: Ctx): void {
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
