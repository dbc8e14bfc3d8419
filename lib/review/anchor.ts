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
import { flattenBody, parseQuoteTree, type BodyLine, type BodyRoot } from "./quotes";

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

function norm(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

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
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

interface PatchIndex {
  targets: Target[];
  diff: ParsedDiff;
}

function indexPatch(patch: PatchSource | ParsedDiff): PatchIndex {
  const src: PatchSource = "files" in patch ? { body: "", diff: patch } : patch;
  const lines = src.body ? splitLines(src.body) : [];
  const diff = src.diff ?? parseDiff(src.body);
  const byLine = new Map<number, Target>();
  const extra: Target[] = [];
  const put = (t: Target) => {
    if (!byLine.has(t.patchLine)) byLine.set(t.patchLine, t);
    else extra.push(t);
  };
  diff.files.forEach((f: FileDiff, fi) => {
    const firstHunk = f.hunks.length ? f.hunks[0].startLine : f.endLine;
    f.header.forEach((h, k) => {
      const at = f.startLine + k;
      if (at >= firstHunk) return;
      const c = classify(h);
      put({ kind: "file", patchLine: at, text: h, prefix: "h", content: c.content, fileIndex: fi, hunkIndex: -1, lineIndex: -1 });
    });
    f.hunks.forEach((h, hi) => {
      put({ kind: "hunk", patchLine: h.startLine, text: h.header, prefix: "@", content: norm(h.header), nums: numsOf(h.header), fileIndex: fi, hunkIndex: hi, lineIndex: -1 });
      h.lines.forEach((l, li) => {
        const text = l.kind === "\\" ? `\\ ${l.text}` : l.kind + l.text;
        const prefix = l.kind === "\\" ? "\\" : l.kind;
        put({ kind: "line", patchLine: l.line, text, prefix, content: norm(l.text), fileIndex: fi, hunkIndex: hi, lineIndex: li });
      });
      // tails of lines a mailer wrapped inside the patch: they belong to the line above them
      for (const w of h.wrapped) {
        const li = Math.max(0, w.at - 1);
        put({ kind: "line", patchLine: w.line, text: w.text, prefix: "", content: norm(w.text), fileIndex: fi, hunkIndex: hi, lineIndex: li });
      }
    });
  });
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
  return { targets, diff };
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
  const n = q.content.replace(/[\s{}();,]/g, "").length;
  if (n >= 30) return 5;
  if (n >= 15) return 4;
  if (n >= 6) return 3;
  if (n >= 2) return 2;
  return 1;
}

/** Dice coefficient of character bigrams */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let hit = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) {
      hit++;
      grams.set(g, n - 1);
    }
  }
  return (2 * hit) / (a.length - 1 + (b.length - 1));
}

/** Fenwick tree of prefix maxima over target positions */
class MaxTree {
  private val: Float64Array;
  private id: Int32Array;
  constructor(private n: number) {
    this.val = new Float64Array(n + 1).fill(-Infinity);
    this.id = new Int32Array(n + 1).fill(-1);
  }
  update(pos: number, v: number, id: number): void {
    for (let i = pos + 1; i <= this.n; i += i & -i) {
      if (v > this.val[i]) {
        this.val[i] = v;
        this.id[i] = id;
      }
    }
  }
  /** max over positions < pos */
  query(pos: number): { v: number; id: number } {
    let v = -Infinity;
    let id = -1;
    for (let i = pos; i > 0; i -= i & -i) {
      if (this.val[i] > v) {
        v = this.val[i];
        id = this.id[i];
      }
    }
    return { v, id };
  }
}

const MAX_CANDIDATES = 50;
const EPS = 1e-6;

interface Alignment {
  q: QLine[];
  match: (Match | null)[];
  /** body line -> index into q */
  qAt: Map<number, number>;
}

