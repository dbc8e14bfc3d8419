// Version lines: one test per case (patchew obsolete/supersedes data, b4 issues #31 and #58, and
// the evidence kinds of the issue), with our own mails.
import { describe, expect, it } from "vitest";
import { groupSeries, type SeriesInput } from "./group";
import { makeMailer } from "./testkit";
import { linkVersions, versionCandidateKeys } from "./versions";

const DAYM = 24 * 60; // minutes per day
const mail = makeMailer("2023-01-02T09:00:00Z");

function lines(msgs: SeriesInput[]) {
  return linkVersions(groupSeries(msgs));
}
function ids(msgs: SeriesInput[]): string[][] {
  return lines(msgs).map((l) => l.series);
}

describe("linkVersions", () => {
  it("patchew obsolete-by: v1, v2, v3 of one patch are one line even when v3's date is a minute early", () => {
    const m = [
      mail("q1@f", "[Qemu-devel] [PATCH] quorum: build only when supported", { at: 1, files: ["block/quorum.c"] }),
      mail("q2@f", "[Qemu-devel] [PATCH v2] quorum: build only when supported", { at: 2, files: ["block/quorum.c"] }),
      mail("q3@f", "[Qemu-devel] [PATCH v3] quorum: build only when supported", { at: 0, files: ["block/quorum.c", "configure"] }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["q1@f", "q2@f", "q3@f"]]);
    expect(l[0].links.map((x) => [x.method, x.kind])).toEqual([
      ["title", "new-version"],
      ["title", "new-version"],
    ]);
    expect(l[0].links[0].confidence).toBeGreaterThanOrEqual(0.5);
    expect(l[0].links[0].confidence).toBeLessThanOrEqual(0.7);
  });

  it("patchew obsolete-by-v3: dates in order", () => {
    const m = [
      mail("q1@f", "[PATCH] quorum: build only when supported", { at: 0 }),
      mail("q2@f", "[PATCH v2] quorum: build only when supported", { at: 1 }),
      mail("q3@f", "[PATCH v3] quorum: build only when supported", { at: 2 }),
    ];
    expect(ids(m)).toEqual([["q1@f", "q2@f", "q3@f"]]);
  });

  it("patchew topic assignment: other senders and titles stay apart", () => {
    const m = [
      mail("q1@f", "[PATCH] quorum: build only when supported", { at: 0 }),
      mail("q2@f", "[PATCH v2] quorum: build only when supported", { at: 1 }),
      mail("l0@d", "[PATCH v4 0/2] crypto: report LUKS info", { from: "dan@example.org", at: 3 }),
      mail("l1@d", "[PATCH v4 1/2] crypto: add info", { from: "dan@example.org", at: 4, irt: "l0@d" }),
      mail("l2@d", "[PATCH v4 2/2] block: use it", { from: "dan@example.org", at: 4, irt: "l0@d" }),
    ];
    expect(ids(m)).toEqual([["q1@f", "q2@f"], ["l0@d"]]);
  });

  it("patchew supersedes-embedded: a new pull request says what it supersedes", () => {
    const m = [
      mail("pull1@j", "[PULL 00/02] Migration pull request", { diff: false }),
      mail("pull2@j", "[PULL 00/03] Migration pull request (second try)", {
        at: 4 * DAYM,
        diff: false,
        body: "The following changes since commit abc:\n\nSupersedes: <pull1@j>\n",
      }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["pull1@j", "pull2@j"]]);
    expect(l[0].links[0]).toMatchObject({ method: "supersedes", confidence: 0.95 });
  });

  it("patchew supersedes-separate: a reviewer's Supersedes: links a renamed v6 to v5", () => {
    const m = [
      mail("v5@s", "[PATCH v5 0/1] blockdev: avoid taking the lock twice"),
      mail("v51@s", "[PATCH v5 1/1] blockdev: unify paths", { at: 1, irt: "v5@s" }),
      mail("v6@s", "[PATCH v6 0/1] blockdev: fix context handling", { at: 40 * DAYM }),
      mail("v61@s", "[PATCH v6 1/1] blockdev: unify paths", { at: 40 * DAYM + 1, irt: "v6@s" }),
      mail("kw@k", "Re: [PATCH v6 0/1] blockdev: fix context handling", {
        from: "kevin@example.org",
        at: 48 * DAYM,
        irt: "v6@s",
        body: "> quoted\n\nSupersedes: <v5@s>\n",
      }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["v5@s", "v6@s"]]);
    expect(l[0].links[0].method).toBe("supersedes");
  });

  it("change-id links versions whose titles changed (1.0)", () => {
    const m = [
      mail("a1@b", "[PATCH 0/1] gadget: first try", { body: "change-id: 20230102-gadget-123\n" }),
      mail("a11@b", "[PATCH 1/1] gadget: do it", { at: 1, irt: "a1@b" }),
      mail("a2@b", "[PATCH v2 0/1] gadget: a better name", { at: 9 * DAYM, body: "change-id: 20230102-gadget-123\n" }),
      mail("a21@b", "[PATCH v2 1/1] gadget: do it", { at: 9 * DAYM + 1, irt: "a2@b" }),
      mail("a3@b", "[PATCH v3 0/1] gadget: the final name", { at: 20 * DAYM, body: "change-id: 20230102-gadget-123\n" }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["a1@b", "a2@b", "a3@b"]]);
    expect(l[0].links.map((x) => x.confidence)).toEqual([1, 1]);
  });

  it("an explicit lore link to the previous version in the cover letter (0.9)", () => {
    const m = [
      mail("x1@b", "[PATCH 0/1] regulator: tidy"),
      mail("x2@b", "[PATCH v2 0/1] regulator: tidy up the core", {
        at: 5 * DAYM,
        body: "v1: https://lore.kernel.org/all/x1@b/\n",
      }),
    ];
    const l = lines(m);
    expect(l[0].series).toEqual(["x1@b", "x2@b"]);
    expect(l[0].links[0]).toMatchObject({ method: "reference", confidence: 0.9 });
  });

  it("a new version sent in reply to the old one (patchwork revision-threaded-to-cover)", () => {
    const m = [
      mail("c1@a", "[PATCH 0/2] blk: two cleanups"),
      mail("11@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c1@a" }),
      mail("12@a", "[PATCH 2/2] blk: two", { at: 2, irt: "c1@a" }),
      mail("c2@a", "[PATCH v2 0/2] blk: two cleanups", { at: 60, irt: "c1@a" }),
      mail("21@a", "[PATCH v2 1/2] blk: one", { at: 61, irt: "c2@a", refs: ["c1@a", "c2@a"] }),
      mail("22@a", "[PATCH v2 2/2] blk: two", { at: 62, irt: "c2@a", refs: ["c1@a", "c2@a"] }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["c1@a", "c2@a"]]);
    expect(l[0].links[0]).toMatchObject({ method: "reply-to-previous", confidence: 0.9, kind: "new-version" });
  });

  it("changelog section + same sender and title (0.8)", () => {
    const m = [
      mail("y1@b", "[PATCH] mmc: core: retry the switch", { files: ["drivers/mmc/core/mmc.c"] }),
      mail("y2@b", "[PATCH v2] mmc: core: retry the switch", {
        at: 30 * DAYM,
        body: "Changes since v1:\n - fix the timeout\n",
        files: ["drivers/mmc/core/mmc.c"],
      }),
    ];
    const l = lines(m);
    expect(l[0].links[0]).toMatchObject({ method: "changelog", confidence: 0.8 });
  });

  it("partial reroll links to the posting it completes", () => {
    const m = [
      mail("cov@a", "[PATCH v2 0/2] Simple pair"),
      mail("p1@a", "[PATCH v2 1/2] Simple change 1", { irt: "cov@a" }),
      mail("p2@a", "[PATCH v2 2/2] Simple change 2", { irt: "cov@a" }),
      mail("p2v3@a", "[PATCH v3 2/2] Simple change 2", { at: 60, irt: "p2@a", refs: ["cov@a", "p2@a"] }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["cov@a", "p2v3@a"]]);
    expect(l[0].links[0]).toMatchObject({ method: "partial-reroll", kind: "partial-reroll" });
    expect(l[0].revisions).toEqual(["2", "3"]);
  });

  it("never links unrelated postings that share a subject years apart", () => {
    const m = [
      mail("old@b", "[PATCH] mmc: fix a typo", { at: 0 }),
      mail("new@b", "[PATCH v2] mmc: fix a typo", { at: 3 * 365 * DAYM }),
    ];
    expect(ids(m)).toEqual([["old@b"], ["new@b"]]);
  });

  it("b4 #58: an older v2 with the same sender and title is not the successor of a newer v1", () => {
    const m = [
      mail("oldv2@b", "[PATCH v2 0/1] selftests: livepatch: test ftrace", { at: 0 }),
      mail("oldv21@b", "[PATCH v2 1/1] selftests: livepatch: add a test", { at: 1, irt: "oldv2@b" }),
      mail("newv1@b", "[PATCH 0/1] selftests: livepatch: test ftrace", { at: 200 * DAYM }),
      mail("newv11@b", "[PATCH 1/1] selftests: livepatch: add a test", { at: 200 * DAYM + 1, irt: "newv1@b" }),
    ];
    expect(ids(m)).toEqual([["newv1@b"], ["oldv2@b"]]);
  });

  it("b4 #31: patches of one series with equal titles are not versions of each other", () => {
    const m = [
      mail("c@d", "[PATCH v6,0/3] arm64: dts: fix the gpio names"),
      mail("1@d", "[PATCH v6,1/3] arm64: dts: fix the gpio names", { at: 1, irt: "c@d", files: ["arch/arm64/boot/dts/a.dts"] }),
      mail("2@d", "[PATCH v6,2/3] arm64: dts: fix the gpio names", { at: 1, irt: "c@d", files: ["arch/arm64/boot/dts/b.dts"] }),
      mail("3@d", "[PATCH v6,3/3] arm64: dts: fix the gpio names", { at: 1, irt: "c@d", files: ["arch/arm64/boot/dts/c.dts"] }),
    ];
    const g = groupSeries(m);
    expect(g).toHaveLength(1);
    expect(g[0].patches).toHaveLength(3);
    expect(linkVersions(g)).toHaveLength(1);
    // and two single patches with one title sent together are two postings, not two versions
    const singles = [
      mail("s1@d", "[PATCH] arm64: dts: fix the gpio names", { files: ["arch/arm64/boot/dts/a.dts"] }),
      mail("s2@d", "[PATCH] arm64: dts: fix the gpio names", { at: 1, files: ["arch/arm64/boot/dts/b.dts"] }),
    ];
    expect(ids(singles)).toEqual([["s1@d"], ["s2@d"]]);
  });

  it("gaps: v1 and v3 without v2", () => {
    const m = [mail("g1@b", "[PATCH] iio: adc: add a driver"), mail("g3@b", "[PATCH v3] iio: adc: add a driver", { at: 20 * DAYM })];
    const l = lines(m);
    expect(l[0].series).toEqual(["g1@b", "g3@b"]);
    expect(l[0].missingVersions).toEqual([2]);
  });

  it("two different series from one sender with similar titles stay apart", () => {
    const m = [
      mail("a1@b", "[PATCH] mmc: sdhci: fix clock", { files: ["drivers/mmc/host/sdhci.c"] }),
      mail("b1@b", "[PATCH] mmc: sdhci: fix clock gating", { at: 10, files: ["drivers/mmc/host/sdhci.c"] }),
      mail("a2@b", "[PATCH v2] mmc: sdhci: fix clock", { at: 5 * DAYM, files: ["drivers/mmc/host/sdhci.c"] }),
      mail("b2@b", "[PATCH v2] mmc: sdhci: fix clock gating", { at: 6 * DAYM, files: ["drivers/mmc/host/sdhci.c"] }),
    ];
    expect(ids(m)).toEqual([
      ["a1@b", "a2@b"],
      ["b1@b", "b2@b"],
    ]);
  });

  it("the same generic title on disjoint code is not a new version", () => {
    const m = [
      mail("f1@b", "[PATCH] fix build warning", { files: ["drivers/mmc/host/a.c"] }),
      mail("f2@b", "[PATCH v2] fix build warning", { at: 3 * DAYM, files: ["drivers/net/b.c"] }),
    ];
    expect(ids(m)).toEqual([["f1@b"], ["f2@b"]]);
  });

  it("a RESEND of the same version is in the same line, not a new version", () => {
    const m = [
      mail("r1@b", "[PATCH] pinctrl: add a pin", { patchId: "p1" }),
      mail("rr@b", "[PATCH RESEND] pinctrl: add a pin", { at: 20 * DAYM, patchId: "p1" }),
      mail("r2@b", "[PATCH v2] pinctrl: add a pin", { at: 30 * DAYM, patchId: "p2" }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["r1@b", "rr@b", "r2@b"]]);
    expect(l[0].links.map((x) => x.kind)).toEqual(["resend", "new-version"]);
    expect(l[0].revisions).toEqual(["1", "1", "2"]);
  });

  it("RFC postings come first", () => {
    const m = [
      mail("rfc1@b", "[RFC PATCH] sched: new policy", { at: 0 }),
      mail("rfc2@b", "[RFC PATCH v2] sched: new policy", { at: 10 * DAYM }),
      mail("p1@b", "[PATCH] sched: new policy", { at: 40 * DAYM }),
      mail("p2@b", "[PATCH v2] sched: new policy", { at: 60 * DAYM }),
    ];
    expect(ids(m)).toEqual([["rfc1@b", "rfc2@b", "p1@b", "p2@b"]]);
  });

  it("patchew based-on: a dependency is not an earlier version", () => {
    const m = [
      mail("foo@f", "[PATCH] quorum: build only when supported"),
      mail("bar@f", "[PATCH] bar patch", { at: 1, body: "Based-on: 20160628014747.20971-1-famz@redhat.com\nBased-on: <foo@f>\n" }),
    ];
    expect(ids(m)).toEqual([["foo@f"], ["bar@f"]]);
  });

  it("patchwork revision-unlabeled: the same patches posted again are one line (repost)", () => {
    const m = [
      mail("c1@a", "[PATCH 0/2] blk: two cleanups"),
      mail("11@a", "[PATCH 1/2] blk: one", { at: 1, irt: "c1@a", patchId: "x1" }),
      mail("12@a", "[PATCH 2/2] blk: two", { at: 2, irt: "c1@a", patchId: "x2" }),
      mail("c9@a", "[PATCH 0/2] blk: two cleanups", { at: 11 }),
      mail("91@a", "[PATCH 1/2] blk: one", { at: 12, irt: "c9@a", patchId: "x1" }),
      mail("92@a", "[PATCH 2/2] blk: two", { at: 13, irt: "c9@a", patchId: "x2" }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["c1@a", "c9@a"]]);
    expect(l[0].links[0].kind).toBe("repost");
  });

  it("candidate keys for the database lookup", () => {
    const g = groupSeries([
      mail("k2@b", "[PATCH v2 0/1] gadget: tidy", {
        body: "change-id: 20230102-gadget-9\nSupersedes: <k1@b>\nBased-on: <dep@b>\nv1: https://lore.kernel.org/r/k1@b\n",
      }),
      mail("k21@b", "[PATCH v2 1/1] gadget: tidy", { at: 1, irt: "k2@b" }),
    ]);
    const k = versionCandidateKeys(g[0]);
    expect(k).toMatchObject({ author: "alice@example.org", titleKey: "gadget: tidy", changeId: "20230102-gadget-9" });
    expect(k.referencedMsgids).toContain("k1@b");
    expect(k.referencedMsgids).not.toContain("dep@b");
    expect(k.ownMsgids).toEqual(["k2@b", "k21@b"]);
    expect(Date.parse(k.to!) - Date.parse(k.from!)).toBe(2 * 365 * 86_400_000);
  });
});

