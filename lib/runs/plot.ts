// From runs to plots and tables (pure; app/_components/RunPlots.tsx draws them): one plot per
// metric measured against a parameter, one line per label (design or version); the same data
// as a table (rows: parameter values, columns: labels); single figures side by side.
import type { Better, RunMetric, RunSeries } from "./parse";

/** What a plot needs of a run (lib/db/runs RunRecord has it). */
export interface PlotRunInput {
  id: number;
  label: string;
  tool: string;
  toolVersion: string | null;
  series: RunSeries[];
  metrics: Record<string, RunMetric>;
}

export interface PlotLine {
  /** the label, made unique within the plot ("v3", "v3 (#12)") */
  name: string;
  runId: number;
  points: [number, number][];
}

export interface Scale {
  min: number;
  max: number;
  log: boolean;
  ticks: number[];
}

export interface PlotModel {
  key: string;
  parameter: string;
  parameterUnit: string | null;
  metric: string;
  unit: string | null;
  better: Better | null;
  lines: PlotLine[];
  x: Scale;
  y: Scale;
  /** the table: every x of any line, ascending; cells[row][line] = y or null */
  rows: { x: number; cells: (number | null)[] }[];
}

export interface FigureTable {
  labels: string[];
  rows: { metric: string; unit: string | null; better: Better | null; cells: (number | null)[] }[];
}

const niceStep = (range: number, target: number): number => {
  const raw = range / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
};

const clean = (v: number) => Number(v.toPrecision(12));

/** A linear axis over [lo, hi] with about `target` round ticks; zero is included when the data are all positive and `zero`. */
export function linearScale(lo: number, hi: number, o: { zero?: boolean; target?: number } = {}): Scale {
  if (o.zero && lo > 0) lo = 0;
  if (o.zero && hi < 0) hi = 0;
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= d;
    hi += d;
    if (o.zero && lo < 0 && hi > 0 && lo + d >= 0) lo = 0;
  }
  const step = niceStep(hi - lo, o.target ?? 5);
  const min = clean(Math.floor(lo / step + 1e-9) * step);
  const max = clean(Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(clean(v));
  return { min, max, log: false, ticks };
}

/** A logarithmic axis (all values > 0): ticks at the values themselves when there are few, else at powers of 10 (or 2). */
export function logScale(values: number[]): Scale {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  let ticks: number[];
  if (distinct.length <= 12) ticks = distinct;
  else {
    const base = hi / lo < 1000 ? 2 : 10;
    ticks = [];
    for (let e = Math.floor(Math.log(lo) / Math.log(base) + 1e-9); base ** e <= hi * (1 + 1e-9); e++) if (base ** e >= lo * (1 - 1e-9)) ticks.push(clean(base ** e));
  }
  return { min: lo, max: hi, log: true, ticks };
}

/** Parameters that grow geometrically (threads 1, 2, 4, ... 64; sizes) read best on a log axis. */
export function wantsLog(xs: number[]): boolean {
  if (!xs.length || xs.some((x) => x <= 0)) return false;
  const d = [...new Set(xs)].sort((a, b) => a - b);
  if (d.length < 3 || d[d.length - 1] / d[0] < 16) return false;
  // mostly constant ratios between neighbours, rather than constant differences
  const ratios = d.slice(1).map((v, i) => v / d[i]);
  const diffs = d.slice(1).map((v, i) => v - d[i]);
  const spread = (a: number[]) => Math.max(...a) / Math.min(...a);
  return spread(ratios) < spread(diffs);
}

/** Position of v on [0, 1] along a scale. */
export function unit(s: Scale, v: number): number {
  if (s.max === s.min) return 0.5;
  if (s.log) return (Math.log(v) - Math.log(s.min)) / (Math.log(s.max) - Math.log(s.min));
  return (v - s.min) / (s.max - s.min);
}

function uniqueNames(runs: { label: string; id: number }[]): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  return runs.map((r) => (count.get(r.label)! > 1 ? `${r.label} (#${r.id})` : r.label));
}

