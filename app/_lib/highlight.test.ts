import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseDiff } from "@/lib/patch/diff";
import { DiffView } from "../_components/DiffView";
import { getHighlighter, highlightDiff, highlightHunks, highlightLines, langForPath, LANGS, paletteCss } from "./highlight";

const CSS_FILE = path.join(import.meta.dirname, "..", "highlight.css");

const HOSTILE = `diff --git a/drivers/widget/widget.c b/drivers/widget/widget.c
index 1111111..2222222 100644
--- a/drivers/widget/widget.c
+++ b/drivers/widget/widget.c
@@ -10,7 +10,8 @@ static int widget_probe(struct device *dev)
 {
 	int ret;
 
-	ret = widget_init(dev);
+	pr_info("<script>alert('diff')</script>\\n");
+	ret = widget_init(dev); /* </pre><img src=x onerror=alert(1)> */
 	if (ret)
 		return ret;
 	return 0;
`;

describe("languages", () => {
  it("are chosen from the file name", () => {
    expect(langForPath("drivers/mmc/core/core.c")).toBe("c");
    expect(langForPath("include/linux/mmc/host.h")).toBe("c");
    expect(langForPath("arch/arm64/boot/dts/foo.dtsi")).toBe("c");
    expect(langForPath("rust/kernel/lib.rs")).toBe("rust");
    expect(langForPath("scripts/checkpatch.py")).toBe("python");
    expect(langForPath("tools/testing/run.sh")).toBe("shellscript");
    expect(langForPath("drivers/mmc/Makefile")).toBe("make");
    expect(langForPath("Makefile.lib")).toBe("make");
    expect(langForPath("Documentation/mm/index.rst")).toBe("rst");
    expect(langForPath("README.md")).toBe("markdown");
    expect(langForPath("Documentation/devicetree/bindings/mmc/x.yaml")).toBe("yaml");
    expect(langForPath("package.json")).toBe("json");
    expect(langForPath("drivers/mmc/Kconfig")).toBeNull();
    expect(langForPath("COPYING")).toBeNull();
    expect(langForPath(".gitignore")).toBeNull();
    expect(langForPath("a/b.unknownext")).toBeNull();
  });
});

