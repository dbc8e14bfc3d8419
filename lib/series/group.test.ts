// One test per grouping case of the shared fixtures (patchwork series/*.mbox, b4 samples, patchew
// data), each rebuilt here as our own small mails.
import { describe, expect, it } from "vitest";
import { classifyMessages, groupSeries, type SeriesGroup } from "./group";
import { makeMailer } from "./testkit";

const mail = makeMailer();

/** [cover|null, ...patch msgids in index order] per series, in series order */
function shape(groups: SeriesGroup[]): (string | null)[][] {
  return groups.map((g) => [g.cover, ...g.patches.map((p) => p.msgid)]);
}

describe("groupSeries: patchwork base cases", () => {
  it("base-single-patch", () => {
    const g = groupSeries([mail("p1@a", "[PATCH] blk: add a helper")]);
    expect(shape(g)).toEqual([[null, "p1@a"]]);
    expect(g[0]).toMatchObject({ id: "p1@a", total: 1, complete: true, method: "single", version: 1, title: "blk: add a helper" });
  });

  it("base-cover-letter", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
      mail("1@a", "[PATCH 1/2] blk: drop a variable", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/2] blk: rename a helper", { at: 2, irt: "c@a" }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a"]]);
    expect(g[0]).toMatchObject({ id: "c@a", coverKind: "numbered", complete: true, missing: [], method: "thread", title: "blk: two cleanups" });
  });

  it("base-no-cover-letter", () => {
    const g = groupSeries([
      mail("1@a", "[PATCH 1/2] blk: drop a variable"),
      mail("2@a", "[PATCH 2/2] blk: rename a helper", { at: 1, irt: "1@a" }),
    ]);
    expect(shape(g)).toEqual([[null, "1@a", "2@a"]]);
    expect(g[0]).toMatchObject({ id: "1@a", complete: true, title: "blk: drop a variable" });
  });

  it("base-deep-threaded (git send-email --chain-reply-to)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/3] blk: three cleanups"),
      mail("1@a", "[PATCH 1/3] blk: one", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/3] blk: two", { at: 2, irt: "1@a", refs: ["c@a", "1@a"] }),
      mail("3@a", "[PATCH 3/3] blk: three", { at: 3, irt: "2@a", refs: ["c@a", "1@a", "2@a"] }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a", "3@a"]]);
  });

  it("base-out-of-order", () => {
    const g = groupSeries([
      mail("2@a", "[PATCH 2/2] blk: rename a helper", { at: 2, irt: "c@a" }),
      mail("1@a", "[PATCH 1/2] blk: drop a variable", { at: 1, irt: "c@a" }),
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a"]]);
    expect(g[0].title).toBe("blk: two cleanups");
  });

  it("base-different-versions (versioned cover, unversioned patches)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH net-next v3 0/3] net: bridge: ground work (v3)"),
      mail("1@a", "[PATCH 1/3] net: bridge: one", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/3] net: bridge: two", { at: 1, irt: "c@a" }),
      mail("3@a", "[PATCH 3/3] net: bridge: three", { at: 1, irt: "c@a" }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a", "3@a"]]);
    expect(g[0]).toMatchObject({ version: 3, extraPrefixes: ["net-next"], titleKey: "net: bridge: ground work" });
  });

  it("bugs-multiple-references (repeated References headers)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH V2 0/2] PM / OPP: small cleanups"),
      mail("1@a", "[PATCH V2 1/2] PM / OPP: one", { at: 1, irt: "c@a", refs: ["c@a", "c@a"] }),
      mail("2@a", "[PATCH V2 2/2] PM / OPP: two", { at: 1, irt: "c@a", refs: ["c@a", "c@a", "c@a"] }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a"]]);
    expect(g[0]).toMatchObject({ version: 2, subsystem: "PM / OPP" });
  });

  it("base-no-references (comma prefixes, no threading, minutes apart)", () => {
    const g = groupSeries([
      mail("x1@a", "[net,v2,1/2] net: wpan: drop a store", { at: 0 }),
      mail("y7@a", "[net,v2,2/2] net: wpan: fix a refcount", { at: 8 }),
    ]);
    expect(shape(g)).toEqual([[null, "x1@a", "y7@a"]]);
    expect(g[0]).toMatchObject({ method: "unthreaded-window", version: 2, complete: true });
  });

  it("base-no-references-no-cover (cover and patches all unthreaded)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] powerpc/smp: show hot-added CPUs", { at: 0 }),
      mail("q@a", "[PATCH 1/2] powerpc/numa: update topology", { at: 1 }),
      mail("r@a", "[Patch 2/2]: powerpc/smp: fix the node map", { at: 2 }),
    ]);
    expect(shape(g)).toEqual([["c@a", "q@a", "r@a"]]);
    expect(g[0].method).toBe("unthreaded-window");
  });

  it("bugs-multiple-content-types (a reply is not a patch)", () => {
    const g = groupSeries([
      mail("p@a", "[PATCH -next] bpf: use a helper"),
      mail("r@b", "Re: [PATCH -next] bpf: use a helper", { from: "bob@example.org", at: 30, irt: "p@a" }),
    ]);
    expect(shape(g)).toEqual([[null, "p@a"]]);
  });

  it("base-incomplete", () => {
    const g = groupSeries([mail("c@a", "[PATCH 0/2] blk: two cleanups"), mail("1@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c@a" })]);
    expect(g[0]).toMatchObject({ complete: false, missing: [2] });
  });

  it("base-extra-patches (3/2 under the cover)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
      mail("1@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/2] blk: two", { at: 1, irt: "c@a" }),
      mail("3@a", "[PATCH 3/2] blk: one more", { at: 2, irt: "c@a" }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a", "3@a"]]);
    expect(g[0]).toMatchObject({ extra: ["3@a"], complete: true, total: 2 });
  });

  it("mercurial-cover-letter ([PATCH 0 of 2])", () => {
    const g = groupSeries([
      mail("bomb@h", "[PATCH 0 of 2] hg: sample patches"),
      mail("a1@h", "[PATCH 1 of 2] contrib: fix a check", { at: 1, irt: "bomb@h" }),
      mail("a2@h", "[PATCH 2 of 2] tests: work around unzip", { at: 1, irt: "bomb@h" }),
    ]);
    expect(shape(g)).toEqual([["bomb@h", "a1@h", "a2@h"]]);
  });

  it("mercurial-no-cover-letter", () => {
    const g = groupSeries([
      mail("a1@h", "[PATCH 1 of 2] contrib: fix a check"),
      mail("a2@h", "[PATCH 2 of 2] tests: work around unzip", { at: 1, irt: "a1@h" }),
    ]);
    expect(shape(g)).toEqual([[null, "a1@h", "a2@h"]]);
  });
});