function quotedLines(flat: BodyLine[], minDepth: number): QLine[] {
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

function align(targets: Target[], qlines: QLine[]): Alignment {
  const exact = new Map<string, number[]>();
  const byContent = new Map<string, number[]>();
  const byNums = new Map<string, number[]>();
  targets.forEach((t, i) => {
    if (!t.content) return;
    const k = `${t.prefix}|${t.content}`;
    (exact.get(k) ?? exact.set(k, []).get(k)!).push(i);
    if (t.prefix !== "@" && t.prefix !== "h") (byContent.get(t.content) ?? byContent.set(t.content, []).get(t.content)!).push(i);
    if (t.nums) (byNums.get(t.nums) ?? byNums.set(t.nums, []).get(t.nums)!).push(i);
  });
  // wrapped tails: "> +\tfoo(bar," / "> baz);" is one patch line
  const q: QLine[] = [];
  for (const l of qlines) {
    const prev = q[q.length - 1];
    if (prev && !l.blank && !prev.blank && l.prefix === "" && prev.seg === l.seg && prev.lines[prev.lines.length - 1] === l.at - 1 && (prev.prefix === "+" || prev.prefix === "-" || prev.prefix === " " || prev.prefix === "")) {
      const joined = norm(`${prev.content} ${l.content}`);
      const joinedTight = norm(`${prev.content}${l.content}`);
      const hit = exact.has(`${prev.prefix}|${joined}`) ? joined : exact.has(`${prev.prefix}|${joinedTight}`) ? joinedTight : null;
      if (hit && !exact.has(`${prev.prefix}|${prev.content}`)) {
        prev.content = hit;
        prev.raw = `${prev.raw} ${l.raw.trim()}`;
        prev.lines.push(l.at);
        continue;
      }
    }
    q.push({ ...l, lines: [...l.lines] });
  }
  const qAt = new Map<number, number>();
  q.forEach((l, i) => l.lines.forEach((b) => qAt.set(b, i)));

  // candidates
  interface Item {
    qi: number;
    t: number;
    w: number;
    method: AnchorMethod;
    prev: number;
    val: number;
  }
  const items: Item[] = [];
  const rows: number[][] = [];
  const nCand: number[] = [];
  for (let qi = 0; qi < q.length; qi++) {
    const l = q[qi];
    const row: number[] = [];
    rows.push(row);
    nCand.push(0);
    if (l.blank) continue;
    const w = weight(l);
    const seen = new Set<number>();
    const push = (t: number, ww: number, method: AnchorMethod) => {
      if (seen.has(t)) return;
      seen.add(t);
      row.push(items.length);
      items.push({ qi, t, w: ww, method, prev: -1, val: 0 });
    };
    const ex = exact.get(`${l.prefix}|${l.content}`) ?? [];
    const nums = l.nums ? (byNums.get(l.nums) ?? []) : [];
    const cont = l.prefix === "@" || l.prefix === "h" ? [] : (byContent.get(l.content) ?? []);
    const total = new Set([...ex, ...nums, ...cont]).size;
    nCand[qi] = total;
    if (total > MAX_CANDIDATES) continue;
    for (const t of ex) push(t, w, "exact");
    for (const t of nums) push(t, w * 0.9, "exact");
    for (const t of cont) push(t, w * (l.prefix === "" ? 0.85 : 0.6), "fuzzy");
  }
  // weighted longest increasing subsequence over target positions
  const tree = new MaxTree(targets.length);
  let best = -1;
  let bestVal = -Infinity;
  for (const row of rows) {
    for (const id of row) {
      const it = items[id];
      const p = tree.query(it.t);
      if (p.id >= 0 && p.v > -Infinity) {
        it.val = it.w - EPS * it.t + p.v;
        it.prev = p.id;
      } else {
        it.val = it.w;
        it.prev = -1;
      }
    }
    for (const id of row) {
      const it = items[id];
      tree.update(it.t, it.val + EPS * it.t, id);
      if (it.val > bestVal) {
        bestVal = it.val;
        best = id;
      }
    }
  }
  const match: (Match | null)[] = q.map(() => null);
  for (let id = best; id >= 0; id = items[id].prev) {
    const it = items[id];
    const ambiguous = nCand[it.qi] > 1;
    const generic = weight(q[it.qi]) < 3;
    let confidence = it.method === "exact" ? 1 : q[it.qi].prefix === "" ? 0.85 : 0.75;
    if (ambiguous) confidence *= generic ? 0.85 : 0.95;
    // a generic line ("}", "return 0;") found in several places: placed by the order of the quote
    const method: AnchorMethod = ambiguous && generic && it.method === "exact" ? "order" : it.method;
    match[it.qi] = { t: it.t, method, confidence };
  }
  // an unambiguous neighbour (the next line of the quote is the next line of the patch) lifts an ambiguous line
  for (let i = 0; i < q.length; i++) {
    const m = match[i];
    if (!m || m.confidence >= 1) continue;
    const sure = (k: number, dt: number) => {
      const n = match[k];
      return !!n && nCand[k] === 1 && n.t === m.t + dt && q[k].seg === q[i].seg;
    };
    if (sure(i - 1, -1) || sure(i + 1, 1)) m.confidence = Math.min(1, m.confidence + 0.05);
  }
  fillGaps(targets, q, match);
  // a segment of the quote placed only by generic lines ("}", "return 0;") is not this patch: it
  // needs a distinctive line, a line found nowhere else, or enough weight together
  const segWeight = new Map<number, number>();
  const strong = new Set<number>();
  q.forEach((l, i) => {
    const m = match[i];
    if (!m || m.method === "order" || (m.method === "fuzzy" && m.confidence < 0.7)) return;
    const w = weight(l);
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
function fillGaps(targets: Target[], q: QLine[], match: (Match | null)[]): void {
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
        const sim = q[i].blank ? (t.content === "" ? 1 : 0) : similarity(q[i].content, t.content);
        if (q[i].blank || sim >= 0.4) match[i] = { t: ta + (i - a), method: "order", confidence: Math.min(0.9, 0.6 + 0.3 * sim) };
      }
      continue;
    }
    let from = ta + 1;
    for (let i = a + 1; i < b; i++) {
      if (q[i].blank || header(i)) continue;
      let bestT = -1;
      let bestS = 0.6;
      for (let t = from; t < tb && t < from + 400; t++) {
        const s = similarity(q[i].content, targets[t].content);
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
      const sim = q[i].blank ? (targets[t].content === "" ? 1 : 0) : similarity(q[i].content, targets[t].content);
      if (!(q[i].blank ? sim === 1 : sim >= 0.5)) break;
      match[i] = { t, method: "order", confidence: Math.min(0.85, 0.5 + 0.35 * sim) };
    }
    for (let i = a - 1, t = ta - 1; i >= 0 && q[i].seg === q[a].seg && !match[i]; i--, t--) {
      if (t < 0 || header(i)) break;
      const sim = q[i].blank ? (targets[t].content === "" ? 1 : 0) : similarity(q[i].content, targets[t].content);
      if (!(q[i].blank ? sim === 1 : sim >= 0.5)) break;
      match[i] = { t, method: "order", confidence: Math.min(0.85, 0.5 + 0.35 * sim) };
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
function trimSignoff(flat: BodyLine[], ls: number[]): number[] {
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

/** Runs of lines the replier wrote (prose and own diffs), cut at quotes, attributions, elisions and the signature. */
function commentRuns(flat: BodyLine[]): CommentRun[] {
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
function quotedAbove(flat: BodyLine[], start: number): { line: number; elided: boolean } | null {
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
  const tree = typeof reply === "string" ? (opts.tree ?? parseQuoteTree(reply)) : reply;
  const flat = flattenBody(tree);
  const idx = indexPatch(patch);
  const al = align(idx.targets, quotedLines(flat, 1));
  return commentRuns(flat).map((run) => ({ text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]] as [number, number], anchor: anchorRun(idx, al, flat, run) }));
}

function anchorRun(idx: PatchIndex, al: Alignment, flat: BodyLine[], run: CommentRun): Anchor | null {
  const above = quotedAbove(flat, run.start);
  if (!above) return null;
  const qi = al.qAt.get(above.line);
  if (qi === undefined) return null;
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
  const tree = typeof reply === "string" ? (opts.tree ?? parseQuoteTree(reply)) : reply;
  const flat = flattenBody(tree);
  return commentRuns(flat).map((run) => {
    const hit = parentFor(parentComments, flat, run.start);
    const c: InlineComment = { text: run.text, lines: [run.lines[0], run.lines[run.lines.length - 1]], anchor: null };
    if (hit) {
      const pa = parentComments[hit.index].anchor;
      c.inReplyTo = hit.index;
      c.anchor = pa ? { ...pa, confidence: Math.round(pa.confidence * hit.confidence * 100) / 100 } : null;
    }
    return c;
  });
}

function parentFor(parents: InlineComment[], flat: BodyLine[], start: number): { index: number; confidence: number } | null {
  if (!parents.length) return null;
  const parentLines = parents.map((p) => new Set(p.text.split("\n").map(norm).filter((s) => s.length > 0)));
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
        const sub = parents.findIndex((p) => norm(p.text).includes(c));
        if (sub >= 0) return { index: sub, confidence: 0.85 };
      }
    } else if (l.depth >= 2) {
      // the patch line the parent quoted (one level deeper here): the parent's comment below it
      const k = parents.findIndex((p) => p.anchor && norm(p.anchor.quotedLine) === c);
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
  const tree = typeof reply === "string" ? (opts.tree ?? parseQuoteTree(reply)) : reply;
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
