// The input of `related`: a unified diff (git diff, git format-patch output, a whole patch mail)
// read into the files, hunks and functions it touches. Pure.

import { parseDiff, patchId } from "../patch";
import { hunkFunctions } from "./functions";
import type { QueryFile, RelatedQuery } from "./types";

/** The input is not something `related` can read; the message says what to give instead. */
export class RelatedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RelatedInputError";
  }
}

/** At most this many identifiers per file are matched against stored hunks (the rest are noise). */
export const MAX_IDENTIFIERS = 40;

export const hunkLabel = (h: { oldStart: number; oldLines: number; newStart: number; newLines: number }) =>
  `-${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines}`;

export function buildQuery(text: string): RelatedQuery {
  if (!text.trim()) throw new RelatedInputError("the input is empty: give a unified diff (git diff or git format-patch output)");
  if (text.includes("\u0000")) throw new RelatedInputError("the input is binary, not a unified diff");
  const diff = parseDiff(text);
  if (!diff.files.length) {
    throw new RelatedInputError("no diff found in the input: expected a unified diff (`diff --git` or `---`/`+++` lines followed by `@@` hunks)");
  }
  const byPath = new Map<string, QueryFile>();
  for (const f of diff.files) {
    const q: QueryFile = byPath.get(f.path) ?? {
      path: f.path,
      oldPath: f.oldPath && f.oldPath !== f.path ? f.oldPath : null,
      status: f.status,
      hunks: [],
      functions: [],
      called: [],
    };
    const fns = new Set(q.functions);
    const called = new Set(q.called);
    for (const h of f.hunks) {
      const hf = hunkFunctions(h, f.path);
      hf.touched.forEach((x) => fns.add(x));
      hf.called.forEach((x) => called.add(x));
      q.hunks.push({ oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines, heading: h.heading, functions: hf.touched });
    }
    for (const x of fns) called.delete(x);
    q.functions = [...fns];
    q.called = [...called].slice(0, MAX_IDENTIFIERS);
    byPath.set(f.path, q);
  }
  return { files: [...byPath.values()], patchId: patchId(text), added: diff.added, removed: diff.removed };
}

/** Every path the input names (new and old paths), for the candidate query. */
export function queryPaths(q: RelatedQuery): string[] {
  const s = new Set<string>();
  for (const f of q.files) {
    s.add(f.path);
    if (f.oldPath) s.add(f.oldPath);
  }
  return [...s];
}

/** The identifiers to look for in stored hunks' changed lines: functions first, then calls. */
export function queryIdentifiers(q: RelatedQuery): string[] {
  const s = new Set<string>();
  for (const f of q.files) for (const x of f.functions) if (/^[A-Za-z_]\w*$/.test(x)) s.add(x);
  for (const f of q.files) for (const x of f.called) s.add(x);
  return [...s].slice(0, 200);
}
