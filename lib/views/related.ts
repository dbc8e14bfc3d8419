// `patchlore related` / POST /api/related: the stored patches, series, reviews and proposals that
// touched what an input diff touches. The SQL here fetches candidates (patch_file by path, its
// hunks with the input's functions and identifiers found in their changed lines by one regex per
// query) and, for the best groups, the review summary (review, discussion, review_comment,
// patch_trailer/trailer, decision, patch_commit) and the proposals holding them (proposal_member).
// Deciding is lib/related (pure); the Markdown is lib/markdown/related.
import type { Db } from "../db/client";
import { iso } from "./refs";
import { buildQuery, queryIdentifiers, queryPaths } from "../related/query";
import { emptyReviewSummary, finalizeItems, groupPatches, scorePatch, shortlistDrafts, type ItemDraft, type ProposalInfo } from "../related/rank";
import type { Candidate, CandidateFile, RelatedResult, ReviewSummary, ScoredPatch } from "../related/types";
import { Links } from "../markdown/links";
import { hunkLabel } from "../related/query";

export interface RelatedOptions {
  /** items to return (default 10, at most 100) */
  limit?: number;
  /** absolute links start here (PATCHLORE_BASE_URL or the request's origin) */
  baseUrl: string;
  now?: Date;
  /** the newest patches per path looked at (default 2000): a hot file's older history is left out */
  perPath?: number;
}

export const MAX_RELATED_LIMIT = 100;


/** `\m(a|b|c)\M` for PostgreSQL's regex engine (identifiers are [A-Za-z_][A-Za-z0-9_]*: nothing to escape). */
function alternation(ids: string[]): string | null {
  const safe = ids.filter((x) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(x));
  return safe.length ? `(${safe.join("|")})` : null;
}

async function fetchCandidates(db: Db, paths: string[], fns: string[], ids: string[], perPath: number): Promise<Candidate[]> {
  if (!paths.length) return [];
  const defRe = alternation(fns);
  const mentionRe = alternation(ids);
  // the newest `perPath` stored files per path (patch_file_path_idx), with their hunks; a
  // definition is a changed line starting at column 0 that names the function before its "("
  const { rows: files } = await db.pool.query(
    `WITH pf AS (
       SELECT pf.id, pf.message_id, pf.path,
              row_number() OVER (PARTITION BY pf.path ORDER BY m.date DESC NULLS LAST, pf.id DESC) AS rn
       FROM patch_file pf JOIN message m ON m.id = pf.message_id
       WHERE pf.path = ANY($1::text[]) AND NOT m.ghost
         AND EXISTS (SELECT 1 FROM list_message lm WHERE lm.message_id = m.id)
     )
     SELECT pf.message_id::text AS message_id, pf.path,
            COALESCE(json_agg(json_build_object(
              'oldStart', h.old_start, 'oldLines', h.old_lines, 'newStart', h.new_start, 'newLines', h.new_lines, 'heading', h.heading,
              'defines', CASE WHEN $2::text IS NULL THEN '{}'::text[] ELSE ARRAY(
                SELECT DISTINCT x[1] FROM regexp_matches(h.added_text || E'\\n' || h.removed_text,
                  '(?:^|\\n)[A-Za-z_][^\\n;(=]*\\m' || $2::text || '\\s*\\(', 'g') AS x) END,
              'mentions', CASE WHEN $3::text IS NULL THEN '{}'::text[] ELSE ARRAY(
                SELECT DISTINCT x[1] FROM regexp_matches(h.added_text || E'\\n' || h.removed_text, '\\m' || $3::text || '\\M', 'g') AS x) END
            ) ORDER BY h.position) FILTER (WHERE h.id IS NOT NULL), '[]') AS hunks
     FROM pf LEFT JOIN hunk h ON h.file_id = pf.id
     WHERE pf.rn <= $4
     GROUP BY pf.id, pf.message_id, pf.path`,
    [paths, defRe, mentionRe, perPath],
  );
  if (!files.length) return [];
  const byMessage = new Map<string, CandidateFile[]>();
  for (const f of files) {
    const list = byMessage.get(f.message_id) ?? [];
    list.push({ path: f.path, hunks: f.hunks });
    byMessage.set(f.message_id, list);
  }
  const { rows } = await db.pool.query(
    `SELECT m.id::text AS id, m.msgid, m.subject, m.date, m.from_name, m.from_address, p.title, p.kind, p.patch_id,
            (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name LIMIT 1) AS list,
            COALESCE((
              SELECT json_agg(json_build_object(
                'id', s.id, 'key', s.key, 'title', s.title, 'version', s.version, 'isRfc', s.is_rfc, 'total', s.total, 'date', s.date,
                'authorAddress', s.author, 'authorName', COALESCE((SELECT pe.names[1] FROM person pe WHERE pe.id = s.author_id), ''),
                'list', (SELECT l.name FROM list l WHERE l.id = s.list_id), 'versionLine', s.version_line_id, 'index', sp.index,
                'coverMsgid', (SELECT cm.msgid FROM message cm WHERE cm.id = s.cover_id)) ORDER BY sp.inherited, s.id)
              FROM series_patch sp JOIN series s ON s.id = sp.series_id WHERE sp.message_id = m.id), '[]') AS series
     FROM message m JOIN patch p ON p.message_id = m.id
     WHERE m.id = ANY($1::bigint[])`,
    [[...byMessage.keys()]],
  );
  return rows.map((r) => ({
    messageId: r.id, msgid: r.msgid, title: r.title, subject: r.subject, date: iso(r.date),
    author: { name: r.from_name, address: r.from_address }, list: r.list, patchKind: r.kind, patchId: r.patch_id,
    files: byMessage.get(r.id) ?? [],
    series: (r.series as any[]).map((s) => ({
      id: s.id, key: s.key, title: s.title, version: s.version, isRfc: s.isRfc, total: s.total, date: iso(s.date),
      author: { name: s.authorName, address: s.authorAddress }, list: s.list, versionLine: s.versionLine, index: s.index, coverMsgid: s.coverMsgid,
    })),
  }));
}

