// The patch side of matching: every line of a patch (message, file headers, hunk headers, hunk
// lines, wrapped tails) as a target, indexed by marker and collapsed text, built once per patch.

import { parseDiff, type FileDiff, type ParsedDiff } from "../patch/diff";
import { collapseSpace } from "./norm";
import type { PatchSource } from "./anchor-types";

type TargetKind = "msg" | "file" | "hunk" | "line";

export interface Target {
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
export function classify(line: string): { prefix: string; content: string; nums?: string } {
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

export interface PatchIndex {
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
export function mayJoin(idx: PatchIndex, prefix: string, a: string): boolean {
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

export function patchIndex(patch: PatchSource | ParsedDiff): PatchIndex {
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
