// Per-message review analysis: what the database layer runs on each message (pure, parallel).
// See lib/review/index.ts for the whole module and thread.ts for the per-thread pass.

import type { ParsedDiff } from "../patch/diff";
import { anchorReply, type InlineComment, type PatchSource } from "./anchor";
import type { AttributionOptions } from "../body/attribution";
import { parseBody, type BodyRoot } from "../body/tree";
import { collectTrailersDetailed, verdictOf, type RejectedTrailer, type Trailer, type VerdictResult } from "./trailers";

export interface PatchReview {
  /** the commit message's trailers (Signed-off-by, Reviewed-by, Fixes, Link, …) */
  trailers: Trailer[];
  rejected: RejectedTrailer[];
}

/** A patch mail: the trailers of its commit message. */
export function analyzePatchMessage(body: string): PatchReview {
  return collectTrailersDetailed(body, { source: "commit-message" });
}

export interface ReplyContext {
  /** the sender (From:), for the trailer mismatch check */
  from?: { name: string; address: string } | null;
  /** the patch the reply answers (its body and diff; a patch rebuilt from quotes works too) */
  patch?: PatchSource | ParsedDiff | null;
  /** the inline comments of the message this one answers, when that message is itself a review */
  parentComments?: InlineComment[] | null;
  /** the reply's date (ISO): reads ambiguous "02/11/2017" attribution dates */
  date?: string | null;
  /** false: the quote tree's attributions are read without their dates (for callers that do not use the tree) */
  attributionDates?: boolean;
}

export interface ReplyReview {
  tree: BodyRoot;
  trailers: Trailer[];
  rejected: RejectedTrailer[];
  verdict: VerdictResult;
  /** the replier's comments, each anchored to a patch line, a commit-message line, a parent discussion, or general */
  comments: InlineComment[];
}

/** A reply: its quote tree, trailers (with mismatches flagged), verdict and anchored comments. */
export function analyzeReply(body: string, ctx: ReplyContext = {}): ReplyReview {
  const opts: AttributionOptions = ctx.attributionDates === false ? { dayHint: ctx.date ?? null, dates: false } : { dayHint: ctx.date ?? null };
  const tree = parseBody(body, opts);
  const { trailers, rejected } = collectTrailersDetailed(body, { source: "reply", from: ctx.from ?? null, tree });
  const verdict = verdictOf(body, { tree, trailers });
  const comments = anchorReply(tree, { patch: ctx.patch ?? null, parentComments: ctx.parentComments ?? null });
  return { tree, trailers, rejected, verdict, comments };
}
