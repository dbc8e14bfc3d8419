// `patchlore commits import <git repository>`: read the commits of a repository (one
// `git rev-list` for the ids, one `git log --no-walk --stdin -p` stream for the new ones), store
// them (upstream_commit) and find which mailed patches they are (patch_commit): by patch-id, by
// Link:/Message-Id: trailers, then by the fuzzy score of lib/upstream. Incremental: commits
// already stored are not read again (unless --rescan), and the exact keys are matched again over
// every stored commit at the end, so patches ingested after their commit was imported are found.
import path from "node:path";
import cliProgress from "cli-progress";
import type { Db } from "../lib/db/client";
import { gitPatchIds } from "../lib/patch/patchid";
import { parseDiff } from "../lib/patch/diff";
import { GIT_LOG_FORMAT, GitLogParser, linkMsgids, type GitLogCommit } from "../lib/upstream";
import { knownCommitShas, storeCommits, type UpstreamCommitInput } from "../lib/db/upstream";
import { matchExact, matchFuzzy, type FuzzyCommit } from "../lib/passes/upstream";
import { ByteReader, GitProcess, gitOutput } from "./sources/git";
import { SourceError } from "./sources/types";

export interface CommitsImportOptions {
  /** revisions / ranges for git rev-list (default HEAD) */
  rev?: string[];
  /** only commits newer than this (git's --since) */
  since?: string;
  /** read commits already stored again (re-runs the fuzzy pass over them) */
  rescan?: boolean;
  /** commits per database batch */
  batchSize?: number;
  onProgress?: (p: CommitsProgress) => void;
  signal?: AbortSignal;
}

export interface CommitsProgress {
  done: number;
  total: number;
  matched: number;
  startedAt: number;
}

export interface CommitsImportSummary {
  repo: string;
  revisions: string[];
  /** commits the revisions name (merges excluded) */
  listed: number;
  /** already stored, not read again */
  known: number;
  /** read and stored by this run */
  read: number;
  /** commits whose diff was over the size cap (stored without patch-id) */
  tooLarge: number;
  /** patch -> commit rows written or strengthened, by method */
  matches: { "patch-id": number; link: number; fuzzy: number };
  /** patches (messages) found upstream by this run's commits */
  patchesMatched: number;
  seconds: number;
}

/** The repository name stored with each commit: the directory, without .git. */
export function repoName(repoPath: string): string {
  const abs = path.resolve(repoPath);
  const base = path.basename(abs) === ".git" ? path.basename(path.dirname(abs)) : path.basename(abs);
  return base.replace(/\.git$/, "") || abs;
}

/** One parsed commit as stored, plus its changed lines for the fuzzy pass. */
export function commitRecord(c: GitLogCommit, repo: string): { row: UpstreamCommitInput; fuzzy: FuzzyCommit } {
  const patchId = c.diff ? gitPatchIds(c.diff)[0] ?? null : null;
  const files: FuzzyCommit["files"] = new Map();
  if (c.diff) {
    for (const f of parseDiff(c.diff).files) {
      const e = files.get(f.path) ?? { added: [], removed: [] };
      for (const h of f.hunks) {
        for (const l of h.lines) {
          if (l.kind === "+") e.added.push(l.text);
          else if (l.kind === "-") e.removed.push(l.text);
        }
      }
      files.set(f.path, e);
    }
  }
  for (const p of c.files) if (!files.has(p)) files.set(p, { added: [], removed: [] });
  const links = linkMsgids(c.body);
  return {
    row: {
      sha: c.sha, repo, subject: c.subject, authorName: c.authorName, authorEmail: c.authorEmail, authorDate: c.authorDate,
      committerDate: c.committerDate, patchId, linkMsgids: links, files: [...files.keys()], body: c.body,
    },
    fuzzy: { sha: c.sha, subject: c.subject, body: c.body, files, authorDate: c.authorDate, committerDate: c.committerDate, linkMsgids: links },
  };
}

