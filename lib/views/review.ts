// The stored reviews (lib/passes/reviews) as the view model of lib/review/view.ts, which the review
// pages, the JSON API (/api/<list>/<msgid>/review, /api/series/<key>/review) and the Markdown
// export read.
//
//  * a patch's trailers: its commit message's, then those applied to it (given in a reply, on the
//    cover letter, or carried by patch-id from an earlier version), one per "kind: value" (b4's
//    comparison), mismatched ones (naming someone other than their sender) last and flagged;
//  * verdicts: one per reply to the patch that gives one; the patch's verdict is the strongest of
//    those and of the verdicts on its series' cover letter (they apply to every patch) — NAK first,
//    each reviewer's latest only (lib/review weighVerdicts: a NAK taken back is marked withdrawn);
//  * discussions: its own, in patch order, each with the anchored code (the hunk lines up to the
//    anchored line) and its place in the diff, both as the review pass stored them with the anchor
//    (lib/review/placement: the patch is not split again here), and the open discussions of the
//    previous version carried to it (carriedFrom), at the line they were ported to; each comment
//    with the quote it answers, as the review pass stored it (review_comment.quote).
import type { Db } from "../db/client";
import { iso } from "./refs";
import { patchStatuses, seriesStatuses } from "./status";
import { parseMail } from "../mail/parse";
import { splitShown, type StoredAnchor } from "../review/placement";
import { commitMessageVerdict, seriesVerdict, trailerKey, weighVerdicts } from "../review/trailers";
import type { DiscussionView, PatchReviewView, ReviewCommentView, ReviewPerson, ReviewTrailerView, SeriesReviewView, VerdictView } from "../review/view";

// ---------------------------------------------------------------------------------------------

interface PatchRow {
  id: number;
  msgid: string;
  subject: string;
  from_name: string;
  from_address: string;
  date: Date | null;
  body: string;
  recovery: string;
  ghost: boolean;
  patch_kind: string;
  /** the attachment holding the patch (patch.attachment) */
  attachment: number | null;
  /** patch.parts' diff start */
  diff_line: number | null;
  title: string;
  list: string | null;
}

interface SeriesOfPatch {
  id: number;
  key: string;
  title: string;
  version: number;
  is_rfc: boolean;
  total: number;
  version_line_id: number | null;
  index: number;
  cover_id: number | null;
}

const person = (name: string | null, address: string | null): ReviewPerson | null => (address || name ? { name: name ?? "", address: address ?? "" } : null);

async function verdictsOn(db: Db, messageIds: number[]): Promise<Map<number, VerdictView[]>> {
  const out = new Map<number, VerdictView[]>();
  if (!messageIds.length) return out;
  const { rows } = await db.pool.query(
    `SELECT r.patch_message_id, r.verdict, r.verdict_text, m.msgid, m.from_name, m.from_address, m.date
     FROM review r JOIN message m ON m.id = r.message_id
     WHERE r.patch_message_id = ANY($1::bigint[]) AND r.verdict IS NOT NULL ORDER BY m.date NULLS LAST, m.id`,
    [messageIds],
  );
  for (const r of rows) {
    const v: VerdictView = { verdict: r.verdict, source: "reply", by: { name: r.from_name, address: r.from_address }, msgid: r.msgid, date: iso(r.date), evidence: r.verdict_text };
    (out.get(r.patch_message_id) ?? out.set(r.patch_message_id, []).get(r.patch_message_id)!).push(v);
  }
  return out;
}

/**
 * The verdicts a patch's own commit message carries: a Reviewed-by, Acked-by or Tested-by the
 * author collected on an earlier version (b4 counts them), each a verdict of the person it names,
 * dated with the patch (so a later reply of theirs, a NAK, stands over it). Mismatched trailers
 * and the author's own are no verdict.
 */
export function commitMessageVerdicts(patch: { msgid: string; date: string | null; author: ReviewPerson }, trailers: readonly ReviewTrailerView[]): VerdictView[] {
  const out: VerdictView[] = [];
  const seen = new Set<string>();
  const author = patch.author.address.toLowerCase();
  for (const t of trailers) {
    if (t.via !== "commit-message" || t.mismatch || !t.person?.address) continue;
    const v = commitMessageVerdict(t.kind);
    const who = t.person.address.toLowerCase();
    if (!v || (author && who === author) || seen.has(`${v} ${who}`)) continue;
    seen.add(`${v} ${who}`);
    out.push({ verdict: v, source: "commit-message", by: t.person, msgid: patch.msgid, date: patch.date, evidence: `${t.kind}: ${t.value}` });
  }
  return out;
}