/** Review activity, verdicts, trailers, decisions and upstream commits of each draft's patches and cover letters. */
async function fetchReviews(db: Db, drafts: ItemDraft[]): Promise<Map<string, ReviewSummary>> {
  const out = new Map<string, ReviewSummary>();
  if (!drafts.length) return out;
  // every message of the matched postings (cover letter and all patches), and lone patches
  const seriesIds = [...new Set(drafts.flatMap((d) => d.postings.map((s) => s.id)))];
  const { rows: members } = await db.pool.query(
    `SELECT series_id, message_id::text AS message_id FROM series_patch WHERE series_id = ANY($1::int[])`,
    [seriesIds],
  );
  const messagesOf = new Map<string, Set<string>>();
  const seriesOf = new Map<string, Set<number>>();
  const bySeries = new Map<number, string[]>();
  for (const m of members) bySeries.set(m.series_id, [...(bySeries.get(m.series_id) ?? []), m.message_id]);
  // which version each message was posted in, to say what a NAK was given on
  const versionOf = new Map<string, string>();
  for (const d of drafts) {
    for (const s of d.postings) for (const id of bySeries.get(s.id) ?? []) versionOf.set(id, `${s.isRfc ? "RFC " : ""}v${s.version}`);
  }
  for (const d of drafts) {
    const ms = new Set<string>(d.patches.map((p) => p.candidate.messageId));
    for (const s of d.postings) for (const id of bySeries.get(s.id) ?? []) ms.add(id);
    messagesOf.set(d.groupKey, ms);
    seriesOf.set(d.groupKey, new Set(d.postings.map((s) => s.id)));
    out.set(d.groupKey, emptyReviewSummary());
  }
  const allMessages = [...new Set([...messagesOf.values()].flatMap((s) => [...s]))];
  const q = <T = any>(sql: string, params: unknown[]) => db.pool.query(sql, params).then((r) => r.rows as T[]);
  const [reviews, discussions, trailers, decisions, commits] = await Promise.all([
    q(
      `SELECT r.patch_message_id::text AS pm, r.verdict, m.msgid, m.date, m.from_name, m.from_address
       FROM review r JOIN message m ON m.id = r.message_id WHERE r.patch_message_id = ANY($1::bigint[])`,
      [allMessages],
    ),
    q(
      `SELECT d.patch_message_id::text AS pm, d.status, (SELECT count(*)::int FROM review_comment rc WHERE rc.discussion_id = d.id) AS comments
       FROM discussion d WHERE d.patch_message_id = ANY($1::bigint[])`,
      [allMessages],
    ),
    // trailers given in replies (applied to the patch) and those the patch carries itself
    q(
      `SELECT pt.patch_message_id::text AS pm, t.kind, COALESCE(NULLIF(t.person_name, ''), t.person_address, t.value) AS who
       FROM patch_trailer pt JOIN trailer t ON t.id = pt.trailer_id
       WHERE pt.patch_message_id = ANY($1::bigint[]) AND NOT t.mismatch
         AND t.kind IN ('Reviewed-by', 'Acked-by', 'Tested-by', 'Nacked-by')
       UNION
       SELECT t.message_id::text, t.kind, COALESCE(NULLIF(t.person_name, ''), t.person_address, t.value)
       FROM trailer t
       WHERE t.message_id = ANY($1::bigint[]) AND t.source = 'commit-message' AND NOT t.mismatch
         AND t.kind IN ('Reviewed-by', 'Acked-by', 'Tested-by', 'Nacked-by')`,
      [allMessages],
    ),
    q(
      `SELECT d.kind, d.target, d.series_id, d.patch_message_id::text AS pm, m.msgid
       FROM decision d LEFT JOIN message m ON m.id = d.message_id
       WHERE (d.series_id = ANY($1::int[]) OR d.patch_message_id = ANY($2::bigint[])) AND d.status <> 'rejected'`,
      [seriesIds, allMessages],
    ),
    q(`SELECT DISTINCT message_id::text AS pm, sha FROM patch_commit WHERE message_id = ANY($1::bigint[])`, [allMessages]),
  ]);
  for (const d of drafts) {
    const ms = messagesOf.get(d.groupKey)!;
    const ss = seriesOf.get(d.groupKey)!;
    const s = out.get(d.groupKey)!;
    for (const r of reviews) {
      if (!ms.has(r.pm)) continue;
      s.reviews++;
      if (r.verdict && r.verdict in s.verdicts) s.verdicts[r.verdict as keyof ReviewSummary["verdicts"]]++;
      if (r.verdict === "nak") s.naks.push({ by: { name: r.from_name, address: r.from_address }, msgid: r.msgid, date: iso(r.date), version: versionOf.get(r.pm) ?? null });
    }
    for (const x of discussions) {
      if (!ms.has(x.pm)) continue;
      s.discussions++;
      s.comments += x.comments;
      if (x.status === "open") s.openDiscussions++;
    }
    const people = new Map<string, Set<string>>();
    for (const t of trailers) {
      if (!ms.has(t.pm)) continue;
      const set = people.get(t.kind) ?? new Set<string>();
      set.add(t.who);
      people.set(t.kind, set);
    }
    s.trailers = [...people].map(([kind, set]) => ({ kind, people: [...set].sort() })).sort((a, b) => a.kind.localeCompare(b.kind));
    const seen = new Set<string>();
    for (const x of decisions) {
      if (!(ss.has(x.series_id) || (x.pm && ms.has(x.pm)))) continue;
      const k = `${x.kind}\u0000${x.target ?? ""}\u0000${x.msgid ?? ""}`;
      if (seen.has(k)) continue;
      seen.add(k);
      s.decisions.push({ kind: x.kind, target: x.target, msgid: x.msgid });
    }
    s.commits = [...new Set(commits.filter((c) => ms.has(c.pm)).map((c) => c.sha))].sort();
  }
  return out;
}

