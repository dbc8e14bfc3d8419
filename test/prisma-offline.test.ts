// Prisma's migrate commands work offline through scripts/schema-engine.mjs (the WASM engine),
// and schema.prisma agrees with prisma/migrations.
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { inject } from "vitest";
import pg from "pg";
import { withDatabase } from "../ingest/postgres/embedded";
import { prismaCli, projectRoot } from "../ingest/postgres/migrate";

const exec = promisify(execFile);

async function freshDatabase(): Promise<string> {
  const server = inject("pgUrl");
  const name = `m_${Math.random().toString(36).slice(2, 10)}`;
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return withDatabase(server, name);
}

describe("prisma offline", () => {
  it("the schema engine stand-in answers --version", async () => {
    const { stdout } = await exec(process.execPath, [path.join(projectRoot(), "scripts", "schema-engine.mjs"), "--version"]);
    expect(stdout).toMatch(/schema-engine-wasm-shim/);
  });

  it("schema.prisma and prisma/migrations agree (migrate diff --exit-code)", async () => {
    const url = await freshDatabase();
    const { stdout } = await prismaCli(
      ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
      url,
    );
    expect(stdout).toMatch(/No difference|empty migration/i);
  });

  it("migrate deploy creates every table on an empty database, and status is then up to date", async () => {
    const url = await freshDatabase();
    await prismaCli(["migrate", "deploy"], url);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    await c.end();
    const tables = rows.map((r) => r.tablename);
    for (const t of ["message", "raw_message", "thread", "list", "list_message", "person", "duplicate_message", "skipped_message", "source"]) {
      expect(tables).toContain(t);
    }
    const { stdout } = await prismaCli(["migrate", "status"], url);
    expect(stdout).toMatch(/up to date/i);
  });

  it("migrate diff reports a difference when the schema has a model the migrations lack", async () => {
    const url = await freshDatabase();
    const fs = await import("node:fs");
    const os = await import("node:os");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-"));
    const schema = fs.readFileSync(path.join(projectRoot(), "prisma", "schema.prisma"), "utf8") + "\nmodel Extra {\n  id Int @id\n}\n";
    fs.writeFileSync(path.join(dir, "schema.prisma"), schema);
    await expect(
      prismaCli(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", path.join(dir, "schema.prisma"), "--exit-code"], url),
    ).rejects.toThrow(/Extra/);
  });
});
