// Diff text -> files -> hunks -> lines. Pure, linear in the input, never throws.
//
// Understands:
//  * git diffs: `diff --git`, the extended header lines (index, modes, similarity, rename/copy
//    from/to), `--- a/x` / `+++ b/x`, `Binary files … differ`, `GIT binary patch` blocks (kept
//    verbatim, not decoded), C-quoted paths (`"a/foo\tbar"`), --no-prefix and mnemonic prefixes;
//  * plain unified diffs (`--- a/x` / `+++ b/x` / `@@`), with or without a `diff -u …` line above;
//  * `Index:`-style diffs (svn, quilt, CVS: `Index: x`, `====…`, `RCS file:`, `retrieving …`).
//
// Where a hunk ends is decided by its line counts, as git apply does. A blank line inside a hunk
// is taken as a context line whose leading space a mailer ate (git apply accepts it too) and is
// noted in `damaged`; a hunk whose counts do not add up is cut where the text stops fitting and
// marked damaged with a reason, instead of guessing.
//
// Line numbers: every `line`/`startLine`/`endLine` is a 0-based index into the input text's lines
// (split on "\n"), plus `opts.baseLine`; ranges are half-open: [startLine, endLine).

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

// ---------------------------------------------------------------------------------------------
// paths

const textEncoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8");

const C_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, "\\": 92 };

/** Parses a C-quoted name starting at s[at] === '"'. Returns the name and the index after the
 * closing quote, or null when the quoting is broken. Octal escapes are bytes (UTF-8). */
export function unquoteCPath(s: string, at = 0): { name: string; end: number } | null {
  if (s[at] !== '"') return null;
  const bytes: number[] = [];
  let i = at + 1;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return { name: utf8Decoder.decode(new Uint8Array(bytes)), end: i + 1 };
    if (c === "\\") {
      const d = s[i + 1];
      if (d === undefined) return null;
      if (d >= "0" && d <= "7") {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4))!;
        bytes.push(parseInt(m[0], 8) & 0xff);
        i += 1 + m[0].length;
        continue;
      }
      const e = C_ESCAPES[d];
      if (e === undefined) return null;
      bytes.push(e);
      i += 2;
      continue;
    }
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of textEncoder.encode(ch)) bytes.push(b);
    i += ch.length;
  }
  return null;
}

/** A path as written in a `---`/`+++`/rename line: unquoted, timestamp dropped. */
function cleanPath(raw: string): string {
  let s = raw;
  if (s.startsWith('"')) {
    const q = unquoteCPath(s);
    if (q) return q.name;
  }
  const tab = s.indexOf("\t");
  if (tab >= 0) s = s.slice(0, tab);
  else {
    // `--- foo.c 2011-12-05 20:15:49.000000000 +0000` (a diff without the tab)
    const m = /^(.*?)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?\s*$/.exec(s);
    if (m) s = m[1];
  }
  return s.replace(/\s+$/, "");
}

const PREFIX_RE = /^[abciow12]\//;

function stripFirst(p: string): string {
  const i = p.indexOf("/");
  return i >= 0 ? p.slice(i + 1) : p;
}

/** Splits the names of `diff --git <a> <b>` (git's git_header_name, simplified). */
function splitGitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const a = unquoteCPath(rest);
    if (!a) return null;
    let i = a.end;
    while (rest[i] === " ") i++;
    const tail = rest.slice(i);
    if (tail.startsWith('"')) {
      const b = unquoteCPath(tail);
      return b ? [a.name, b.name] : null;
    }
    return [a.name, tail.replace(/\s+$/, "")];
  }
  const q = rest.indexOf(' "');
  if (q > 0) {
    const b = unquoteCPath(rest, q + 1);
    if (b) return [rest.slice(0, q), b.name];
  }
  const s = rest.replace(/\s+$/, "");
  // the split whose two halves name the same file once the first component is dropped
  for (let i = s.indexOf(" "); i > 0; i = s.indexOf(" ", i + 1)) {
    const a = s.slice(0, i);
    const b = s.slice(i + 1);
    if (stripFirst(a) === stripFirst(b) && a.includes("/") === b.includes("/")) return [a, b];
    if (a === b) return [a, b];
  }
  const ab = s.indexOf(" b/");
  if (s.startsWith("a/") && ab > 0) return [s.slice(0, ab), s.slice(ab + 1)];
  const mid = s.indexOf(" ");
  if (mid > 0) return [s.slice(0, mid), s.slice(mid + 1)];
  return null;
}

