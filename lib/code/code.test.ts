import { describe, expect, it } from "vitest";
import { codeHref, definitionInLine, functionFromHeading, hunkFunctions, hunkFunctionsFromTexts, languageOf, normalizeCodePath, parentDirs, resolveCodePath } from "./index";

describe("functionFromHeading", () => {
  it.each([
    ["static int foo(struct x *y)", "mm/a.c", "foo"],
    ["static unsigned int shrink_folio_list(struct list_head *folio_list,", "mm/vmscan.c", "shrink_folio_list"],
    ["void folio_rotate_reclaimable(struct folio *folio)", "mm/swap.c", "folio_rotate_reclaimable"],
    ["static int __init rotation_queue_setup(void)", "mm/rotation.c", "rotation_queue_setup"],
    ["typedef struct pglist_data {", "include/linux/mmzone.h", "pglist_data"],
    ["struct rotation_queue {", "include/linux/rotation.h", "rotation_queue"],
    ["SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len,", "mm/mprotect.c", "mprotect"],
    ["static struct page *alloc_pages_node(int nid, gfp_t gfp)", "x.h", "alloc_pages_node"],
    ["#define for_each_node_state(node, __state) \\", "x.h", "for_each_node_state"],
    ["int Foo::bar(int x)", "a.cpp", "Foo::bar"],
    ["def handle(self, msg):", "tools/x.py", "handle"],
    ["class Parser(object):", "tools/x.py", "Parser"],
    ["func (r *Reader) Next() (*Msg, error) {", "x.go", "Next"],
    ["pub(crate) async fn poll_next(self: Pin<&mut Self>) {", "x.rs", "poll_next"],
    ["export async function getCodeHistory(db: Db) {", "x.ts", "getCodeHistory"],
    ["sub parse_header {", "scripts/checkpatch.pl", "parse_header"],
    ["do_build() {", "scripts/x.sh", "do_build"],
  ])("%s -> %s", (h, path, name) => {
    expect(functionFromHeading(h, path)).toBe(name);
  });
  it("gives null for prose, labels, braces and empty headings", () => {
    expect(functionFromHeading("management code that an administrator may want to look at.", "Documentation/admin-guide/mm/index.rst")).toBeNull();
    expect(functionFromHeading("This is (really) prose", "Documentation/x.rst")).toBeNull();
    expect(functionFromHeading("out:", "mm/a.c")).toBeNull();
    expect(functionFromHeading("{", "mm/a.c")).toBeNull();
    expect(functionFromHeading("", "mm/a.c")).toBeNull();
    expect(functionFromHeading("EXPORT_SYMBOL_GPL(foo);", "mm/a.c")).toBeNull();
    expect(functionFromHeading("if (x) {", "mm/a.c")).toBeNull();
  });
});

describe("definitionInLine", () => {
  it("takes definitions at the left margin only, not statements, calls or prototypes", () => {
    expect(definitionInLine("void rotation_queue_add(struct folio *folio)", "mm/rotation.c")).toBe("rotation_queue_add");
    expect(definitionInLine("static unsigned long rotate_batch(struct rotation_queue *rq,", "mm/rotation.c")).toBe("rotate_batch");
    expect(definitionInLine("\tfoo(bar);", "mm/rotation.c")).toBeNull();
    expect(definitionInLine("void rotation_queue_add(struct folio *folio);", "include/linux/rotation.h")).toBeNull();
    expect(definitionInLine("EXPORT_SYMBOL(foo);", "mm/a.c")).toBeNull();
    expect(definitionInLine("static int x = foo(3);", "mm/a.c")).toBeNull();
    expect(definitionInLine("out:", "mm/a.c")).toBeNull();
    expect(definitionInLine("}", "mm/a.c")).toBeNull();
    expect(definitionInLine("static DEFINE_PER_CPU(struct rq, rqs);", "mm/a.c")).toBeNull();
    expect(definitionInLine("    def inner(self):", "x.py")).toBe("inner");
    expect(definitionInLine("The rotation queue (per node)", "Documentation/x.rst")).toBeNull();
  });
});

