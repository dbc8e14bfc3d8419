import { describe, expect, it } from "vitest";
import { bodySnippet, markHeader, matchSpans, plainText, segmentsOf } from "./snippet";
import { isQueryError, parseQuery, positiveTerms } from "./query";
import { atomFeed, xmlEscape } from "../export/atom";

const terms = (q: string) => {
  const p = parseQuery(q);
  if (isQueryError(p)) throw new Error(p.message);
  return positiveTerms(p.ast);
};
const marked = (segs: { text: string; match: boolean }[]) => segs.filter((s) => s.match).map((s) => s.text);

const BODY = `On Tue, Ann wrote:
> +	vm_write_begin(vma);
> spin_lock here

I think vm_write_begin is misnamed.

diff --git a/mm/rmap.c b/mm/rmap.c
@@ -1,2 +1,3 @@ static void vm_write_begin_user(void)
 	ctx_line();
+	vm_write_begin(page);
`;

describe("snippets", () => {
  it("marks phrases as one span and identifiers whole", () => {
    expect(matchSpans("use after free, use-after-free; free after use", terms('"use after free"'))).toEqual([
      [0, 14],
      [16, 30],
    ]);
    expect(matchSpans("do_wp_page and do page", terms("do_wp_page"))).toEqual([[0, 10]]);
    expect(segmentsOf("abc", [[1, 2]])).toEqual([
      { text: "a", match: false },
      { text: "b", match: true },
      { text: "c", match: false },
    ]);
  });

  it("shows the line where the term's field matched: q: quoted, nq: unquoted, dfb: added lines", () => {
    expect(plainText(bodySnippet(BODY, terms("q:vm_write_begin")))).toContain("> +\tvm_write_begin(vma);");
    expect(plainText(bodySnippet(BODY, terms("nq:vm_write_begin"))).split("\n")).toContain("I think vm_write_begin is misnamed.");
    const dfb = bodySnippet(BODY, terms("dfb:vm_write_begin"), { context: 0 });
    expect(plainText(dfb)).toContain("+\tvm_write_begin(page);");
    expect(marked(dfb)).toEqual(["vm_write_begin"]);
    expect(marked(bodySnippet(BODY, terms("dfhh:vm_write_begin_user"), { context: 0 }))).toEqual(["vm_write_begin_user"]);
    expect(marked(bodySnippet(BODY, terms("vm_write*"), { context: 0 }))).toEqual(["vm_write_begin"]);
  });

  it("without a body match: the first lines the sender wrote", () => {
    const s = bodySnippet(BODY, terms("s:whatever"));
    expect(marked(s)).toEqual([]);
    expect(plainText(s)).toBe("On Tue, Ann wrote:\nI think vm_write_begin is misnamed.");
  });

  it("cuts a long line around its match", () => {
    const long = "x ".repeat(500) + "needle " + "y ".repeat(500);
    const s = bodySnippet(long, terms("needle"), { maxChars: 100 });
    expect(marked(s)).toEqual(["needle"]);
    expect(plainText(s).length).toBeLessThan(120);
  });

  it("marks subject words only for terms that search the subject", () => {
    expect(marked(markHeader("[PATCH] mm: declare vm_write_begin", terms("s:declare dfb:vm_write_begin"), [null, "s", "bs"]))).toEqual(["declare"]);
  });
});

describe("atom", () => {
  it("escapes everything and drops what XML cannot carry", () => {
    expect(xmlEscape(`<a href="x">&'\u0001\u0000\uFFFE ok`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos; ok");
    const xml = atomFeed({
      title: "t <x>",
      id: "urn:x",
      self: "/api/search?q=a&x=A",
      alternate: "/search?q=a",
      updated: "2024-01-01T00:00:00.000Z",
      entries: [{ title: "]]><script>", authorName: "A & B", authorEmail: "a@b", updated: null, id: "mid:a%40b", link: "/l/a@b/", summary: "x\u0007y" }],
    });
    expect(xml).not.toMatch(/<script|\u0007/);
    expect(xml).toContain("<title type=\"text\">]]&gt;&lt;script&gt;</title>");
    expect(xml).toContain('href="/api/search?q=a&amp;x=A"');
  });
});