// ---------------------------------------------------------------------------------------------
// line classification

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
const GIT_EXT_RE =
  /^(old mode |new mode |deleted file mode |new file mode |copy from |copy to |rename from |rename to |rename old |rename new |similarity index |dissimilarity index |index )/;
const BINARY_FILES_RE = /^Binary files (.+) and (.+) differ$/;
const BIN_HUNK_RE = /^(literal|delta) (\d+)$/;
const BASE85_LINE_RE = /^[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]+$/;

function isHunkHeader(l: string | undefined): boolean {
  return l !== undefined && l.startsWith("@@ -") && HUNK_RE.test(l);
}

function isUnifiedStart(lines: string[], i: number): boolean {
  return (
    lines[i]?.startsWith("--- ") === true &&
    lines[i + 1]?.startsWith("+++ ") === true &&
    (isHunkHeader(lines[i + 2]) || /^Binary files /.test(lines[i + 2] ?? ""))
  );
}

const DIFF_START_RE = /^diff --git |^--- \S|^Index: /;
const DIFF_START_GIT_PATHS_RE = /^diff --git |^--- a\/|^Index: /;

/**
 * Does a diff start at this line? A one-line guess without look-ahead, for scanners that stop
 * reading prose at the diff (a commit message's facts, references, words): `diff --git `,
 * `--- <old path>` or `Index: `. With `gitPaths` the `---` line must name an "a/" path, for prose
 * where "--- v2: ..." or "--- snip ---" lines occur. fileStartAt is the parser's exact test.
 */
export function startsDiff(line: string, opts: { gitPaths?: boolean } = {}): boolean {
  return (opts.gitPaths ? DIFF_START_GIT_PATHS_RE : DIFF_START_RE).test(line);
}

/** Does a file's header start at line i? */
export function fileStartAt(lines: string[], i: number): "git" | "unified" | "index" | null {
  const l = lines[i];
  if (l === undefined) return null;
  if (l.startsWith("diff --git ")) return "git";
  if (l.startsWith("Index: ") && l.length > 7) {
    // `Index: x` then within a few lines `====`, `---`, svn binary markers, or a property block
    for (let k = i + 1; k < Math.min(lines.length, i + 7); k++) {
      const m = lines[k];
      if (/^={20,}$/.test(m) || isUnifiedStart(lines, k) || /^Cannot display: file marked as a binary type\.$/.test(m)) return "index";
      if (m === "" || m.startsWith("Index: ") || m.startsWith("diff --git ")) break;
    }
    return null;
  }
  if (l.startsWith("diff ") && !l.startsWith("diff --cc ") && !l.startsWith("diff --combined ")) {
    // `diff -urN a/x b/x` / `diff -u -p -r1.3 x.c` above a unified header
    if (isUnifiedStart(lines, i + 1)) return "unified";
    if (BINARY_FILES_RE.test(lines[i + 1] ?? "")) return "unified";
    return null;
  }
  if (isUnifiedStart(lines, i)) return "unified";
  return null;
}

// ---------------------------------------------------------------------------------------------
// the parser

interface Ctx {
  lines: string[];
  base: number;
  damaged: string[];
}

function stripCR(l: string): string {
  return l.endsWith("\r") ? l.slice(0, -1) : l;
}

