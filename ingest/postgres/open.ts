// Where the database is: DATABASE_URL when set, else the embedded PostgreSQL in .patchlore/,
// started on a free port and stopped on exit. A second patchlore process (an ingest while
// `npm start` serves) finds the running embedded server through .patchlore/server.json and
// shares it instead of starting another.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connect, type Db } from "../../lib/db/client";
import { startEmbedded, withDatabase, type EmbeddedServer } from "./embedded";
import { migrateDeploy, projectRoot } from "./migrate";

export const DATABASE_NAME = "patchlore";

export interface OpenedDb extends Db {
  /** "external" (DATABASE_URL), "embedded" (started here) or "shared" (another process's) */
  mode: "external" | "embedded" | "shared";
  /** stops the embedded server when this process started it */
  shutdown(): Promise<void>;
}

export function homeDir(): string {
  return path.resolve(process.env.PATCHLORE_HOME ?? path.join(projectRoot(), ".patchlore"));
}

interface ServerFile {
  pid: number;
  port: number;
  url: string;
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ensureDatabase(serverUrl: string, name: string) {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const { rowCount } = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${name}"`).catch((e) => {
      if (e.code !== "42P04") throw e; // created concurrently by another process
    });
  } finally {
    await c.end();
  }
}

/** Applies pending migrations (a no-op check when the database is current). */
export async function ensureMigrated(url: string): Promise<void> {
  const dir = path.join(projectRoot(), "prisma", "migrations");
  const wanted = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "migration.sql"))).sort();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let applied: string[] = [];
  try {
    const { rows } = await c.query(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = rows.map((r) => r.migration_name);
  } catch {
    applied = [];
  } finally {
    await c.end();
  }
  if (wanted.every((w) => applied.includes(w))) return;
  await migrateDeploy(url);
}

export async function openDatabase(opts: { log?: (line: string) => void; poolMax?: number } = {}): Promise<OpenedDb> {
  const external = process.env.DATABASE_URL;
  if (external) {
    await ensureMigrated(external);
    const db = connect(external, { max: opts.poolMax });
    return { ...db, mode: "external", shutdown: db.close };
  }
  const home = homeDir();
  fs.mkdirSync(home, { recursive: true });
  const serverFile = path.join(home, "server.json");
  if (fs.existsSync(serverFile)) {
    try {
      const info = JSON.parse(fs.readFileSync(serverFile, "utf8")) as ServerFile;
      if (alive(info.pid) && (await reachable(info.url))) {
        const url = withDatabase(info.url, DATABASE_NAME);
        await ensureDatabase(info.url, DATABASE_NAME);
        await ensureMigrated(url);
        const db = connect(url, { max: opts.poolMax });
        return { ...db, mode: "shared", shutdown: db.close };
      }
    } catch {
      // stale or unreadable: start our own below
    }
  }
  opts.log?.(`starting the embedded PostgreSQL in ${path.join(home, "pgdata")} ...`);
  let server: EmbeddedServer;
  try {
    server = await startEmbedded({ dataDir: path.join(home, "pgdata") });
  } catch (e) {
    throw new Error(
      `${(e as Error).message}\nIf another patchlore is still running on ${home}, stop it first; or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  fs.writeFileSync(serverFile, JSON.stringify({ pid: process.pid, port: server.port, url: server.url } satisfies ServerFile));
  const url = withDatabase(server.url, DATABASE_NAME);
  await ensureDatabase(server.url, DATABASE_NAME);
  await ensureMigrated(url);
  const db = connect(url, { max: opts.poolMax });
  let done = false;
  return {
    ...db,
    mode: "embedded",
    async shutdown() {
      if (done) return;
      done = true;
      await db.close();
      await server.stop();
      try {
        const info = JSON.parse(fs.readFileSync(serverFile, "utf8")) as ServerFile;
        if (info.pid === process.pid) fs.unlinkSync(serverFile);
      } catch {
        // already gone
      }
    },
  };
}

export interface ScratchDb {
  db: Db;
  url: string;
  server: EmbeddedServer;
  /** closes the pool, stops the server and removes its data directory */
  stop(): Promise<void>;
}

/**
 * A fresh, migrated database `name` on a throwaway embedded PostgreSQL in `dir` (a new temporary
 * directory when absent), for benchmarks and oracle scripts that ingest an archive from scratch.
 */
export async function scratchDatabase(name: string, o: { dir?: string; durable?: boolean } = {}): Promise<ScratchDb> {
  const dir = o.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `patchlore-${name}-`));
  const server = await startEmbedded({ dataDir: path.join(dir, "pgdata"), ...(o.durable === undefined ? {} : { durable: o.durable }) });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  await admin.end();
  const url = withDatabase(server.url, name);
  await ensureMigrated(url);
  const db = connect(url);
  return {
    db, url, server,
    async stop() {
      await db.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
