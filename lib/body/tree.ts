// The body tree: a message body split once into what its author wrote and what they quoted, at
// every depth, in the unist shape (the shape remark's mdast uses, so unist-util-visit and remark
// work on it). Every reader of a body reads this tree: the message page (lib/body/view), the
// Markdown export (lib/markdown), the author's own prose for lib/knowledge (proseLines) and the
// reviews (lib/review: trailers, verdicts, inline comments and their anchors).
//
//   root
//   ├─ text         prose (at depth 0: written in this message; inside a quote: the quoted author's)
//   ├─ quote        depth, attribution ("On <date>, <name> wrote:", Outlook header block), children
//   ├─ diff         a diff (unquoted at depth 0; a quoted diff sits inside its quote)
//   ├─ diffstat
//   ├─ elision      "[...]", "[ ... ]", "<snip>", "[snip]": where the writer cut the quote
//   ├─ signature    after "-- "
//   └─ footer       list footers ("To unsubscribe from this list…", mailman's "… mailing list")
//
// Every node has `position: { start: { line }, end: { line } }`: 0-based lines of the body, end
// inclusive. Quote depth is semantic: 1 = a message this one quotes, 2 = a message that one quotes,
// … ("> > x" is depth 2; the text under an Outlook "-----Original Message-----" block has no ">"
// and is depth 1). Attribution lines are taken out of the text above the quote and kept on the
// quote node (with their position), so a text node at depth 0 is only what the author wrote.
//
// Built on the block lexer (./blocks parseBlocks: where quotes, diffs, diffstats and the signature
// start and end), with attributions read by lib/body/attribution (the one attribution parser).
// Pure, linear in the body size.

import { parseBlocks, type Block, type DiffLine } from "./blocks";
import { parseAttribution, parseHeaderBlock, parseWrappedAttribution, type Attribution, type AttributionOptions } from "./attribution";

export type { DiffLine, DiffLineKind } from "./blocks";

export interface Point {
  /** 0-based line of the body */
  line: number;
}

export interface Position {
  start: Point;
  /** inclusive */
  end: Point;
}

interface NodeBase {
  position: Position;
}

export interface TextNode extends NodeBase {
  type: "text";
  /** the lines, quote markers removed, joined with "\n" (blank lines at both ends dropped) */
  value: string;
}

export interface ElisionNode extends NodeBase {
  type: "elision";
  value: string;
}

export interface DiffNode extends NodeBase {
  type: "diff";
  value: string;
  /** the lines of `value`, each with what it is in the diff (file, hunk, add, del, …) */
  data: { lines: DiffLine[] };
}

export interface DiffstatNode extends NodeBase {
  type: "diffstat";
  value: string;
}

export interface SignatureNode extends NodeBase {
  type: "signature";
  /** the lines after the "-- " line */
  value: string;
}

export interface FooterNode extends NodeBase {
  type: "footer";
  value: string;
}

export interface QuoteAttribution extends Attribution {
  /** where the attribution line(s) or header block sit in the body */
  position: Position;
}

export interface QuoteNode extends NodeBase {
  type: "quote";
  depth: number;
  attribution?: QuoteAttribution;
  children: BodyContent[];
  data: {
    id: number;
    /** the lines of the quote that start with ">" (0 for a quote under an Outlook header block) */
    quotedLines: number;
    /**
     * Who the message page says is quoted ("quoted 12 lines from Jane"): the name read from the
     * last non-blank line above the quote, however far up, when it is an attribution. Looser than
     * `attribution` (which must sit at most two blank lines above and may sit above an elision):
     * the page has always labelled quotes this way, review anchors need the stricter reading.
     */
    quotedFrom: string | null;
  };
}

export type BodyContent = TextNode | QuoteNode | DiffNode | DiffstatNode | ElisionNode | SignatureNode | FooterNode;