function newFile(format: FileDiff["format"], start: number): FileDiff {
  return {
    oldPath: null,
    newPath: null,
    path: "",
    status: "modified",
    oldMode: null,
    newMode: null,
    similarity: null,
    indexLine: null,
    oldHash: null,
    newHash: null,
    binary: false,
    binaryPatch: null,
    hunks: [],
    header: [],
    format,
    startLine: start,
    endLine: start,
    added: 0,
    removed: 0,
    damaged: [],
  };
}

/** Parses one hunk whose header is at lines[i]; returns the hunk and the index after it. */
function parseHunk(ctx: Ctx, i: number, fileLabel: string): { hunk: Hunk; next: number } {
  const { lines, base } = ctx;
  const header = lines[i];
  const m = HUNK_RE.exec(header)!;
  const oldStart = Number(m[1]);
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  const heading = m[5].replace(/^ /, "").replace(/\s+$/, "");
  const hunk: Hunk = {
    oldStart,
    oldLines,
    newStart,
    newLines,
    heading,
    header,
    lines: [],
    startLine: base + i,
    endLine: base + i + 1,
    damaged: null,
    wrapped: [],
    added: 0,
    removed: 0,
  };
  let oldLeft = oldLines;
  let newLeft = newLines;
  let oldNo = oldStart;
  let newNo = newStart;
  let j = i + 1;
  let eaten = 0;
  const problems: string[] = [];
  const cut = (why: string) => {
    problems.push(`${fileLabel}: hunk ${header.replace(/ @@.*$/, " @@")} at line ${base + i}: ${why} (${oldLines - oldLeft}/${oldLines} old, ${newLines - newLeft}/${newLines} new lines found)`);
  };
  /** does line l fit as the next hunk line? */
  const fits = (l: string | undefined) => {
    if (l === undefined || l === "") return false;
    const c = l[0];
    return (c === " " && oldLeft > 0 && newLeft > 0) || (c === "-" && oldLeft > 0) || (c === "+" && newLeft > 0) || c === "\\";
  };
  while (oldLeft > 0 || newLeft > 0) {
    if (j >= lines.length) {
      cut("input ends inside the hunk");
      break;
    }
    const l = lines[j];
    const c = l[0];
    if (c === " " || l === "") {
      if (oldLeft > 0 && newLeft > 0) {
        const dl: DiffLine = { kind: " ", text: l.slice(1), oldLine: oldNo++, newLine: newNo++, line: base + j };
        if (l === "") {
          dl.eaten = true;
          eaten++;
        }
        hunk.lines.push(dl);
        oldLeft--;
        newLeft--;
        j++;
        continue;
      }
      cut(`context line ${base + j} does not fit the counts`);
      break;
    }
    if (c === "-") {
      if (oldLeft > 0) {
        hunk.lines.push({ kind: "-", text: l.slice(1), oldLine: oldNo++, newLine: null, line: base + j });
        hunk.removed++;
        oldLeft--;
        j++;
        continue;
      }
      cut(`removed line ${base + j} does not fit the counts`);
      break;
    }
    if (c === "+") {
      if (newLeft > 0) {
        hunk.lines.push({ kind: "+", text: l.slice(1), oldLine: null, newLine: newNo++, line: base + j });
        hunk.added++;
        newLeft--;
        j++;
        continue;
      }
      cut(`added line ${base + j} does not fit the counts`);
      break;
    }
    if (c === "\\") {
      hunk.lines.push({ kind: "\\", text: l.slice(1).replace(/^ /, ""), oldLine: null, newLine: null, line: base + j });
      j++;
      continue;
    }
    // the tail of a wrapped line: up to 3 non-hunk lines followed by a line that fits
    let k = j;
    while (k < j + 3 && k < lines.length && lines[k] !== "" && !" +-\\".includes(lines[k][0])) k++;
    if (k > j && fits(lines[k]) && !fileStartAt(lines, j) && !isHunkHeader(lines[j])) {
      problems.push(`${fileLabel}: hunk at line ${base + i}: line${k - j > 1 ? "s" : ""} ${base + j}${k - j > 1 ? `..${base + k - 1}` : ""} ${k - j > 1 ? "are" : "is"} no hunk line (a long line wrapped by a mailer?)`);
      for (; j < k; j++) hunk.wrapped.push({ at: hunk.lines.length, line: base + j, text: lines[j] });
      continue;
    }
    cut(`line ${base + j} is not a hunk line`);
    break;
  }
  // a cut hunk that swallowed the signature separator ("-- " read as a removed line): give it back
  if (oldLeft + newLeft > 0) {
    let sig = hunk.lines.findIndex((l) => l.kind === "-" && l.text === "- ");
    // with the empty line before it, when that one was taken for an eaten context line
    while (sig > 0 && hunk.lines[sig - 1].eaten) sig--;
    if (sig >= 0) {
      const dropped = hunk.lines.splice(sig);
      for (const l of dropped) {
        if (l.eaten) eaten--;
        if (l.kind === "-" || l.kind === " ") oldLeft++;
        if (l.kind === "+" || l.kind === " ") newLeft++;
        if (l.kind === "-") hunk.removed--;
        if (l.kind === "+") hunk.added--;
      }
      hunk.wrapped = hunk.wrapped.filter((w) => w.at < sig);
      j = dropped[0].line - base;
      const sepLine = dropped.find((l) => l.kind === "-" && l.text === "- ")!.line;
      problems.pop();
      cut(`the hunk stops at the signature separator on line ${sepLine}`);
    }
  }
  if (problems.length) hunk.damaged = problems[0];
  // the incomplete-line marker follows the hunk's last line
  if ((oldLeft === 0 && newLeft === 0) && lines[j]?.startsWith("\\ ")) {
    hunk.lines.push({ kind: "\\", text: lines[j].slice(2), oldLine: null, newLine: null, line: base + j });
    j++;
  }
  if (eaten) ctx.damaged.push(`${fileLabel}: ${eaten} empty context line${eaten > 1 ? "s" : ""} in hunk at line ${base + i} (leading space eaten by a mailer)`);
  for (const p of problems) ctx.damaged.push(p);
  hunk.endLine = base + j;
  return { hunk, next: j };
}

