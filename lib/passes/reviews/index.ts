// The review pass of the derive step (lib/passes/index.ts runPasses): per thread, every
// message read as lib/review reads it (analyzeThread), written set-based:
//
//   trailer         every trailer as written: commit-message trailers of patches, reply trailers
//                   (mismatches flagged), with the person when the address is known;
//   patch_trailer   where each reply trailer applies: the patch it answers, every patch of the
//                   series for a cover-letter trailer, a later version with the same patch-id (in
//                   the thread, lib/review attributeTrailers; across threads, along version lines:
//                   carryAcrossVersions). Mismatched trailers are written where they would apply,
//                   flagged by trailer.mismatch, so pages can show them — never counted as applied;
//   review          per reply: the patch it answers (the nearest patch above it, else the series
//                   cover letter above it), its verdict and evidence line, refused trailers;
//   discussion      comments grouped by anchor: a comment that answers nothing opens one, an answer
//                   (InlineComment.inReplyTo) joins its parent's; resolved by the next version's
//                   code or the patch author's word (lib/review resolveDiscussion), the open ones
//                   ported to the next version (carried_anchor);
//   review_comment  each comment with its provenance (message, lines, method, confidence).
//
// A thread's rows are replaced as a whole: one statement deletes the old rows of the pass's threads,
// then the threads are analyzed in batches and each batch is inserted by one statement (a CTE per
// table, each from one JSON document or arrays), its new discussions resolved before they are
// written. Statements are pipelined on the connection (Serial): PostgreSQL deletes and inserts
// while the next batch is analyzed. Resolution and cross-thread trailer carries are recomputed for
// every version line the thread's series belong to, so a new version arriving in another thread
// updates the earlier version's discussions (rows whose resolution is unchanged are not rewritten).
// scripts/bench-reviews.mts measures the pass and prints a digest of what it writes.
import type pg from "pg";
import type { Queryable } from "../../db/tx";
import { parseMail } from "../../mail/parse";
import type { ParsedDiff } from "../../patch/diff";
import { splitPatchMail } from "../../patch/split";
import {
  analyzeThread,
  attributeTrailers,
  resolveDiscussion,
  splitShown,
  type StoredAnchor,
  withShown,
  type AppliedTrailer,
  type InlineComment,
  type MessageReviewResult,
  type SeriesInputForTrailers,
  type ThreadMessageInput,
  type TrailerMessage,
  type VerdictResult,
  verdictOf,
} from "../../review";

/** what the pass sends statements through: a pool, a client, or a Serial over a client */

const clean = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s);
/** a JSON document PostgreSQL takes: no NUL, no lone surrogate in any string */
const json = (v: unknown): string => {
  // JSON.stringify writes a NUL as \u0000 and a lone surrogate as \udXXX: without either (or
  // text that looks like them) the strings need no cleaning
  const plain = JSON.stringify(v);
  if (!/\\u(?:0000|d[89a-f])/i.test(plain)) return plain;
  return JSON.stringify(v, (_k, x) => {
    if (typeof x !== "string") return x;
    const t = clean(x);
    return t.isWellFormed() ? t : t.toWellFormed();
  });
};

// ---------------------------------------------------------------------------------------------
// the patch text a diff's line numbers index

export interface PatchText {
  /** the text the diff was parsed from: the body, or the attachment holding the patch */
  body: string;
  diff: ParsedDiff;
}

export interface PatchTextRow {
  id: number;
  subject: string;
  body: string;
  /** patch.kind: patch | attachment (inline diffs in replies are not reviewed as patches) */
  patch_kind: string | null;
}

/**
 * The patches' texts and diffs, re-read the way the ingester read them (lib/patch splitPatchMail):
 * from the body, or for a patch in an attachment from the stored raw message.
 */
export async function patchTexts(db: Queryable, rows: PatchTextRow[]): Promise<Map<number, PatchText>> {
  const out = new Map<number, PatchText>();
  const attached = rows.filter((r) => r.patch_kind === "attachment").map((r) => r.id);
  const raws = new Map<number, Buffer>();
  if (attached.length) {
    const { rows: rr } = await db.query(`SELECT message_id, raw FROM raw_message WHERE message_id = ANY($1::bigint[])`, [attached]);
    for (const r of rr) raws.set(r.message_id, r.raw);
  }
  for (const r of rows) {
    if (r.patch_kind !== "patch" && r.patch_kind !== "attachment") continue;
    if (r.patch_kind === "attachment") {
      const raw = raws.get(r.id);
      if (!raw) continue;
      try {
        const parsed = await parseMail(raw);
        const atts = parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, text: a.text }));
        const split = splitPatchMail({ subject: parsed.subject, body: parsed.text, attachments: atts });
        if (!split.diff?.files.length) continue;
        const text = split.source.part === "attachment" ? atts[split.source.index]?.text : parsed.text;
        if (typeof text === "string") out.set(r.id, { body: text, diff: split.diff });
      } catch {
        // an unreadable raw message: the patch is left out of the review pass
      }
      continue;
    }
    const split = splitPatchMail({ subject: r.subject, body: r.body });
    if (split.diff?.files.length && split.source.part === "body") out.set(r.id, { body: r.body, diff: split.diff });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// loading

interface MsgRow extends PatchTextRow {
  msgid: string;
  thread_id: number;
  in_reply_to: string | null;
  references: string[];
  from_name: string;
  from_address: string;
  date: Date | null;
  patch_id: string | null;
  patch_version: number | null;
}

interface SeriesRow {
  id: number;
  cover: string | null;
  cover_thread: number | null;
  version_line_id: number | null;
  patches: string[];
  patch_threads: number[];
}