export interface BodyRoot {
  type: "root";
  children: BodyContent[];
  position: Position;
  data: {
    /** number of lines of the body */
    lines: number;
    /** the body's lines (line ends normalised to "\n"); positions index into them */
    source: readonly string[];
    /** the writer answered above the whole quote (own text before the first quote, none after it) */
    topPosted: boolean;
    /** own text sits between quotes (an inline, interleaved reply) */
    interleaved: boolean;
    /** the deepest quote */
    maxDepth: number;
  };
}

export type BodyNode = BodyRoot | BodyContent;

// ---------------------------------------------------------------------------------------------

/** "[...]", "[ ... ]", "[…]", "<snip>", "[snip]", "<...>", "[ snip ]", "...", "[snipped]", "[... rest of patch ...]" */
const ELISIONS: RegExp[] = [
  /^\[\s*(?:\.{2,}|…)?\s*(?:snip+(?:ped)?|cut|trimmed|deleted|removed|elided|skip(?:ped)?)\s*(?:\.{2,}|…)?\s*\]$/i,
  /^\[\s*(?:\.{2,}|…)(?:[^\]]{0,40}?(?:\.{2,}|…))?\s*\]$/,
  /^<\s*(?:\.{2,}|…|snip+(?:ped)?)\s*>$/i,
  /^(?:\.{3,}|…)$/,
  /^-{2,}\s*snip\s*-{2,}$/i,
];

/** An elision marker. At depth 0 a bare "..." is prose; inside a quote it marks a cut too. */
export function isElision(line: string, depth = 1): boolean {
  const t = line.trim();
  if (!t || t.length > 60) return false;
  if (depth === 0 && /^(?:\.{3,}|…)$/.test(t)) return false;
  return ELISIONS.some((re) => re.test(t));
}

const FOOTER_START: RegExp[] = [
  /^To unsubscribe from this list: send the line/i,
  /^You received this message because you are subscribed to the Google Groups/i,
  /^_{20,}\s*$/,
  /^To unsubscribe,? send (?:a )?(?:mail|e-?mail|a message) to/i,
];

/** index (into lines) where a list footer starts, or -1 */
function footerStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!FOOTER_START.some((re) => re.test(t))) continue;
    if (/^_{20,}$/.test(t)) {
      // mailman: a rule, then "<list> mailing list" / "…/listinfo/…" within a few lines
      const next = lines.slice(i + 1, i + 5).join("\n");
      if (!/mailing list|listinfo|lists\.\S+\/mailman/i.test(next)) continue;
    }
    // the "--" line vger puts above its footer belongs to it
    let s = i;
    if (s > 0 && /^--\s*$/.test(lines[s - 1])) s--;
    return s;
  }
  return -1;
}

const NOT_BLANK = /\S/;

/** nothing but white space (as s.trim() === "", without making the trimmed string) */
function isBlank(s: string): boolean {
  return !NOT_BLANK.test(s);
}

interface Ctx {
  nextId: number;
  opts: AttributionOptions;
  lineCount: number;
}

function pos(a: number, b: number): Position {
  return { start: { line: a }, end: { line: b } };
}

/** Text lines [start..] -> text and elision nodes, blank edges dropped. */
function textNodes(lines: string[], start: number, depth: number): (TextNode | ElisionNode)[] {
  const out: (TextNode | ElisionNode)[] = [];
  let run: number[] = [];
  const flush = () => {
    let a = 0;
    let z = run.length;
    while (a < z && isBlank(lines[run[a]])) a++;
    while (z > a && isBlank(lines[run[z - 1]])) z--;
    if (a < z) {
      const idx = run.slice(a, z);
      out.push({ type: "text", value: idx.map((k) => lines[k]).join("\n"), position: pos(start + idx[0], start + idx[idx.length - 1]) });
    }
    run = [];
  };
  for (let k = 0; k < lines.length; k++) {
    if (isElision(lines[k], depth)) {
      flush();
      out.push({ type: "elision", value: lines[k].trim(), position: pos(start + k, start + k) });
      continue;
    }
    run.push(k);
  }
  flush();
  return out;
}

