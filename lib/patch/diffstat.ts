// Diffstat blocks (git's `--stat`, and the diffstat(1) tool's) and a check of one against a diff,
// so a diff that lost files or lines on its way through a mailer gets flagged.
//
//    drivers/mmc/core/core.c                 | 12 +++---
//    hw/{i2c => display}/i2c-ddc.c           |  2 +-
//    .../bindings/mmc/renesas,sdhi.yaml      |  4 +-
//    pixel.bmp                               | Bin 0 -> 142 bytes
//    3 files changed, 15 insertions(+), 84 deletions(-)
//    create mode 100644 banana
//    rename hw/{i2c => display}/i2c-ddc.c (99%)
//
// Line numbers are 0-based indexes into the input lines (+ baseLine); ranges are half-open.

import type { FileDiff, ParsedDiff } from "./diff";

export interface DiffstatEntry {
  /** the name as shown (may start with ".../" when git truncated it, may hold `{a => b}`) */
  raw: string;
  /** the new path (the right side of a rename), without the truncation marker */
  path: string;
  /** the old path of a rename, null otherwise */
  oldPath: string | null;
  /** git cut the front of the name: `path` is only a suffix of the real one */
  truncated: boolean;
  /** the number after `|` (insertions + deletions), null for binary files */
  changes: number | null;
  /** `+` and `-` characters of the graph (scaled down by git when wide: only the ratio is exact) */
  plus: number;
  minus: number;
  /** `Bin 0 -> 142 bytes`: sizes before and after; `Bin` alone gives nulls */
  binary: { from: number | null; to: number | null } | null;
  line: number;
}

export interface DiffstatSummary {
  files: number;
  insertions: number;
  deletions: number;
  line: number;
}

export interface DiffstatModeLine {
  kind: "create" | "delete" | "mode" | "rename" | "copy" | "rewrite";
  /** the path (new path for renames/copies) */
  path: string;
  oldPath: string | null;
  /** mode of create/delete; new mode of a mode change */
  mode: string | null;
  oldMode: string | null;
  /** percentage of rename/copy/rewrite */
  similarity: number | null;
  line: number;
}

export interface Diffstat {
  entries: DiffstatEntry[];
  summary: DiffstatSummary | null;
  modes: DiffstatModeLine[];
  startLine: number;
  endLine: number;
}

const ENTRY_RE = /^ ?(\S.*?)\s+\|\s+(?:(\d+)(?: ([+-]*))?|Bin(?: (\d+) -> (\d+) bytes)?|Unmerged)\s*$/;
const SUMMARY_RE = /^ ?(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?\s*$/;
const MODE_RE = /^ (create|delete) mode (\d+) (.+)$/;
const MODE_CHANGE_RE = /^ mode change (\d+) => (\d+) (.+)$/;
const RENAME_RE = /^ (rename|copy|rewrite) (.+?) \((\d+)%\)$/;

/** `dir/{old => new}/file` or `old => new` into [old, new]. */
export function expandRename(name: string): [string, string] | null {
  const b = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(name);
  if (b) {
    const join = (pre: string, mid: string, post: string) => (pre + mid + post).replace(/\/\//g, "/");
    return [join(b[1], b[2], b[4]), join(b[1], b[3], b[4])];
  }
  const i = name.indexOf(" => ");
  if (i > 0) return [name.slice(0, i), name.slice(i + 4)];
  return null;
}

function entryFrom(m: RegExpExecArray, line: number): DiffstatEntry {
  const raw = m[1].replace(/\s+$/, "");
  let name = raw;
  let truncated = false;
  if (name.startsWith("...")) {
    truncated = true;
    name = name.slice(3);
  }
  let path = name;
  let oldPath: string | null = null;
  const r = expandRename(name);
  if (truncated && !name.includes("{") && name.endsWith("}")) {
    // a truncated rename loses its `{`, and maybe its ` => `: "...d-files.patch => rpi-000-files.patch}",
    // "...erland-001-makefiles.patch}"
    const i = name.indexOf(" => ");
    oldPath = i >= 0 ? name.slice(0, i) : null;
    path = name.slice(i >= 0 ? i + 4 : 0, -1);
  } else if (r) {
    oldPath = r[0];
    path = r[1];
  }
  const graph = m[3] ?? "";
  const isBin = m[2] === undefined && /\|\s+Bin/.test(m[0]);
  return {
    raw,
    path,
    oldPath,
    truncated,
    changes: m[2] !== undefined ? Number(m[2]) : null,
    plus: (graph.match(/\+/g) ?? []).length,
    minus: (graph.match(/-/g) ?? []).length,
    binary: isBin ? { from: m[4] !== undefined ? Number(m[4]) : null, to: m[5] !== undefined ? Number(m[5]) : null } : null,
    line,
  };
}

function modeFrom(l: string, line: number): DiffstatModeLine | null {
  let m = MODE_RE.exec(l);
  if (m) return { kind: m[1] as "create" | "delete", path: m[3], oldPath: null, mode: m[2], oldMode: null, similarity: null, line };
  m = MODE_CHANGE_RE.exec(l);
  if (m) return { kind: "mode", path: m[3], oldPath: null, mode: m[2], oldMode: m[1], similarity: null, line };
  m = RENAME_RE.exec(l);
  if (m) {
    const r = expandRename(m[2]);
    return {
      kind: m[1] as "rename" | "copy" | "rewrite",
      path: r ? r[1] : m[2],
      oldPath: r ? r[0] : null,
      mode: null,
      oldMode: null,
      similarity: Number(m[3]),
      line,
    };
  }
  return null;
}

export function isDiffstatEntry(l: string): boolean {
  return ENTRY_RE.test(l);
}

export function isDiffstatSummary(l: string): boolean {
  return SUMMARY_RE.test(l);
}

/**
 * Finds the first diffstat block in `lines` from `from`: one or more entry lines, the summary
 * line, then mode/rename lines. A block without its summary line is accepted only when it has
 * at least two entries. Null when there is none.
 */
export function findDiffstat(lines: string[], opts: { from?: number; to?: number; baseLine?: number } = {}): Diffstat | null {
  const base = opts.baseLine ?? 0;
  const to = Math.min(opts.to ?? lines.length, lines.length);
  for (let i = opts.from ?? 0; i < to; i++) {
    if (!ENTRY_RE.test(lines[i]) && !SUMMARY_RE.test(lines[i])) continue;
    const entries: DiffstatEntry[] = [];
    let j = i;
    while (j < to) {
      const m = ENTRY_RE.exec(lines[j]);
      if (!m) break;
      entries.push(entryFrom(m, base + j));
      j++;
    }
    let summary: DiffstatSummary | null = null;
    const sm = j < to ? SUMMARY_RE.exec(lines[j]) : null;
    if (sm) {
      summary = { files: Number(sm[1]), insertions: Number(sm[2] ?? 0), deletions: Number(sm[3] ?? 0), line: base + j };
      j++;
    }
    if (!summary && entries.length < 2) continue;
    const modes: DiffstatModeLine[] = [];
    while (j < to) {
      const md = modeFrom(lines[j], base + j);
      if (!md) break;
      modes.push(md);
      j++;
    }
    return { entries, summary, modes, startLine: base + i, endLine: base + j };
  }
  return null;
}

/** parse a diffstat text (the block may be preceded by other lines) */
export function parseDiffstat(text: string, opts: { baseLine?: number } = {}): Diffstat | null {
  return findDiffstat(text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l)), opts);
}