describe("groupSeries: patchwork revision and bug cases", () => {
  const v1 = [
    mail("c1@a", "[PATCH 0/2] blk: two cleanups"),
    mail("11@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c1@a" }),
    mail("12@a", "[PATCH 2/2] blk: two", { at: 2, irt: "c1@a" }),
  ];

  it("revision-basic", () => {
    const g = groupSeries([
      ...v1,
      mail("c2@a", "[PATCH v2 0/2] blk: two cleanups", { at: 300 }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 301, irt: "c2@a" }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 302, irt: "c2@a" }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      ["c2@a", "21@a", "22@a"],
    ]);
    expect(g.map((s) => s.version)).toEqual([1, 2]);
  });

  it("revision-threaded-to-single-patch", () => {
    const g = groupSeries([
      mail("p1@a", "[PATCH] blk: add a helper"),
      mail("p2@a", "[PATCH v2] blk: add a helper", { at: 60, irt: "p1@a" }),
    ]);
    expect(shape(g)).toEqual([
      [null, "p1@a"],
      [null, "p2@a"],
    ]);
    expect(g[1].facts.threadedUnder).toBe("p1@a");
  });

  it("revision-threaded-to-cover", () => {
    const g = groupSeries([
      ...v1,
      mail("c2@a", "[PATCH v2 0/2] blk: two cleanups", { at: 60, irt: "c1@a" }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 61, irt: "c2@a", refs: ["c1@a", "c2@a"] }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 62, irt: "c2@a", refs: ["c1@a", "c2@a"] }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      ["c2@a", "21@a", "22@a"],
    ]);
    expect(g[1].facts.threadedUnder).toBe("c1@a");
  });

  it("revision-threaded-to-patch", () => {
    const g = groupSeries([
      ...v1,
      mail("c2@a", "[PATCH v2 0/2] blk: two cleanups", { at: 60, irt: "12@a", refs: ["c1@a", "12@a"] }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 62, irt: "c2@a", refs: ["c1@a", "12@a", "c2@a"] }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 61, irt: "c2@a", refs: ["c1@a", "12@a", "c2@a"] }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      ["c2@a", "21@a", "22@a"],
    ]);
  });

  it("revision-out-of-order (the v2 cover arrives last)", () => {
    const g = groupSeries([
      ...v1,
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 62, irt: "c2@a", refs: ["12@a"] }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 61, irt: "c2@a", refs: ["12@a"] }),
      mail("c2@a", "[PATCH v2 0/2] blk: two cleanups", { at: 60, irt: "12@a" }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      ["c2@a", "21@a", "22@a"],
    ]);
  });

  it("revision-no-cover-letter (v2 without cover, unthreaded)", () => {
    const g = groupSeries([
      ...v1,
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 90 }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 91, irt: "21@a" }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      [null, "21@a", "22@a"],
    ]);
  });

  it("revision-unlabeled (same subjects posted again, not threaded)", () => {
    const g = groupSeries([
      ...v1,
      mail("c9@a", "[PATCH 0/2] blk: two cleanups", { at: 11 }),
      mail("92@a", "[PATCH 2/2] blk: two", { at: 13, irt: "c9@a" }),
      mail("91@a", "[PATCH 1/2] blk: one", { at: 12, irt: "c9@a" }),
    ]);
    expect(shape(g)).toEqual([
      ["c1@a", "11@a", "12@a"],
      ["c9@a", "91@a", "92@a"],
    ]);
  });

  it("revision-unlabeled-noreferences (a repeated number starts a new series)", () => {
    const g = groupSeries([
      mail("a1@a", "[net,v2,1/2] net: wpan: drop a store", { at: 0 }),
      mail("a2@a", "[net,v2,2/2] net: wpan: fix a refcount", { at: 8 }),
      mail("b1@a", "[net,v2,1/2] net: wpan: drop a store", { at: 60 }),
      mail("b2@a", "[net,v2,2/2] net: wpan: fix a refcount", { at: 68 }),
    ]);
    expect(shape(g)).toEqual([
      [null, "a1@a", "a2@a"],
      [null, "b1@a", "b2@a"],
    ]);
  });

  it("bugs-unnumbered (a non-patch subject with a diff in the thread stands alone)", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
      mail("1@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c@a" }),
      mail("o@a", "This is an orphaned change", { at: 2, irt: "c@a", diff: true }),
    ]);
    expect(shape(g)).toEqual([
      ["c@a", "1@a"],
      [null, "o@a"],
    ]);
    expect(g[0].missing).toEqual([2]);
  });

  it("bugs-nocover-noversion (unlabeled v2 chained to v1)", () => {
    const g = groupSeries([
      mail("11@a", "[PATCH 1/2] blk: one"),
      mail("12@a", "[PATCH 2/2] blk: two", { at: 1, irt: "11@a" }),
      mail("21@a", "[PATCH 1/2] blk: one", { at: 9, irt: "11@a" }),
      mail("22@a", "[PATCH 2/2] blk: two", { at: 10, irt: "21@a", refs: ["11@a", "21@a"] }),
    ]);
    expect(shape(g)).toEqual([
      [null, "11@a", "12@a"],
      [null, "21@a", "22@a"],
    ]);
    expect(g[1].inherited).toEqual([]); // same revision: a repost, not a partial reroll
  });

  it("bugs-nocover (v2 sent in reply to v1's last patch)", () => {
    const g = groupSeries([
      mail("11@a", "[PATCH 1/2] blk: one"),
      mail("12@a", "[PATCH 2/2] blk: two", { at: 1, irt: "11@a" }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 9, irt: "12@a", refs: ["11@a", "12@a"] }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 10, irt: "21@a", refs: ["11@a", "12@a", "21@a"] }),
    ]);
    expect(shape(g)).toEqual([
      [null, "11@a", "12@a"],
      [null, "21@a", "22@a"],
    ]);
    expect(g[1].version).toBe(2);
  });

  it("bugs-spamming (the same 1/4 sent three times)", () => {
    const g = groupSeries([
      mail("s1@a", "[PATCH v2 1/4] tags: rework", { at: 0 }),
      mail("s2@a", "[PATCH v2 1/4] tags: rework", { at: 2 }),
      mail("s3@a", "[PATCH v2 1/4] tags: rework", { at: 4 }),
    ]);
    expect(shape(g)).toEqual([
      [null, "s1@a"],
      [null, "s2@a"],
      [null, "s3@a"],
    ]);
    expect(g[0].missing).toEqual([2, 3, 4]);
  });

  it("bugs-mixed-versions (v2 of the missing patch answers an absent message)", () => {
    const g = groupSeries([
      mail("11@a", "[PATCH 1/2] blk: one"),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 60 * 24 * 7, irt: "gone@a" }),
    ]);
    expect(shape(g)).toEqual([
      [null, "11@a"],
      [null, "22@a"],
    ]);
  });

  it("dependency-one-cover (a series that depends on another is its own series)", () => {
    const g = groupSeries([
      mail("d0@a", "[PATCH v1 0/2] test: improvements", { body: "Depends-on: <base0@a>\n" }),
      mail("d1@a", "[PATCH v1 1/2] Makefile: improve", { at: 1, irt: "d0@a" }),
      mail("d2@a", "[PATCH v1 2/2] test: improve", { at: 1, irt: "d0@a" }),
    ]);
    expect(shape(g)).toEqual([["d0@a", "d1@a", "d2@a"]]);
    expect(g[0].facts.basedOn).toEqual(["base0@a"]);
    expect(g[0].versionExplicit).toBe(true);
  });
});

