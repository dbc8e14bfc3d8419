// Diffs whose lines survived but whose whitespace did not (mail-archive.com, hypermail, quoted
// patches): context lines lost their leading space, blank context lines became empty, long lines
// were wrapped by the page (the first part keeps a trailing space), diffstat columns collapsed.
//
// The hunk headers are the guide: "@@ -a,b +c,d @@" says how many old and new lines follow, so the
// hunk is read line by line, counting, and a line that is neither "+", "-" nor " " is a context line
// whose marker was lost. The result is a syntactically valid unified diff whenever the page kept
// every line; indentation inside lines cannot be recovered and is reported as damage.

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;
const DIFF_GIT = /^diff --git (\S+) (\S+)/;
const FILE_META = /^(?:index [0-9a-fA-F]+\.\.[0-9a-fA-F]+|new file mode |deleted file mode |old mode |new mode |similarity index |dissimilarity index |rename from |rename to |copy from |copy to |Binary files )/;

export interface DiffStats {
  /** files the diff touches (new path, or old path for deletions), in order */
  files: string[];
  hunks: number;
  insertions: number;
  deletions: number;
  /** hunks whose line counts do not match their header */
  badHunks: number;
}

export interface DiffRepair {
  lines: string[];
  damaged: string[];
  stats: DiffStats;
  /** true when some line was changed, joined or added */
  changed: boolean;
}

