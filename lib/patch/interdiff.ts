// What changed between two versions of a patch, and between two versions of a series, from the
// mails alone (no git tree): range-diff style. Pure.
//
// interdiff(a, b): files are matched by path (renames followed: a file renamed in one version
// is matched through its old name); for a file in both, the two patches' hunk bodies are
// compared line by line — each patch line with its own marker (" ctx", "-old", "+new") and each
// hunk header reduced to its section heading ("@@ func"), so that moved line numbers do not
// count — with a Myers diff. The result is structured (per file, hunks of outer operations on
// patch lines) and rendered as text the way `git range-diff` shows a patch pair: an outer
// marker in front of the inner patch line ("-+foo": a line the old version added and the new
// one no longer adds).
//
// compareSeries(a, b): every patch of b is "unchanged" (same patch-id as a patch of a),
// "changed" (matched by title, or by position and touched files) or "added"; patches of a left
// unmatched are "dropped".

import { createHash } from "node:crypto";
import type { FileDiff, ParsedDiff } from "./diff";
import { patchId } from "./patchid";

// Myers diff on string arrays

export type EditOp = "=" | "-" | "+";

export interface Edit {
  op: EditOp;
  /** index in a ("=" and "-") */
  a: number | null;
  /** index in b ("=" and "+") */
  b: number | null;
}

/** Shortest edit script between a and b (Myers' O(ND) greedy algorithm), as a list of edits in order. */
export function diffSequences(a: readonly string[], b: readonly string[], opts: { maxCost?: number } = {}): Edit[] {
  // common prefix and suffix first: cheap and keeps D small
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const A = a.slice(pre, a.length - suf);
  const B = b.slice(pre, b.length - suf);
  const out: Edit[] = [];
  for (let k = 0; k < pre; k++) out.push({ op: "=", a: k, b: k });
  const mid = myers(A, B, opts.maxCost ?? 4000);
  for (const e of mid) out.push({ op: e.op, a: e.a === null ? null : e.a + pre, b: e.b === null ? null : e.b + pre });
  for (let k = 0; k < suf; k++) out.push({ op: "=", a: a.length - suf + k, b: b.length - suf + k });
  return out;
}

function myers(a: readonly string[], b: readonly string[], maxCost: number): Edit[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((_, k) => ({ op: "+" as const, a: null, b: k }));
  if (m === 0) return a.map((_, k) => ({ op: "-" as const, a: k, b: null }));
  const max = n + m;
  const off = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, maxCost); d++) {
    trace.push(v.slice());
    const nv = v;
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && nv[off + k - 1] < nv[off + k + 1])) x = nv[off + k + 1];
      else x = nv[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      nv[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) {
      trace.push(nv.slice());
      break;
    }
    v = nv;
  }
  if (found < 0) {
    // too different: everything removed, everything added
    return [...a.map((_, k) => ({ op: "-" as const, a: k, b: null })), ...b.map((_, k) => ({ op: "+" as const, a: null, b: k }))];
  }
  // backtrack
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const pv = trace[d]; // V before step d was computed (state after d-1)
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && pv[off + k - 1] < pv[off + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = pv[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: "=", a: --x, b: --y });
    }
    if (x === prevX) edits.push({ op: "+", a: null, b: --y });
    else edits.push({ op: "-", a: --x, b: null });
  }
  while (x > 0 && y > 0) edits.push({ op: "=", a: --x, b: --y });
  return edits.reverse();
}

// ---------------------------------------------------------------------------------------------
// interdiff of two versions of one patch

/** One line of a patch as compared: hunk headers reduced to "@@ <heading>". */
export interface PatchLineRef {
  text: string;
  /** index of the hunk in the file, and of the line in the hunk (-1 for the hunk header) */
  hunk: number;
  line: number;
  /** the line's index in the mail text it was parsed from (DiffLine.line / Hunk.startLine) */
  source: number;
}

export interface InterdiffLine {
  op: EditOp;
  /** the patch line with its own marker ("+foo", " bar", "@@ func") */
  text: string;
  a: PatchLineRef | null;
  b: PatchLineRef | null;
}

export interface InterdiffHunk {
  /** 1-based positions and counts in the sequences of patch lines of a and b */
  aStart: number;
  aLines: number;
  bStart: number;
  bLines: number;
  lines: InterdiffLine[];
}

