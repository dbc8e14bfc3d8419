// The quote a comment answers: a reply fragment such as "That doesn't work today anyhow" means
// little without the lines it was written under. quoteAbove reads them from the reply: the nearest
// quoted paragraph above the comment (blank lines, elisions and a greeting between them skipped),
// its last few lines, trimmed. The review pass stores it with the comment (review_comment.quote),
// and the review view reads it there: no reply is parsed again when a page is drawn.

import { flatLines, parseBody, type BodyLine } from "../body/tree";
import { isAttachmentMarker } from "./not-comments";

/** quoted lines a comment shows at most */
export const QUOTE_LINES = 4;
/** characters of one quoted line shown at most */
const QUOTE_WIDTH = 160;

const GREETING = /^\s*(?:hi|hello|hey|dear)\b[^.?!]{0,40}[,!]?\s*$/i;

const cut = (s: string) => {
  const t = s.replace(/\s+$/, "");
  return t.length > QUOTE_WIDTH ? `${t.slice(0, QUOTE_WIDTH - 1)}…` : t;
};

/**
 * The quoted lines the comment starting at body line `first` answers, quote markers removed (a
 * line quoted deeper than the rest keeps one "> " per extra level), or null when none is above it
 * (a top-posted comment, a comment under the replier's own text, an attribution or a cut).
 */
export function quoteAbove(flat: readonly BodyLine[], first: number, max = QUOTE_LINES): string[] | null {
  let i = Math.min(first, flat.length) - 1;
  // what may sit between the quote and the comment
  while (i >= 0) {
    const l = flat[i];
    if (l.kind === "blank" || l.kind === "elision" || (l.kind === "text" && (isAttachmentMarker(l.content) || (l.depth === 0 && GREETING.test(l.content))))) i--;
    else break;
  }
  const got: BodyLine[] = [];
  let text = 0;
  for (; i >= 0 && text < max; i--) {
    const l = flat[i];
    if (l.depth === 0 || (l.kind !== "text" && l.kind !== "diff" && l.kind !== "diffstat" && l.kind !== "blank")) break;
    if (l.kind === "text" && isAttachmentMarker(l.content)) continue;
    const blank = l.kind === "blank" || l.content.trim() === "";
    // the quoted paragraph ends at a blank line
    if (blank && text > 0) break;
    if (blank) continue;
    got.unshift(l);
    text++;
  }
  if (!got.length) return null;
  const base = Math.min(...got.map((l) => l.depth));
  return got.map((l) => "> ".repeat(l.depth - base) + cut(l.content));
}

/** quoteAbove on a reply body (as the review view reads a stored comment: its body and first line) */
export function commentQuote(body: string, first: number, max = QUOTE_LINES): string[] | null {
  return quoteAbove(flatLines(parseBody(body)), first, max);
}
