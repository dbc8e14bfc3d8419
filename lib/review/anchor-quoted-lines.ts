// The reply side of matching: the lines a reply quotes, classified the way patch lines are, and
// the shape of a quoted line's match to a patch line.

import type { BodyLine } from "../body/tree";
import type { AnchorMethod } from "./anchor-types";
import { classify } from "./anchor-patch-index";

export interface QLine {
  /** body line of the (first) quoted line */
  at: number;
  /** body lines joined into this logical line (wrapped tails) */
  lines: number[];
  depth: number;
  raw: string;
  prefix: string;
  content: string;
  nums?: string;
  /** segment: a run of consecutive quoted body lines (own text, attributions or elisions end it) */
  seg: number;
  blank: boolean;
}

export interface Match {
  t: number;
  method: AnchorMethod;
  confidence: number;
}

export function quotedLines(flat: readonly BodyLine[], minDepth: number): QLine[] {
  const out: QLine[] = [];
  let seg = 0;
  let prevAt = -2;
  for (const l of flat) {
    const quoted = l.depth >= minDepth && (l.kind === "text" || l.kind === "diff" || l.kind === "diffstat" || l.kind === "blank");
    if (!quoted || l.depth === 0) {
      if (l.depth === 0 || l.kind === "attribution" || l.kind === "elision") prevAt = -2;
      continue;
    }
    if (l.line !== prevAt + 1) seg++;
    prevAt = l.line;
    const c = classify(l.content);
    out.push({ at: l.line, lines: [l.line], depth: l.depth, raw: l.content, prefix: c.prefix, content: c.content, nums: c.nums, seg, blank: c.content === "" });
  }
  return out;
}