// ---------------------------------------------------------------------------------------------
// checking

export interface DiffstatMismatch {
  kind:
    | "missing-from-diff" // the diffstat names a file the diff does not have
    | "missing-from-stat" // the diff has a file the diffstat does not name
    | "count-mismatch" // insertions + deletions differ for a file
    | "binary-mismatch" // binary in one, text in the other
    | "summary-mismatch"; // the totals line disagrees with the diff
  path: string | null;
  expected: number | null;
  actual: number | null;
  detail: string;
  line: number | null;
}

function fileMatches(e: DiffstatEntry, f: FileDiff): boolean {
  const names = [f.newPath, f.oldPath].filter((x): x is string => x !== null);
  const test = (p: string) => (e.truncated ? names.some((n) => n.endsWith(p)) : names.includes(p));
  if (!test(e.path)) return false;
  // a rename must also agree on the old name (a truncated one only on its visible tail)
  if (e.oldPath === null || f.oldPath === null || f.status !== "renamed") return true;
  return e.truncated ? true : f.oldPath === e.oldPath;
}

/**
 * Compares a diffstat with a diff: every file named on both sides, the same number of changed
 * lines per file (binary files: binary on both sides) and the same totals. An empty array means
 * they agree. Counting note: git counts a modified binary file as 0 lines.
 */
export function checkDiffstat(stat: Diffstat, diff: ParsedDiff): DiffstatMismatch[] {
  const out: DiffstatMismatch[] = [];
  const used = new Set<number>();
  for (const e of stat.entries) {
    // prefer an exact, unused match; truncated names match by suffix
    let idx = diff.files.findIndex((f, k) => !used.has(k) && fileMatches(e, f));
    if (idx < 0) idx = diff.files.findIndex((f) => fileMatches(e, f));
    if (idx < 0) {
      out.push({ kind: "missing-from-diff", path: e.path, expected: e.changes, actual: null, detail: `diffstat names ${e.raw}, the diff does not have it`, line: e.line });
      continue;
    }
    used.add(idx);
    const f = diff.files[idx];
    if (e.binary) {
      if (!f.binary) out.push({ kind: "binary-mismatch", path: e.path, expected: null, actual: f.added + f.removed, detail: `${e.path}: binary in the diffstat, text in the diff`, line: e.line });
      continue;
    }
    const actual = f.added + f.removed;
    if (f.binary && e.changes === 0) continue;
    if (f.binary) {
      out.push({ kind: "binary-mismatch", path: e.path, expected: e.changes, actual: null, detail: `${e.path}: text in the diffstat, binary in the diff`, line: e.line });
      continue;
    }
    if (e.changes !== null && e.changes !== actual) {
      out.push({
        kind: "count-mismatch",
        path: e.path,
        expected: e.changes,
        actual,
        detail: `${e.path}: diffstat says ${e.changes} changed lines, the diff has ${actual} (+${f.added} -${f.removed})`,
        line: e.line,
      });
    }
  }
  if (stat.entries.length) {
    diff.files.forEach((f, k) => {
      if (!used.has(k)) out.push({ kind: "missing-from-stat", path: f.path, expected: null, actual: f.added + f.removed, detail: `the diff has ${f.path}, the diffstat does not name it`, line: null });
    });
  }
  if (stat.summary) {
    const s = stat.summary;
    if (s.files !== diff.files.length)
      out.push({ kind: "summary-mismatch", path: null, expected: s.files, actual: diff.files.length, detail: `${s.files} files changed, the diff has ${diff.files.length}`, line: s.line });
    if (s.insertions !== diff.added)
      out.push({ kind: "summary-mismatch", path: null, expected: s.insertions, actual: diff.added, detail: `${s.insertions} insertions, the diff has ${diff.added}`, line: s.line });
    if (s.deletions !== diff.removed)
      out.push({ kind: "summary-mismatch", path: null, expected: s.deletions, actual: diff.removed, detail: `${s.deletions} deletions, the diff has ${diff.removed}`, line: s.line });
  }
  return out;
}
