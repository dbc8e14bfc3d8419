import { describe, expect, it } from "vitest";
import { parseDiff } from "./diff";
import { compareSeries, diffSequences, interdiff, titleBigramDice } from "./interdiff";
import { L, MIXED_DIFF, SIMPLE_DIFF } from "./fixtures";

function applyEdits(a: string[], b: string[], edits: ReturnType<typeof diffSequences>): { a: string[]; b: string[] } {
  return {
    a: edits.filter((e) => e.op !== "+").map((e) => a[e.a!]),
    b: edits.filter((e) => e.op !== "-").map((e) => b[e.b!]),
  };
}

describe("diffSequences (Myers)", () => {
  it("finds a shortest edit script", () => {
    const a = "ABCABBA".split("");
    const b = "CBABAC".split("");
    const e = diffSequences(a, b);
    expect(applyEdits(a, b, e)).toEqual({ a, b });
    expect(e.filter((x) => x.op !== "=").length).toBe(5);
    for (const x of e) if (x.op === "=") expect(a[x.a!]).toBe(b[x.b!]);
  });

  it("handles empty sides and equal inputs", () => {
    expect(diffSequences([], ["x"]).map((e) => e.op)).toEqual(["+"]);
    expect(diffSequences(["x"], []).map((e) => e.op)).toEqual(["-"]);
    expect(diffSequences(["x", "y"], ["x", "y"]).map((e) => e.op)).toEqual(["=", "="]);
  });

  it("is consistent on random inputs", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 4;
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rnd() * 3 + rnd() }, () => "abcd"[rnd()]);
      const b = Array.from({ length: rnd() * 3 + rnd() }, () => "abcd"[rnd()]);
      expect(applyEdits(a, b, diffSequences(a, b))).toEqual({ a, b });
    }
  });
});

const V1 = L(
  "diff --git a/drivers/mmc/core/core.c b/drivers/mmc/core/core.c",
  "index 1111111..2222222 100644",
  "--- a/drivers/mmc/core/core.c",
  "+++ b/drivers/mmc/core/core.c",
  "@@ -10,4 +10,5 @@ static int mmc_start(struct mmc_host *host)",
  " \terr = mmc_power_up(host);",
  "-\tif (err)",
  "+\tif (err) {",
  "+\t\tpr_err(\"power up failed\\n\");",
  " \t\treturn err;",
  " \treturn 0;",
  "diff --git a/drivers/mmc/core/old.c b/drivers/mmc/core/old.c",
  "index 3333333..4444444 100644",
  "--- a/drivers/mmc/core/old.c",
  "+++ b/drivers/mmc/core/old.c",
  "@@ -1 +1 @@",
  "-a",
  "+b",
);

// v2: the message changed, the hunk moved (other line numbers), old.c dropped, new.c added
const V2 = L(
  "diff --git a/drivers/mmc/core/core.c b/drivers/mmc/core/core.c",
  "index 1111111..5555555 100644",
  "--- a/drivers/mmc/core/core.c",
  "+++ b/drivers/mmc/core/core.c",
  "@@ -20,4 +20,5 @@ static int mmc_start(struct mmc_host *host)",
  " \terr = mmc_power_up(host);",
  "-\tif (err)",
  "+\tif (err) {",
  "+\t\tdev_err(host->parent, \"power up failed: %d\\n\", err);",
  " \t\treturn err;",
  " \treturn 0;",
  "diff --git a/drivers/mmc/core/new.c b/drivers/mmc/core/new.c",
  "new file mode 100644",
  "index 0000000..6666666",
  "--- /dev/null",
  "+++ b/drivers/mmc/core/new.c",
  "@@ -0,0 +1 @@",
  "+int x;",
);

describe("interdiff", () => {
  it("shows what changed between two versions of a patch, ignoring moved line numbers", () => {
    const r = interdiff(parseDiff(V1), parseDiff(V2));
    expect(r.identical).toBe(false);
    expect(r.files.map((f) => [f.status, f.aPath, f.bPath])).toEqual([
      ["changed", "drivers/mmc/core/core.c", "drivers/mmc/core/core.c"],
      ["added", null, "drivers/mmc/core/new.c"],
      ["removed", "drivers/mmc/core/old.c", null],
    ]);
    const core = r.files[0];
    const changed = core.hunks.flatMap((h) => h.lines.filter((l) => l.op !== "="));
    expect(changed.map((l) => l.op + l.text)).toEqual(['-+\t\tpr_err("power up failed\\n");', '++\t\tdev_err(host->parent, "power up failed: %d\\n", err);']);
    // references back to the mail lines
    expect(changed[0].a?.source).toBe(8);
    expect(changed[1].b?.source).toBe(8);
    expect(r.text).toContain("interdiff drivers/mmc/core/core.c (changed)");
    expect(r.text).toContain('-+\t\tpr_err("power up failed\\n");');
    expect(r.text).toContain("interdiff drivers/mmc/core/new.c (added)");
    expect(r.text).toContain("++int x;");
    expect(r.text).toContain("interdiff drivers/mmc/core/old.c (removed)");
  });

  it("finds nothing between a patch and itself moved elsewhere", () => {
    const moved = SIMPLE_DIFF.replace("@@ -10,7 +10,8 @@", "@@ -40,7 +42,8 @@");
    const r = interdiff(parseDiff(SIMPLE_DIFF), parseDiff(moved));
    expect(r.identical).toBe(true);
    expect(r.text).toBe("");
  });

  it("notices a changed hunk heading, and follows renames", () => {
    const a = L("diff --git a/x.c b/x.c", "--- a/x.c", "+++ b/x.c", "@@ -1 +1 @@ int f(void)", "-a", "+b");
    const b = L(
      "diff --git a/x.c b/y.c",
      "similarity index 90%",
      "rename from x.c",
      "rename to y.c",
      "--- a/x.c",
      "+++ b/y.c",
      "@@ -1 +1 @@ int g(void)",
      "-a",
      "+b",
    );
    const r = interdiff(parseDiff(a), parseDiff(b));
    expect(r.files).toHaveLength(1);
    const f = r.files[0];
    expect(f).toMatchObject({ status: "changed", aPath: "x.c", bPath: "y.c", matchedBy: "rename" });
    expect(f.headerChanges).toEqual(["status: modified -> renamed", "path: x.c -> y.c"]);
    expect(f.hunks[0].lines.map((l) => l.op + l.text)).toEqual(["-@@ int f(void)", "+@@ int g(void)", "=-a", "=+b"]);
  });

  it("compares mode changes and binary contents", () => {
    const r = interdiff(parseDiff(MIXED_DIFF), parseDiff(MIXED_DIFF.replace("new mode 100755", "new mode 100700")));
    const f = r.files.find((x) => x.aPath === "scripts/run.sh")!;
    expect(f.status).toBe("changed");
    expect(f.headerChanges).toEqual(["new mode: 100755 -> 100700"]);
  });

  it("limits context and numbers hunks in patch-line positions", () => {
    const mk = (n: number) => L("diff --git a/x b/x", "--- a/x", "+++ b/x", `@@ -1,20 +1,20 @@`, ...Array.from({ length: 20 }, (_, k) => (k === n ? "-old" : ` l${k}`)), "+new");
    const r = interdiff(parseDiff(mk(10)), parseDiff(mk(12)), { context: 1 });
    const h = r.files[0].hunks;
    expect(h.length).toBe(1);
    // "@@" + 20 lines: l10 is at 12 in a's sequence
    expect(h[0].aStart).toBe(11);
    expect(h[0].lines.map((l) => l.op + l.text)).toEqual(["= l9", "--old", "+ l10", "= l11", "- l12", "+-old", "= l13"]);
  });
});

