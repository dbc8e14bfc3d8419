// patch-id: the value `git patch-id --stable` (and `--unstable`) prints, computed the way git's
// builtin/patch-id.c (git 2.39 .. 2.46) does, line by line, quirks included:
//
//  * everything before the first line starting with "diff " is ignored (commit message, headers),
//    so a diff without a `diff …` line (plain `--- a/x`/`+++ b/x`, `Index:` style) has no id;
//  * every other line of the patch is hashed with all whitespace removed (git's isspace: space,
//    \t, \n, \r; not \v or \f) — the `diff --git` line and the extended header lines (modes,
//    rename/copy, similarity) included, the `index` line excluded (only its blob ids are kept
//    for binary files), hunk headers (`@@ … @@`) excluded;
//  * a hunk ends when its line counts are used up; a line that is neither `@@ -`, nor `diff `
//    then ends the patch ("-- " signature, a blank line, ...);
//  * "\ No newline…" lines (longer than 12 bytes) are skipped anywhere;
//  * binary files (`GIT binary patch`, `Binary files … differ`) hash the two blob ids of the last
//    `index` line instead of their data; the `diff ` line of the file after one is not hashed;
//  * --stable: one SHA-1 per file (flushed at each `diff ` line after hunks and after a binary
//    file), the file hashes summed as 20-byte little-endian numbers; --unstable: one SHA-1;
//  * a line starting with 40 hex digits (optionally after "commit " or "From ") starts a new
//    patch; input with several patches gives several ids — patchId returns the first.
//
// A ParsedDiff is hashed through formatDiff (its lines as parsed, wrapped lines included), which
// equals git's value on the mail for a well-formed diff. Where a mailer ate the leading space of
// an empty context line, the ParsedDiff gets it back before hashing (repair, the default): git
// apply takes such a line as context, so this is the id of the commit `git am` makes — while git
// patch-id on the mail does not count the line, runs past the hunk's end and hashes what follows
// (the next file's header, the signature). patchId(text) reproduces that value; so does
// patchId(diff, { repair: false }) when nothing follows the diff.
//
// Hashing uses node:crypto (SHA-1); no other I/O.

import { createHash } from "node:crypto";
import { formatDiff, type ParsedDiff } from "./diff";

export interface PatchIdOptions {
  /** --stable (default) or --unstable */
  stable?: boolean;
  /** --verbatim: keep whitespace (implies stable) */
  verbatim?: boolean;
  /** ParsedDiff input only: give eaten context lines their space back (default true, see above) */
  repair?: boolean;
}

const HEX40 = /^[0-9a-fA-F]{40}/;

