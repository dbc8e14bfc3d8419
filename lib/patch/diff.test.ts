import { describe, expect, it } from "vitest";
import { formatDiff, parseDiff, parseDiffs, startsDiff, unquoteCPath } from "./diff";
import {
  BINARY_DIFF,
  BINARY_FILES_DIFF,
  CRLF_DIFF,
  CVS_DIFF,
  EATEN_DIFF,
  INDEX_DIFF,
  L,
  MIXED_DIFF,
  QUOTED_DIFF,
  SHORT_HUNK_DIFF,
  SIMPLE_DIFF,
  UNIFIED_DIFF,
  WRAPPED_DIFF,
} from "./fixtures";

describe("parseDiff: git diffs", () => {
  it("parses files, hunks, headings, line numbers and line indexes", () => {
    const d = parseDiff(SIMPLE_DIFF);
    expect(d.format).toBe("git");
    expect(d.damaged).toEqual([]);
    expect(d.files.map((f) => [f.oldPath, f.newPath, f.status])).toEqual([
      ["drivers/mmc/core/core.c", "drivers/mmc/core/core.c", "modified"],
      ["README", "README", "modified"],
    ]);
    const [core, readme] = d.files;
    expect(core.indexLine).toBe("1111111..2222222 100644");
    expect(core.oldHash).toBe("1111111");
    expect(core.oldMode).toBe("100644");
    const h = core.hunks[0];
    expect(h).toMatchObject({ oldStart: 10, oldLines: 7, newStart: 10, newLines: 8, heading: "static int mmc_start(struct mmc_host *host)", damaged: null });
    expect(h.startLine).toBe(4);
    expect(h.lines[0]).toEqual({ kind: " ", text: "\tint err;", oldLine: 10, newLine: 10, line: 5 });
    const removed = h.lines.find((l) => l.kind === "-")!;
    expect(removed).toMatchObject({ text: "\tif (err)", oldLine: 13, newLine: null, line: 8 });
    const added = h.lines.filter((l) => l.kind === "+");
    expect(added.map((l) => [l.newLine, l.line])).toEqual([
      [13, 9],
      [14, 10],
    ]);
    expect(core.added).toBe(2);
    expect(core.removed).toBe(1);
    // "\ No newline" markers inside and after the hunk
    expect(readme.hunks[0].lines.map((l) => l.kind)).toEqual([" ", "-", "\\", "+", "\\"]);
    expect(readme.hunks[0].lines[2].text).toBe("No newline at end of file");
    expect(d.added).toBe(3);
    expect(d.removed).toBe(2);
    expect(d.startLine).toBe(0);
    expect(d.endLine).toBe(SIMPLE_DIFF.trimEnd().split("\n").length);
    expect(core.startLine).toBe(0);
    expect(core.endLine).toBe(readme.startLine);
  });

  it("offsets line indexes by baseLine", () => {
    const d = parseDiff(SIMPLE_DIFF, { baseLine: 100 });
    expect(d.startLine).toBe(100);
    expect(d.files[0].hunks[0].lines[0].line).toBe(105);
  });

  it("handles renames, copies, mode changes, new and deleted files", () => {
    const d = parseDiff(MIXED_DIFF);
    expect(d.files.map((f) => ({ o: f.oldPath, n: f.newPath, s: f.status, sim: f.similarity, om: f.oldMode, nm: f.newMode }))).toEqual([
      { o: "hw/i2c/ddc.c", n: "hw/display/ddc.c", s: "renamed", sim: 95, om: "100644", nm: "100644" },
      { o: "lib/a.c", n: "lib/b.c", s: "copied", sim: 100, om: null, nm: null },
      { o: "scripts/run.sh", n: "scripts/run.sh", s: "mode-only", sim: null, om: "100644", nm: "100755" },
      { o: null, n: "docs/new.txt", s: "added", sim: null, om: null, nm: "100644" },
      { o: "docs/old.txt", n: null, s: "deleted", sim: null, om: "100644", nm: null },
    ]);
    expect(d.files[3].path).toBe("docs/new.txt");
    expect(d.files[4].path).toBe("docs/old.txt");
    expect(d.files[3].hunks[0]).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 });
    expect(d.files[0].hunks[0]).toMatchObject({ oldStart: 3, oldLines: 1, newLines: 1 });
  });

  it("keeps GIT binary patch blocks verbatim, and --no-prefix names", () => {
    const d = parseDiff(BINARY_DIFF);
    expect(d.files).toHaveLength(2);
    const [bin, sh] = d.files;
    expect(bin).toMatchObject({ oldPath: null, newPath: "pixel.bmp", status: "added", binary: true });
    expect(bin.binaryPatch).toEqual({
      forward: { method: "literal", size: 12 },
      reverse: { method: "literal", size: 0 },
      lines: ["GIT binary patch", "literal 12", "TcmZ?r?PGv|E+AC{#Eft(0hV9^", "literal 0", "HcmV?d00001"],
    });
    expect(sh).toMatchObject({ newPath: "run.sh", status: "added", added: 1 });
    expect(formatDiff(d)).toBe(BINARY_DIFF);
  });

  it("marks `Binary files … differ` as binary", () => {
    const d = parseDiff(BINARY_FILES_DIFF);
    expect(d.files[0]).toMatchObject({ path: "logo.png", status: "binary", binary: true, hunks: [] });
  });

  it("unquotes C-quoted paths (tab, octal UTF-8)", () => {
    const d = parseDiff(QUOTED_DIFF);
    expect(d.files.map((f) => f.path)).toEqual(["foo\tbar", "café.txt"]);
    expect(d.files[1].status).toBe("added");
    expect(unquoteCPath('"a\\"b\\\\c"')).toEqual({ name: 'a"b\\c', end: 9 });
    expect(unquoteCPath('"broken')).toBeNull();
  });

  it("reads CRLF text like LF text", () => {
    const a = parseDiff(SIMPLE_DIFF);
    const b = parseDiff(CRLF_DIFF);
    expect(b.files.map((f) => f.hunks.map((h) => h.lines.map((l) => l.kind + l.text)))).toEqual(
      a.files.map((f) => f.hunks.map((h) => h.lines.map((l) => l.kind + l.text))),
    );
    expect(b.damaged).toEqual([]);
  });

  it("skips text before the diff and stops at the signature", () => {
    const text = L("Some prose.", "", ...SIMPLE_DIFF.trimEnd().split("\n"), "-- ", "2.43.0");
    const d = parseDiff(text);
    expect(d.startLine).toBe(2);
    expect(text.split("\n")[d.endLine]).toBe("-- ");
  });

  it("finds every diff of a text with parseDiffs", () => {
    const text = L(...SIMPLE_DIFF.trimEnd().split("\n"), "", "and also:", "", ...UNIFIED_DIFF.trimEnd().split("\n"));
    const ds = parseDiffs(text);
    expect(ds.map((d) => [d.format, d.files.length])).toEqual([
      ["git", 2],
      ["unified", 1],
    ]);
  });

  it("returns no files for text without a diff", () => {
    const d = parseDiff("just words\n--- not a diff\n");
    expect(d.files).toEqual([]);
    expect(d.startLine).toBe(-1);
  });
});

