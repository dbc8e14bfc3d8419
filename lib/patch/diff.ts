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
//
// The file is split: diff-types.ts (the shapes returned), diff-paths.ts (file names in
// headers), diff-lines.ts (which kind of line this is), diff-format.ts (back to text); this
// module is the parser, and re-exports the rest for its many importers.

import { BASE85_LINE_RE, BIN_HUNK_RE, BINARY_FILES_RE, fileStartAt, GIT_EXT_RE, HUNK_RE, isHunkHeader, isUnifiedStart } from "./diff-lines";
import { cleanPath, gitNames, stripPre } from "./diff-paths";
import type { BinaryPatch, DiffLine, FileDiff, FileStatus, Hunk, ParsedDiff, ParseDiffOptions } from "./diff-types";

export type { BinaryPatch, DiffLine, DiffLineKind, FileDiff, FileStatus, Hunk, ParseDiffOptions, ParsedDiff } from "./diff-types";
export { unquoteCPath } from "./diff-paths";
export { fileStartAt, startsDiff } from "./diff-lines";
export { formatDiff } from "./diff-format";

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
