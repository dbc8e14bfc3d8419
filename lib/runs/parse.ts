// Run files (JSON or CSV) -> normalized runs, one per label, or every problem with its path
// (JSON: runs[1].series[0].points[3][1]; CSV: line 5, column "threads"). Pure: no database.
import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { GroupEntry, Run, RunGroup, type MetricInput, type RunInput } from "./schema";

export type Better = "higher" | "lower";

export interface RunMetric {
  value: number;
  unit?: string;
  better?: Better;
  stddev?: number;
}

export interface RunSeries {
  parameter: string;
  parameterUnit?: string;
  metric: string;
  unit?: string;
  better?: Better;
  /** sorted by x; each x once */
  points: [number, number][];
}

export interface RunAttachment {
  name: string;
  url?: string;
  sha256?: string;
  contentType: string;
  size?: number;
}

export interface RunTarget {
  /** a proposal id, or a member's series key or Message-ID */
  proposal?: string;
  series?: string;
  patch?: string;
}

/** A run as stored (the run table's columns) and as the plots and tables read it. */
export interface NormalizedRun {
  tool: string;
  toolVersion: string | null;
  label: string;
  description: string | null;
  date: string | null;
  machine: string | null;
  parameters: Record<string, string | number | boolean>;
  metrics: Record<string, RunMetric>;
  series: RunSeries[];
  attachments: RunAttachment[];
  /** the target the file names (the CLI/API may override it) */
  target: RunTarget | null;
  /** the run as given, as one run document (a group entry merged with the group; a CSV label as JSON) */
  document: Record<string, unknown>;
}

export interface RunProblem {
  /** where: "runs[1].series[0].points[3]", "line 5, column \"threads\"", or "" for the whole file */
  path: string;
  message: string;
}

export class RunsValidationError extends Error {
  constructor(readonly problems: RunProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "RunsValidationError";
  }
}

export const formatProblem = (p: RunProblem): string => (p.path ? `${p.path}: ${p.message}` : p.message);

/** A zod path as JavaScript would write it: runs[1].series[0].points[3][1]. */
export function formatPath(path: readonly PropertyKey[], prefix = ""): string {
  let s = prefix;
  for (const k of path) {
    if (typeof k === "number") s += `[${k}]`;
    else if (typeof k === "string" && /^[A-Za-z_$][\w$]*$/.test(k)) s += s ? `.${k}` : k;
    else s += `[${JSON.stringify(String(k))}]`;
  }
  return s;
}

type Issue = z.core.$ZodIssue;

/** A union none of whose branches matched: when the value had the shape of exactly one branch
 * (an object for "number or object"), that branch's problems say more than "a number or ...". */
function expandUnions(issues: readonly Issue[], base: PropertyKey[] = []): Issue[] {
  return issues.flatMap((i): Issue[] => {
    const path = [...base, ...i.path];
    if (i.code === "invalid_union" && i.errors.length) {
      const shaped = i.errors.filter((branch) => !branch.some((b) => b.path.length === 0 && b.code === "invalid_type"));
      if (shaped.length === 1) return expandUnions(shaped[0], path);
    }
    return [{ ...i, path } as Issue];
  });
}