export type InterdiffFileStatus =
  /** the new version touches a file the old one did not */
  | "added"
  /** the old version touched a file the new one no longer does */
  | "removed"
  | "changed"
  | "unchanged";

export interface InterdiffFile {
  status: InterdiffFileStatus;
  /** the file's path in a and in b (null when absent from that version) */
  aPath: string | null;
  bPath: string | null;
  /** how a and b were paired */
  matchedBy: "path" | "rename" | null;
  /** differences of the file header: status, modes, rename, binary contents */
  headerChanges: string[];
  hunks: InterdiffHunk[];
}

export interface Interdiff {
  files: InterdiffFile[];
  /** true when nothing differs (same files, same patch lines, same headers) */
  identical: boolean;
  /** the interdiff as text, range-diff style */
  text: string;
}

function fileKey(f: FileDiff): string {
  return f.newPath ?? f.oldPath ?? f.path;
}

/** Pairs the files of a and b: same path, then through renames. */
function pairFiles(a: FileDiff[], b: FileDiff[]): { a: FileDiff | null; b: FileDiff | null; by: "path" | "rename" | null }[] {
  const usedA = new Set<number>();
  const pairOf = new Map<number, { k: number; by: "path" | "rename" }>();
  // 1. same resulting path
  b.forEach((fb, j) => {
    const k = a.findIndex((fa, i) => !usedA.has(i) && fileKey(fa) === fileKey(fb) && (fa.oldPath ?? fa.newPath) !== null);
    if (k >= 0) {
      usedA.add(k);
      pairOf.set(j, { k, by: "path" });
    }
  });
  // 2. renames: b renames what a touched, or a renamed what b touches, or both renamed from one source
  b.forEach((fb, j) => {
    if (pairOf.has(j)) return;
    const names = new Set([fb.oldPath, fb.newPath].filter((x): x is string => x !== null));
    const k = a.findIndex((fa, i) => !usedA.has(i) && [fa.oldPath, fa.newPath].some((p) => p !== null && names.has(p)));
    if (k >= 0) {
      usedA.add(k);
      pairOf.set(j, { k, by: "rename" });
    }
  });
  const out: { a: FileDiff | null; b: FileDiff | null; by: "path" | "rename" | null }[] = [];
  b.forEach((fb, j) => {
    const p = pairOf.get(j);
    out.push(p ? { a: a[p.k], b: fb, by: p.by } : { a: null, b: fb, by: null });
  });
  a.forEach((fa, i) => {
    if (!usedA.has(i)) out.push({ a: fa, b: null, by: null });
  });
  return out;
}

/** The patch lines of a file as compared. */
export function patchLines(f: FileDiff): PatchLineRef[] {
  const out: PatchLineRef[] = [];
  f.hunks.forEach((h, hi) => {
    out.push({ text: h.heading ? `@@ ${h.heading}` : "@@", hunk: hi, line: -1, source: h.startLine });
    h.lines.forEach((l, li) => {
      const text = l.kind === "\\" ? `\\ ${l.text}` : l.kind + l.text;
      out.push({ text, hunk: hi, line: li, source: l.line });
    });
  });
  return out;
}