describe("linkVersions: threading and people", () => {
  it("each new version answering a review of the previous one links to the nearest one", () => {
    const m = [
      mail("a1@n", "[PATCH v3 1/2] mmc: tegra: one"),
      mail("a2@n", "[PATCH v3 2/2] mmc: tegra: two", { irt: "a1@n" }),
      mail("ra@i", "Re: [PATCH v3 2/2] mmc: tegra: two", { from: "rev@example.org", at: 60, irt: "a2@n" }),
      mail("b1@n", "[PATCH v4 1/2] mmc: tegra: one", { at: DAYM, irt: "ra@i" }),
      mail("b2@n", "[PATCH v4 2/2] mmc: tegra: two", { at: DAYM, irt: "b1@n" }),
      mail("rb@i", "Re: [PATCH v4 2/2] mmc: tegra: two", { from: "rev@example.org", at: DAYM + 60, irt: "b2@n" }),
      mail("c1@n", "[PATCH v5 1/2] mmc: tegra: one", { at: 2 * DAYM, irt: "rb@i" }),
      mail("c2@n", "[PATCH v5 2/2] mmc: tegra: two", { at: 2 * DAYM, irt: "c1@n" }),
    ];
    const g = groupSeries(m);
    expect(g.map((s) => s.facts.threadedUnder)).toEqual([null, "a1@n", "b1@n"]);
    const l = linkVersions(g);
    expect(l.map((x) => x.series)).toEqual([["a1@n", "b1@n", "c1@n"]]);
    expect(l[0].links.map((x) => x.method)).toEqual(["reply-to-previous", "reply-to-previous"]);
  });

  it("one person with two addresses: versions link through the person key", () => {
    const a = mail("o1@l", "[PATCH v6 0/1] mmc: add a software queue", { from: "baolin@linaro.example" });
    const b = mail("o2@g", "[PATCH v7 0/1] mmc: add a software queue", { from: "baolin@gmail.example", at: 10 * DAYM, body: "Changes from v6:\n - x\n" });
    expect(ids([a, b])).toEqual([["o1@l"], ["o2@g"]]);
    expect(ids([{ ...a, authorKey: "person:17" }, { ...b, authorKey: "person:17" }])).toEqual([["o1@l", "o2@g"]]);
  });
});

describe("linkVersions: renamed postings", () => {
  it("a renamed v2 whose changelog names v1 links with 0.7", () => {
    const m = [
      mail("e1@a", "[PATCH 0/1] mmc: sdhci-of-aspeed: Expose data sample phase delay tuning", { files: ["drivers/mmc/host/sdhci-of-aspeed.c"] }),
      mail("e2@a", "[PATCH v2 0/1] mmc: sdhci-of-aspeed: Expose phase delay tuning", {
        at: DAYM,
        body: "v2:\n - rework\n",
        files: ["drivers/mmc/host/sdhci-of-aspeed.c"],
      }),
    ];
    const l = lines(m);
    expect(l.map((x) => x.series)).toEqual([["e1@a", "e2@a"]]);
    expect(l[0].links[0]).toMatchObject({ method: "changelog", confidence: 0.7 });
  });
});