async function trailersOf(db: Db, patchId: number): Promise<ReviewTrailerView[]> {
  const { rows } = await db.pool.query(
    `SELECT t.kind, t.value, t.person_name, t.person_address, t.line, t.mismatch, m.msgid, m.date, t.source, NULL AS via, 0 AS ord
     FROM trailer t JOIN message m ON m.id = t.message_id WHERE t.message_id = $1 AND t.source = 'commit-message'
     UNION ALL
     SELECT t.kind, t.value, t.person_name, t.person_address, t.line, t.mismatch, m.msgid, m.date, t.source, pt.via,
            CASE pt.via WHEN 'reply' THEN 1 WHEN 'cover' THEN 2 ELSE 3 END AS ord
     FROM patch_trailer pt JOIN trailer t ON t.id = pt.trailer_id JOIN message m ON m.id = t.message_id
     WHERE pt.patch_message_id = $1
     ORDER BY ord, date NULLS LAST, msgid, line`,
    [patchId],
  );
  const out: ReviewTrailerView[] = [];
  const seen = new Set<string>();
  const mismatched: ReviewTrailerView[] = [];
  for (const r of rows) {
    const t: ReviewTrailerView = {
      kind: r.kind, value: r.value, person: person(r.person_name, r.person_address),
      via: r.source === "commit-message" ? "commit-message" : r.via, msgid: r.msgid, line: r.line, mismatch: r.mismatch,
    };
    if (t.mismatch) {
      mismatched.push(t);
      continue;
    }
    const k = trailerKey(t);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(t);
  }
  const seenMismatch = new Set<string>();
  for (const t of mismatched) {
    const k = `${trailerKey(t)}\u0000${t.msgid}`;
    if (seen.has(trailerKey(t)) || seenMismatch.has(k)) continue;
    seenMismatch.add(k);
    out.push(t);
  }
  return out;
}

interface DiscussionRow {
  id: number;
  patch_message_id: number;
  part: "diff" | "message" | "general";
  anchor: StoredAnchor | null;
  file: string | null;
  line_number: number | null;
  side: "old" | "new" | null;
  heading: string | null;
  status: "open" | "resolved";
  resolved_how: string | null;
  resolved_confidence: number | null;
  resolved_evidence: string | null;
  carried_anchor: StoredAnchor | null;
  next_msgid: string | null;
  patch_msgid: string;
}

/**
 * The discussions of a patch (or a cover letter), each with the code and the place in the diff the
 * review pass stored with its anchor (rows stored before it did show the anchored line alone, unplaced).
 */
async function discussionsOf(db: Db, patch: { id: number; address: string }): Promise<DiscussionView[]> {
  const { rows } = await db.pool.query(
    `SELECT d.id, d.patch_message_id, d.part, d.anchor, d.file, d.line_number, d.side, d.heading, d.status, d.resolved_how,
            d.resolved_confidence, d.resolved_evidence, d.carried_anchor, nm.msgid AS next_msgid, pm.msgid AS patch_msgid,
            (d.patch_message_id = $1) AS own
     FROM discussion d JOIN message pm ON pm.id = d.patch_message_id LEFT JOIN message nm ON nm.id = d.next_patch_message_id
     WHERE d.patch_message_id = $1 OR (d.next_patch_message_id = $1 AND d.status = 'open' AND d.carried_anchor IS NOT NULL)
     ORDER BY own DESC, d.patch_line NULLS LAST, d.first_date NULLS LAST, d.id`,
    [patch.id],
  );
  if (!rows.length) return [];
  const { rows: cs } = await db.pool.query(
    `SELECT rc.id, rc.discussion_id, rc.message_id, rc.first_line, rc.last_line, rc.text, rc.method, rc.confidence, rc.in_reply_to_id,
            rc.quote, m.msgid, m.from_name, m.from_address, m.date
     FROM review_comment rc JOIN message m ON m.id = rc.message_id
     WHERE rc.discussion_id = ANY($1::bigint[]) ORDER BY rc.id`,
    [rows.map((r) => r.id)],
  );
  const comments = new Map<number, ReviewCommentView[]>();
  const author = patch.address.toLowerCase();
  for (const c of cs) {
    const v: ReviewCommentView = {
      id: String(c.id), msgid: c.msgid, author: { name: c.from_name, address: c.from_address }, date: iso(c.date), text: c.text,
      quote: c.quote?.length ? c.quote : null,
      lines: [c.first_line, c.last_line], method: c.method, confidence: c.confidence,
      inReplyTo: c.in_reply_to_id === null ? null : String(c.in_reply_to_id), byPatchAuthor: !!author && c.from_address.toLowerCase() === author,
    };
    (comments.get(c.discussion_id) ?? comments.set(c.discussion_id, []).get(c.discussion_id)!).push(v);
  }
  return (rows as (DiscussionRow & { own: boolean })[]).map((d) => {
    if (d.own) {
      const { anchor, shown } = d.anchor ? splitShown(d.anchor) : { anchor: null, shown: null };
      return {
        id: String(d.id), part: d.part, anchor, file: d.file, line: d.line_number, side: d.side, heading: d.heading,
        code: shown?.code ?? shownBefore(anchor), place: shown?.place ?? null, status: d.status, resolvedHow: d.resolved_how, resolvedConfidence: d.resolved_confidence,
        resolvedEvidence: d.resolved_evidence, carriedFrom: null,
        carriedTo: d.next_msgid && d.status === "open" && d.carried_anchor ? { patchMsgid: d.next_msgid, anchor: splitShown(d.carried_anchor).anchor } : null,
        comments: comments.get(d.id) ?? [],
      };
    }
    // an open discussion of the previous version on a line this version still has, at that line
    const { anchor: a, shown } = splitShown(d.carried_anchor!);
    const part: DiscussionView["part"] = a.part;
    return {
      id: `carried-${d.id}`, part, anchor: a, file: a.part === "diff" ? a.file : null,
      line: a.part === "diff" ? (a.side === "old" ? a.oldLine : (a.newLine ?? a.oldLine)) : null,
      side: a.part === "diff" ? a.side : null, heading: a.part === "diff" ? a.heading : null,
      code: shown?.code ?? shownBefore(a), place: shown?.place ?? null, status: "open", resolvedHow: null, resolvedConfidence: null, resolvedEvidence: null,
      carriedFrom: { discussionId: String(d.id), patchMsgid: d.patch_msgid }, carriedTo: null,
      comments: comments.get(d.id) ?? [],
    };
  });
}