/** parseBlocks output (1-based positions) -> nodes at `depth`. `base` is added to every line. */
function convert(blocks: Block[], depth: number, base: number, ctx: Ctx): BodyContent[] {
  const out: BodyContent[] = [];
  for (const b of blocks) {
    const s = b.position.start - 1 + base;
    const e = b.position.end - 1 + base;
    switch (b.type) {
      case "text":
        out.push(...textNodes(b.lines, s, depth));
        break;
      case "diff":
        out.push({ type: "diff", value: b.lines.map((l) => l.text).join("\n"), position: pos(s, e), data: { lines: b.lines } });
        break;
      case "diffstat":
        out.push({ type: "diffstat", value: b.lines.join("\n"), position: pos(s, e) });
        break;
      case "signature": {
        out.push({ type: "signature", value: b.lines.join("\n"), position: pos(s, e) });
        break;
      }
      case "quote": {
        const id = ctx.nextId++;
        const q: QuoteNode = {
          type: "quote",
          depth: depth + 1,
          children: convert(b.children, depth + 1, base, ctx),
          position: pos(s, e),
          data: { id, quotedLines: b.quotedLines, quotedFrom: b.author },
        };
        takeAttribution(out, q, ctx);
        out.push(q);
        break;
      }
    }
  }
  return out;
}

/** The attribution at the end of the text just before quote q (same level): moved onto q. */
function takeAttribution(siblings: BodyContent[], q: QuoteNode, ctx: Ctx): void {
  // "On …, X wrote:" / "[...]" / "> …": the attribution may sit above an elision marker
  let at = siblings.length - 1;
  if (siblings[at]?.type === "elision" && siblings[at - 1]?.type === "text") at--;
  const prev = siblings[at];
  if (!prev || prev.type !== "text") return;
  const lines = prev.value.split("\n");
  const last = lines.length - 1;
  const start = prev.position.start.line;
  // a blank gap of more than two lines: not the quote's attribution
  if (q.position.start.line - prev.position.end.line > 3 + (siblings.length - 1 - at)) return;
  let a: Attribution | null = null;
  let from = last;
  if (last >= 1) {
    a = parseWrappedAttribution(lines[last - 1], lines[last], ctx.opts);
    if (a) from = last - 1;
  }
  if (!a) a = parseAttribution(lines[last], ctx.opts);
  if (!a) return;
  q.attribution = { ...a, position: pos(start + from, start + last) };
  // what is left of the text node
  const keep = lines.slice(0, from);
  while (keep.length && isBlank(keep[keep.length - 1])) keep.pop();
  if (keep.length === 0) siblings.splice(at, 1);
  else siblings[at] = { type: "text", value: keep.join("\n"), position: pos(start, start + keep.length - 1) };
}

function shiftDepth(nodes: BodyContent[], by: number): void {
  for (const n of nodes) {
    if (n.type === "quote") {
      n.depth += by;
      shiftDepth(n.children, by);
    }
  }
}

/**
 * Outlook / forward header blocks at this level: the header block and everything after it (at
 * this level) become a quote one level deeper. Also looks inside signatures (a "-- " above an
 * Outlook block makes parseBlocks take the rest for the signature).
 */
