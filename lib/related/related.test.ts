// The pure part of `related`: functions of hunks, the input's reading, scores, grouping, ranking.
import { describe, expect, it } from "vitest";
import { parseDiff } from "../patch";
import { Links } from "../markdown/links";
import {
  buildQuery, calledIdentifiers, emptyReviewSummary, finalizeItems, groupPatches, hunkFunctions,
  RelatedInputError, scorePatch, shortlistDrafts, WEIGHTS, type Candidate, type CandidateHunk, type CandidateSeries,
} from ".";

describe("functions", () => {
  it("finds the identifiers changed lines call, keywords left out", () => {
    expect(calledIdentifiers("\tif (folio_needs_rotation(folio, sc) && sizeof(x))")).toEqual(["folio_needs_rotation"]);
  });

  it("follows lib/code's rule: a function ends at its closing brace, prose names none, header definitions count", () => {
    const d = parseDiff(`--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -58,4 +58,9 @@ static bool folio_needs_rotation(struct folio *folio, struct scan_control *sc)
 	return false;
 }
 
+static void rotate_folio_locked(struct lruvec *lruvec, struct folio *folio)
+{
+	lockdep_assert_held(&lruvec->lru_lock);
+}
+
 static unsigned int shrink_folio_list(struct list_head *folio_list,
--- a/Documentation/mm/rotation.rst
+++ b/Documentation/mm/rotation.rst
@@ -1,2 +1,3 @@
 Rotation
+Folios are isolated (one batch at a time) before they rotate.
 ========
--- a/include/linux/rotation.h
+++ b/include/linux/rotation.h
@@ -0,0 +1,4 @@
+struct rotation_queue {
+	int n;
+};
+void rotation_queue_add(struct folio *folio);
`);
    expect(d.files.map((f) => hunkFunctions(f.hunks[0], f.path).touched)).toEqual([["rotate_folio_locked"], [], ["rotation_queue", "rotation_queue_add"]]);
  });

  it("puts each changed line in the function it sits in, following definitions inside the hunk", () => {
    // the demo's v3 3/4 second hunk: removes rotate_folio_locked; shrink_folio_list starts below
    const d = parseDiff(`--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -58,12 +59,7 @@ static bool folio_needs_rotation(struct folio *folio, struct scan_control *sc)
 	return false;
 }
 
-static void rotate_folio_locked(struct lruvec *lruvec, struct folio *folio)
-{
-	lockdep_assert_held(&lruvec->lru_lock);
-}
-
 static unsigned int shrink_folio_list(struct list_head *folio_list,
 				      struct pglist_data *pgdat)
 {
-	lruvec_unlock_irq(lruvec);
+	rotation_queue_add(folio);
`);
    const f = hunkFunctions(d.files[0].hunks[0], d.files[0].path);
    expect(f.touched.sort()).toEqual(["rotate_folio_locked", "shrink_folio_list"]);
    expect(f.called.sort()).toEqual(["lockdep_assert_held", "lruvec_unlock_irq", "rotation_queue_add"]);
  });
});

const INPUT = `diff --git a/mm/vmscan.c b/mm/vmscan.c
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -70,7 +70,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,
 	list_for_each_entry_safe(folio, next, folio_list, lru) {
 		if (folio_needs_rotation(folio, sc)) {
 			list_del(&folio->lru);
-			sc->nr_rotated += folio_nr_pages(folio);
+			sc->nr_rotated += folio_nr_pages(folio) * 2;
 			rotation_queue_add(folio);
 			continue;
 		}
`;

describe("buildQuery", () => {
  it("reads files, hunks and functions", () => {
    const q = buildQuery("Subject: [PATCH] x\n\nsome text\n---\n" + INPUT);
    expect(q.files).toHaveLength(1);
    expect(q.files[0]).toMatchObject({ path: "mm/vmscan.c", oldPath: null, functions: ["shrink_folio_list"] });
    expect(q.files[0].called).toEqual(["folio_nr_pages"]);
    expect(q.files[0].hunks[0]).toMatchObject({ oldStart: 70, oldLines: 7 });
    expect(q.patchId).toMatch(/^[0-9a-f]{40}$/);
    expect([q.added, q.removed]).toEqual([1, 1]);
  });

  it("refuses what is no diff, with a message saying what to give", () => {
    expect(() => buildQuery("")).toThrow(RelatedInputError);
    expect(() => buildQuery("  \n")).toThrow(/empty/);
    expect(() => buildQuery("just some prose\nabout code\n")).toThrow(/no diff found/);
    expect(() => buildQuery("diff --git a/x b/x\n\u0000\u0001")).toThrow(/binary/);
  });
});