describe("parseDiff: other formats", () => {
  it("parses Index:-style (svn) diffs", () => {
    const d = parseDiff(INDEX_DIFF);
    expect(d.format).toBe("index");
    expect(d.files.map((f) => [f.oldPath, f.newPath, f.added])).toEqual([
      ["src/main.c", "src/main.c", 1],
      ["include/main.h", "include/main.h", 1],
    ]);
    expect(d.files[0].hunks[0].heading).toBe("int main(void)");
    expect(d.files[0].header[0]).toBe("Index: src/main.c");
  });

  it("parses CVS diffs with RCS lines, keeping p0 names", () => {
    const d = parseDiff(CVS_DIFF);
    expect(d.format).toBe("index");
    expect(d.files[0]).toMatchObject({ oldPath: "bfd/elf-bfd.h", newPath: "bfd/elf-bfd.h", added: 1 });
    expect(d.files[0].header).toHaveLength(7);
  });

  it("parses plain diff -u with timestamps, stripping differing top directories", () => {
    const d = parseDiff(UNIFIED_DIFF);
    expect(d.format).toBe("unified");
    expect(d.files[0]).toMatchObject({ oldPath: "mm/slab.c", newPath: "mm/slab.c", status: "modified", added: 1, removed: 0 });
    expect(d.files[0].hunks[0].heading).toBe("static void kmem_init(void)");
  });

  it("strips a/ b/ from unified diffs and sees /dev/null", () => {
    const d = parseDiff(L("--- /dev/null", "+++ b/new.c", "@@ -0,0 +1 @@", "+x"));
    expect(d.files[0]).toMatchObject({ oldPath: null, newPath: "new.c", status: "added" });
  });
});

