// The block lexer under the body tree (./tree parseBody): where a body's prose, quotes (nested),
// diffs, diffstats and signature start and end, each block with the 1-based line range it spans
// in the original body (positions inside quotes point at the quoted lines). Readers use the tree,
// not these blocks. Pure and linear in the body's size; no React, no DOM. Attribution lines are
// read by lib/body/attribution (the one attribution parser).

import { attributionName, isAttributionLine, parseWrappedAttribution } from "./attribution";

export interface Position {
  /** first line, 1-based, in the original body */
  start: number;
  /** last line, inclusive */
  end: number;
}

export type DiffLineKind =
  /** `diff --git`, `Index:`, `--- a/x`, `+++ b/x`: where a file starts */
  | "file"
  /** index, mode, rename, similarity, `====`, binary patch data */
  | "meta"
  /** `@@ -a,b +c,d @@ section` */
  | "hunk"
  | "add"
  | "del"
  | "ctx"
  /** `\ No newline at end of file` */
  | "note";

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export interface TextBlock {
  type: "text";
  lines: string[];
  position: Position;
}

export interface QuoteBlock {
  type: "quote";
  /** 1 for `> x`, 2 for `> > x` / `>> x`, ... */
  depth: number;
  /** the attribution line(s) before the quote ("On Mon, ..., Jane Doe wrote:"), which stay in the text before it */
  attribution: string | null;
  /** who is quoted, taken from the attribution when it can be */
  author: string | null;
  /** how many quoted lines the block spans (lines starting with `>`) */
  quotedLines: number;
  /** the quoted content, one level of `>` removed, split into blocks again */
  children: Block[];
  position: Position;
}

export interface DiffBlock {
  type: "diff";
  lines: DiffLine[];
  position: Position;
}

export interface DiffstatBlock {
  type: "diffstat";
  lines: string[];
  position: Position;
}

export interface SignatureBlock {
  type: "signature";
  /** the lines after the `-- ` separator (the separator itself excluded) */
  lines: string[];
  position: Position;
}

export type Block = TextBlock | QuoteBlock | DiffBlock | DiffstatBlock | SignatureBlock;

/** Quotes nested deeper than this are left as text (a guard against pathological input). */
export const MAX_QUOTE_DEPTH = 32;

const QUOTE = /^>/;
const SIG = "-- ";
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const HUNK_LOOSE = /^@@ .*@@/;
const DIFF_CMD = /^diff (?:--git|--cc|--combined|-[a-zA-Z]) ?\S/;
const INDEX = /^Index: \S/;
const RULE = /^={10,}\s*$/;
const OLD_FILE = /^--- \S/;
const NEW_FILE = /^\+\+\+ \S/;
const META =
  /^(?:index [0-9a-fA-F]+|new file mode |deleted file mode |old mode |new mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files |GIT binary patch\s*$|(?:literal|delta) \d+\s*$)/;
const BASE85 = /^[0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]+$/;
const STAT = /^ ?\S.*?\s+\|\s+(?:\d+(?: [+-]+)?|Bin(?: \d+ -> \d+ bytes)?)\s*$/;
const STAT_SUMMARY = /^ ?\d+ files? changed(?:, \d+ insertions?\(\+\))?(?:, \d+ deletions?\(-\))?\s*$/;
const STAT_AFTER = /^ (?:create mode |delete mode |rename |copy |mode change )/;

export interface ParseBlocksOptions {
  /**
   * false: quotes are not parsed inside (children [], attribution and author null), for callers
   * that only read the top-level blocks (parseBody's `quotes: false`): the same top-level blocks,
   * several times cheaper on replies.
   */
  quotes?: boolean;
}

/** Splits a message body into blocks. `\r\n` line ends are accepted. */
export function parseBlocks(body: string, opts: ParseBlocksOptions = {}): Block[] {
  const text = body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body;
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  if (lines.length === 1 && lines[0] === "") return [];
  return parseLines(lines, lines.map((_, i) => i + 1), 0, opts.quotes !== false);
}

function diffStartsAt(lines: string[], i: number): boolean {
  const l = lines[i];
  if (DIFF_CMD.test(l)) return true;
  if (INDEX.test(l) && i + 1 < lines.length && RULE.test(lines[i + 1])) return true;
  if (OLD_FILE.test(l) && i + 1 < lines.length && NEW_FILE.test(lines[i + 1])) return true;
  if (HUNK.test(l)) return true;
  // a hunk header without counts, as some tools and hand edits write them
  if (HUNK_LOOSE.test(l) && i + 1 < lines.length && /^[-+ ]/.test(lines[i + 1])) return true;
  return false;
}

