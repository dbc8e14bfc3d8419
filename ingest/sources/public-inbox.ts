// public-inbox v2 reader: a single epoch repository (bare or not) or a whole v2 inbox directory
// (git/0.git, git/1.git, ... read in numeric order).
//
// Each commit of the default branch (refs/heads/master, else HEAD) stores one message in the blob
// at path "m"; a commit whose tree has "d" instead deletes the message held in that blob.
//
// Per epoch, exactly two long-running git processes:
//   git log --reverse --format=%H --raw --no-abbrev --no-renames <since>..<tip>
//       -> commit ids in order, each followed by the raw diff naming the new "m" / "d" blob
//   git cat-file --batch
//       -> the blobs, requested as the log is parsed, at most MAX_IN_FLIGHT ahead of the consumer
// Nothing is read ahead beyond that window: the log pipe fills up and git log waits.
// A commit whose raw diff does not name m/d (merge, or a blob identical to its parent's) is
// resolved by asking cat-file for "<commit>:m" and "<commit>:d"; a commit with neither is skipped.
//
// Incremental reading: state[<abs epoch path>] = last commit stored. If that commit is no longer
// an ancestor of the tip (history rewritten, e.g. a purge), this is an error, never a silent
// re-read.

import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ByteReader, GitProcess, gitOutput, runGit } from "./git";
import { SourceError, type Source, type SourceItem } from "./types";
import { headerBlock, listNameFromHeaders, sanitizeListName } from "./util";

/** Blobs requested from cat-file and not yet handed to the consumer. */
export const MAX_IN_FLIGHT = 256;

export interface Epoch {
  /** absolute path, also the state key */
  path: string;
  /** git arguments selecting the repository */
  git: string[];
}

async function statOrNull(p: string) {
  try {
    return await stat(p);
  } catch {
    return null;
  }
}

/** A bare repository: HEAD file plus objects/ and refs/ directories. */
export async function isBareRepo(p: string): Promise<boolean> {
  const [head, objects, refs] = await Promise.all([
    statOrNull(join(p, "HEAD")),
    statOrNull(join(p, "objects")),
    statOrNull(join(p, "refs")),
  ]);
  return !!head?.isFile() && !!objects?.isDirectory() && !!refs?.isDirectory();
}

/** A work tree with its own .git (directory or gitfile). */
export async function isWorkTree(p: string): Promise<boolean> {
  return (await statOrNull(join(p, ".git"))) !== null;
}

/**
 * The epochs of a v2 inbox directory in numeric order; empty when `dir` is not one.
 * Also accepts the inbox's git/ directory itself (".../linux-mmc/git").
 */
export async function v2Epochs(dir: string): Promise<Epoch[]> {
  const found = await scanEpochs(join(dir, "git"));
  if (found.length > 0 || basename(dir) !== "git") return found;
  return scanEpochs(dir);
}

async function scanEpochs(gitDir: string): Promise<Epoch[]> {
  let names: string[];
  try {
    names = await readdir(gitDir);
  } catch {
    return [];
  }
  const found: { n: number; path: string }[] = [];
  for (const name of names) {
    const m = /^(\d+)\.git$/.exec(name);
    if (!m) continue;
    const path = join(gitDir, name);
    if (await isBareRepo(path)) found.push({ n: Number(m[1]), path });
  }
  found.sort((a, b) => a.n - b.n);
  return found.map((f) => ({ path: f.path, git: [`--git-dir=${f.path}`] }));
}

/** The commit to read up to: refs/heads/master, else HEAD; null for a repository without commits. */
async function resolveTip(epoch: Epoch): Promise<string | null> {
  for (const ref of ["refs/heads/master^{commit}", "HEAD^{commit}"]) {
    const r = await runGit([...epoch.git, "rev-parse", "--verify", "--quiet", ref], epoch.path);
    if (r.exit.error) throw r.proc.failure(r.exit);
    if (r.code === 0) return r.stdout.trim();
    if (r.code !== 1 && r.stderr) throw r.proc.failure(r.exit);
  }
  return null;
}

/**
 * The commit range to read for an epoch: null when there is nothing new.
 * Throws a SourceError when `since` is unknown or no longer an ancestor of the tip.
 */
