import { describe, expect, it } from "vitest";
import { isReplySubject, normalizeSubject, stripReplyPrefixes, threadSubjectKey } from "./subject";

describe("stripReplyPrefixes", () => {
  const cases: [string, string][] = [
    ["Re: [PATCH] mmc: sdhci: fix foo", "[PATCH] mmc: sdhci: fix foo"],
    ["RE: [PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp", "[PATCH 1/3] dt-bindings: mmc: fsl-imx-esdhc: add imx7ulp"],
    ["re: lower case", "lower case"],
    ["Re: Re: Re: chained", "chained"],
    ["Re:Re:no spaces", "no spaces"],
    ["Re[2]: counted", "counted"],
    ["RE(3): counted parens", "counted parens"],
    ["Re^2: counted caret", "counted caret"],
    ["AW: RE: [RFC PATCH net-next v2 1/3] net: bar", "[RFC PATCH net-next v2 1/3] net: bar"],
    ["Aw: German", "German"],
    ["SV: Swedish", "Swedish"],
    ["Sv: Re: mixed", "mixed"],
    ["Fwd: forwarded", "forwarded"],
    ["FW: forwarded", "forwarded"],
    ["Fw: Re: forwarded reply", "forwarded reply"],
    ["WG: German forward", "German forward"],
    ["Antw: Dutch", "Dutch"],
    ["Odp: Polish", "Polish"],
    ["回复: [PATCH] mmc: core: chinese reply", "[PATCH] mmc: core: chinese reply"],
    ["答复：[PATCH] full-width colon", "[PATCH] full-width colon"],
    ["[linux-mm] Re: list tag then reply", "list tag then reply"],
    ["Re: [Xen-devel] Re: nested tag", "nested tag"],
    ["[linux-mm] not a reply", "[linux-mm] not a reply"],
    ["[PATCH] Re: patch tag is not a list tag", "[PATCH] Re: patch tag is not a list tag"],
    ["  Re:   leading spaces", "leading spaces"],
    ["Revert \"mmc: foo\"", "Revert \"mmc: foo\""],
    ["Regression: not a marker", "Regression: not a marker"],
    ["Reply: not a marker", "Reply: not a marker"],
    ["re-tuning: fix", "re-tuning: fix"],
    ["tr: subsystem prefix kept", "tr: subsystem prefix kept"],
    ["", ""],
    ["Re:", ""],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(stripReplyPrefixes(input)).toBe(want));
  }
});

describe("isReplySubject", () => {
  const yes = [
    "Re: [PATCH] x",
    "RE: x",
    "AW: x",
    "Sv: x",
    "Re[2]: x",
    "Fwd: Re: x",
    "[linux-mm] Re: x",
    "回复: x",
    "re:x",
  ];
  const no = [
    "[PATCH] mmc: x",
    "Fwd: x",
    "FW: x",
    "Revert \"x\"",
    "Regression in 5.1",
    "[PATCH] Re: x", // the marker is not leading
    "",
    "Reply: x",
  ];
  for (const s of yes) it(`yes: ${s}`, () => expect(isReplySubject(s)).toBe(true));
  for (const s of no) it(`no: ${s}`, () => expect(isReplySubject(s)).toBe(false));
});

describe("threadSubjectKey", () => {
  const cases: [string, string][] = [
    ["[PATCH v5 07/22] mmc: sdhci: Fix  foo", "mmc: sdhci: fix foo"],
    ["Re: [PATCH v5 07/22] mmc: sdhci: Fix foo", "mmc: sdhci: fix foo"],
    ["[RFC PATCH] mmc: core: Add thing", "mmc: core: add thing"],
    ["[PATCH net-next v2 1/3] net: bar", "net: bar"],
    ["Re: [PATCH net-next v2 1/3] net: bar", "net: bar"],
    ["[PATCH v2 [net] 1/3] nested", "nested"],
    ["[PATCH] [RESEND] two groups", "two groups"],
    ["AW: [PATCH][v2] glued groups", "glued groups"],
    ["Re: Re: [PATCH 0/3] series", "series"],
    ["[linux-mm] Re: [PATCH] list tag", "list tag"],
    ["Re: [GIT PULL] MMC fixes for v5.2-rc3", "mmc fixes for v5.2-rc3"],
    ["RE: [EXT] Re: [PATCH v3] mmc: foo", "mmc: foo"],
    ["Re: [PATCH] foo (was: bar)", "foo (was: bar)"],
    ["\tRe:  [PATCH]\tmmc:   tabs\tand  spaces ", "mmc: tabs and spaces"],
    ["[PATCH 0/5]", ""],
    ["[unbalanced bracket subject", "[unbalanced bracket subject"],
    ["Fwd: [PATCH] forwarded", "forwarded"],
    ["", ""],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => expect(threadSubjectKey(input)).toBe(want));
  }

  it("maps a patch and all its replies to one key", () => {
    const subjects = [
      "[PATCH v3 2/4] mmc: sdhci-of-arasan: Add support for ZynqMP",
      "Re: [PATCH v3 2/4] mmc: sdhci-of-arasan: Add support for ZynqMP",
      "RE: [PATCH v3 2/4] mmc: sdhci-of-arasan: Add support for ZynqMP",
      "AW: Re: [PATCH v3 2/4] mmc: sdhci-of-arasan: Add support for ZynqMP",
      "Re: [PATCH v3 2/4] mmc: sdhci-of-arasan: Add support for\n ZynqMP",
    ];
    const keys = new Set(subjects.map(threadSubjectKey));
    expect([...keys]).toEqual(["mmc: sdhci-of-arasan: add support for zynqmp"]);
  });
});

describe("normalizeSubject", () => {
  it("collapses whitespace and trims", () => {
    expect(normalizeSubject("  Re: [PATCH]\n  foo\tbar  ")).toBe("Re: [PATCH] foo bar");
  });
});
