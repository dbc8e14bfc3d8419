// `patchlore commits import` end to end: the demo corpus ingested, then an "upstream" repository
// built from the very tree the demo patches were made from (ingest/demo/generate.sh keeps it with
// PATCHLORE_DEMO_KEEP), where some patches land as posted (patch-id), one lands changed with a
// Link: trailer naming its mail (link), one reworded with a changed line (fuzzy), and one
// unrelated commit touches the same file (no match).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../test/db";
import { ingestSource } from "./pipeline";
import { importCommits } from "./commits";
import { getCommitsForPatches, upstreamStats } from "../lib/views/upstream";
import { getCodeHistory } from "../lib/views/code-history";
import { FUZZY_THRESHOLD } from "../lib/upstream";

const DEMO_DIR = path.join(import.meta.dirname, "demo");
const v3 = (n: number) => `20230412-rotation-queue-v3-${n}-b18e4f7a2c90@kernel.example`;
const v2 = (n: number) => `20230412-rotation-queue-v2-${n}-6a1f0c2e9d3b@kernel.example`;
const v1 = (n: number) => `20230620071000.91127-${n}-mira@kernel.example`;
const FIX = "20250114093000.11842-1-priya.raman@example.com";

let db: Awaited<ReturnType<typeof createTestDb>>;
let dir: string;
let up: string;
const shas: Record<string, string> = {};

const env = (when = "2024-03-10T12:00:00+0000") => ({
  ...process.env,
  HOME: dir,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Daniel Okafor",
  GIT_AUTHOR_EMAIL: "dokafor@example.org",
  GIT_COMMITTER_NAME: "Daniel Okafor",
  GIT_COMMITTER_EMAIL: "dokafor@example.org",
  GIT_AUTHOR_DATE: when,
  GIT_COMMITTER_DATE: when,
  TZ: "UTC",
  LC_ALL: "C",
});
const git = (args: string[], input?: string, when?: string) =>
  execFileSync("git", ["-C", up, ...args], { env: env(when), input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
const head = () => git(["rev-parse", "HEAD"]).trim();
const idOf = async (msgid: string) => (await db.pool.query(`SELECT id FROM message WHERE msgid = $1`, [msgid])).rows[0].id as number;
const matchesOf = async (sha: string) =>
  (await db.pool.query(`SELECT m.msgid, pc.method, pc.score FROM patch_commit pc JOIN message m ON m.id = pc.message_id WHERE pc.sha = $1 ORDER BY m.msgid`, [sha])).rows;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "commits-test-"));
  db = await createTestDb();
  const s = await ingestSource(db, path.join(DEMO_DIR, "demo.mbox"), { list: "demo", workers: 0 });
  expect(s.inserted).toBe(58);
  // the tree the demo patches were generated from (deterministic: same bytes as demo.mbox)
  execFileSync("bash", [path.join(DEMO_DIR, "generate.sh"), path.join(dir, "demo.mbox")], {
    env: { ...process.env, PATCHLORE_DEMO_KEEP: path.join(dir, "keep") },
    stdio: ["ignore", "ignore", "pipe"],
  });
  expect(fs.readFileSync(path.join(dir, "demo.mbox")).equals(fs.readFileSync(path.join(DEMO_DIR, "demo.mbox")))).toBe(true);
  up = path.join(dir, "up");
  execFileSync("git", ["clone", "-q", path.join(dir, "keep", "tree.git"), up], { env: env() });
  git(["checkout", "-q", "-b", "upstream", "base-v3"]);
  // 1/4 as posted in v3 (and v2): same patch-id
  git(["cherry-pick", "origin/v3~3"], undefined, "2024-02-20T10:00:00+0000");
  shas.swap = head();
  // 2/4 changed by the maintainer, with a Link: to the v3 mail
  git(["cherry-pick", "--no-commit", "origin/v3~2"]);
  fs.appendFileSync(path.join(up, "mm", "rotation.c"), "/* upstream: keep the queue per node */\n");
  git(["add", "-A"]);
  const msg2 = git(["log", "-1", "--format=%B", "origin/v3~2"]).trimEnd() + `\nLink: https://lore.kernel.org/r/${v3(2)}\n`;
  git(["commit", "-q", "--author=Mira Kovacs <mira@kernel.example>", "-F", "-"], msg2, "2024-02-20T10:05:00+0000");
  shas.queue = head();
  // 3/4 reworded, one added line changed, no Link:
  git(["cherry-pick", "--no-commit", "origin/v3~1"]);
  const vmscan = path.join(up, "mm", "vmscan.c");
  const added = git(["show", "--format=", "origin/v3~1", "--", "mm/vmscan.c"]).split("\n").filter((l) => /^\+\t.{12,}$/.test(l))[0].slice(1);
  fs.writeFileSync(vmscan, fs.readFileSync(vmscan, "utf8").replace(added, `${added} /* batched */`));
  git(["add", "-A"]);
  const body3 = git(["log", "-1", "--format=%b", "origin/v3~1"]).replace(/\n(?:Reviewed-by|Acked-by|Tested-by|Signed-off-by):.*$/gm, "").trimEnd();
  git(["commit", "-q", "--author=Mira Kovacs <mira@kernel.example>", "-F", "-"], `mm/vmscan: rotate kept folios in batches via the rotation queue\n\n${body3}\n\nSigned-off-by: Mira Kovacs <mira@kernel.example>\n`, "2024-02-20T10:10:00+0000");
  shas.vmscan = head();
  // 4/4 as posted
  git(["cherry-pick", "origin/v3"], undefined, "2024-02-20T10:15:00+0000");
  shas.docs = head();
  // an unrelated change to the same file
  fs.writeFileSync(vmscan, fs.readFileSync(vmscan, "utf8").replace(/^/, "// SPDX-License-Identifier: GPL-2.0-only\n"));
  git(["commit", "-q", "-a", "-m", "mm/vmscan: add an SPDX line\n\nSigned-off-by: Daniel Okafor <dokafor@example.org>"], undefined, "2024-03-01T09:00:00+0000");
  shas.spdx = head();
  // the 2025 fix as posted
  git(["cherry-pick", "origin/offline"], undefined, "2025-01-20T09:00:00+0000");
  shas.fix = head();
}, 120_000);

afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("patchlore commits import", () => {
  let first: Awaited<ReturnType<typeof importCommits>>;
  it("reads the commits and computes the patch-ids git does", async () => {
    first = await importCommits(db, up, { rev: ["upstream"] });
    const listed = Number(git(["rev-list", "--no-merges", "--count", "upstream"]).trim());
    expect(first).toMatchObject({ repo: "up", listed, known: 0, read: listed, tooLarge: 0 });
    for (const k of ["swap", "queue", "vmscan", "spdx"]) {
      const gitId = execFileSync("git", ["patch-id", "--stable"], { input: git(["show", shas[k]]), encoding: "utf8" }).split(" ")[0];
      const { rows } = await db.pool.query(`SELECT patch_id, files, link_msgids FROM upstream_commit WHERE sha = $1`, [shas[k]]);
      expect(rows[0].patch_id, k).toBe(gitId);
    }
    const { rows } = await db.pool.query(`SELECT link_msgids, files FROM upstream_commit WHERE sha = $1`, [shas.queue]);
    expect(rows[0].link_msgids).toEqual(["20230412081500.48213-1-mira@kernel.example", v3(2)]);
    expect(rows[0].files).toContain("mm/rotation.c");
  });

  it("matches by patch-id (every posting with that id), by Link:, and fuzzily, with method and score", async () => {
    // v2 1/4 and v3 1/4 share the patch-id of the commit
    expect(await matchesOf(shas.swap)).toEqual([
      { msgid: v2(1), method: "patch-id", score: 1 },
      { msgid: v3(1), method: "patch-id", score: 1 },
    ]);
    expect(await matchesOf(shas.queue)).toEqual([{ msgid: v3(2), method: "link", score: 1 }]);
    // v1 2/3, v2 3/4 and v3 3/4 carry the same diff: all three are the reworded commit
    const fuzzy = await matchesOf(shas.vmscan);
    expect(fuzzy.map((r) => r.msgid).sort()).toEqual([v1(3), v2(3), v3(3)].sort());
    for (const r of fuzzy) {
      expect(r.method).toBe("fuzzy");
      expect(r.score).toBeGreaterThanOrEqual(FUZZY_THRESHOLD);
      expect(r.score).toBeLessThan(1);
    }
    expect(await matchesOf(shas.docs)).toEqual([{ msgid: v3(4), method: "patch-id", score: 1 }]);
    expect(await matchesOf(shas.fix)).toEqual([{ msgid: FIX, method: "patch-id", score: 1 }]);
    expect(await matchesOf(shas.spdx)).toEqual([]);
    // the base tree's own commits match nothing
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM patch_commit pc JOIN upstream_commit uc ON uc.sha = pc.sha WHERE uc.subject LIKE 'MAINTAINERS%' OR uc.subject LIKE 'Import%'`);
    expect(rows[0].n).toBe(0);
    expect(first.matches).toEqual({ "patch-id": 4, link: 1, fuzzy: 3 });
    expect(first.patchesMatched).toBe(8);
  });

  it("is incremental: a rerun reads nothing again and changes nothing", async () => {
    const before = await db.pool.query(`SELECT * FROM patch_commit ORDER BY message_id, sha`);
    const again = await importCommits(db, up, { rev: ["upstream"] });
    expect(again.read).toBe(0);
    expect(again.known).toBe(first.listed);
    expect(again.matches).toEqual({ "patch-id": 0, link: 0, fuzzy: 0 });
    expect((await db.pool.query(`SELECT * FROM patch_commit ORDER BY message_id, sha`)).rows).toEqual(before.rows);
    // a new commit on top is the only one read
    fs.appendFileSync(path.join(up, "README"), "more\n");
    git(["commit", "-q", "-a", "-m", "README: more"], undefined, "2025-02-01T00:00:00+0000");
    const third = await importCommits(db, up, { rev: ["upstream"] });
    expect(third.read).toBe(1);
    expect((await upstreamStats(db)).commits).toBe(first.listed + 1);
  });

  it("shows merged patches with their commit (getCommitsForPatches, code history)", async () => {
    const m = await getCommitsForPatches(db, [await idOf(v3(1)), await idOf(v3(3)), await idOf(v1(1))]);
    expect(m.get(await idOf(v3(1)))![0]).toMatchObject({ sha: shas.swap, method: "patch-id", score: 1, subject: "mm/swap: don't rotate unevictable folios", repo: "up" });
    expect(m.get(await idOf(v3(3)))![0]).toMatchObject({ sha: shas.vmscan, method: "fuzzy", subject: "mm/vmscan: rotate kept folios in batches via the rotation queue" });
    expect(m.has(await idOf(v1(1)))).toBe(false);
    const h = await getCodeHistory(db, "mm/swap.c");
    const patches = h!.groups.flatMap((g) => g.series.flatMap((s) => s.patches));
    expect(patches.find((p) => p.msgid === v3(1))!.commits).toEqual([expect.objectContaining({ sha: shas.swap, method: "patch-id", score: 1 })]);
    expect(h!.counts.commits).toBe(1);
  });

  it("refuses what is not a repository", async () => {
    await expect(importCommits(db, dir)).rejects.toThrow(/not a git repository/);
    await expect(importCommits(db, up, { rev: ["--all"] })).rejects.toThrow(/not a revision/);
  });
});
