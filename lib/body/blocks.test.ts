import { describe, expect, it } from "vitest";
import { parseBlocks, type Block, type DiffBlock, type QuoteBlock } from "./blocks";

const types = (bs: Block[]) => bs.map((b) => b.type);

const PATCH = `The foo driver leaks its buffer when probe fails; free it.

Signed-off-by: Jane Doe <jane@example.org>
---
 drivers/foo/foo.c | 3 ++-
 include/foo.h     | 1 +
 2 files changed, 3 insertions(+), 1 deletion(-)

diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c
index 1234567..89abcde 100644
--- a/drivers/foo/foo.c
+++ b/drivers/foo/foo.c
@@ -10,7 +10,9 @@ static int foo_probe(struct device *dev)
 	buf = kmalloc(SZ, GFP_KERNEL);
 	if (!buf)
 		return -ENOMEM;
-	ret = foo_init(dev);
+	ret = foo_init(dev, buf);
+	if (ret)
+		kfree(buf);

 	return ret;
 }
diff --git a/include/foo.h b/include/foo.h
new file mode 100644
index 0000000..e69de29
--- /dev/null
+++ b/include/foo.h
@@ -0,0 +1 @@
+int foo_init(struct device *dev, void *buf);
\\ No newline at end of file
--${" "}
2.43.0
`;

