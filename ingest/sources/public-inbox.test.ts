import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveGitPids } from "./git";
import { openSource } from "./index";
import { listNameFromEpochPath, MAX_IN_FLIGHT } from "./public-inbox";
import { SourceError, isDeletion, type SourceItem } from "./types";

const root = mkdtempSync(join(tmpdir(), "patchlore-pi-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.org",
  GIT_AUTHOR_DATE: "1700000000 +0000",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.org",
  GIT_COMMITTER_DATE: "1700000000 +0000",
};

function git(gitDir: string, args: string[], input?: string | Buffer): string {
  return execFileSync("git", [`--git-dir=${gitDir}`, ...args], { input, env: ENV, stdio: ["pipe", "pipe", "pipe"] })
    .toString()
    .trim();
}

/** Builds an epoch with plumbing: every commit's tree holds exactly one file, "m" or "d". */
class Epoch {
  tip: string | null = null;
  commits: string[] = [];
  constructor(
    readonly gitDir: string,
    readonly ref = "refs/heads/master",
  ) {}
  static bare(path: string, ref?: string): Epoch {
    execFileSync("git", ["init", "-q", "--bare", path], { env: ENV });
    return new Epoch(path, ref);
  }
  tree(file: "m" | "d", content: string): string {
    const blob = git(this.gitDir, ["hash-object", "-w", "--stdin"], content);
    return git(this.gitDir, ["mktree"], `100644 blob ${blob}\t${file}\n`);
  }
  commitTree(tree: string, parent: string | null = this.tip): string {
    const c = git(this.gitDir, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", `c${this.commits.length}`]);
    this.tip = c;
    this.commits.push(c);
    git(this.gitDir, ["update-ref", this.ref, c]);
    return c;
  }
  add(content: string): string {
    return this.commitTree(this.tree("m", content));
  }
  del(content: string): string {
    return this.commitTree(this.tree("d", content));
  }
}

const mail = (i: number | string) => `Message-ID: <${i}@example.org>\nSubject: message ${i}\n\nbody ${i}\n`;

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const it of items) out.push(it);
  return out;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

describe("public-inbox epoch", () => {
  let path: string;
  let ep: Epoch;
  const contents: string[] = [];

  beforeAll(() => {
    path = join(root, "lkml", "git", "0.git");
    mkdirSync(join(root, "lkml", "git"), { recursive: true });
    ep = Epoch.bare(path);
    for (let i = 0; i < 4; i++) {
      contents.push(mail(i));
      ep.add(mail(i));
    }
    contents.push(mail(1));
    ep.del(mail(1)); // c4: delete message 1
    contents.push(mail(5));
    ep.add(mail(5)); // c5
    // c6: a commit whose tree is identical to its parent's (no raw diff): read through the fallback
    contents.push(mail(5));
    ep.commitTree(git(path, ["rev-parse", `${ep.tip}^{tree}`]));
    contents.push(mail(7));
    ep.add(mail(7)); // c7
  });

  it("detects a bare epoch and yields messages oldest first, with deletions, cursors and refs", async () => {
    const src = await openSource(path);
    expect(src.kind).toBe("public-inbox-epoch");
    expect(src.location).toBe(path);
    expect(src.suggestedListName()).toBe("lkml");
    expect(await src.count({})).toBe(8);
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual(contents);
    expect(items.map((i) => isDeletion(i))).toEqual([false, false, false, false, true, false, false, false]);
    expect(items.map((i) => i.cursor)).toEqual(ep.commits.map((c) => ({ key: path, value: c })));
    expect(items.map((i) => i.ref)).toEqual(ep.commits.map((c) => `git:${path}@${c}`));
  });

  it("reads incrementally after the saved commit", async () => {
    const src = await openSource(path);
    const state = { [path]: ep.commits[3] };
    expect(await src.count(state)).toBe(4);
    const items = await collect(src.items(state));
    expect(items.map((i) => i.cursor!.value)).toEqual(ep.commits.slice(4));
    expect(items.map((i) => i.raw.toString())).toEqual(contents.slice(4));
    // nothing new
    const done = { [path]: ep.tip! };
    expect(await src.count(done)).toBe(0);
    expect(await collect(src.items(done))).toEqual([]);
    // state for other sources is ignored
    expect((await collect(src.items({ "/elsewhere/0.git": ep.commits[0] }))).length).toBe(8);
  });

  it("refuses to continue when history was rewritten", async () => {
    const p = join(root, "rewritten.git");
    const e = Epoch.bare(p);
    e.add(mail("a"));
    const b = e.add(mail("b"));
    const c = e.add(mail("c"));
    // purge: master now goes a -> c' (b and c are gone from history)
    e.commitTree(e.tree("m", mail("c-prime")), e.commits[0]);
    const src = await openSource(p);
    await expect(collect(src.items({ [p]: c }))).rejects.toThrow(SourceError);
    await expect(collect(src.items({ [p]: b }))).rejects.toThrow(/rewritten/);
    await expect(src.count({ [p]: c })).rejects.toThrow(/rewritten/);
    // a commit the repository never had
    await expect(collect(src.items({ [p]: "1234567890123456789012345678901234567890" }))).rejects.toThrow(
      /does not exist/,
    );
    await expect(collect(src.items({ [p]: "not-a-commit" }))).rejects.toThrow(SourceError);
    // the first commit is still an ancestor: fine
    expect((await collect(src.items({ [p]: e.commits[0] }))).map((i) => i.raw.toString())).toEqual([mail("c-prime")]);
  });

  it("turns git failures into SourceErrors carrying git's message", async () => {
    const p = join(root, "corrupt.git");
    const e = Epoch.bare(p);
    e.add(mail(1));
    const mid = e.add(mail(2));
    e.add(mail(3));
    rmSync(join(p, "objects", mid.slice(0, 2), mid.slice(2)));
    const src = await openSource(p);
    const err = await collect(src.items({})).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/git log failed for .*corrupt\.git/);
    expect((err as Error).message).toContain(mid); // "error: Could not read <oid>" from git
    expect(liveGitPids()).toEqual([]);

    const q = join(root, "missing-blob.git");
    const f = Epoch.bare(q);
    f.add(mail(1));
    f.add(mail(2));
    const blob = git(q, ["rev-parse", `${f.commits[0]}:m`]);
    rmSync(join(q, "objects", blob.slice(0, 2), blob.slice(2)));
    const src2 = await openSource(q);
    await expect(collect(src2.items({}))).rejects.toThrow(/is missing/);
    expect(liveGitPids()).toEqual([]);
  });

  it("rejects a git repository that is not a public-inbox epoch", async () => {
    const p = join(root, "not-an-inbox.git");
    const e = Epoch.bare(p);
    const blob = git(p, ["hash-object", "-w", "--stdin"], "readme");
    e.commitTree(git(p, ["mktree"], `100644 blob ${blob}\tREADME\n`));
    await expect(openSource(p)).rejects.toThrow(/not a public-inbox v2 epoch/);
  });

  it("an empty repository has nothing to read", async () => {
    const p = join(root, "empty.git");
    Epoch.bare(p);
    const src = await openSource(p);
    expect(await src.count({})).toBe(0);
    expect(await collect(src.items({}))).toEqual([]);
  });

  it("uses HEAD when there is no master branch, and reads non-bare repositories", async () => {
    const p = join(root, "main-only.git");
    execFileSync("git", ["init", "-q", "--bare", "--initial-branch=main", p], { env: ENV });
    const e = new Epoch(p, "refs/heads/main");
    e.add(mail("x"));
    expect((await collect((await openSource(p)).items({}))).map((i) => i.raw.toString())).toEqual([mail("x")]);

    const w = join(root, "worktree-inbox");
    execFileSync("git", ["init", "-q", w], { env: ENV });
    const we = new Epoch(join(w, ".git"), "refs/heads/master");
    we.add(mail("w1"));
    we.add(mail("w2"));
    git(join(w, ".git"), ["symbolic-ref", "HEAD", "refs/heads/master"]);
    const src = await openSource(w);
    expect(src.kind).toBe("public-inbox-epoch");
    expect(src.location).toBe(w);
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([mail("w1"), mail("w2")]);
    expect(items[0].cursor).toEqual({ key: w, value: we.commits[0] });
  });

  it("suggests list names from epoch paths", () => {
    expect(listNameFromEpochPath("/x/linux-mmc/git/0.git")).toBe("linux-mmc");
    expect(listNameFromEpochPath("/tmp/mmc.git")).toBe("mmc");
    expect(listNameFromEpochPath("/tmp/linux-mmc-0.git")).toBe("linux-mmc");
    expect(listNameFromEpochPath("/tmp/0.git")).toBeNull();
    expect(listNameFromEpochPath("/srv/git/1.git")).toBeNull();
  });
});

