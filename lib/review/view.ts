// The review of a patch or a series as pages, the API and Markdown export read it: built from the
// stored reviews (lib/views/review.ts), rendered by app/ (the review view), by
// lib/markdown (GitHub-flavoured Markdown for pull requests) and served as JSON under /api/.
// Plain data only (JSON-safe): dates are ISO strings, ids are strings.

import type { Anchor } from "./anchor";
import type { DiffPlace } from "./placement";
import type { Verdict } from "./trailers";

export interface ReviewPerson {
  name: string;
  address: string;
}

/** A trailer given to a patch (or written in its commit message), with where it came from. */
export interface ReviewTrailerView {
  kind: string;
  value: string;
  person: ReviewPerson | null;
  /** commit-message: in the patch itself; reply: in a reply to it; cover: on the cover letter; patch-id: carried from an earlier version with the same patch-id */
  via: "commit-message" | "reply" | "cover" | "patch-id";
  /** the message it was written in, and its 0-based body line */
  msgid: string;
  line: number;
  /** names someone other than the sender: shown, not applied */
  mismatch: boolean;
}

/** One reply's verdict on a patch or a series (or a trailer the author carried into the patch's commit message). NAK is a veto. */
export interface VerdictView {
  verdict: Verdict;
  /** reply (or absent): a reply's verdict (msgid: the reply); commit-message: a Reviewed-by/Acked-by/Tested-by in the patch's own commit message (msgid: the patch), given on an earlier version */
  source?: "reply" | "commit-message";
  by: ReviewPerson;
  msgid: string;
  date: string | null;
  /** the line that gives it */
  evidence: string | null;
  /** the same reviewer gave a later verdict (a NAK taken back by an Ack or a Reviewed-by): it no longer counts */
  withdrawn?: true;
}

export interface ReviewCommentView {
  id: string;
  msgid: string;
  author: ReviewPerson;
  date: string | null;
  /** the comment text as written (own lines only) */
  text: string;
  /** the quoted lines it answers (the nearest quoted paragraph above it in the reply, a few lines, markers removed); null when none */
  quote: string[] | null;
  /** 0-based [first, last] lines in the reply body (provenance) */
  lines: [number, number];
  /** exact | fuzzy | order | thread */
  method: string;
  confidence: number;
  /** id of the comment this one answers */
  inReplyTo: string | null;
  /** written by the patch's author */
  byPatchAuthor: boolean;
}

export interface DiscussionView {
  id: string;
  /** diff: on a diff line; message: on the commit message; general: not anchored */
  part: "diff" | "message" | "general";
  anchor: Anchor | null;
  file: string | null;
  /** the line number on `side` and the hunk's heading (usually the function) */
  line: number | null;
  side: "old" | "new" | null;
  heading: string | null;
  /** the anchored code: the hunk lines up to and including the anchored line (at most a few before it), as in the patch ("+foo();") */
  code: string[];
  /** the row of the patch's diff it sits under (as the review pass placed it); null: a commit-message or general one, or not in the diff */
  place: DiffPlace | null;
  status: "open" | "resolved";
  resolvedHow: string | null;
  resolvedConfidence: number | null;
  resolvedEvidence: string | null;
  /** carried from the previous version's patch (open there), or to the next one */
  carriedFrom: { discussionId: string; patchMsgid: string } | null;
  carriedTo: { patchMsgid: string; anchor: Anchor | null } | null;
  comments: ReviewCommentView[];
}

/** A patch's review: its diff with the discussions at their lines, trailers and verdicts. */
export interface PatchReviewView {
  list: string | null;
  msgid: string;
  subject: string;
  author: ReviewPerson;
  date: string | null;
  /** rebuilt from quotes (the original is not in the archive) */
  reconstructed: boolean;
  /** the series posting it belongs to, its version, and the same patch in the other versions */
  series: { key: string; title: string; version: number; index: number | null; total: number } | null;
  versions: { version: number; isRfc: boolean; msgid: string; seriesKey: string }[];
  /** the patch mail's body; diff line numbers of anchors index it (0-based) */
  body: string;
  /** the 0-based body line its diff starts at (found when the patch was stored); null when none was */
  diffLine: number | null;
  trailers: ReviewTrailerView[];
  verdicts: VerdictView[];
  /** the strongest verdict: nak when anyone NAKed */
  verdict: Verdict | null;
  discussions: DiscussionView[];
  /** the patch's status (lib/knowledge/status workStatus, lib/views/status patchStatuses); absent in views built by hand */
  status?: { status: string; because: Record<string, unknown> | null };
}

/** A series posting's review: the series verdict on top, then each patch's review. */
export interface SeriesReviewView {
  key: string;
  title: string;
  version: number;
  list: string | null;
  cover: { msgid: string; subject: string; author: ReviewPerson; date: string | null } | null;
  /** verdicts given on the cover letter (they apply to the whole series) */
  verdicts: VerdictView[];
  /** the series' verdict: the strongest of the cover letter's and its patches' verdicts (lib/review seriesVerdict) */
  verdict: Verdict | null;
  /** the verdict of the cover letter's verdicts alone */
  coverVerdict: Verdict | null;
  /** patches with a verdict of their own or from the cover letter, of `patches.length` */
  patchesWithVerdict: number;
  /** discussions on the cover letter (general comments) */
  discussions: DiscussionView[];
  patches: PatchReviewView[];
  /** the posting's status (lib/knowledge/status workStatus, as the series page has it); absent in views built by hand */
  status?: { status: string; because: Record<string, unknown> | null };
}