describe("parseBlocks", () => {
  it("returns nothing for an empty body", () => {
    expect(parseBlocks("")).toEqual([]);
  });

  it("keeps plain prose as one text block with positions", () => {
    const bs = parseBlocks("Hello,\n\nthis is prose.\n");
    expect(bs).toEqual([{ type: "text", lines: ["Hello,", "", "this is prose."], position: { start: 1, end: 3 } }]);
  });

  it("accepts CRLF line ends", () => {
    const bs = parseBlocks("a\r\n> b\r\nc\r\n");
    expect(types(bs)).toEqual(["text", "quote", "text"]);
    expect((bs[1] as QuoteBlock).children[0]).toMatchObject({ type: "text", lines: ["b"] });
  });

  it("splits a format-patch mail into text, diffstat, diff and signature", () => {
    const bs = parseBlocks(PATCH);
    expect(types(bs)).toEqual(["text", "diffstat", "diff", "signature"]);
    expect(bs[0]).toMatchObject({ type: "text" });
    expect((bs[0] as { lines: string[] }).lines.at(-1)).toBe("---");
    expect(bs[1]).toMatchObject({
      type: "diffstat",
      lines: [" drivers/foo/foo.c | 3 ++-", " include/foo.h     | 1 +", " 2 files changed, 3 insertions(+), 1 deletion(-)"],
      position: { start: 5, end: 7 },
    });
    const d = bs[2] as DiffBlock;
    expect(d.lines[0]).toEqual({ kind: "file", text: "diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c" });
    expect(d.lines.filter((l) => l.kind === "add").map((l) => l.text)).toEqual([
      "+\tret = foo_init(dev, buf);",
      "+\tif (ret)",
      "+\t\tkfree(buf);",
      "+int foo_init(struct device *dev, void *buf);",
    ]);
    expect(d.lines.filter((l) => l.kind === "del")).toHaveLength(1);
    expect(d.lines.filter((l) => l.kind === "hunk")).toHaveLength(2);
    expect(d.lines.filter((l) => l.kind === "note")).toEqual([{ kind: "note", text: "\\ No newline at end of file" }]);
    // the blank context line (trailing space stripped by a mailer) stays inside the hunk
    expect(d.lines.some((l) => l.kind === "ctx" && l.text === "")).toBe(true);
    expect(d.lines.filter((l) => l.kind === "meta").map((l) => l.text)).toEqual([
      "index 1234567..89abcde 100644",
      "new file mode 100644",
      "index 0000000..e69de29",
    ]);
    expect(bs[3]).toMatchObject({ type: "signature", lines: ["2.43.0"] });
  });

  it("recognises the signature only on a line that is exactly '-- '", () => {
    expect(types(parseBlocks("text\n--\nnot a sig\n"))).toEqual(["text"]);
    expect(types(parseBlocks("text\n-- \nJane\n"))).toEqual(["text", "signature"]);
  });

  it("folds a quote with its attribution, kept in the text before", () => {
    const body = `On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:
> first quoted line
> second quoted line
>
> third after a quoted blank

My reply.
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["text", "quote", "text"]);
    expect(bs[0]).toMatchObject({ lines: ["On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:"] });
    const q = bs[1] as QuoteBlock;
    expect(q).toMatchObject({ depth: 1, author: "Jane Doe", quotedLines: 4, position: { start: 2, end: 5 } });
    expect(q.attribution).toBe("On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:");
    expect(q.children).toEqual([
      { type: "text", lines: ["first quoted line", "second quoted line", "", "third after a quoted blank"], position: { start: 2, end: 5 } },
    ]);
  });

  it("nests quotes by depth and keeps interior blank lines in the quote", () => {
    const body = `> outer
> > inner one
>> inner two
> outer again

> after blank
reply
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["quote", "text"]);
    const q = bs[0] as QuoteBlock;
    expect(q.quotedLines).toBe(5);
    expect(q.position).toEqual({ start: 1, end: 6 });
    expect(types(q.children)).toEqual(["text", "quote", "text"]);
    const inner = q.children[1] as QuoteBlock;
    expect(inner.depth).toBe(2);
    expect(inner.children[0]).toMatchObject({ lines: ["inner one", "inner two"], position: { start: 2, end: 3 } });
  });

  it("parses a quoted, trimmed hunk inside a review reply", () => {
    const body = `On Tue, 2 Jan 2024 11:00:00 +0000
Jane Doe <jane@example.org> wrote:
> @@ -10,7 +10,8 @@ static int foo_probe(struct device *dev)
>  	if (!buf)
>  		return -ENOMEM;
> -	ret = foo_init(dev);
> +	ret = foo_init(dev, buf);

Why pass buf here?

Reviewed-by: Bob <bob@example.org>
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["text", "quote", "text"]);
    const q = bs[1] as QuoteBlock;
    expect(q.author).toBe("Jane Doe");
    expect(types(q.children)).toEqual(["diff"]);
    const d = q.children[0] as DiffBlock;
    expect(d.lines.map((l) => l.kind)).toEqual(["hunk", "ctx", "ctx", "del", "add"]);
    expect(d.position).toEqual({ start: 3, end: 7 });
  });

  it("takes a headerless patch fragment inside a quote for a diff, prose bullets not", () => {
    const body = `On Tue, Oct 17, 2023 at 11:30:01AM +0200, Mira Kovacs wrote:
> [...]
> -\tif (folio_test_locked(folio) || folio_test_dirty(folio))
> +\tif (folio_test_locked(folio) || folio_test_dirty(folio) ||
> +\t    folio_test_unevictable(folio))
>  \t\treturn;

Thanks.
> - New patch 1: don't rotate unevictable folios
> - Patch 2: take the queue lock
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["text", "quote", "text", "quote"]);
    const q = bs[1] as QuoteBlock;
    expect(types(q.children)).toEqual(["text", "diff"]);
    expect((q.children[1] as DiffBlock).lines.map((l) => l.kind)).toEqual(["del", "add", "add", "ctx"]);
    expect(types((bs[3] as QuoteBlock).children)).toEqual(["text"]);
    // outside quotes, such lines stay prose
    expect(types(parseBlocks("-\tfoo();\n+\tbar();\n"))).toEqual(["text"]);
  });

  it("ends a diff whose hunk was cut short and gives back trailing blanks", () => {
    const body = `@@ -1,9 +1,9 @@
 a
-b
+c

Some prose after.
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["diff", "text"]);
    expect((bs[0] as DiffBlock).lines.map((l) => l.kind)).toEqual(["hunk", "ctx", "del", "add"]);
    expect(bs[1]).toMatchObject({ lines: ["", "Some prose after."] });
  });

  it("accepts an SVN style Index: diff and a bare ---/+++ diff", () => {
    const svn = parseBlocks("Index: foo.c\n===================================================================\n--- foo.c\t(revision 1)\n+++ foo.c\t(working copy)\n@@ -1 +1 @@\n-a\n+b\n");
    expect(types(svn)).toEqual(["diff"]);
    expect((svn[0] as DiffBlock).lines.map((l) => l.kind)).toEqual(["file", "meta", "file", "file", "hunk", "del", "add"]);
    const bare = parseBlocks("intro\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n");
    expect(types(bare)).toEqual(["text", "diff"]);
  });

  it("does not take prose lists or a lone '---' for a diff", () => {
    const bs = parseBlocks("Changes:\n- one\n- two\n+ three\n---\nv2: fixed\n");
    expect(types(bs)).toEqual(["text"]);
  });

  it("takes a hunk header without counts loosely, stopping at the signature", () => {
    const bs = parseBlocks("@@ weird header @@\n-a\n+b\n c\n-- \nsig\n");
    expect(types(bs)).toEqual(["diff", "signature"]);
    expect((bs[0] as DiffBlock).lines.map((l) => l.kind)).toEqual(["hunk", "del", "add", "ctx"]);
  });

  it("keeps binary patch data inside the diff", () => {
    const body = `diff --git a/x.bin b/x.bin
new file mode 100644
index 0000000000000000000000000000000000000000..e69de29bb2d1d6434b8b29ae775ad8c2e48c5391
GIT binary patch
literal 12
Tcmd;JU|?WkU|?Wi00RI3

literal 0
HcmV?d00001

Done.
`;
    const bs = parseBlocks(body);
    expect(types(bs)).toEqual(["diff", "text"]);
    expect(bs[1]).toMatchObject({ lines: ["", "Done."] });
  });

  it("needs the summary line for a diffstat", () => {
    expect(types(parseBlocks(" a.c | 2 +-\n"))).toEqual(["text"]);
    const bs = parseBlocks(" a.c   | 2 +-\n b.png | Bin 0 -> 10 bytes\n 2 files changed, 1 insertion(+), 1 deletion(-)\n create mode 100644 b.png\n");
    expect(types(bs)).toEqual(["diffstat"]);
    expect((bs[0] as { lines: string[] }).lines).toHaveLength(4);
  });

  it("keeps HTML and script text as plain text", () => {
    const bs = parseBlocks("<script>alert(1)</script>\n<b>bold</b>\n");
    expect(bs).toEqual([{ type: "text", lines: ["<script>alert(1)</script>", "<b>bold</b>"], position: { start: 1, end: 2 } }]);
  });

  it("stops nesting at MAX_QUOTE_DEPTH without recursing forever", () => {
    const deep = ">".repeat(5000) + " x\n";
    const bs = parseBlocks(deep);
    expect(types(bs)).toEqual(["quote"]);
  });

  it("is linear enough for a large patch", () => {
    const big = "diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,100000 +1,100000 @@\n" + " x\n".repeat(100000);
    const t = performance.now();
    const bs = parseBlocks(big);
    expect(performance.now() - t).toBeLessThan(2000);
    expect((bs[0] as DiffBlock).lines).toHaveLength(100004);
  });
});
