import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, parseRunFile, parseRunsCsv, parseRunsJson, RunsValidationError, type RunProblem } from "./parse";
import { bestOf, buildFigureTable, buildPlots, change, formatNumber, linearScale, logScale, wantsLog, type PlotRunInput } from "./plot";
import { runFileJsonSchema } from "./schema";

const root = path.resolve(import.meta.dirname, "..", "..");

function problems(fn: () => unknown): RunProblem[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof RunsValidationError) return e.problems;
    throw e;
  }
  throw new Error("expected a RunsValidationError");
}

const run = (extra: Record<string, unknown> = {}) => ({
  tool: "rotsim",
  version: "0.4.1",
  label: "v3",
  parameters: { fs: "xfs", nodes: 2, thp: false },
  metrics: { throughput: { value: 24.6, unit: "GB/s", better: "higher" }, "lock contentions": 2402811 },
  series: [{ parameter: "threads", metric: "reclaim throughput", unit: "GB/s", better: "higher", points: [[4, 7.1], [1, 2], [2, 3.8]] }],
  attachments: [{ name: "log.txt", url: "https://example.org/log.txt", contentType: "text/plain" }],
  ...extra,
});

describe("JSON run files", () => {
  it("reads one run: metrics as numbers or objects, points sorted by x, target kept apart from the document", () => {
    const [r, ...rest] = parseRunsJson(JSON.stringify(run({ target: { series: "<cover@x>" }, $schema: "docs/runs.schema.json" })));
    expect(rest).toEqual([]);
    expect(r.tool).toBe("rotsim");
    expect(r.toolVersion).toBe("0.4.1");
    expect(r.label).toBe("v3");
    expect(r.parameters).toEqual({ fs: "xfs", nodes: 2, thp: false });
    expect(r.metrics).toEqual({ throughput: { value: 24.6, unit: "GB/s", better: "higher" }, "lock contentions": { value: 2402811 } });
    expect(r.series[0].points).toEqual([[1, 2], [2, 3.8], [4, 7.1]]);
    expect(r.target).toEqual({ series: "<cover@x>" });
    expect(r.document).not.toHaveProperty("target");
    expect(r.document).not.toHaveProperty("$schema");
    expect(r.document.label).toBe("v3");
  });

  it("reads an array of runs and a group (shared fields, merged parameters and attachments)", () => {
    const arr = parseRunsJson(JSON.stringify([run({ label: "baseline" }), run({ label: "v3" })]));
    expect(arr.map((r) => r.label)).toEqual(["baseline", "v3"]);
    const group = parseRunsJson(
      JSON.stringify({
        tool: "mmtests",
        version: "1.0",
        target: { proposal: 7 },
        parameters: { fs: "xfs", threads: 8 },
        attachments: [{ name: "config", sha256: "a".repeat(64), contentType: "text/plain" }],
        runs: [
          { label: "baseline", metrics: { t: 1 } },
          { label: "v3", version: "1.1", parameters: { threads: 16 }, metrics: { t: 2 }, attachments: [{ name: "x", url: "http://e.org/x", contentType: "a/b" }] },
        ],
      }),
    );
    expect(group.map((r) => [r.label, r.toolVersion, r.parameters.threads, r.attachments.length])).toEqual([
      ["baseline", "1.0", 8, 1],
      ["v3", "1.1", 16, 2],
    ]);
    expect(group[1].parameters).toEqual({ fs: "xfs", threads: 16 });
    expect(group.every((r) => r.target?.proposal === "7")).toBe(true);
    expect(group[1].document).toMatchObject({ tool: "mmtests", label: "v3", version: "1.1" });
    expect(group[1].document).not.toHaveProperty("runs");
  });

  it("lists every problem with its path", () => {
    const p = problems(() =>
      parseRunsJson(
        JSON.stringify({
          tool: "",
          label: "x",
          colour: "red",
          metrics: { a: "fast", b: { value: 1, better: "faster" } },
          series: [
            { parameter: "threads", metric: "m", points: [[1, 2], [2], [3, "x"]] },
            { parameter: "threads", metric: "n" },
          ],
          attachments: [{ name: "a", contentType: "text/plain" }, { name: "b", url: "ftp://x/y", contentType: "nope" }],
          date: "yesterday",
        }),
      ),
    );
    const at = Object.fromEntries(p.map((x) => [x.path, x.message]));
    expect(at["tool"]).toBe("tool must not be empty");
    expect(at[""]).toBe('unknown field "colour"');
    expect(at["metrics.a"]).toMatch(/a metric is a number or/);
    expect(at["metrics.b.better"]).toMatch(/higher|lower/);
    expect(at["series[0].points[1]"]).toBe("a point is [x, y]: two numbers");
    expect(at["series[0].points[2][1]"]).toMatch(/expected number/);
    expect(at["series[1].points"]).toBe("required");
    expect(at["attachments[0].url"]).toBe("an attachment needs a url or a sha256");
    expect(at["attachments[1].url"]).toBe("url must be an http(s) URL");
    expect(at["attachments[1].contentType"]).toMatch(/media type/);
    expect(at["date"]).toMatch(/ISO 8601/);
    expect(p.length).toBe(11);
  });

  it("checks what the schema cannot: each x once, one series per metric and parameter, something measured", () => {
    const p = problems(() =>
      parseRunsJson(
        JSON.stringify([
          run({ series: [{ parameter: "t", metric: "m", points: [[1, 2], [2, 3], [1, 4]] }, { parameter: "t", metric: "m", points: [[5, 5]] }] }),
          { tool: "x", label: "empty" },
        ]),
      ),
    );
    expect(p).toEqual([
      { path: "[0].series[0].points[2]", message: "x = 1 appears twice (points[0] too)" },
      { path: "[0].series[1]", message: "a second series of m against t (series[0] is the first)" },
      { path: "[1]", message: "a run needs metrics or series (nothing was measured)" },
    ]);
  });

  it("says where JSON syntax breaks, and refuses what is not a run file", () => {
    expect(problems(() => parseRunsJson('{"tool": "x",\n  "label": }'))[0].message).toMatch(/^not valid JSON/);
    expect(problems(() => parseRunsJson("[]"))).toEqual([{ path: "", message: "the array holds no runs" }]);
    expect(problems(() => parseRunsJson("42"))[0].message).toMatch(/JSON object/);
    expect(problems(() => parseRunsJson('{"tool": "x", "runs": []}'))).toEqual([{ path: "runs", message: "runs must not be empty" }]);
    expect(problems(() => parseRunsJson('{"tool": "x", "label": "a", "target": {"series": "a", "patch": "b"}, "metrics": {"m": 1}}'))).toEqual([
      { path: "target", message: "a target names exactly one of proposal, series, patch" },
    ]);
  });
});

