// Anchoring a reply's comments to the patch (anchorComments): the quoted line each comment follows,
// its aligned patch line, and the Anchor made from it (file, hunk, side, line numbers, block).

import type { FileDiff, ParsedDiff } from "../patch/diff";
import { flatLines, parseBody, type BodyLine, type BodyRoot } from "../body/tree";
import type { Anchor, AnchorMethod, AnchorOptions, InlineComment, PatchSource } from "./anchor-types";
import { patchIndex, type PatchIndex, type Target } from "./anchor-patch-index";
import { quotedLines, type Match, type QLine } from "./anchor-quoted-lines";
import { align, type Alignment } from "./anchor-align";
import { commentOf, commentRunsOf, type CommentRun } from "./anchor-comment-runs";

function blockOf(f: FileDiff, hunkIndex: number, li: number): { from: number; to: number } {
  const h = f.hunks[hunkIndex];
  if (!h || li < 0) return { from: li, to: li };
  const k = h.lines[li]?.kind;
  if (k !== "+" && k !== "-") return { from: li, to: li };
  let from = li;
  while (from > 0 && (h.lines[from - 1].kind === "+" || h.lines[from - 1].kind === "-")) from--;
  return { from, to: li };
}

function anchorFor(idx: PatchIndex, t: Target, quoted: QLine, m: Match, confidenceFactor: number, quotedAt: number): Anchor {
  const confidence = Math.round(Math.max(0, Math.min(1, m.confidence * confidenceFactor)) * 100) / 100;
  const method: AnchorMethod = confidenceFactor < 1 && m.method === "exact" ? "order" : m.method;
  if (t.kind === "msg") {
    return { part: "message", line: t.patchLine, patchText: t.text, quotedLine: quoted.raw, quotedAt, confidence, method };
  }
  const f = idx.diff.files[t.fileIndex];
  const h = t.hunkIndex >= 0 ? f.hunks[t.hunkIndex] : null;
  let side: "new" | "old" = "new";
  let oldLine: number | null = null;
  let newLine: number | null = null;
  if (h && t.lineIndex >= 0) {
    let dl = h.lines[t.lineIndex];
    // the "\ No newline at end of file" marker speaks for the line above it
    if (dl.kind === "\\" && t.lineIndex > 0) dl = h.lines[t.lineIndex - 1];
    oldLine = dl.oldLine;
    newLine = dl.newLine;
    side = dl.kind === "-" ? "old" : "new";
  } else if (h) {
    oldLine = h.oldStart;
    newLine = h.newStart;
  }
  return {
    part: "diff",
    file: f.path,
    fileIndex: t.fileIndex,
    hunkIndex: t.hunkIndex,
    lineIndexInHunk: h ? t.lineIndex : -1,
    side,
    oldLine,
    newLine,
    heading: h?.heading ?? "",
    patchText: t.text,
    patchLine: t.patchLine,
    quotedLine: quoted.raw,
    quotedAt,
    block: h ? blockOf(f, t.hunkIndex, t.lineIndex) : { from: -1, to: -1 },
    confidence,
    method,
  };
}

/** The quoted line a comment follows: the nearest quoted line above it (blank lines and elisions skipped). */
function quotedAbove(flat: readonly BodyLine[], start: number): { line: number; elided: boolean } | null {
  let elided = false;
  for (let i = start - 1; i >= 0; i--) {
    const l = flat[i];
    if (l.kind === "elision") {
      elided = true;
      continue;
    }
    if (l.kind === "blank") continue;
    if (l.depth === 0) return null;
    if (l.kind === "attribution") return null;
    return { line: i, elided };
  }
  return null;
}

/**
 * Anchors every comment of a reply to the patch line (or commit message line) its quote ends on.
 * `patch` is the patch mail's body with its diff (a patch rebuilt from quotes works the same way),
 * or a ParsedDiff alone (then only diff lines can be anchored).
 */
export function anchorComments(patch: PatchSource | ParsedDiff, reply: BodyRoot | string, opts: AnchorOptions = {}): InlineComment[] {
  const tree = typeof reply === "string" ? (opts.tree ?? parseBody(reply)) : reply;
  const flat = flatLines(tree);
  const quoted = quotedLines(flat, 1);
  const runs = commentRunsOf(flat);
  // a reply that quotes nothing (of any patch) anchors nothing: the patch need not be read
  if (!quoted.length) return runs.map((run) => ({ ...commentOf(run), anchor: null }));
  const idx = patchIndex(patch);
  const al = align(idx, quoted);
  return runs.map((run) => ({ ...commentOf(run), anchor: anchorRun(idx, al, flat, run) }));
}

function anchorRun(idx: PatchIndex, al: Alignment, flat: readonly BodyLine[], run: CommentRun): Anchor | null {
  const above = quotedAbove(flat, run.start);
  if (!above) return null;
  const qi = above.line < al.qAt.length ? al.qAt[above.line] : -1;
  if (qi < 0) return null;
  const factor = above.elided ? 0.9 : 1;
  const m = al.match[qi];
  if (m) return anchorFor(idx, idx.targets[m.t], al.q[qi], m, factor, above.line);
  // the last quoted line is not the patch's: the nearest aligned line above it in the same segment
  for (let k = qi - 1; k >= 0 && al.q[k].seg === al.q[qi].seg; k--) {
    const mk = al.match[k];
    if (mk) return anchorFor(idx, idx.targets[mk.t], al.q[k], mk, factor * 0.7, al.q[k].at);
  }
  return null;
}
