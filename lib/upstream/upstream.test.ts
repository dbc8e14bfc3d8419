import { describe, expect, it } from "vitest";
import {
  FUZZY_THRESHOLD, GitLogParser, bodySimilarity, diffSimilarity, fuzzyScore, isFuzzyMatch, linkMsgids,
  stripTrailers, subjectKey, subjectTrigramDice, type ChangeText,
} from "./index";

const files = (o: Record<string, [string[], string[]]>): ChangeText["files"] =>
  new Map(Object.entries(o).map(([k, [added, removed]]) => [k, { added, removed }]));

describe("links", () => {
  it("takes Link: and Message-Id: trailers, not other lines", () => {
    const body = [
      "Some text mentioning https://lore.kernel.org/r/not-a-trailer@x",
      "",
      "Link: https://lore.kernel.org/r/one@x",
      "Message-Id: <two@y>",
      "Closes: https://lore.kernel.org/r/bug@z",
      "Link: https://lore.kernel.org/r/one@x",
    ].join("\n");
    expect(linkMsgids(body)).toEqual(["one@x", "two@y"]);
  });
});

describe("similarity", () => {
  it("strips subject prefixes and trailer blocks", () => {
    expect(subjectKey("[PATCH v3 2/4] mm: Add a queue")).toBe("mm: add a queue");
    expect(subjectKey("Re: [RFC PATCH] x")).toBe("x");
    expect(stripTrailers("Para one.\n\nSigned-off-by: A <a@x>\nLink: https://l/x")).toBe("Para one.");
    expect(stripTrailers("Para one.\nNote: not trailers.\n\nMore.")).toBe("Para one.\nNote: not trailers.\n\nMore.");
  });
  it("scores the same change reworded high, a different change low", () => {
    const patch: ChangeText = {
      subject: "mm/vmscan: batch LRU rotation through the rotation queue",
      body: "shrink_folio_list() takes the lruvec lock once for every folio it keeps.\nQueue those folios instead.\n\nSigned-off-by: M <m@x>",
      files: files({ "mm/vmscan.c": [["rotation_queue_add(folio);", "continue;", "rotation_queue_drain(pgdat);"], ["lock(lruvec);", "rotate(folio);", "unlock(lruvec);"]] }),
    };
    const reworded: ChangeText = {
      subject: "mm/vmscan: rotate kept folios in batches",
      body: "shrink_folio_list() takes the lruvec lock once per folio it keeps.\nQueue them instead.\n\nLink: https://x\nSigned-off-by: M <m@x>",
      files: files({ "mm/vmscan.c": [["rotation_queue_add(folio);", "continue;", "rotation_queue_drain(pgdat); /* tweak */"], ["lock(lruvec);", "rotate(folio);", "unlock(lruvec);"]] }),
    };
    const other: ChangeText = {
      subject: "mm/vmscan: fix a typo in a comment",
      body: "Spelling.",
      files: files({ "mm/vmscan.c": [[" * the lruvec lock"], [" * the lurvec lock"]] }),
    };
    const s = fuzzyScore(patch, reworded);
    expect(s.diff).toBeCloseTo(10 / 12, 3);
    expect(s.score).toBeGreaterThan(FUZZY_THRESHOLD);
    expect(s.score).toBeLessThan(1);
    expect(isFuzzyMatch(s)).toBe(true);
    const t = fuzzyScore(patch, other);
    expect(t.diff).toBe(0);
    expect(isFuzzyMatch(t)).toBe(false);
    expect(isFuzzyMatch(t, true)).toBe(false);
    // the same lines in another file are another change
    expect(diffSimilarity(files({ a: [["x"], []] }), files({ b: [["x"], []] }))).toBe(0);
    expect(subjectTrigramDice("[PATCH] a b c", "a b c")).toBe(1);
    expect(bodySimilarity("x y z", "x y z\n\nAcked-by: Q <q@x>")).toBe(1);
  });
});

describe("GitLogParser", () => {
  it("splits the stream into commits with message, files and diff", () => {
    const stream = [
      "\x1eaaaa\x1fAnn\x1fANN@X\x1f2024-01-01T00:00:00+01:00\x1f2024-01-02T00:00:00+01:00",
      "subject one",
      "",
      "body line",
      "",
      "Link: https://lore.kernel.org/r/m@x",
      "\x1d",
      "",
      "diff --git a/f.c b/f.c",
      "index 1..2 100644",
      "--- a/f.c",
      "+++ b/f.c",
      "@@ -1 +1 @@",
      "-a",
      "+b",
      "\x1ebbbb\x1fBob\x1fb@x\x1f2024-02-01T00:00:00Z\x1f2024-02-01T00:00:00Z",
      "empty commit",
      "\x1d",
    ];
    const p = new GitLogParser();
    const out = [...stream.map((l) => p.push(l)), p.end()].filter(Boolean);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ sha: "aaaa", authorName: "Ann", authorEmail: "ann@x", subject: "subject one", files: ["f.c"], diffTruncated: false });
    expect(out[0]!.body).toBe("body line\n\nLink: https://lore.kernel.org/r/m@x");
    expect(out[0]!.diff).toBe("diff --git a/f.c b/f.c\nindex 1..2 100644\n--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n");
    expect(out[1]).toMatchObject({ sha: "bbbb", subject: "empty commit", body: "", diff: "", files: [] });
  });
  it("drops a diff over the cap but keeps its file names", () => {
    const p = new GitLogParser(40);
    for (const l of ["\x1ecccc\x1fA\x1fa@x\x1f\x1f", "s", "\x1d", "", "diff --git a/x b/x", "+".repeat(50), "diff --git a/y b/y"]) p.push(l);
    const c = p.end()!;
    expect(c).toMatchObject({ diff: "", diffTruncated: true, files: ["x", "y"] });
  });
});
