import { describe, expect, it } from "vitest";
import {
  deobfuscateAddress, groupIdentities, isAmbiguousName, isPlaceholderAddress, localSpellsName, maskedMatches, mergeReason,
  normalizeName, parseMaskedAddress, sameOrganisation,
} from "./index";
import { isRealAddress } from "../mail/address";

describe("deobfuscateAddress", () => {
  it.each([
    ["jane at example dot org", "jane@example.org"],
    ["Jane AT Example DOT Org", "jane@example.org"],
    ["jane [at] example [dot] co [dot] uk", "jane@example.co.uk"],
    ["jane (at) example (dot) org", "jane@example.org"],
    ["jane () example ! org", "jane@example.org"],
    ["jane.doe () mail ! example ! com", "jane.doe@mail.example.com"],
    ["jane-at-example.org", "jane@example.org"],
    ["jane@NOSPAM.example.org", "jane@example.org"],
    ["<jane at example dot org>", "jane@example.org"],
  ])("%s -> %s", (s, a) => expect(deobfuscateAddress(s)).toBe(a));
  it("leaves plain addresses, prose and masked addresses alone", () => {
    expect(deobfuscateAddress("jane@example.org")).toBeNull();
    expect(deobfuscateAddress("look at the example dot")).toBeNull();
    expect(deobfuscateAddress("jane@xxxxxxx")).toBeNull();
    expect(deobfuscateAddress("")).toBeNull();
  });
});

describe("masked and placeholder addresses", () => {
  it("fits hypermail masks by local part and domain length, mail-archive masks by prefix and domain", () => {
    const h = parseMaskedAddress("surenb@xxxxxxxxxx")!;
    expect(h).toEqual({ local: "surenb", localIsPrefix: false, domain: null, domainLength: 10 });
    expect(maskedMatches(h, "surenb@google.com")).toBe(true);
    expect(maskedMatches(h, "surenb@gmail.com")).toBe(false);
    expect(maskedMatches(h, "suren@google.com")).toBe(false);
    const m = parseMaskedAddress("jan...@example.org")!;
    expect(maskedMatches(m, "jane.doe@example.org")).toBe(true);
    expect(maskedMatches(m, "jane.doe@example.com")).toBe(false);
    expect(parseMaskedAddress("jane@example.org")).toBeNull();
  });
  it("knows placeholder domains", () => {
    expect(isPlaceholderAddress("mira@laptop.(none)")).toBe(true);
    expect(isPlaceholderAddress("root@localhost.localdomain")).toBe(true);
    expect(isPlaceholderAddress("mira@kernel.example")).toBe(false);
    expect(isRealAddress("mira@laptop.(none)", "mailbox")).toBe(false);
    expect(isRealAddress("jane () example ! org", "mailbox")).toBe(false);
  });
});

describe("names", () => {
  it("normalizes spellings, order and accents; one word is no full name", () => {
    expect(normalizeName("René Lefèvre")).toBe("rene lefevre");
    expect(normalizeName("Lefèvre, René")).toBe("rene lefevre");
    expect(normalizeName('"Jane Doe (Intel)"')).toBe("jane doe");
    expect(normalizeName("jane")).toBe("");
    expect(normalizeName("jane@example.org")).toBe("");
    expect(normalizeName("Russell King - ARM Linux admin")).toBe("russell king");
    expect(normalizeName("Jane Doe via B4 Relay")).toBe("jane doe");
    expect(normalizeName("moderated list:ARM/Mediatek SoC support")).toBe("");
  });
  it("recognises local parts that spell a name", () => {
    expect(localSpellsName("jane.doe", "jane doe")).toBe(true);
    expect(localSpellsName("jdoe", "jane doe")).toBe(true);
    expect(localSpellsName("doej2", "jane doe")).toBe(true);
    expect(localSpellsName("coolcat77", "jane doe")).toBe(false);
  });
  it("compares organisations", () => {
    expect(sameOrganisation("linux.intel.com", "intel.com")).toBe(true);
    expect(sameOrganisation("intel.com", "amd.com")).toBe(false);
    expect(sameOrganisation("a.co.uk", "co.uk")).toBe(false);
  });
});