describe("public-inbox v2 inbox directory", () => {
  it("reads the epochs in numeric order with one cursor key per epoch", async () => {
    const inbox = join(root, "foo-bar");
    mkdirSync(join(inbox, "git"), { recursive: true });
    writeFileSync(join(inbox, "msgmap.sqlite3"), "");
    writeFileSync(join(inbox, "inbox.lock"), "");
    const epochs: Record<string, Epoch> = {};
    for (const n of [0, 1, 2, 10]) {
      const e = Epoch.bare(join(inbox, "git", `${n}.git`));
      e.add(mail(`e${n}-a`));
      e.add(mail(`e${n}-b`));
      epochs[n] = e;
    }
    Epoch.bare(join(inbox, "all.git")); // the v2 "all" repo holds no messages
    const src = await openSource(inbox);
    expect(src.kind).toBe("public-inbox-v2");
    expect(src.location).toBe(inbox);
    expect(src.suggestedListName()).toBe("foo-bar");
    expect(await src.count({})).toBe(8);
    const items = await collect(src.items({}));
    expect(items.map((i) => i.raw.toString())).toEqual([0, 1, 2, 10].flatMap((n) => [mail(`e${n}-a`), mail(`e${n}-b`)]));
    expect(items[0].cursor!.key).toBe(join(inbox, "git", "0.git"));
    expect(items[7].cursor!.key).toBe(join(inbox, "git", "10.git"));

    // epoch 0 done, epoch 1 half done
    const state = { [join(inbox, "git", "0.git")]: epochs[0].tip!, [join(inbox, "git", "1.git")]: epochs[1].commits[0] };
    expect(await src.count(state)).toBe(5);
    const rest = await collect(src.items(state));
    expect(rest.map((i) => i.raw.toString())).toEqual([mail("e1-b"), mail("e2-a"), mail("e2-b"), mail("e10-a"), mail("e10-b")]);

    // pointing at the inbox's git/ directory gives the same epochs and state keys
    const viaGitDir = await openSource(join(inbox, "git"));
    expect(viaGitDir.kind).toBe("public-inbox-v2");
    expect(viaGitDir.suggestedListName()).toBe("foo-bar");
    expect((await collect(viaGitDir.items(state))).map((i) => i.ref)).toEqual(rest.map((i) => i.ref));
  });
});