function headerChanges(a: FileDiff, b: FileDiff): string[] {
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status: ${a.status} -> ${b.status}`);
  if ((a.oldPath ?? "") !== (b.oldPath ?? "") && (a.status === "renamed" || b.status === "renamed" || a.status === "copied" || b.status === "copied"))
    out.push(`source: ${a.oldPath ?? "/dev/null"} -> ${b.oldPath ?? "/dev/null"}`);
  if (fileKey(a) !== fileKey(b)) out.push(`path: ${fileKey(a)} -> ${fileKey(b)}`);
  if (a.oldMode !== b.oldMode && a.oldMode !== null && b.oldMode !== null) out.push(`old mode: ${a.oldMode} -> ${b.oldMode}`);
  if (a.newMode !== b.newMode && a.newMode !== null && b.newMode !== null) out.push(`new mode: ${a.newMode} -> ${b.newMode}`);
  if (a.binary !== b.binary) out.push(`binary: ${a.binary} -> ${b.binary}`);
  else if (a.binary && b.binary) {
    const ka = a.binaryPatch ? a.binaryPatch.lines.join("\n") : `${a.oldHash}..${a.newHash}`;
    const kb = b.binaryPatch ? b.binaryPatch.lines.join("\n") : `${b.oldHash}..${b.newHash}`;
    if (ka !== kb) out.push("binary contents differ");
  }
  return out;
}

function hunksFromEdits(edits: Edit[], A: PatchLineRef[], B: PatchLineRef[], context: number): InterdiffHunk[] {
  const hunks: InterdiffHunk[] = [];
  const changed = edits.map((e) => e.op !== "=");
  let prevEnd = 0;
  let i = 0;
  while (i < edits.length) {
    if (!changed[i]) {
      i++;
      continue;
    }
    // a run of changes, extended while the gap to the next change is <= 2*context
    let start = Math.max(0, i - context);
    let end = i;
    for (;;) {
      while (end < edits.length && changed[end]) end++;
      let next = end;
      while (next < edits.length && !changed[next]) next++;
      if (next < edits.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      end = Math.min(edits.length, end + context);
      break;
    }
    // never overlap the previous hunk's trailing context
    if (start < prevEnd) start = prevEnd;
    const lines: InterdiffLine[] = [];
    let aFirst = -1;
    let bFirst = -1;
    let aCount = 0;
    let bCount = 0;
    let aBefore = 0;
    let bBefore = 0;
    for (let k = 0; k < start; k++) {
      if (edits[k].op !== "+") aBefore++;
      if (edits[k].op !== "-") bBefore++;
    }
    for (let k = start; k < end; k++) {
      const e = edits[k];
      const ra = e.a !== null ? A[e.a] : null;
      const rb = e.b !== null ? B[e.b] : null;
      lines.push({ op: e.op, text: (ra ?? rb)!.text, a: ra, b: rb });
      if (e.op !== "+") {
        if (aFirst < 0) aFirst = e.a!;
        aCount++;
      }
      if (e.op !== "-") {
        if (bFirst < 0) bFirst = e.b!;
        bCount++;
      }
    }
    const h: InterdiffHunk = {
      aStart: aCount ? aFirst + 1 : aBefore,
      aLines: aCount,
      bStart: bCount ? bFirst + 1 : bBefore,
      bLines: bCount,
      lines,
    };
    hunks.push(h);
    prevEnd = end;
    i = end;
  }
  return hunks;
}

function range(start: number, n: number): string {
  return n === 1 ? `${start}` : `${start},${n}`;
}

function renderFile(f: InterdiffFile): string[] {
  const out: string[] = [];
  const an = f.aPath ?? "/dev/null";
  const bn = f.bPath ?? "/dev/null";
  out.push(`interdiff ${f.aPath ?? f.bPath} (${f.status})`);
  for (const c of f.headerChanges) out.push(`## ${c}`);
  if (f.hunks.length) {
    out.push(`--- a/${an}`, `+++ b/${bn}`);
    for (const h of f.hunks) {
      out.push(`@@ -${range(h.aStart, h.aLines)} +${range(h.bStart, h.bLines)} @@`);
      for (const l of h.lines) out.push((l.op === "=" ? " " : l.op) + l.text);
    }
  }
  return out;
}

/**
 * What changed from patch version a to version b (see the file comment). `context` is the
 * number of unchanged patch lines shown around each change (default 3).
 */
export function interdiff(a: ParsedDiff, b: ParsedDiff, opts: { context?: number } = {}): Interdiff {
  const context = opts.context ?? 3;
  const files: InterdiffFile[] = [];
  for (const p of pairFiles(a.files, b.files)) {
    if (p.a && !p.b) {
      const A = patchLines(p.a);
      files.push({
        status: "removed",
        aPath: fileKey(p.a),
        bPath: null,
        matchedBy: null,
        headerChanges: [],
        hunks: A.length ? hunksFromEdits(A.map((_, k) => ({ op: "-" as const, a: k, b: null })), A, [], context) : [],
      });
      continue;
    }
    if (!p.a && p.b) {
      const B = patchLines(p.b);
      files.push({
        status: "added",
        aPath: null,
        bPath: fileKey(p.b),
        matchedBy: null,
        headerChanges: [],
        hunks: B.length ? hunksFromEdits(B.map((_, k) => ({ op: "+" as const, a: null, b: k })), [], B, context) : [],
      });
      continue;
    }
    const fa = p.a!;
    const fb = p.b!;
    const A = patchLines(fa);
    const B = patchLines(fb);
    const edits = diffSequences(
      A.map((x) => x.text),
      B.map((x) => x.text),
    );
    const hunks = hunksFromEdits(edits, A, B, context);
    const hc = headerChanges(fa, fb);
    files.push({
      status: hunks.length || hc.length ? "changed" : "unchanged",
      aPath: fileKey(fa),
      bPath: fileKey(fb),
      matchedBy: p.by,
      headerChanges: hc,
      hunks,
    });
  }
  const text = files
    .filter((f) => f.status !== "unchanged")
    .flatMap(renderFile)
    .join("\n");
  return { files, identical: files.every((f) => f.status === "unchanged"), text: text ? text + "\n" : "" };
}