describe("highlighting", () => {
  it("app/highlight.css is the palette's stylesheet", async () => {
    const css = paletteCss((await getHighlighter()).palette);
    if (process.env.UPDATE_HIGHLIGHT_CSS) fs.writeFileSync(CSS_FILE, css);
    expect(fs.readFileSync(CSS_FILE, "utf8")).toBe(css);
  });

  it("gives every line back as text plus class names", async () => {
    const h = await getHighlighter();
    const lines = ["static int foo(void)", "{", '\tpr_info("<script>alert(1)</script>\\n");', "", "\treturn 0; /* done */", "}"];
    const toks = highlightLines(h, lines, "c");
    expect(toks).toHaveLength(lines.length);
    toks.forEach((t, i) => expect(t!.map((x) => x.text).join("")).toBe(lines[i]));
    // keywords, strings and comments are coloured: a light and a dark class each
    const classes = toks.flatMap((t) => t!.map((x) => x.cls)).filter(Boolean);
    expect(classes.length).toBeGreaterThan(4);
    for (const c of classes) expect(c).toMatch(/^(?:tl\d+ td\d+|t[ib])(?: t[ib])*$/);
    // the string token keeps the markup as text (escaping is React's job)
    expect(toks[2]!.some((x) => x.text.includes("<script>alert(1)</script>"))).toBe(true);
  });

  it("highlights the new side and the old side of a diff separately, and caps long files", async () => {
    const h = await getHighlighter();
    const diff = parseDiff(HOSTILE);
    const t = highlightHunks(h, diff.files[0].hunks, "c");
    const lines = diff.files[0].hunks[0].lines;
    expect(t[0]).toHaveLength(lines.length);
    lines.forEach((l, i) => expect(t[0][i]!.map((x) => x.text).join("")).toBe(l.text));
    const capped = highlightHunks(h, diff.files[0].hunks, "c", 3);
    expect(capped[0].filter((x) => x !== null).length).toBeLessThan(lines.length);
    const [plain] = await highlightDiff([{ path: "x.unknown", hunks: diff.files[0].hunks }]);
    expect(plain.lang).toBeNull();
    expect(plain.tokens[0].every((x) => x === null)).toBe(true);
  });

  it("one pass with the pair theme colours exactly as shiki's two-theme tokenizer", async () => {
    const h = await getHighlighter();
    expect(h.pair).not.toBeNull();
    const samples: Record<string, string> = {
      c: fs.readFileSync("/usr/include/stdio.h", "utf8").slice(0, 20_000),
      rust: "/// doc\n#[derive(Debug)]\npub struct Foo<'a> { x: &'a str }\nfn main() { let v = vec![1, 2]; println!(\"{v:?}\"); }",
      python: "import sys\n\n@dataclass\nclass A:\n    '''doc'''\n    def f(self, x: int = 3) -> str:\n        return f\"{x!r}\"  # c",
      shellscript: "#!/bin/sh\nset -e\nfor f in \"$@\"; do echo \"${f%.c}\" | sed 's/a/b/'; done",
      make: "obj-$(CONFIG_X) += x.o\n%.o: %.c\n\t$(CC) -c $< -o $@\nifeq ($(A),y)\nendif",
      rst: "Title\n=====\n\n.. note::\n   ``code`` and *emph* and **strong**\n\n- item `link <http://x>`_",
      markdown: "# Head\n\nSome *italic* and **bold** and `code`.\n\n```c\nint x;\n```\n> quote",
      yaml: "%YAML 1.2\n---\n$id: http://x#\nproperties:\n  compatible:\n    const: foo,bar # c\n    items: [1, 'a']",
      json: '{"a": [1, 2.5e3, true, null], "b": {"c": "d\\n"}}',
      cpp: "template <typename T> class X : public Y { public: virtual ~X() = default; };\nauto l = [&](int a) { return a * 2; };",
    };
    for (const lang of LANGS) {
      const lines = (samples[lang] ?? "").split("\n");
      const one = highlightLines(h, lines, lang);
      const two = highlightLines(h, lines, lang, { dual: true });
      // compare per character: token boundaries may differ where the colours are equal
      const perChar = (t: typeof one) => t.map((l) => (l ?? []).flatMap((x) => [...x.text].map(() => x.cls)).join("|"));
      expect(perChar(one), lang).toEqual(perChar(two));
      expect(one.every((l) => l !== null), lang).toBe(true);
    }
  });

  it("keeps a carriage return line plain instead of misaligning", async () => {
    const h = await getHighlighter();
    const toks = highlightLines(h, ["int a;\r", "int b;"], "c");
    expect(toks[0]).toBeNull();
    expect(toks[1]!.map((x) => x.text).join("")).toBe("int b;");
  });

  it("renders <script> in a diff line as text, with no inline style", async () => {
    const diff = parseDiff(HOSTILE);
    const hl = await highlightDiff(diff.files);
    const html = renderToStaticMarkup(createElement(DiffView, { diff, highlight: hl }));
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&#x27;diff&#x27;)&lt;/script&gt;");
    expect(html).toContain("&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/\sstyle=/);
    // anchors: the file and its hunk, the hunk heading, gutters
    expect(html).toContain('id="f1"');
    expect(html).toContain('id="f1h1"');
    expect(html).toContain("static int widget_probe(struct device *dev)");
    expect(html).toMatch(/data-n="10"/);
    expect(html).toMatch(/class="tl\d+ td\d+"/);
  });

  it("a 5,000-line file highlights in reasonable time, the second time from memory", async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `+\tret = widget_init(dev, ${i}); /* step ${i} */`).join("\n");
    const diff = parseDiff(`diff --git a/big.c b/big.c\nnew file mode 100644\n--- /dev/null\n+++ b/big.c\n@@ -0,0 +1,5000 @@\n${body}\n`);
    expect(diff.files[0].added).toBe(5000);
    await getHighlighter();
    const t0 = performance.now();
    const [hl] = await highlightDiff(diff.files);
    const first = performance.now() - t0;
    expect(hl.tokens[0].every((x) => x !== null)).toBe(true);
    const t1 = performance.now();
    await highlightDiff(diff.files);
    const second = performance.now() - t1;
    console.log(`5,000 lines of C: ${first.toFixed(0)} ms, again ${second.toFixed(0)} ms`);
    expect(first).toBeLessThan(15_000);
    expect(second).toBeLessThan(first);
  });
});
