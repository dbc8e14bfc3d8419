import { describe, expect, it } from "vitest";
import { extractBodyFacts } from "./body";

describe("extractBodyFacts", () => {
  it("b4 cover footer: base-commit and change-id", () => {
    const f = extractBodyFacts("Hello\n\n---\nbase-commit: 4fe89d07dcc2804c8b562f6c7896a45643d34b2f\nchange-id: 20221025-test1-e4f28f57990c\n\nBest regards,\n");
    expect(f.baseCommit).toBe("4fe89d07dcc2804c8b562f6c7896a45643d34b2f");
    expect(f.changeId).toBe("20221025-test1-e4f28f57990c");
  });

  it("patchew Supersedes:, Obsoleted-by:, Based-on: with and without brackets", () => {
    const f = extractBodyFacts("Supersedes: <a@x>\nObsoleted-by: <b@x>\nBased-on: 20160628014747.20971-1-famz@redhat.com\nBased-on: <c@x>\n");
    expect(f.supersedes).toEqual(["a@x"]);
    expect(f.obsoletedBy).toEqual(["b@x"]);
    expect(f.basedOn).toEqual(["20160628014747.20971-1-famz@redhat.com", "c@x"]);
  });

  it("lore links, url-encoded ids, and b4's 'Link to v1'", () => {
    const f = extractBodyFacts(
      "Changes in v3:\n- foo\n- Link to v2: https://lore.kernel.org/r/20240101-x-v2-0-abc%40example.org\n\nv1: https://lore.kernel.org/linux-mmc/v1cover@host/T/#u\n",
    );
    expect(f.previousVersionRefs).toEqual(["20240101-x-v2-0-abc@example.org", "v1cover@host"]);
    expect(f.changelogVersions).toEqual([1, 3]);
    expect(f.hasChangelog).toBe(true);
  });

  it("changelog headings: 'Changes since v2', 'v2 -> v3', 'v1->v2:', 'V4:'", () => {
    expect(extractBodyFacts("Changes since v2:\n - x\n").changelogVersions).toEqual([2]);
    expect(extractBodyFacts("v2 -> v3:\n - x\n").changelogVersions).toEqual([2, 3]);
    expect(extractBodyFacts("v1->v2:\n - x\n").changelogVersions).toEqual([1, 2]);
    expect(extractBodyFacts("V4:\n - x\n").changelogVersions).toEqual([4]);
    expect(extractBodyFacts("This makes v4l2 faster.\n").hasChangelog).toBe(false);
  });

  it("ignores quoted text, person trailers and the diff", () => {
    const f = extractBodyFacts(
      "> Supersedes: <quoted@x>\nReviewed-by: Jane <jane@example.org>\nSigned-off-by: A <a@example.org>\n---\ndiff --git a/f b/f\n+See <indiff@x> and Changes since v9:\n",
    );
    expect(f.supersedes).toEqual([]);
    expect(f.bodyRefs).toEqual([]);
    expect(f.changelogVersions).toEqual([]);
  });

});

describe("extractBodyFacts: not changelogs", () => {
  it("'Changes to the v4l2 code' is not a changelog heading", () => {
    expect(extractBodyFacts("Changes to the v4l2 code are needed.\n").hasChangelog).toBe(false);
  });
});