// ---------------------------------------------------------------------------------------------
// series comparison

export interface SeriesPatchInput {
  /** the patch's title (PatchMail.title), used to pair changed patches */
  title: string;
  diff: ParsedDiff | null;
  /** precomputed patch-id; computed from diff when absent */
  patchId?: string | null;
  /** position in the series (1-based), defaults to the index + 1 */
  number?: number;
}

export type SeriesEntryStatus = "unchanged" | "changed" | "added" | "dropped";

export interface SeriesEntry {
  status: SeriesEntryStatus;
  /** index into aPatches / bPatches */
  a: number | null;
  b: number | null;
  /** how a and b were paired: same patch-id, same content once whitespace and line numbers
   * are ignored, similar title, or same position touching the same files */
  method: "patch-id" | "content" | "title" | "position+files" | null;
  /** title similarity 0..1 (Dice on character bigrams) of a paired entry */
  titleSimilarity: number | null;
  /** the interdiff of a changed pair (when opts.interdiff is not false) */
  interdiff: Interdiff | null;
}

export interface SeriesComparison {
  /** in the order of b; a dropped patch of a comes just before the b entry that takes its place */
  entries: SeriesEntry[];
  counts: Record<SeriesEntryStatus, number>;
}

function normTitle(t: string): string {
  return t
    .toLowerCase()
    .replace(/^(\s*\[[^\]]*\]\s*)+/, "")
    .replace(/\s+/g, " ")
    .trim();
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) {
    const g = s.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/**
 * Dice coefficient on character bigrams of two patch titles, 0..1 (tolerates small rewordings
 * between versions; compareSeries' pairing thresholds are tuned on it).
 */
export function titleBigramDice(a: string, b: string): number {
  const x = normTitle(a);
  const y = normTitle(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const ga = bigrams(x);
  const gb = bigrams(y);
  let both = 0;
  for (const [g, n] of ga) both += Math.min(n, gb.get(g) ?? 0);
  return (2 * both) / (x.length - 1 + (y.length - 1));
}

/** A key that ignores whitespace and hunk line numbers (for diffs git's patch-id does not cover). */
function contentKey(d: ParsedDiff | null): string | null {
  if (!d || !d.files.length) return null;
  const h = createHash("sha1");
  for (const f of d.files) {
    h.update(`${f.oldPath ?? ""}\0${f.newPath ?? ""}\0${f.status}\0`);
    for (const hk of f.hunks) for (const l of hk.lines) if (l.kind !== "\\") h.update(l.kind + l.text.replace(/\s+/g, "") + "\n");
    if (f.binaryPatch) h.update(f.binaryPatch.lines.join("\n"));
  }
  return h.digest("hex");
}

function filesOf(d: ParsedDiff | null): Set<string> {
  const s = new Set<string>();
  for (const f of d?.files ?? []) {
    if (f.oldPath) s.add(f.oldPath);
    if (f.newPath) s.add(f.newPath);
  }
  return s;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

export interface CompareSeriesOptions {
  /** minimum title similarity to pair two patches by title (default 0.75) */
  minTitleSimilarity?: number;
  /** minimum file overlap (Jaccard) to pair two patches at the same position (default 0.5) */
  minFileOverlap?: number;
  /** compute the interdiff of changed pairs (default true) */
  interdiff?: boolean;
}

/** Series-level comparison of version a and version b (see the file comment). */
export function compareSeries(aPatches: SeriesPatchInput[], bPatches: SeriesPatchInput[], opts: CompareSeriesOptions = {}): SeriesComparison {
  const minTitle = opts.minTitleSimilarity ?? 0.75;
  const minFiles = opts.minFileOverlap ?? 0.5;
  const idOf = (p: SeriesPatchInput) => (p.patchId !== undefined ? p.patchId : p.diff ? patchId(p.diff) : null);
  const aIds = aPatches.map(idOf);
  const bIds = bPatches.map(idOf);
  const aKeys = aPatches.map((p) => contentKey(p.diff));
  const bKeys = bPatches.map((p) => contentKey(p.diff));
  const pairB = new Map<number, { a: number; method: SeriesEntry["method"]; sim: number }>();
  const usedA = new Set<number>();
  const take = (j: number, i: number, method: SeriesEntry["method"]) => {
    usedA.add(i);
    pairB.set(j, { a: i, method, sim: titleBigramDice(aPatches[i].title, bPatches[j].title) });
  };

  // 1. same patch-id (prefer the same position among equal ids)
  bPatches.forEach((_, j) => {
    if (!bIds[j]) return;
    let best = -1;
    aPatches.forEach((_, i) => {
      if (usedA.has(i) || aIds[i] !== bIds[j]) return;
      if (best < 0 || Math.abs(i - j) < Math.abs(best - j)) best = i;
    });
    if (best >= 0) take(j, best, "patch-id");
  });
  // 2. same content where git has no id (no `diff --git` line), whitespace and numbers aside
  bPatches.forEach((_, j) => {
    if (pairB.has(j) || !bKeys[j] || bIds[j]) return;
    const i = aPatches.findIndex((_, k) => !usedA.has(k) && !aIds[k] && aKeys[k] === bKeys[j]);
    if (i >= 0) take(j, i, "content");
  });
  // 3. titles: best pairs first
  const cands: { i: number; j: number; s: number }[] = [];
  bPatches.forEach((pb, j) => {
    if (pairB.has(j)) return;
    aPatches.forEach((pa, i) => {
      if (usedA.has(i)) return;
      const s = titleBigramDice(pa.title, pb.title);
      if (s >= minTitle) cands.push({ i, j, s });
    });
  });
  cands.sort((x, y) => y.s - x.s || Math.abs(x.i - x.j) - Math.abs(y.i - y.j));
  for (const c of cands) {
    if (pairB.has(c.j) || usedA.has(c.i)) continue;
    take(c.j, c.i, "title");
  }
  // 4. same position, same files
  bPatches.forEach((pb, j) => {
    if (pairB.has(j)) return;
    const posB = pb.number ?? j + 1;
    const i = aPatches.findIndex((pa, k) => !usedA.has(k) && (pa.number ?? k + 1) === posB);
    if (i >= 0 && jaccard(filesOf(aPatches[i].diff), filesOf(pb.diff)) >= minFiles) take(j, i, "position+files");
  });

  const entries: SeriesEntry[] = [];
  const dropped = aPatches.map((_, i) => i).filter((i) => !usedA.has(i));
  let di = 0;
  bPatches.forEach((pb, j) => {
    const p = pairB.get(j);
    // dropped patches of a go before the b entry that takes their place: before a paired entry
    // whose a comes later, or before an added entry at their position (replaced)
    while (di < dropped.length && (p ? dropped[di] < p.a : dropped[di] <= j)) entries.push(droppedEntry(dropped[di++]));
    if (!p) {
      entries.push({ status: "added", a: null, b: j, method: null, titleSimilarity: null, interdiff: null });
      return;
    }
    const status: SeriesEntryStatus = p.method === "patch-id" || p.method === "content" ? "unchanged" : "changed";
    const pa = aPatches[p.a];
    entries.push({
      status,
      a: p.a,
      b: j,
      method: p.method,
      titleSimilarity: p.sim,
      interdiff: status === "changed" && opts.interdiff !== false && pa.diff && pb.diff ? interdiff(pa.diff, pb.diff) : null,
    });
  });
  while (di < dropped.length) entries.push(droppedEntry(dropped[di++]));
  const counts: Record<SeriesEntryStatus, number> = { unchanged: 0, changed: 0, added: 0, dropped: 0 };
  for (const e of entries) counts[e.status]++;
  return { entries, counts };
}

function droppedEntry(i: number): SeriesEntry {
  return { status: "dropped", a: i, b: null, method: null, titleSimilarity: null, interdiff: null };
}
