// The run document: a benchmark or simulator run done outside the mailing list (tool, version,
// the design or version it measures, parameters, metrics, series of points, attachments).
// This zod schema is the one definition: lib/runs/parse.ts validates with it, and
// docs/runs.schema.json is generated from it (scripts/runs-schema.mts; lib/runs/runs.test.ts
// fails when the file is stale). docs/runs.md explains it with examples.
import { z } from "zod";

const name = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(200, `${what} is longer than 200 characters`);
const text = (max: number) => z.string().max(max, `longer than ${max} characters`);

export const Better = z.enum(["higher", "lower"]).describe("which direction is an improvement");

export const ParameterValue = z
  .union([text(1000), z.number(), z.boolean()], { error: "a parameter is a string, a number or a boolean" })
  .describe("a parameter's value");

export const Metric = z
  .object({
    value: z.number().describe("the measured value (a finite number)"),
    unit: text(50).optional().describe('e.g. "GB/s", "us", "%"'),
    better: Better.optional(),
    stddev: z.number().nonnegative().optional().describe("standard deviation, in the same unit"),
  })
  .strict()
  .describe("one figure of the run");

export const MetricValue = z
  .union([z.number(), Metric], { error: 'a metric is a number or {"value": N, "unit": "...", "better": "higher"|"lower"}' })
  .describe("a metric: a bare number, or a value with its unit and direction");

export const Point = z
  .tuple([z.number(), z.number()], { error: (iss) => (iss.code === "too_small" || iss.code === "too_big" ? "a point is [x, y]: two numbers" : undefined) })
  .describe("[x, y]: the parameter's value and the metric's value");

export const Series = z
  .object({
    parameter: name("parameter").describe("the x axis: the parameter varied, e.g. threads"),
    parameterUnit: text(50).optional().describe("the parameter's unit, e.g. MB"),
    metric: name("metric").describe("the y axis: the metric measured, e.g. reclaim throughput"),
    unit: text(50).optional().describe("the metric's unit, e.g. GB/s"),
    better: Better.optional(),
    points: z.array(Point).min(1, "a series needs at least one point").max(100_000).describe("the points, one per parameter value (each x once)"),
  })
  .strict()
  .describe("a metric measured at several values of one parameter: one line on a plot");

export const Attachment = z
  .object({
    name: name("name"),
    url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }).optional().describe("where the file is"),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, "sha256 must be 64 hex digits").optional().describe("the file's SHA-256, when it is kept elsewhere"),
    contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+(?:\s*;.*)?$/, 'contentType must be a media type such as "text/csv"').describe("its media type"),
    size: z.number().int().nonnegative().optional().describe("bytes"),
  })
  .strict()
  .refine((a) => a.url !== undefined || a.sha256 !== undefined, { message: "an attachment needs a url or a sha256", path: ["url"] })
  .describe("a file that belongs to the run (raw output, a config, a trace): a URL or a SHA-256");

export const Target = z
  .object({
    proposal: z.union([z.number().int().positive(), name("proposal")]).optional().describe("a proposal id, or a member's series key or Message-ID"),
    series: name("series").optional().describe("a series key (its cover letter's Message-ID)"),
    patch: name("patch").optional().describe("a patch's Message-ID"),
  })
  .strict()
  .refine((t) => [t.proposal, t.series, t.patch].filter((v) => v !== undefined).length === 1, { message: "a target names exactly one of proposal, series, patch" })
  .describe("what the run is attached to; the CLI's --proposal/--series/--patch and the API's ?proposal=/?series=/?patch= override it");

const common = {
  $schema: z.string().optional().describe("optional: the URL or path of this schema"),
  tool: name("tool").describe("the benchmark or simulator, e.g. mmtests, will-it-scale, rotsim"),
  version: text(100).optional().describe("the tool's version"),
  description: text(5000).optional().describe("what was run, how, on what"),
  date: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "date must be an ISO 8601 date or date-time, e.g. 2024-02-06 or 2024-02-06T10:00:00Z" })
    .optional()
    .describe("when it was run"),
  machine: text(500).optional().describe("where it was run"),
  target: Target.optional(),
  parameters: z.record(z.string().min(1), ParameterValue).optional().describe("the settings the whole run shares, e.g. {\"threads\": 64, \"fs\": \"xfs\"}"),
  attachments: z.array(Attachment).max(100).optional(),
};

const measured = {
  label: name("label").describe('the design or version measured, e.g. "baseline", "RFC", "v3": one line per label on a plot'),
  metrics: z.record(z.string().min(1), MetricValue).optional().describe("single figures, by name"),
  series: z.array(Series).max(1000).optional(),
};

/** One run: one label (design or version). */
export const Run = z.object({ ...common, ...measured }).strict().meta({ id: "Run", title: "A benchmark or simulator run" });

/** One entry of a group: what differs per label. Shared fields come from the group. */
export const GroupEntry = z
  .object({
    ...measured,
    tool: common.tool.optional(),
    version: common.version,
    description: common.description,
    date: common.date,
    machine: common.machine,
    parameters: common.parameters.describe("merged over the group's parameters"),
    attachments: common.attachments,
  })
  .strict()
  .describe("one label's run; tool, version, parameters and target default to the group's");

/** Several runs sharing tool, version, parameters and target: one entry per label. */
export const RunGroup = z
  .object({ ...common, runs: z.array(GroupEntry).min(1, "runs must not be empty").max(1000) })
  .strict()
  .meta({ id: "RunGroup", title: "Runs sharing a tool, one per label" });

/** A run file: one run, an array of runs (one per label), or a group. */
export const RunFile = z
  .union([Run, z.array(Run).min(1).max(1000), RunGroup])
  .meta({
    title: "patchlore run file",
    description:
      "Benchmark or simulator runs done outside the mailing list, attached to a proposal, a series or a patch (patchlore runs import, POST /api/runs). " +
      "One run object, an array of runs (one per label), or a group {tool, ..., runs: [{label, ...}]}. See docs/runs.md.",
  });

export type RunInput = z.infer<typeof Run>;
export type RunGroupInput = z.infer<typeof RunGroup>;
export type MetricInput = z.infer<typeof MetricValue>;

/** docs/runs.schema.json */
export function runFileJsonSchema(): unknown {
  return z.toJSONSchema(RunFile, { target: "draft-2020-12", unrepresentable: "any" });
}