/** Parses a `GIT binary patch` block at lines[i]; returns the block and the index after it. */
function parseBinaryPatch(lines: string[], i: number): { patch: BinaryPatch; next: number } {
  const patch: BinaryPatch = { forward: null, reverse: null, lines: [lines[i]] };
  let j = i + 1;
  let last = i;
  for (let part = 0; part < 2; part++) {
    const m = BIN_HUNK_RE.exec(lines[j] ?? "");
    if (!m) break;
    const h = { method: m[1] as "literal" | "delta", size: Number(m[2]) };
    if (part === 0) patch.forward = h;
    else patch.reverse = h;
    j++;
    while (j < lines.length && BASE85_LINE_RE.test(lines[j])) j++;
    last = j - 1;
    // each hunk ends with an empty line
    if (lines[j] === "") j++;
    else break;
  }
  for (let k = i + 1; k <= last; k++) if (lines[k] !== "") patch.lines.push(lines[k]);
  // keep a trailing blank line of the block inside it only when the next line continues the diff
  return { patch, next: j > last + 1 && fileStartAt(lines, j) === null ? last + 1 : j };
}

function finishFile(f: FileDiff) {
  f.path = f.newPath ?? f.oldPath ?? "";
  let status: FileStatus = "modified";
  if (f.oldPath === null && f.newPath !== null) status = "added";
  else if (f.newPath === null && f.oldPath !== null) status = "deleted";
  else if (f.status === "renamed" || f.status === "copied") status = f.status;
  else if (f.binary) status = "binary";
  else if (f.hunks.length === 0 && f.oldMode !== null && f.newMode !== null && f.oldMode !== f.newMode) status = "mode-only";
  f.status = status;
  for (const h of f.hunks) {
    f.added += h.added;
    f.removed += h.removed;
  }
}