describe("mergeReason", () => {
  const P = (id: number, address: string, ...names: string[]) => ({ id, address, names });
  it("merges the same full name at the same organisation", () => {
    expect(mergeReason(P(1, "jane@corp.example", "Jane Doe"), P(2, "jane.doe@lab.corp.example", "Doe, Jane"))).toMatchObject({ method: "name+domain" });
  });
  it("does not merge the same name at different organisations, or one-word names", () => {
    expect(mergeReason(P(1, "jane@corp.example", "Jane Doe"), P(2, "jane@other.example", "Jane Doe"))).toBeNull();
    expect(mergeReason(P(1, "jane@corp.example", "Jane"), P(2, "j@corp.example", "Jane"))).toBeNull();
  });
  it("needs the local parts to spell the name at webmail domains", () => {
    expect(mergeReason(P(1, "jane.doe@gmail.com", "Jane Doe"), P(2, "jdoe@gmail.com", "Jane Doe"))).toMatchObject({ method: "name+domain" });
    expect(mergeReason(P(1, "jane.doe@gmail.com", "Jane Doe"), P(2, "coolcat@gmail.com", "Jane Doe"))).toBeNull();
  });
  it("never merges role names, lists, or addresses several people send from", () => {
    expect(mergeReason(P(1, "lkp@intel.com", "kernel test robot"), P(2, "oliver.sang@intel.com", "kernel test robot"))).toBeNull();
    expect(mergeReason(P(1, "linux-mediatek@lists.infradead.org", "moderated list:ARM/Mediatek SoC support"), P(2, "linux-arm-kernel@lists.infradead.org", "moderated list:ARM/Mediatek SoC support"))).toBeNull();
    expect(mergeReason(P(1, "drbd-dev@lists.linbit.com", "Lars Ellenberg"), P(2, "lars.ellenberg@linbit.com", "Lars Ellenberg"))).toBeNull();
    // a bot address two people send from
    const shared = { id: 1, address: "abaci-bugfix@linux.alibaba.com", names: ["Yang Li", "Jiapeng Zhong"] };
    expect(mergeReason(shared, P(2, "yang.lee@linux.alibaba.com", "Yang Li"))).toBeNull();
    // the same surname spelled two ways is one person
    expect(mergeReason({ id: 1, address: "andriy.shevchenko@intel.com", names: ["Andriy Shevchenko", "Andy Shevchenko"] }, P(2, "andriy.shevchenko@linux.intel.com", "Andy Shevchenko"))).toMatchObject({ method: "name+domain" });
  });
  it("compares the names an address sent under, not names others wrote beside it", () => {
    const alias = { id: 1, address: "trivial@kernel.org", names: ["Jiri Kosina"], senderNames: [] };
    const jiri = { id: 2, address: "jikos@kernel.org", names: ["Jiri Kosina"], senderNames: ["Jiri Kosina"] };
    expect(mergeReason(alias, jiri)).toBeNull();
    expect(mergeReason({ ...alias, senderNames: ["Jiri Kosina"] }, jiri)).toMatchObject({ method: "name+domain" });
  });
  it("merges obfuscated, masked and placeholder addresses", () => {
    expect(mergeReason(P(1, "jane () example ! org"), P(2, "jane@example.org", "Jane Doe"))).toMatchObject({ method: "deobfuscated", confidence: 0.99 });
    expect(mergeReason(P(1, "surenb@xxxxxxxxxx", "Suren Baghdasaryan"), P(2, "surenb@google.com", "Suren Baghdasaryan"))).toMatchObject({ method: "obfuscated-partial" });
    expect(mergeReason(P(1, "surenb@xxxxxxxxxx", "Someone Else"), P(2, "surenb@google.com", "Suren Baghdasaryan"))).toBeNull();
    expect(mergeReason(P(1, "mira@laptop.(none)", "Mira Kovacs"), P(2, "mira@kernel.example", "Mira Kovacs"))).toMatchObject({ method: "placeholder-domain" });
    expect(mergeReason(P(1, "mk@laptop.(none)", "Mira Kovacs"), P(2, "mira@kernel.example", "Mira Kovacs"))).toBeNull();
    expect(mergeReason(P(1, "mk@laptop.(none)", "Mira Kovacs"), P(2, "mira@kernel.example", "Mira Kovacs"), { uniqueName: true })).toMatchObject({ method: "placeholder-domain", confidence: 0.8 });
  });
});

