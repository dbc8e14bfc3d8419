// Hand-made comparison tables: a header with one name per column, rows
// "label  n  n (+x%)  …".

import { contextAbove, type Ctx, mark, strip } from "./context";
import { betterWhen, directionOf, NUM, parseNumber, pct, suiteIn, testIn } from "./metrics";
import { headerNames } from "./mmtests";
import { METRIC_WORDS } from "./prose-claims";

const CELL = new RegExp(String.raw`^(` + NUM + String.raw`)([kKMG])?\s*(%|s|ms|us|ns|MB\/s|GB\/s|KB\/s|MiB\/s|GiB\/s|ops\/s|x)?(?:\s*\(\s*(` + NUM + String.raw`)\s*%\s*\))?$`);

function parseCells(line: string): { label: string; cells: { v: number; pct?: number }[]; unit?: string } | null {
  const parts = line.trim().split(/\s{2,}|\t+/).filter(Boolean);
  if (parts.length < 3) return null;
  const label = parts[0];
  if (!/[a-zA-Z]/.test(label) || /^[0-9a-f]{7,}$/.test(label) || label.length > 48) return null;
  const cells: { v: number; pct?: number }[] = [];
  let unit: string | undefined;
  for (const p of parts.slice(1)) {
    const m = CELL.exec(p.trim());
    if (!m) return null;
    const v = parseNumber(m[1] + (m[2] ?? ""));
    if (v === undefined) return null;
    unit ??= m[3];
    cells.push({ v, pct: m[4] !== undefined ? Number(m[4]) : undefined });
  }
  return { label, cells, unit };
}

export function genericTable(ctx: Ctx): void {
  const own = ctx.own;
  for (let i = 0; i < own.length; i++) {
    if (ctx.used.has(i) || !/\d/.test(own[i].text)) continue;
    const first = parseCells(own[i].text);
    if (!first) continue;
    let j = i;
    const rows: { idx: number; r: NonNullable<ReturnType<typeof parseCells>> }[] = [];
    for (; j < own.length && !ctx.used.has(j); j++) {
      if (j > i && own[j].line !== own[j - 1].line + 1) break;
      const r = parseCells(own[j].text);
      if (!r || r.cells.length !== first.cells.length) break;
      rows.push({ idx: j, r });
    }
    const names = headerNames(own, i, first.cells.length + 1) ?? headerNames(own, i, first.cells.length);
    const annotated = rows.some((x) => x.r.cells.some((c) => c.pct !== undefined));
    if (rows.length < 2 && !(rows.length === 1 && (names || annotated))) continue;
    if (!names && !annotated) {
      i = j - 1;
      continue;
    }
    // diff-like lines ("-regulator_summary: …  2  1  0") and tables of non-measurements stay out
    const metricLike = rows.some((x) => /\([^)]+\)\s*$/.test(x.r.label) || METRIC_WORDS.test(x.r.label) || betterWhen(x.r.label) !== 0);
    if (rows.some((x) => /^[-+@!<>]/.test(x.r.label)) || !(annotated || metricLike)) {
      i = j - 1;
      continue;
    }
    const colNames = names ? (names.names.length === first.cells.length + 1 ? names.names.slice(1) : names.names) : [];
    const above = contextAbove(ctx, i - (names?.lines ?? 0), 6);
    const t = testIn(above);
    const suite = t?.suite ?? suiteIn(above) ?? null;
    for (const { idx, r } of rows) {
      const unit = /\(([^)]+)\)\s*$/.exec(r.label)?.[1] ?? r.unit;
      const metric = r.label.replace(/\s*\([^)]*\)\s*$/, "").trim();
      const base = r.cells[0].v;
      r.cells.slice(1).forEach((c, n) => {
        const change = c.pct ?? pct(base, c.v);
        ctx.out.push(
          strip({
            suite,
            test: t?.test || undefined,
            metric,
            value: c.v,
            unit,
            baseline: base,
            change,
            direction: directionOf(metric, change),
            variant: colNames[n + 1],
            baselineVariant: colNames[0],
            lines: [own[idx].line, own[idx].line] as [number, number],
            method: "table",
            confidence: suite ? 0.7 : 0.5,
            quote: own[idx].text.trim(),
          }),
        );
      });
    }
    mark(ctx, i - (names?.lines ?? 0), j - 1);
    i = j - 1;
  }
}