describe("CSV run files", () => {
  const csv = [
    "# tool: rotsim",
    "# version: 0.4.1",
    "# series: cover@kernel.example",
    "# param fs: xfs",
    "# param nodes: 2",
    "",
    "label,threads,reclaim throughput (GB/s) [higher],lock hold time (us) [lower]",
    "baseline,1,1.9,0.8",
    "baseline,4,6.5,1.9",
    "# the v3 rows",
    "v3,4,7.1,0.7",
    'v3,1,2.0,',
  ].join("\r\n");

  it("reads one run per label, one series per metric column, units and directions from the header", () => {
    const runs = parseRunsCsv(csv);
    expect(runs.map((r) => r.label)).toEqual(["baseline", "v3"]);
    const v3 = runs[1];
    expect(v3.tool).toBe("rotsim");
    expect(v3.toolVersion).toBe("0.4.1");
    expect(v3.parameters).toEqual({ fs: "xfs", nodes: 2 });
    expect(v3.target).toEqual({ series: "cover@kernel.example" });
    expect(v3.series).toEqual([
      { parameter: "threads", metric: "reclaim throughput", unit: "GB/s", better: "higher", points: [[1, 2], [4, 7.1]] },
      { parameter: "threads", metric: "lock hold time", unit: "us", better: "lower", points: [[4, 0.7]] },
    ]);
    // the document is the JSON run the label stands for, and parses as one
    expect(parseRunsJson(JSON.stringify(v3.document))[0].series).toEqual(v3.series);
  });

  it("lists every problem with its line and column", () => {
    const bad = ["# tool: x", "# colour: red", "label,size (MB),t", "a,1,2", "a,one,3", "a,1,4", ",2,3", "b,2,fast", "b,3,4,5"].join("\n");
    expect(problems(() => parseRunsCsv(bad))).toEqual([{ path: "line 2", message: 'unknown key "colour" (known: tool, version, description, machine, date, proposal, series, patch, or "param <name>: <value>")' }]);
    const rows = bad.replace("# colour: red\n", "");
    expect(problems(() => parseRunsCsv(rows))).toEqual([
      { path: 'line 4, column "size"', message: '"one" is not a number' },
      { path: "line 5", message: "a at size = 1 is on line 3 too" },
      { path: 'line 6, column "label"', message: "empty label" },
      { path: 'line 7, column "t"', message: '"fast" is not a number' },
      { path: "line 8", message: "4 cells, the header has 3" },
    ]);
    expect(problems(() => parseRunsCsv("label,x,y\na,1,2\n"))).toEqual([{ path: "", message: 'name the tool in a "# tool: <name>" line before the header' }]);
    expect(problems(() => parseRunsCsv("# tool: x\nname,x\n"))).toEqual([
      { path: "line 2", message: "the header needs at least three columns: label,<parameter>,<metric>" },
      { path: "line 2, column 1", message: 'the first column must be "label"' },
    ]);
    expect(problems(() => parseRunsCsv("# tool: x\nlabel,x,y,Y (s)\n"))).toEqual([{ path: "line 2, column 4", message: '"Y" is column 3 too' }]);
    expect(problems(() => parseRunsCsv("# tool: x\n# date: soon\nlabel,x,y\na,1,2\n"))).toEqual([{ path: "# date", message: expect.stringMatching(/ISO 8601/) }]);
    expect(problems(() => parseRunsCsv('# tool: x\nlabel,x,y\n"a,1,2\n'))[0].message).toMatch(/^not valid CSV/);
  });

  it("tells JSON from CSV by name, media type, or first character", () => {
    expect(detectFormat("{}", { name: "a.csv" })).toBe("csv");
    expect(detectFormat("label,x", { contentType: "application/json" })).toBe("json");
    expect(detectFormat("label,x", { contentType: "text/csv; charset=utf-8" })).toBe("csv");
    expect(detectFormat("  [{}]")).toBe("json");
    expect(detectFormat("# tool: x")).toBe("csv");
    expect(parseRunFile(csv, { name: "runs.csv" })).toHaveLength(2);
  });
});

