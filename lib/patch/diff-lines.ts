// Which kind of diff line this is: hunk headers, git's extended header lines, binary markers,
// and where a file's diff starts (git, plain unified or `Index:` style).

export const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
export const GIT_EXT_RE =
  /^(old mode |new mode |deleted file mode |new file mode |copy from |copy to |rename from |rename to |rename old |rename new |similarity index |dissimilarity index |index )/;
export const BINARY_FILES_RE = /^Binary files (.+) and (.+) differ$/;
export const BIN_HUNK_RE = /^(literal|delta) (\d+)$/;
export const BASE85_LINE_RE = /^[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]+$/;

export function isHunkHeader(l: string | undefined): boolean {
  return l !== undefined && l.startsWith("@@ -") && HUNK_RE.test(l);
}

export function isUnifiedStart(lines: string[], i: number): boolean {
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
