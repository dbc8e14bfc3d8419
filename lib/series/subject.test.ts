import { describe, expect, it } from "vitest";
import { compareRevision, parseSubject, titleKey } from "./subject";

describe("parseSubject: prefixes, versions, counters", () => {
  it("[PATCH v5 07/22] with a subsystem", () => {
    const s = parseSubject("[PATCH v5 07/22] mmc: sdhci-of-arasan: Fix clock setup");
    expect(s.prefixes).toEqual(["PATCH", "v5", "07/22"]);
    expect(s.version).toBe(5);
    expect(s.versionExplicit).toBe(true);
    expect(s.revision).toBe("5");
    expect(s.counter).toEqual({ index: 7, total: 22 });
    expect(s.isPatch).toBe(true);
    expect(s.isReply).toBe(false);
    expect(s.subsystem).toBe("mmc: sdhci-of-arasan");
    expect(s.title).toBe("mmc: sdhci-of-arasan: Fix clock setup");
    expect(s.summary).toBe("Fix clock setup");
    expect(s.key).toBe("mmc: sdhci-of-arasan: fix clock setup");
  });

  it("[RFC PATCH] has no version and no counter", () => {
    const s = parseSubject("[RFC PATCH] mm: rework the foo");
    expect(s.isRfc).toBe(true);
    expect(s.isPatch).toBe(true);
    expect(s.version).toBe(1);
    expect(s.versionExplicit).toBe(false);
    expect(s.counter).toBeNull();
    expect(s.prefixes).toEqual(["RFC", "PATCH"]);
  });

  it("[PATCHv3] and [RFCv2] are split", () => {
    expect(parseSubject("[PATCHv3] foo").prefixes).toEqual(["PATCH", "v3"]);
    expect(parseSubject("[PATCHv3] foo").version).toBe(3);
    const r = parseSubject("[RFCv2 3/4] foo");
    expect(r.isRfc).toBe(true);
    expect(r.version).toBe(2);
    expect(r.counter).toEqual({ index: 3, total: 4 });
  });

  it("[PATCH net-next v2 1/3] keeps the tree name", () => {
    const s = parseSubject("[PATCH net-next v2 1/3] net: dsa: foo");
    expect(s.prefixes).toEqual(["PATCH", "net-next", "v2", "1/3"]);
    expect(s.extraPrefixes).toEqual(["net-next"]);
    expect(s.version).toBe(2);
    expect(s.subsystem).toBe("net: dsa");
  });

  it("[PATCH RESEND 2/5]", () => {
    const s = parseSubject("[PATCH RESEND 2/5] mmc: core: bar");
    expect(s.isResend).toBe(true);
    expect(s.counter).toEqual({ index: 2, total: 5 });
    expect(s.extraPrefixes).toEqual([]);
  });

  it("Mercurial [PATCH 3 of 5] and a bare PATCH 3 of 5", () => {
    const a = parseSubject("[PATCH 3 of 5] contrib: fix check-commit");
    expect(a.counter).toEqual({ index: 3, total: 5 });
    expect(a.prefixes).toEqual(["PATCH", "3 of 5"]);
    expect(a.title).toBe("contrib: fix check-commit");
    const b = parseSubject("PATCH 3 of 5: tests: work around unzip");
    expect(b.counter).toEqual({ index: 3, total: 5 });
    expect(b.isPatch).toBe(true);
    expect(b.title).toBe("tests: work around unzip");
    const c = parseSubject("PATCH v2 1/3 mm: do it");
    expect(c.version).toBe(2);
    expect(c.counter).toEqual({ index: 1, total: 3 });
    expect(c.title).toBe("mm: do it");
  });

  it("[PATCH 0/2] is a cover subject, [PATCH 0.5/5] a fractional index", () => {
    expect(parseSubject("[PATCH 0/2] A sample series").isCoverSubject).toBe(true);
    const s = parseSubject("[PATCH 0.5/5] mm: an inserted patch");
    expect(s.counter).toEqual({ index: 0.5, total: 5 });
    expect(s.isCoverSubject).toBe(false);
  });

  it("[PATCH v5.1 10/12] is a partial reroll revision", () => {
    const s = parseSubject("[PATCH v5.1 10/12] mm/gup: fix");
    expect(s.version).toBe(5);
    expect(s.revision).toBe("5.1");
    expect(s.counter).toEqual({ index: 10, total: 12 });
    expect(s.subsystem).toBe("mm/gup");
  });

  it("nested brackets [PATCH [net] 1/2]", () => {
    const s = parseSubject("[PATCH [net] 1/2] net: fix");
    expect(s.prefixes).toEqual(["PATCH", "net", "1/2"]);
    expect(s.counter).toEqual({ index: 1, total: 2 });
    expect(s.title).toBe("net: fix");
  });

  it("several bracket groups [RFC][PATCH 1/2]", () => {
    const s = parseSubject("[RFC][PATCH 1/2] sched: foo");
    expect(s.prefixes).toEqual(["RFC", "PATCH", "1/2"]);
    expect(s.isRfc && s.isPatch).toBe(true);
  });

  it("comma-separated prefixes [net,v2,1/2] and [PATCH v6,19/24] (b4 issue #31)", () => {
    const a = parseSubject("[net,v2,1/2] net: ieee802154: remove explicit set skb->sk");
    expect(a.version).toBe(2);
    expect(a.counter).toEqual({ index: 1, total: 2 });
    expect(a.extraPrefixes).toEqual(["net"]);
    const b = parseSubject("[PATCH v6,19/24] media: mediatek: vcodec: disable wait interrupt for svp mode");
    expect(b.version).toBe(6);
    expect(b.counter).toEqual({ index: 19, total: 24 });
  });

  it("[Patch 2/2]: with a stray colon", () => {
    const s = parseSubject("[Patch 2/2]: powerpc/hotplug/mm: Fix hot-add memory node assoc");
    expect(s.counter).toEqual({ index: 2, total: 2 });
    expect(s.title).toBe("powerpc/hotplug/mm: Fix hot-add memory node assoc");
    expect(s.subsystem).toBe("powerpc/hotplug/mm");
  });

  it("[PATCH V2 1/4] upper-case version; PM / OPP subsystem", () => {
    const s = parseSubject("[PATCH V2 1/4] PM / OPP: Reorganize _generic_set_opp_regulator()");
    expect(s.version).toBe(2);
    expect(s.subsystem).toBe("PM / OPP");
  });

  it("[GIT PULL] and [PULL 00/28]", () => {
    expect(parseSubject("[GIT PULL] mmc fixes for v6.1-rc5").isPull).toBe(true);
    const p = parseSubject("[PULL 00/28] Migration pull patches");
    expect(p.isPull).toBe(true);
    expect(p.isCoverSubject).toBe(true);
  });

  it("[PATCH -next] keeps -next as a tree name", () => {
    const s = parseSubject("[PATCH -next] bpf: Use PTR_ERR_OR_ZERO in xsk_map_inc()");
    expect(s.extraPrefixes).toEqual(["-next"]);
    expect(s.subsystem).toBe("bpf");
  });
});