/** the posting a patch belongs to: the one it was posted in (not one a partial reroll carried it into) */
async function seriesOfPatch(db: Db, messageId: number): Promise<SeriesOfPatch | null> {
  const { rows } = await db.pool.query(
    `SELECT s.id, s.key, s.title, s.version, s.is_rfc, s.total, s.version_line_id, sp.index, s.cover_id
     FROM series_patch sp JOIN series s ON s.id = sp.series_id
     WHERE sp.message_id = $1 AND sp.index > 0
     ORDER BY sp.inherited, s.date NULLS LAST, s.id LIMIT 1`,
    [messageId],
  );
  return rows[0] ?? null;
}

/** The same patch in every version of its line (this one included), oldest first: same title, else same index. */
async function versionsOf(db: Db, s: SeriesOfPatch | null, patch: { msgid: string; title: string }): Promise<PatchReviewView["versions"]> {
  if (!s) return [];
  if (s.version_line_id === null) return [{ version: s.version, isRfc: s.is_rfc, msgid: patch.msgid, seriesKey: s.key }];
  const { rows } = await db.pool.query(
    `SELECT s.id, s.key, s.version, s.is_rfc, sp.index, m.msgid, p.title
     FROM series s JOIN series_patch sp ON sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited
     JOIN message m ON m.id = sp.message_id JOIN patch p ON p.message_id = m.id
     WHERE s.version_line_id = $1 ORDER BY s.date NULLS LAST, s.version, s.id, sp.index`,
    [s.version_line_id],
  );
  const norm = (t: string) => t.toLowerCase().replace(/\s+/g, " ").trim();
  const bySeries = new Map<number, typeof rows>();
  for (const r of rows) (bySeries.get(r.id) ?? bySeries.set(r.id, []).get(r.id)!).push(r);
  const out: PatchReviewView["versions"] = [];
  for (const [id, ps] of bySeries) {
    const hit = id === s.id ? ps.find((p) => p.msgid === patch.msgid) : (ps.find((p) => norm(p.title) === norm(patch.title)) ?? ps.find((p) => p.index === s.index));
    if (hit) out.push({ version: hit.version, isRfc: hit.is_rfc, msgid: hit.msgid, seriesKey: hit.key });
  }
  return out;
}

/** An anchor stored before the review pass stored what it shows: its own line. */
const shownBefore = (a: StoredAnchor | null): string[] => (a ? [a.patchText] : []);

/** The text the patch's diff is in: the body, or the attachment holding it (patch.attachment). */
async function patchBody(db: Db, p: PatchRow): Promise<string> {
  if (p.patch_kind !== "attachment" || p.attachment === null) return p.body;
  const { rows } = await db.pool.query(`SELECT raw FROM raw_message WHERE message_id = $1`, [p.id]);
  if (!rows.length) return p.body;
  try {
    const text = (await parseMail(rows[0].raw)).attachments[p.attachment]?.text;
    return typeof text === "string" ? text : p.body;
  } catch {
    return p.body;
  }
}

