// Before/after runs: the same tool's output pasted twice in a person's mail, under labels that say
// which run is the baseline ("before:" / "after:", "without the patch" / "with the patch",
// "vanilla" / "patched"). Each measured quantity becomes one figure: value = after, baseline =
// before, signed percent change, over the lines of both runs.

import type { Ctx } from "./context";
import { strip } from "./context";
import { directionOf, pct } from "./metrics";
import type { Benchmark } from "./types";

/** the baseline run's label; tested before AFTER ("without" holds "with") */
export const BEFORE = /\b(?:before|without|w\/o|vanilla|unpatched|baseline|base|old|original|stock|mainline|upstream|orig|pre-patch|reference)\b/i;
export const AFTER = /\b(?:after|with|w\/|patched|new|applied|post-patch|fixed)\b/i;

interface Block {
  items: Benchmark[];
  start: number;
  end: number;
  method: string;
  label?: "before" | "after";
  name?: string;
}

/** The label a run stands under: its own first line's lead ("before: real …"), else a short line just above. */
function labelOf(ctx: Ctx, byLine: Map<number, number>, b: Block, prevEnd: number): { side?: "before" | "after"; name?: string } {
  const i = byLine.get(b.start);
  if (i === undefined) return {};
  const test = (s: string) => {
    const t = s.trim();
    if (!t || t.length > 90) return undefined;
    if (BEFORE.test(t)) return "before" as const;
    if (AFTER.test(t)) return "after" as const;
    return undefined;
  };
  // "before: real 0m10.2s …", "after  (groupid=0, jobs=1): err= 0", a fio job named "patched"
  const lead = /^\s*([^\d:]{1,40}?)\s*[:=-]/.exec(ctx.own[i].text)?.[1] ?? "";
  const fromItems = b.items.map((x) => x.test ?? x.variant ?? "").find((x) => test(x));
  const s0 = test(lead) ?? (fromItems ? test(fromItems) : undefined);
  if (s0) return { side: s0, name: (lead || fromItems || "").trim() };
  for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
    if (ctx.own[k].line <= prevEnd) break;
    const t = ctx.own[k].text;
    if (!t.trim()) continue;
    const s = test(t);
    if (s) return { side: s, name: t.trim().replace(/[:.]\s*$/, "") };
    // a command line ("$ time dd …") sits between the label and the output
    // (or dd's record counts, fio's job line)
    if (/^\s*(?:[$#]\s|time\s|sudo\s|\.\/|fio\s|dd\s)|^\s*\d+\+\d+ records (?:in|out)\s*$|\(groupid=\d+/.test(t)) continue;
    break;
  }
  return {};
}

/** Pairs the runs of `methods` labeled before and after; the paired figures replace the runs' own. */
export function pairBeforeAfter(ctx: Ctx, methods: ReadonlySet<string>): void {
  const cand = ctx.out.filter((b) => methods.has(b.method) && b.baseline === undefined);
  if (cand.length < 2) return;
  cand.sort((a, b) => a.lines[0] - b.lines[0]);
  const byLine = new Map<number, number>();
  ctx.own.forEach((l, k) => byLine.set(l.line, k));
  // runs: consecutive figures of one parser; a metric seen again, or a gap, starts another run
  const blocks: Block[] = [];
  for (const b of cand) {
    const cur = blocks[blocks.length - 1];
    const key = `${b.metric}|${b.statistic ?? ""}`;
    if (cur && cur.method === b.method && b.lines[0] <= cur.end + 2 && !cur.items.some((x) => `${x.metric}|${x.statistic ?? ""}` === key)) {
      cur.items.push(b);
      cur.end = Math.max(cur.end, b.lines[1]);
    } else blocks.push({ items: [b], start: b.lines[0], end: b.lines[1], method: b.method });
  }
  if (blocks.length < 2) return;
  let prevEnd = 0;
  for (const b of blocks) {
    const l = labelOf(ctx, byLine, b, prevEnd);
    b.label = l.side;
    b.name = l.name;
    prevEnd = b.end;
  }
  const drop = new Set<Benchmark>();
  const add: Benchmark[] = [];
  for (let k = 0; k + 1 < blocks.length; k++) {
    const a = blocks[k];
    const z = blocks[k + 1];
    if (a.label !== "before" || z.label !== "after" || a.method !== z.method) continue;
    for (const after of z.items) {
      const before = a.items.find((x) => x.metric === after.metric && (x.statistic ?? "") === (after.statistic ?? "") && (x.unit ?? "") === (after.unit ?? ""));
      if (!before || before.value === undefined || after.value === undefined) continue;
      const change = pct(before.value, after.value);
      add.push(
        strip({
          ...after,
          baseline: before.value,
          baselineStddev: before.stddev,
          change,
          direction: directionOf(after.metric, change),
          variant: z.name,
          baselineVariant: a.name,
          lines: [before.lines[0], after.lines[1]] as [number, number],
          quote: `${before.quote}\n…\n${after.quote}`,
        }),
      );
      drop.add(before);
      drop.add(after);
    }
    k++;
  }
  if (!drop.size) return;
  const kept = ctx.out.filter((b) => !drop.has(b));
  ctx.out.length = 0;
  ctx.out.push(...kept, ...add);
}