describe("groupSeries: b4 samples", () => {
  it("naked-cover-single (cover without counter from the patch's sender)", () => {
    const g = groupSeries([
      mail("w0@a", "change how the gadget works", { diff: false }),
      mail("w1@a", "[PATCH] gadget: make it work", { at: 0.02, irt: "w0@a" }),
    ]);
    expect(shape(g)).toEqual([["w0@a", "w1@a"]]);
    expect(g[0]).toMatchObject({ coverKind: "naked", id: "w0@a", total: 1, complete: true });
  });

  it("naked-cover-bugreport (somebody else's report is not a cover)", () => {
    const g = groupSeries([
      mail("bug@r", "gadget corrupts data under load", { from: "reporter@example.com", diff: false }),
      mail("fix@a", "[PATCH] gadget: fix the corruption", { at: 0.02, irt: "bug@r" }),
    ]);
    expect(shape(g)).toEqual([[null, "fix@a"]]);
    const roles = classifyMessages([
      mail("bug@r", "gadget corrupts data under load", { from: "reporter@example.com", diff: false }),
      mail("fix@a", "[PATCH] gadget: fix the corruption", { at: 0.02, irt: "bug@r" }),
    ]);
    expect(roles.map((r) => r.role)).toEqual(["other", "patch"]);
  });

  it("trailers-followup-partial-reroll (v3 2/2 in reply to v2 2/2 inherits v2 1/2)", () => {
    const g = groupSeries([
      mail("cov@a", "[PATCH v2 0/2] Simple pair"),
      mail("p1@a", "[PATCH v2 1/2] Simple change 1", { irt: "cov@a" }),
      mail("p2@a", "[PATCH v2 2/2] Simple change 2", { irt: "cov@a" }),
      mail("r1@b", "Re: [PATCH v2 2/2] Simple change 2", { from: "rev@example.com", at: 5, irt: "p2@a", refs: ["p2@a", "cov@a"] }),
      mail("r2@b", "Re: [PATCH v2 0/2] Simple pair", { from: "rev@example.com", at: 6, irt: "cov@a" }),
      mail("p2v3@a", "[PATCH v3 2/2] Simple change 2", { at: 60, irt: "p2@a", refs: ["cov@a", "p2@a"] }),
    ]);
    expect(shape(g)).toEqual([
      ["cov@a", "p1@a", "p2@a"],
      [null, "p2v3@a"],
    ]);
    expect(g[1]).toMatchObject({
      version: 3,
      partialOf: "cov@a",
      complete: true,
      missing: [],
      inherited: [
        { index: 0, msgid: "cov@a", fromSeries: "cov@a" },
        { index: 1, msgid: "p1@a", fromSeries: "cov@a" },
      ],
      title: "Simple pair",
    });
  });

  it("partial reroll of several patches is one series", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/5] mm: five steps"),
      ...[1, 2, 3, 4, 5].map((i) => mail(`${i}@a`, `[PATCH ${i}/5] mm: step ${i}`, { at: 1, irt: "c@a" })),
      mail("v3@a", "[PATCH v2 3/5] mm: step 3", { at: 100, irt: "3@a", refs: ["c@a", "3@a"] }),
      mail("v4@a", "[PATCH v2 4/5] mm: step 4", { at: 101, irt: "4@a", refs: ["c@a", "4@a"] }),
    ]);
    expect(shape(g)).toEqual([
      ["c@a", "1@a", "2@a", "3@a", "4@a", "5@a"],
      [null, "v3@a", "v4@a"],
    ]);
    expect(g[0].duplicates).toEqual([]);
    expect(g[1].inherited.map((i) => i.index)).toEqual([0, 1, 2, 5]);
    expect(g[1].complete).toBe(true);
  });

  it("partial reroll with a dotted revision ([PATCH v5.1 10/12])", () => {
    const msgs = [mail("c@a", "[PATCH v5 00/12] mm: twelve steps")];
    for (let i = 1; i <= 12; i++) msgs.push(mail(`${i}@a`, `[PATCH v5 ${String(i).padStart(2, "0")}/12] mm: step ${i}`, { at: 1, irt: "c@a" }));
    msgs.push(mail("r10@a", "[PATCH v5.1 10/12] mm: step 10", { at: 500, irt: "10@a", refs: ["c@a", "10@a"] }));
    const g = groupSeries(msgs);
    expect(g).toHaveLength(2);
    expect(g[0].patches).toHaveLength(12);
    expect(g[1]).toMatchObject({ version: 5, revision: "5.1", partialOf: "c@a", complete: true });
    expect(g[1].patches.map((p) => p.msgid)).toEqual(["r10@a"]);
  });

  it("trailers-followup-nore (a reviewer's reply that kept the [PATCH] subject)", () => {
    const g = groupSeries([
      mail("orig@a", "[PATCH] Simple test"),
      mail("fw@b", "[PATCH] Simple test", { from: "rev@example.com", at: 10, irt: "orig@a", diff: false }),
    ]);
    expect(shape(g)).toEqual([[null, "orig@a"]]);
  });

  it("trailers-followup-non-git-patch (a reply quoting a diff is not a patch)", () => {
    const g = groupSeries([
      mail("orig@a", "[PATCH] Simple test"),
      mail("fw@b", "Re: [PATCH] Simple test", { from: "rev@example.com", at: 10, irt: "orig@a", diff: true }),
    ]);
    expect(shape(g)).toEqual([[null, "orig@a"]]);
  });

  it("trailers-thread-with-followups (b4-style ids, replies ignored)", () => {
    const c = "20240101-test1-v1-0-abc@example.org";
    const ids = [1, 2, 3, 4].map((i) => `20240101-test1-v1-${i}-abc@example.org`);
    const g = groupSeries([
      mail(c, "[PATCH 0/4] This is a cover for test series 1", { body: "---\nbase-commit: 0123456789abcdef\nchange-id: 20240101-test1-abc\n" }),
      ...ids.map((id, i) => mail(id, `[PATCH ${i + 1}/4] change ${i + 1}`, { at: 1, irt: c })),
      mail("fu@b", "Re: [PATCH 4/4] change 4", { from: "f@example.org", at: 30, irt: ids[3], refs: [c, ids[3]] }),
    ]);
    expect(shape(g)).toEqual([[c, ...ids]]);
    expect(g[0]).toMatchObject({ changeId: "20240101-test1-abc", baseCommit: "0123456789abcdef" });
  });
});

