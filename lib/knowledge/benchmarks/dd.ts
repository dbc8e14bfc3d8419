// dd(1) transfer summaries: "1048576000 bytes (1.0 GB, 1000 MiB) copied, 10.5 s, 99.9 MB/s"
// (GNU), "… bytes (1.0 GB) copied, 10.5 s, 99.9 MB/s" (older coreutils), busybox's
// "… bytes (1000.0MB) copied, 10.5 seconds, 95.2MB/s". One figure per transfer: its rate.

import { type Ctx, strip } from "./context";

/** what every summary holds (the index's cheap test) */
export const DD_GATE = /bytes \([^)]*\) copied,/;

export function dd(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i)) continue;
    const t = own[i].text;
    const m = /^(.*?)(\d+) bytes \([^)]*\) copied,\s*([\d.]+) ?s(?:ec(?:ond)?s?)?,\s*([\d.]+) ?([kKMGT]?i?B\/s)\s*$/.exec(t);
    if (!m) continue;
    // the command above says which way it went: "if=/dev/mmcblk0 of=/dev/null" reads the card
    let cmd: string | undefined;
    for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
      const c = own[k].text;
      if (/\bdd\b.*\b(?:if|of)=/.test(c)) {
        cmd = c.trim().replace(/^[$#]\s+/, "");
        break;
      }
    }
    const dir = cmd ? (/\bof=\/dev\/null\b/.test(cmd) || /\bif=\/dev\/(?:mmcblk|sd|nvme|mtd)/.test(cmd) ? "read" : /\bif=\/dev\/(?:zero|u?random)\b/.test(cmd) || /\bof=\/dev\/(?:mmcblk|sd|nvme|mtd)/.test(cmd) ? "write" : undefined) : undefined;
    const lead = m[1].replace(/[:=-]\s*$/, "").trim();
    ctx.out.push(
      strip({
        suite: "dd",
        metric: dir ? `dd ${dir} rate` : "dd rate",
        value: Number(m[4]),
        unit: m[5],
        direction: null,
        variant: lead || undefined,
        config: (cmd ? { command: cmd, bytes: m[2], seconds: m[3] } : { bytes: m[2], seconds: m[3] }) as Record<string, string>,
        lines: [own[i].line, own[i].line] as [number, number],
        method: "dd",
        confidence: 0.85,
        quote: t.trim(),
      }),
    );
    ctx.used.add(i);
  }
}
