// The body tree as the message page draws it.
import { describe, expect, it } from "vitest";
import { parseBlocks, type Block } from "./blocks";
import { parseBody } from "./tree";
import { bodyView, trimBlankEdges, type BlockView } from "./view";

const view = (body: string) => bodyView(parseBody(body));

/** The blocks as the page drew them before it read the tree: each lexer block, text trimmed. */
function drawnFromBlocks(bs: Block[]): BlockView[] {
  return bs.map((b): BlockView => {
    switch (b.type) {
      case "text":
        return { type: "text", lines: trimBlankEdges(b.lines) };
      case "quote":
        return { type: "quote", depth: b.depth, quotedLines: b.quotedLines, quotedFrom: b.author, children: drawnFromBlocks(b.children) };
      case "diff":
        return { type: "diff", lines: b.lines };
      case "diffstat":
        return { type: "diffstat", lines: b.lines };
      case "signature":
        return { type: "signature", lines: trimBlankEdges(b.lines) };
    }
  });
}

// bodies where the tree and the lexer's blocks part ways: the page must draw them as it always did
const EDGES: Record<string, string> = {
  "attribution above an elision": "Hi,\n\nOn Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:\n[...]\n> quoted\n> more\n> more\n> more\n\nReply.\n",
  "attribution four blank lines up": "Jane Doe <jane@example.org> wrote:\n\n\n\n\n> a\n> b\n> c\n> d\n",
  "wrapped attribution": "On Mon, 1 Jan 2024 at 10:00, Jane Doe\n<jane@example.org> wrote:\n> a\n> > b\n>\n>> c\nok\n",
  "elisions inside a quote": "> a\n> [...]\n> b\n> ...\n> c\n\n  \nx\n",
  "Outlook header block": "Agreed.\n\n-----Original Message-----\nFrom: Kim Park <kim@example.com>\nSent: Tuesday, March 5, 2019 9:12 AM\nTo: list@example.org\nSubject: RE: x\n\nHow about a queue?\n> quoted under it\n> again\n-- \nKim\n",
  "header block in a signature": "Text.\n-- \nJane\n\n-----Original Message-----\nFrom: Kim Park <kim@example.com>\nSent: Tuesday, March 5, 2019 9:12 AM\nTo: list@example.org\nSubject: RE: x\n\nOld text.\n> q\n",
  "list footer": "Text.\n--\nTo unsubscribe from this list: send the line \"unsubscribe linux-mmc\" in\nthe body of a message to majordomo@vger.kernel.org\n",
  "footer after a signature": "Text.\n-- \nJane\n_______________________________________________\nlinux-foo mailing list\nhttp://lists.example.org/mailman/listinfo/linux-foo\n",
  "white space lines kept as written": "a\n  \n\t\nb\nOn Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:\n>   x\n> \t\n>  y\n",
  "quoted patch fragment and signature": "Jane wrote:\n> -\tfoo();\n> +\tbar();\n> -- \n> sig\n> more\nWhy?\n",
  crlf: "a\r\n> b\r\n> > c\r\n\r\nd\r\n",
};

describe("bodyView", () => {
  it.each(Object.entries(EDGES))("draws %s as the lexer's blocks did", (_, body) => {
    expect(view(body)).toEqual(drawnFromBlocks(parseBlocks(body)));
  });

  it("keeps the attribution and an elision in the prose block above the quote, labelled by who is quoted", () => {
    expect(view(EDGES["attribution above an elision"])).toEqual([
      { type: "text", lines: ["Hi,", "", "On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:", "[...]"] },
      { type: "quote", depth: 1, quotedLines: 4, quotedFrom: null, children: [{ type: "text", lines: ["quoted", "more", "more", "more"] }] },
      { type: "text", lines: ["Reply."] },
    ]);
  });

  it("draws an Outlook header block as prose, with its later quotes at their '>' depth", () => {
    const v = view(EDGES["Outlook header block"]);
    expect(v.map((b) => b.type)).toEqual(["text", "quote", "signature"]);
    expect(v[0]).toMatchObject({ lines: expect.arrayContaining(["-----Original Message-----", "How about a queue?"]) });
    expect(v[1]).toMatchObject({ depth: 1, quotedLines: 2 });
  });

  it("draws a signature with everything after its '-- ' line", () => {
    expect(view(EDGES["footer after a signature"]).at(-1)).toEqual({
      type: "signature",
      lines: ["Jane", "_______________________________________________", "linux-foo mailing list", "http://lists.example.org/mailman/listinfo/linux-foo"],
    });
  });

  it("gives diffs their line kinds", () => {
    const [d] = view("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");
    expect(d).toMatchObject({ type: "diff", lines: [{ kind: "file" }, { kind: "file" }, { kind: "file" }, { kind: "hunk" }, { kind: "del" }, { kind: "add" }] });
  });

  it("is empty for an empty or blank body", () => {
    expect(view("")).toEqual([]);
    expect(view("\n  \n\n")).toEqual([]);
  });
});

describe("trimBlankEdges", () => {
  it("drops blank lines at both ends only", () => {
    expect(trimBlankEdges(["", " ", "a", "", "b", "  "])).toEqual(["a", "", "b"]);
  });
});