describe("groupSeries: more cases", () => {
  it("duplicates: the same number twice under the cover keeps the first", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
      mail("1@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c@a", patchId: "aaa" }),
      mail("1b@a", "[PATCH 1/2] blk: one", { at: 3, irt: "c@a", patchId: "aaa" }),
      mail("2@a", "[PATCH 2/2] blk: two", { at: 2, irt: "c@a" }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a"]]);
    expect(g[0].duplicates).toEqual([{ index: 1, kept: "1@a", dropped: ["1b@a"], samePatch: true, note: expect.any(String) }]);
    expect(g[0].facts.msgids).toContain("1b@a");
  });

  it("RESEND of a whole series is its own posting", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] blk: two cleanups"),
      mail("1@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/2] blk: two", { at: 2, irt: "c@a" }),
      mail("rc@a", "[PATCH RESEND 0/2] blk: two cleanups", { at: 9000 }),
      mail("r1@a", "[PATCH RESEND 1/2] blk: one", { at: 9001, irt: "rc@a" }),
      mail("r2@a", "[PATCH RESEND 2/2] blk: two", { at: 9002, irt: "rc@a" }),
    ]);
    expect(shape(g)).toEqual([
      ["c@a", "1@a", "2@a"],
      ["rc@a", "r1@a", "r2@a"],
    ]);
    expect(g.map((s) => s.isResend)).toEqual([false, true]);
  });

  it("unthreaded pieces more than an hour apart are different series", () => {
    const g = groupSeries([mail("a@a", "[PATCH 1/2] x: one", { at: 0 }), mail("b@a", "[PATCH 2/2] x: two", { at: 90 })]);
    expect(g).toHaveLength(2);
  });

  it("unthreaded pieces from different senders are different series", () => {
    const g = groupSeries([mail("a@a", "[PATCH 1/2] x: one"), mail("b@b", "[PATCH 2/2] x: two", { from: "bob@example.org", at: 1 })]);
    expect(g).toHaveLength(2);
  });

  it("a patch subject without a diff from the series' sender stays in the series", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/2] fw: blobs"),
      mail("1@a", "[PATCH 1/2] fw: text", { at: 1, irt: "c@a" }),
      mail("2@a", "[PATCH 2/2] fw: binary only", { at: 1, irt: "c@a", diff: false }),
    ]);
    expect(shape(g)).toEqual([["c@a", "1@a", "2@a"]]);
    expect(g[0].patches[1].hasDiff).toBe(false);
  });

  it("fractional index [PATCH 0.5/3] joins its series without counting as missing or extra", () => {
    const g = groupSeries([
      mail("c@a", "[PATCH 0/3] mm: three"),
      mail("h@a", "[PATCH 0.5/3] mm: prepare", { at: 1, irt: "c@a" }),
      ...[1, 2, 3].map((i) => mail(`${i}@a`, `[PATCH ${i}/3] mm: ${i}`, { at: 1, irt: "c@a" })),
    ]);
    expect(g[0].patches.map((p) => p.index)).toEqual([0.5, 1, 2, 3]);
    expect(g[0]).toMatchObject({ missing: [], extra: [], complete: true });
  });

  it("cover only: every patch missing", () => {
    const g = groupSeries([mail("c@a", "[PATCH v4 0/3] mm: three")]);
    expect(g[0]).toMatchObject({ id: "c@a", missing: [1, 2, 3], complete: false, version: 4 });
  });

  it("Supersedes: in a reply to the cover is a fact of the series (patchew supersedes-separate)", () => {
    const g = groupSeries([
      mail("c6@a", "[PATCH v6 0/1] blockdev: fix contexts"),
      mail("c61@a", "[PATCH v6 1/1] blockdev: fix", { at: 1, irt: "c6@a" }),
      mail("kw@b", "Re: [PATCH v6 0/1] blockdev: fix contexts", { from: "k@example.org", at: 100, irt: "c6@a", body: "Supersedes: <c5@a>\n" }),
    ]);
    expect(g[0].facts.supersedes).toEqual(["c5@a"]);
  });

  it("is deterministic whatever the input order", () => {
    const msgs = [
      mail("c@a", "[PATCH 0/3] mm: three"),
      ...[1, 2, 3].map((i) => mail(`${i}@a`, `[PATCH ${i}/3] mm: ${i}`, { at: i, irt: "c@a" })),
      mail("x@a", "[PATCH v2 2/3] mm: 2", { at: 50, irt: "2@a", refs: ["c@a", "2@a"] }),
    ];
    const a = groupSeries(msgs);
    const b = groupSeries([...msgs].reverse());
    expect(b).toEqual(a);
  });

  it("survives reference loops and missing dates", () => {
    const g = groupSeries([
      mail("a@a", "[PATCH 1/2] x: one", { irt: "b@a", at: null }),
      mail("b@a", "[PATCH 2/2] x: two", { irt: "a@a", at: null }),
    ]);
    expect(g.flatMap((s) => s.patches.map((p) => p.msgid)).sort()).toEqual(["a@a", "b@a"]);
  });
});