/** Names from a `diff --git` header, with their prefixes, plus the prefixes to strip elsewhere. */
function gitNames(line: string): { a: string | null; b: string | null; preA: string; preB: string } {
  const names = splitGitHeaderNames(line.slice("diff --git ".length));
  if (!names) return { a: null, b: null, preA: "", preB: "" };
  let [a, b] = names;
  let preA = "";
  let preB = "";
  if (PREFIX_RE.test(a) && PREFIX_RE.test(b)) {
    preA = a.slice(0, 2);
    preB = b.slice(0, 2);
    a = a.slice(2);
    b = b.slice(2);
  }
  return { a, b, preA, preB };
}

/** `diff --git a/x` with no second name, or ending in the middle of the second one */
function gitHeaderIncomplete(line: string): boolean {
  const rest = line.slice("diff --git ".length).replace(/\s+$/, "");
  if (rest.startsWith('"')) return false;
  if (/ b\/?$/.test(rest)) return true;
  if (rest.startsWith("a/") && !rest.includes(" b/")) return true;
  return !rest.includes(" ");
}

function isHeaderTail(lines: string[], j: number): boolean {
  const l = lines[j];
  if (l === undefined || l === "" || GIT_EXT_RE.test(l) || l.startsWith("--- ") || l.startsWith("+++ ") || l.startsWith("@@") || l.startsWith("diff ")) return false;
  if (BINARY_FILES_RE.test(l) || l === "GIT binary patch") return false;
  return /^\S/.test(l);
}

function stripPre(p: string, pre: string): string {
  return pre && p.startsWith(pre) ? p.slice(pre.length) : p;
}

function parseGitFile(ctx: Ctx, i: number): { file: FileDiff; next: number } {
  const { lines, base } = ctx;
  const f = newFile("git", base + i);
  let first = lines[i];
  f.header.push(first);
  let j = i + 1;
  // a `diff --git` line a mailer wrapped: its tail on the next line(s), kept verbatim
  while (j < i + 3 && gitHeaderIncomplete(first) && isHeaderTail(lines, j)) {
    f.header.push(lines[j]);
    f.damaged.push(`line ${base + j}: the diff --git line of line ${base + i} continues here (wrapped by a mailer?)`);
    first = first.endsWith("/") || lines[j].startsWith(" ") ? first + lines[j] : `${first} ${lines[j]}`;
    j++;
  }
  const names = gitNames(first);
  let oldPath: string | null = names.a;
  let newPath: string | null = names.b;
  let renamed = false;
  let copied = false;
  let added = false;
  let deleted = false;
  for (; j < lines.length; j++) {
    const l = lines[j];
    const m = GIT_EXT_RE.exec(l);
    if (!m) break;
    f.header.push(l);
    const v = l.slice(m[1].length);
    switch (m[1]) {
      case "old mode ":
        f.oldMode = v.trim();
        break;
      case "new mode ":
        f.newMode = v.trim();
        break;
      case "deleted file mode ":
        f.oldMode = v.trim();
        deleted = true;
        break;
      case "new file mode ":
        f.newMode = v.trim();
        added = true;
        break;
      case "copy from ":
        oldPath = cleanPath(v);
        copied = true;
        break;
      case "copy to ":
        newPath = cleanPath(v);
        copied = true;
        break;
      case "rename from ":
      case "rename old ":
        oldPath = cleanPath(v);
        renamed = true;
        break;
      case "rename to ":
      case "rename new ":
        newPath = cleanPath(v);
        renamed = true;
        break;
      case "similarity index ":
        f.similarity = parseInt(v, 10);
        break;
      case "dissimilarity index ":
        f.similarity = 100 - parseInt(v, 10);
        break;
      case "index ": {
        f.indexLine = v;
        const im = /^([0-9a-fA-F]+)\.\.([0-9a-fA-F]+)(?: (\d+))?/.exec(v);
        if (im) {
          f.oldHash = im[1];
          f.newHash = im[2];
          if (im[3] && f.oldMode === null && f.newMode === null) f.oldMode = f.newMode = im[3];
        }
        break;
      }
    }
  }
  if (lines[j]?.startsWith("--- ") && lines[j + 1]?.startsWith("+++ ")) {
    f.header.push(lines[j], lines[j + 1]);
    const o = cleanPath(lines[j].slice(4));
    const n = cleanPath(lines[j + 1].slice(4));
    if (o === "/dev/null") added = true;
    else if (!renamed && !copied) oldPath = stripPre(o, names.preA);
    if (n === "/dev/null") deleted = true;
    else if (!renamed && !copied) newPath = stripPre(n, names.preB);
    j += 2;
  } else if (BINARY_FILES_RE.test(lines[j] ?? "")) {
    f.header.push(lines[j]);
    f.binary = true;
    const bm = BINARY_FILES_RE.exec(lines[j])!;
    if (bm[1] === "/dev/null") added = true;
    if (bm[2] === "/dev/null") deleted = true;
    j++;
  } else if (lines[j] === "GIT binary patch") {
    const bp = parseBinaryPatch(lines, j);
    f.binary = true;
    f.binaryPatch = bp.patch;
    j = bp.next;
  }
  if (added) oldPath = null;
  if (deleted) newPath = null;
  if (added && deleted) {
    f.damaged.push(`line ${base + i}: file both added and deleted`);
  }
  f.oldPath = oldPath;
  f.newPath = newPath;
  if (copied) f.status = "copied";
  else if (renamed) f.status = "renamed";
  const label = newPath ?? oldPath ?? "?";
  if (!f.binary) j = parseHunks(ctx, f, j, label);
  f.endLine = base + j;
  finishFile(f);
  return { file: f, next: j };
}