describe("the demo run and the published schema", () => {
  it("ingest/demo/run.json is a valid group of three labels", () => {
    const runs = parseRunFile(fs.readFileSync(path.join(root, "ingest/demo/run.json"), "utf8"), { name: "run.json" });
    expect(runs.map((r) => r.label)).toEqual(["baseline", "RFC", "v3"]);
    expect(runs.every((r) => r.series.length === 2 && r.target?.proposal === "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example")).toBe(true);
  });

  it("docs/runs.schema.json is what the zod schema generates (run `npx tsx scripts/runs-schema.mts` after changing it)", () => {
    const file = fs.readFileSync(path.join(root, "docs/runs.schema.json"), "utf8");
    expect(file).toBe(JSON.stringify(runFileJsonSchema(), null, 2) + "\n");
    const schema = JSON.parse(file);
    expect(schema.$defs.Run.required).toEqual(["tool", "label"]);
    expect(schema.$defs.RunGroup.required).toEqual(["tool", "runs"]);
  });

  it("docs/runs.md documents every field of the schema", () => {
    const md = fs.readFileSync(path.join(root, "docs/runs.md"), "utf8");
    const schema = runFileJsonSchema() as { $defs: Record<string, { properties: Record<string, unknown> }> };
    for (const def of ["Run", "RunGroup"]) for (const k of Object.keys(schema.$defs[def].properties)) expect(md, k).toContain(`\`${k}\``);
    for (const k of ["parameter", "parameterUnit", "metric", "unit", "better", "points", "url", "sha256", "contentType", "stddev"]) expect(md, k).toContain(`\`${k}\``);
  });
});

