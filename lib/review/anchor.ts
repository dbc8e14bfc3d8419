// Inline comments: a reply that quotes a patch answers it line by line. Each run of lines the
// replier wrote is anchored to the patch line the quote above it ends on: file, hunk, line in the
// hunk, side (old/new) and the line numbers, or to a line of the commit message. Comments above
// any quoted patch text are general (anchor null).
//
// Matching the quote against the patch. The quote is a subsequence of the patch's lines, often
//   trimmed ("[...]"), re-wrapped by the mailer (a long "+" line broken in two), whitespace-damaged
//   (tabs turned to spaces, the space of a context line eaten), or ambiguous (the same "+}" in
//   three hunks). So:
//   1. every quoted line gets candidate patch lines: the same marker and text with whitespace
//      collapsed ("exact"), the same text under another or a lost marker ("fuzzy"), a hunk header
//      with the same numbers; a quoted line that is the tail of a wrapped line is joined to the
//      line above it first;
//   2. the quote is aligned to the patch by a weighted longest increasing subsequence (anchors go
//      forward through the patch as the reply goes down; long distinctive lines weigh more than
//      "}" or "return 0;"; among equal alignments the most compact wins): repeated lines are told
//      apart by their neighbours and by the order of hunks;
//   3. quoted lines left over between two aligned lines are placed by position when the gap has
//      the same length on both sides ("order"), else by string similarity within the gap ("fuzzy").
// Confidence: 1 for a distinctive exact line, less for generic or ambiguous lines, fuzzy and
// positional placements.
//
// Replies to a review ("> > +foo" / "> comment" / "answer") form a discussion on the review's
// anchor: threadAnchor() carries a parent's anchors down to the comments that answer them.
//
// Line numbers: `lines` of a comment and `quotedAt` are 0-based lines of the reply body;
// `patchLine` is the 0-based line of the patch body (the index ParsedDiff uses).

import { parseDiff, type FileDiff, type ParsedDiff } from "../patch/diff";
import { collapseSpace } from "./norm";
import { flatLines, parseBody, type BodyLine, type BodyRoot } from "../body/tree";

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

// ---------------------------------------------------------------------------------------------
// the patch's lines

type TargetKind = "msg" | "file" | "hunk" | "line";

interface Target {
  kind: TargetKind;
  patchLine: number;
  text: string;
  prefix: string;
  content: string;
  fileIndex: number;
  hunkIndex: number;
  lineIndex: number;
  /** hunk header numbers "-a,b +c,d" */
  nums?: string;
}

const HUNK_NUMS = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const HEADER = /^(?:diff --git |diff -|index [0-9a-f]+\.\.|--- (?:a\/|\/dev\/null)|\+\+\+ (?:b\/|\/dev\/null)|new file mode |deleted file mode |similarity index |rename (?:from|to) |old mode |new mode |Index: |={20,}$)/;

/** whitespace collapsed to one space, trimmed */
const norm = collapseSpace;

function numsOf(header: string): string | undefined {
  const m = HUNK_NUMS.exec(header);
  return m ? `-${m[1]},${m[2] ?? "1"} +${m[3]},${m[4] ?? "1"}` : undefined;
}

/** marker and collapsed text of a line, the way a patch line and a quoted line are compared */
function classify(line: string): { prefix: string; content: string; nums?: string } {
  if (line.startsWith("@@")) return { prefix: "@", content: norm(line), nums: numsOf(line) };
  if (HEADER.test(line)) return { prefix: "h", content: norm(line) };
  const c = line[0];
  if (c === "+" || c === "-" || c === " ") return { prefix: c, content: norm(line.slice(1)) };
  return { prefix: "", content: norm(line) };
}