/** Threads with something to review: a patch (submitted, or rebuilt from quotes) or a series' cover letter. */
async function reviewableThreads(client: Queryable, threadIds: number[]): Promise<number[]> {
  const { rows } = await client.query(
    `SELECT m.thread_id FROM message m JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment')
     WHERE m.thread_id = ANY($1::int[]) AND (NOT m.ghost OR m.body <> '')
     UNION SELECT c.thread_id FROM series s JOIN message c ON c.id = s.cover_id WHERE c.thread_id = ANY($1::int[])`,
    [threadIds],
  );
  return rows.map((r) => r.thread_id as number);
}

async function loadMessages(client: Queryable, threadIds: number[]): Promise<MsgRow[]> {
  // ("references" as JSON: read by JSON.parse, many times faster than pg's array parser)
  const { rows } = await client.query(
    `SELECT m.id, m.msgid, m.thread_id, m.in_reply_to, to_json(m."references") AS "references", m.subject, m.from_name, m.from_address, m.date, m.body,
            p.kind AS patch_kind, p.patch_id, p.version AS patch_version
     FROM message m LEFT JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment')
     WHERE m.thread_id = ANY($1::int[]) AND (NOT m.ghost OR m.body <> '')
     ORDER BY m.thread_id, m.date NULLS LAST, m.id`,
    [threadIds],
  );
  return rows;
}

