// The web app as a person meets it: `next build` (once, when the sources changed; the same
// stamp `npm start` uses) and `next start` on a free port against a test database.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort } from "../lib/db/embedded";
import { projectRoot } from "../lib/db/migrate";
import { ensureBuilt } from "../ingest/serve";

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

/** databaseUrl null: the app as started without DATABASE_URL (it must say how to start it). */
export async function startApp(databaseUrl: string | null, opts: { timeoutMs?: number; /** serve the build there is */ skipBuild?: boolean } = {}): Promise<AppServer> {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  delete env.DATABASE_URL; // the build must not depend on a database
  if (!opts.skipBuild) await ensureBuilt(env);
  const port = await freePort();
  let out = "";
  const child = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectRoot(),
    env: { ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitUntilAnswering(`${url}/api`, child, opts.timeoutMs ?? 60_000, () => out);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, output: () => out, stop };
}
