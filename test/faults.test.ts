// Crash safety and concurrency on a real archive (`npm run test:faults`, run by CI):
// the ingester is killed with SIGKILL at random points of a linux-mmc run, then run again;
// two ingesters run at once on one database. Afterwards nothing is duplicated, nothing lost,
// and `patchlore check` finds the derived tables consistent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "./db";
import { projectRoot } from "../ingest/postgres/migrate";
import { checkDatabase } from "../lib/views/check";

const bundle = path.join(projectRoot(), "..", "shared", "corpora", "linux-mmc-0.bundle");
const haveBundle = fs.existsSync(bundle);
if (!haveBundle) console.warn(`faults: ${bundle} is absent (../shared not beside the project); crash-safety tests skipped`);

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let repo: string;
let tmp: string;

function ingest(url: string, opts: { killAfterMs?: number } = {}): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(projectRoot(), "bin", "patchlore.js"), "ingest", repo, "--list", "linux-mmc"], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    p.stderr.on("data", (d) => (stderr += d));
    const timer = opts.killAfterMs ? setTimeout(() => p.kill("SIGKILL"), opts.killAfterMs) : null;
    p.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

async function counts(db: TestDb) {
  const { rows } = await db.pool.query(`
    SELECT (SELECT count(*) FROM message WHERE NOT ghost) AS messages,
           (SELECT count(*) FROM message WHERE ghost) AS ghosts,
           (SELECT count(*) FROM duplicate_message) AS duplicates,
           (SELECT count(*) FROM raw_message) AS raws,
           (SELECT count(*) FROM list_message) AS members,
           (SELECT count(DISTINCT thread_id) FROM message) AS threads,
           (SELECT count(*) FROM person) AS people,
           (SELECT md5(string_agg(msgid, ',' ORDER BY msgid)) FROM message WHERE NOT ghost) AS ids`);
  return rows[0];
}

describe.skipIf(!haveBundle)("faults on the linux-mmc archive", () => {
  let reference: Record<string, unknown>;
  const dbs: TestDb[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faults-"));
    repo = path.join(tmp, "mmc.git");
    execFileSync("git", ["clone", "--quiet", "--mirror", bundle, repo]);
    const clean = await createTestDb();
    dbs.push(clean);
    const r = await ingest(clean.url);
    expect(r.code, r.stderr).toBe(0);
    reference = await counts(clean);
  }, 600_000);

  afterAll(async () => {
    for (const d of dbs) await d.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("survives kill -9 at random points: no duplicates, nothing lost, consistent", async () => {
    const db = await createTestDb();
    dbs.push(db);
    // kill points spread over the run (startup, early, middle, late)
    for (const ms of [1500, 4000 + Math.random() * 3000, 9000 + Math.random() * 6000, 16000 + Math.random() * 6000]) {
      const r = await ingest(db.url, { killAfterMs: ms });
      expect(r.signal === "SIGKILL" || r.code === 0, r.stderr).toBe(true);
    }
    const last = await ingest(db.url);
    expect(last.code, last.stderr).toBe(0);
    expect(await counts(db)).toEqual(reference);
    const check = await checkDatabase(db);
    expect(check.checks.filter((c) => c.problems)).toEqual([]);
  }, 900_000);

  it("two ingesters at once on one database do not corrupt it", async () => {
    const db = await createTestDb();
    dbs.push(db);
    const [a, b] = await Promise.all([ingest(db.url), ingest(db.url)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(await counts(db)).toEqual(reference);
    const check = await checkDatabase(db);
    expect(check.checks.filter((c) => c.problems)).toEqual([]);
  }, 900_000);
});