/** Index past the diff that starts at i. Lines are classified into out. */
function consumeDiff(lines: string[], i: number, out: DiffLine[]): number {
  let j = i;
  let oldLeft = 0;
  let newLeft = 0;
  /** inside a hunk whose header had no usable counts: take +/-/space lines by their look */
  let loose = false;
  let binary = false;
  let afterIndex = false;
  while (j < lines.length) {
    const l = lines[j];
    if (oldLeft > 0 || newLeft > 0) {
      const c = l[0];
      if (c === "+" && newLeft > 0) {
        out.push({ kind: "add", text: l });
        newLeft--;
        j++;
        continue;
      }
      if (c === "-" && oldLeft > 0) {
        out.push({ kind: "del", text: l });
        oldLeft--;
        j++;
        continue;
      }
      if ((c === " " || l === "") && oldLeft > 0 && newLeft > 0) {
        out.push({ kind: "ctx", text: l });
        oldLeft--;
        newLeft--;
        j++;
        continue;
      }
      if (c === "\\") {
        out.push({ kind: "note", text: l });
        j++;
        continue;
      }
      // the hunk ends early (trimmed in a reply, or miscounted): see whether the diff goes on
      oldLeft = newLeft = 0;
    }
    if (loose) {
      const c = l[0];
      if (l === SIG && !(j + 1 < lines.length && /^[-+ @\\]/.test(lines[j + 1]))) break;
      if (c === "+" || c === "-" || c === " ") {
        if (!(OLD_FILE.test(l) && j + 1 < lines.length && NEW_FILE.test(lines[j + 1]))) {
          out.push({ kind: c === "+" ? "add" : c === "-" ? "del" : "ctx", text: l });
          j++;
          continue;
        }
      }
      loose = false;
    }
    if (l.startsWith("\\")) {
      out.push({ kind: "note", text: l });
      j++;
      continue;
    }
    const h = HUNK.exec(l);
    if (h) {
      oldLeft = h[2] === undefined ? 1 : Number(h[2]);
      newLeft = h[4] === undefined ? 1 : Number(h[4]);
      binary = afterIndex = false;
      out.push({ kind: "hunk", text: l });
      j++;
      continue;
    }
    if (HUNK_LOOSE.test(l)) {
      loose = true;
      binary = afterIndex = false;
      out.push({ kind: "hunk", text: l });
      j++;
      continue;
    }
    if (DIFF_CMD.test(l) || INDEX.test(l)) {
      binary = false;
      afterIndex = INDEX.test(l);
      out.push({ kind: "file", text: l });
      j++;
      continue;
    }
    if (afterIndex && RULE.test(l)) {
      out.push({ kind: "meta", text: l });
      j++;
      continue;
    }
    if (OLD_FILE.test(l) && j + 1 < lines.length && NEW_FILE.test(lines[j + 1])) {
      out.push({ kind: "file", text: l }, { kind: "file", text: lines[j + 1] });
      j += 2;
      continue;
    }
    if (META.test(l)) {
      if (/^GIT binary patch/.test(l)) binary = true;
      out.push({ kind: "meta", text: l });
      j++;
      continue;
    }
    if (binary && (BASE85.test(l) || (l === "" && j + 1 < lines.length && /^(?:literal|delta) \d+/.test(lines[j + 1])))) {
      out.push({ kind: "meta", text: l });
      j++;
      continue;
    }
    break;
  }
  // blank lines at the end were taken as context of a trimmed hunk: give them back
  while (j > i + 1 && out.length > 1 && out[out.length - 1].text === "" && out[out.length - 1].kind !== "meta") {
    out.pop();
    j--;
  }
  return j;
}

