import { describe, expect, it } from "vitest";
import {
  addressesOf, cleanDisplayName, isMaintainerNote, stripMaintainerNotes, isPlaceholderAddress, isRealAddress, normalizeAddress, parseAddressList, parseNameAddress, parseNameAddressList,
} from "./address";

describe("parseAddressList / addressesOf (RFC 5322 headers)", () => {
  it("reads names and lower-cases addresses", () => {
    expect(parseAddressList('"Doe, Jane" <Jane@Example.ORG>, bob@x.org')).toEqual([
      { address: "jane@example.org", name: "Doe, Jane" },
      { address: "bob@x.org", name: "" },
    ]);
  });
  it("recovers a 'Name <addr>' a broken mailer encoded as one word", () => {
    expect(parseAddressList("=?utf-8?q?Jane_Doe_<jane@x.org>?=")).toEqual([{ address: "jane@x.org", name: "Jane Doe" }]);
  });
  it("drops empties and duplicates across header values", () => {
    expect(addressesOf(["a@x.org, A <a@x.org>", "b@y.org, undisclosed-recipients:;"]).map((a) => a.address)).toEqual(["a@x.org", "b@y.org"]);
  });
});

describe("names without their quotes", () => {
  it("removes quotes around the whole name, doubled or Outlook-style single", () => {
    expect(cleanDisplayName("'Ulf Hansson'")).toBe("Ulf Hansson");
    expect(cleanDisplayName('""Ulf Hansson""')).toBe("Ulf Hansson");
    expect(cleanDisplayName(`"'Ulf Hansson'"`)).toBe("Ulf Hansson");
    expect(cleanDisplayName('""Ulf Hansson"')).toBe("Ulf Hansson");
    expect(cleanDisplayName("\u201cUlf Hansson\u201d")).toBe("Ulf Hansson");
    expect(cleanDisplayName("  Ulf   Hansson ")).toBe("Ulf Hansson");
  });
  it("keeps apostrophes inside a name and ordinary comments", () => {
    expect(cleanDisplayName("Tim O'Brien")).toBe("Tim O'Brien");
    expect(cleanDisplayName("'t Hooft, Gerard")).toBe("'t Hooft, Gerard");
    expect(cleanDisplayName("Jane Doe (Intel)")).toBe("Jane Doe (Intel)");
  });
  it("headers give the name without quotes", () => {
    expect(parseAddressList(`'Ulf Hansson' <ulf.hansson@linaro.org>`)).toEqual([{ address: "ulf.hansson@linaro.org", name: "Ulf Hansson" }]);
    expect(parseAddressList(`"'Ulf Hansson'" <ulf.hansson@linaro.org>`)).toEqual([{ address: "ulf.hansson@linaro.org", name: "Ulf Hansson" }]);
    expect(parseAddressList(`"\\"Ulf Hansson\\"" <ulf.hansson@linaro.org>`)).toEqual([{ address: "ulf.hansson@linaro.org", name: "Ulf Hansson" }]);
  });
});

describe("get_maintainer.pl output is never a name", () => {
  const CC = "linux-mmc@vger.kernel.org (open list:MULTIMEDIA CARD (MMC), SECURE DIGITAL (SD) AND...), linux-kernel@vger.kernel.org (open list)";
  it("knows its role notes", () => {
    for (const n of ["maintainer:MULTIMEDIA CARD (MMC)", "reviewer:ARM/FOO", "open list:MULTIMEDIA CARD", "open list", "moderated list:ARM/Mediatek",
      "supporter:X", "commit_signer:12/14=86%", "odd fixer:Y", "authored:3/14=21%", "added_lines:10/20=50%", "removed_lines:1/2=50%"]) {
      expect(isMaintainerNote(n)).toBe(true);
      expect(cleanDisplayName(n)).toBe("");
    }
    expect(isMaintainerNote("Ulf Hansson")).toBe(false);
    expect(isMaintainerNote("Reviewer Jones")).toBe(false);
  });
  it("drops the notes from Cc lines, nested parentheses and all", () => {
    expect(parseAddressList(CC)).toEqual([
      { address: "linux-mmc@vger.kernel.org", name: "" },
      { address: "linux-kernel@vger.kernel.org", name: "" },
    ]);
    expect(parseAddressList("Ulf Hansson <ulf.hansson@linaro.org> (maintainer:MULTIMEDIA CARD (MMC), SECURE DIGITAL (SD) AND...)")).toEqual([
      { address: "ulf.hansson@linaro.org", name: "Ulf Hansson" },
    ]);
    expect(parseAddressList(`"maintainer:MULTIMEDIA CARD" <ulf.hansson@linaro.org>`)).toEqual([{ address: "ulf.hansson@linaro.org", name: "" }]);
    expect(parseNameAddressList(CC)).toEqual([
      { name: "", address: "linux-mmc@vger.kernel.org" },
      { name: "", address: "linux-kernel@vger.kernel.org" },
    ]);
    expect(parseNameAddress("Ulf Hansson <ulf.hansson@linaro.org> (reviewer:MMC)")).toEqual({ name: "Ulf Hansson", address: "ulf.hansson@linaro.org" });
  });
  it("a note cut short runs to the next address; other comments stay", () => {
    expect(stripMaintainerNotes("a@x.org (open list:MMC (MMC), SD AND..., b@y.org")).toBe("a@x.org, b@y.org");
    expect(stripMaintainerNotes("jane@x.org (Jane Doe)")).toBe("jane@x.org (Jane Doe)");
    expect(stripMaintainerNotes('"Doe (maintainer:x)" <a@x.org>')).toBe('"Doe (maintainer:x)" <a@x.org>');
  });
});

