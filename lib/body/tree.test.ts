// The body tree: one split of a message body that every reader uses.
import { describe, expect, it } from "vitest";
import { flattenBody, isHeaderQuote, lineAtLevel, parseBody, proseLines, quotesOf, type BodyContent, type QuoteNode } from "./tree";

const types = (ns: BodyContent[]) => ns.map((n) => n.type);
const lines = (n: { position: { start: { line: number }; end: { line: number } } }) => [n.position.start.line, n.position.end.line];

describe("parseBody", () => {
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
    const t = parseBody(body);
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
  });

  it("recognises the elision markers and keeps a bare '...' in own prose", () => {
    for (const e of ["[...]", "[ ... ]", "[…]", "<snip>", "[snip]", "[ snip ]", "[snipped]", "<...>", "[... rest of the patch ...]"]) {
      const t = parseBody(`> a\n${e}\n> b\n`);
      expect(types(t.children), e).toEqual(["quote", "elision", "quote"]);
    }
    const inside = parseBody("> a\n> ...\n> b\n").children[0] as QuoteNode;
    expect(types(inside.children)).toEqual(["text", "elision", "text"]);
    expect(types(parseBody("Well...\n...\nthen.\n").children)).toEqual(["text"]);
  });

  it("marks a top-posted reply", () => {
    const body = "Looks good to me.\n\nOn Tue, Mar 05, 2019 at 09:00:00AM +0000, Ana Lima wrote:\n> first\n> second\n";
    const t = parseBody(body);
    expect(types(t.children)).toEqual(["text", "quote"]);
    expect(t.data.topPosted).toBe(true);
    expect(t.data.interleaved).toBe(false);
  });

  it("takes an attribution wrapped over two lines", () => {
    const body = "On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org>\nwrote:\n> quoted\n\nanswer\n";
    const t = parseBody(body);
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
    const t = parseBody(body);
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
    const t = parseBody(body);
    expect(types(t.children)).toEqual(["text", "signature", "quote"]);
    expect(t.children[1]).toMatchObject({ value: "Kim", position: { start: { line: 1 }, end: { line: 2 } } });
    expect(t.children[2]).toMatchObject({ depth: 1, attribution: { name: "Ana Lima", style: "outlook" }, children: [{ type: "text", value: "The patch text.", position: { start: { line: 10 } } }] });
  });

  it("separates list footers", () => {
    const body = "Reply text.\n\n--\nTo unsubscribe from this list: send the line \"unsubscribe linux-foo\" in\nthe body of a message to majordomo@vger.kernel.org\n";
    const t = parseBody(body);
    expect(types(t.children)).toEqual(["text", "footer"]);
    const mm = parseBody("Text.\n_______________________________________________\nlinux-foo mailing list\nlinux-foo@lists.example.org\nhttp://lists.example.org/mailman/listinfo/linux-foo\n");
    expect(types(mm.children)).toEqual(["text", "footer"]);
  });

  it("lists quotes depth first and accepts CRLF", () => {
    const t = parseBody("a\r\n> b\r\n> > c\r\n");
    expect(quotesOf(t).map((q) => q.depth)).toEqual([1, 2]);
    expect(t.data.lines).toBe(3);
  });
});

describe("what the tree keeps for its readers", () => {
  it("quotes carry their '>' line count and who the page says is quoted; diffs their line kinds", () => {
    const t = parseBody("Jane Doe <jane@example.org> wrote:\n\n\n\n> a\n>\n> b\n> @@ -1 +1 @@\n> -x\n> +y\n");
    const q = t.children[1] as QuoteNode;
    // four blank lines up: too far for the quote's attribution, near enough for the page's label
    expect(q.attribution).toBeUndefined();
    expect(q.data).toMatchObject({ quotedLines: 6, quotedFrom: "Jane Doe" });
    expect(q.children.find((c) => c.type === "diff")).toMatchObject({ data: { lines: [{ kind: "hunk" }, { kind: "del" }, { kind: "add" }] } });
    expect(t.data.source).toHaveLength(10);
  });

  it("lineAtLevel reads a line at a quote level, blank lines inside a quote as empty", () => {
    const t = parseBody("> > deep\n\n>  two spaces\n");
    expect(lineAtLevel(t, 0, 2)).toBe("deep");
    expect(lineAtLevel(t, 1, 1)).toBe("");
    expect(lineAtLevel(t, 2, 1)).toBe(" two spaces");
    expect(lineAtLevel(t, 2, 0)).toBe(">  two spaces");
  });

  it("isHeaderQuote tells an Outlook block's quote from a '>' quote", () => {
    const t = parseBody("Ok.\n\n-----Original Message-----\nFrom: Kim Park <kim@example.com>\nSent: Tuesday, March 5, 2019 9:12 AM\nTo: list@example.org\nSubject: RE: x\n\nold\n> older\n");
    expect(quotesOf(t).map(isHeaderQuote)).toEqual([true, false]);
  });
});

describe("proseLines", () => {
  const prose = (body: string, opts?: { quotes?: boolean }) => proseLines(parseBody(body, opts)).map((l) => [l.line, l.text]);

  it("is the top-level prose as written, attribution and elision lines included, up to the signature", () => {
    const body = "Hi,\n\nOn Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:\n> q\n\n[...]\n\nOk.\ndiff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-a\n+b\n\nThanks\n-- \nJoe\n";
    expect(prose(body)).toEqual([
      [0, "Hi,"],
      [1, ""],
      [2, "On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:"],
      [4, ""],
      [5, "[...]"],
      [6, ""],
      [7, "Ok."],
      [14, ""],
      [15, "Thanks"],
    ]);
  });

  it("leaves out blank runs between quotes and diffs", () => {
    expect(prose("> a\n\n\n> > b\n\nc\n")).toEqual([
      [4, ""],
      [5, "c"],
    ]);
  });

  it("reads an Outlook block and what follows it as top-level prose, and a list footer too", () => {
    const body = "Agreed.\n\n-----Original Message-----\nFrom: Kim Park <kim@example.com>\nSent: Tuesday, March 5, 2019 9:12 AM\nTo: list@example.org\nSubject: RE: x\n\nold text\n> quoted\nmore\n--\nTo unsubscribe from this list: send the line \"unsubscribe x\" in\n";
    expect(prose(body).map(([l]) => l)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);
  });

  it("is the same on a tree whose quotes are left unsplit", () => {
    const body = "Hi,\nJane wrote:\n> a\n> > b\n>\n> [...]\nc\n-- \nsig\n";
    expect(prose(body, { quotes: false })).toEqual(prose(body));
    expect((parseBody(body, { quotes: false }).children[1] as QuoteNode).children).toEqual([]);
  });
});