function splitLines(text: string): string[] {
  const lines = (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text).split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

interface PatchIndex {
  targets: Target[];
  diff: ParsedDiff;
  /** target indexes by prefix, then content */
  exact: Map<string, Map<string, number[]>>;
  /** by content under another or a lost marker (no hunk or file headers) */
  byContent: Map<string, number[]>;
  /** hunk headers by their numbers */
  byNums: Map<string, number[]>;
  /** the sorted character bigrams of each target's content, made when first needed (similarity) */
  grams: (Uint32Array | undefined)[];
  /** per prefix, the first HEAD characters of the contents that have more (made when first needed) */
  heads?: Map<string, Set<string>>;
}

/** how much of a content `heads` keeps */
const HEAD = 12;

/**
 * Could `${a} ${b}` or `${a}${b}` be the content of a target with this prefix? Not when a is
 * HEAD characters or longer and no such target starts the way a does.
 */
function mayJoin(idx: PatchIndex, prefix: string, a: string): boolean {
  if (a.length < HEAD) return true;
  if (!idx.heads) {
    idx.heads = new Map();
    for (const [p, byContent] of idx.exact) {
      const hs = new Set<string>();
      for (const c of byContent.keys()) if (c.length > HEAD) hs.add(c.slice(0, HEAD));
      idx.heads.set(p, hs);
    }
  }
  return idx.heads.get(prefix)?.has(a.slice(0, HEAD)) ?? false;
}

// A patch is answered by many replies: its index is built once per PatchSource object (or diff,
// when a ParsedDiff alone is given) and lives as long as that object (analyzeThread makes one
// PatchSource per patch of the thread). Indexes are never changed once built.
const indexBySource = new WeakMap<PatchSource | ParsedDiff, { body: string; diff: ParsedDiff | null | undefined; idx: PatchIndex }>();
let emptyIndex: PatchIndex | null = null;

function patchIndex(patch: PatchSource | ParsedDiff): PatchIndex {
  const src: PatchSource = "files" in patch ? { body: "", diff: patch } : patch;
  if (src.body === "" && !src.diff) return (emptyIndex ??= indexPatch(src));
  const hit = indexBySource.get(patch);
  if (hit && hit.body === src.body && hit.diff === src.diff) return hit.idx;
  const idx = indexPatch(src);
  indexBySource.set(patch, { body: src.body, diff: src.diff, idx });
  return idx;
}

function indexPatch(src: PatchSource): PatchIndex {
  const lines = src.body ? splitLines(src.body) : [];
  const diff = src.diff ?? parseDiff(src.body);
  const byLine = new Map<number, Target>();
  const extra: Target[] = [];
  const put = (t: Target) => {
    if (!byLine.has(t.patchLine)) byLine.set(t.patchLine, t);
    else extra.push(t);
  };
  for (let fi = 0; fi < diff.files.length; fi++) {
    const f: FileDiff = diff.files[fi];
    const firstHunk = f.hunks.length ? f.hunks[0].startLine : f.endLine;
    for (let k = 0; k < f.header.length; k++) {
      const h = f.header[k];
      const at = f.startLine + k;
      if (at >= firstHunk) continue;
      const c = classify(h);
      put({ kind: "file", patchLine: at, text: h, prefix: "h", content: c.content, fileIndex: fi, hunkIndex: -1, lineIndex: -1 });
    }
    for (let hi = 0; hi < f.hunks.length; hi++) {
      const h = f.hunks[hi];
      put({ kind: "hunk", patchLine: h.startLine, text: h.header, prefix: "@", content: norm(h.header), nums: numsOf(h.header), fileIndex: fi, hunkIndex: hi, lineIndex: -1 });
      for (let li = 0; li < h.lines.length; li++) {
        const l = h.lines[li];
        const text = l.kind === "\\" ? `\\ ${l.text}` : l.kind + l.text;
        const prefix = l.kind === "\\" ? "\\" : l.kind;
        put({ kind: "line", patchLine: l.line, text, prefix, content: norm(l.text), fileIndex: fi, hunkIndex: hi, lineIndex: li });
      }
      // tails of lines a mailer wrapped inside the patch: they belong to the line above them
      for (const w of h.wrapped) {
        const li = Math.max(0, w.at - 1);
        put({ kind: "line", patchLine: w.line, text: w.text, prefix: "", content: norm(w.text), fileIndex: fi, hunkIndex: hi, lineIndex: li });
      }
    }
  }
  // the commit message, notes and diffstat: every line above the diff
  const msgEnd = diff.files.length ? diff.startLine : lines.length;
  for (let i = 0; i < Math.min(msgEnd, lines.length); i++) {
    if (lines[i] === "-- ") break;
    if (byLine.has(i) || lines[i].trim() === "") continue;
    const c = classify(lines[i]);
    const prefix = c.prefix === "@" || c.prefix === "h" ? "" : c.prefix;
    put({ kind: "msg", patchLine: i, text: lines[i], prefix, content: c.content, fileIndex: -1, hunkIndex: -1, lineIndex: -1 });
  }
  const targets = [...byLine.values(), ...extra].sort((a, b) => a.patchLine - b.patchLine);
  const exact = new Map<string, Map<string, number[]>>();
  const byContent = new Map<string, number[]>();
  const byNums = new Map<string, number[]>();
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (!t.content) continue;
    let ep = exact.get(t.prefix);
    if (!ep) exact.set(t.prefix, (ep = new Map()));
    const e = ep.get(t.content);
    if (e) e.push(i);
    else ep.set(t.content, [i]);
    if (t.prefix !== "@" && t.prefix !== "h") {
      const c = byContent.get(t.content);
      if (c) c.push(i);
      else byContent.set(t.content, [i]);
    }
    if (t.nums) {
      const n = byNums.get(t.nums);
      if (n) n.push(i);
      else byNums.set(t.nums, [i]);
    }
  }
  return { targets, diff, exact, byContent, byNums, grams: new Array(targets.length) };
}