/** One plot per (parameter, unit, metric, unit) measured by any run, lines in run order. */
export function buildPlots(runs: readonly PlotRunInput[]): PlotModel[] {
  const groups = new Map<string, { s: RunSeries; run: PlotRunInput }[]>();
  for (const run of runs) {
    for (const s of run.series ?? []) {
      if (!s.points?.length) continue;
      const key = JSON.stringify([s.parameter, s.parameterUnit ?? null, s.metric, s.unit ?? null]);
      const g = groups.get(key) ?? [];
      g.push({ s, run });
      groups.set(key, g);
    }
  }
  const plots: PlotModel[] = [];
  for (const [key, g] of groups) {
    const names = uniqueNames(g.map((x) => x.run));
    const lines: PlotLine[] = g.map((x, i) => ({ name: names[i], runId: x.run.id, points: [...x.s.points].sort((a, b) => a[0] - b[0]) }));
    const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
    const ys = lines.flatMap((l) => l.points.map((p) => p[1]));
    const x = wantsLog(xs) ? logScale(xs) : linearScale(Math.min(...xs), Math.max(...xs), { target: 6 });
    const y = linearScale(Math.min(...ys), Math.max(...ys), { zero: true, target: 5 });
    const allX = [...new Set(xs)].sort((a, b) => a - b);
    const rows = allX.map((xv) => ({ x: xv, cells: lines.map((l) => l.points.find((p) => p[0] === xv)?.[1] ?? null) }));
    const first = g[0].s;
    plots.push({
      key,
      parameter: first.parameter,
      parameterUnit: first.parameterUnit ?? null,
      metric: first.metric,
      unit: first.unit ?? null,
      better: g.map((x) => x.s.better).find(Boolean) ?? null,
      lines,
      x,
      y,
      rows,
    });
  }
  return plots;
}

/** The runs' single figures side by side: rows = metric names, columns = labels. */
export function buildFigureTable(runs: readonly PlotRunInput[]): FigureTable | null {
  const withMetrics = runs.filter((r) => r.metrics && Object.keys(r.metrics).length);
  if (!withMetrics.length) return null;
  const labels = uniqueNames(withMetrics);
  const order: string[] = [];
  for (const r of withMetrics) for (const k of Object.keys(r.metrics)) if (!order.includes(k)) order.push(k);
  // stored as jsonb, whose key order is not the file's: alphabetical, the same on every page
  order.sort((a, b) => a.localeCompare(b));
  return {
    labels,
    rows: order.map((metric) => {
      const ms = withMetrics.map((r) => r.metrics[metric] ?? null);
      const some = ms.find((m) => m) ?? null;
      return { metric, unit: some?.unit ?? null, better: ms.find((m) => m?.better)?.better ?? null, cells: ms.map((m) => (m ? m.value : null)) };
    }),
  };
}

/** A number as a person reads it: 18,203,117; 2.5; 0.0042. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString("en-US");
  const abs = Math.abs(v);
  return v.toLocaleString("en-US", abs >= 100 ? { maximumFractionDigits: 1 } : { maximumSignificantDigits: 4 });
}

/** An axis tick: short (1.5M, 20k, 0.25). */
export function formatTick(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1e5) return v.toLocaleString("en-US", { notation: "compact", maximumFractionDigits: 1 });
  return formatNumber(v);
}

/** The relative change from a to b in percent, signed, or null. */
export function change(a: number | null, b: number | null): number | null {
  if (a === null || b === null || a === 0) return null;
  return ((b - a) / Math.abs(a)) * 100;
}

/** Which cells of a row are best (by `better`): their indexes. */
export function bestOf(cells: (number | null)[], better: Better | null): number[] {
  if (!better) return [];
  const vals = cells.filter((c): c is number => c !== null);
  if (vals.length < 2) return [];
  const best = better === "higher" ? Math.max(...vals) : Math.min(...vals);
  return cells.flatMap((c, i) => (c === best ? [i] : []));
}
