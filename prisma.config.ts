import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Prisma's native schema engine cannot be downloaded on this network: migrate/diff/status
// go through scripts/schema-engine.mjs, which runs the WASM engine shipped in the prisma package.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./scripts/schema-engine.mjs", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // `prisma generate` needs no database; migrate/diff/status do.
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
