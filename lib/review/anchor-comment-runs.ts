// The replier's comments: runs of lines the replier wrote, cut at quotes, attributions and
// elisions, with greetings, trailers, valedictions and signatures dropped; mutt's attachment
// markers cut a run too, and runs that are only a ping or only links are not comments (not-comments.ts).

import type { BodyLine } from "../body/tree";
import { isAttachmentMarker, isNotAComment } from "./not-comments";
import { quoteAbove } from "./comment-quote";

const TRAILERISH = /^\s*[\p{L}\p{N}_][\w-]*-by:\s+\S|^\s*(?:Fixes|Link|Closes|Cc):\s+\S/iu;
const VALEDICTION =
  /^\s*(?:thanks?(?: you)?(?: a lot| again| and regards| & regards)?|many thanks|thx|regards|best regards|kind regards|warm regards|best wishes|best|cheers|br|greetings|ciao|ta|hth|sincerely|yours|gr\{oetje,eeting\}s|--+|-)[,.!]*(?:\s+[\p{Lu}][\p{L}.'-]*(?:\s+[\p{Lu}][\p{L}.'-]*)?)?\s*$/iu;
const NAME_LINE = /^[\p{Lu}][\p{L}'-]*(?:\s+[\p{Lu}][\p{L}.'-]*){0,2}$/u;
const GREETING = /^\s*(?:hi|hello|hey|dear)\b[^.?!]{0,40}[,!]?\s*$/i;

export interface CommentRun {
  lines: number[];
  text: string;
  /** the first line of the run before greetings were dropped: where the quote above it ends */
  start: number;
  /** the quoted lines it answers (quoteAbove), null when none is above it */
  quote: string[] | null;
}

/** a run as an InlineComment's own fields (its text, lines and the quote it answers) */
export function commentOf(run: CommentRun): { text: string; lines: [number, number]; quote?: string[] } {
  const c: { text: string; lines: [number, number]; quote?: string[] } = { text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]] };
  if (run.quote) c.quote = run.quote;
  return c;
}

/** Drops what ends a message rather than comments on code: trailers, "Thanks,", the name under it. */
function trimSignoff(flat: readonly BodyLine[], ls: number[]): number[] {
  const c = (i: number) => flat[i].content.trim();
  let out = ls.slice();
  const dropBlank = () => {
    while (out.length && c(out[out.length - 1]) === "") out.pop();
  };
  // a signature written with "--" (no space) near the end
  for (let k = Math.max(0, out.length - 6); k < out.length; k++) {
    if (/^--\s*$/.test(flat[out[k]].content) && k > 0) {
      out = out.slice(0, k);
      break;
    }
  }
  dropBlank();
  for (;;) {
    if (!out.length) break;
    const last = c(out[out.length - 1]);
    if (TRAILERISH.test(last) || VALEDICTION.test(last)) {
      out.pop();
      dropBlank();
      continue;
    }
    if (NAME_LINE.test(last) && last.length <= 30) {
      // a name alone: under "Thanks," or a trailer, indented to the right, or as the whole run
      let k = out.length - 2;
      while (k >= 0 && c(out[k]) === "") k--;
      const indented = /^(?:\t|\s{4,})/.test(flat[out[out.length - 1]].content);
      if (k < 0 || indented || TRAILERISH.test(c(out[k])) || VALEDICTION.test(c(out[k]))) {
        out.pop();
        dropBlank();
        continue;
      }
    }
    break;
  }
  while (out.length && (c(out[0]) === "" || GREETING.test(flat[out[0]].content))) out.shift();
  return out;
}

const runsCache = new WeakMap<readonly BodyLine[], CommentRun[]>();

/** commentRuns, once per reply (anchorComments and threadAnchor both read them) */
export function commentRunsOf(flat: readonly BodyLine[]): CommentRun[] {
  let runs = runsCache.get(flat);
  if (!runs) runsCache.set(flat, (runs = commentRuns(flat)));
  return runs;
}

/** Runs of lines the replier wrote (prose and own diffs), cut at quotes, attributions, elisions and the signature. */
function commentRuns(flat: readonly BodyLine[]): CommentRun[] {
  const runs: number[][] = [];
  let cur: number[] = [];
  const end = () => {
    if (cur.length) runs.push(cur);
    cur = [];
  };
  for (const l of flat) {
    if (l.depth === 0 && (l.kind === "signature" || l.kind === "footer")) break;
    if (l.depth === 0 && (l.kind === "text" || l.kind === "blank" || l.kind === "diff" || l.kind === "diffstat")) {
      // "[-- Attachment #2: signature.asc --]": where a MIME part starts, not the replier's words
      if (l.kind === "text" && isAttachmentMarker(l.content)) {
        end();
        continue;
      }
      cur.push(l.line);
      continue;
    }
    end();
  }
  end();
  const out: CommentRun[] = [];
  for (const r of runs) {
    const ls = trimSignoff(flat, r);
    if (!ls.length) continue;
    // only trailers (and what ends a message) left: a verdict, not a comment on code
    if (ls.every((i) => flat[i].content.trim() === "" || TRAILERISH.test(flat[i].content) || VALEDICTION.test(flat[i].content))) continue;
    const text = ls.map((i) => flat[i].content).join("\n").trim();
    // a ping ("Gentle ping", "Any comments on this?"), a bare link or Message-ID: not a comment on code
    if (isNotAComment(text)) continue;
    out.push({ lines: ls, text, start: r[0], quote: quoteAbove(flat, ls[0]) });
  }
  return out;
}
