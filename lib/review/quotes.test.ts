import { describe, expect, it } from "vitest";
import { parseAttribution, parseHeaderBlock, parseWrappedAttribution } from "./attribution";
import { flattenBody, ownText, parseQuoteTree, quotesOf, type BodyContent, type QuoteNode } from "./quotes";

const types = (ns: BodyContent[]) => ns.map((n) => n.type);
const lines = (n: { position: { start: { line: number }; end: { line: number } } }) => [n.position.start.line, n.position.end.line];

describe("attribution lines", () => {
  it.each([
    ["On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org> wrote:", { name: "Mira Kovacs", address: "mira@example.org", style: "on-wrote", date: "2024-08-08T13:04:00.000Z" }],
    ["On 02/11/2017 16:16, Tomas Berg wrote:", { name: "Tomas Berg", address: null, style: "on-wrote", dateText: "02/11/2017 16:16" }],
    ["On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ola Nordmann wrote:", { name: "Ola Nordmann", style: "on-wrote", date: "2019-03-05T08:12:44.000Z", tzOffsetMinutes: 60 }],
    ["On Sat, 2007-01-20 at 13:28 -0500, R. P. Quill wrote:", { name: "R. P. Quill", date: "2007-01-20T18:28:00.000Z" }],
    ["On Mon, 1 Jun 2020, Ana Lima wrote:", { name: "Ana Lima", dateText: "Mon, 1 Jun 2020" }],
    ["Tomas Berg wrote:", { name: "Tomas Berg", address: null, style: "wrote", date: null }],
    ["Ola Nordmann <ola@example.no> writes:", { name: "Ola Nordmann", address: "ola@example.no", style: "writes" }],
    ["Quoting Ana Lima (2021-04-09 10:11:12):", { name: "Ana Lima", style: "quoting", date: "2021-04-09T10:11:12.000Z" }],
    ["* Mira Kovacs <mira@example.org> [230415 08:30]:", { name: "Mira Kovacs", address: "mira@example.org", style: "mutt", date: "2023-04-15T08:30:00.000Z" }],
    ["Le mar. 5 mars 2019 à 09:12, Paul Durand <paul@example.fr> a écrit :", { name: "Paul Durand", address: "paul@example.fr", style: "le-a-ecrit", date: "2019-03-05T09:12:00.000Z" }],
    ["Am 05.03.2019 um 09:12 schrieb Jörg Weber:", { name: "Jörg Weber", style: "am-schrieb", date: "2019-03-05T09:12:00.000Z" }],
    ["Am Di., 5. März 2019 um 09:12 Uhr schrieb Jörg Weber <joerg@example.de>:", { name: "Jörg Weber", address: "joerg@example.de", style: "am-schrieb" }],
    ["On Tue, 5 Mar 2019 09:12:44 +0000 <anon@example.com> wrote:", { name: "", address: "anon@example.com" }],
    ["On 8/21/20 4:50 PM, Kim Park wrote:", { name: "Kim Park", date: "2020-08-21T16:50:00.000Z" }],
  ])("%s", (line, want) => {
    expect(parseAttribution(line)).toMatchObject(want);
  });

  it("refuses prose that ends in 'wrote:'", () => {
    expect(parseAttribution("As I wrote:")).toBeNull();
    expect(parseAttribution("Here is what you said:")).toBeNull();
    expect(parseAttribution("Hello there")).toBeNull();
  });

  it("joins an attribution wrapped over two lines", () => {
    expect(parseWrappedAttribution("On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org>", "wrote:")).toMatchObject({ name: "Mira Kovacs", address: "mira@example.org" });
    expect(parseWrappedAttribution("On Mon, 3 Feb 2025 at 11:20, Tomas Berg", "<tomas@example.se> wrote:")).toMatchObject({ name: "Tomas Berg", address: "tomas@example.se" });
    expect(parseWrappedAttribution("Some prose here", "and more prose.")).toBeNull();
  });

  it("reads an Outlook header block", () => {
    const hb = parseHeaderBlock(["-----Original Message-----", "From: Kim Park <kim@example.com>", "Sent: Tuesday, March 5, 2019 9:12 AM", "To: list@example.org", "Subject: RE: [PATCH] x: y", "", "body"], 0);
    expect(hb).toMatchObject({ start: 0, end: 4, subject: "RE: [PATCH] x: y", attribution: { name: "Kim Park", address: "kim@example.com", style: "outlook", date: "2019-03-05T09:12:00.000Z" } });
    // a patch's in-body From: is no header block
    expect(parseHeaderBlock(["From: Kim Park <kim@example.com>", "", "The commit message."], 0)).toBeNull();
  });
});

