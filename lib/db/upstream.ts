// Upstream commits (upstream_commit) as `patchlore commits import` reads them from a git
// repository. Which patches became them (patch_commit) is the upstream pass (lib/passes/upstream.ts).
import type { Db } from "./client";

export interface UpstreamCommitInput {
  sha: string;
  repo: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  authorDate: string | null;
  committerDate: string | null;
  patchId: string | null;
  linkMsgids: string[];
  files: string[];
  body: string;
}

/** The shas among these that are already stored. */
export async function knownCommitShas(db: Db, shas: string[]): Promise<Set<string>> {
  if (!shas.length) return new Set();
  const { rows } = await db.pool.query(`SELECT sha FROM upstream_commit WHERE sha = ANY($1::text[])`, [shas]);
  return new Set(rows.map((r) => r.sha as string));
}

export async function storeCommits(db: Db, commits: UpstreamCommitInput[]): Promise<number> {
  if (!commits.length) return 0;
  const clean = (s: string) => s.replace(/\0/g, "");
  const { rowCount } = await db.pool.query(
    `INSERT INTO upstream_commit (sha, repo, subject, author_name, author_email, author_date, committer_date, patch_id, link_msgids, files, body)
     SELECT x.sha, x.repo, x.subject, x.author_name, x.author_email, x.author_date, x.committer_date, x.patch_id,
            ARRAY(SELECT jsonb_array_elements_text(x.link_msgids)), ARRAY(SELECT jsonb_array_elements_text(x.files)), x.body
     FROM jsonb_to_recordset($1::jsonb) AS x(sha text, repo text, subject text, author_name text, author_email text, author_date timestamptz,
       committer_date timestamptz, patch_id text, link_msgids jsonb, files jsonb, body text)
     ON CONFLICT (sha) DO UPDATE SET patch_id = excluded.patch_id, link_msgids = excluded.link_msgids, files = excluded.files, body = excluded.body,
       subject = excluded.subject`,
    [
      JSON.stringify(
        commits.map((c) => ({
          sha: c.sha, repo: c.repo, subject: clean(c.subject), author_name: clean(c.authorName), author_email: clean(c.authorEmail),
          author_date: c.authorDate, committer_date: c.committerDate, patch_id: c.patchId, link_msgids: c.linkMsgids.map(clean),
          files: c.files.map(clean), body: clean(c.body),
        })),
      ),
    ],
  );
  return rowCount ?? 0;
}