function headerBlocks(nodes: BodyContent[], depth: number, body: string[], ctx: Ctx): BodyContent[] {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.type === "quote") {
      n.children = headerBlocks(n.children, n.depth, body, ctx);
      continue;
    }
    if (n.type !== "text" && n.type !== "signature") continue;
    const lines = n.value.split("\n");
    const first = n.type === "signature" ? n.position.start.line + 1 : n.position.start.line;
    for (let k = 0; k < lines.length; k++) {
      const t = lines[k].trim();
      if (!t || !/^(?:-{2,}|_{10,}|From|Von|De|Da|Van|Begin)/i.test(t)) continue;
      const hb = parseHeaderBlock(lines, k, ctx.opts);
      if (!hb) continue;
      const before: BodyContent[] = [];
      if (n.type === "text") {
        const keep = lines.slice(0, k);
        while (keep.length && isBlank(keep[keep.length - 1])) keep.pop();
        if (keep.length) before.push({ type: "text", value: keep.join("\n"), position: pos(first, first + keep.length - 1) });
      } else {
        // the signature up to the block
        const keep = lines.slice(0, k);
        while (keep.length && isBlank(keep[keep.length - 1])) keep.pop();
        before.push({ type: "signature", value: keep.join("\n"), position: pos(n.position.start.line, first + Math.max(keep.length, 1) - 1) });
      }
      // what follows the header block at this level: the rest of this node, then the later siblings
      const restStart = first + hb.end + 1;
      let children: BodyContent[];
      let rest: BodyContent[];
      if (n.type === "text") {
        children = textNodes(lines.slice(hb.end + 1), restStart, depth + 1);
        rest = nodes.slice(i + 1);
        shiftDepth(rest, 1);
      } else {
        // inside a signature the rest was never parsed: parse it now
        const restLines = body.slice(restStart, n.position.end.line + 1);
        children = convert(parseBlocks(restLines.join("\n")), depth + 1, restStart, ctx);
        rest = nodes.slice(i + 1);
        shiftDepth(rest, 1);
      }
      children = [...children, ...rest];
      const end = children.length ? Math.max(...children.map((c) => c.position.end.line)) : first + hb.end;
      const id = ctx.nextId++;
      const q: QuoteNode = {
        type: "quote",
        depth: depth + 1,
        attribution: { ...hb.attribution, position: pos(first + hb.start, first + hb.end) },
        children: headerBlocks(children, depth + 1, body, ctx),
        position: pos(first + hb.start, end),
        data: { id, quotedLines: 0, quotedFrom: null },
      };
      return [...nodes.slice(0, i), ...before, q];
    }
  }
  return nodes;
}

/** List footers at the end of the body (depth 0): out of the last text or signature node. */
function footers(nodes: BodyContent[]): BodyContent[] {
  for (let i = nodes.length - 1; i >= Math.max(0, nodes.length - 3); i--) {
    const n = nodes[i];
    if (n.type !== "text" && n.type !== "signature") continue;
    const lines = n.value.split("\n");
    const k = footerStart(lines);
    if (k < 0) continue;
    const first = n.type === "signature" ? n.position.start.line + 1 : n.position.start.line;
    const out: BodyContent[] = nodes.slice(0, i);
    const keep = lines.slice(0, k);
    while (keep.length && isBlank(keep[keep.length - 1])) keep.pop();
    if (n.type === "text" && keep.length) out.push({ type: "text", value: keep.join("\n"), position: pos(first, first + keep.length - 1) });
    if (n.type === "signature") out.push({ type: "signature", value: keep.join("\n"), position: pos(n.position.start.line, first + Math.max(keep.length, 1) - 1) });
    const fl = lines.slice(k);
    while (fl.length && isBlank(fl[fl.length - 1])) fl.pop();
    out.push({ type: "footer", value: fl.join("\n"), position: pos(first + k, first + k + fl.length - 1) });
    out.push(...nodes.slice(i + 1));
    return out;
  }
  return nodes;
}

/** the body's lines, and the same lines joined again with "\n" */
function bodyLinesOf(body: string): { lines: string[]; text: string } {
  let text = body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body;
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") {
    lines.pop();
    text = text.slice(0, -1);
  }
  return { lines, text };
}

export interface ParseBodyOptions extends AttributionOptions {
  /**
   * false: quotes are not split inside (their children [], data.quotedFrom null), for readers of
   * the top level only (lib/knowledge reads proseLines): the same top level, several times
   * cheaper on replies. Such a tree is not for readers of quotes (reviews, the page, Markdown).
   */
  quotes?: boolean;
}