describe("plots and tables", () => {
  const runs: PlotRunInput[] = [
    { id: 1, label: "baseline", tool: "t", toolVersion: null, metrics: { contentions: { value: 100, better: "lower" as const } }, series: [{ parameter: "threads", metric: "tput", unit: "GB/s", better: "higher" as const, points: [[1, 2], [2, 3], [4, 5]] as [number, number][] }] },
    { id: 2, label: "v3", tool: "t", toolVersion: null, metrics: { contentions: { value: 40 } }, series: [{ parameter: "threads", metric: "tput", unit: "GB/s", points: [[1, 2], [4, 8], [64, 20]] as [number, number][] }, { parameter: "threads", metric: "tput", unit: "MB/s", points: [[1, 2000]] as [number, number][] }] },
    { id: 3, label: "v3", tool: "t", toolVersion: null, metrics: {}, series: [{ parameter: "threads", metric: "tput", unit: "GB/s", points: [[8, 9]] as [number, number][] }] },
  ];

  it("one plot per metric, parameter and units; one line per run, same labels told apart", () => {
    const plots = buildPlots(runs);
    expect(plots.map((p) => [p.metric, p.unit, p.lines.map((l) => l.name)])).toEqual([
      ["tput", "GB/s", ["baseline", "v3 (#2)", "v3 (#3)"]],
      ["tput", "MB/s", ["v3"]],
    ]);
    const p = plots[0];
    expect(p.better).toBe("higher");
    expect(p.x.log).toBe(true); // 1 .. 64 doubling
    expect(p.x.ticks).toEqual([1, 2, 4, 8, 64]);
    expect(p.y).toMatchObject({ min: 0, max: 20, log: false });
    expect(p.rows.map((r) => r.x)).toEqual([1, 2, 4, 8, 64]);
    expect(p.rows[2].cells).toEqual([5, 8, null]);
  });

  it("figures side by side, best marked by direction, changes against the first label", () => {
    const t = buildFigureTable(runs)!;
    expect(t.labels).toEqual(["baseline", "v3"]);
    expect(t.rows).toEqual([{ metric: "contentions", unit: null, better: "lower", cells: [100, 40] }]);
    expect(bestOf([100, 40], "lower")).toEqual([1]);
    expect(bestOf([100, 40], "higher")).toEqual([0]);
    expect(bestOf([100, 40], null)).toEqual([]);
    expect(change(100, 40)).toBe(-60);
    expect(change(0, 40)).toBeNull();
  });

  it("scales: round linear ticks, log only for geometric parameters", () => {
    expect(linearScale(0.3, 9.2, { zero: true })).toEqual({ min: 0, max: 10, log: false, ticks: [0, 2, 4, 6, 8, 10] });
    expect(linearScale(-3, 7).ticks).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    expect(linearScale(5, 5, { zero: true })).toMatchObject({ min: 0, max: 5 });
    expect(linearScale(5, 5)).toMatchObject({ min: 2, max: 8 });
    expect(wantsLog([1, 2, 4, 8, 16, 32, 64])).toBe(true);
    expect(wantsLog(Array.from({ length: 16 }, (_, i) => 16 * (i + 1)))).toBe(false); // evenly spaced: linear
    expect(wantsLog([1, 2, 3, 4])).toBe(false); // a small range
    expect(wantsLog([0, 1, 1000])).toBe(false);
    expect(logScale([1, 10, 100, 1000, 2, 20, 200, 2000, 3, 30, 300, 3000, 5]).ticks).toEqual([1, 10, 100, 1000]);
    expect(formatNumber(18203117)).toBe("18,203,117");
    expect(formatNumber(0.004213)).toBe("0.004213");
  });
});