describe("parseSubject: replies, forwards, list tags", () => {
  it("Re: keeps the prefixes it answers", () => {
    const s = parseSubject("Re: [PATCH v2 1/3] mmc: foo");
    expect(s.isReply).toBe(true);
    expect(s.replyDepth).toBe(1);
    expect(s.version).toBe(2);
    expect(s.counter).toEqual({ index: 1, total: 3 });
    expect(s.title).toBe("mmc: foo");
  });

  it("RE:, Aw:, Sv: [PATCH, Re: Re:, Re[2]:", () => {
    expect(parseSubject("RE: [PATCH] x").replyDepth).toBe(1);
    expect(parseSubject("Aw: [PATCH] x").isReply).toBe(true);
    expect(parseSubject("Sv: [PATCH] x").isReply).toBe(true);
    expect(parseSubject("Odp: [PATCH] x").isReply).toBe(true);
    expect(parseSubject("Re: Re: [PATCH] x").replyDepth).toBe(2);
    expect(parseSubject("Re[3]: [PATCH] x").replyDepth).toBe(3);
  });

  it("Fwd: is a forward, not a reply", () => {
    const s = parseSubject("Fwd: [PATCH] mm: foo");
    expect(s.isForward).toBe(true);
    expect(s.isReply).toBe(false);
    expect(s.isPatch).toBe(true);
  });

  it("replies that dropped the prefix", () => {
    const s = parseSubject("Re: mmc: sdhci: fix foo");
    expect(s.isReply).toBe(true);
    expect(s.prefixes).toEqual([]);
    expect(s.key).toBe("mmc: sdhci: fix foo");
    expect(parseSubject("[PATCH] mmc: sdhci: fix foo").key).toBe(s.key);
  });

  it("list tags are kept apart: [linux-mm], [Qemu-devel] [PATCH]", () => {
    const a = parseSubject("[linux-mm] Re: [PATCH] mm: foo");
    expect(a.listTags).toEqual(["linux-mm"]);
    expect(a.isReply).toBe(true);
    expect(a.isPatch).toBe(true);
    const b = parseSubject("[Qemu-devel] [PATCH v2] quorum: Only compile when supported");
    expect(b.listTags).toEqual(["Qemu-devel"]);
    expect(b.prefixes).toEqual(["PATCH", "v2"]);
    expect(b.version).toBe(2);
  });

  it("[PATCH] Re: foo is a patch, not a reply", () => {
    const s = parseSubject("[PATCH] Re: old thread topic");
    expect(s.isReply).toBe(false);
    expect(s.title).toBe("Re: old thread topic");
  });

  it("subsystem-like words are not reply markers", () => {
    expect(parseSubject("tr: fix the translation table").isForward).toBe(false);
    expect(parseSubject("vs: foo").isReply).toBe(false);
    expect(parseSubject("Revert \"mmc: foo\"").subsystem).toBeNull();
  });

  it("subsystems: mm:, mm/gup:, dt-bindings: mmc:", () => {
    expect(parseSubject("[PATCH] mm: foo").subsystem).toBe("mm");
    expect(parseSubject("[PATCH] mm/gup: foo").subsystem).toBe("mm/gup");
    expect(parseSubject("[PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp compatible").subsystem).toBe(
      "dt-bindings: mmc: fsl-imx-esdhc",
    );
    expect(parseSubject("[PATCH] A sample series without area").subsystem).toBeNull();
  });

  it("empty and odd input", () => {
    const s = parseSubject("");
    expect(s.title).toBe("");
    expect(s.counter).toBeNull();
    expect(parseSubject("[PATCH").title).toBe("[PATCH");
    expect(parseSubject("   [PATCH]   spaced \t out  ").title).toBe("spaced out");
  });
});

