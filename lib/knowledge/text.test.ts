// The author's own lines, paragraphs and sentences the analyzers read.
import { describe, expect, it } from "vitest";
import { parseBody } from "../body/tree";
import { firstSentence, messageText, paragraphs, sentences } from "./text";

describe("messageText", () => {
  it("keeps only the author's prose, with 1-based body line numbers", () => {
    const body = `Hi Jane,

On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:
> How about a queue?
> > Older text.

[...]

I'd rather not.

diff --git a/a.c b/a.c
--- a/a.c
+++ b/a.c
@@ -1 +1 @@
-a
+b
Thanks
-- 
Joe
`;
    const mt = messageText(body);
    expect(mt.ownLines.filter((l) => l.text.trim()).map((l) => [l.line, l.text])).toEqual([
      [1, "Hi Jane,"],
      [9, "I'd rather not."],
      [17, "Thanks"],
    ]);
  });
});

describe("messageText on a body tree", () => {
  it("reads the tree the caller already built, with the same own lines", () => {
    const body = "Hi,\n\nOn Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:\n> How about a queue?\n\nI'd rather not.\n-- \nJoe\n";
    const a = messageText(body);
    expect(messageText(body, parseBody(body))).toEqual(a);
    expect(a.ownLines.filter((l) => l.text.trim()).map((l) => l.line)).toEqual([1, 6]);
  });

  it("keeps the text under an Outlook header block and a list footer as the author's (the rule knowledge always read)", () => {
    const body = "Agreed.\n\n-----Original Message-----\nFrom: Kim Park <kim@example.com>\nSent: Tuesday, March 5, 2019 9:12 AM\nTo: list@example.org\nSubject: RE: x\n\nHow about a queue?\n--\nTo unsubscribe from this list: send the line \"unsubscribe linux-mmc\" in\n";
    expect(messageText(body).ownLines.filter((l) => l.text.trim()).map((l) => l.line)).toEqual([1, 3, 4, 5, 6, 7, 9, 10, 11]);
  });
});

describe("paragraphs and sentences", () => {
  it("paragraphs break at blank lines, at gaps and at list items", () => {
    const mt = messageText("One two\nthree.\n\n1. first\n   item\n2) second\n> quoted\nafter quote\n");
    expect(paragraphs(mt.ownLines).map((p) => [p.start, p.end, p.item?.number ?? null, p.text])).toEqual([
      [1, 2, null, "One two three."],
      [4, 5, 1, "1. first item"],
      [6, 6, 2, "2) second"],
      [8, 8, null, "after quote"],
    ]);
  });

  it("sentences know their lines and do not split at abbreviations", () => {
    const [p] = paragraphs(messageText("This is one, e.g. with an abbreviation.  And this\nspans two lines? Yes!\n").ownLines);
    expect(sentences(p).map((s) => [s.text, s.start, s.end])).toEqual([
      ["This is one, e.g. with an abbreviation.", 1, 1],
      ["And this spans two lines?", 1, 2],
      ["Yes!", 2, 2],
    ]);
  });

  it("firstSentence trims to 200 characters on a word boundary", () => {
    expect(firstSentence("Short one. Second.")).toBe("Short one.");
    const long = "word ".repeat(80).trim();
    const s = firstSentence(long);
    expect(s.length).toBeLessThanOrEqual(200);
    expect(s.endsWith("…")).toBe(true);
  });
});
