#!/usr/bin/env node
// The `patchlore` command. The code is TypeScript, run through tsx (no separate build step).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../ingest/cli.ts");
await main(process.argv);
