// One throwaway embedded PostgreSQL for the whole test run. Migrations are applied once to a
// template database; every test file then clones it (CREATE DATABASE ... TEMPLATE), which takes
// milliseconds instead of a migrate run per file.
import type { TestProject } from "vitest/node";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbedded, withDatabase } from "../ingest/postgres/embedded";
import { migrateDeploy } from "../ingest/postgres/migrate";

export const TEMPLATE_DB = "patchlore_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  let serverUrl: string;
  if (external) {
    serverUrl = external; // e.g. Debian's PostgreSQL 15, to check the schema there too
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchlore-test-pg-"));
    const server = await startEmbedded({ dataDir: path.join(dir, "data"), durable: false });
    serverUrl = server.url;
    stop = async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  await migrateDeploy(withDatabase(serverUrl, TEMPLATE_DB));
  project.provide("pgUrl", serverUrl);
  return stop;
}