// ---------------------------------------------------------------------------------------------
// the reply's quoted lines

interface QLine {
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

interface Match {
  t: number;
  method: AnchorMethod;
  confidence: number;
}

function weight(q: QLine): number {
  if (q.prefix === "@" || (q.prefix === "h" && q.content.startsWith("diff "))) return 8;
  // the characters that are not white space, braces, parentheses, semicolons or commas (30 are
  // enough); the content is collapsed: its only white space is " "
  const c = q.content;
  let n = 0;
  for (let i = 0; i < c.length && n < 30; i++) {
    const k = c.charCodeAt(i);
    if (!(k === 32 || k === 123 || k === 125 || k === 40 || k === 41 || k === 59 || k === 44)) n++;
  }
  if (n >= 30) return 5;
  if (n >= 15) return 4;
  if (n >= 6) return 3;
  if (n >= 2) return 2;
  return 1;
}

const NO_GRAMS = new Uint32Array(0);

/** the character bigrams (UTF-16 code unit pairs) of s, sorted */
function gramsOf(s: string): Uint32Array {
  const n = s.length - 1;
  if (n <= 0) return NO_GRAMS;
  const g = new Uint32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((s.charCodeAt(i) << 16) | s.charCodeAt(i + 1)) >>> 0;
  return g.sort();
}

/**
 * Similarity of two lines: the Dice coefficient of their character bigrams (shared bigrams, as
 * multisets, counted by merging the sorted bigrams of both), 1 for equal lines.
 */
function dice(a: string, ga: Uint32Array, b: string, gb: Uint32Array): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  let hit = 0;
  for (let i = 0, j = 0; i < ga.length && j < gb.length; ) {
    const x = ga[i];
    const y = gb[j];
    if (x === y) {
      hit++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * hit) / (a.length - 1 + (b.length - 1));
}

/** The candidates of an alignment, in arrays reused from one alignment to the next (one at a time). */
class Items {
  n = 0;
  q = new Int32Array(1024);
  t = new Int32Array(1024);
  w = new Float64Array(1024);
  exact = new Uint8Array(1024);
  prev = new Int32Array(1024);
  val = new Float64Array(1024);
  private static one = new Items();
  /** the arrays, emptied (arrays grown past 64k candidates by an outsized quote are let go) */
  static get(): Items {
    if (Items.one.q.length > 65536) Items.one = new Items();
    const it = Items.one;
    it.n = 0;
    return it;
  }
  push(qi: number, t: number, w: number, exact: boolean): void {
    if (this.n === this.q.length) this.grow();
    const k = this.n++;
    this.q[k] = qi;
    this.t[k] = t;
    this.w[k] = w;
    this.exact[k] = exact ? 1 : 0;
  }
  private grow(): void {
    const size = this.q.length * 2;
    const more = <A extends Int32Array | Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.q = more(this.q, (n) => new Int32Array(n));
    this.t = more(this.t, (n) => new Int32Array(n));
    this.w = more(this.w, (n) => new Float64Array(n));
    this.exact = more(this.exact, (n) => new Uint8Array(n));
    this.prev = new Int32Array(size);
    this.val = new Float64Array(size);
  }
}

/** Fenwick tree of prefix maxima over target positions */
class MaxTree {
  private val: Float64Array;
  private id: Int32Array;
  // one tree's arrays at a time, reused (an alignment is made and done with before the next)
  private static vals = new Float64Array(0);
  private static ids = new Int32Array(0);
  constructor(private n: number) {
    if (MaxTree.vals.length > 65536 && n + 1 <= 65536) {
      // (arrays grown for an outsized patch are let go)
      MaxTree.vals = new Float64Array(0);
      MaxTree.ids = new Int32Array(0);
    }
    if (MaxTree.vals.length < n + 1) {
      MaxTree.vals = new Float64Array(Math.max(n + 1, 2 * MaxTree.vals.length));
      MaxTree.ids = new Int32Array(MaxTree.vals.length);
    }
    this.val = MaxTree.vals.fill(-Infinity, 0, n + 1);
    this.id = MaxTree.ids.fill(-1, 0, n + 1);
  }
  update(pos: number, v: number, id: number): void {
    for (let i = pos + 1; i <= this.n; i += i & -i) {
      if (v > this.val[i]) {
        this.val[i] = v;
        this.id[i] = id;
      }
    }
  }
  /** the last query's maximum and its id */
  v = -Infinity;
  at = -1;
  /** max over positions < pos, into `v` and `at` */
  query(pos: number): void {
    let v = -Infinity;
    let id = -1;
    for (let i = pos; i > 0; i -= i & -i) {
      if (this.val[i] > v) {
        v = this.val[i];
        id = this.id[i];
      }
    }
    this.v = v;
    this.at = id;
  }
}

const MAX_CANDIDATES = 50;
const EPS = 1e-6;

interface Alignment {
  q: QLine[];
  match: (Match | null)[];
  /** body line -> index into q */
  qAt: Int32Array;
}

function quotedLines(flat: readonly BodyLine[], minDepth: number): QLine[] {
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

const NONE: number[] = [];

function align(idx: PatchIndex, qlines: QLine[]): Alignment {
  const { targets, exact, byContent, byNums } = idx;
  // wrapped tails: "> +\tfoo(bar," / "> baz);" is one patch line
  const q: QLine[] = [];
  for (const l of qlines) {
    const prev = q[q.length - 1];
    if (prev && !l.blank && !prev.blank && l.prefix === "" && prev.seg === l.seg && prev.lines[prev.lines.length - 1] === l.at - 1 && (prev.prefix === "+" || prev.prefix === "-" || prev.prefix === " " || prev.prefix === "")) {
      const ep = exact.get(prev.prefix);
      if (ep && !ep.has(prev.content) && mayJoin(idx, prev.prefix, prev.content)) {
        // both contents are collapsed already and not empty: joined they are collapsed too
        const joined = `${prev.content} ${l.content}`;
        const joinedTight = `${prev.content}${l.content}`;
        const hit = ep.has(joined) ? joined : ep.has(joinedTight) ? joinedTight : null;
        if (hit) {
          prev.content = hit;
          prev.raw = `${prev.raw} ${l.raw.trim()}`;
          prev.lines.push(l.at);
          continue;
        }
      }
    }
    // (the quoted lines are this alignment's own: changed in place)
    q.push(l);
  }
  let lastLine = -1;
  for (const l of q) for (const b of l.lines) if (b > lastLine) lastLine = b;
  const qAt = new Int32Array(lastLine + 1).fill(-1);
  for (let i = 0; i < q.length; i++) for (const b of q[i].lines) qAt[b] = i;

  // candidates, each row's (a quoted line's) together: item k is target itT[k] for quoted line itQ[k]
  const items = Items.get();
  const rowEnd: number[] = [];
  const nCand: number[] = [];
  // weights, for the lines that need one
  const wq: number[] = new Array(q.length).fill(-1);
  const wOf = (i: number): number => (wq[i] >= 0 ? wq[i] : (wq[i] = weight(q[i])));
  /** the targets of `list` not in `skip` (both ascending) as candidates of quoted line qi */
  const add = (qi: number, list: number[], skip: number[], ww: number, exactMethod: boolean) => {
    for (let i = 0, k = 0; i < list.length; i++) {
      const t = list[i];
      while (k < skip.length && skip[k] < t) k++;
      if (k < skip.length && skip[k] === t) continue;
      items.push(qi, t, ww, exactMethod);
    }
  };
  for (let qi = 0; qi < q.length; qi++) {
    const l = q[qi];
    nCand.push(0);
    if (!l.blank) {
      // the same marker and text (exact), a hunk header with the same numbers (exact), the same
      // text under another or no marker (fuzzy); a target found twice counts once, as the first
      // kind. Target lists are ascending. Only hunk headers have numbers and only other lines
      // are looked up by text, which holds every exact target of theirs.
      const header = l.prefix === "@" || l.prefix === "h";
      const ex = exact.get(l.prefix)?.get(l.content) ?? NONE;
      let total: number;
      let nums = NONE;
      let cont = NONE;
      if (header) {
        nums = l.nums ? (byNums.get(l.nums) ?? NONE) : NONE;
        total = ex.length + nums.length;
        for (let i = 0, k = 0; i < nums.length && k < ex.length; ) {
          if (nums[i] === ex[k]) {
            total--;
            i++;
            k++;
          } else if (nums[i] < ex[k]) i++;
          else k++;
        }
      } else {
        cont = byContent.get(l.content) ?? NONE;
        total = cont.length;
      }
      nCand[qi] = total;
      if (total > 0 && total <= MAX_CANDIDATES) {
        const w = wOf(qi);
        if (ex.length) add(qi, ex, NONE, w, true);
        if (nums.length) add(qi, nums, ex, w * 0.9, true);
        if (cont.length) add(qi, cont, ex, w * (l.prefix === "" ? 0.85 : 0.6), false);
      }
    }
    rowEnd.push(items.n);
  }
  // weighted longest increasing subsequence over target positions
  const { q: itQ, t: itT, w: itW, exact: itExact, prev: itPrev, val: itVal } = items;
  const tree = new MaxTree(targets.length);
  let best = -1;
  let bestVal = -Infinity;
  for (let r = 0, from = 0; r < rowEnd.length; from = rowEnd[r++]) {
    const to = rowEnd[r];
    for (let id = from; id < to; id++) {
      tree.query(itT[id]);
      if (tree.at >= 0 && tree.v > -Infinity) {
        itVal[id] = itW[id] - EPS * itT[id] + tree.v;
        itPrev[id] = tree.at;
      } else {
        itVal[id] = itW[id];
        itPrev[id] = -1;
      }
    }
    for (let id = from; id < to; id++) {
      tree.update(itT[id], itVal[id] + EPS * itT[id], id);
      if (itVal[id] > bestVal) {
        bestVal = itVal[id];
        best = id;
      }
    }
  }
  const match: (Match | null)[] = new Array(q.length).fill(null);
  for (let id = best; id >= 0; id = itPrev[id]) {
    const qi = itQ[id];
    const ambiguous = nCand[qi] > 1;
    const generic = wOf(qi) < 3;
    let confidence = itExact[id] ? 1 : q[qi].prefix === "" ? 0.85 : 0.75;
    if (ambiguous) confidence *= generic ? 0.85 : 0.95;
    // a generic line ("}", "return 0;") found in several places: placed by the order of the quote
    const method: AnchorMethod = itExact[id] ? (ambiguous && generic ? "order" : "exact") : "fuzzy";
    match[qi] = { t: itT[id], method, confidence };
  }
  // an unambiguous neighbour (the next line of the quote is the next line of the patch) lifts an ambiguous line
  /** quoted line k (next to i, dt apart in the patch too) is placed for sure */
  const sure = (i: number, k: number, dt: number) => {
    const n = match[k];
    return !!n && nCand[k] === 1 && n.t === match[i]!.t + dt && q[k].seg === q[i].seg;
  };
  for (let i = 0; i < q.length; i++) {
    const m = match[i];
    if (!m || m.confidence >= 1) continue;
    if (sure(i, i - 1, -1) || sure(i, i + 1, 1)) m.confidence = Math.min(1, m.confidence + 0.05);
  }
  fillGaps(idx, q, match);
  // a segment of the quote placed only by generic lines ("}", "return 0;") is not this patch: it
  // needs a distinctive line, a line found nowhere else, or enough weight together
  const segWeight = new Map<number, number>();
  const strong = new Set<number>();
  q.forEach((l, i) => {
    const m = match[i];
    if (!m || m.method === "order" || (m.method === "fuzzy" && m.confidence < 0.7)) return;
    const w = wOf(i);
    if (w >= 4 || (w >= 3 && nCand[i] === 1)) strong.add(l.seg);
    segWeight.set(l.seg, (segWeight.get(l.seg) ?? 0) + w);
  });
  for (const [seg, w] of segWeight) if (w >= 6) strong.add(seg);
  // a weak segment that goes on right where a strong one stopped (the quote continues after an
  // interleaved comment) is as good as the one before it
  let lastStrongT = -10;
  let curSeg = -1;
  let firstT = -1;
  for (let i = 0; i < q.length; i++) {
    const m = match[i];
    if (q[i].seg !== curSeg) {
      curSeg = q[i].seg;
      firstT = -1;
    }
    if (!m) continue;
    if (firstT < 0) {
      firstT = m.t;
      if (!strong.has(curSeg) && firstT > lastStrongT && firstT <= lastStrongT + 3) strong.add(curSeg);
    }
    if (strong.has(curSeg)) lastStrongT = m.t;
  }
  // a segment quoting hunk headers none of which is this patch's quotes another diff (a suggestion, another version)
  const hunkSeen = new Set<number>();
  const hunkHit = new Set<number>();
  q.forEach((l, i) => {
    if (l.prefix !== "@") return;
    hunkSeen.add(l.seg);
    const m = match[i];
    if (m && m.method === "exact" && targets[m.t].kind === "hunk") hunkHit.add(l.seg);
  });
  q.forEach((l, i) => {
    if (!strong.has(l.seg) || (hunkSeen.has(l.seg) && !hunkHit.has(l.seg))) match[i] = null;
  });
  return { q, match, qAt };
}

/** Quoted lines the alignment left out: by position when the gap fits, else by similarity. */
function fillGaps(pi: PatchIndex, q: QLine[], match: (Match | null)[]): void {
  const { targets, grams } = pi;
  const qGrams: (Uint32Array | undefined)[] = new Array(q.length);
  /** similarity of quoted line i and target t */
  const sim = (i: number, t: number): number => dice(q[i].content, (qGrams[i] ??= gramsOf(q[i].content)), targets[t].content, (grams[t] ??= gramsOf(targets[t].content)));
  const header = (i: number) => q[i].prefix === "@" || q[i].prefix === "h";
  const matched = () => q.map((_, i) => i).filter((i) => match[i]);
  let idx = matched();
  // between two aligned lines of one segment
  for (let k = 0; k + 1 < idx.length; k++) {
    const a = idx[k];
    const b = idx[k + 1];
    if (b - a < 2) continue;
    const ta = match[a]!.t;
    const tb = match[b]!.t;
    const sameSeg = q.slice(a, b + 1).every((l) => l.seg === q[a].seg);
    if (sameSeg && b - a === tb - ta) {
      for (let i = a + 1; i < b; i++) {
        if (header(i)) continue;
        const t = targets[ta + (i - a)];
        const s = q[i].blank ? (t.content === "" ? 1 : 0) : sim(i, ta + (i - a));
        if (q[i].blank || s >= 0.4) match[i] = { t: ta + (i - a), method: "order", confidence: Math.min(0.9, 0.6 + 0.3 * s) };
      }
      continue;
    }
    let from = ta + 1;
    for (let i = a + 1; i < b; i++) {
      if (q[i].blank || header(i)) continue;
      let bestT = -1;
      let bestS = 0.6;
      const qc = q[i].content;
      const la = qc.length - 1;
      for (let t = from; t < tb && t < from + 400; t++) {
        const tc = targets[t].content;
        if (qc !== tc) {
          // the most two lines of these lengths can share: no better than the best so far, skipped
          const lb = tc.length - 1;
          if (la < 1 || lb < 1 || (2 * Math.min(la, lb)) / (la + lb) <= bestS) continue;
        }
        const s = sim(i, t);
        if (s > bestS) {
          bestS = s;
          bestT = t;
        }
      }
      if (bestT >= 0) {
        match[i] = { t: bestT, method: "fuzzy", confidence: 0.4 + 0.5 * bestS };
        from = bestT + 1;
      }
    }
  }
  // at the edges of a segment: the lines after the last aligned line (and before the first)
  idx = matched();
  for (const a of idx) {
    const ta = match[a]!.t;
    for (let i = a + 1, t = ta + 1; i < q.length && q[i].seg === q[a].seg && !match[i]; i++, t++) {
      if (t >= targets.length || header(i)) break;
      const s = q[i].blank ? (targets[t].content === "" ? 1 : 0) : sim(i, t);
      if (!(q[i].blank ? s === 1 : s >= 0.5)) break;
      match[i] = { t, method: "order", confidence: Math.min(0.85, 0.5 + 0.35 * s) };
    }
    for (let i = a - 1, t = ta - 1; i >= 0 && q[i].seg === q[a].seg && !match[i]; i--, t--) {
      if (t < 0 || header(i)) break;
      const s = q[i].blank ? (targets[t].content === "" ? 1 : 0) : sim(i, t);
      if (!(q[i].blank ? s === 1 : s >= 0.5)) break;
      match[i] = { t, method: "order", confidence: Math.min(0.85, 0.5 + 0.35 * s) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// the replier's comments

const TRAILERISH = /^\s*[\p{L}\p{N}_][\w-]*-by:\s+\S|^\s*(?:Fixes|Link|Closes|Cc):\s+\S/iu;
const VALEDICTION =
  /^\s*(?:thanks?(?: you)?(?: a lot| again| and regards| & regards)?|many thanks|thx|regards|best regards|kind regards|warm regards|best wishes|best|cheers|br|greetings|ciao|ta|hth|sincerely|yours|gr\{oetje,eeting\}s|--+|-)[,.!]*(?:\s+[\p{Lu}][\p{L}.'-]*(?:\s+[\p{Lu}][\p{L}.'-]*)?)?\s*$/iu;
const NAME_LINE = /^[\p{Lu}][\p{L}'-]*(?:\s+[\p{Lu}][\p{L}.'-]*){0,2}$/u;
const GREETING = /^\s*(?:hi|hello|hey|dear)\b[^.?!]{0,40}[,!]?\s*$/i;

interface CommentRun {
  lines: number[];
  text: string;
  /** the first line of the run before greetings were dropped: where the quote above it ends */
  start: number;
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
function commentRunsOf(flat: readonly BodyLine[]): CommentRun[] {
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
    out.push({ lines: ls, text: ls.map((i) => flat[i].content).join("\n").trim(), start: r[0] });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

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
  if (!quoted.length) return runs.map((run) => ({ text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]] as [number, number], anchor: null }));
  const idx = patchIndex(patch);
  const al = align(idx, quoted);
  return runs.map((run) => ({ text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]] as [number, number], anchor: anchorRun(idx, al, flat, run) }));
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

// ---------------------------------------------------------------------------------------------
// discussions

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
    const c: InlineComment = { text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]], anchor: null };
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