describe("groupSeries: archive gaps", () => {
  it("patches answering the same absent message are one posting (an AUTOSEL batch seen on one list)", () => {
    const g = groupSeries([
      mail("b-55@s", "[PATCH AUTOSEL 5.18 055/159] mmc: one", { from: "sasha@example.org", irt: "b-1@s" }),
      mail("b-56@s", "[PATCH AUTOSEL 5.18 056/159] mmc: two", { from: "sasha@example.org", at: 0.1, irt: "b-1@s" }),
    ]);
    expect(shape(g)).toEqual([[null, "b-55@s", "b-56@s"]]);
    expect(g[0].extraPrefixes).toEqual(["AUTOSEL", "5.18"]);
    expect(g[0].missing).toHaveLength(157);
  });

  it("a pull request answered by a patch of its sender is not that patch's cover", () => {
    const g = groupSeries([
      mail("pull@u", "[GIT PULL] immutable branch for amba", { diff: false }),
      mail("fix@u", "[PATCH] mailbox: make remove return void", { at: 10, irt: "pull@u" }),
    ]);
    expect(shape(g)).toEqual([[null, "fix@u"]]);
  });
});

describe("groupSeries: cases found by the b4 oracle on linux-mmc", () => {
  it("a patch numbered past the total, chained to the series ('v5 1/3, 2/3, 3/3, 4/4')", () => {
    const g = groupSeries([
      mail("t1@n", "[PATCH v5 1/3] mmc: tegra: one"),
      mail("t2@n", "[PATCH v5 2/3] mmc: tegra: two", { irt: "t1@n" }),
      mail("t3@n", "[PATCH v5 3/3] mmc: tegra: three", { irt: "t1@n" }),
      mail("t4@n", "[PATCH v5 4/4] mmc: tegra: four", { irt: "t1@n" }),
    ]);
    expect(shape(g)).toEqual([[null, "t1@n", "t2@n", "t3@n", "t4@n"]]);
    expect(g[0]).toMatchObject({ total: 3, extra: ["t4@n"], complete: true });
  });

  it("a cover that miscounts ('0/4' over '1/3 2/3 3/3')", () => {
    const g = groupSeries([
      mail("f0@g", "[PATCH V3 0/4] Fixup esdhc fallback"),
      mail("f1@g", "[PATCH V3 1/3] dt-bindings: mmc: one", { at: 1, irt: "f0@g" }),
      mail("f2@g", "[PATCH V3 2/3] arm64: dts: two", { at: 1, irt: "f0@g" }),
      mail("f3@g", "[PATCH V3 3/3] arm64: dts: three", { at: 1, irt: "f0@g" }),
    ]);
    expect(shape(g)).toEqual([["f0@g", "f1@g", "f2@g", "f3@g"]]);
    expect(g[0]).toMatchObject({ total: 3, complete: true, missing: [] });
  });

  it("a complete new version chained under a review of the old one is not a partial reroll", () => {
    const g = groupSeries([
      mail("a1@n", "[PATCH v3 1/2] mmc: one"),
      mail("a2@n", "[PATCH v3 2/2] mmc: two", { irt: "a1@n" }),
      mail("rv@i", "Re: [PATCH v3 2/2] mmc: two", { from: "rev@example.org", at: 60, irt: "a2@n", refs: ["a1@n", "a2@n"] }),
      mail("b1@n", "[PATCH v4 1/2] mmc: one", { at: 120, irt: "rv@i", refs: ["a1@n", "a2@n", "rv@i"] }),
      mail("b2@n", "[PATCH v4 2/2] mmc: two", { at: 120, irt: "b1@n", refs: ["a1@n", "a2@n", "rv@i", "b1@n"] }),
    ]);
    expect(shape(g)).toEqual([
      [null, "a1@n", "a2@n"],
      [null, "b1@n", "b2@n"],
    ]);
    expect(g[1]).toMatchObject({ partialOf: null, inherited: [], complete: true });
    expect(g[1].facts.threadedUnder).toBe("a1@n");
  });
});