describe("compareSeries", () => {
  const p = (title: string, diff: string, number?: number) => ({ title, diff: parseDiff(diff), number });
  const A = L("diff --git a/a.c b/a.c", "--- a/a.c", "+++ b/a.c", "@@ -1 +1 @@", "-a", "+A");
  const B = L("diff --git a/b.c b/b.c", "--- a/b.c", "+++ b/b.c", "@@ -1 +1 @@", "-b", "+B");
  const B2 = L("diff --git a/b.c b/b.c", "--- a/b.c", "+++ b/b.c", "@@ -1 +1 @@", "-b", "+BB");
  const C = L("diff --git a/c.c b/c.c", "--- a/c.c", "+++ b/c.c", "@@ -1 +1 @@", "-c", "+C");
  const D = L("diff --git a/d.c b/d.c", "--- a/d.c", "+++ b/d.c", "@@ -1 +1 @@", "-d", "+D");
  const D2 = L("diff --git a/d.c b/d.c", "--- a/d.c", "+++ b/d.c", "@@ -1 +1,2 @@", "-d", "+D", "+E");

  it("classifies unchanged, changed (by title, by position and files), added and dropped patches", () => {
    const v1 = [p("mmc: core: add a", A, 1), p("mmc: core: tweak b", B, 2), p("mmc: core: remove c", C, 3), p("mmc: host: something about d", D, 4)];
    const v2 = [
      p("mmc: core: add a", A.replace("@@ -1 +1 @@", "@@ -5 +5 @@"), 1), // same patch-id
      p("mmc: core: tweak b harder", B2, 2), // similar title
      p("mmc: host: rework d entirely", D2, 3), // new title, same files, same position? no: position 3 vs 4
      p("mmc: core: new patch", L("diff --git a/e.c b/e.c", "--- a/e.c", "+++ b/e.c", "@@ -1 +1 @@", "-e", "+E"), 4),
    ];
    const r = compareSeries(v1, v2);
    expect(r.entries.map((e) => [e.status, e.a, e.b, e.method])).toEqual([
      ["unchanged", 0, 0, "patch-id"],
      ["changed", 1, 1, "title"],
      ["dropped", 2, null, null],
      ["added", null, 2, null],
      ["dropped", 3, null, null],
      ["added", null, 3, null],
    ]);
    expect(r.counts).toEqual({ unchanged: 1, changed: 1, added: 2, dropped: 2 });
    expect(r.entries[1].interdiff?.text).toContain("\n-+B\n++BB\n");
  });

  it("pairs by position and files when the title changed", () => {
    const v1 = [p("mmc: core: add a", A, 1), p("mmc: host: something about d", D, 2)];
    const v2 = [p("mmc: core: add a", A, 1), p("mmc: host: rework d entirely", D2, 2)];
    const r = compareSeries(v1, v2);
    expect(r.entries.map((e) => [e.status, e.method])).toEqual([
      ["unchanged", "patch-id"],
      ["changed", "position+files"],
    ]);
  });

  it("pairs diffs without a git patch-id by content", () => {
    const u = L("--- a/x.c", "+++ b/x.c", "@@ -1 +1 @@", "-x", "+y");
    const r = compareSeries([p("one", u)], [p("totally different title", u.replace("@@ -1 +1 @@", "@@ -3 +3 @@"))]);
    expect(r.entries[0]).toMatchObject({ status: "unchanged", method: "content" });
  });

  it("title similarity", () => {
    expect(titleBigramDice("[PATCH v2] mmc: x", "mmc: x")).toBe(1);
    expect(titleBigramDice("mmc: core: tweak b", "mmc: core: tweak b harder")).toBeGreaterThan(0.75);
    expect(titleBigramDice("mmc: core: add a", "net: phy: fix b")).toBeLessThan(0.5);
  });
});