const person = { name: "Ann", address: "ann@example.org" };
let nextId = 1;
function candidate(o: { files: { path: string; hunks: Partial<CandidateHunk>[] }[]; series?: CandidateSeries[]; date?: string; patchId?: string | null }): Candidate {
  const id = nextId++;
  return {
    messageId: String(id), msgid: `p${id}@example.org`, title: `patch ${id}`, subject: `[PATCH] patch ${id}`, date: o.date ?? "2024-01-01T00:00:00Z",
    author: person, list: "demo", patchKind: "patch", patchId: o.patchId ?? null,
    files: o.files.map((f) => ({ path: f.path, hunks: f.hunks.map((h) => ({ oldStart: 1, oldLines: 0, newStart: 1, newLines: 0, heading: "", defines: [], mentions: [], ...h })) })),
    series: o.series ?? [],
  };
}
function series(id: number, o: Partial<CandidateSeries> = {}): CandidateSeries {
  return { id, key: `s${id}@example.org`, title: `series ${id}`, version: 1, isRfc: false, total: 2, date: "2024-01-01T00:00:00Z", author: person, list: "demo", versionLine: null, index: 1, coverMsgid: null, ...o };
}

describe("scorePatch", () => {
  const q = buildQuery(INPUT);
  it("weighs the same function above overlapping lines above the same file, and explains each", () => {
    const fn = scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 300, oldLines: 10, newStart: 300, newLines: 10, heading: "static unsigned int shrink_folio_list(struct list_head *l," }] }] }))!;
    const lines = scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 60, oldLines: 12, newStart: 60, newLines: 12, heading: "static void other(void)" }] }] }))!;
    const file = scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 5, newStart: 900, newLines: 5, heading: "static void far(void)" }] }] }))!;
    expect(scorePatch(q, candidate({ files: [{ path: "mm/other.c", hunks: [{ heading: "static unsigned int shrink_folio_list(void)" }] }] }))).toBeNull();
    expect(fn.match).toBe(WEIGHTS.function + WEIGHTS.file);
    expect(lines.match).toBe(WEIGHTS.lines + WEIGHTS.file);
    expect(file.match).toBe(WEIGHTS.file);
    expect(fn.match).toBeGreaterThan(lines.match);
    expect(lines.match).toBeGreaterThan(file.match);
    expect(fn.reasons.map((r) => r.text)).toEqual(["same function shrink_folio_list() in mm/vmscan.c", "same file mm/vmscan.c"]);
    expect(lines.reasons[0]).toMatchObject({ kind: "lines", yours: "-70,7 +70,7", theirs: "-60,12 +60,12" });
  });

  it("counts a definition in their changed lines as the same function, and mentions of identifiers", () => {
    const def = scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 500, oldLines: 3, heading: "", defines: ["shrink_folio_list"], mentions: ["shrink_folio_list", "folio_nr_pages"] }] }] }))!;
    expect(def.reasons.map((r) => r.kind)).toEqual(["function", "mentions", "file"]);
    expect(def.reasons[1].identifiers).toEqual(["folio_nr_pages"]);
    expect(def.match).toBe(WEIGHTS.function + WEIGHTS.mention + WEIGHTS.file);
  });

  it("matches lines on their new side too (the file after their change)", () => {
    const s = scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 10, oldLines: 4, newStart: 72, newLines: 3 }] }] }))!;
    expect(s.reasons[0].kind).toBe("lines");
  });

  it("recognises the same change by patch-id", () => {
    const same = scorePatch(q, candidate({ patchId: q.patchId, files: [{ path: "mm/vmscan.c", hunks: [] }] }))!;
    expect(same.reasons[0].kind).toBe("same-change");
    expect(same.match).toBe(WEIGHTS.sameChange + WEIGHTS.file);
  });
});

