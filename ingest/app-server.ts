// The web app as a person meets it: `next build` (once, when the sources changed; the same
// stamp `npm start` uses) and `next start` on a free port against a given database. The e2e
// tests and the search benchmark (bench-search.ts) start it; it lives here, not in e2e/, so the
// benchmark does not depend on the test harness.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./postgres/embedded";
import { projectRoot } from "./postgres/migrate";
import { buildFingerprint, ensureBuilt } from "./serve";

export interface AppServer {
  url: string;
  port: number;
  /** what the server printed, for failure messages */
  output(): string;
  stop(): Promise<void>;
}

const nextBin = () => path.join(projectRoot(), "node_modules", "next", "dist", "bin", "next");

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output()}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`next start did not answer on ${url} within ${timeoutMs} ms (${lastError}):\n${output()}`);
}

// Test files run in parallel, and other runs in the same checkout share its .next/: a `next build`
// must neither run twice at once nor replace the build under a running `next start`. So: a lock
// directory (per project root, in the temp dir, holding the owner's pid) around "build when
// needed, then register as a user of the build", and a registry of the servers using the build;
// a rebuild waits until no live server uses the old one. Dead owners' entries are ignored.

const stateId = () => crypto.createHash("sha1").update(projectRoot()).digest("hex").slice(0, 12);
const lockDir = () => path.join(os.tmpdir(), `patchlore-next-build-${stateId()}.lock`);
const usersDir = () => path.join(os.tmpdir(), `patchlore-next-build-${stateId()}.users`);

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live servers (of any process) using the current build, without this process's own. */
function otherUsers(): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(usersDir());
  } catch {
    return [];
  }
  return names.filter((n) => {
    const pid = Number(n.split("-")[0]);
    if (pid === process.pid) return false;
    if (pidAlive(pid)) return true;
    fs.rmSync(path.join(usersDir(), n), { force: true });
    return false;
  });
}

function buildIsCurrent(): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(projectRoot(), ".next", "patchlore-build.json"), "utf8"));
    return stamp.fingerprint === buildFingerprint() && fs.existsSync(path.join(projectRoot(), ".next", "BUILD_ID"));
  } catch {
    return false;
  }
}

async function withLock<T>(fn: () => Promise<T>, deadline: number): Promise<T> {
  const lock = lockDir();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {
        // being created right now
      }
      if (!Number.isNaN(owner) && !pidAlive(owner)) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited too long for the build lock ${lock}`);
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds when needed (waiting for other servers to let go of an outdated build); returns the
 * registration to remove when the server stops. */
async function buildAndRegister(env: NodeJS.ProcessEnv, skipBuild: boolean, timeoutMs = 20 * 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = await withLock(async () => {
      if (!skipBuild && !buildIsCurrent()) {
        if (otherUsers().length) return null; // still in use: wait outside the lock
        await ensureBuilt(env);
      }
      fs.mkdirSync(usersDir(), { recursive: true });
      const name = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
      fs.writeFileSync(path.join(usersDir(), name), "");
      return path.join(usersDir(), name);
    }, deadline);
    if (entry) return () => fs.rmSync(entry, { force: true });
    if (Date.now() > deadline) throw new Error("waited too long for other test servers to stop before rebuilding");
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** databaseUrl null: the app as started without DATABASE_URL (it must say how to start it). */
export async function startApp(
  databaseUrl: string | null,
  opts: { timeoutMs?: number; /** serve the build there is */ skipBuild?: boolean; /** extra environment for `next start` (limits, timeouts) */ env?: Record<string, string | undefined> } = {},
): Promise<AppServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  delete env.DATABASE_URL; // the build must not depend on a database
  const unregister = await buildAndRegister(env, !!opts.skipBuild);
  let port: number;
  try {
    port = await freePort();
  } catch (e) {
    unregister();
    throw e;
  }
  let out = "";
  const child = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectRoot(),
    env: { ...env, ...opts.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return unregister();
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
    unregister();
  };
  try {
    await waitUntilAnswering(`${url}/api`, child, opts.timeoutMs ?? 60_000, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, output: () => out, stop };
}
