// A fresh, migrated database per test file (cloned from the template made in global-setup).
import { inject } from "vitest";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { withDatabase } from "../ingest/postgres/embedded";
import { connect, type Db } from "../lib/db/client";

export async function createTestDb(): Promise<Db & { name: string; drop(): Promise<void> }> {
  const serverUrl = inject("pgUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE patchlore_template`);
  await admin.end();
  const db = connect(withDatabase(serverUrl, name));
  return {
    ...db,
    name,
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: serverUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