describe("parseNameAddress", () => {
  it("reads the usual forms", () => {
    expect(parseNameAddress("Jane Doe <Jane@Example.org>")).toEqual({ name: "Jane Doe", address: "jane@example.org" });
    expect(parseNameAddress('"Doe, Jane" <jane@x.org>')).toEqual({ name: "Doe, Jane", address: "jane@x.org" });
    expect(parseNameAddress("jane@x.org (Jane Doe)")).toEqual({ name: "Jane Doe", address: "jane@x.org" });
    expect(parseNameAddress("jane@x.org")).toEqual({ name: "", address: "jane@x.org" });
    expect(parseNameAddress("Jane Doe")).toEqual({ name: "Jane Doe", address: null });
  });
  it("puts masked addresses in obfuscated", () => {
    expect(parseNameAddress("Suren <surenb@xxxxxxxxxx>")).toEqual({ name: "Suren", address: null, obfuscated: "surenb@xxxxxxxxxx" });
    expect(parseNameAddress("Jane <jan...@example.org>")).toEqual({ name: "Jane", address: null, obfuscated: "jan...@example.org" });
  });
  it("written: HTML mailto junk, (<addr>), [mailto:], trailing comma, single quotes, a domain cut to dots", () => {
    const w = { written: true };
    expect(parseNameAddress("Jane <jane@x.org<mailto:jane@x.org>>", w)).toEqual({ name: "Jane", address: "jane@x.org" });
    expect(parseNameAddress("Jane Doe (<jane@x.org>)", w)).toEqual({ name: "Jane Doe", address: "jane@x.org" });
    expect(parseNameAddress("Jane Doe [mailto:jane@x.org]", w)).toEqual({ name: "Jane Doe", address: "jane@x.org" });
    expect(parseNameAddress("'Jane Doe' <mailto:jane@x.org>,", w)).toEqual({ name: "Jane Doe", address: "jane@x.org" });
    expect(parseNameAddress("Jane <jane@...>", w)).toEqual({ name: "Jane", address: null, obfuscated: "jane@..." });
  });
  it("without written, archive page values keep their old reading", () => {
    expect(parseNameAddress("Jane <jane@...>")).toEqual({ name: "Jane", address: "jane@..." });
    expect(parseNameAddress("'Jane Doe' <jane@x.org>")).toEqual({ name: "'Jane Doe'", address: "jane@x.org" });
  });
});

describe("parseNameAddressList", () => {
  it("splits on commas outside quotes and brackets", () => {
    expect(parseNameAddressList('A <a@x.org>, B, "C, D" <c@y.org>')).toEqual([
      { name: "A", address: "a@x.org" },
      { name: "B", address: null },
      { name: "C, D", address: "c@y.org" },
    ]);
  });
});

describe("isRealAddress", () => {
  it("shown: a dotted domain, no archive mask", () => {
    expect(isRealAddress("jane@example.org")).toBe(true);
    expect(isRealAddress("jane@xxxxxxx")).toBe(false);
    expect(isRealAddress("jan...@example.org")).toBe(false);
    expect(isRealAddress("jane@localhost")).toBe(false);
  });
  it("mailbox: normalized, dot-atom only, no placeholder host", () => {
    expect(isRealAddress("<Jane@Example.org>", "mailbox")).toBe(true);
    expect(isRealAddress("<Jane@Example.org>")).toBe(false);
    expect(isRealAddress("mira@laptop.local", "mailbox")).toBe(false);
    expect(isRealAddress("mira@laptop.local")).toBe(true);
    expect(isRealAddress("jane@xxxxxxx.org", "mailbox")).toBe(true);
  });
  it("normalizeAddress and isPlaceholderAddress", () => {
    expect(normalizeAddress(" mailto:Jane@X.org ")).toBe("jane@x.org");
    expect(isPlaceholderAddress("mira@laptop.(none)")).toBe(true);
    expect(isPlaceholderAddress("mira@kernel.org")).toBe(false);
  });
});
