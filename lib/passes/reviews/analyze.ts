// One thread of the review pass, pure: analyzeThread's result as the rows to write (trailers, where
// they apply, reviews, discussions, comments) with ids drawn from the sequences, and the new
// discussions as resolution reads them.
import type { Queryable } from "../../db/tx";
import {
  analyzeThread,
  attributeTrailers,
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
import { clean, json } from "./json";
import type { MsgRow, SeriesRow } from "./load";
import type { DiscussionToResolve, Resolved } from "./resolve";

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

export interface Rows {
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
    /** the quoted lines it answers, [] when none */
    quote: string[];
  }[];
}

export type IdTable = "trailer" | "discussion" | "review_comment";

/**
 * Ids of new rows: while rows are made, each table's ids are numbered 0, 1, … in the order rows
 * take them; then as many ids as were taken are drawn from the tables' sequences (one query) and
 * handed out in that order (the n-th id taken is the n-th smallest drawn).
 */
export class Ids {
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
export function assignIds(rows: Rows, ids: Record<IdTable, number[]>): void {
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

export interface ThreadWork {
  threadId: number;
  msgs: MsgRow[];
  inputs: ThreadMessageInput[];
  series: SeriesRow[];
  result: ReturnType<typeof analyzeThread>;
  /** message ids of the series' patches that live in other threads (unthreaded postings: a cover-letter trailer applies to them too) */
  patchIdOutside: Map<string, number>;
}

export function threadRows(w: ThreadWork, ids: Ids, out: Rows): void {
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
        quote: (c.quote ?? []).map(clean),
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// the discussions just made, as resolution reads them

/** a string as the database stores it from json() */
const stored = (s: string): string => {
  const t = clean(s);
  return t.isWellFormed() ? t : t.toWellFormed();
};

/** The discussions just made, as resolveDiscussions would read them back once written. */
export function threadDiscussions(rows: Rows, msgById: Map<number, MsgRow>): DiscussionToResolve[] {
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