async function resolveRange(epoch: Epoch, since: string | undefined): Promise<{ tip: string; range: string[] } | null> {
  const tip = await resolveTip(epoch);
  if (!tip) {
    if (since) {
      throw new SourceError(
        `${epoch.path} has no commits any more, but ingestion previously stopped at commit ${since}: ` +
          `the repository was emptied or replaced. Reset this source's state to re-read it from scratch.`,
      );
    }
    return null;
  }
  if (!since) return { tip, range: [tip] };
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(since)) {
    throw new SourceError(`invalid saved position for ${epoch.path}: "${since}" is not a commit id`);
  }
  if (since === tip) return null;
  const r = await runGit([...epoch.git, "merge-base", "--is-ancestor", since, tip], epoch.path);
  if (r.code === 0) return { tip, range: [`${since}..${tip}`] };
  if (r.code === 1) {
    throw new SourceError(
      `the history of ${epoch.path} was rewritten: commit ${since}, where ingestion last stopped, ` +
        `is no longer an ancestor of the current tip ${tip}. Messages may have been purged or the ` +
        `repository replaced; refusing to guess. Reset this source's state to re-read it from scratch.`,
    );
  }
  if (!r.exit.error && /not a valid commit|bad object|unknown revision|not a valid object/i.test(r.stderr)) {
    throw new SourceError(
      `commit ${since}, where ingestion of ${epoch.path} last stopped, does not exist in that repository ` +
        `any more (history rewritten or repository replaced). Reset this source's state to re-read it from scratch.`,
    );
  }
  throw r.proc.failure(r.exit);
}

/** A tiny wake-up primitive: notify() before wait() is not lost. */
class Wakeup {
  private resolve: (() => void) | null = null;
  private flagged = false;
  notify(): void {
    this.flagged = true;
    const r = this.resolve;
    this.resolve = null;
    r?.();
  }
  wait(): Promise<void> {
    if (this.flagged) {
      this.flagged = false;
      return Promise.resolve();
    }
    return new Promise<void>((r) => {
      this.resolve = () => {
        this.flagged = false;
        r();
      };
    });
  }
}