function stripAB(p: string): string {
  return p.replace(/^"|"$/g, "").replace(/^[ab]\//, "");
}

/** Is this the start of a diff: "diff --git", or "--- x" followed by "+++ y", or "Index: x" then "====". */
export function diffStartsAt(lines: string[], i: number): boolean {
  const l = lines[i];
  if (DIFF_GIT.test(l)) return true;
  if (/^--- \S/.test(l) && i + 1 < lines.length && /^\+\+\+ \S/.test(lines[i + 1])) return true;
  if (/^Index: \S/.test(l) && i + 1 < lines.length && /^={10,}/.test(lines[i + 1])) return true;
  return false;
}

/**
 * Restore the lines of every diff in `lines`. With `joinWrapped`, a line inside a hunk that follows
 * a line ending in whitespace and does not start with a diff marker is taken as the wrapped rest of
 * that line (mail-archive.com wraps long lines that way).
 */
export function repairDiffs(input: string[], opts: { joinWrapped?: boolean } = {}): DiffRepair {
  const out: string[] = [];
  const damaged: string[] = [];
  const stats: DiffStats = { files: [], hunks: 0, insertions: 0, deletions: 0, badHunks: 0 };
  let changed = false;
  let restoredMarkers = 0;
  let rejoined = 0;
  let emptyCtx = 0;
  let i = 0;
  const n = input.length;

  const addFile = (f: string) => {
    if (f && f !== "/dev/null" && !stats.files.includes(f)) stats.files.push(f);
  };

  while (i < n) {
    if (!diffStartsAt(input, i)) {
      out.push(input[i++]);
      continue;
    }
    // inside a diff: file headers and hunks until something else
    let inDiff = true;
    let curFile = "";
    while (i < n && inDiff) {
      const l = input[i];
      let m: RegExpExecArray | null;
      if ((m = DIFF_GIT.exec(l))) {
        curFile = stripAB(m[2]);
        addFile(curFile);
        out.push(l);
        i++;
        continue;
      }
      if (FILE_META.test(l) || /^Index: \S/.test(l) || /^={10,}/.test(l)) {
        out.push(l);
        i++;
        continue;
      }
      if (/^--- \S/.test(l) && i + 1 < n && /^\+\+\+ \S/.test(input[i + 1])) {
        const newPath = stripAB(input[i + 1].slice(4).split("\t")[0].trim());
        const oldPath = stripAB(l.slice(4).split("\t")[0].trim());
        if (!curFile) {
          curFile = newPath === "/dev/null" ? oldPath : newPath;
          addFile(curFile);
        }
        out.push(l, input[i + 1]);
        i += 2;
        continue;
      }
      let header = l;
      // a hunk header wrapped by the page: "@@ -1,8 +1,11 @@ static int f(struct x *a, const " + "char *b)"
      if (opts.joinWrapped && /^@@ .* @@/.test(header) && /\s$/.test(header) && i + 1 < n && !/^[-+ @\\]/.test(input[i + 1]) && input[i + 1] !== "" && !diffStartsAt(input, i + 1)) {
        header = header + input[i + 1];
        i++;
        rejoined++;
        changed = true;
      }
      if ((m = HUNK.exec(header))) {
        stats.hunks++;
        let oldLeft = m[2] === undefined ? 1 : +m[2];
        let newLeft = m[4] === undefined ? 1 : +m[4];
        const headerText = header.replace(/\s+$/, "");
        if (headerText !== header) changed = true;
        out.push(headerText);
        i++;
        while (i < n && (oldLeft > 0 || newLeft > 0)) {
          let t = input[i];
          if (HUNK.test(t) || DIFF_GIT.test(t) || (diffStartsAt(input, i) && !(t.startsWith("--- ") && oldLeft > 0))) break;
          // the wrapped rest of the previous line?
          if (opts.joinWrapped && /\S\s$/.test(input[i - 1] ?? "") && t !== "" && !/^[-+ \\]/.test(t) && out.length > 0) {
            out[out.length - 1] = out[out.length - 1] + t;
            rejoined++;
            changed = true;
            i++;
            continue;
          }
          if (t === "") {
            t = " ";
            emptyCtx++;
            changed = true;
          }
          const c = t[0];
          if (c === "+") {
            newLeft--;
            stats.insertions++;
          } else if (c === "-") {
            oldLeft--;
            stats.deletions++;
          } else if (c === "\\") {
            // "\ No newline at end of file": counts nothing
          } else if (c === " ") {
            oldLeft--;
            newLeft--;
          } else {
            t = " " + t;
            restoredMarkers++;
            changed = true;
            oldLeft--;
            newLeft--;
          }
          out.push(t);
          i++;
        }
        // a trailing "\ No newline at end of file"
        if (i < n && input[i].startsWith("\\ ")) out.push(input[i++]);
        if (oldLeft !== 0 || newLeft !== 0) {
          stats.badHunks++;
          const where = `${headerText.split(" @@")[0]} @@${curFile ? ` in ${curFile}` : ""}`;
          if (oldLeft > 0 || newLeft > 0) damaged.push(`hunk ${where} is incomplete: ${Math.max(oldLeft, 0)} old / ${Math.max(newLeft, 0)} new line(s) missing`);
          else damaged.push(`hunk ${where} has more lines than its header says`);
        }
        continue;
      }
      // end of this diff: the signature separator ("--" lost its trailing space) or prose
      if (l === "--") {
        out.push("-- ");
        changed = true;
        i++;
      }
      inDiff = false;
    }
  }
  if (restoredMarkers > 0) damaged.push(`${restoredMarkers} diff context line(s) had lost their leading space (restored); indentation inside diff lines is not exact`);
  else if (stats.hunks > 0 && (rejoined > 0 || emptyCtx > 0)) damaged.push("whitespace inside diff lines may not be exact");
  if (rejoined > 0) damaged.push(`${rejoined} diff line(s) wrapped by the page were rejoined`);
  return { lines: out, damaged, stats, changed };
}

const STAT_LINE = /^\s*(\S+?)\s*\|\s*(\d+|Bin\b.*?)\s*([+-]*)\s*$/;
const STAT_SUMMARY = /^\s*(\d+) files? changed(?:, (\d+) insertions?\(\+\))?(?:, (\d+) deletions?\(-\))?\s*$/;

export interface DiffstatRepair {
  lines: string[];
  damaged: string[];
  /** files named by the diffstat(s), in order */
  files: string[];
  summary: { files: number; insertions: number; deletions: number } | null;
}

/** Rebuild the column layout of diffstat blocks (" path | 12 +++--", then " N files changed, ..."). */
export function repairDiffstat(input: string[]): DiffstatRepair {
  const out = input.slice();
  const damaged: string[] = [];
  const files: string[] = [];
  let summary: DiffstatRepair["summary"] = null;
  for (let i = 0; i < out.length; i++) {
    const sm = STAT_SUMMARY.exec(out[i]);
    if (!sm) continue;
    // the stat lines directly above the summary
    let s = i;
    while (s > 0 && STAT_LINE.test(out[s - 1])) s--;
    if (s === i) continue;
    const rows = out.slice(s, i).map((l) => STAT_LINE.exec(l)!);
    const w = Math.max(...rows.map((r) => r[1].length));
    const cw = Math.max(...rows.map((r) => r[2].length));
    const rebuilt = rows.map((r) => ` ${r[1].padEnd(w)} | ${r[2].padStart(cw)}${r[3] ? ` ${r[3]}` : ""}`);
    const sum = ` ${out[i].trim()}`;
    const before = out.slice(s, i + 1).join("\n");
    const after = [...rebuilt, sum].join("\n");
    for (const r of rows) files.push(r[1]);
    summary = { files: +sm[1], insertions: sm[2] ? +sm[2] : 0, deletions: sm[3] ? +sm[3] : 0 };
    if (before !== after) {
      out.splice(s, i + 1 - s, ...rebuilt, sum);
      damaged.push("diffstat column alignment rebuilt");
    }
    // git draws one +/- per changed line unless the largest count does not fit the width
    const counts = rows.filter((r) => /^\d+$/.test(r[2])).map((r) => +r[2]);
    if (counts.length && Math.max(...counts) <= 40 && rows.some((r) => /^\d+$/.test(r[2]) && r[3].length !== +r[2])) {
      damaged.push("diffstat +/- graphs do not match their counts (cut by the page)");
    }
  }
  return { lines: out, damaged, files, summary };
}

export interface DiffCheck {
  files: string[];
  hunks: number;
  insertions: number;
  deletions: number;
  /** problems that make the text an invalid unified diff */
  errors: string[];
}

/**
 * Strict check of the unified diffs in a text: every hunk must have exactly the lines its header
 * counts, each starting with " ", "+", "-" (or "\" notes). Used to verify rebuilt patches.
 */
export function checkUnifiedDiff(text: string): DiffCheck {
  const lines = text.split("\n");
  const res: DiffCheck = { files: [], hunks: 0, insertions: 0, deletions: 0, errors: [] };
  let i = 0;
  let inDiff = false;
  while (i < lines.length) {
    const l = lines[i];
    const g = DIFF_GIT.exec(l);
    if (g) {
      inDiff = true;
      res.files.push(stripAB(g[2]));
      i++;
      continue;
    }
    const h = inDiff ? HUNK.exec(l) : null;
    if (h) {
      res.hunks++;
      let o = h[2] === undefined ? 1 : +h[2];
      let n = h[4] === undefined ? 1 : +h[4];
      i++;
      while (o > 0 || n > 0) {
        if (i >= lines.length) {
          res.errors.push(`${l}: text ends with ${o} old / ${n} new line(s) missing`);
          break;
        }
        const t = lines[i];
        const c = t[0];
        if (c === " ") {
          o--;
          n--;
        } else if (c === "-") {
          o--;
          res.deletions++;
        } else if (c === "+") {
          n--;
          res.insertions++;
        } else if (c === "\\") {
          // note
        } else {
          res.errors.push(`${l}: line ${i + 1} "${t.slice(0, 40)}" is not a diff line (${o} old / ${n} new left)`);
          break;
        }
        if (o < 0 || n < 0) {
          res.errors.push(`${l}: more lines than the header counts`);
          break;
        }
        i++;
      }
      continue;
    }
    if (inDiff && !/^(?:index |--- |\+\+\+ |new file mode|deleted file mode|old mode|new mode|similarity|rename|copy |Binary)/.test(l)) inDiff = false;
    i++;
  }
  return res;
}
