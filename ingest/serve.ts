// `npm start`: database up, migrations applied, demo corpus ingested into an empty database,
// the Next.js app built when its sources changed, then served until Ctrl-C.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { openDatabase } from "./postgres/open";
import { projectRoot } from "./postgres/migrate";
import { ingestSource } from "./pipeline";
import { importDemoRuns } from "./runs-cli";

export const DEMO_MBOX = path.join(projectRoot(), "ingest", "demo", "demo.mbox");
export const DEMO_LIST = "demo";

const log = (s: string) => process.stderr.write(s + "\n");

/** What the production build depends on; a change means `next build` again. */
export function buildFingerprint(root = projectRoot()): string {
  const h = crypto.createHash("sha256");
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === "node_modules" || e.name === "generated" || e.name.endsWith(".test.ts")) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        h.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  };
  for (const d of ["app", "lib", "public"]) walk(path.join(root, d));
  for (const f of ["package-lock.json", "next.config.ts", "proxy.ts", "tsconfig.json", "prisma/schema.prisma"]) {
    const p = path.join(root, f);
    if (fs.existsSync(p)) h.update(fs.readFileSync(p));
  }
  return h.digest("hex");
}

function nextBin(): string {
  return path.join(projectRoot(), "node_modules", "next", "dist", "bin", "next");
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [nextBin(), ...args], { cwd: projectRoot(), env, stdio: "inherit" });
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next ${args[0]} exited with ${code}`))));
  });
}

export async function ensureBuilt(env: NodeJS.ProcessEnv): Promise<void> {
  const root = projectRoot();
  const stampFile = path.join(root, ".next", "patchlore-build.json");
  const fp = buildFingerprint(root);
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
    if (stamp.fingerprint === fp && fs.existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  } catch {
    // no stamp: build
  }
  log("building the web app (next build); this happens once after each change ...");
  await run(["build"], env);
  fs.writeFileSync(stampFile, JSON.stringify({ fingerprint: fp, builtAt: new Date().toISOString() }));
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

export async function serve(opts: { port: number; dev: boolean; demo: boolean }) {
  if (!(await portFree(opts.port))) {
    log(`patchlore: port ${opts.port} is in use; choose another with PORT=3001 npm start`);
    process.exit(2);
  }
  const db = await openDatabase({ log });
  let child: ChildProcess | null = null;
  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    await db.shutdown();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  try {
    const { rows } = await db.pool.query(`SELECT count(*) AS n FROM message`);
    if (rows[0].n === 0 && opts.demo) {
      log(`empty database: ingesting the demo corpus (${path.relative(process.cwd(), DEMO_MBOX)}) ...`);
      const s = await ingestSource(db, DEMO_MBOX, { list: DEMO_LIST, workers: 0 });
      log(`demo corpus: ${s.inserted} messages stored`);
    }
    // the demo's simulator run (ingest/demo/run.json), once, on a database holding the demo corpus
    if (opts.demo) await importDemoRuns(db, log);
    const env = { ...process.env, DATABASE_URL: db.url, NEXT_TELEMETRY_DISABLED: "1", PORT: String(opts.port) };
    if (!opts.dev) await ensureBuilt(env);
    child = spawn(process.execPath, [nextBin(), opts.dev ? "dev" : "start", "-p", String(opts.port)], {
      cwd: projectRoot(),
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (d: Buffer) => {
      const text = d.toString();
      process.stdout.write(text);
      if (/Ready|started server|Local:/i.test(text)) {
        log(
          `\npatchlore is serving on http://localhost:${opts.port}/\n` +
            `  database: ${db.mode === "external" ? "DATABASE_URL" : "embedded PostgreSQL in .patchlore/"}\n` +
            `  ingest a real archive (in another terminal, while this runs):\n` +
            `    git clone --mirror https://lore.kernel.org/linux-mmc/0 linux-mmc-0.git\n` +
            `    npx patchlore ingest linux-mmc-0.git --list linux-mmc\n` +
            `  stop with Ctrl-C\n`,
        );
      }
    });
    child.on("exit", (code) => {
      if (!stopping) {
        log(`next exited with ${code}`);
        void stop(code ?? 1);
      }
    });
  } catch (e) {
    log(`patchlore: ${(e as Error).message}`);
    await stop(1);
  }
}