describe("grouping and ranking", () => {
  const q = buildQuery(INPUT);
  const links = new Links("https://pl.example");
  const now = new Date("2025-06-01T00:00:00Z");
  const fnHunk = { oldStart: 300, oldLines: 10, heading: "static unsigned int shrink_folio_list(struct list_head *l," };

  it("gathers the versions of a line into one series item, lone patches into patch items", () => {
    const v1 = series(1, { versionLine: 7, version: 1, date: "2023-06-20T00:00:00Z", key: "v1@x" });
    const v2 = series(2, { versionLine: 7, version: 2, date: "2023-10-17T00:00:00Z", key: "v2@x", title: "the line, v2" });
    const scored = [
      scorePatch(q, candidate({ series: [v1], files: [{ path: "mm/vmscan.c", hunks: [fnHunk] }] }))!,
      scorePatch(q, candidate({ series: [v2], files: [{ path: "mm/vmscan.c", hunks: [fnHunk] }] }))!,
      scorePatch(q, candidate({ series: [v2], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 3 }] }] }))!,
      scorePatch(q, candidate({ files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 3 }] }] }))!,
    ];
    const drafts = groupPatches(scored);
    expect(drafts.map((d) => d.kind)).toEqual(["series", "patch"]);
    expect(drafts[0].postings.map((p) => p.version)).toEqual([1, 2]);
    // v2's best patch plus a quarter of its other one
    expect(drafts[0].match).toBe(WEIGHTS.function + WEIGHTS.file + WEIGHTS.file / 4);
    const items = finalizeItems(drafts, new Map(), [], links, { now, limit: 10 });
    expect(items[0]).toMatchObject({ kind: "series", key: "v2@x", title: "the line, v2", urls: { page: "https://pl.example/series/v2@x/" } });
    expect(items[0].versions!.map((v) => v.version)).toEqual([1, 2]);
    expect(items[0].patches).toHaveLength(3);
    expect(items[1]).toMatchObject({ kind: "patch", urls: { page: expect.stringMatching(/^https:\/\/pl\.example\/demo\/p\d+@example\.org\/$/) } });
  });

  it("breaks ties by decisions, review activity and recency, never above a stronger match", () => {
    const a = scorePatch(q, candidate({ series: [series(10, { date: "2020-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 3 }] }] }))!;
    const b = scorePatch(q, candidate({ series: [series(11, { date: "2020-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 3 }] }] }))!;
    const c = scorePatch(q, candidate({ series: [series(12, { date: "2025-05-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 900, oldLines: 3 }] }] }))!;
    const strong = scorePatch(q, candidate({ series: [series(13, { date: "2010-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 68, oldLines: 3 }] }] }))!;
    const drafts = groupPatches([a, b, c, strong]);
    const reviewed = emptyReviewSummary();
    reviewed.decisions.push({ kind: "applied", target: null, msgid: null });
    reviewed.reviews = 6;
    const items = finalizeItems(drafts, new Map([["series:11", reviewed]]), [], links, { now, limit: 10 });
    expect(items.map((i) => i.key)).toEqual(["s13@example.org", "s11@example.org", "s12@example.org", "s10@example.org"]);
    expect(finalizeItems(drafts, new Map(), [], links, { now, limit: 2 })).toHaveLength(2);
  });

  it("shortlists for review summaries by match, then recency", () => {
    const far = { oldStart: 900, oldLines: 3 };
    const drafts = groupPatches([
      scorePatch(q, candidate({ series: [series(30, { date: "2015-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [far] }] }))!,
      scorePatch(q, candidate({ series: [series(31, { date: "2025-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [far] }] }))!,
      scorePatch(q, candidate({ series: [series(32, { date: "2000-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [fnHunk] }] }))!,
      scorePatch(q, candidate({ series: [series(33, { date: "2020-01-01T00:00:00Z" })], files: [{ path: "mm/vmscan.c", hunks: [far] }] }))!,
    ]);
    expect(shortlistDrafts(drafts, 3, now).map((d) => d.groupKey)).toEqual(["series:32", "series:31", "series:33"]);
  });

  it("lists a proposal right after the best series it holds", () => {
    const s1 = series(20, { date: "2024-01-01T00:00:00Z" });
    const s2 = series(21, { date: "2024-01-01T00:00:00Z" });
    const drafts = groupPatches([
      scorePatch(q, candidate({ series: [s1], files: [{ path: "mm/vmscan.c", hunks: [fnHunk] }] }))!,
      scorePatch(q, candidate({ series: [s2], files: [{ path: "mm/vmscan.c", hunks: [{ oldStart: 68, oldLines: 3 }] }] }))!,
    ]);
    const items = finalizeItems(drafts, new Map(), [{ id: 5, key: "s21@example.org", title: "rotation", status: "merged", firstDate: null, lastDate: null, seriesIds: [21, 99] }], links, { now, limit: 10 });
    expect(items.map((i) => i.kind)).toEqual(["series", "series", "proposal"]);
    expect(items[2]).toMatchObject({ id: 5, status: "merged", members: ["s21@example.org"] });
    expect(items[2].score).toBeLessThan(items[1].score);
    expect(finalizeItems(drafts, new Map(), [{ id: 6, key: "k", title: "none", status: "open", firstDate: null, lastDate: null, seriesIds: [99] }], links, { now, limit: 10 }).map((i) => i.kind)).toEqual(["series", "series"]);
  });
});
