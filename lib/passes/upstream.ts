// The upstream pass: which patches became which upstream commits (patch_commit), with the method
// and score of each match: patch-id (1), link (1 when the Link: names the patch itself, else the
// fuzzy score of a patch of the thread it names), fuzzy (the score). See lib/upstream for the rules.
import type { Db } from "../db/client";
import { fuzzyScore, isFuzzyMatch, type ChangeText, type FuzzyScore } from "../upstream";

/** method precedence: a stronger method replaces a weaker one for the same (patch, commit) */
const UPSERT = `ON CONFLICT (message_id, sha) DO UPDATE SET method = excluded.method, score = excluded.score
  WHERE (CASE patch_commit.method WHEN 'patch-id' THEN 3 WHEN 'link' THEN 2 ELSE 1 END) < (CASE excluded.method WHEN 'patch-id' THEN 3 WHEN 'link' THEN 2 ELSE 1 END)
     OR (patch_commit.method = excluded.method AND patch_commit.score < excluded.score)`;

/**
 * The exact matches, set-based: every patch whose patch-id equals a commit's (score 1), and every
 * patch a commit's Link:/Message-Id: trailer names, when it touches one of the commit's files
 * (score 1). shas: only these commits (null: all, e.g. after new mail arrived).
 */
export async function matchExact(db: Db, shas: string[] | null = null): Promise<{ patchId: number; link: number }> {
  const only = shas ? `AND uc.sha = ANY($1::text[])` : "";
  const params = shas ? [shas] : [];
  const a = await db.pool.query(
    `INSERT INTO patch_commit (message_id, sha, method, score)
     SELECT p.message_id, uc.sha, 'patch-id', 1 FROM upstream_commit uc JOIN patch p ON p.patch_id = uc.patch_id
     WHERE uc.patch_id IS NOT NULL ${only}
     ${UPSERT}`,
    params,
  );
  const b = await db.pool.query(
    `INSERT INTO patch_commit (message_id, sha, method, score)
     SELECT DISTINCT m.id, uc.sha, 'link', 1
     FROM upstream_commit uc CROSS JOIN LATERAL unnest(uc.link_msgids) AS l(msgid)
     JOIN message m ON m.msgid = l.msgid JOIN patch p ON p.message_id = m.id
     WHERE cardinality(uc.link_msgids) > 0 ${only}
       AND EXISTS (SELECT 1 FROM patch_file pf WHERE pf.message_id = m.id AND (pf.path = ANY(uc.files) OR pf.old_path = ANY(uc.files)))
     ${UPSERT}`,
    params,
  );
  return { patchId: a.rowCount ?? 0, link: b.rowCount ?? 0 };
}

export interface FuzzyCommit {
  sha: string;
  subject: string;
  body: string;
  files: ChangeText["files"];
  authorDate: string | null;
  committerDate: string | null;
  linkMsgids: string[];
}

export interface FuzzyOptions {
  /** patches up to this many days before the commit's author date (default 730) */
  daysBefore?: number;
  /** ... and this many days after its committer date (default 7) */
  daysAfter?: number;
  /** candidates scored per commit, the ones sharing most files first (default 40) */
  maxCandidates?: number;
  /** matches kept per commit, best first (default 10) */
  maxMatches?: number;
}

export interface FuzzyMatch {
  messageId: number;
  sha: string;
  method: "fuzzy" | "link";
  score: FuzzyScore;
}

/** Candidate patches' text: title, commit message, changed lines per file (from the hunk rows). */
async function patchTexts(db: Db, ids: number[]): Promise<Map<number, ChangeText>> {
  const out = new Map<number, ChangeText>();
  if (!ids.length) return out;
  const { rows: ps } = await db.pool.query(`SELECT message_id, title, commit_message FROM patch WHERE message_id = ANY($1::bigint[])`, [ids]);
  for (const p of ps) out.set(p.message_id, { subject: p.title, body: p.commit_message, files: new Map() });
  const { rows: hs } = await db.pool.query(
    `SELECT pf.message_id, pf.path, h.added_text, h.removed_text FROM patch_file pf LEFT JOIN hunk h ON h.file_id = pf.id
     WHERE pf.message_id = ANY($1::bigint[]) ORDER BY pf.message_id, pf.position, h.position`,
    [ids],
  );
  for (const h of hs) {
    const t = out.get(h.message_id);
    if (!t) continue;
    const f = t.files.get(h.path) ?? { added: [], removed: [] };
    if (h.added_text) f.added.push(...h.added_text.split("\n"));
    if (h.removed_text) f.removed.push(...h.removed_text.split("\n"));
    t.files.set(h.path, f);
  }
  return out;
}