/** git's remove_space(): drop ' ', \t, \n, \r */
const SPACE_RE = /[ \t\n\r]+/g;
function removeSpace(s: string): string {
  return s.replace(SPACE_RE, "");
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isAlpha(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

/** git's scan_hunk_header(): sets before/after the way git does (defaults of 1, partial updates). */
function scanHunkHeader(line: string, st: { before: number; after: number }): void {
  const digits = (s: string, at: number) => {
    let k = at;
    while (k < s.length && s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) k++;
    return k - at;
  };
  const atoi = (s: string, at: number) => {
    const n = digits(s, at);
    return n ? parseInt(s.slice(at, at + n), 10) : 0;
  };
  let q = 4;
  let n = digits(line, q);
  if (line[q + n] === ",") {
    q += n + 1;
    st.before = atoi(line, q);
    n = digits(line, q);
  } else {
    st.before = 1;
  }
  if (n === 0 || line[q + n] !== " " || line[q + n + 1] !== "+") return;
  let r = q + n + 2;
  n = digits(line, r);
  if (line[r + n] === ",") {
    r += n + 1;
    st.after = atoi(line, r);
    n = digits(line, r);
  } else {
    st.after = 1;
  }
}

function addInto(result: Uint8Array, hash: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < 20; i++) {
    carry += result[i] + hash[i];
    result[i] = carry & 0xff;
    carry >>= 8;
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function hex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  return s;
}

/**
 * Every id git patch-id would print for `text`, in order ("" patches — no hashed byte — are not
 * printed by git and are not returned).
 */
export function gitPatchIds(text: string, opts: PatchIdOptions = {}): string[] {
  const verbatim = opts.verbatim === true;
  const stable = verbatim || opts.stable !== false;
  // lines as strbuf_getwholeline gives them: with their "\n" (the last one may lack it)
  const lines: string[] = [];
  {
    let at = 0;
    while (at < text.length) {
      const nl = text.indexOf("\n", at);
      if (nl < 0) {
        lines.push(text.slice(at));
        break;
      }
      lines.push(text.slice(at, nl + 1));
      at = nl + 1;
    }
  }
  const out: string[] = [];
  let li = 0;
  while (li < lines.length) {
    // get_one_patchid()
    let patchlen = 0;
    const st = { before: -1, after: -1 };
    let diffIsBinary = false;
    let preOid = "";
    let postOid = "";
    // the bytes of the current SHA-1 context, collected as one string (one hash call per file)
    let buf = "";
    const result = new Uint8Array(20);
    const flush = () => {
      addInto(result, new Uint8Array(createHash("sha1").update(buf, "utf8").digest()));
      buf = "";
    };
    const update = (s: string) => {
      buf += s;
    };
    while (li < lines.length) {
      // like strbuf_getwholeline: the line is consumed, also when it ends this patch
      const line = lines[li++];
      let p = line;
      const isCommit = line.startsWith("commit ");
      const isFrom = !isCommit && line.startsWith("From ");
      if (isCommit) p = line.slice(7);
      else if (isFrom) p = line.slice(5);
      if (!isCommit && !isFrom && line.startsWith("\\ ") && utf8Length(line) > 12) {
        if (verbatim) update(line);
        continue;
      }
      if (isHex(p.charCodeAt(0)) && HEX40.test(p)) break; // found_next
      // ignore commit comments
      if (!patchlen && !line.startsWith("diff ")) continue;
      // parsing the diff header?
      if (st.before === -1) {
        if (line.startsWith("GIT binary patch") || line.startsWith("Binary files")) {
          diffIsBinary = true;
          st.before = 0;
          update(preOid);
          update(postOid);
          if (stable) flush();
          continue;
        } else if (line.startsWith("index ")) {
          const o1 = line.indexOf("..");
          let o2 = -1;
          if (o1 >= 0) {
            o2 = line.indexOf(" ", o1);
            if (o2 < 0) o2 = line.length - 1;
            preOid = line.slice(6, o1).slice(0, 64);
            postOid = line.slice(o1 + 2, o2).slice(0, 64);
          }
          continue;
        } else if (line.startsWith("--- ")) {
          st.before = st.after = 1;
        } else if (!isAlpha(line[0])) {
          break;
        }
      }
      if (diffIsBinary) {
        if (line.startsWith("diff ")) {
          diffIsBinary = false;
          st.before = -1;
        }
        continue;
      }
      // looking for a valid hunk header?
      if (st.before === 0 && st.after === 0) {
        if (line.startsWith("@@ -")) {
          scanHunkHeader(line, st);
          continue;
        }
        // split at the end of the patch
        if (!line.startsWith("diff ")) break;
        // else another file's header
        if (stable) flush();
        st.before = st.after = -1;
      }
      // inside a hunk
      const c = line[0];
      if (c === "-" || c === " ") st.before--;
      if (c === "+" || c === " ") st.after--;
      const hashed = verbatim ? line : removeSpace(line);
      patchlen += hashed.length;
      update(hashed);
    }
    flush();
    if (patchlen) out.push(hex(result));
  }
  return out;
}

/**
 * `git patch-id --stable` of a diff (first id when the text holds several), null when there is
 * no diff git would hash. A string is hashed as is (a whole mail body is fine: what precedes the
 * first `diff ` line is ignored); a ParsedDiff is hashed as formatted by formatDiff.
 */
export function patchId(diff: ParsedDiff | string, opts: PatchIdOptions = {}): string | null {
  const text = typeof diff === "string" ? diff : formatDiff(diff, { repair: opts.repair !== false });
  if (!text) return null;
  return gitPatchIds(text, opts)[0] ?? null;
}

/** `git patch-id --unstable` (the pre-2.x default: one SHA-1 over the whole patch, file order matters). */
export function patchIdUnstable(diff: ParsedDiff | string, opts: Omit<PatchIdOptions, "stable"> = {}): string | null {
  return patchId(diff, { ...opts, stable: false, verbatim: false });
}
