import { describe, expect, it } from "vitest";
import { findReferences, parseLoreUrl, referenceMatches } from "./references";

describe("findReferences", () => {
  it("finds Message-IDs, not addresses", () => {
    const text = [
      "Jane Doe <jane@example.org> wrote about <20191209141754.GA6841@example.org>",
      "and <CAHk-=wjn90-=s6MBerxT@mail.gmail.com>, also <1227886959.4454.4421.camel@twins>.",
      "In-Reply-To: <plain@example.org>",
    ].join("\n");
    expect(findReferences(text).map((r) => [r.kind, r.value, r.line])).toEqual([
      ["msgid", "20191209141754.GA6841@example.org", 1],
      ["msgid", "CAHk-=wjn90-=s6MBerxT@mail.gmail.com", 2],
      ["msgid", "1227886959.4454.4421.camel@twins", 2],
      ["msgid", "plain@example.org", 3],
    ]);
  });

  it("marks ids an archive truncated or obfuscated", () => {
    const refs = findReferences("Message-ID: <7ca80231-fe02-a3a7-84bc-ce81690ea...@example.com> shows\nsee <20240101.1234-5-jane@xxxxxxxxxx>");
    expect(refs).toEqual([
      { kind: "msgid", value: "7ca80231-fe02-a3a7-84bc-ce81690ea...@example.com", truncated: true, line: 1 },
      { kind: "msgid", value: "20240101.1234-5-jane@xxxxxxxxxx", truncated: false, line: 2, obfuscated: true },
    ]);
    expect(referenceMatches(refs[0], "7ca80231-fe02-a3a7-84bc-ce81690eac2a@example.com")).toBe(true);
    expect(referenceMatches(refs[0], "7ca80231-ffff@example.com")).toBe(false);
    expect(referenceMatches(refs[1], "20240101.1234-5-jane@google.com")).toBe(true);
    expect(referenceMatches(refs[1], "20240101.1234-5-jane@gmail.com")).toBe(false);
  });

  it("finds lore links and Link: trailers", () => {
    const text = [
      "[0] https://lore.kernel.org/lkml/CAHk-=wjn90-=s6MBerxT@mail.gmail.com",
      "See https://lore.kernel.org/linux-mm/20200821234958.7896-1-jane@example.org/T/#u.",
      "Link: https://lore.kernel.org/r/20200821234958.7896-2-jane@example.org",
      "> Link: https://bugzilla.example.org/show_bug.cgi?id=12",
      "https://lore.kernel.org/all/20230227173632.3292573-34-jane@xxxxxxxxxx/T/#u",
      "https://lore.kernel.org/linux-mm/a%2Bb@example.org/",
    ].join("\n");
    const refs = findReferences(text);
    expect(refs.map((r) => [r.kind, r.value, r.line, r.list ?? null])).toEqual([
      ["lore-link", "CAHk-=wjn90-=s6MBerxT@mail.gmail.com", 1, "lkml"],
      ["lore-link", "20200821234958.7896-1-jane@example.org", 2, "linux-mm"],
      ["link-trailer", "20200821234958.7896-2-jane@example.org", 3, "r"],
      ["link-trailer", "https://bugzilla.example.org/show_bug.cgi?id=12", 4, null],
      ["lore-link", "20230227173632.3292573-34-jane@xxxxxxxxxx", 5, "all"],
      ["lore-link", "a+b@example.org", 6, "linux-mm"],
    ]);
    expect(refs[4].obfuscated).toBe(true);
    expect(refs[1].url).toBe("https://lore.kernel.org/linux-mm/20200821234958.7896-1-jane@example.org/T/#u");
  });

  it("parses lore URLs", () => {
    expect(parseLoreUrl("https://lore.kernel.org/linux-mmc/20240101.1@x.org/")).toEqual({ list: "linux-mmc", msgid: "20240101.1@x.org" });
    expect(parseLoreUrl("https://lkml.kernel.org/r/abc@def.org")).toEqual({ list: "r", msgid: "abc@def.org" });
    expect(parseLoreUrl("https://example.org/abc@def.org")).toBeNull();
  });
});
