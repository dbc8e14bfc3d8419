// Writes docs/runs.schema.json from the zod schema (lib/runs/schema.ts). lib/runs/runs.test.ts
// fails when the file is stale: run `npx tsx scripts/runs-schema.mts` after changing the schema.
import fs from "node:fs";
import path from "node:path";
import { runFileJsonSchema } from "../lib/runs/schema.ts";

export const RUNS_SCHEMA_FILE = path.join(import.meta.dirname, "..", "docs", "runs.schema.json");

export function runsSchemaText(): string {
  return JSON.stringify(runFileJsonSchema(), null, 2) + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  fs.writeFileSync(RUNS_SCHEMA_FILE, runsSchemaText());
  process.stderr.write(`wrote ${path.relative(process.cwd(), RUNS_SCHEMA_FILE)}\n`);
}