/** The body tree of a message body: the one split every reader uses. `\r\n` line ends are accepted. */
export function parseBody(body: string, opts: ParseBodyOptions = {}): BodyRoot {
  const { lines, text } = bodyLinesOf(body);
  const { quotes, ...attribution } = opts;
  const ctx: Ctx = { nextId: 1, opts: attribution, lineCount: lines.length };
  let children = convert(parseBlocks(text, { quotes }), 0, 0, ctx);
  children = headerBlocks(children, 0, lines, ctx);
  children = footers(children);
  let maxDepth = 0;
  const walk = (ns: BodyContent[]) => {
    for (const n of ns) if (n.type === "quote") (maxDepth = Math.max(maxDepth, n.depth)), walk(n.children);
  };
  walk(children);
  const firstQuote = children.findIndex((c) => c.type === "quote");
  const own = (c: BodyContent) => c.type === "text" || c.type === "diff" || c.type === "diffstat";
  let topPosted = false;
  let interleaved = false;
  if (firstQuote >= 0) {
    const lastQuote = children.map((c) => c.type).lastIndexOf("quote");
    const ownBefore = children.slice(0, firstQuote).some(own);
    const ownBetween = children.slice(firstQuote, lastQuote).some(own);
    const ownAfter = children.slice(lastQuote + 1).some(own);
    topPosted = ownBefore && !ownBetween && !ownAfter;
    interleaved = ownBetween || (ownAfter && children.filter((c) => c.type === "quote").length > 1);
  }
  return {
    type: "root",
    children,
    position: pos(0, Math.max(0, lines.length - 1)),
    data: { lines: lines.length, source: lines, topPosted, interleaved, maxDepth },
  };
}

// ---------------------------------------------------------------------------------------------
// the line model: one entry per body line

export type BodyLineKind = "text" | "blank" | "attribution" | "elision" | "diff" | "diffstat" | "signature" | "footer";

export interface BodyLine {
  /** 0-based line of the body */
  line: number;
  /** 0 = written in this message, 1 = quoted from the message it answers, … */
  depth: number;
  kind: BodyLineKind;
  /** the line with its quote markers removed */
  content: string;
  /** id of the innermost quote holding the line (QuoteNode.data.id), 0 at depth 0 */
  quote: number;
}

const flatCache = new WeakMap<BodyRoot, readonly BodyLine[]>();

/**
 * flattenBody, made once per tree: lib/review reads a reply's lines several times (trailers,
 * verdict, comments, anchors). Shared: not to be changed (nor the tree once flattened).
 */
export function flatLines(root: BodyRoot): readonly BodyLine[] {
  let flat = flatCache.get(root);
  if (!flat) flatCache.set(root, (flat = flattenBody(root)));
  return flat;
}

/** Every body line with its depth and kind, in order. */
export function flattenBody(root: BodyRoot): BodyLine[] {
  // each line's fields, written as the tree is walked (a later write wins), made into lines at the end
  const n = root.data.lines;
  const depths = new Array<number>(n).fill(0);
  const kinds = new Array<BodyLineKind>(n).fill("blank");
  const contents = new Array<string>(n).fill("");
  const quotes = new Array<number>(n).fill(0);
  const put = (at: number, depth: number, kind: BodyLineKind, content: string, quote: number) => {
    depths[at] = depth;
    kinds[at] = kind;
    contents[at] = content;
    quotes[at] = quote;
  };
  const set = (nd: { position: Position; value: string }, kind: BodyLineKind, depth: number, quote: number, offset = 0) => {
    const ls = nd.value.split("\n");
    for (let k = 0; k < ls.length; k++) {
      const at = nd.position.start.line + offset + k;
      if (at < 0 || at >= n) continue;
      put(at, depth, isBlank(ls[k]) && kind === "text" ? "blank" : kind, ls[k], quote);
    }
  };
  const walk = (ns: BodyContent[], depth: number, quote: number) => {
    for (const nd of ns) {
      switch (nd.type) {
        case "quote": {
          for (let l = nd.position.start.line; l <= nd.position.end.line && l < n; l++) put(l, nd.depth, "blank", "", nd.data.id);
          if (nd.attribution) {
            const ls = nd.attribution.raw.split("\n");
            const a = nd.attribution.position;
            for (let l = a.start.line; l <= a.end.line && l < n; l++) put(l, depth, "attribution", ls[l - a.start.line] ?? ls[0], quote);
          }
          walk(nd.children, nd.depth, nd.data.id);
          break;
        }
        case "text":
          set(nd, "text", depth, quote);
          break;
        case "elision":
          set(nd, "elision", depth, quote);
          break;
        case "diff":
          set(nd, "diff", depth, quote);
          break;
        case "diffstat":
          set(nd, "diffstat", depth, quote);
          break;
        case "footer":
          set(nd, "footer", depth, quote);
          break;
        case "signature": {
          const l = nd.position.start.line;
          if (l < n) put(l, depth, "signature", "-- ", quote);
          if (nd.value !== "" || nd.position.end.line > l) set(nd, "signature", depth, quote, 1);
          break;
        }
      }
    }
  };
  walk(root.children, 0, 0);
  const out: BodyLine[] = new Array(n);
  for (let line = 0; line < n; line++) out[line] = { line, depth: depths[line], kind: kinds[line], content: contents[line], quote: quotes[line] };
  return out;
}