function zodProblems(error: z.ZodError, prefix = ""): RunProblem[] {
  return expandUnions(error.issues).map((i) => {
    let message = i.message;
    if (i.code === "unrecognized_keys") message = `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    else if (i.code === "invalid_type" && /received undefined$/.test(i.message)) message = "required";
    return { path: formatPath(i.path, prefix), message };
  });
}

const MAX_RUNS = 1000;

export type RunFormat = "json" | "csv";

/** The format of a file from its name or media type, else from its first character. */
export function detectFormat(text: string, hint?: { name?: string | null; contentType?: string | null }): RunFormat {
  const ct = hint?.contentType?.toLowerCase() ?? "";
  if (/^text\/csv\b/.test(ct)) return "csv";
  if (/json\b/.test(ct)) return "json";
  const n = hint?.name?.toLowerCase() ?? "";
  if (n.endsWith(".csv")) return "csv";
  if (n.endsWith(".json")) return "json";
  return /^\s*[[{]/.test(text) ? "json" : "csv";
}

/** Parses and validates a run file; throws RunsValidationError listing every problem. */
export function parseRunFile(text: string, hint?: { name?: string | null; contentType?: string | null; format?: RunFormat }): NormalizedRun[] {
  const format = hint?.format ?? detectFormat(text, hint);
  return format === "csv" ? parseRunsCsv(text) : parseRunsJson(text);
}

// ---------------------------------------------------------------------------------------------
// JSON

function jsonSyntaxProblem(text: string, e: Error): RunProblem {
  // V8: "Unexpected token } in JSON at position 42" / "... (line 3 column 5)"
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  if (lc) return { path: `line ${lc[1]}, column ${lc[2]}`, message: `not valid JSON: ${e.message.replace(/\s*\(line \d+ column \d+\)/, "")}` };
  const pos = /position (\d+)/.exec(e.message);
  if (pos) {
    const before = text.slice(0, Number(pos[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    return { path: `line ${line}, column ${column}`, message: `not valid JSON: ${e.message.replace(/\s*in JSON at position \d+.*$/, "")}` };
  }
  return { path: "", message: `not valid JSON: ${e.message}` };
}

export function parseRunsJson(text: string): NormalizedRun[] {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new RunsValidationError([jsonSyntaxProblem(text, e as Error)]);
  }
  return normalizeRunDocument(value);
}

/** Validates an already parsed JSON value (the API's body). */
export function normalizeRunDocument(value: unknown): NormalizedRun[] {
  const problems: RunProblem[] = [];
  const runs: NormalizedRun[] = [];
  if (Array.isArray(value)) {
    if (!value.length) throw new RunsValidationError([{ path: "", message: "the array holds no runs" }]);
    if (value.length > MAX_RUNS) throw new RunsValidationError([{ path: "", message: `more than ${MAX_RUNS} runs in one file` }]);
    value.forEach((v, i) => {
      const r = Run.safeParse(v);
      if (!r.success) problems.push(...zodProblems(r.error, `[${i}]`));
      else runs.push(normalizeRun(r.data, v as Record<string, unknown>, `[${i}]`, problems));
    });
  } else if (value && typeof value === "object" && "runs" in value) {
    const r = RunGroup.safeParse(value);
    if (!r.success) {
      problems.push(...zodProblems(r.error));
    } else {
      const { runs: entries, ...shared } = r.data;
      const rawEntries = (value as { runs: Record<string, unknown>[] }).runs;
      entries.forEach((entry, i) => {
        const merged = mergeEntry(shared, entry);
        const asGiven = mergeEntry(withoutRuns(value as Record<string, unknown>), rawEntries[i]);
        runs.push(normalizeRun(merged, asGiven, `runs[${i}]`, problems));
      });
    }
  } else if (value && typeof value === "object") {
    const r = Run.safeParse(value);
    if (!r.success) problems.push(...zodProblems(r.error));
    else runs.push(normalizeRun(r.data, value as Record<string, unknown>, "", problems));
  } else {
    problems.push({ path: "", message: "a run file is a JSON object (one run, or a group with runs: [...]) or an array of runs" });
  }
  if (problems.length) throw new RunsValidationError(problems);
  return runs;
}

function withoutRuns(o: Record<string, unknown>): Record<string, unknown> {
  const { runs: _runs, ...rest } = o;
  return rest;
}

type Entry = z.infer<typeof GroupEntry>;

function mergeEntry<T extends Record<string, unknown>>(shared: T, entry: Entry | Record<string, unknown>): RunInput & Record<string, unknown> {
  const out: Record<string, unknown> = { ...shared, ...entry };
  const sp = shared.parameters as Record<string, unknown> | undefined;
  const ep = entry.parameters as Record<string, unknown> | undefined;
  if (sp || ep) out.parameters = { ...sp, ...ep };
  const sa = shared.attachments as unknown[] | undefined;
  const ea = entry.attachments as unknown[] | undefined;
  if (sa || ea) out.attachments = [...(sa ?? []), ...(ea ?? [])];
  return out as RunInput & Record<string, unknown>;
}

function normalizeMetric(m: MetricInput): RunMetric {
  if (typeof m === "number") return { value: m };
  return {
    value: m.value,
    ...(m.unit ? { unit: m.unit } : {}),
    ...(m.better ? { better: m.better } : {}),
    ...(m.stddev !== undefined ? { stddev: m.stddev } : {}),
  };
}

function normalizeRun(r: RunInput, asGiven: Record<string, unknown>, at: string, problems: RunProblem[]): NormalizedRun {
  const where = (p: PropertyKey[]) => formatPath(p, at);
  const metrics: Record<string, RunMetric> = {};
  for (const [k, v] of Object.entries(r.metrics ?? {})) metrics[k.trim()] = normalizeMetric(v);
  const series: RunSeries[] = [];
  const seen = new Map<string, number>();
  (r.series ?? []).forEach((s, i) => {
    const key = `${s.parameter}\u0000${s.metric}`;
    if (seen.has(key)) problems.push({ path: where(["series", i]), message: `a second series of ${s.metric} against ${s.parameter} (series[${seen.get(key)}] is the first)` });
    seen.set(key, i);
    const xs = new Map<number, number>();
    s.points.forEach(([x], j) => {
      if (xs.has(x)) problems.push({ path: where(["series", i, "points", j]), message: `x = ${x} appears twice (points[${xs.get(x)}] too)` });
      else xs.set(x, j);
    });
    series.push({
      parameter: s.parameter,
      ...(s.parameterUnit ? { parameterUnit: s.parameterUnit } : {}),
      metric: s.metric,
      ...(s.unit ? { unit: s.unit } : {}),
      ...(s.better ? { better: s.better } : {}),
      points: [...s.points].sort((a, b) => a[0] - b[0]) as [number, number][],
    });
  });
  if (!Object.keys(metrics).length && !series.length) problems.push({ path: at || "", message: "a run needs metrics or series (nothing was measured)" });
  const t = r.target;
  const target: RunTarget | null = t
    ? t.proposal !== undefined
      ? { proposal: String(t.proposal) }
      : t.series !== undefined
        ? { series: t.series }
        : { patch: t.patch! }
    : null;
  const { $schema: _schema, target: _target, ...document } = asGiven;
  return {
    tool: r.tool,
    toolVersion: r.version ?? null,
    label: r.label,
    description: r.description ?? null,
    date: r.date ?? null,
    machine: r.machine ?? null,
    parameters: { ...(r.parameters ?? {}) },
    metrics,
    series,
    attachments: (r.attachments ?? []).map((a) => ({ ...a })),
    target,
    document,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV
//
//   # tool: rotsim            leading "# key: value" lines: tool (required), version, description,
//   # version: 0.4.1          machine, date, proposal | series | patch (the target), and
//   # param fs: xfs           "param <name>: <value>" for parameters the whole file shares
//   label,threads,reclaim throughput (GB/s) [higher],lock hold time (us) [lower]
//   baseline,1,1.9,0.8
//   v3,1,2.0,0.5
//
// The first column is the label, the second the parameter (the x axis), every further column a
// metric; a header is "name", "name (unit)", optionally followed by [higher] or [lower]. An
// empty cell is a point not measured. One run per label, one series per metric column.

const META_KEYS = new Set(["tool", "version", "description", "machine", "date", "proposal", "series", "patch"]);

interface Column {
  name: string;
  unit?: string;
  better?: Better;
}

function parseHeader(h: string): Column | null {
  const m = /^(.*?)\s*(?:\(([^()]*)\))?\s*(?:\[\s*(higher|lower)\s*\])?$/i.exec(h.trim());
  if (!m || !m[1].trim()) return null;
  return { name: m[1].trim(), ...(m[2]?.trim() ? { unit: m[2].trim() } : {}), ...(m[3] ? { better: m[3].toLowerCase() as Better } : {}) };
}

function parseNumber(s: string): number | null {
  const t = s.trim();
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function parseRunsCsv(input: string): NormalizedRun[] {
  const text = input.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  const problems: RunProblem[] = [];
  const meta: Record<string, string> = {};
  const parameters: Record<string, string | number> = {};
  let first = 0;
  for (; first < lines.length; first++) {
    const line = lines[first];
    if (!line.trim()) continue;
    if (!line.startsWith("#")) break;
    const m = /^#\s*(param(?:eter)?\s+)?([^:]+?)\s*:\s*(.*?)\s*$/i.exec(line);
    if (!m) {
      if (line.replace(/^#\s*/, "").trim()) problems.push({ path: `line ${first + 1}`, message: 'a comment line is "# key: value" (tool, version, ..., or "param <name>: <value>")' });
      continue;
    }
    const key = m[2].trim();
    if (m[1]) {
      const n = parseNumber(m[3]);
      parameters[key] = n ?? m[3];
    } else if (META_KEYS.has(key.toLowerCase())) {
      meta[key.toLowerCase()] = m[3];
    } else {
      problems.push({ path: `line ${first + 1}`, message: `unknown key "${key}" (known: ${[...META_KEYS].join(", ")}, or "param <name>: <value>")` });
    }
  }
  const offset = first; // lines before the header
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(lines.slice(first).join("\n"), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      comment: "#",
      comment_no_infix: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new RunsValidationError([...problems, { path: err.lines ? `line ${err.lines + offset}` : "", message: `not valid CSV: ${err.message.replace(/^[A-Z_]+:\s*/, "")}` }]);
  }
  if (!meta.tool) problems.push({ path: "", message: 'name the tool in a "# tool: <name>" line before the header' });
  if (!records.length) {
    problems.push({ path: "", message: "no header row: label,<parameter>,<metric (unit)>,..." });
    throw new RunsValidationError(problems);
  }
  const header = records[0].record;
  const headerLine = records[0].info.lines + offset;
  if (header.length < 3) problems.push({ path: `line ${headerLine}`, message: "the header needs at least three columns: label,<parameter>,<metric>" });
  if ((header[0] ?? "").trim().toLowerCase() !== "label") problems.push({ path: `line ${headerLine}, column 1`, message: 'the first column must be "label"' });
  const columns: (Column | null)[] = header.map((h, i) => {
    const c = parseHeader(h);
    if (!c) problems.push({ path: `line ${headerLine}, column ${i + 1}`, message: "an empty column name" });
    return c;
  });
  const names = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!c) return;
    const k = c.name.toLowerCase();
    if (names.has(k)) problems.push({ path: `line ${headerLine}, column ${i + 1}`, message: `"${c.name}" is column ${names.get(k)! + 1} too` });
    else names.set(k, i);
  });
  if (problems.length) throw new RunsValidationError(problems);
  const param = columns[1]!;
  const metricCols = columns.slice(2) as Column[];
  // label -> metric index -> x -> y
  const byLabel = new Map<string, Map<number, number>[]>();
  const firstSeen = new Map<string, Map<number, number>>();
  for (const { record, info } of records.slice(1)) {
    const line = info.lines + offset;
    const at = (i: number) => `line ${line}, column "${columns[i]?.name ?? i + 1}"`;
    if (record.length !== header.length) {
      problems.push({ path: `line ${line}`, message: `${record.length} cells, the header has ${header.length}` });
      continue;
    }
    const label = record[0].trim();
    if (!label) {
      problems.push({ path: at(0), message: "empty label" });
      continue;
    }
    if (label.length > 200) problems.push({ path: at(0), message: "the label is longer than 200 characters" });
    const x = parseNumber(record[1]);
    if (x === null) {
      problems.push({ path: at(1), message: `${JSON.stringify(record[1])} is not a number` });
      continue;
    }
    const seenX = firstSeen.get(label) ?? new Map<number, number>();
    firstSeen.set(label, seenX);
    if (seenX.has(x)) {
      problems.push({ path: `line ${line}`, message: `${label} at ${param.name} = ${x} is on line ${seenX.get(x)} too` });
      continue;
    }
    seenX.set(x, line);
    const perMetric = byLabel.get(label) ?? metricCols.map(() => new Map<number, number>());
    byLabel.set(label, perMetric);
    metricCols.forEach((_, j) => {
      const cell = record[j + 2];
      if (cell.trim() === "") return;
      const y = parseNumber(cell);
      if (y === null) problems.push({ path: at(j + 2), message: `${JSON.stringify(cell)} is not a number` });
      else perMetric[j].set(x, y);
    });
  }
  if (!byLabel.size && !problems.length) problems.push({ path: "", message: "no data rows after the header" });
  if (byLabel.size > MAX_RUNS) problems.push({ path: "", message: `more than ${MAX_RUNS} labels in one file` });
  if (problems.length) throw new RunsValidationError(problems);
  // each label as the JSON run document it is equivalent to, validated by the same schema
  const docs: Record<string, unknown>[] = [];
  for (const [label, perMetric] of byLabel) {
    const series = metricCols
      .map((c, j) => ({
        parameter: param.name,
        ...(param.unit ? { parameterUnit: param.unit } : {}),
        metric: c.name,
        ...(c.unit ? { unit: c.unit } : {}),
        ...(c.better ? { better: c.better } : {}),
        points: [...perMetric[j]].sort((a, b) => a[0] - b[0]),
      }))
      .filter((s) => s.points.length);
    docs.push({
      tool: meta.tool,
      ...(meta.version ? { version: meta.version } : {}),
      label,
      ...(meta.description ? { description: meta.description } : {}),
      ...(meta.date ? { date: meta.date } : {}),
      ...(meta.machine ? { machine: meta.machine } : {}),
      ...(meta.proposal ? { target: { proposal: meta.proposal } } : meta.series ? { target: { series: meta.series } } : meta.patch ? { target: { patch: meta.patch } } : {}),
      ...(Object.keys(parameters).length ? { parameters } : {}),
      series,
    });
  }
  try {
    return normalizeRunDocument(docs.length === 1 ? docs[0] : docs);
  } catch (e) {
    if (!(e instanceof RunsValidationError)) throw e;
    // a problem of the metadata lines (a bad date, an over-long tool name): say which key
    throw new RunsValidationError(e.problems.map((p) => ({ path: p.path.replace(/^(?:\[\d+\]\.?)?/, "# ").replace(/^# $/, ""), message: p.message })));
  }
}
