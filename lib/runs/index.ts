// Benchmark and simulator runs done outside the mailing list: the document schema (zod, with the
// JSON Schema generated from it) and the JSON/CSV parsers. Pure: the database side is lib/db/runs.ts.
export * from "./parse";
export { Run as RunSchema, RunGroup as RunGroupSchema, RunFile as RunFileSchema, runFileJsonSchema } from "./schema";