async function fetchProposals(db: Db, seriesIds: number[]): Promise<ProposalInfo[]> {
  if (!seriesIds.length) return [];
  // a proposal merged into another answers as the one it was merged into
  const { rows } = await db.pool.query(
    `SELECT p.id, p.key, COALESCE(p.custom_title, p.title) AS title, p.status, p.first_date, p.last_date,
            array_agg(DISTINCT pm.series_id) AS series_ids
     FROM proposal_member pm
     JOIN proposal src ON src.id = pm.proposal_id
     JOIN proposal p ON p.id = COALESCE(src.merged_into_id, src.id)
     WHERE pm.series_id = ANY($1::int[]) AND pm.state <> 'removed'
     GROUP BY p.id`,
    [seriesIds],
  );
  return rows.map((r) => ({
    id: r.id, key: r.key, title: r.title, status: r.status, firstDate: iso(r.first_date), lastDate: iso(r.last_date), seriesIds: r.series_ids,
  }));
}

/** The related work of a unified diff, ranked. Throws RelatedInputError (lib/related/query) on input that is no diff. */
export async function findRelated(db: Db, diffText: string, opts: RelatedOptions): Promise<RelatedResult> {
  const t0 = performance.now();
  const links = new Links(opts.baseUrl);
  const limit = Math.min(MAX_RELATED_LIMIT, Math.max(1, Math.floor(opts.limit ?? 10)));
  const query = buildQuery(diffText);
  const fns = [...new Set(query.files.flatMap((f) => f.functions).filter((f) => /^[A-Za-z_]\w*$/.test(f)))];
  const candidates = await fetchCandidates(db, queryPaths(query), fns, queryIdentifiers(query), opts.perPath ?? 2000);
  const t1 = performance.now();
  const scored = candidates.map((c) => scorePatch(query, c)).filter((x): x is ScoredPatch => x !== null);
  // review summaries for the 3×limit best by match and recency: decisions and review activity
  // move an item by less than half a point, so only near-ties beyond those could still enter
  const now = opts.now ?? new Date();
  const shortlist = shortlistDrafts(groupPatches(scored), limit * 3, now);
  const t2 = performance.now();
  const [reviews, proposals] = await Promise.all([
    fetchReviews(db, shortlist),
    fetchProposals(db, [...new Set(shortlist.flatMap((d) => d.postings.map((s) => s.id)))]),
  ]);
  const items = finalizeItems(shortlist, reviews, proposals, links, { now, limit });
  return {
    query: {
      files: query.files.map((f) => ({ path: f.path, functions: f.functions, hunks: f.hunks.map(hunkLabel) })),
      patchId: query.patchId,
      added: query.added,
      removed: query.removed,
    },
    candidates: candidates.length,
    items,
    tookMs: Math.round(performance.now() - t0),
    timings: { candidatesMs: Math.round(t1 - t0), rankMs: Math.round(t2 - t1), reviewsMs: Math.round(performance.now() - t2) },
  };
}