describe("hunkFunctions", () => {
  const L = (s: string) => s.split("\n").map((l) => ({ kind: l[0], text: l.slice(1) }));
  it("attributes changed lines to the heading's function, then to each definition met", () => {
    const lines = L(
      [
        "     return 0;",
        " }",
        " ",
        "+static void drain(struct q *q)",
        "+{",
        "+\tq->n = 0;",
        "+}",
        "+",
        " int keep(struct q *q)",
        " {",
        "-\tq->n--;",
        "+\tq->n -= 2;",
        " }",
        "+",
        "+int helper(void);",
      ].join("\n"),
    );
    const f = hunkFunctions("static int setup(void)", lines, "mm/q.c");
    expect(f.heading).toBe("setup");
    expect(f.changed).toEqual(["drain", "keep", "helper"]);
    expect(f.added).toEqual(["drain"]);
    expect(f.removed).toEqual([]);
  });
  it("counts a hunk inside the heading's function as that function", () => {
    const f = hunkFunctions("static int setup(void)", L(" \tint a;\n-\ta = 1;\n+\ta = 2;\n \treturn a;"), "mm/q.c");
    expect(f.changed).toEqual(["setup"]);
  });
  it("keeps #define continuation lines with the macro", () => {
    const f = hunkFunctions("", L("+#define FOO(x) \\\n+\tdo { bar(x); } while (0)\n+int baz(void)\n+{\n+}"), "a.h");
    expect(f.changed).toEqual(["FOO", "baz"]);
  });
  it("has an unordered variant for stored hunk texts", () => {
    expect(hunkFunctionsFromTexts("static int setup(void)", "\ta = 2;", "\ta = 1;", "mm/q.c")).toEqual(["setup"]);
    expect(hunkFunctionsFromTexts("", "void a(void)\n{\n}\nint b(int x)\n{\n}", "", "mm/q.c")).toEqual(["a", "b"]);
  });
});

describe("paths", () => {
  const known = new Set(["mm/memory.c", "mm/vmscan.c", "a/b"]);
  const isFile = (p: string) => known.has(p);
  it("normalizes", () => {
    expect(normalizeCodePath("./mm//memory.c/")).toBe("mm/memory.c");
    expect(normalizeCodePath("/")).toBe("");
  });
  it("resolves the longest known file prefix; one segment after it is a function", () => {
    expect(resolveCodePath(["mm", "memory.c"], isFile)).toEqual({ kind: "file", path: "mm/memory.c", function: null });
    expect(resolveCodePath(["mm", "memory.c", "do_wp_page"], isFile)).toEqual({ kind: "file", path: "mm/memory.c", function: "do_wp_page" });
    expect(resolveCodePath(["mm/memory.c", "do_wp_page"], isFile)).toEqual({ kind: "file", path: "mm/memory.c", function: "do_wp_page" });
    expect(resolveCodePath(["mm", "memory.c", "a", "b"], isFile)).toBeNull();
    expect(resolveCodePath(["mm"], isFile)).toEqual({ kind: "dir", prefix: "mm" });
    expect(resolveCodePath([], isFile)).toEqual({ kind: "dir", prefix: "" });
    // a file named like a function segment wins (longest prefix)
    known.add("mm/memory.c/do_wp_page");
    expect(resolveCodePath(["mm", "memory.c", "do_wp_page"], isFile)).toEqual({ kind: "file", path: "mm/memory.c/do_wp_page", function: null });
    expect(resolveCodePath(["mm", "memory.c"], isFile, "do_wp_page")).toEqual({ kind: "file", path: "mm/memory.c", function: "do_wp_page" });
  });
  it("builds hrefs and parents", () => {
    expect(codeHref("mm/vmscan.c")).toBe("/code/mm/vmscan.c/");
    expect(codeHref("mm/vmscan.c", "shrink_folio_list")).toBe("/code/mm/vmscan.c/shrink_folio_list");
    expect(codeHref("dir/a b#c.c")).toBe("/code/dir/a%20b%23c.c/");
    expect(codeHref("")).toBe("/code/");
    expect(parentDirs("Documentation/admin-guide/mm/rotation.rst")).toEqual(["Documentation", "Documentation/admin-guide", "Documentation/admin-guide/mm"]);
    expect(languageOf("mm/vmscan.c")).toBe("c");
    expect(languageOf("Documentation/x.rst")).toBe("text");
  });
});

describe("functionAtLine", () => {
  it("names the function a line is in", async () => {
    const { functionAtLine, hunkLinesFromText } = await import("./index");
    const lines = hunkLinesFromText(["+void a(void)", "+{", "+\tx();", "+}", "+", "+int b(int y)", "+{", "+\treturn y;", "+}"]);
    expect(functionAtLine("", lines, 2, "mm/r.c")).toBe("a");
    expect(functionAtLine("", lines, 3, "mm/r.c")).toBe("a");
    expect(functionAtLine("", lines, 4, "mm/r.c")).toBeNull();
    expect(functionAtLine("", lines, 7, "mm/r.c")).toBe("b");
    expect(functionAtLine("static int setup(void)", lines, 0, "mm/r.c")).toBe("a");
  });
});

describe("declarations and calls at the margin", () => {
  it("counts a changed prototype, not a lower-case macro call", () => {
    const L = (s: string) => s.split("\n").map((l) => ({ kind: l[0], text: l.slice(1) }));
    expect(hunkFunctions("", L("+void rotation_queue_add(struct folio *folio);\n+core_initcall(rotation_queue_setup);"), "a.h").changed).toEqual(["rotation_queue_add"]);
  });
});