function hunkComplete(h: Hunk): boolean {
  let o = 0;
  let n = 0;
  for (const l of h.lines) {
    if (l.kind === " ") {
      o++;
      n++;
    } else if (l.kind === "-") o++;
    else if (l.kind === "+") n++;
  }
  return o === h.oldLines && n === h.newLines;
}

function parseHunks(ctx: Ctx, f: FileDiff, j: number, label: string): number {
  const { lines } = ctx;
  const before = ctx.damaged.length;
  while (isHunkHeader(lines[j])) {
    const { hunk, next } = parseHunk(ctx, j, label);
    f.hunks.push(hunk);
    j = next;
    if (!hunkComplete(hunk)) {
      // skip what is left of the broken hunk, up to the next hunk or file, unless a signature or
      // the end of the text comes first
      let k = j;
      while (k < lines.length && lines[k] !== "-- " && !isHunkHeader(lines[k]) && fileStartAt(lines, k) === null) k++;
      if (k < lines.length && lines[k] !== "-- " && k > j) {
        ctx.damaged.push(`${label}: lines ${ctx.base + j}..${ctx.base + k - 1} skipped after a broken hunk`);
        j = k;
      }
    }
  }
  for (let k = before; k < ctx.damaged.length; k++) f.damaged.push(ctx.damaged[k]);
  return j;
}

/** `--- x` / `+++ y` names of a non-git diff, with the first component stripped when it differs. */
function unifiedNames(oldRaw: string, newRaw: string, indexPath: string | null): { o: string | null; n: string | null } {
  let o: string | null = cleanPath(oldRaw);
  let n: string | null = cleanPath(newRaw);
  if (o === "/dev/null") o = null;
  if (n === "/dev/null") n = null;
  const p0 = indexPath !== null && (indexPath === o || indexPath === n);
  if (!p0) {
    const fo = o?.includes("/") ? o.slice(0, o.indexOf("/")) : null;
    const fn = n?.includes("/") ? n.slice(0, n.indexOf("/")) : null;
    const strip =
      (fo !== null && fn !== null && (fo !== fn || fo === "a" || fo === "b")) ||
      (o === null && fn !== null && (fn === "b" || indexPath === null)) ||
      (n === null && fo !== null && (fo === "a" || indexPath === null));
    if (strip) {
      if (o !== null && fo !== null) o = o.slice(fo.length + 1);
      if (n !== null && fn !== null) n = n.slice(fn.length + 1);
    }
  }
  return { o, n };
}

