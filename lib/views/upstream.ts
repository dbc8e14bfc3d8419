// Upstream commits as pages read them: the commits a patch became (sha, subject, date, method,
// score), and the counts (matched by lib/passes/upstream.ts).
import type { Db } from "../db/client";
import type { UpstreamCommitInput } from "../db/upstream";
import { iso } from "./refs";

/** An upstream commit a patch became, with how it was matched. */
export interface PatchCommitView extends Pick<UpstreamCommitInput, "sha" | "repo" | "subject" | "authorName" | "authorEmail" | "authorDate" | "committerDate"> {
  method: string;
  score: number;
}

/** The upstream commits of these patches (message ids), best match first. */
export async function getCommitsForPatches(db: Db, messageIds: number[]): Promise<Map<number, PatchCommitView[]>> {
  const out = new Map<number, PatchCommitView[]>();
  if (!messageIds.length) return out;
  const { rows } = await db.pool.query(
    `SELECT pc.message_id, pc.method, pc.score, uc.sha, uc.repo, uc.subject, uc.author_name, uc.author_email, uc.author_date, uc.committer_date
     FROM patch_commit pc JOIN upstream_commit uc ON uc.sha = pc.sha
     WHERE pc.message_id = ANY($1::bigint[])
     ORDER BY pc.message_id, CASE pc.method WHEN 'patch-id' THEN 0 WHEN 'link' THEN 1 ELSE 2 END, pc.score DESC, uc.committer_date`,
    [messageIds],
  );
  for (const r of rows) {
    const l = out.get(r.message_id) ?? [];
    l.push({
      sha: r.sha, repo: r.repo, subject: r.subject, authorName: r.author_name, authorEmail: r.author_email,
      authorDate: iso(r.author_date), committerDate: iso(r.committer_date), method: r.method, score: r.score,
    });
    out.set(r.message_id, l);
  }
  return out;
}

/** The same by Message-ID (pages know patches by Message-ID). */
export async function getCommitsForMsgids(db: Db, msgids: string[]): Promise<Map<string, PatchCommitView[]>> {
  if (!msgids.length) return new Map();
  const { rows } = await db.pool.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [msgids]);
  const byId = await getCommitsForPatches(db, rows.map((r) => r.id));
  return new Map(rows.filter((r) => byId.has(r.id)).map((r) => [r.msgid as string, byId.get(r.id)!]));
}

export interface UpstreamStats {
  commits: number;
  repos: { repo: string; commits: number }[];
  matches: Record<string, number>;
  patchesMatched: number;
}

export async function upstreamStats(db: Db): Promise<UpstreamStats> {
  const { rows: repos } = await db.pool.query(`SELECT repo, count(*) AS n FROM upstream_commit GROUP BY repo ORDER BY repo`);
  const { rows: m } = await db.pool.query(`SELECT method, count(*) AS n FROM patch_commit GROUP BY method ORDER BY method`);
  const { rows: [p] } = await db.pool.query(`SELECT count(DISTINCT message_id) AS n FROM patch_commit`);
  return {
    commits: repos.reduce((n, r) => n + Number(r.n), 0),
    repos: repos.map((r) => ({ repo: r.repo, commits: Number(r.n) })),
    matches: Object.fromEntries(m.map((r) => [r.method, Number(r.n)])),
    patchesMatched: Number(p.n),
  };
}
