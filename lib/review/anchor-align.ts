// Steps 1-2 of matching: candidate patch lines for each quoted line (exact, fuzzy, hunk numbers),
// aligned by a weighted longest increasing subsequence; then gaps filled and weak segments dropped.

import type { AnchorMethod } from "./anchor-types";
import { mayJoin, type PatchIndex } from "./anchor-patch-index";
import type { Match, QLine } from "./anchor-quoted-lines";
import { fillGaps } from "./anchor-fill-gaps";

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

export interface Alignment {
  q: QLine[];
  match: (Match | null)[];
  /** body line -> index into q */
  qAt: Int32Array;
}

const NONE: number[] = [];

export function align(idx: PatchIndex, qlines: QLine[]): Alignment {
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