async function loadSeries(client: Queryable, threadIds: number[]): Promise<SeriesRow[]> {
  const { rows } = await client.query(
    `SELECT s.id, c.msgid AS cover, c.thread_id AS cover_thread, s.version_line_id,
            ARRAY(SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id
                  WHERE sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited ORDER BY sp.index, m.date) AS patches,
            ARRAY(SELECT m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id
                  WHERE sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited ORDER BY sp.index, m.date) AS patch_threads
     FROM series s LEFT JOIN message c ON c.id = s.cover_id
     WHERE s.id IN (SELECT sp.series_id FROM series_patch sp JOIN message m ON m.id = sp.message_id
                    WHERE m.thread_id = ANY($1::int[]) AND NOT sp.inherited)`,
    [threadIds],
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------
// one thread, pure: the rows to write

interface TrailerOut {
  id: number;
  message_id: number;
  thread_id: number;
  source: string;
  kind: string;
  key: string;
  value: string;
  person_name: string | null;
  person_address: string | null;
  commit: string | null;
  url: string | null;
  comment: string | null;
  line: number;
  end_line: number;
  mismatch: boolean;
}

interface Rows {
  trailers: TrailerOut[];
  applied: { series_id: number; patch_message_id: number; trailer_id: number; via: string }[];
  reviews: {
    message_id: number;
    thread_id: number;
    patch_message_id: number | null;
    kind: string;
    verdict: string | null;
    verdict_line: number | null;
    verdict_text: string | null;
    comment_count: number;
    rejected: unknown[];
  }[];
  discussions: {
    id: number;
    thread_id: number;
    patch_message_id: number;
    part: string;
    anchor: StoredAnchor | null;
    file: string | null;
    hunk_index: number | null;
    line_number: number | null;
    side: string | null;
    heading: string | null;
    patch_line: number | null;
    first_date: string | null;
  }[];
  /** the discussions' resolution (resolveDiscussion), by index into `discussions` */
  resolutions: Resolved[];
  comments: {
    id: number;
    discussion_id: number;
    message_id: number;
    position: number;
    first_line: number;
    last_line: number;
    text: string;
    method: string;
    confidence: number;
    in_reply_to_id: number | null;
  }[];
}

type IdTable = "trailer" | "discussion" | "review_comment";

/**
 * Ids of new rows: while rows are made, each table's ids are numbered 0, 1, … in the order rows
 * take them; then as many ids as were taken are drawn from the tables' sequences (one query) and
 * handed out in that order (the n-th id taken is the n-th smallest drawn).
 */
class Ids {
  private taken: Record<IdTable, number> = { trailer: 0, discussion: 0, review_comment: 0 };
  take(table: IdTable): number {
    return this.taken[table]++;
  }
  async draw(client: Queryable): Promise<Record<IdTable, number[]>> {
    const out: Record<IdTable, number[]> = { trailer: [], discussion: [], review_comment: [] };
    const t = this.taken;
    if (t.trailer + t.discussion + t.review_comment === 0) return out;
    const { rows } = await client.query(
      `SELECT 0 AS k, nextval(pg_get_serial_sequence('trailer', 'id')) AS id FROM generate_series(1, $1::int)
       UNION ALL SELECT 1, nextval(pg_get_serial_sequence('discussion', 'id')) FROM generate_series(1, $2::int)
       UNION ALL SELECT 2, nextval(pg_get_serial_sequence('review_comment', 'id')) FROM generate_series(1, $3::int)`,
      [t.trailer, t.discussion, t.review_comment],
    );
    const lists = [out.trailer, out.discussion, out.review_comment];
    for (const r of rows) lists[r.k].push(r.id as number);
    for (const l of lists) l.sort((a, b) => a - b);
    return out;
  }
}

/** the rows' local ids (Ids.take) replaced by the ids drawn */
function assignIds(rows: Rows, ids: Record<IdTable, number[]>): void {
  const t = ids.trailer;
  const d = ids.discussion;
  const c = ids.review_comment;
  for (const r of rows.trailers) r.id = t[r.id];
  for (const r of rows.applied) r.trailer_id = t[r.trailer_id];
  for (const r of rows.discussions) r.id = d[r.id];
  for (const r of rows.comments) {
    r.id = c[r.id];
    r.discussion_id = d[r.discussion_id];
    if (r.in_reply_to_id !== null) r.in_reply_to_id = c[r.in_reply_to_id];
  }
}

function trailerRow(t: { kind: string; key: string; value: string; person?: { name: string; address: string }; commit?: string; url?: string; comment?: string; line: number; endLine: number; mismatch: boolean }, id: number, messageId: number, threadId: number, source: string): TrailerOut {
  return {
    id, message_id: messageId, thread_id: threadId, source, kind: clean(t.kind), key: clean(t.key), value: clean(t.value),
    person_name: t.person ? clean(t.person.name) : null, person_address: t.person ? clean(t.person.address) : null,
    commit: t.commit ?? null, url: t.url ? clean(t.url) : null, comment: t.comment ? clean(t.comment) : null,
    line: t.line, end_line: t.endLine, mismatch: t.mismatch,
  };
}

/**
 * The reply's verdict, as its sender gives it: a trailer naming someone else (a mismatch, e.g. an
 * Acked-by relayed for a colleague) is not the sender's verdict, so its lines are left out.
 */
function ownVerdict(r: MessageReviewResult, body: string): VerdictResult | null {
  const v = r.verdict;
  const mm = r.trailers.filter((t) => t.mismatch);
  const ev = v?.evidence;
  if (!ev || !mm.some((t) => ev.line >= t.line && ev.line < t.endLine)) return v;
  const lines = body.split("\n");
  for (const t of mm) for (let l = t.line; l < t.endLine && l < lines.length; l++) lines[l] = "";
  return verdictOf(lines.join("\n"));
}

const commentMethod = (c: InlineComment): string => (c.inReplyTo !== undefined ? "thread" : c.anchor ? c.anchor.method : "general");

interface ThreadWork {
  threadId: number;
  msgs: MsgRow[];
  inputs: ThreadMessageInput[];
  series: SeriesRow[];
  result: ReturnType<typeof analyzeThread>;
  /** message ids of the series' patches that live in other threads (unthreaded postings: a cover-letter trailer applies to them too) */
  patchIdOutside: Map<string, number>;
}

function threadRows(w: ThreadWork, ids: Ids, out: Rows): void {
  const byMsgid = new Map(w.msgs.map((m) => [m.msgid, m]));
  const { messages } = w.result;
  // trailers as written (commit message of a patch, or a reply's own); other messages' trailers are not trailers
  const trailerId = new Map<string, number>();
  const tkey = (msgid: string, line: number, kind: string, value: string) => `${msgid}\u0000${line}\u0000${kind}\u0000${value}`;
  for (const r of messages.values()) {
    if (r.kind === "other") continue;
    const m = byMsgid.get(r.msgid)!;
    for (const t of r.trailers) {
      const id = ids.take("trailer");
      trailerId.set(tkey(r.msgid, t.line, t.kind, t.value), id);
      out.trailers.push(trailerRow(t, id, m.id, w.threadId, r.kind === "patch" ? "commit-message" : "reply"));
    }
  }
  // where the reply trailers apply, per series; mismatches where they would apply
  // (analyzeThread applied the others; the mismatched ones are attributed again, unflagged)
  const mismatchMsgs: TrailerMessage[] = w.inputs.map((inp) => {
    const r = messages.get(inp.msgid)!;
    const isReply = r.kind === "reply";
    const trailers = isReply ? r.trailers.filter((t) => t.mismatch).map((t) => ({ ...t, mismatch: false })) : [];
    return { msgid: inp.msgid, inReplyTo: inp.inReplyTo, references: inp.references, isReply, hasDiff: !!inp.patch, trailers };
  });
  const patchIds = new Map<string, string | null>();
  const versionOf = new Map<string, number | null>();
  for (const inp of w.inputs) if (inp.patch) {
    patchIds.set(inp.msgid, inp.patch.patchId ?? null);
    versionOf.set(inp.msgid, inp.patch.version ?? null);
  }
  const seen = new Set<string>();
  const apply = (seriesId: number, patchMsgid: string, list: AppliedTrailer[]) => {
    const pm = byMsgid.get(patchMsgid)?.id ?? w.patchIdOutside.get(patchMsgid);
    if (pm === undefined) return;
    for (const t of list) {
      const id = trailerId.get(tkey(t.msgid, t.line, t.kind, t.value));
      if (id === undefined) continue;
      const k = `${seriesId}/${pm}/${id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.applied.push({ series_id: seriesId, patch_message_id: pm, trailer_id: id, via: t.via });
    }
  };
  const hasMismatch = mismatchMsgs.some((m) => m.trailers.length);
  for (const s of w.series) {
    const input: SeriesInputForTrailers = { id: String(s.id), cover: s.cover, patches: s.patches };
    const applied = w.result.series.find((x) => x.id === String(s.id));
    if (applied) for (const [p, list] of applied.perPatch) apply(s.id, p, list);
    if (hasMismatch) {
      const mm = attributeTrailers(mismatchMsgs, { cover: input.cover, patches: input.patches, patchIds, versionOf });
      for (const [p, list] of mm.perPatch) apply(s.id, p, list);
    }
  }

  // reviews and discussions
  const covers = new Set(w.series.map((s) => s.cover).filter((c): c is string => !!c));
  const coverAbove = (msgid: string): string | null => {
    const seenUp = new Set<string>();
    let p = byMsgid.get(msgid)?.in_reply_to ?? null;
    while (p && !seenUp.has(p)) {
      if (covers.has(p)) return p;
      seenUp.add(p);
      p = byMsgid.get(p)?.in_reply_to ?? null;
    }
    return null;
  };
  // comment ids are drawn in this order (parents before children, else by date): ordering a
  // discussion's comments by id puts every answer after what it answers
  const discOf = new Map<string, Rows["discussions"][number]>();
  // the patch texts the anchors were made on: what each anchor shows is stored with it (withShown)
  const patchText = new Map(w.inputs.map((inp) => [inp.msgid, inp.patch]));
  const commentId = new Map<string, number>();
  for (const r of messages.values() as Iterable<MessageReviewResult>) {
    if (r.kind === "patch") continue;
    const m = byMsgid.get(r.msgid)!;
    const targetMsgid = r.patchMsgid ?? coverAbove(r.msgid);
    const target = targetMsgid ? byMsgid.get(targetMsgid) : undefined;
    const v = ownVerdict(r, m.body);
    if (target || v?.verdict || r.trailers.length || r.rejected.length) {
      out.reviews.push({
        message_id: m.id, thread_id: w.threadId, patch_message_id: target?.id ?? null, kind: r.kind,
        verdict: v?.verdict ?? null, verdict_line: v?.evidence?.line ?? null, verdict_text: v?.evidence ? clean(v.evidence.text) : null,
        comment_count: target ? r.comments.length : 0, rejected: r.rejected,
      });
    }
    if (!target) continue;
    r.comments.forEach((c, i) => {
      const parentKey = c.inReplyTo !== undefined && r.parentMsgid ? `${r.parentMsgid}#${c.inReplyTo}` : null;
      let d = parentKey ? discOf.get(parentKey) : undefined;
      if (!d) {
        const a = c.anchor;
        d = {
          id: ids.take("discussion"), thread_id: w.threadId, patch_message_id: target.id, part: a ? a.part : "general",
          anchor: a ? withShown(a, patchText.get(target.msgid)) : null,
          file: a?.part === "diff" ? a.file : null,
          hunk_index: a?.part === "diff" ? a.hunkIndex : null,
          line_number: a?.part === "diff" ? (a.side === "old" ? a.oldLine : (a.newLine ?? a.oldLine)) : null,
          side: a?.part === "diff" ? a.side : null,
          heading: a?.part === "diff" ? a.heading : null,
          patch_line: a ? (a.part === "diff" ? a.patchLine : a.line) : null,
          first_date: m.date ? m.date.toISOString() : null,
        };
        out.discussions.push(d);
      }
      discOf.set(`${r.msgid}#${i}`, d);
      const id = ids.take("review_comment");
      commentId.set(`${r.msgid}#${i}`, id);
      out.comments.push({
        id, discussion_id: d.id, message_id: m.id, position: i, first_line: c.lines[0], last_line: c.lines[1], text: clean(c.text),
        method: commentMethod(c), confidence: c.anchor ? c.anchor.confidence : 1,
        in_reply_to_id: parentKey ? (commentId.get(parentKey) ?? null) : null,
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// the pass

/** Milliseconds spent per phase of updateReviews, added up over calls (scripts/bench-reviews.mts). */
export interface ReviewTimings {
  /** SQL reads: messages, series, discussions and comments to resolve */
  load: number;
  /** patch texts re-read and diffs parsed */
  parse: number;
  /** analyzeThread and the rows made from it */
  analyze: number;
  /** resolution against the next version (resolveDiscussion) */
  resolve: number;
  /** SQL writes: ids, deletes, inserts, carries, resolution updates */
  write: number;
}

export const newReviewTimings = (): ReviewTimings => ({ load: 0, parse: 0, analyze: 0, resolve: 0, write: 0 });

/** a stopwatch that charges the time since the last lap to a phase (no-op without timings) */
function stopwatch(timings?: ReviewTimings) {
  let at = performance.now();
  return (phase: keyof ReviewTimings) => {
    if (!timings) return;
    const now = performance.now();
    timings[phase] += now - at;
    at = now;
  };
}

/** messages per batch of threads analyzed, resolved and written in turn (the writes of one run while the next is analyzed) */
const BATCH_MESSAGES = 400;

/**
 * Re-derives the reviews of these threads (delete + insert), then resolution and cross-thread carries for their version lines.
 *
 * The statements are pipelined on the connection: the old rows are deleted while the threads are
 * analyzed, and the threads are analyzed in batches whose rows are written while the next batch
 * is analyzed (PostgreSQL works on one core while this process works on another). Statements run
 * in the order they are sent; every one is awaited before this returns.
 */
export async function updateReviews(client: pg.PoolClient, threadIds: number[], timings?: ReviewTimings): Promise<void> {
  if (!threadIds.length) return;
  const lap = stopwatch(timings);
  // every statement goes through `sql`, one at a time, in the order asked for
  const sql = new Serial(client);
  try {
    // threads without a patch or a cover letter (discussions, questions, bug reports) have no review
    const reviewable = await reviewableThreads(sql, threadIds);
    const msgsP = reviewable.length ? loadMessages(sql, reviewable) : Promise.resolve([]);
    const seriesP = reviewable.length ? loadSeries(sql, reviewable) : Promise.resolve([]);
    const series = await seriesP;
    const msgs = await msgsP;
    // patches of these series that live outside these threads (unthreaded postings)
    const inPass = new Set(msgs.map((m) => m.msgid));
    const outside = [...new Set(series.flatMap((s) => s.patches).filter((p) => !inPass.has(p)))];
    const outsideP = outside.length ? sql.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [outside]) : null;
    // the patches of their version lines (asked for before the deletes, so not waiting for them)
    const lines = [...new Set(series.map((s) => s.version_line_id).filter((x): x is number => x !== null))];
    const linesP = linePatchesOf(sql, lines);
    // the threads' old rows go while the threads are read
    clearRows(sql, threadIds);
    const outsideIds = new Map<string, number>();
    if (outsideP) for (const r of (await outsideP).rows) outsideIds.set(r.msgid, r.id);
    const linePatches = await linesP;
    lap("load");
    const texts = await patchTexts(sql, msgs);
    const ctx = lineContext(linePatches, texts);
    lap("parse");

    const byThread = new Map<number, MsgRow[]>();
    for (const m of msgs) (byThread.get(m.thread_id) ?? byThread.set(m.thread_id, []).get(m.thread_id)!).push(m);
    // the series each message belongs to (as a patch or as the cover letter), in load order
    const seriesOf = new Map<string, number[]>();
    series.forEach((s, i) => {
      for (const p of s.cover !== null ? [...s.patches, s.cover] : s.patches) {
        const l = seriesOf.get(p);
        if (!l) seriesOf.set(p, [i]);
        else if (l[l.length - 1] !== i) l.push(i);
      }
    });
    const msgById = new Map(msgs.map((m) => [m.id, m]));

    /** a batch analyzed: its rows (local ids), their ids and the next versions' texts on their way */
    interface Batch {
      rows: Rows;
      discussions: DiscussionToResolve[];
      ids: Promise<Record<IdTable, number[]>>;
      texts: Promise<PatchTextRow[]> | null;
    }
    const finish = async (b: Batch) => {
      await receiveTexts(sql, ctx, b.texts);
      lap("parse");
      // the new discussions resolved before they are written (as resolveDiscussions would resolve them once written)
      b.rows.resolutions = b.discussions.map((d) => resolveOne(ctx, d));
      lap("resolve");
      assignIds(b.rows, await b.ids);
      lap("write");
      insertRows(sql, b.rows);
      lap("write");
    };
    let pending: Batch | null = null;
    const threads = [...byThread];
    for (let i = 0; i < threads.length; ) {
      // the next batch: whole threads, about BATCH_MESSAGES messages
      const works: ThreadWork[] = [];
      for (let n = 0; i < threads.length && (n === 0 || n + threads[i][1].length <= BATCH_MESSAGES); i++) {
        const [threadId, ms] = threads[i];
        n += ms.length;
        const inputs: ThreadMessageInput[] = ms.map((m) => {
          const t = texts.get(m.id);
          return {
            msgid: m.msgid, inReplyTo: m.in_reply_to, references: m.references, subject: m.subject,
            from: { name: m.from_name, address: m.from_address }, date: m.date ? m.date.toISOString() : null, body: m.body,
            patch: t ? { body: t.body, diff: t.diff, patchId: m.patch_id, version: m.patch_version } : null,
          };
        });
        // the series with a patch or the cover letter in the thread, in load order
        const hit = new Set<number>();
        for (const m of ms) for (const k of seriesOf.get(m.msgid) ?? []) hit.add(k);
        const ss = [...hit].sort((a, b) => a - b).map((k) => series[k]);
        const result = analyzeThread(inputs, ss.map((s) => ({ id: String(s.id), cover: s.cover, patches: s.patches })));
        works.push({ threadId, msgs: ms, inputs, series: ss, result, patchIdOutside: outsideIds });
      }
      const ids = new Ids();
      const rows: Rows = { trailers: [], applied: [], reviews: [], discussions: [], comments: [], resolutions: [] };
      for (const w of works) threadRows(w, ids, rows);
      const discussions = threadDiscussions(rows, msgById);
      lap("analyze");
      // the batch before is written (its insert runs while this batch's ids and texts are asked for and the next batch is analyzed)
      if (pending) await finish(pending);
      // ids drawn in batch order: the n-th row made in the chunk gets the n-th smallest id, as when drawn at once
      pending = { rows, discussions, ids: ids.draw(sql), texts: requestTexts(sql, ctx, discussions) };
      pending.ids.catch(() => {});
      pending.texts?.catch(() => {});
    }
    if (pending) await finish(pending);
    await sql.done();
    await carryAcrossVersions(sql, lines);
    lap("write");
    // the discussions of other threads in these version lines (a new version changes them)
    await resolveStored(sql, ctx, threadIds, true, timings);
  } catch (e) {
    // a statement sent earlier failed first (what failed after it failed for that): its error is the one to see
    throw (await sql.firstFailure()) ?? e;
  } finally {
    // nothing left running on the connection, whatever happened
    await sql.settled();
  }
}

/**
 * Statements on one connection, one at a time, in the order they are asked for: a caller need not
 * wait for one before asking for the next (PostgreSQL works through them while this process goes
 * on). When the connection is idle a statement starts at once; else when the one before it ends.
 */
class Serial implements Queryable {
  private queue: { text: string; values?: unknown[]; resolve: (r: pg.QueryResult) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  private all: Promise<pg.QueryResult>[] = [];
  constructor(private client: Queryable) {}
  query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    const p = new Promise<pg.QueryResult>((resolve, reject) => this.queue.push({ text, values, resolve, reject }));
    // (a failure is seen by whoever waits for it, or by done()/firstFailure())
    p.catch(() => {});
    this.all.push(p);
    this.pump();
    return p;
  }
  private pump(): void {
    if (this.busy) return;
    const next = this.queue.shift();
    if (!next) return;
    this.busy = true;
    this.client.query(next.text, next.values).then(
      (r) => {
        this.busy = false;
        this.pump();
        next.resolve(r);
      },
      (e) => {
        this.busy = false;
        this.pump();
        next.reject(e);
      },
    );
  }
  /** every statement asked for so far has succeeded (else the first failure is thrown) */
  async done(): Promise<void> {
    await Promise.all(this.all);
  }
  /** none is left running or waiting */
  async settled(): Promise<void> {
    await Promise.allSettled(this.all);
  }
  /** the error of the first statement that failed, if one did */
  async firstFailure(): Promise<unknown> {
    for (const r of await Promise.allSettled(this.all)) if (r.status === "rejected") return r.reason;
    return undefined;
  }
}

/** The rows of these threads deleted, in one statement (by message too: a message may have moved here from a merged thread). */
function clearRows(sql: Queryable, threadIds: number[]): void {
  void sql.query(
    `WITH m AS MATERIALIZED (SELECT id FROM message WHERE thread_id = ANY($1::int[])),
       d AS (DELETE FROM discussion WHERE thread_id = ANY($1::int[]) OR patch_message_id = ANY(ARRAY(SELECT id FROM m))),
       c AS (DELETE FROM review_comment WHERE message_id = ANY(ARRAY(SELECT id FROM m))),
       r AS (DELETE FROM review WHERE thread_id = ANY($1::int[]) OR message_id = ANY(ARRAY(SELECT id FROM m))),
       t AS (DELETE FROM trailer WHERE thread_id = ANY($1::int[]) OR message_id = ANY(ARRAY(SELECT id FROM m))),
       -- applied rows of postings that no longer exist
       p AS (DELETE FROM patch_trailer pt WHERE pt.patch_message_id = ANY(ARRAY(SELECT id FROM m))
             AND NOT EXISTS (SELECT 1 FROM series s WHERE s.id = pt.series_id))
     SELECT 1`,
    [threadIds],
  );
}

/** The rows, inserted in one statement (foreign keys are checked at its end, when all are in). */
function insertRows(sql: Queryable, rows: Rows): void {
  if (!rows.trailers.length && !rows.applied.length && !rows.reviews.length && !rows.discussions.length && !rows.comments.length) return;
  const ds = rows.discussions.map((d, i) => {
    const r = rows.resolutions[i];
    return { ...d, status: r.status, resolved_how: r.how, resolved_confidence: r.confidence, resolved_evidence: r.evidence, next_patch_message_id: r.next, carried_anchor: r.carried };
  });
  void sql.query(
    `WITH t AS (
       INSERT INTO trailer (id, message_id, thread_id, source, kind, key, value, person_name, person_address, person_id, "commit", url, comment, line, end_line, mismatch)
       SELECT x.id, x.message_id, x.thread_id, x.source, x.kind, x.key, x.value, x.person_name, x.person_address,
              (SELECT pe.id FROM person pe WHERE pe.address = x.person_address), x."commit", x.url, x.comment, x.line, x.end_line, x.mismatch
       FROM json_to_recordset($1::json) AS x(id bigint, message_id bigint, thread_id int, source text, kind text, key text, value text,
         person_name text, person_address text, "commit" text, url text, comment text, line int, end_line int, mismatch boolean)),
     a AS (
       INSERT INTO patch_trailer (series_id, patch_message_id, trailer_id, via)
       SELECT * FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING),
     r AS (
       INSERT INTO review (message_id, thread_id, patch_message_id, kind, verdict, verdict_line, verdict_text, comment_count, rejected)
       SELECT x.message_id, x.thread_id, x.patch_message_id, x.kind, x.verdict, x.verdict_line, x.verdict_text, x.comment_count, x.rejected
       FROM json_to_recordset($6::json) AS x(message_id bigint, thread_id int, patch_message_id bigint, kind text, verdict text,
         verdict_line int, verdict_text text, comment_count int, rejected jsonb)
       ON CONFLICT (message_id) DO UPDATE SET thread_id = excluded.thread_id, patch_message_id = excluded.patch_message_id, kind = excluded.kind,
         verdict = excluded.verdict, verdict_line = excluded.verdict_line, verdict_text = excluded.verdict_text,
         comment_count = excluded.comment_count, rejected = excluded.rejected),
     d AS (
       INSERT INTO discussion (id, thread_id, patch_message_id, part, anchor, file, hunk_index, line_number, side, heading, patch_line, first_date,
         status, resolved_how, resolved_confidence, resolved_evidence, next_patch_message_id, carried_anchor)
       SELECT x.id, x.thread_id, x.patch_message_id, x.part, x.anchor, x.file, x.hunk_index, x.line_number, x.side, x.heading, x.patch_line, x.first_date,
         x.status, x.resolved_how, x.resolved_confidence, x.resolved_evidence, x.next_patch_message_id, x.carried_anchor
       FROM json_to_recordset($7::json) AS x(id bigint, thread_id int, patch_message_id bigint, part text, anchor jsonb, file text,
         hunk_index int, line_number int, side text, heading text, patch_line int, first_date timestamptz,
         status text, resolved_how text, resolved_confidence float8, resolved_evidence text, next_patch_message_id bigint, carried_anchor jsonb)),
     c AS (
       INSERT INTO review_comment (id, discussion_id, message_id, position, first_line, last_line, text, method, confidence, in_reply_to_id)
       SELECT x.id, x.discussion_id, x.message_id, x.position, x.first_line, x.last_line, x.text, x.method, x.confidence, x.in_reply_to_id
       FROM json_to_recordset($8::json) AS x(id bigint, discussion_id bigint, message_id bigint, position int, first_line int, last_line int,
         text text, method text, confidence float8, in_reply_to_id bigint))
     SELECT 1`,
    [
      json(rows.trailers),
      rows.applied.map((a) => a.series_id), rows.applied.map((a) => a.patch_message_id), rows.applied.map((a) => a.trailer_id), rows.applied.map((a) => a.via),
      json(rows.reviews),
      json(ds),
      json(rows.comments),
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// across threads, along version lines

/**
 * A reply or cover trailer given to a patch carries to the same patch (same patch-id) in every
 * later version of its version line posted in another thread (analyzeThread carries within a
 * thread already). Recomputed for whole lines, so it stays right whichever thread changed.
 */
export async function carryAcrossVersions(client: Queryable, lineIds: number[]): Promise<void> {
  if (!lineIds.length) return;
  await client.query(
    `DELETE FROM patch_trailer pt USING series s, trailer t, message pm
     WHERE pt.series_id = s.id AND s.version_line_id = ANY($1::int[]) AND pt.via = 'patch-id' AND t.id = pt.trailer_id
       AND pm.id = pt.patch_message_id AND t.thread_id IS DISTINCT FROM pm.thread_id`,
    [lineIds],
  );
  await client.query(
    `INSERT INTO patch_trailer (series_id, patch_message_id, trailer_id, via)
     SELECT DISTINCT s2.id, sp2.message_id, pt.trailer_id, 'patch-id'
     FROM series s2
     JOIN series_patch sp2 ON sp2.series_id = s2.id AND sp2.index > 0 AND NOT sp2.inherited
     JOIN patch p2 ON p2.message_id = sp2.message_id AND p2.patch_id IS NOT NULL
     JOIN message m2 ON m2.id = sp2.message_id
     JOIN series s1 ON s1.version_line_id = s2.version_line_id AND s1.version < s2.version
     JOIN series_patch sp1 ON sp1.series_id = s1.id AND sp1.index > 0 AND NOT sp1.inherited
     JOIN patch p1 ON p1.message_id = sp1.message_id AND p1.patch_id = p2.patch_id
     JOIN patch_trailer pt ON pt.series_id = s1.id AND pt.patch_message_id = p1.message_id AND pt.via IN ('reply', 'cover')
     JOIN trailer t ON t.id = pt.trailer_id AND NOT t.mismatch AND t.thread_id IS DISTINCT FROM m2.thread_id
     WHERE s2.version_line_id = ANY($1::int[])
     ON CONFLICT DO NOTHING`,
    [lineIds],
  );
}

// ---------------------------------------------------------------------------------------------
// resolution

interface LinePatch {
  seriesId: number;
  version: number;
  lineId: number | null;
  date: number;
  index: number;
  id: number;
  title: string;
}

/** The same patch in the next version of its line: the next posting with a higher version, its patch of the same title, else of the same index. */
export function nextVersionOf(p: LinePatch, all: LinePatch[]): LinePatch | null {
  if (p.lineId === null) return null;
  const later = all.filter((x) => x.lineId === p.lineId && x.version > p.version);
  if (!later.length) return null;
  const v = Math.min(...later.map((x) => x.version));
  const next = later.filter((x) => x.version === v);
  // the earliest posting of that version (a resend comes after)
  const firstSeries = next.reduce((a, b) => (b.date < a.date ? b : a)).seriesId;
  const cand = next.filter((x) => x.seriesId === firstSeries);
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  return cand.find((x) => norm(x.title) === norm(p.title)) ?? cand.find((x) => x.index === p.index) ?? null;
}

/** A discussion as resolution reads it: where it is, who wrote the patch, its comments in order. */
interface DiscussionToResolve {
  id: number;
  patch_message_id: number;
  /** as stored (the JSON the database gives back) */
  anchor: StoredAnchor | null;
  /** the patch's sender */
  author: string | null;
  comments: { text: string; from: string }[];
}

interface Resolved {
  status: string;
  how: string | null;
  confidence: number | null;
  evidence: string | null;
  next: number | null;
  carried: StoredAnchor | null;
}

/** The patches of some version lines, their next versions, and the patch texts read so far. */
interface LineContext {
  linePatches: LinePatch[];
  byId: Map<number, LinePatch>;
  next: Map<number, LinePatch | null>;
  texts: Map<number, PatchText>;
  /** patches whose text was looked up (found or not) */
  tried: Set<number>;
}

async function linePatchesOf(client: Queryable, lineIds: number[]): Promise<LinePatch[]> {
  if (!lineIds.length) return [];
  const { rows: lp } = await client.query(
    `SELECT s.id AS series_id, s.version, s.version_line_id, s.date, sp.index, sp.message_id AS id, p.title
     FROM series s JOIN series_patch sp ON sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited
     JOIN patch p ON p.message_id = sp.message_id
     WHERE s.version_line_id = ANY($1::int[])`,
    [lineIds],
  );
  return lp.map((r) => ({ seriesId: r.series_id, version: r.version, lineId: r.version_line_id, date: r.date ? r.date.getTime() : 0, index: r.index, id: r.id, title: r.title }));
}

function lineContext(linePatches: LinePatch[], known: Map<number, PatchText>): LineContext {
  return { linePatches, byId: new Map(linePatches.map((p) => [p.id, p])), next: new Map(), texts: new Map(known), tried: new Set(known.keys()) };
}

function nextOf(ctx: LineContext, patchId: number): LinePatch | null {
  let n = ctx.next.get(patchId);
  if (n === undefined) {
    const p = ctx.byId.get(patchId);
    ctx.next.set(patchId, (n = p ? nextVersionOf(p, ctx.linePatches) : null));
  }
  return n;
}

/** The patches whose texts these discussions need (diff anchors: the patch and its next version) and that were not looked up yet. */
function neededTexts(ctx: LineContext, ds: DiscussionToResolve[]): number[] {
  const need = new Set<number>();
  for (const d of ds) if (d.anchor) {
    need.add(d.patch_message_id);
    const n = nextOf(ctx, d.patch_message_id);
    if (n) need.add(n.id);
  }
  for (const id of need) if (ctx.tried.has(id)) need.delete(id);
  return [...need];
}

/** Sends the query for the texts these discussions need (marked looked up: receiveTexts reads them); null when none. */
function requestTexts(client: Queryable, ctx: LineContext, ds: DiscussionToResolve[]): Promise<PatchTextRow[]> | null {
  const need = neededTexts(ctx, ds);
  if (!need.length) return null;
  for (const id of need) ctx.tried.add(id);
  return client
    .query(`SELECT m.id, m.subject, m.body, p.kind AS patch_kind FROM message m JOIN patch p ON p.message_id = m.id WHERE m.id = ANY($1::bigint[])`, [need])
    .then((r) => r.rows as PatchTextRow[]);
}

async function receiveTexts(client: Queryable, ctx: LineContext, rows: Promise<PatchTextRow[]> | null): Promise<void> {
  if (!rows) return;
  for (const [id, t] of await patchTexts(client, await rows)) ctx.texts.set(id, t);
}

/** The texts of the discussed patches (diff anchors) and of their next versions, read when not read yet. */
async function fetchTexts(client: Queryable, ctx: LineContext, ds: DiscussionToResolve[], lap: ReturnType<typeof stopwatch>): Promise<void> {
  const rows = requestTexts(client, ctx, ds);
  lap("resolve");
  if (!rows) return;
  await rows;
  lap("load");
  await receiveTexts(client, ctx, rows);
  lap("parse");
}

function resolveOne(ctx: LineContext, d: DiscussionToResolve): Resolved {
  const n = nextOf(ctx, d.patch_message_id);
  const cur = ctx.texts.get(d.patch_message_id);
  const nt = n ? ctx.texts.get(n.id) : undefined;
  const author = String(d.author ?? "").toLowerCase();
  const res = resolveDiscussion({
    anchor: d.anchor ? splitShown(d.anchor).anchor : null,
    replies: d.comments.slice(1).map((c) => ({ text: c.text, byPatchAuthor: !!author && c.from.toLowerCase() === author })),
    diff: cur?.diff ?? null,
    nextDiff: nt?.diff ?? null,
    nextBody: nt ? nt.body : null,
  });
  return {
    status: res.resolved ? "resolved" : "open", how: res.how, confidence: res.resolved || res.evidence ? res.confidence : null,
    // (shown on the next version's review page, so what it shows is read on that version's text)
    evidence: res.evidence ? clean(res.evidence) : null, next: n?.id ?? null, carried: res.carried ? withShown(res.carried, nt) : null,
  };
}

/** a string as the database stores it from json() */
const stored = (s: string): string => {
  const t = clean(s);
  return t.isWellFormed() ? t : t.toWellFormed();
};

/** The discussions just made, as resolveDiscussions would read them back once written. */
function threadDiscussions(rows: Rows, msgById: Map<number, MsgRow>): DiscussionToResolve[] {
  const out: DiscussionToResolve[] = rows.discussions.map((d) => ({
    id: d.id,
    patch_message_id: d.patch_message_id,
    anchor: d.anchor ? (JSON.parse(json(d.anchor)) as StoredAnchor) : null,
    author: msgById.get(d.patch_message_id)?.from_address ?? null,
    comments: [],
  }));
  // (local ids: discussion i has id i, comments come in the order of their ids)
  for (const c of rows.comments) out[c.discussion_id].comments.push({ text: stored(c.text), from: msgById.get(c.message_id)!.from_address });
  return out;
}

/**
 * Resolves the discussions of these threads, and of every patch in these version lines (an earlier
 * version's discussions change when its next version arrives): the next version's diff, the
 * patch author's answers (lib/review resolveDiscussion).
 */
export async function resolveDiscussions(client: pg.PoolClient, threadIds: number[], lineIds: number[], known: Map<number, PatchText> = new Map(), timings?: ReviewTimings): Promise<void> {
  await resolveStored(client, lineContext(await linePatchesOf(client, lineIds), known), threadIds, false, timings);
}

/**
 * resolveDiscussions over the discussions stored: of these threads (unless `othersOnly`) and of
 * the patches of the context's version lines. Rows whose resolution is unchanged are not written.
 */
async function resolveStored(client: Queryable, ctx: LineContext, threadIds: number[], othersOnly: boolean, timings?: ReviewTimings): Promise<void> {
  const lap = stopwatch(timings);
  const patchIds = ctx.linePatches.map((p) => p.id);
  if (othersOnly && !patchIds.length) return;
  const { rows: ds } = await client.query(
    othersOnly
      ? `SELECT d.id, d.patch_message_id, d.anchor, pm.from_address AS author
         FROM discussion d JOIN message pm ON pm.id = d.patch_message_id
         WHERE d.patch_message_id = ANY($2::bigint[]) AND NOT coalesce(d.thread_id = ANY($1::int[]), false)`
      : `SELECT d.id, d.patch_message_id, d.anchor, pm.from_address AS author
         FROM discussion d JOIN message pm ON pm.id = d.patch_message_id
         WHERE d.thread_id = ANY($1::int[]) OR d.patch_message_id = ANY($2::bigint[])`,
    [threadIds, patchIds],
  );
  if (!ds.length) return lap("load");
  const { rows: cs } = await client.query(
    `SELECT rc.discussion_id, rc.text, m.from_address FROM review_comment rc JOIN message m ON m.id = rc.message_id
     WHERE rc.discussion_id = ANY($1::bigint[]) ORDER BY rc.discussion_id, rc.id`,
    [ds.map((d) => d.id)],
  );
  lap("load");
  const byId = new Map<number, DiscussionToResolve>();
  const list: DiscussionToResolve[] = ds.map((d) => {
    const x: DiscussionToResolve = { id: d.id, patch_message_id: d.patch_message_id, anchor: d.anchor as StoredAnchor | null, author: d.author, comments: [] };
    byId.set(d.id, x);
    return x;
  });
  for (const c of cs) byId.get(c.discussion_id)!.comments.push({ text: c.text, from: c.from_address });
  await fetchTexts(client, ctx, list, lap);
  const upd = list.map((d) => ({ id: d.id, ...resolveOne(ctx, d) }));
  lap("resolve");
  await client.query(
    `UPDATE discussion d SET status = x.status, resolved_how = x.how, resolved_confidence = x.confidence, resolved_evidence = x.evidence,
       next_patch_message_id = x.next, carried_anchor = x.carried
     FROM json_to_recordset($1::json) AS x(id bigint, status text, how text, confidence float8, evidence text, next bigint, carried jsonb)
     WHERE d.id = x.id
       AND (d.status, d.resolved_how, d.resolved_confidence, d.resolved_evidence, d.next_patch_message_id, d.carried_anchor)
           IS DISTINCT FROM (x.status, x.how, x.confidence, x.evidence, x.next, x.carried)`,
    [json(upd)],
  );
  lap("write");
}
