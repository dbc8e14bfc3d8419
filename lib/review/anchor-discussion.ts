// Discussions: a reply to a review carries the review's anchors down to the comments that answer
// it (threadAnchor), and anchorReply combines that with anchoring to the patch directly.

import type { ParsedDiff } from "../patch/diff";
import { flatLines, parseBody, type BodyLine, type BodyRoot } from "../body/tree";
import { collapseSpace } from "./norm";
import type { Anchor, AnchorOptions, DiffAnchor, InlineComment, PatchSource } from "./anchor-types";
import { commentOf, commentRunsOf } from "./anchor-comment-runs";
import { anchorComments } from "./anchor-comments";

/** whitespace collapsed to one space, trimmed */
const norm = collapseSpace;

/** Same place in the patch: same file, hunk and line (or the same message line). */
export function sameAnchor(a: Anchor | null, b: Anchor | null): boolean {
  if (!a || !b || a.part !== b.part) return false;
  if (a.part === "message" && b.part === "message") return a.line === b.line;
  const x = a as DiffAnchor;
  const y = b as DiffAnchor;
  return x.fileIndex === y.fileIndex && x.hunkIndex === y.hunkIndex && x.lineIndexInHunk === y.lineIndexInHunk;
}

/**
 * A reply to a review carries the review's anchors down: each of its comments that follows a
 * quoted comment of the parent (or the patch line the parent's comment was anchored to) joins that
 * comment's discussion, with the same anchor. Comments that answer nothing of the parent are
 * general (anchor null).
 */
export function threadAnchor(parentComments: InlineComment[], reply: BodyRoot | string, opts: AnchorOptions = {}): InlineComment[] {
  const tree = typeof reply === "string" ? (opts.tree ?? parseBody(reply)) : reply;
  const flat = flatLines(tree);
  const parents = parentsOf(parentComments);
  return commentRunsOf(flat).map((run) => {
    const hit = parentFor(parents, flat, run.start);
    const c: InlineComment = { ...commentOf(run), anchor: null };
    if (hit) {
      const pa = parentComments[hit.index].anchor;
      c.inReplyTo = hit.index;
      c.anchor = pa ? { ...pa, confidence: Math.round(pa.confidence * hit.confidence * 100) / 100 } : null;
    }
    return c;
  });
}

/** the parent's comments as parentFor compares them: their lines, their text and the quoted line they follow, whitespace collapsed */
interface ParentText {
  lines: Set<string>[];
  texts: string[];
  quoted: (string | null)[];
}

function parentsOf(parents: InlineComment[]): ParentText {
  return {
    lines: parents.map((p) => new Set(p.text.split("\n").map(norm).filter((s) => s.length > 0))),
    texts: parents.map((p) => norm(p.text)),
    quoted: parents.map((p) => (p.anchor ? norm(p.anchor.quotedLine) : null)),
  };
}

function parentFor(parents: ParentText, flat: readonly BodyLine[], start: number): { index: number; confidence: number } | null {
  if (!parents.texts.length) return null;
  const parentLines = parents.lines;
  // walk up through the quote above the comment: the latest line the parent wrote decides
  let depthSeen = 0;
  for (let i = start - 1; i >= 0; i--) {
    const l = flat[i];
    if (l.kind === "blank" || l.kind === "elision") continue;
    if (l.depth === 0 || l.kind === "attribution") break;
    const c = norm(l.content);
    if (!c) continue;
    if (l.depth === 1) {
      const hits = parentLines.map((s, k) => (s.has(c) ? k : -1)).filter((k) => k >= 0);
      if (hits.length) return { index: hits[hits.length - 1], confidence: depthSeen === 0 ? 1 : 0.9 };
      // a parent line re-wrapped by the quoting client: substring of a parent comment
      if (c.length >= 12) {
        const sub = parents.texts.findIndex((t) => t.includes(c));
        if (sub >= 0) return { index: sub, confidence: 0.85 };
      }
    } else if (l.depth >= 2) {
      // the patch line the parent quoted (one level deeper here): the parent's comment below it
      const k = parents.quoted.findIndex((q) => q === c);
      if (k >= 0) return { index: k, confidence: 0.8 };
    }
    depthSeen++;
  }
  return null;
}

/**
 * A reply's comments, anchored: to the discussion of the parent's comment it answers when it
 * answers one (threadAnchor), else to the patch line its quote ends on (anchorComments), else
 * general. A comment anchored directly to the same place as a parent comment joins it too.
 */
export function anchorReply(
  reply: BodyRoot | string,
  ctx: { patch?: PatchSource | ParsedDiff | null; parentComments?: InlineComment[] | null },
  opts: AnchorOptions = {},
): InlineComment[] {
  const tree = typeof reply === "string" ? (opts.tree ?? parseBody(reply)) : reply;
  const direct = ctx.patch ? anchorComments(ctx.patch, tree) : null;
  const threaded = ctx.parentComments?.length ? threadAnchor(ctx.parentComments, tree) : null;
  const base = direct ?? threaded ?? anchorComments({ body: "" }, tree);
  return base.map((c, i) => {
    const t = threaded?.[i];
    if (t && t.inReplyTo !== undefined && (t.anchor || !c.anchor)) return t;
    if (c.anchor && ctx.parentComments) {
      const k = ctx.parentComments.findIndex((p) => sameAnchor(p.anchor, c.anchor));
      if (k >= 0) return { ...c, inReplyTo: k };
      // the answer trimmed the quote a little above where the parent commented: the parent's
      // comment a few lines further down the same hunk is the one it answers
      if (c.anchor.part === "diff") {
        const a = c.anchor;
        let best = -1;
        let bestD = 4;
        ctx.parentComments.forEach((p, j) => {
          const b = p.anchor;
          if (!b || b.part !== "diff" || b.fileIndex !== a.fileIndex || b.hunkIndex !== a.hunkIndex) return;
          const d = b.lineIndexInHunk - a.lineIndexInHunk;
          if (d >= 0 && d < bestD) {
            bestD = d;
            best = j;
          }
        });
        if (best >= 0) {
          const pa = ctx.parentComments[best].anchor!;
          return { ...c, inReplyTo: best, anchor: { ...pa, confidence: Math.round(Math.min(pa.confidence, c.anchor.confidence) * 0.85 * 100) / 100 } };
        }
      }
    }
    return c;
  });
}