/** Every quote node, depth first, in body order. */
export function quotesOf(root: BodyRoot): QuoteNode[] {
  const out: QuoteNode[] = [];
  const walk = (ns: BodyContent[]) => {
    for (const n of ns) if (n.type === "quote") out.push(n), walk(n.children);
  };
  walk(root.children);
  return out;
}

/** A quote made by an Outlook or forward header block (no ">" markers), not by quoting. */
export function isHeaderQuote(q: QuoteNode): boolean {
  const style = q.attribution?.style;
  return style === "outlook" || style === "forwarded";
}

/** The body line `line` with `markers` levels of ">" quoting removed, as the quote at that level reads it. */
export function lineAtLevel(root: BodyRoot, line: number, markers: number): string {
  let s = root.data.source[line] ?? "";
  for (let d = 0; d < markers; d++) {
    // a blank line inside a run of quoted lines has no ">" of its own: it is an empty quoted line
    if (s[0] !== ">") return "";
    s = s.slice(s[1] === " " ? 2 : 1);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// the author's prose, as written

export interface ProseLine {
  /** 0-based line of the body */
  line: number;
  /** the line as written */
  text: string;
}

/**
 * The lines of the prose the author wrote at the top level, as written and in order: every body
 * line before the signature that is not in a ">" quote, a diff or a diffstat, in runs between those
 * that hold some non-blank line. Attribution lines, elision markers, list footers and the text
 * under an Outlook or forward header block are included (the header block is prose at the top
 * level: it carries no ">"); readers that want them out drop them by their own rules. This is
 * what lib/knowledge reads.
 */
export function proseLines(root: BodyRoot): ProseLine[] {
  const n = root.data.lines;
  const source = root.data.source;
  const structural = new Uint8Array(n);
  let end = n;
  const walk = (ns: BodyContent[]) => {
    for (const nd of ns) {
      if (nd.position.start.line >= end) return;
      switch (nd.type) {
        case "quote":
          // the children of a header quote are top-level blocks that follow the header block
          if (isHeaderQuote(nd)) walk(nd.children);
          else for (let l = nd.position.start.line; l <= nd.position.end.line && l < n; l++) structural[l] = 1;
          break;
        case "diff":
        case "diffstat":
          for (let l = nd.position.start.line; l <= nd.position.end.line && l < n; l++) structural[l] = 1;
          break;
        case "signature":
          end = Math.min(end, nd.position.start.line);
          return;
      }
    }
  };
  walk(root.children);
  const out: ProseLine[] = [];
  let i = 0;
  while (i < end) {
    if (structural[i]) {
      i++;
      continue;
    }
    let j = i;
    let prose = false;
    while (j < end && !structural[j]) {
      if (!prose && !isBlank(source[j])) prose = true;
      j++;
    }
    // a run of blank lines between two quotes or diffs is nobody's prose
    if (prose) for (let k = i; k < j; k++) out.push({ line: k, text: source[k] });
    i = j;
  }
  return out;
}