describe("parseDiff: damaged diffs", () => {
  it("takes empty lines inside a hunk as eaten context lines and notes it", () => {
    const d = parseDiff(EATEN_DIFF);
    expect(d.files).toHaveLength(2);
    const h = d.files[0].hunks[0];
    expect(h.damaged).toBeNull();
    expect(h.lines.filter((l) => l.eaten).map((l) => [l.kind, l.text, l.oldLine, l.newLine])).toEqual([
      [" ", "", 2, 2],
      [" ", "", 4, 4],
    ]);
    expect(d.damaged).toHaveLength(1);
    expect(d.damaged[0]).toMatch(/2 empty context lines.*eaten/);
    expect(formatDiff(d)).toBe(EATEN_DIFF);
    expect(formatDiff(d, { repair: true })).toContain("\n \n-int y;");
  });

  it("marks a hunk whose counts do not add up, and leaves the signature alone", () => {
    const d = parseDiff(SHORT_HUNK_DIFF);
    const h = d.files[0].hunks[0];
    expect(h.damaged).toMatch(/signature separator/);
    expect(h.lines.map((l) => l.kind + l.text)).toEqual([" one", "-two", "+TWO"]);
    expect(SHORT_HUNK_DIFF.split("\n")[d.endLine]).toBe("-- ");
    expect(d.damaged.length).toBeGreaterThan(0);
  });

  it("gives back the signature and the empty line before it from a hunk cut short", () => {
    const d = parseDiff(L("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,5 +1,5 @@", " a", "-b", "+c", "", "-- ", "2.39.0"));
    const h = d.files[0].hunks[0];
    expect(h.lines.map((l) => l.kind + l.text)).toEqual([" a", "-b", "+c"]);
    expect(h.endLine).toBe(7);
    expect(h.damaged).toMatch(/signature separator on line 8/);
    expect(d.damaged.some((x) => /eaten/.test(x))).toBe(false);
  });

  it("marks a hunk cut by a line that is no hunk line", () => {
    const d = parseDiff(L("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1,4 +1,4 @@", " a", "-b", "+c", "", "Thanks!", "", "Regards"));
    // the empty line is taken as context (it fits), then "Thanks!" does not fit and nothing follows
    expect(d.files[0].hunks[0].damaged).toMatch(/not a hunk line/);
  });

  it("keeps lines a mailer wrapped, verbatim, and marks the hunk", () => {
    const d = parseDiff(WRAPPED_DIFF);
    expect(d.files).toHaveLength(1);
    const f = d.files[0];
    expect(f.path).toBe("Documentation/devicetree/bindings/mmc/very-long-name.yaml");
    expect(f.header.slice(0, 2)).toEqual(WRAPPED_DIFF.split("\n").slice(0, 2));
    const h = f.hunks[0];
    expect(h.damaged).toMatch(/wrapped/);
    expect(h.wrapped).toEqual([{ at: 3, line: 9, text: "two lines" }]);
    expect(h.lines.map((l) => l.kind)).toEqual([" ", "-", "+", " "]);
    expect(formatDiff(d)).toBe(WRAPPED_DIFF);
    expect(d.damaged.some((x) => /diff --git line/.test(x))).toBe(true);
  });
});

describe("formatDiff", () => {
  it("gives back well-formed diffs verbatim", () => {
    for (const t of [SIMPLE_DIFF, MIXED_DIFF, BINARY_DIFF, BINARY_FILES_DIFF, QUOTED_DIFF, INDEX_DIFF, CVS_DIFF, UNIFIED_DIFF]) {
      expect(formatDiff(parseDiff(t))).toBe(t);
    }
  });
});

describe("startsDiff", () => {
  it("takes diff --git, --- <path> and Index: lines; with gitPaths only an a/ path after ---", () => {
    for (const l of ["diff --git a/x b/x", "--- a/mm/x.c", "--- mm/x.c.orig", "Index: mm/x.c"]) expect(startsDiff(l)).toBe(true);
    for (const l of ["diff -u a b", "---", "--- ", "+++ b/x", "@@ -1 +1 @@", "index 1234..5678"]) expect(startsDiff(l)).toBe(false);
    expect(startsDiff("--- v2: reworded")).toBe(true);
    expect(startsDiff("--- v2: reworded", { gitPaths: true })).toBe(false);
    expect(startsDiff("--- a/mm/x.c", { gitPaths: true })).toBe(true);
  });
});