describe("same-full-name", () => {
  type Sent = [string | null, string | null];
  const P = (id: number, address: string, name: string, sent: Sent = ["2020-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]) =>
    ({ id, address, names: [name], senderNames: [name], firstSent: sent[0], lastSent: sent[1] });
  it("merges kernel.org and an employer domain under one full name", () => {
    expect(mergeReason(P(1, "ulf.hansson@kernel.org", "Ulf Hansson"), P(2, "ulf.hansson@linaro.org", "'Ulf Hansson'"))).toMatchObject({
      method: "same-full-name", confidence: 0.8, evidence: expect.stringContaining("kernel.org"),
    });
  });
  it("merges two employer domains used one after the other, not at the same time", () => {
    const old = P(1, "ulf.hansson@stericsson.com", "Ulf Hansson", ["2010-01-01T00:00:00Z", "2012-03-01T00:00:00Z"]);
    const next = P(2, "ulf.hansson@linaro.org", "Ulf Hansson", ["2012-02-01T00:00:00Z", "2024-01-01T00:00:00Z"]);
    expect(mergeReason(old, next)).toMatchObject({ method: "same-full-name", confidence: 0.7 });
    const meanwhile = P(3, "ulf@other.example", "Ulf Hansson", ["2015-01-01T00:00:00Z", "2015-02-01T00:00:00Z"]);
    expect(mergeReason(meanwhile, next)).toBeNull();
    expect(mergeReason(P(4, "ulf@corp.example", "Ulf Hansson", [null, null]), next)).toBeNull();
  });
  it("needs a full name that is not common or ambiguous, and no webmail", () => {
    expect(isAmbiguousName("ulf hansson")).toBe(false);
    expect(isAmbiguousName("wei wang")).toBe(true);
    expect(isAmbiguousName("mark brown")).toBe(true);
    expect(isAmbiguousName("j hansson")).toBe(true);
    expect(isAmbiguousName("li li")).toBe(true);
    expect(isAmbiguousName("ulf")).toBe(true);
    expect(mergeReason(P(1, "wangwei@kernel.org", "Wei Wang"), P(2, "wei.wang@corp.example", "Wei Wang"))).toBeNull();
    expect(mergeReason(P(1, "ulf@kernel.org", "Ulf"), P(2, "ulf@linaro.org", "Ulf"))).toBeNull();
    expect(mergeReason(P(1, "ulf@kernel.org", "Ulf Hansson"), P(2, "ulf.hansson@gmail.com", "Ulf Hansson"))).toBeNull();
    expect(mergeReason(P(1, "ulf@kernel.org", "kernel test robot"), P(2, "lkp@intel.com", "kernel test robot"))).toBeNull();
    expect(mergeReason(P(1, "ulf@kernel.org", "Ulf Hansson"), P(2, "ulf@linaro.org", "Ulf Hansson"), { homonyms: true })).toBeNull();
  });
  it("does not merge when two different people share the name within one domain", () => {
    const people = [
      { ...P(1, "ulf.hansson@kernel.org", "Ulf Hansson"), messages: 9 },
      P(2, "ulf.hansson@linaro.org", "Ulf Hansson"),
      P(3, "ulf.hansson@gmail.com", "Ulf Hansson"),
      P(4, "coolcat@gmail.com", "Ulf Hansson"),
    ];
    const g = new Map(groupIdentities(people).map((a) => [a.id, a]));
    expect(g.get(2)!.canonicalId).toBeNull();
    expect(g.get(3)!.canonicalId).toBeNull();
    // without the second gmail.com Ulf Hansson the name is one person's
    const h = new Map(groupIdentities(people.slice(0, 3)).map((a) => [a.id, a]));
    expect(h.get(2)).toMatchObject({ canonicalId: 1, reason: { method: "same-full-name" } });
    // webmail is never merged by this rule
    expect(h.get(3)!.canonicalId).toBeNull();
  });
  it("does not merge a name carried by more than four addresses", () => {
    const people = ["kernel.org", "a.example", "b.example", "c.example", "d.example"].map((d, i) =>
      P(i + 1, `ulf@${d}`, "Ulf Hansson", [`${2010 + 2 * i}-01-01T00:00:00Z`, `${2011 + 2 * i}-01-01T00:00:00Z`]));
    expect(groupIdentities(people).every((a) => a.canonicalId === null)).toBe(true);
    expect(groupIdentities(people.slice(0, 3)).filter((a) => a.canonicalId !== null)).toHaveLength(2);
  });
});

describe("groupIdentities", () => {
  it("groups connected addresses, picks the busiest as canonical, and applies manual merges", () => {
    const people = [
      { id: 1, address: "jane@corp.example", names: ["Jane Doe"], messages: 3 },
      { id: 2, address: "jane.doe@lab.corp.example", names: ["Jane Doe"], messages: 10 },
      { id: 3, address: "jane () corp ! example", names: [], messages: 1 },
      { id: 4, address: "bob@other.example", names: ["Bob Roe"], messages: 5 },
      { id: 5, address: "robert@elsewhere.example", names: ["Robert Roe"], messages: 1 },
      { id: 6, address: "jane@other.example", names: ["Jane Doe"], messages: 1 },
    ];
    const g = new Map(groupIdentities(people).map((a) => [a.id, a]));
    expect(g.get(2)!.canonicalId).toBeNull();
    expect(g.get(1)).toMatchObject({ canonicalId: 2, reason: { method: "name+domain" } });
    expect(g.get(3)).toMatchObject({ canonicalId: 2, reason: { method: "deobfuscated" }, via: "jane@corp.example" });
    expect(g.get(6)!.canonicalId).toBeNull();
    expect(g.get(5)!.canonicalId).toBeNull();
    const m = new Map(groupIdentities(people, [{ into: "bob@other.example", address: "robert@elsewhere.example" }]).map((a) => [a.id, a]));
    expect(m.get(5)).toMatchObject({ canonicalId: 4, reason: { method: "manual", confidence: 1 } });
    expect(m.get(4)!.canonicalId).toBeNull();
    // a manual merge decides the canonical address of the group it joins
    const n = new Map(groupIdentities(people, [{ into: "jane@corp.example", address: "jane.doe@lab.corp.example" }]).map((a) => [a.id, a]));
    expect(n.get(1)!.canonicalId).toBeNull();
    expect(n.get(2)!.canonicalId).toBe(1);
    expect(n.get(3)!.canonicalId).toBe(1);
  });
});