describe("public-inbox child processes", () => {
  const N = 3000; // enough output that git log is still writing when the consumer stops
  let path: string;

  beforeAll(() => {
    path = join(root, "big.git");
    execFileSync("git", ["init", "-q", "--bare", path], { env: ENV });
    // bulk history through fast-import (one process instead of thousands of plumbing calls)
    const parts: string[] = [];
    for (let i = 0; i < N; i++) {
      const body = mail(i);
      parts.push(
        `commit refs/heads/master\ncommitter t <t@example.org> ${1700000000 + i} +0000\ndata 2\nc\n` +
          `M 100644 inline m\ndata ${Buffer.byteLength(body)}\n${body}\n`,
      );
    }
    execFileSync("git", [`--git-dir=${path}`, "fast-import", "--quiet"], { input: parts.join(""), env: ENV });
  });

  it("streams many commits through the bounded window, in order", async () => {
    expect(N).toBeGreaterThan(MAX_IN_FLIGHT * 4);
    const src = await openSource(path);
    expect(await src.count({})).toBe(N);
    let i = 0;
    for await (const it of src.items({})) {
      expect(it.raw.toString()).toBe(mail(i));
      i++;
    }
    expect(i).toBe(N);
    expect(liveGitPids()).toEqual([]);
  });

  it("kills git when the consumer breaks out early (no process left behind)", async () => {
    const src = await openSource(path);
    let pids: number[] = [];
    let n = 0;
    for await (const _ of src.items({})) {
      if (++n === 1) {
        pids = liveGitPids();
        expect(pids).toHaveLength(2); // git log + git cat-file
        expect(pids.every(isAlive)).toBe(true);
      }
      if (n === 10) break;
    }
    expect(n).toBe(10);
    expect(liveGitPids()).toEqual([]);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} still exists`).toBe(false);
  });

  it("kills git on AbortSignal and rejects with the abort reason", async () => {
    const src = await openSource(path);
    const ac = new AbortController();
    let pids: number[] = [];
    let n = 0;
    const err = await (async () => {
      for await (const _ of src.items({}, ac.signal)) {
        if (++n === 5) {
          pids = liveGitPids();
          ac.abort();
        }
      }
    })().catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(n).toBe(5);
    expect(pids).toHaveLength(2);
    expect(liveGitPids()).toEqual([]);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });

  it("an already aborted signal starts nothing", async () => {
    const src = await openSource(path);
    const ac = new AbortController();
    ac.abort();
    await expect(collect(src.items({}, ac.signal))).rejects.toThrow(/abort/i);
    expect(liveGitPids()).toEqual([]);
  });
});