async function patchReview(db: Db, p: PatchRow, s: SeriesOfPatch | null, coverVerdicts: VerdictView[]): Promise<PatchReviewView> {
  const [body, trailers, verdicts, discussions, versions, status] = await Promise.all([
    patchBody(db, p),
    trailersOf(db, p.id),
    verdictsOn(db, [p.id]).then((m) => m.get(p.id) ?? []),
    discussionsOf(db, { id: p.id, address: p.from_address }),
    versionsOf(db, s, { msgid: p.msgid, title: p.title }),
    patchStatuses(db, [p.id]).then((m) => m.get(Number(p.id))),
  ]);
  const author = { name: p.from_name, address: p.from_address };
  // the commit message's carried verdicts first (dated with the patch), then the replies'
  const own = [...commitMessageVerdicts({ msgid: p.msgid, date: iso(p.date), author }, trailers), ...verdicts];
  return {
    list: p.list, msgid: p.msgid, subject: p.subject, author, date: iso(p.date),
    reconstructed: p.ghost || p.recovery === "quote",
    series: s ? { key: s.key, title: s.title, version: s.version, index: s.index, total: s.total } : null,
    versions, body, diffLine: p.diff_line, trailers, ...weighVerdicts(own, coverVerdicts), discussions, status,
  };
}

const PATCH_COLUMNS = `m.id, m.msgid, m.subject, m.from_name, m.from_address, m.date, m.body, m.recovery, m.ghost, p.kind AS patch_kind, p.attachment,
  (p.parts->'diff'->>'start')::int AS diff_line, p.title,
  (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name LIMIT 1) AS list`;

/** A patch's review; null when the message is not a patch (a submitted one, or one rebuilt from quotes). */
export async function getPatchReview(db: Db, msgid: string): Promise<PatchReviewView | null> {
  const { rows } = await db.pool.query(
    `SELECT ${PATCH_COLUMNS} FROM message m JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment') WHERE m.msgid = $1`,
    [msgid],
  );
  if (!rows.length) return null;
  const p: PatchRow = rows[0];
  const s = await seriesOfPatch(db, p.id);
  const coverVerdicts = s?.cover_id ? ((await verdictsOn(db, [s.cover_id])).get(s.cover_id) ?? []) : [];
  return patchReview(db, p, s, coverVerdicts);
}

/** A series posting's review: the cover letter's verdicts and discussions, then each patch's review; null when there is no such series. */
export async function getSeriesReview(db: Db, seriesKey: string): Promise<SeriesReviewView | null> {
  const { rows } = await db.pool.query(
    `SELECT s.id, s.key, s.title, s.version, s.total, s.cover_id, c.msgid AS cover_msgid, c.subject AS cover_subject,
            c.from_name AS cover_name, c.from_address AS cover_address, c.date AS cover_date,
            (SELECT l.name FROM list l WHERE l.id = s.list_id) AS list
     FROM series s LEFT JOIN message c ON c.id = s.cover_id WHERE s.key = $1`,
    [seriesKey],
  );
  if (!rows.length) return null;
  const s = rows[0];
  const verdicts = s.cover_id ? ((await verdictsOn(db, [s.cover_id])).get(s.cover_id) ?? []) : [];
  const discussions = s.cover_id ? await discussionsOf(db, { id: s.cover_id, address: s.cover_address }) : [];
  const { rows: ps } = await db.pool.query(
    `SELECT ${PATCH_COLUMNS} FROM series_patch sp JOIN message m ON m.id = sp.message_id
     JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment')
     WHERE sp.series_id = $1 AND sp.index > 0 ORDER BY sp.index, m.date NULLS LAST, m.id`,
    [s.id],
  );
  const patches: PatchReviewView[] = [];
  for (const p of ps as PatchRow[]) {
    const own = await seriesOfPatch(db, p.id);
    // a patch carried over from an earlier posting (partial reroll) keeps its own series and cover verdicts
    const coverVerdicts = own && own.id !== s.id && own.cover_id ? ((await verdictsOn(db, [own.cover_id])).get(own.cover_id) ?? []) : verdicts;
    patches.push(await patchReview(db, p, own, coverVerdicts));
  }
  // the series' verdict: its patches' (each weighed with its cover letter's) and the cover letter's, by one rule
  const cover = weighVerdicts(verdicts);
  return {
    key: s.key, title: s.title, version: s.version, list: s.list,
    cover: s.cover_id ? { msgid: s.cover_msgid, subject: s.cover_subject, author: { name: s.cover_name, address: s.cover_address }, date: iso(s.cover_date) } : null,
    verdicts: cover.verdicts, verdict: seriesVerdict(cover.verdict, patches.map((p) => p.verdict)), coverVerdict: cover.verdict,
    patchesWithVerdict: patches.filter((p) => p.verdict).length, discussions, patches,
    status: (await seriesStatuses(db, [s.id])).get(s.id),
  };
}
