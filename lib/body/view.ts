// The body tree as the message page shows it: the blocks the page draws, in order. The page keeps
// what a reader sees in the mail together: prose with the attribution lines, elision markers,
// list footers and Outlook header blocks it holds draws as one block of text, a quote as a
// foldable block labelled with who is quoted, a diff with each line's kind, the signature with
// everything after its "-- " line. Pure; no React.

import type { DiffLine } from "./blocks";
import { isHeaderQuote, lineAtLevel, type BodyContent, type BodyRoot, type QuoteNode } from "./tree";

export interface TextView {
  type: "text";
  /** the lines, blank lines at both ends dropped */
  lines: string[];
}

export interface QuoteView {
  type: "quote";
  /** 1 for `> x`, 2 for `> > x`, … (">" markers: a quote under an Outlook header block draws as text) */
  depth: number;
  /** the lines of the quote that start with ">" */
  quotedLines: number;
  /** who is quoted (QuoteNode data.quotedFrom) */
  quotedFrom: string | null;
  children: BlockView[];
}

export interface DiffView {
  type: "diff";
  lines: DiffLine[];
}

export interface DiffstatView {
  type: "diffstat";
  lines: string[];
}

export interface SignatureView {
  type: "signature";
  /** the lines after the "-- " line, blank lines at both ends dropped */
  lines: string[];
}

export type BlockView = TextView | QuoteView | DiffView | DiffstatView | SignatureView;

/** The blocks of a body tree as the page draws them. */
export function bodyView(root: BodyRoot): BlockView[] {
  return levelView(root, root.children, 0, root.data.lines - 1);
}

/** Leading and trailing blank lines removed. */
export function trimBlankEdges(lines: string[]): string[] {
  let a = 0;
  let z = lines.length;
  while (a < z && lines[a].trim() === "") a++;
  while (z > a && lines[z - 1].trim() === "") z--;
  return lines.slice(a, z);
}

/** The nodes of one ">" level in order, header quotes opened in place (their header lines stand for them). */
function* levelNodes(ns: BodyContent[]): Generator<BodyContent | { type: "header"; quote: QuoteNode }> {
  for (const n of ns) {
    if (n.type === "quote" && isHeaderQuote(n)) {
      yield { type: "header", quote: n };
      yield* levelNodes(n.children);
    } else yield n;
  }
}

/** The blocks of the nodes at `markers` levels of ">" whose lines end at body line `last`. */
function levelView(root: BodyRoot, ns: BodyContent[], markers: number, last: number): BlockView[] {
  const out: BlockView[] = [];
  // the body lines of the prose block being gathered: text, elisions, footers, attributions
  let from = -1;
  let to = -1;
  const take = (p: { start: { line: number }; end: { line: number } }) => {
    if (from < 0 || p.start.line < from) from = p.start.line;
    if (p.end.line > to) to = p.end.line;
  };
  const flush = () => {
    if (from < 0) return;
    const lines: string[] = [];
    for (let l = from; l <= to; l++) lines.push(lineAtLevel(root, l, markers));
    const kept = trimBlankEdges(lines);
    if (kept.length) out.push({ type: "text", lines: kept });
    from = to = -1;
  };
  for (const n of levelNodes(ns)) {
    switch (n.type) {
      case "text":
      case "elision":
      case "footer":
        take(n.position);
        break;
      case "header":
        if (n.quote.attribution) take(n.quote.attribution.position);
        break;
      case "quote":
        if (n.attribution) take(n.attribution.position);
        flush();
        out.push({
          type: "quote",
          depth: markers + 1,
          quotedLines: n.data.quotedLines,
          quotedFrom: n.data.quotedFrom,
          children: levelView(root, n.children, markers + 1, n.position.end.line),
        });
        break;
      case "diff":
        flush();
        out.push({ type: "diff", lines: n.data.lines });
        break;
      case "diffstat":
        flush();
        out.push({ type: "diffstat", lines: n.value.split("\n") });
        break;
      case "signature": {
        flush();
        // everything after "-- " to the end of this level, list footers and header blocks included
        const lines: string[] = [];
        for (let l = n.position.start.line + 1; l <= last; l++) lines.push(lineAtLevel(root, l, markers));
        out.push({ type: "signature", lines: trimBlankEdges(lines) });
        return out;
      }
    }
  }
  flush();
  return out;
}