describe("parseQuoteTree", () => {
  it("splits an interleaved reply into own text, quotes, elisions and signature", () => {
    const body = [
      "Hi,", // 0
      "", // 1
      "On Mon, Mar 04, 2019 at 10:00:00AM +0000, Ola Nordmann wrote:", // 2
      "> The widget driver forgets to free its buffer.", // 3
      ">", // 4
      "> diff --git a/drivers/w.c b/drivers/w.c", // 5
      "> --- a/drivers/w.c", // 6
      "> +++ b/drivers/w.c", // 7
      "> @@ -1,3 +1,3 @@", // 8
      ">  int a;", // 9
      "> -int b;", // 10
      "> +long b;", // 11
      "", // 12
      "Why long?", // 13
      "", // 14
      "[...]", // 15
      "> >  more context", // 16
      "", // 17
      "Thanks,", // 18
      "Mira", // 19
      "-- ", // 20
      "Mira's sig", // 21
    ].join("\n");
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["text", "quote", "text", "elision", "quote", "text", "signature"]);
    const q = t.children[1] as QuoteNode;
    expect(q.depth).toBe(1);
    expect(q.attribution).toMatchObject({ name: "Ola Nordmann", style: "on-wrote", position: { start: { line: 2 }, end: { line: 2 } } });
    expect(types(q.children)).toEqual(["text", "diff"]);
    expect(lines(q.children[1])).toEqual([5, 11]);
    // the attribution is not part of the own text above it
    expect(t.children[0]).toMatchObject({ type: "text", value: "Hi,", position: { start: { line: 0 }, end: { line: 0 } } });
    expect(t.children[2]).toMatchObject({ type: "text", value: "Why long?" });
    // "> > x" is depth 2 inside depth 1
    const q2 = t.children[4] as QuoteNode;
    expect(types(q2.children)).toEqual(["quote"]);
    expect((q2.children[0] as QuoteNode).depth).toBe(2);
    expect(t.data).toMatchObject({ lines: 22, interleaved: true, topPosted: false, maxDepth: 2 });
    const flat = flattenBody(t);
    expect(flat.map((l) => [l.depth, l.kind])).toEqual([
      [0, "text"], [0, "blank"], [0, "attribution"], [1, "text"], [1, "blank"], [1, "diff"], [1, "diff"], [1, "diff"], [1, "diff"], [1, "diff"], [1, "diff"], [1, "diff"],
      [0, "blank"], [0, "text"], [0, "blank"], [0, "elision"], [2, "text"], [0, "blank"], [0, "text"], [0, "text"], [0, "signature"], [0, "signature"],
    ]);
    expect(flat[10].content).toBe("-int b;");
    expect(ownText(t)).toBe("Hi,\nWhy long?\nThanks,\nMira");
  });

  it("recognises the elision markers and keeps a bare '...' in own prose", () => {
    for (const e of ["[...]", "[ ... ]", "[…]", "<snip>", "[snip]", "[ snip ]", "[snipped]", "<...>", "[... rest of the patch ...]"]) {
      const t = parseQuoteTree(`> a\n${e}\n> b\n`);
      expect(types(t.children), e).toEqual(["quote", "elision", "quote"]);
    }
    const inside = parseQuoteTree("> a\n> ...\n> b\n").children[0] as QuoteNode;
    expect(types(inside.children)).toEqual(["text", "elision", "text"]);
    expect(types(parseQuoteTree("Well...\n...\nthen.\n").children)).toEqual(["text"]);
  });

  it("marks a top-posted reply", () => {
    const body = "Looks good to me.\n\nOn Tue, Mar 05, 2019 at 09:00:00AM +0000, Ana Lima wrote:\n> first\n> second\n";
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["text", "quote"]);
    expect(t.data.topPosted).toBe(true);
    expect(t.data.interleaved).toBe(false);
  });

  it("takes an attribution wrapped over two lines", () => {
    const body = "On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org>\nwrote:\n> quoted\n\nanswer\n";
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["quote", "text"]);
    expect((t.children[0] as QuoteNode).attribution).toMatchObject({ name: "Mira Kovacs", position: { start: { line: 0 }, end: { line: 1 } } });
  });

  it("turns an Outlook header block and what follows into a quote, nested quotes one level deeper", () => {
    const body = [
      "Acked. We run this in production.", // 0
      "", // 1
      "-----Original Message-----", // 2
      "From: Kim Park <kim@example.com>", // 3
      "Sent: Tuesday, March 5, 2019 9:12 AM", // 4
      "To: list@example.org", // 5
      "Subject: RE: [PATCH] widget: free the buffer", // 6
      "", // 7
      "I agree with the change.", // 8
      "", // 9
      "> original patch text", // 10
    ].join("\n");
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["text", "quote"]);
    const q = t.children[1] as QuoteNode;
    expect(q).toMatchObject({ depth: 1, attribution: { name: "Kim Park", style: "outlook", position: { start: { line: 2 }, end: { line: 6 } } } });
    expect(types(q.children)).toEqual(["text", "quote"]);
    expect((q.children[1] as QuoteNode).depth).toBe(2);
    expect(t.data.topPosted).toBe(true);
    const flat = flattenBody(t);
    expect(flat[8]).toMatchObject({ depth: 1, kind: "text", content: "I agree with the change." });
    expect(flat[10]).toMatchObject({ depth: 2, content: "original patch text" });
  });

  it("finds an Outlook block below the writer's own signature", () => {
    const body = "Fine by me.\n-- \nKim\n\n-----Original Message-----\nFrom: Ana Lima <ana@example.com>\nSent: Monday, June 1, 2020 10:00 AM\nTo: list@example.org\nSubject: [PATCH] x\n\nThe patch text.\n";
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["text", "signature", "quote"]);
    expect(t.children[1]).toMatchObject({ value: "Kim", position: { start: { line: 1 }, end: { line: 2 } } });
    expect(t.children[2]).toMatchObject({ depth: 1, attribution: { name: "Ana Lima", style: "outlook" }, children: [{ type: "text", value: "The patch text.", position: { start: { line: 10 } } }] });
  });

  it("separates list footers", () => {
    const body = "Reply text.\n\n--\nTo unsubscribe from this list: send the line \"unsubscribe linux-foo\" in\nthe body of a message to majordomo@vger.kernel.org\n";
    const t = parseQuoteTree(body);
    expect(types(t.children)).toEqual(["text", "footer"]);
    const mm = parseQuoteTree("Text.\n_______________________________________________\nlinux-foo mailing list\nlinux-foo@lists.example.org\nhttp://lists.example.org/mailman/listinfo/linux-foo\n");
    expect(types(mm.children)).toEqual(["text", "footer"]);
  });

  it("lists quotes depth first and accepts CRLF", () => {
    const t = parseQuoteTree("a\r\n> b\r\n> > c\r\n");
    expect(quotesOf(t).map((q) => q.depth)).toEqual([1, 2]);
    expect(t.data.lines).toBe(3);
  });
});