function parseUnifiedFile(ctx: Ctx, i: number, format: "unified" | "index"): { file: FileDiff; next: number } {
  const { lines, base } = ctx;
  const f = newFile(format, base + i);
  let j = i;
  let indexPath: string | null = null;
  if (format === "index") {
    indexPath = lines[j].slice("Index: ".length).trim();
    f.header.push(lines[j]);
    j++;
    // `====`, `RCS file:`, `retrieving revision`, `diff -u …` until `---`
    while (j < lines.length && j < i + 8 && !isUnifiedStart(lines, j)) {
      const l = lines[j];
      if (l === "" || l.startsWith("Index: ") || l.startsWith("diff --git ")) break;
      if (/^Cannot display: file marked as a binary type\.$/.test(l) || /^svn:mime-type = /.test(l) || BINARY_FILES_RE.test(l)) {
        f.binary = true;
        f.header.push(l);
        j++;
        continue;
      }
      if (/^={20,}$/.test(l) || /^(RCS file|retrieving revision|diff |Only in |old revision|new revision)/.test(l) || l.startsWith("svn:")) {
        f.header.push(l);
        j++;
        continue;
      }
      break;
    }
  } else if (lines[j].startsWith("diff ")) {
    f.header.push(lines[j]);
    j++;
  }
  if (isUnifiedStart(lines, j)) {
    f.header.push(lines[j], lines[j + 1]);
    const { o, n } = unifiedNames(lines[j].slice(4), lines[j + 1].slice(4), indexPath);
    f.oldPath = o;
    f.newPath = n;
    j += 2;
  } else if (BINARY_FILES_RE.test(lines[j] ?? "")) {
    const bm = BINARY_FILES_RE.exec(lines[j])!;
    f.header.push(lines[j]);
    f.binary = true;
    const { o, n } = unifiedNames(bm[1], bm[2], indexPath);
    f.oldPath = o;
    f.newPath = n;
    j++;
  } else {
    f.oldPath = f.newPath = indexPath;
  }
  if (f.oldPath === null && f.newPath === null) f.oldPath = f.newPath = indexPath;
  j = parseHunks(ctx, f, j, f.newPath ?? f.oldPath ?? "?");
  // a hunk against /dev/null on one side: the other side may still be given by Index:
  f.endLine = base + j;
  finishFile(f);
  return { file: f, next: j };
}

/** Lines that may sit between two files of one diff without ending it. */
function skippableBetweenFiles(lines: string[], i: number): number {
  const l = lines[i];
  if (l === undefined) return 0;
  if (l.startsWith("Only in ")) return 1;
  // svn: "Property changes on: x" / "___…" / "Added: svn:…" / "   + value" / "## -0,0 +1 ##" …
  if (l.startsWith("Property changes on: ")) {
    let k = i + 1;
    while (k < lines.length && lines[k] !== "" && fileStartAt(lines, k) === null) k++;
    while (k < lines.length && lines[k] === "" && fileStartAt(lines, k + 1) !== null) k++;
    return k - i;
  }
  // an empty line between two files (some tools, and svn, put one there)
  if (l === "" && fileStartAt(lines, i + 1) !== null) return 1;
  return 0;
}

/**
 * Parses the first diff in `text` (leading non-diff lines are skipped) up to the first line
 * that does not continue it. Never throws; a text without a diff gives `files: []`.
 */
export function parseDiff(text: string, opts: ParseDiffOptions = {}): ParsedDiff {
  return parseDiffLines(splitLines(text), opts);
}

