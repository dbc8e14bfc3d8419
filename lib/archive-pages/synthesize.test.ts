import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { formatPerson, pageMessageId, quotedAncestorId, synthesizePage } from "./synthesize";
import type { PageMessage, PageParse, QuotedAncestor } from "./types";
import { sha256hex } from "./util";

function msg(over: Partial<PageMessage>): PageMessage {
  return {
    msgid: null,
    inReplyTo: null,
    references: [],
    from: { name: "Jane Doe", address: null },
    to: [],
    cc: [],
    subject: "frob",
    date: "2021-03-01T10:00:00.000Z",
    tzOffsetMinutes: null,
    datePrecision: "minute",
    body: "hello",
    parentIndex: null,
    lines: [1, 3],
    damaged: [],
    inferred: [],
    quoted: [],
    ...over,
  };
}

const quote = (over: Partial<QuotedAncestor>): QuotedAncestor => ({
  depth: 1,
  author: { name: "Bob Builder", address: "bob@example.com" },
  date: "2021-02-28T09:00:00.000Z",
  tzOffsetMinutes: 60,
  datePrecision: "second",
  text: "quoted words",
  attributionLine: "On ..., Bob Builder wrote:",
  lines: [2, 3],
  subject: "frob",
  msgid: null,
  damaged: [],
  inferred: [],
  ...over,
});

describe("synthesize", () => {
  it("makes the documented stable ids", () => {
    const m = msg({});
    const want = `page-${sha256hex(["mail-archive", "Jane Doe", "2021-03-01T10:00:00.000Z", "frob", "hello"].join("\n")).slice(0, 24)}@patchlore.invalid`;
    expect(pageMessageId("mail-archive", m)).toBe(want);
    expect(pageMessageId("mail-archive", msg({ msgid: "real@x.org" }))).toBe("real@x.org");
    // quotes: the excerpt does not enter the id when the attribution has a date
    expect(quotedAncestorId(quote({ text: "a" }))).toBe(quotedAncestorId(quote({ text: "b" })));
    expect(quotedAncestorId(quote({ date: null, text: "a" }))).not.toBe(quotedAncestorId(quote({ date: null, text: "b" })));
  });

  it("writes names without addresses so that no parser takes them for addresses", () => {
    expect(formatPerson({ name: "Maya B . Gokhale", address: null })).toBe('"Maya B . Gokhale"');
    expect(formatPerson({ name: "Jane Doe", address: "jane@x.org" })).toBe("Jane Doe <jane@x.org>");
    expect(formatPerson({ name: "Jérôme Example", address: "j@x.org" })).toMatch(/^=\?UTF-8\?B\?.+\?= <j@x\.org>$/);
  });

  it("produces RFC 822 that parseMail reads back: from, date, ids, references, body", async () => {
    const page: PageParse = {
      format: "hypermail",
      listName: null,
      notes: [],
      messages: [
        msg({
          from: { name: "Jérôme Example", address: null, obfuscated: "jerome@xxxxxxx" },
          to: [{ name: "Bob Builder", address: "bob@example.com" }, { name: "linux-frob", address: null }],
          subject: "Re: frob — the sequel",
          tzOffsetMinutes: -300,
          datePrecision: "second",
          body: "From the start\n> quoted\nünïcode\n",
          damaged: ["a damage note"],
          inferred: ["an inference"],
          quoted: [quote({ depth: 1 }), quote({ depth: 2, author: { name: "Ann Other", address: null }, date: "2021-02-27T09:00:00.000Z", tzOffsetMinutes: null, datePrecision: "minute" })],
        }),
      ],
    };
    const syn = synthesizePage(page);
    expect(syn.map((s) => [s.recovery, s.reconstructed, s.depth])).toEqual([
      ["page:hypermail", false, undefined],
      ["quote", true, 1],
      ["quote", true, 2],
    ]);
    const [m, q1, q2] = await Promise.all(syn.map((s) => parseMail(s.raw)));
    expect(m.from).toEqual({ name: "Jérôme Example", address: "" });
    expect(m.to).toEqual([{ name: "Bob Builder", address: "bob@example.com" }]);
    expect(m.subject).toBe("Re: frob — the sequel");
    expect(m.date).toBe("2021-03-01T10:00:00.000Z");
    expect(m.tzOffsetMinutes).toBe(-300);
    expect(m.dateHeader).toBe("Mon, 1 Mar 2021 05:00:00 -0500");
    expect(m.text).toBe("From the start\n> quoted\nünïcode\n");
    expect(m.msgid).toBe(syn[0].msgid);
    expect(m.inReplyTo).toBe(q1.msgid);
    expect(m.references).toEqual([q2.msgid, q1.msgid]);
    expect(m.problems.map((p) => p.code)).toEqual(["bad-from"]); // the page hid the address: said so
    const h = (k: string) => m.headers.filter(([n]) => n === k).map(([, v]) => v);
    expect(h("x-patchlore-recovery")).toEqual(["page:hypermail"]);
    expect(h("x-patchlore-obfuscated-from")).toEqual(["jerome@xxxxxxx"]);
    expect(h("x-patchlore-damaged")).toEqual(["a damage note"]);
    expect(h("x-patchlore-inferred")).toEqual(["an inference"]);
    expect(h("content-type")).toEqual(["text/plain; charset=utf-8"]);
    // the ghosts
    expect(q1.from).toEqual({ name: "Bob Builder", address: "bob@example.com" });
    expect(q1.tzOffsetMinutes).toBe(60);
    expect(q1.inReplyTo).toBe(q2.msgid);
    expect(q2.dateHeader).toBe("Sat, 27 Feb 2021 09:00:00 -0000");
    expect(q2.inReplyTo).toBeNull();
    expect(q1.headers.find(([n]) => n === "x-patchlore-quoted-in")?.[1]).toBe(`<${m.msgid}>`);
    expect(q1.headers.find(([n]) => n === "x-patchlore-recovery")?.[1]).toBe("quote");
    expect(q1.text).toBe("quoted words\n");
  });

  it("threads by parentIndex when the page has no ids, keeping the page's own ids when it has them", async () => {
    const page: PageParse = {
      format: "lore-flat",
      listName: null,
      notes: [],
      messages: [
        msg({ msgid: "root@x.org", subject: "a" }),
        msg({ parentIndex: 0, subject: "b" }),
        msg({ parentIndex: 1, subject: "c" }),
        msg({ msgid: "d@x.org", inReplyTo: "elsewhere@x.org", references: ["top@x.org"], parentIndex: 0, subject: "d" }),
      ],
    };
    const mails = await Promise.all(synthesizePage(page).map((s) => parseMail(s.raw)));
    expect(mails[1].references).toEqual(["root@x.org"]);
    expect(mails[2].references).toEqual(["root@x.org", mails[1].msgid]);
    expect(mails[2].inReplyTo).toBe(mails[1].msgid);
    expect(mails[3].inReplyTo).toBe("elsewhere@x.org");
    expect(mails[3].references).toEqual(["top@x.org", "elsewhere@x.org"]);
  });
});
