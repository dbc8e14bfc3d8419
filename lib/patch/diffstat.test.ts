import { describe, expect, it } from "vitest";
import { parseDiff } from "./diff";
import { checkDiffstat, expandRename, findDiffstat, parseDiffstat } from "./diffstat";
import { L, MIXED_DIFF, SIMPLE_DIFF } from "./fixtures";

const COMPLEX = L(
  "---",
  " hw/display/Kconfig                    | 5 +++++",
  " hw/{i2c => display}/i2c-ddc.c         | 2 +-",
  " .../bindings/mmc/renesas,sdhi.yaml    | 4 ++--",
  " ...d-pkgconfig-files.patch => rpi-000-add-pkgconfig-files.patch} | 0",
  " pixel.bmp                             | Bin 0 -> 142 bytes",
  " logo.png                              | Bin",
  " 6 files changed, 8 insertions(+), 3 deletions(-)",
  " create mode 100644 pixel.bmp",
  " delete mode 100644 old.txt",
  " mode change 100644 => 100755 scripts/run.sh",
  " rename hw/{i2c => display}/i2c-ddc.c (99%)",
  " copy lib/a.c => lib/b.c (100%)",
  "",
  "diff --git a/x b/x",
);

describe("diffstat parsing", () => {
  it("parses entries, renames, truncated names, binaries, the summary and mode lines", () => {
    const s = parseDiffstat(COMPLEX)!;
    expect(s.startLine).toBe(1);
    expect(s.endLine).toBe(13);
    expect(s.entries.map((e) => [e.path, e.oldPath, e.truncated, e.changes, e.plus, e.minus, e.binary])).toEqual([
      ["hw/display/Kconfig", null, false, 5, 5, 0, null],
      ["hw/display/i2c-ddc.c", "hw/i2c/i2c-ddc.c", false, 2, 1, 1, null],
      ["/bindings/mmc/renesas,sdhi.yaml", null, true, 4, 2, 2, null],
      ["rpi-000-add-pkgconfig-files.patch", "d-pkgconfig-files.patch", true, 0, 0, 0, null],
      ["pixel.bmp", null, false, null, 0, 0, { from: 0, to: 142 }],
      ["logo.png", null, false, null, 0, 0, { from: null, to: null }],
    ]);
    expect(s.summary).toEqual({ files: 6, insertions: 8, deletions: 3, line: 7 });
    expect(s.modes.map((m) => [m.kind, m.path, m.oldPath, m.mode, m.oldMode, m.similarity])).toEqual([
      ["create", "pixel.bmp", null, "100644", null, null],
      ["delete", "old.txt", null, "100644", null, null],
      ["mode", "scripts/run.sh", null, "100755", "100644", null],
      ["rename", "hw/display/i2c-ddc.c", "hw/i2c/i2c-ddc.c", null, null, 99],
      ["copy", "lib/b.c", "lib/a.c", null, null, 100],
    ]);
  });

  it("expands rename braces", () => {
    expect(expandRename("a/{b => c}/d.c")).toEqual(["a/b/d.c", "a/c/d.c"]);
    expect(expandRename("a/{ => sub}/d.c")).toEqual(["a/d.c", "a/sub/d.c"]);
    expect(expandRename("x.c => y.c")).toEqual(["x.c", "y.c"]);
    expect(expandRename("plain.c")).toBeNull();
  });

  it("parses singular summaries and the diffstat(1) tool's layout", () => {
    const s = parseDiffstat(L(" bfd/elf-bfd.h |    2 ++", " 1 file changed, 2 insertions(+)"))!;
    expect(s.entries[0]).toMatchObject({ path: "bfd/elf-bfd.h", changes: 2, plus: 2 });
    expect(s.summary).toMatchObject({ files: 1, insertions: 2, deletions: 0 });
    expect(parseDiffstat(" 1 file changed, 1 deletion(-)\n")!.summary).toMatchObject({ files: 1, insertions: 0, deletions: 1 });
  });

  it("does not take prose for a diffstat", () => {
    expect(parseDiffstat(L("a | b", "This | that is not a stat"))).toBeNull();
    expect(findDiffstat(["one entry | 3 +++"])).toBeNull();
  });
});

describe("checkDiffstat", () => {
  const stat = L(" drivers/mmc/core/core.c | 3 ++-", " README                  | 2 +-", " 2 files changed, 3 insertions(+), 2 deletions(-)");

  it("agrees with the diff it came with", () => {
    expect(checkDiffstat(parseDiffstat(stat)!, parseDiff(SIMPLE_DIFF))).toEqual([]);
  });

  it("flags a file missing from the diff, and count differences", () => {
    // the README part of the diff got lost
    const truncated = SIMPLE_DIFF.slice(0, SIMPLE_DIFF.indexOf("diff --git a/README"));
    const m = checkDiffstat(parseDiffstat(stat)!, parseDiff(truncated));
    expect(m.map((x) => x.kind)).toEqual(["missing-from-diff", "summary-mismatch", "summary-mismatch", "summary-mismatch"]);
    expect(m[0]).toMatchObject({ path: "README", line: 1 });
    const wrong = stat.replace("| 3 ++-", "| 5 ++++-");
    expect(checkDiffstat(parseDiffstat(wrong)!, parseDiff(SIMPLE_DIFF))[0]).toMatchObject({ kind: "count-mismatch", path: "drivers/mmc/core/core.c", expected: 5, actual: 3 });
  });

  it("flags a file of the diff the diffstat does not name", () => {
    const one = L(" drivers/mmc/core/core.c | 3 ++-", " 1 file changed, 2 insertions(+), 1 deletion(-)");
    const m = checkDiffstat(parseDiffstat(one)!, parseDiff(SIMPLE_DIFF));
    expect(m.find((x) => x.kind === "missing-from-stat")).toMatchObject({ path: "README" });
  });

  it("matches truncated renames whose braces were cut", () => {
    const diff = L(
      "diff --git a/pkg/rpi-add-pkgconfig-files.patch b/pkg/rpi-000-add-pkgconfig-files.patch",
      "similarity index 100%",
      "rename from pkg/rpi-add-pkgconfig-files.patch",
      "rename to pkg/rpi-000-add-pkgconfig-files.patch",
      "diff --git a/pkg/rpi-makefiles-0001-cmake.patch b/pkg/rpi-001-makefiles-cmake.patch",
      "similarity index 100%",
      "rename from pkg/rpi-makefiles-0001-cmake.patch",
      "rename to pkg/rpi-001-makefiles-cmake.patch",
    );
    const s = parseDiffstat(L(" ...d-pkgconfig-files.patch => rpi-000-add-pkgconfig-files.patch} | 0", " ...001-makefiles-cmake.patch} | 0", " 2 files changed, 0 insertions(+), 0 deletions(-)"))!;
    expect(s.entries.map((e) => [e.path, e.truncated])).toEqual([
      ["rpi-000-add-pkgconfig-files.patch", true],
      ["001-makefiles-cmake.patch", true],
    ]);
    expect(checkDiffstat(s, parseDiff(diff))).toEqual([]);
  });

  it("matches renames, copies, truncated names and mode-only files", () => {
    const s = parseDiffstat(
      L(
        " hw/{i2c => display}/ddc.c | 2 +-",
        " lib/{a.c => b.c}          | 0",
        " scripts/run.sh            | 0",
        " .../new.txt               | 2 ++",
        " docs/old.txt              | 1 -",
        " 5 files changed, 3 insertions(+), 2 deletions(-)",
      ),
    )!;
    expect(checkDiffstat(s, parseDiff(MIXED_DIFF))).toEqual([]);
  });
});