/** text -> lines without "\r", without the empty element a final "\n" leaves */
function splitLines(text: string): string[] {
  const lines = text.split("\n").map(stripCR);
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** parseDiff on text already split into lines (CR already removed). */
export function parseDiffLines(lines: string[], opts: ParseDiffOptions = {}): ParsedDiff {
  const base = opts.baseLine ?? 0;
  const ctx: Ctx = { lines, base, damaged: [] };
  const files: FileDiff[] = [];
  let i = opts.from ?? 0;
  let kind: ReturnType<typeof fileStartAt> = null;
  while (i < lines.length && (kind = fileStartAt(lines, i)) === null) {
    // a lone `Binary files a/x and b/x differ` (diff -r) also starts a diff
    if (BINARY_FILES_RE.test(lines[i])) break;
    i++;
  }
  const start = i;
  while (i < lines.length) {
    kind = fileStartAt(lines, i);
    if (kind === "git") {
      const r = parseGitFile(ctx, i);
      files.push(r.file);
      i = r.next;
      continue;
    }
    if (kind === "unified" || kind === "index") {
      const r = parseUnifiedFile(ctx, i, kind);
      files.push(r.file);
      i = r.next;
      continue;
    }
    if (BINARY_FILES_RE.test(lines[i])) {
      const r = parseUnifiedFile(ctx, i, "unified");
      files.push(r.file);
      i = r.next;
      continue;
    }
    const skip = files.length ? skippableBetweenFiles(lines, i) : 0;
    if (skip > 0) {
      // only when a file follows the skipped lines
      let k = i + skip;
      while (k < lines.length && skippableBetweenFiles(lines, k) > 0) k += skippableBetweenFiles(lines, k);
      if (fileStartAt(lines, k) !== null || BINARY_FILES_RE.test(lines[k] ?? "")) {
        i = k;
        continue;
      }
    }
    break;
  }
  if (!files.length) {
    return { files: [], format: "git", damaged: [], startLine: -1, endLine: -1, added: 0, removed: 0 };
  }
  let added = 0;
  let removed = 0;
  for (const f of files) {
    added += f.added;
    removed += f.removed;
  }
  return {
    files,
    format: files[0].format,
    damaged: files.flatMap((f) => f.damaged),
    startLine: base + start,
    endLine: files[files.length - 1].endLine,
    added,
    removed,
  };
}

/** Every diff in `text`, in order (a reply may carry several snippets separated by prose). */
export function parseDiffs(text: string, opts: { baseLine?: number } = {}): ParsedDiff[] {
  const lines = splitLines(text);
  const out: ParsedDiff[] = [];
  let from = 0;
  const base = opts.baseLine ?? 0;
  while (from < lines.length) {
    const d = parseDiffLines(lines, { baseLine: base, from });
    if (!d.files.length) break;
    out.push(d);
    from = Math.max(d.endLine - base, from + 1);
  }
  return out;
}

/**
 * The diff as text again: every file's header lines, hunks and binary blocks, verbatim (an eaten
 * context line comes back empty unless `repair` is set, in which case it gets its space back).
 * Lines skipped inside the diff (svn property blocks, broken hunk remains) are not included.
 */
export function formatDiff(diff: ParsedDiff, opts: { repair?: boolean } = {}): string {
  const out: string[] = [];
  for (const f of diff.files) {
    for (const h of f.header) out.push(h);
    if (f.binaryPatch) {
      const bl = f.binaryPatch.lines;
      out.push(bl[0]);
      // blocks are separated (and ended) by an empty line
      for (let k = 1; k < bl.length; k++) {
        out.push(bl[k]);
        if (k + 1 < bl.length && BIN_HUNK_RE.test(bl[k + 1])) out.push("");
      }
      if (bl.length > 1) out.push("");
    }
    for (const h of f.hunks) {
      out.push(h.header);
      let w = 0;
      for (let k = 0; k < h.lines.length; k++) {
        while (w < h.wrapped.length && h.wrapped[w].at === k) out.push(h.wrapped[w++].text);
        const l = h.lines[k];
        if (l.kind === "\\") out.push("\\ " + l.text);
        else if (l.eaten && !opts.repair) out.push("");
        else out.push(l.kind + l.text);
      }
      while (w < h.wrapped.length) out.push(h.wrapped[w++].text);
    }
  }
  return out.length ? out.join("\n") + "\n" : "";
}
