// Real data: the linux-mmc epoch 0 (34,670 commits) from the shared corpora, when present.
// Reads only the first 2000 commits so it stays fast; the clone of the bundle dominates.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveGitPids } from "./git";
import { openSource } from "./index";
import { isDeletion } from "./types";

const bundle = "/work/shared/corpora/linux-mmc-0.bundle";
const present = existsSync(bundle);
const LIMIT = 2000;

const title = present
  ? "public-inbox on the real linux-mmc epoch"
  : `public-inbox on the real linux-mmc epoch — skipped: ${bundle} not found`;

describe.skipIf(!present)(title, () => {
  let dir: string;
  let repo: string;
  let commits: string[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "patchlore-mmc-test-"));
    repo = join(dir, "linux-mmc", "git", "0.git");
    execFileSync("git", ["clone", "-q", "--mirror", bundle, repo]);
    commits = execFileSync("git", [`--git-dir=${repo}`, "rev-list", "--reverse", "refs/heads/master"], {
      maxBuffer: 64 * 1024 * 1024,
    })
      .toString()
      .trim()
      .split("\n");
  }, 180_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads the first 2000 messages in commit order, byte-exact", async () => {
    const src = await openSource(repo);
    expect(src.kind).toBe("public-inbox-epoch");
    expect(src.suggestedListName()).toBe("linux-mmc");
    expect(await src.count({})).toBe(commits.length);
    expect(commits.length).toBe(34670);

    const sample = new Set([0, 1, 777, LIMIT - 1]);
    let n = 0;
    let bytes = 0;
    for await (const item of src.items({})) {
      expect(isDeletion(item)).toBe(false);
      expect(item.cursor).toEqual({ key: repo, value: commits[n] });
      expect(item.ref).toBe(`git:${repo}@${commits[n]}`);
      if (sample.has(n)) {
        const expected = execFileSync("git", [`--git-dir=${repo}`, "cat-file", "blob", `${commits[n]}:m`], {
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(item.raw.equals(expected)).toBe(true);
        expect(item.raw.toString("latin1")).toMatch(/^[\x21-\x39\x3b-\x7e]+:/); // starts with a header
      }
      bytes += item.raw.length;
      if (++n === LIMIT) break;
    }
    expect(n).toBe(LIMIT);
    expect(bytes).toBeGreaterThan(0);
    expect(liveGitPids()).toEqual([]);
  });

  it("resumes after a saved commit", async () => {
    const src = await openSource(repo);
    const state = { [repo]: commits[LIMIT - 1] };
    expect(await src.count(state)).toBe(commits.length - LIMIT);
    const got: string[] = [];
    for await (const item of src.items(state)) {
      got.push(item.cursor!.value);
      if (got.length === 20) break;
    }
    expect(got).toEqual(commits.slice(LIMIT, LIMIT + 20));
    expect(liveGitPids()).toEqual([]);
  });
});