interface Req {
  commit: string;
  /** blob oid named by the raw diff; null: ask cat-file for <commit>:m and <commit>:d */
  blob: string | null;
  path: "m" | "d" | null;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Stream the items of one epoch after `since`. */
export async function* epochItems(epoch: Epoch, since: string | undefined, signal?: AbortSignal): AsyncGenerator<SourceItem> {
  signal?.throwIfAborted();
  const resolved = await resolveRange(epoch, since);
  if (!resolved) return;
  signal?.throwIfAborted();

  const log = new GitProcess(
    [
      ...epoch.git,
      "-c",
      "log.showRoot=true",
      "-c",
      "log.showSignature=false",
      "log",
      "--reverse",
      "--format=%H",
      "--raw",
      "--no-abbrev",
      "--no-renames",
      "--no-color",
      "--no-ext-diff",
      ...resolved.range,
      "--",
    ],
    epoch.path,
  );
  const cat = new GitProcess([...epoch.git, "cat-file", "--batch"], epoch.path);
  log.child.stdin.end();

  const queue: Req[] = []; // parsed from the log, not yet sent to cat-file
  const inflight: Req[] = []; // sent to cat-file, response not consumed yet
  let logDone = false;
  let logError: unknown = null;
  let closed = false;
  const consumerWake = new Wakeup();
  const producerWake = new Wakeup();

  // Refill the window in one write once it is half empty (one write per ~128 blobs, not per blob).
  const send = () => {
    if (queue.length === 0 || inflight.length > MAX_IN_FLIGHT / 2) return;
    let text = "";
    while (queue.length > 0 && inflight.length < MAX_IN_FLIGHT) {
      const req = queue.shift()!;
      inflight.push(req);
      text += req.blob ? `${req.blob}\n` : `${req.commit}:m\n${req.commit}:d\n`;
    }
    cat.child.stdin.write(text);
  };

  const onAbort = () => {
    void log.kill();
    void cat.kill();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  // Producer: parse the log into the queue, pausing while the queue is long.
  const pump = (async () => {
    const reader = new ByteReader(log.child.stdout);
    let commit: string | null = null;
    let m: string | null = null;
    let d: string | null = null;
    const finish = () => {
      if (commit) queue.push({ commit, blob: m ?? d, path: m ? "m" : d ? "d" : null });
      commit = m = d = null;
    };
    try {
      for (;;) {
        let line: string | null | undefined = reader.readLineSync();
        if (line === undefined) {
          if (queue.length > 0) consumerWake.notify(); // let the consumer start while git writes more
          line = await reader.readLine();
        }
        if (line === null || closed) break;
        if (line.length === 0) continue;
        if (line.charCodeAt(0) === 58 /* ":" */) {
          // :<srcmode> <dstmode> <srcoid> <dstoid> <status>\t<path>
          const tab = line.indexOf("\t");
          const path = line.slice(tab + 1);
          if (path !== "m" && path !== "d") continue;
          const f = line.slice(1, tab).split(" ");
          if (f.length < 5 || f[4][0] === "D" || (f[1] !== "100644" && f[1] !== "100755")) continue;
          if (path === "m") m = f[3];
          else d = f[3];
          continue;
        }
        if (OID.test(line)) {
          finish();
          commit = line;
          if (queue.length >= MAX_IN_FLIGHT) {
            consumerWake.notify();
            while (queue.length >= MAX_IN_FLIGHT && !closed) await producerWake.wait();
          }
          continue;
        }
        throw new SourceError(`unexpected output from git log for ${epoch.path}: ${JSON.stringify(line.slice(0, 200))}`);
      }
      finish();
      await reader.close();
      const exit = await log.exited;
      if (!closed && !log.killed && exit.code !== 0) throw log.failure(exit);
    } catch (err) {
      logError = err;
    } finally {
      logDone = true;
      consumerWake.notify();
    }
  })();

  const out = new ByteReader(cat.child.stdout);
  const catFailure = async (what: string): Promise<never> => {
    signal?.throwIfAborted();
    const exit = await cat.exited;
    if (exit.code !== 0 || exit.error || cat.stderr()) throw cat.failure(exit);
    throw new SourceError(`git cat-file for ${epoch.path} ended unexpectedly while reading ${what}`);
  };
  /** One cat-file response: the blob, or null when the object is missing. */
  const readObject = async (name: string): Promise<Buffer | null> => {
    const header = out.readLineSync() ?? (await out.readLine());
    if (header === null) return catFailure(name);
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) return null;
    const sp2 = header.lastIndexOf(" ");
    const sp1 = header.lastIndexOf(" ", sp2 - 1);
    const type = header.slice(sp1 + 1, sp2);
    const size = Number(header.slice(sp2 + 1));
    if (sp1 < 0 || !Number.isSafeInteger(size)) {
      throw new SourceError(`unexpected output from git cat-file for ${epoch.path}: ${JSON.stringify(header.slice(0, 200))}`);
    }
    const body = await out.readExact(size);
    if (body === null || !(await out.skipByte())) return catFailure(name);
    if (type !== "blob") {
      throw new SourceError(`${epoch.path}: ${name} is a ${type}, not a message blob`);
    }
    return body;
  };

  try {
    for (;;) {
      send();
      if (inflight.length === 0) {
        if (logDone && queue.length === 0) break;
        await consumerWake.wait();
        signal?.throwIfAborted();
        continue;
      }
      const req = inflight.shift()!;
      if (queue.length < MAX_IN_FLIGHT) producerWake.notify();
      let raw: Buffer | null;
      let path = req.path;
      if (req.blob) {
        raw = await readObject(req.blob);
        if (raw === null) {
          throw new SourceError(
            `${epoch.path}: blob ${req.blob} ("${req.path}" of commit ${req.commit}) is missing; the repository is incomplete or corrupt`,
          );
        }
      } else {
        const mBlob = await readObject(`${req.commit}:m`);
        const dBlob = await readObject(`${req.commit}:d`);
        raw = mBlob ?? dBlob;
        path = mBlob ? "m" : dBlob ? "d" : null;
      }
      signal?.throwIfAborted();
      if (raw === null) continue; // neither m nor d: not a message commit
      const cursor = { key: epoch.path, value: req.commit };
      const ref = `git:${epoch.path}@${req.commit}`;
      yield path === "d" ? { delete: true as const, raw, ref, cursor } : { raw, ref, cursor };
    }
    if (logError) throw logError;
    // all responses consumed: close cat-file cleanly and check it was happy
    cat.child.stdin.end();
    await out.close();
    const exit = await cat.exited;
    if (!cat.killed && exit.code !== 0) throw cat.failure(exit);
  } catch (err) {
    signal?.throwIfAborted();
    if (err instanceof SourceError) throw err;
    throw new SourceError(`reading ${epoch.path} failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  } finally {
    closed = true;
    signal?.removeEventListener("abort", onAbort);
    producerWake.notify();
    await Promise.all([log.kill(), cat.kill()]);
    await pump;
  }
}

const GENERIC_NAMES = new Set([
  ...["git", "inbox", "inboxes", "public-inbox", "repo", "repos", "mirror", "mirrors", "archive", "archives", "mail", "lists"],
  ...["srv", "var", "tmp", "home", "data", "opt", "mnt", "root", "work"],
]);

function sensibleName(name: string): string | null {
  if (GENERIC_NAMES.has(name.toLowerCase())) return null;
  return sanitizeListName(name);
}

/** List name from an epoch path: ".../linux-mmc/git/0.git" -> "linux-mmc", "/tmp/mmc.git" -> "mmc", "linux-mmc-0.git" -> "linux-mmc". */
export function listNameFromEpochPath(path: string): string | null {
  const base = basename(path);
  if (/^\d+\.git$/.test(base)) {
    const parent = dirname(path);
    if (basename(parent) === "git") return sensibleName(basename(dirname(parent)));
    return null;
  }
  let name = base.replace(/\.git$/i, "");
  name = name.replace(/[-_.]\d{1,2}$/, ""); // lore epoch clones: "linux-mmc-0"
  return sensibleName(name);
}

export class PublicInboxSource implements Source {
  constructor(
    readonly kind: "public-inbox-v2" | "public-inbox-epoch",
    readonly location: string,
    private epochList: Epoch[],
    private readonly listName: string | null,
  ) {}

  /** The epochs to read, re-scanned for v2 inboxes (a new epoch may have appeared). */
  async epochs(): Promise<Epoch[]> {
    if (this.kind === "public-inbox-v2") {
      const found = await v2Epochs(this.location);
      if (found.length > 0) this.epochList = found;
    }
    return this.epochList;
  }

  async count(state: Record<string, string> = {}): Promise<number | null> {
    let total = 0;
    for (const epoch of await this.epochs()) {
      const range = await resolveRange(epoch, state[epoch.path]);
      if (!range) continue;
      const n = Number((await gitOutput([...epoch.git, "rev-list", "--count", ...range.range, "--"], epoch.path)).trim());
      if (!Number.isFinite(n)) return null;
      total += n;
    }
    return total;
  }

  async *items(state: Record<string, string> = {}, signal?: AbortSignal): AsyncGenerator<SourceItem> {
    for (const epoch of await this.epochs()) {
      yield* epochItems(epoch, state[epoch.path], signal);
    }
  }

  suggestedListName(): string | null {
    return this.listName;
  }
}

/** The List-Id of the newest message of an epoch, as a name suggestion. */
async function listNameFromTip(epoch: Epoch): Promise<string | null> {
  try {
    const tip = await resolveTip(epoch);
    if (!tip) return null;
    const r = await runGit([...epoch.git, "cat-file", "blob", `${tip}:m`], epoch.path);
    if (r.code !== 0) return null;
    return listNameFromHeaders(headerBlock(Buffer.from(r.stdout, "utf8")));
  } catch {
    return null;
  }
}

/** Check that a repository looks like a public-inbox v2 epoch: its tip has "m" or "d". */
async function checkEpoch(epoch: Epoch): Promise<void> {
  const tip = await resolveTip(epoch);
  if (!tip) return; // no commits yet: fine, nothing to read
  const r = await runGit([...epoch.git, "cat-file", "--batch-check"], epoch.path, `${tip}:m\n${tip}:d\n`);
  if (r.code !== 0) throw r.proc.failure(r.exit);
  if (r.stdout.split("\n").every((l) => l === "" || l.endsWith(" missing"))) {
    throw new SourceError(
      `${epoch.path} is a git repository but not a public-inbox v2 epoch: its latest commit has no "m" (message) ` +
        `or "d" (deletion) file. (public-inbox v1 inboxes are not supported.)`,
    );
  }
}

/**
 * Open a v2 inbox directory or a single epoch repository; null when `path` is neither.
 * `path` must be an absolute directory path.
 */
export async function openPublicInbox(path: string): Promise<PublicInboxSource | null> {
  const epochs = await v2Epochs(path);
  if (epochs.length > 0) {
    await checkEpoch(epochs[epochs.length - 1]);
    const base = basename(path) === "git" ? basename(dirname(path)) : basename(path);
    const name = sensibleName(base) ?? (await listNameFromTip(epochs[epochs.length - 1]));
    return new PublicInboxSource("public-inbox-v2", path, epochs, name);
  }
  let epoch: Epoch | null = null;
  if (await isBareRepo(path)) epoch = { path, git: [`--git-dir=${path}`] };
  else if (await isWorkTree(path)) epoch = { path, git: ["-C", path] };
  if (!epoch) return null;
  await checkEpoch(epoch);
  const name = listNameFromEpochPath(path) ?? (await listNameFromTip(epoch));
  return new PublicInboxSource("public-inbox-epoch", path, [epoch], name);
}