export async function importCommits(db: Db, repoPath: string, opts: CommitsImportOptions = {}): Promise<CommitsImportSummary> {
  const startedAt = Date.now();
  const abs = path.resolve(repoPath);
  const git = ["-C", abs];
  try {
    await gitOutput([...git, "rev-parse", "--git-dir"], abs);
  } catch (e) {
    throw new SourceError(`${repoPath} is not a git repository (${(e as Error).message})`);
  }
  const revisions = opts.rev?.length ? opts.rev : ["HEAD"];
  for (const r of revisions) if (r.startsWith("-")) throw new SourceError(`not a revision: ${r}`);
  const repo = repoName(abs);
  const since = opts.since ? [`--since=${opts.since}`] : [];
  const listing = await gitOutput([...git, "rev-list", "--no-merges", ...since, ...revisions, "--"], abs);
  const all = listing.split("\n").filter((s) => /^[0-9a-f]{40,64}$/.test(s));
  let todo = all;
  if (!opts.rescan) {
    todo = [];
    for (let i = 0; i < all.length; i += 10000) {
      const chunk = all.slice(i, i + 10000);
      const known = await knownCommitShas(db, chunk);
      for (const s of chunk) if (!known.has(s)) todo.push(s);
    }
  }
  const sum: CommitsImportSummary = {
    repo, revisions, listed: all.length, known: all.length - todo.length, read: 0, tooLarge: 0,
    matches: { "patch-id": 0, link: 0, fuzzy: 0 }, patchesMatched: 0, seconds: 0,
  };
  const matchedPatches = new Set<number>();
  const batchSize = opts.batchSize ?? 500;
  let batch: { row: UpstreamCommitInput; fuzzy: FuzzyCommit }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await storeCommits(db, batch.map((b) => b.row));
    const shas = batch.map((b) => b.row.sha);
    const exact = await matchExact(db, shas);
    sum.matches["patch-id"] += exact.patchId;
    sum.matches.link += exact.link;
    const { rows } = await db.pool.query(`SELECT DISTINCT sha, message_id FROM patch_commit WHERE sha = ANY($1::text[])`, [shas]);
    const done = new Set(rows.filter((r) => r.sha).map((r) => r.sha as string));
    for (const r of rows) matchedPatches.add(r.message_id);
    // the fuzzy pass only for commits no exact key matched
    const fuzzy = await matchFuzzy(db, batch.filter((b) => !done.has(b.row.sha)).map((b) => b.fuzzy));
    for (const m of fuzzy) {
      sum.matches[m.method]++;
      matchedPatches.add(m.messageId);
    }
    batch = [];
  };
  if (todo.length) {
    const log = new GitProcess(
      [...git, "-c", "core.quotePath=true", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "diff.relative=false",
        "log", "--no-walk=unsorted", "--stdin", "--no-merges", "-M", "--full-index", "--no-color", "--no-ext-diff", "--no-textconv",
        "--encoding=UTF-8", `--format=${GIT_LOG_FORMAT}`, "-p"],
      abs,
    );
    // git log --stdin reads every id before it writes anything: no deadlock writing them all first
    log.child.stdin.end(todo.join("\n") + "\n");
    const reader = new ByteReader(log.child.stdout);
    const parser = new GitLogParser();
    const take = async (c: GitLogCommit | null) => {
      if (!c) return;
      sum.read++;
      if (c.diffTruncated) sum.tooLarge++;
      batch.push(commitRecord(c, repo));
      if (batch.length >= batchSize) await flush();
      opts.onProgress?.({ done: sum.read, total: todo.length, matched: matchedPatches.size, startedAt });
    };
    try {
      for (;;) {
        if (opts.signal?.aborted) break;
        const raw = reader.readLineSync() ?? (await reader.readLine());
        if (raw === null) break;
        // ByteReader gives bytes as latin1; the stream is UTF-8 (--encoding and diffs as written)
        const line = /[\x80-\xff]/.test(raw) ? Buffer.from(raw, "latin1").toString("utf8") : raw;
        await take(parser.push(line));
      }
      await take(parser.end());
    } finally {
      if (opts.signal?.aborted) await log.kill();
      await reader.close();
    }
    const exit = await log.exited;
    if (!opts.signal?.aborted && exit.code !== 0) throw log.failure(exit);
    await flush();
  }
  // patches that arrived after their commits were imported: the exact keys again, over everything
  const again = await matchExact(db, null);
  const { rows: [n] } = await db.pool.query(
    `SELECT count(DISTINCT pc.message_id) AS n FROM patch_commit pc JOIN upstream_commit uc ON uc.sha = pc.sha WHERE uc.sha = ANY($1::text[])`,
    [all],
  );
  sum.matches["patch-id"] += again.patchId;
  sum.matches.link += again.link;
  sum.patchesMatched = Number(n.n);
  sum.seconds = (Date.now() - startedAt) / 1000;
  return sum;
}

/** A progress bar on a terminal, a plain line every few seconds otherwise. */
export function commitsProgress(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let bar: cliProgress.SingleBar | null = null;
  let last = 0;
  return {
    update(p: CommitsProgress) {
      const secs = (Date.now() - p.startedAt) / 1000;
      const rate = secs > 0 ? p.done / secs : 0;
      const eta = rate > 0 ? Math.round((p.total - p.done) / rate) : 0;
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { stream, format: `${label} [{bar}] {value}/{total} commits | {rate} commits/s | ETA {eta}s | {matched} patches found`, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, 0, { rate: 0, matched: 0 });
        }
        bar.update(p.done, { rate: Math.round(rate), matched: p.matched });
        return;
      }
      if (Date.now() - last < 5000 && p.done < p.total) return;
      last = Date.now();
      stream.write(`${label}: ${p.done}/${p.total} commits, ${Math.round(rate)} commits/s, ETA ${eta}s, ${p.matched} patches found\n`);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