/**
 * The fuzzy pass for commits no exact key matched: candidates are the patches (not replies'
 * inline diffs) touching one of the commit's files, dated within the window; each is scored
 * (lib/upstream fuzzyScore) and kept when isFuzzyMatch says so. A commit whose Link: names a
 * message that is no patch (a cover letter, a reply) also scores the patches of that message's
 * thread, with the lower link threshold, stored as method "link" with the score.
 */
export async function matchFuzzy(db: Db, commits: FuzzyCommit[], opts: FuzzyOptions = {}): Promise<FuzzyMatch[]> {
  if (!commits.length) return [];
  const before = opts.daysBefore ?? 730;
  const after = opts.daysAfter ?? 7;
  const maxCandidates = opts.maxCandidates ?? 40;
  const maxMatches = opts.maxMatches ?? 10;
  const idx: number[] = [];
  const paths: string[] = [];
  commits.forEach((c, i) => {
    for (const p of [...c.files.keys()].slice(0, 64)) {
      idx.push(i);
      paths.push(p);
    }
  });
  const lo = commits.map((c) => c.authorDate ?? c.committerDate);
  const hi = commits.map((c) => c.committerDate ?? c.authorDate);
  const { rows: cand } = await db.pool.query(
    `WITH w AS (SELECT * FROM unnest($3::int[], $4::timestamptz[], $5::timestamptz[]) AS w(i, lo, hi)),
     c AS (
       SELECT x.i, pf.message_id, count(*) AS shared, min(abs(extract(epoch FROM (m.date - w.hi)))) AS dist
       FROM unnest($1::int[], $2::text[]) AS x(i, path)
       JOIN patch_file pf ON pf.path = x.path
       JOIN patch p ON p.message_id = pf.message_id AND p.kind <> 'inline'
       JOIN message m ON m.id = pf.message_id
       JOIN w ON w.i = x.i
       WHERE m.date IS NOT NULL AND (w.lo IS NULL OR m.date >= w.lo - make_interval(days => $6))
         AND (w.hi IS NULL OR m.date <= w.hi + make_interval(days => $7))
       GROUP BY x.i, pf.message_id
     )
     SELECT i, message_id FROM (
       SELECT c.*, row_number() OVER (PARTITION BY c.i ORDER BY c.shared DESC, c.dist, c.message_id) AS rn FROM c
     ) r WHERE rn <= $8`,
    [idx, paths, commits.map((_, i) => i), lo, hi, before, after, maxCandidates],
  );
  // patches of the threads a Link: names when it names no patch
  const linkIdx: number[] = [];
  const linkIds: string[] = [];
  commits.forEach((c, i) => c.linkMsgids.forEach((m) => (linkIdx.push(i), linkIds.push(m))));
  const { rows: viaLink } = linkIds.length
    ? await db.pool.query(
        `SELECT DISTINCT x.i, p.message_id
         FROM unnest($1::int[], $2::text[]) AS x(i, msgid)
         JOIN message lm ON lm.msgid = x.msgid AND lm.thread_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM patch lp WHERE lp.message_id = lm.id)
         JOIN message pm ON pm.thread_id = lm.thread_id
         JOIN patch p ON p.message_id = pm.id AND p.kind <> 'inline'`,
        [linkIdx, linkIds],
      )
    : { rows: [] as { i: number; message_id: number }[] };
  const texts = await patchTexts(db, [...new Set([...cand, ...viaLink].map((r) => r.message_id as number))]);
  const out: FuzzyMatch[] = [];
  commits.forEach((c, i) => {
    const commitText: ChangeText = { subject: c.subject, body: c.body, files: c.files };
    const linked = new Set(viaLink.filter((r) => r.i === i).map((r) => r.message_id as number));
    const ids = new Set([...cand.filter((r) => r.i === i).map((r) => r.message_id as number), ...linked]);
    const scored: FuzzyMatch[] = [];
    for (const id of ids) {
      const t = texts.get(id);
      if (!t) continue;
      const s = fuzzyScore(t, commitText);
      const viaLinkHit = linked.has(id);
      if (isFuzzyMatch(s, viaLinkHit)) scored.push({ messageId: id, sha: c.sha, method: viaLinkHit ? "link" : "fuzzy", score: s });
    }
    scored.sort((a, b) => b.score.score - a.score.score);
    out.push(...scored.slice(0, maxMatches));
  });
  if (out.length) {
    await db.pool.query(
      `INSERT INTO patch_commit (message_id, sha, method, score)
       SELECT x.message_id, x.sha, x.method, x.score FROM jsonb_to_recordset($1::jsonb) AS x(message_id bigint, sha text, method text, score float8)
       ${UPSERT}`,
      [JSON.stringify(out.map((m) => ({ message_id: m.messageId, sha: m.sha, method: m.method, score: m.score.score })))],
    );
  }
  return out;
}
