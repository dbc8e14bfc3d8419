// Step 3 of matching: quoted lines the alignment left out, placed by position when the gap has
// the same length on both sides ("order"), else by bigram similarity within the gap ("fuzzy").

import type { PatchIndex } from "./anchor-patch-index";
import type { Match, QLine } from "./anchor-quoted-lines";

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

/** Quoted lines the alignment left out: by position when the gap fits, else by similarity. */
export function fillGaps(pi: PatchIndex, q: QLine[], match: (Match | null)[]): void {
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
