// What parseDiff (diff.ts) gives: files, hunks and lines, with their line numbers in the input.
// Line numbers are 0-based indexes into the input text's lines plus `opts.baseLine`; ranges are
// half-open: [startLine, endLine).

export type DiffLineKind = "+" | "-" | " " | "\\";

export interface DiffLine {
  /** "+" added, "-" removed, " " context, "\\" the "\ No newline at end of file" marker */
  kind: DiffLineKind;
  /** the line without its leading marker (for "\\": the marker's text, e.g. "No newline at end of file") */
  text: string;
  /** line number in the old file (context and removed lines), null otherwise */
  oldLine: number | null;
  /** line number in the new file (context and added lines), null otherwise */
  newLine: number | null;
  /** 0-based index of this line in the input text (+ baseLine) */
  line: number;
  /** a context line that arrived empty: its leading space was eaten by a mailer */
  eaten?: true;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** the text after the second `@@`, usually the enclosing function; "" when none */
  heading: string;
  /** the `@@ … @@` line verbatim */
  header: string;
  lines: DiffLine[];
  /** index of the `@@` line; the hunk spans [startLine, endLine) */
  startLine: number;
  endLine: number;
  /** why the hunk is damaged (the first problem: cut where the text stopped fitting its counts, or a
   * wrapped line), null when intact */
  damaged: string | null;
  /** lines inside the hunk that are no hunk lines — the tail of a long line a mailer wrapped —
   * kept verbatim and not counted; `at` is the index in `lines` they stood before */
  wrapped: { at: number; line: number; text: string }[];
  added: number;
  removed: number;
}

export type FileStatus = "modified" | "added" | "deleted" | "renamed" | "copied" | "mode-only" | "binary";

export interface BinaryPatch {
  /** `literal` or `delta`, and the size given, of the forward and (when present) reverse hunks */
  forward: { method: "literal" | "delta"; size: number } | null;
  reverse: { method: "literal" | "delta"; size: number } | null;
  /** the block verbatim, from the `GIT binary patch` line to its last data line */
  lines: string[];
}

export interface FileDiff {
  /** path before the change without the a/ prefix; null for /dev/null (an added file) */
  oldPath: string | null;
  /** path after the change without the b/ prefix; null for /dev/null (a deleted file) */
  newPath: string | null;
  /** newPath ?? oldPath: the name to show */
  path: string;
  status: FileStatus;
  oldMode: string | null;
  newMode: string | null;
  /** similarity index (renames, copies), or 100 - dissimilarity for rewrites; null when absent */
  similarity: number | null;
  /** the text after `index ` (e.g. "3f2a1b..9c0d2e 100644"), null when absent */
  indexLine: string | null;
  /** abbreviated or full blob ids from the index line */
  oldHash: string | null;
  newHash: string | null;
  /** a binary change: `Binary files … differ`, a `GIT binary patch`, or an svn binary marker */
  binary: boolean;
  binaryPatch: BinaryPatch | null;
  hunks: Hunk[];
  /** the header lines verbatim (`diff --git`, index, modes, `---`, `+++`, `Index:`, `====`, ...) */
  header: string[];
  /** which header style introduced the file */
  format: "git" | "unified" | "index";
  startLine: number;
  endLine: number;
  added: number;
  removed: number;
  /** problems met in this file (eaten context lines, cut hunks, ...) */
  damaged: string[];
}

export interface ParsedDiff {
  files: FileDiff[];
  /** the style of the first file */
  format: "git" | "unified" | "index";
  /** every problem met, with the file it concerns */
  damaged: string[];
  /** [startLine, endLine) of the whole diff; -1/-1 when no diff was found */
  startLine: number;
  endLine: number;
  added: number;
  removed: number;
}

export interface ParseDiffOptions {
  /** added to every line index (e.g. the index of the diff's first line in the mail body) */
  baseLine?: number;
  /** start looking at this 0-based line of `text` (default 0) */
  from?: number;
}
