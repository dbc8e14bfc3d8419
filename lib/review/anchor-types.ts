// The anchor module's public shapes: what an inline comment is anchored to (a diff line or a
// commit message line), the patch it is matched against and the options of the entry points.

import type { ParsedDiff } from "../patch/diff";
import type { BodyRoot } from "../body/tree";

export type AnchorMethod = "exact" | "fuzzy" | "order";

export interface DiffAnchor {
  part: "diff";
  /** the file's path (new path, old path for a deleted file) */
  file: string;
  fileIndex: number;
  /** index of the hunk in the file; -1 when the quote ends on the file's header lines */
  hunkIndex: number;
  /** index of the line in hunk.lines; -1 when the quote ends on the hunk header (or file header) */
  lineIndexInHunk: number;
  side: "new" | "old";
  oldLine: number | null;
  newLine: number | null;
  /** the hunk's section heading (usually the enclosing function), "" when none */
  heading: string;
  /** the patch line as the patch has it ("+\tfoo();") */
  patchText: string;
  /** 0-based line of the patch body */
  patchLine: number;
  /** the quoted line the comment follows, as the reply quotes it (quote markers removed) */
  quotedLine: string;
  /** its 0-based line in the reply body */
  quotedAt: number;
  /** the run of changed lines ("-"/"+") the anchored line ends, as indexes into hunk.lines (from = to for a context line) */
  block: { from: number; to: number };
  /** 0..1 */
  confidence: number;
  method: AnchorMethod;
}

export interface MessageAnchor {
  part: "message";
  /** 0-based line of the patch body (commit message, notes, diffstat) */
  line: number;
  patchText: string;
  quotedLine: string;
  quotedAt: number;
  confidence: number;
  method: AnchorMethod;
}

export type Anchor = DiffAnchor | MessageAnchor;

export interface InlineComment {
  /** the comment: the replier's lines, joined (blank edges, trailers and sign-offs at its end dropped) */
  text: string;
  /** [first, last] 0-based lines of the reply body */
  lines: [number, number];
  /** the quoted lines it answers: the nearest quoted paragraph above it, its last few lines (lib/review/comment-quote); absent when none */
  quote?: string[];
  /** null: a general comment (above any quoted patch line, or after quoted text that is not the patch) */
  anchor: Anchor | null;
  /** threadAnchor: index of the parent's comment this one answers */
  inReplyTo?: number;
}

export interface PatchSource {
  /** the patch mail's body (or any text the diff was parsed from) */
  body: string;
  /** its diff, with `line` numbers indexing `body`'s lines; parsed from body when absent */
  diff?: ParsedDiff | null;
}

export interface AnchorOptions {
  /** a quote tree of the reply already built */
  tree?: BodyRoot;
}
