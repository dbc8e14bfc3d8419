// What a review page shows of an anchored discussion, decided once by the review pass (lib/db/
// reviews.ts) on the diff it anchored on and stored with the anchor, so the page and the API read
// it instead of re-splitting the patch (and, for a patch in an attachment, re-reading the MIME
// message) at every request:
//  * anchoredCode: the code above the comment (the hunk lines up to the anchored line);
//  * diffPlacer: the row of the patch's diff the discussion sits under (a file header, a hunk
//    header or a line).
// Pure.

import type { FileDiff, ParsedDiff } from "../patch/diff";
import type { Anchor } from "./anchor";

/** How many code lines a discussion shows above its anchored line. */
export const CODE_ABOVE = 6;

/** The text an anchor was made on: the patch body (or its attachment) and the diff parsed from it. */
export interface AnchoredText {
  body: string;
  diff: ParsedDiff;
}

/** The anchored code: the hunk lines up to and including the anchored line, as the patch has them. */
export function anchoredCode(anchor: Anchor | null, text: AnchoredText | null | undefined): string[] {
  if (!anchor) return [];
  if (anchor.part === "message") {
    if (!text) return [anchor.patchText];
    const lines = text.body.replace(/\r\n?/g, "\n").split("\n");
    const out: string[] = [];
    for (let i = anchor.line; i >= 0 && i >= anchor.line - CODE_ABOVE; i--) {
      if (i < anchor.line && lines[i].trim() === "") break;
      out.unshift(lines[i]);
    }
    return out.length ? out : [anchor.patchText];
  }
  const file = text?.diff.files[anchor.fileIndex];
  if (!file || file.path !== anchor.file) return [anchor.patchText];
  const hunk = anchor.hunkIndex >= 0 ? file.hunks[anchor.hunkIndex] : undefined;
  if (!hunk) return [anchor.patchText];
  if (anchor.lineIndexInHunk < 0) return [hunk.header];
  const out: string[] = [];
  for (let i = Math.max(0, anchor.lineIndexInHunk - CODE_ABOVE); i <= anchor.lineIndexInHunk && i < hunk.lines.length; i++) {
    const l = hunk.lines[i];
    out.push(l.kind === "\\" ? `\\ ${l.text}` : l.kind + l.text);
  }
  return out;
}

/** A row of a parsed diff: a file's header lines (hunkIndex -1), a hunk header (lineIndex -1), or a hunk line. */
export interface DiffPlace {
  fileIndex: number;
  hunkIndex: number;
  lineIndex: number;
}

function samePath(f: FileDiff, path: string): boolean {
  return f.path === path || f.newPath === path || f.oldPath === path;
}

/**
 * Where diff anchors show in `diff`: the row of the patch body line an anchor names (patchLine)
 * when that row is in the anchor's file, else the file's header for an anchor on it, else the line
 * with the anchor's number on its side in its file (an anchor ported from another version whose
 * patchLine is not this diff's); null when the diff has none of these.
 */
export function diffPlacer(diff: ParsedDiff): (anchor: Anchor | null) => DiffPlace | null {
  const atLine = new Map<number, DiffPlace>();
  diff.files.forEach((f, fileIndex) =>
    f.hunks.forEach((h, hunkIndex) => {
      atLine.set(h.startLine, { fileIndex, hunkIndex, lineIndex: -1 });
      h.lines.forEach((l, lineIndex) => atLine.set(l.line, { fileIndex, hunkIndex, lineIndex }));
    }),
  );
  return (anchor) => {
    if (anchor?.part !== "diff") return null;
    const hit = atLine.get(anchor.patchLine);
    if (hit && samePath(diff.files[hit.fileIndex], anchor.file)) return hit;
    if (anchor.hunkIndex === -1) {
      const fileIndex = diff.files.findIndex((f) => samePath(f, anchor.file));
      if (fileIndex >= 0) return { fileIndex, hunkIndex: -1, lineIndex: -1 };
    }
    return byNumber(diff, anchor);
  };
}

/** The line numbered as the anchor on its side, in the anchor's file. */
function byNumber(diff: ParsedDiff, a: Extract<Anchor, { part: "diff" }>): DiffPlace | null {
  const line = a.side === "old" ? a.oldLine : (a.newLine ?? a.oldLine);
  if (!a.file || line === null) return null;
  const side = a.side ?? "new";
  for (let fi = 0; fi < diff.files.length; fi++) {
    const f = diff.files[fi];
    if (!samePath(f, a.file)) continue;
    for (let hi = 0; hi < f.hunks.length; hi++) {
      const lines = f.hunks[hi].lines;
      for (let li = 0; li < lines.length; li++) {
        const n = side === "old" ? lines[li].oldLine : lines[li].newLine;
        if (n === line && (side === "old" ? lines[li].kind !== "+" : lines[li].kind !== "-")) return { fileIndex: fi, hunkIndex: hi, lineIndex: li };
      }
    }
  }
  return null;
}

/** What the review pass stores with an anchor (as `shown` in its JSON) for the pages to read. */
export interface ShownAnchor {
  /** anchoredCode */
  code: string[];
  /** diffPlacer on the patch's diff (the one the page shows); null: not in it, or a commit-message anchor */
  place: DiffPlace | null;
}

/** An anchor as the discussion table stores it (anchor, carried_anchor): the anchor and what it shows. */
export type StoredAnchor = Anchor & { shown?: ShownAnchor };

const placers = new WeakMap<ParsedDiff, (anchor: Anchor | null) => DiffPlace | null>();

/** The anchor with what it shows on `text` (the patch it is on, when its text could be read), to store. */
export function withShown(stored: StoredAnchor, text: AnchoredText | null | undefined): StoredAnchor {
  const { anchor } = splitShown(stored);
  let place: ((a: Anchor | null) => DiffPlace | null) | undefined;
  if (text) {
    place = placers.get(text.diff);
    if (!place) placers.set(text.diff, (place = diffPlacer(text.diff)));
  }
  return { ...anchor, shown: { code: anchoredCode(anchor, text), place: place ? place(anchor) : null } };
}

/** The anchor without what the pass stored with it, and that (null for rows stored before it was). */
export function splitShown(stored: StoredAnchor): { anchor: Anchor; shown: ShownAnchor | null } {
  const { shown, ...anchor } = stored;
  return { anchor: anchor as Anchor, shown: shown ?? null };
}
