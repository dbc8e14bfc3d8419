import { describe, expect, it } from "vitest";
import { formatDiff, parseDiff } from "./diff";
import { gitPatchIds, patchId, patchIdUnstable } from "./patchid";
import * as F from "./fixtures";
import { EATEN_DIFF_REPAIRED_ID, GIT_IDS, L, SHORT_HUNK_PARSED_ID } from "./fixtures";

const texts = F as unknown as Record<string, string>;

describe("patchId: git patch-id --stable / --unstable (values from git 2.39.5)", () => {
  for (const [name, want] of Object.entries(GIT_IDS)) {
    it(`${name}: text`, () => {
      expect(patchId(texts[name])).toBe(want.stable);
      expect(patchIdUnstable(texts[name])).toBe(want.unstable);
    });
  }

  it("gives git's value for well-formed diffs from the parsed form", () => {
    for (const name of ["SIMPLE_DIFF", "CRLF_DIFF", "MIXED_DIFF", "BINARY_DIFF", "BINARY_FILES_DIFF", "QUOTED_DIFF", "CVS_DIFF", "WRAPPED_DIFF"]) {
      expect(patchId(parseDiff(texts[name])), name).toBe(GIT_IDS[name].stable);
    }
  });

  it("repairs eaten context lines in the parsed form (the id of the commit git am makes)", () => {
    const d = parseDiff(F.EATEN_DIFF);
    expect(patchId(d)).toBe(EATEN_DIFF_REPAIRED_ID);
    // without repair, on the diff alone, git's counting runs into the next file just as on the text
    expect(patchId(d, { repair: false })).toBe(GIT_IDS.EATEN_DIFF.stable);
  });

  it("hashes a cut hunk as parsed", () => {
    expect(patchId(parseDiff(F.SHORT_HUNK_DIFF))).toBe(SHORT_HUNK_PARSED_ID);
  });

  it("ignores whitespace, hunk line numbers, the index line and the commit message", () => {
    const a = F.SIMPLE_DIFF;
    const b = a
      .replace("@@ -10,7 +10,8 @@", "@@ -110,7 +111,8 @@ other heading")
      .replace("index 1111111..2222222", "index abcdef0..1234567")
      .replace("+\t\tpr_err", "+        pr_err");
    expect(patchId(b)).toBe(patchId(a));
    expect(patchId(L("Subject: x", "", "Some message.", "---", ...a.trimEnd().split("\n"), "-- ", "2.1.0"))).toBe(patchId(a));
  });

  it("stable ids do not depend on file order, unstable ones do", () => {
    const files = F.SIMPLE_DIFF.split(/(?=^diff --git )/m);
    const swapped = files[1] + files[0];
    expect(patchId(swapped)).toBe(patchId(F.SIMPLE_DIFF));
    expect(patchIdUnstable(swapped)).not.toBe(patchIdUnstable(F.SIMPLE_DIFF));
  });

  it("has no id without a `diff ` line, or without any diff", () => {
    expect(patchId(F.INDEX_DIFF)).toBeNull();
    expect(patchId(parseDiff("nothing here"))).toBeNull();
    expect(patchId("")).toBeNull();
  });

  it("splits several patches the way git does (a 40-hex line starts the next one)", () => {
    const two = L("From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001", ...F.SIMPLE_DIFF.trimEnd().split("\n"), "From 89abcdef0123456789abcdef0123456789abcdef Mon Sep 17 00:00:00 2001", ...F.MIXED_DIFF.trimEnd().split("\n"));
    expect(gitPatchIds(two)).toEqual([GIT_IDS.SIMPLE_DIFF.stable, GIT_IDS.MIXED_DIFF.stable]);
  });

  it("treats \\f and \\v as content, like git's isspace", () => {
    const mk = (c: string) => L("diff --git a/x b/x", "--- a/x", "+++ b/x", "@@ -1 +1 @@", "-a", `+b${c}c`);
    expect(patchId(mk("\r"))).toBe(patchId(mk("")));
    expect(patchId(mk("\f"))).not.toBe(patchId(mk("")));
    // values from git
    expect(patchId(mk(""))).toBe("162107749b4575b9a71db3baa58cc6c0a51f3f72");
    expect(patchId(mk("\f"))).toBe("b4a6929d4f2e9ef385e28926fcd30c661a2867a9");
  });

  it("formatDiff(repair) of a well-formed diff is the diff itself", () => {
    expect(formatDiff(parseDiff(F.SIMPLE_DIFF), { repair: true })).toBe(F.SIMPLE_DIFF);
  });
});