describe("titleKey / compareRevision", () => {
  it("drops trailing version notes", () => {
    expect(titleKey("net: dsa: Multi-CPU ground work (v3)")).toBe("net: dsa: multi-cpu ground work");
    expect(titleKey("Migration pull patches (second try)")).toBe("migration pull patches");
    expect(titleKey("Foo  Bar.")).toBe("foo bar");
  });
  it("orders revisions", () => {
    expect(compareRevision("5", "5.1")).toBeLessThan(0);
    expect(compareRevision("5.1", "6")).toBeLessThan(0);
    expect(compareRevision("10", "9")).toBeGreaterThan(0);
    expect(compareRevision("2", "2")).toBe(0);
  });
});

describe("parseSubject: regressions", () => {
  it("a subsystem named like a forward marker after the prefix ([PATCH 0/2] fw: blobs)", () => {
    const s = parseSubject("[PATCH 0/2] fw: blobs");
    expect(s.isCoverSubject).toBe(true);
    expect(s.isForward).toBe(false);
    expect(s.listTags).toEqual([]);
    expect(s.subsystem).toBe("fw");
  });
});

describe("parseSubject: oddities seen on linux-mmc", () => {
  it("[<PATCH v1> 1/9] and [“PATCH” 0/3]", () => {
    const a = parseSubject("Re: [<PATCH v1> 1/9] mmc: core: Add a cap");
    expect(a.prefixes).toEqual(["PATCH", "v1", "1/9"]);
    expect(a.versionExplicit).toBe(true);
    expect(a.counter).toEqual({ index: 1, total: 9 });
    const b = parseSubject("[“PATCH” 0/3] Add support for eMMC PHY");
    expect(b.isPatch && b.isCoverSubject).toBe(true);
  });
  it("RESENT counts as RESEND", () => {
    expect(parseSubject("[RESENT PATCH v3 1/5] mmc-utils: refactor").isResend).toBe(true);
    expect(parseSubject("[PATCH v2 RESENT] mmc-utils: add CMD56").isResend).toBe(true);
  });
  it("mail gateway tags are not prefixes: [EXT] [PATCH]", () => {
    const s = parseSubject("RE: [EXT] Re: [PATCH v3 0/2] mmc: foo");
    expect(s.listTags).toEqual(["EXT"]);
    expect(s.replyDepth).toBe(2);
    expect(s.prefixes).toEqual(["PATCH", "v3", "0/2"]);
    expect(parseSubject("[EXT] [PATCH] mmc: bar").extraPrefixes).toEqual([]);
  });
});

describe("titleKey: spacing around colons", () => {
  it("'mmc:sdhci:Fix x' and 'mmc: sdhci: Fix x' have one key", () => {
    expect(titleKey("mmc:sdhci:Fix the tuning")).toBe(titleKey("mmc: sdhci: Fix the tuning"));
  });
});