describe("groupSeries: patchew data", () => {
  it("0012-incomplete-series (cover, one patch, replies to the cover)", () => {
    const g = groupSeries([
      mail("luks0@b", "[Qemu-devel] [PATCH v4 0/2] Report format specific info for LUKS"),
      mail("r1@e", "Re: [Qemu-devel] [PATCH v4 0/2] Report format specific info for LUKS", { from: "eric@example.org", at: 60, irt: "luks0@b" }),
      mail("r2@m", "Re: [PATCH v4 0/2] Report format specific info for LUKS", { from: "max@example.org", at: 90, irt: "luks0@b" }),
      mail("luks1@b", "[Qemu-devel] [PATCH v4 1/2] crypto: add block encryption info", { at: 1, irt: "luks0@b" }),
    ]);
    expect(shape(g)).toEqual([["luks0@b", "luks1@b"]]);
    expect(g[0]).toMatchObject({ version: 4, missing: [2], complete: false, title: "Report format specific info for LUKS" });
  });

  it("0017-qemu-web-is-not-qemu (list tag and a project prefix)", () => {
    const g = groupSeries([mail("web@t", "[Qemu-devel] [qemu-web PATCH] Add a blog post about the release")]);
    expect(g[0]).toMatchObject({ extraPrefixes: ["qemu-web"], title: "Add a blog post about the release", total: 1 });
  });

  it("0023-multiple-project-patch (a patch whose cover is not in the archive)", () => {
    const g = groupSeries([mail("mp2@r", "[Qemu-devel] [PATCH 1/7] SecurityPkg/Tcg2Pei: drop a check", { irt: "mp1@r" })]);
    expect(g[0]).toMatchObject({ cover: null, missing: [2, 3, 4, 5, 6, 7], complete: false, method: "single" });
  });

  it("0025-foo-patch-review and 0027-foo-patch-based-on (replies are not postings)", () => {
    const g = groupSeries([
      mail("foo@f", "[Qemu-devel] [PATCH] quorum: build only when supported"),
      mail("rev@f", "Re: [Qemu-devel] [PATCH] quorum: build only when supported", { at: 5, irt: "foo@f", body: "Reviewed-by: X <x@y>\n" }),
      mail("bo@f", "Re: [Qemu-devel] [PATCH] quorum: build only when supported", { at: 6, irt: "foo@f", body: "Based-on: <bar@f>\n" }),
    ]);
    expect(shape(g)).toEqual([[null, "foo@f"]]);
  });
});
