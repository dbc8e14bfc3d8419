import { describe, expect, it } from "vitest";
import {
  bracketedIds, cleanMessageId, decodeUrlPart, findReferences, messageIdOfLink, messageIdsInLine, parseArchiveUrl, referenceMatches,
  unbracketMessageId,
} from "./references";

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
    expect(parseArchiveUrl("https://lore.kernel.org/linux-mmc/20240101.1@x.org/")).toEqual({ list: "linux-mmc", msgid: "20240101.1@x.org" });
    expect(parseArchiveUrl("https://lkml.kernel.org/r/abc@def.org")).toEqual({ list: "r", msgid: "abc@def.org" });
    expect(parseArchiveUrl("https://example.org/abc@def.org")).toBeNull();
  });
});

describe("messageIdsInLine (message.facts.bodyRefs)", () => {
  it("patch.msgid.link and lkml.kernel.org/r", () => {
    expect(messageIdsInLine("Link: https://patch.msgid.link/20240101.1234-1-a@b.c")).toEqual(["20240101.1234-1-a@b.c"]);
    expect(messageIdsInLine("see https://lkml.kernel.org/r/abc@d.e.")).toEqual(["abc@d.e"]);
  });

  it("lore links with %40, then bracketed ids, in that order", () => {
    expect(messageIdsInLine("<x@y> and https://lore.kernel.org/linux-mm/a%40b.org/T/#u")).toEqual(["a@b.org", "x@y"]);
  });

  it("a person line's <addr> is no id", () => {
    expect(messageIdsInLine("Reviewed-by: Jane Doe <jane@example.org>")).toEqual([]);
    expect(messageIdsInLine("Cc: <x@y.org>")).toEqual([]);
    expect(messageIdsInLine("as said in <20191209141754.GA6841@redhat.com>")).toEqual(["20191209141754.GA6841@redhat.com"]);
  });

  it("reads stricter than findReferences: no unbracketed labelled ids, no hosts other than the kernel's", () => {
    const line = "Message-ID: 1234@x.org https://inbox.sourceware.org/gdb/abc@def.org";
    expect(messageIdsInLine(line)).toEqual([]);
    expect(findReferences(line).map((r) => r.value)).toEqual(["abc@def.org", "1234@x.org"]);
  });
});

describe("cleanMessageId", () => {
  it("decodes, drops brackets and trailing punctuation, wants local@domain", () => {
    expect(cleanMessageId("<a%2Bb@c.d>")).toBe("a+b@c.d");
    expect(cleanMessageId("20160628014747.20971-1-famz@redhat.com,")).toBe("20160628014747.20971-1-famz@redhat.com");
    expect(cleanMessageId("a@b@c")).toBeNull();
    expect(cleanMessageId("no-at-sign")).toBeNull();
  });
});

describe("messageIdOfLink (trailer values)", () => {
  it("reads Message-IDs from lore, patch.msgid.link and bare <...> references", () => {
    expect(messageIdOfLink("https://lore.kernel.org/r/20230412081500.48213-1-mira@kernel.example")).toBe("20230412081500.48213-1-mira@kernel.example");
    expect(messageIdOfLink("https://lore.kernel.org/linux-mm/abc%2Bdef@x.org/T/#u")).toBe("abc+def@x.org");
    expect(messageIdOfLink("https://patch.msgid.link/20240101-foo-v2-1-abc@kernel.org")).toBe("20240101-foo-v2-1-abc@kernel.org");
    expect(messageIdOfLink("<a.b@c>")).toBe("a.b@c");
    expect(messageIdOfLink("https://bugzilla.kernel.org/show_bug.cgi?id=1")).toBeNull();
  });

  it("takes any http(s) host, and the last path segment with an @", () => {
    expect(messageIdOfLink("https://marc.example.org/list/x@y/raw/z@w")).toBe("z@w");
    expect(messageIdOfLink("ftp://lore.kernel.org/r/a@b")).toBeNull();
  });
});

describe("header values on archive pages", () => {
  it("bracketedIds: in order, deduplicated, only ids with an @", () => {
    expect(bracketedIds("<a@b> <c@d>\n <a@b> <nope>")).toEqual(["a@b", "c@d"]);
  });
  it("unbracketMessageId", () => {
    expect(unbracketMessageId("  <a@b> ")).toBe("a@b");
    expect(unbracketMessageId("a@b")).toBe("a@b");
  });
});

describe("decodeUrlPart", () => {
  it("decodes %-escapes, keeps invalid ones as written", () => {
    expect(decodeUrlPart("a%40b")).toBe("a@b");
    expect(decodeUrlPart("100%")).toBe("100%");
  });
});
