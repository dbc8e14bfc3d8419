// One thread's reviews in one pure pass, for the database layer: per message its trailers, verdict
// and inline comments (each reply anchored to the nearest patch above it, answers to reviews joined
// to their discussions), per series the reply trailers each patch gets.
//
// Messages are taken parents first (In-Reply-To), so a reply sees its parent's comments. A patch
// is any message with `patch` set: a submitted patch (lib/patch splitPatchMail isPatch) or a patch
// lib/archive-pages rebuilt from quotes (a ghost) — both are reviewed the same way.

import type { ParsedDiff } from "../patch/diff";
import type { InlineComment, PatchSource } from "./anchor";
import { analyzePatchMessage, analyzeReply } from "./analyze";
import { attributeTrailers, isTrailerReply, type AppliedTrailer, type RejectedTrailer, type Trailer, type TrailerMessage, type VerdictResult } from "./trailers";

export interface ThreadMessageInput {
  msgid: string;
  inReplyTo: string | null;
  /** References, oldest first */
  references: string[];
  subject: string;
  from: { name: string; address: string };
  /** ISO date */
  date: string | null;
  /** the text body */
  body: string;
  /** set when the message is a patch: the text its diff was parsed from (the body, or the attachment holding the patch), the diff, its patch-id */
  patch?: { body: string; diff: ParsedDiff; patchId?: string | null; version?: number | null } | null;
}

export interface SeriesInputForTrailers {
  id: string;
  cover: string | null;
  /** the series' patches (msgids), in order */
  patches: string[];
}

export interface MessageReviewResult {
  msgid: string;
  /** "patch": its commit-message trailers; "reply": its own trailers, comments, verdict */
  kind: "patch" | "reply" | "other";
  trailers: Trailer[];
  rejected: RejectedTrailer[];
  verdict: VerdictResult | null;
  comments: InlineComment[];
  /** the patch the comments are anchored to (the nearest patch above the message), null when none */
  patchMsgid: string | null;
  /** the message whose comments this one's `inReplyTo` indexes point into */
  parentMsgid: string | null;
}

export interface SeriesTrailers {
  id: string;
  /** per patch msgid: the trailers given in replies, on the cover letter, or on the same patch in another version */
  perPatch: Map<string, AppliedTrailer[]>;
  /** trailers naming someone other than their sender: shown, not applied */
  mismatches: AppliedTrailer[];
}

/** parents before children (In-Reply-To), else input order */
function parentsFirst(ms: ThreadMessageInput[]): ThreadMessageInput[] {
  const byId = new Map(ms.map((m) => [m.msgid, m]));
  const out: ThreadMessageInput[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (m: ThreadMessageInput) => {
    const s = state.get(m.msgid);
    if (s) return;
    state.set(m.msgid, 1);
    const p = m.inReplyTo ? byId.get(m.inReplyTo) : undefined;
    if (p && !state.get(p.msgid)) visit(p);
    state.set(m.msgid, 2);
    out.push(m);
  };
  for (const m of ms) visit(m);
  return out;
}

/** Reviews of a whole thread: per message, and per series the trailers each patch gets. */
export function analyzeThread(messages: ThreadMessageInput[], series: SeriesInputForTrailers[] = []): { messages: Map<string, MessageReviewResult>; series: SeriesTrailers[] } {
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const results = new Map<string, MessageReviewResult>();
  const nearestPatch = (m: ThreadMessageInput): ThreadMessageInput | null => {
    const seen = new Set<string>([m.msgid]);
    let p = m.inReplyTo ? byId.get(m.inReplyTo) : undefined;
    while (p && !seen.has(p.msgid)) {
      if (p.patch) return p;
      seen.add(p.msgid);
      p = p.inReplyTo ? byId.get(p.inReplyTo) : undefined;
    }
    return null;
  };
  const trailerMsgs: TrailerMessage[] = [];
  // one PatchSource per patch, shared by its replies (lib/review/anchor indexes a patch once per PatchSource)
  const sources = new Map<ThreadMessageInput, PatchSource>();
  const sourceOf = (p: ThreadMessageInput, patch: NonNullable<ThreadMessageInput["patch"]>): PatchSource => {
    let src = sources.get(p);
    if (!src) sources.set(p, (src = { body: patch.body, diff: patch.diff }));
    return src;
  };
  for (const m of parentsFirst(messages)) {
    if (m.patch) {
      const r = analyzePatchMessage(m.patch.body);
      results.set(m.msgid, { msgid: m.msgid, kind: "patch", trailers: r.trailers, rejected: r.rejected, verdict: null, comments: [], patchMsgid: m.msgid, parentMsgid: null });
      trailerMsgs.push({ msgid: m.msgid, inReplyTo: m.inReplyTo, references: m.references, isReply: false, hasDiff: true, trailers: [] });
      continue;
    }
    const patch = nearestPatch(m);
    const parent = m.inReplyTo ? results.get(m.inReplyTo) : undefined;
    // the parent's comments count when they are anchored to the same patch
    const parentComments = parent && parent.kind === "reply" && parent.patchMsgid === (patch?.msgid ?? null) ? parent.comments : null;
    const r = analyzeReply(m.body, {
      from: m.from,
      date: m.date,
      patch: patch?.patch ? sourceOf(patch, patch.patch) : null,
      parentComments,
      // (the tree is not kept: its attributions' dates are not read)
      attributionDates: false,
    });
    const isReply = isTrailerReply({ subject: m.subject, inReplyTo: m.inReplyTo, hasDiff: false, hasTrailers: r.trailers.some((t) => !t.offered) });
    results.set(m.msgid, {
      msgid: m.msgid,
      kind: isReply ? "reply" : "other",
      trailers: r.trailers,
      rejected: r.rejected,
      verdict: r.verdict,
      comments: r.comments,
      patchMsgid: patch?.msgid ?? null,
      parentMsgid: parentComments ? m.inReplyTo : null,
    });
    trailerMsgs.push({ msgid: m.msgid, inReplyTo: m.inReplyTo, references: m.references, isReply, hasDiff: false, trailers: isReply ? r.trailers : [] });
  }
  const patchIds = new Map<string, string | null>();
  const versionOf = new Map<string, number | null>();
  for (const m of messages) if (m.patch) {
    patchIds.set(m.msgid, m.patch.patchId ?? null);
    versionOf.set(m.msgid, m.patch.version ?? null);
  }
  const out: SeriesTrailers[] = series.map((s) => {
    const r = attributeTrailers(trailerMsgs, { cover: s.cover, patches: s.patches, patchIds, versionOf });
    return { id: s.id, perPatch: r.perPatch, mismatches: r.mismatches };
  });
  return { messages: results, series: out };
}