/** A changed line that looks like code: "+\tfoo();", "-#include <x.h>", "+}" */
const CODE_CHANGE = /^[-+](?:\t|$|#\w|.*[;{}(),]\s*$)/;

/**
 * Inside a quote, reviewers keep a few lines of a patch without its headers ("> -\tfoo();",
 * "> +\tbar();"). A run of lines starting with "+", "-" or " " counts as such a fragment
 * when every +/- line in it looks like code. Returns the index past it, or i. When there is none,
 * `none.until` is set to the index below which no fragment starts either (a later start in the
 * same run meets the same line that is no code, or the same run without a change), so a long run
 * is not scanned again from each of its lines.
 */
function fragmentEndsAt(lines: string[], i: number, none?: { until: number }): number {
  let j = i;
  let changed = 0;
  while (j < lines.length && /^[-+ ]/.test(lines[j]) && lines[j] !== SIG) {
    const l = lines[j];
    if (l[0] !== " ") {
      if (!CODE_CHANGE.test(l) || OLD_FILE.test(l) || NEW_FILE.test(l)) {
        if (none) none.until = j + 1;
        return i;
      }
      changed++;
    }
    j++;
  }
  if (!changed && none) none.until = j;
  return changed ? j : i;
}

function diffstatEndsAt(lines: string[], i: number): number {
  let j = i;
  while (j < lines.length && STAT.test(lines[j]) && !STAT_SUMMARY.test(lines[j])) j++;
  if (j >= lines.length || !STAT_SUMMARY.test(lines[j])) return i;
  j++;
  while (j < lines.length && STAT_AFTER.test(lines[j])) j++;
  return j;
}

function isBlank(s: string): boolean {
  return s.trim() === "";
}

/** The attribution line(s) at the end of the text before a quote, if any (read by lib/body/attribution). */
function findAttribution(text: string[]): string | null {
  let k = text.length - 1;
  while (k >= 0 && isBlank(text[k])) k--;
  if (k < 0) return null;
  const last = text[k].trim();
  // long attributions wrap: "On Mon, 1 Jan 2024 at 10:00, Jane Doe\n<jane@example.org> wrote:"
  if (k > 0 && !isBlank(text[k - 1])) {
    const w = parseWrappedAttribution(text[k - 1], last);
    if (w) return w.raw;
  }
  return isAttributionLine(last) ? last : null;
}

function stripQuote(l: string): string {
  // one level: ">" and one optional space after it
  return l.replace(/^> ?/, "");
}

function parseLines(lines: string[], lineNos: number[], depth: number, quotes = true): Block[] {
  const blocks: Block[] = [];
  let text: string[] = [];
  let textStart = 0;
  const flushText = (end: number) => {
    if (text.length && text.some((l) => !isBlank(l))) {
      blocks.push({ type: "text", lines: text, position: { start: lineNos[textStart], end: lineNos[end - 1] } });
    }
    text = [];
  };
  let i = 0;
  const n = lines.length;
  const noFragment = { until: 0 };
  while (i < n) {
    const l = lines[i];
    if (l === SIG) {
      flushText(i);
      const rest = lines.slice(i + 1);
      blocks.push({ type: "signature", lines: rest, position: { start: lineNos[i], end: lineNos[n - 1] } });
      return blocks;
    }
    if (QUOTE.test(l) && depth < MAX_QUOTE_DEPTH) {
      // the run of quoted lines, with blank lines inside it (not at its ends)
      let j = i;
      let last = i;
      while (j < n) {
        if (QUOTE.test(lines[j])) {
          last = j;
          j++;
        } else if (isBlank(lines[j])) j++;
        else break;
      }
      if (!quotes) {
        flushText(i);
        let quoted = 0;
        for (let k = i; k <= last; k++) if (lines[k][0] === ">") quoted++;
        blocks.push({ type: "quote", depth: depth + 1, attribution: null, author: null, quotedLines: quoted, children: [], position: { start: lineNos[i], end: lineNos[last] } });
        i = last + 1;
        textStart = i;
        continue;
      }
      const attribution = findAttribution(text);
      flushText(i);
      const inner: string[] = [];
      const innerNos: number[] = [];
      let quoted = 0;
      for (let k = i; k <= last; k++) {
        if (QUOTE.test(lines[k])) {
          quoted++;
          inner.push(stripQuote(lines[k]));
        } else inner.push("");
        innerNos.push(lineNos[k]);
      }
      blocks.push({
        type: "quote",
        depth: depth + 1,
        attribution,
        author: attribution ? attributionName(attribution) : null,
        quotedLines: quoted,
        children: parseLines(inner, innerNos, depth + 1),
        position: { start: lineNos[i], end: lineNos[last] },
      });
      i = last + 1;
      textStart = i;
      continue;
    }
    if (diffStartsAt(lines, i)) {
      const dl: DiffLine[] = [];
      const j = consumeDiff(lines, i, dl);
      if (j > i) {
        flushText(i);
        blocks.push({ type: "diff", lines: dl, position: { start: lineNos[i], end: lineNos[j - 1] } });
        i = j;
        textStart = i;
        continue;
      }
    }
    if (depth > 0 && (l[0] === "+" || l[0] === "-" || l[0] === " ")) {
      const j = i < noFragment.until ? i : fragmentEndsAt(lines, i, noFragment);
      if (j > i) {
        flushText(i);
        const dl: DiffLine[] = lines.slice(i, j).map((t) => ({ kind: t[0] === "+" ? "add" : t[0] === "-" ? "del" : "ctx", text: t }));
        blocks.push({ type: "diff", lines: dl, position: { start: lineNos[i], end: lineNos[j - 1] } });
        i = j;
        textStart = i;
        continue;
      }
    }
    if ((l.includes("|") && STAT.test(l)) || STAT_SUMMARY.test(l)) {
      const j = diffstatEndsAt(lines, i);
      if (j > i) {
        flushText(i);
        blocks.push({ type: "diffstat", lines: lines.slice(i, j), position: { start: lineNos[i], end: lineNos[j - 1] } });
        i = j;
        textStart = i;
        continue;
      }
    }
    if (!text.length) textStart = i;
    text.push(l);
    i++;
  }
  flushText(n);
  return blocks;
}
