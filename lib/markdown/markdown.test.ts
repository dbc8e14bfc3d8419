// Markdown for pull requests: messages, discussions, reviews and the related-work summary, read
// back with remark-parse (GFM) to check the structure, and that nothing from mail turns into
// markup, HTML or a link it did not contain.
import { describe, expect, it } from "vitest";
import type { Node, Parent } from "unist";
import type { Code, Heading, Link, Root, Table } from "mdast";
import { toString } from "mdast-util-to-string";
import type { DiscussionView, PatchReviewView, ReviewCommentView, SeriesReviewView } from "../review/view";
import type { RelatedResult } from "../related/types";
import {
  defuseGitHub, discussionToMarkdown, messageToMarkdown, parseMarkdown, prose, relatedToMarkdown, reviewToMarkdown, toMarkdown, visible,
} from ".";

const BASE = "https://patchlore.example.org";

function all(root: Node, type: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === type) out.push(n);
    for (const c of (n as Parent).children ?? []) walk(c);
  };
  walk(root);
  return out;
}
const ZWSP = /\u200B/g;

describe("mail text stays text", () => {
  const HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden --> & &amp; &#x3C;b&#x3E;",
    "*bold* _em_ **x** ~~strike~~ `code` ``two``",
    "[link](javascript:alert(1)) ![img](x.png) [ref]: /x",
    "# heading\n## two\n=====\n-----\n***",
    "1. one\n2) two\n- dash\n+ plus\n* star\n- [ ] task",
    "> not a quote\n>> nor this",
    "```\nfence\n```\n~~~\ntilde\n~~~",
    "| a | b |\n| - | - |\n| c | d |",
    "<details><summary>x</summary>y</details>",
    "line with trailing backslash\\\nnext",
    "\\* escaped already \\_",
    "<https://evil.example> <mailto:a@b.c>",
    "[^1] footnote\n\n[^1]: text",
  ];
  for (const s of HOSTILE) {
    it(`round-trips ${JSON.stringify(s.slice(0, 30))}`, () => {
      const md = toMarkdown(prose(s));
      const back = parseMarkdown(md);
      expect(all(back, "html"), md).toEqual([]);
      // a URL in the text may be autolinked (GitHub does that to any URL), nothing else becomes a link
      for (const l of all(back, "link") as Link[]) expect(s, md).toContain(l.url.replace(/^mailto:/, ""));
      expect(all(back, "image"), md).toEqual([]);
      expect(all(back, "heading"), md).toEqual([]);
      expect(all(back, "list"), md).toEqual([]);
      expect(all(back, "table"), md).toEqual([]);
      expect(all(back, "footnoteReference"), md).toEqual([]);
      // every line's words survive (the lines become hard breaks; leading blanks are dropped)
      const text = all(back, "paragraph").map((p) => toString(p)).join("\n").replace(ZWSP, "");
      for (const line of s.split("\n").map((l) => l.trim()).filter(Boolean)) expect(text, md).toContain(line);
    });
  }

  it("fences code with more backticks than any run inside it", () => {
    const diff = "+a ``` b\n+````` five\n+~~~ tilde";
    const md = toMarkdown([{ type: "code", lang: "diff", meta: null, value: diff }]);
    expect(md.startsWith("``````diff\n")).toBe(true);
    const [c] = all(parseMarkdown(md), "code") as Code[];
    expect(c.value).toBe(diff);
    expect(c.lang).toBe("diff");
  });

  it("defuses GitHub mentions and issue references, not addresses or includes", () => {
    expect(defuseGitHub("ping @torvalds and @linux-mm, see #123")).toBe("ping @\u200Btorvalds and @\u200Blinux-mm, see #\u200B123");
    expect(defuseGitHub("mail me at a.b@example.org; #include <x.h>; sc->nr; &#123;")).toBe("mail me at a.b@example.org; #include <x.h>; sc->nr; &#123;");
  });

  it("shows bidi and control characters", () => {
    expect(visible("evil\u202Egnp.exe\u0000")).toBe("evil\u2039U+202E\u203Agnp.exe\u2400");
  });

  it("keeps indented blocks as code", () => {
    const blocks = prose("Try this:\n\n\tif (x)\n\t\treturn;\n\nThanks");
    expect(blocks.map((b) => b.type)).toEqual(["paragraph", "code", "paragraph"]);
    expect((blocks[1] as Code).value).toBe("if (x)\n\treturn;");
  });
});

describe("messageToMarkdown", () => {
  const message = {
    msgid: "reply/1+x@example.org",
    subject: "Re: [PATCH 2/3] mm/vmscan: <b>batch</b> rotation",
    fromName: "Greta Lindqvist",
    fromAddress: "greta@kernel.example",
    date: "2023-06-22T06:45:19.000Z",
    list: "linux-mm",
    body: [
      "On Tue, Jun 20, 2023 at 09:10:00AM +0200, Mira Kovacs wrote:",
      "> @@ -79,14 +67,15 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,",
      "> -\t\tlruvec = folio_lruvec_lock_irq(folio);",
      "> > older quote",
      "",
      "This opens a window: <script>alert(1)</script> ask @mm-maintainers.",
      "",
      "diff --git a/mm/vmscan.c b/mm/vmscan.c",
      "--- a/mm/vmscan.c",
      "+++ b/mm/vmscan.c",
      "@@ -1,1 +1,1 @@",
      "-old ```",
      "+new",
      "",
      "Nacked-by: Greta Lindqvist <greta@kernel.example>",
      "",
      "-- ",
      "Greta, signature",
    ].join("\n"),
  };

  it("has the subject, author, date, permalink, own text, quotes and the diff", () => {
    const md = messageToMarkdown(message, { baseUrl: BASE });
    const root = parseMarkdown(md);
    const [h] = all(root, "heading") as Heading[];
    expect(toString(h)).toBe(message.subject);
    expect(md).toContain("**Greta Lindqvist**");
    expect(md).toContain("2023-06-22 06:45 UTC");
    const links = all(root, "link") as Link[];
    expect(links.map((l) => l.url)).toContain(`${BASE}/linux-mm/reply%2F1%2Bx@example.org/`);
    expect(toString(links.find((l) => l.url.includes("reply%2F1"))!)).toBe(`<${message.msgid}>`);
    // the quote, nested one level deeper for "> >", with its attribution above
    const quotes = all(root, "blockquote");
    expect(quotes.length).toBe(2);
    expect(toString(quotes[0])).toContain("older quote");
    expect(md).toContain("_On Tue, Jun 20, 2023 at 09:10:00AM +0200, Mira Kovacs wrote:_");
    // own text: HTML as text, the mention defused
    expect(all(root, "html")).toEqual([]);
    const text = all(root, "paragraph").map((p) => toString(p)).join("\n");
    expect(text).toContain("<script>alert(1)</script>");
    expect(text).toContain("@\u200Bmm-maintainers");
    const codes = all(root, "code") as Code[];
    const own = codes.find((c) => c.lang === "diff" && c.value.includes("+new"))!;
    expect(own.value).toBe("diff --git a/mm/vmscan.c b/mm/vmscan.c\n--- a/mm/vmscan.c\n+++ b/mm/vmscan.c\n@@ -1,1 +1,1 @@\n-old ```\n+new");
    expect(text).toContain("Nacked-by: Greta Lindqvist <greta@kernel.example>");
    // the signature stays out
    expect(md).not.toContain("signature");
  });

  it("leaves quotes out on request and needs an absolute base", () => {
    expect(all(parseMarkdown(messageToMarkdown(message, { baseUrl: BASE, quotes: false })), "blockquote")).toEqual([]);
    expect(() => messageToMarkdown(message, { baseUrl: "/relative" })).toThrow(/absolute URL/);
    expect(() => messageToMarkdown(message, { baseUrl: "javascript:alert(1)" })).toThrow(/http/);
  });
});

const person = (name: string, address: string) => ({ name, address });
const comment = (o: Partial<ReviewCommentView> & { id: string; text: string }): ReviewCommentView => ({
  msgid: `${o.id}@example.org`,
  author: person("Greta Lindqvist", "greta@kernel.example"),
  date: "2023-06-22T06:45:19.000Z",
  lines: [4, 6],
  quote: null,
  method: "exact",
  confidence: 1,
  inReplyTo: null,
  byPatchAuthor: false,
  ...o,
});

const discussion = (o: Partial<DiscussionView> & { id: string }): DiscussionView => ({
  part: "diff",
  anchor: null,
  file: "mm/vmscan.c",
  line: 80,
  side: "new",
  heading: "static unsigned int shrink_folio_list(struct list_head *folio_list,",
  code: [" \tlist_for_each_entry_safe(folio, next, folio_list, lru) {", "-\t\tlruvec = folio_lruvec_lock_irq(folio);", "+\t\trotation_queue_add(folio);"],
  place: null,
  status: "open",
  resolvedHow: null,
  resolvedConfidence: null,
  resolvedEvidence: null,
  carriedFrom: null,
  carriedTo: null,
  comments: [],
  ...o,
});

const D1 = discussion({
  id: "11",
  comments: [
    comment({ id: "c1", text: "Who drains the queue when <b>another</b> reclaimer\nruns first? cc @akpm" }),
    comment({ id: "c2", text: "Good point, will fix.", author: person("Mira Kovacs", "mira@kernel.example"), byPatchAuthor: true, inReplyTo: "c1", date: "2023-06-22T09:00:00Z" }),
  ],
  carriedFrom: { discussionId: "7", patchMsgid: "v0-2@example.org" },
});
const D2 = discussion({ id: "12", file: "include/linux/mmzone.h", line: 55, heading: "typedef struct pglist_data {", code: ["+\tstruct rotation_queue rq;"], status: "resolved", resolvedHow: "code-changed", resolvedConfidence: 0.9, resolvedEvidence: "the next version moves it", comments: [comment({ id: "c3", text: "Put it behind CONFIG_ROTATION." })] });
const D3 = discussion({ id: "13", part: "message", file: null, line: 2, side: null, heading: null, code: ["This batches rotation."], comments: [comment({ id: "c4", text: "Say why in the log." })] });
const D4 = discussion({ id: "14", part: "general", file: null, line: null, side: null, heading: null, code: [], comments: [comment({ id: "c5", text: "Overall fine." })] });

const PATCH: PatchReviewView = {
  list: "linux-mm",
  msgid: "v1-2@example.org",
  subject: "[PATCH 2/3] mm/vmscan: batch LRU rotation | through the queue",
  author: person("Mira Kovacs", "mira@kernel.example"),
  date: "2023-06-20T07:10:00Z",
  reconstructed: false,
  series: { key: "v1-0@example.org", title: "mm/vmscan: batch LRU rotation", version: 1, index: 2, total: 3 },
  versions: [{ version: 1, isRfc: false, msgid: "v1-2@example.org", seriesKey: "v1-0@example.org" }],
  body: "",
  diffLine: null,
  trailers: [
    { kind: "Reviewed-by", value: "Priya Raman <priya.raman@example.com>", person: person("Priya Raman", "priya.raman@example.com"), via: "reply", msgid: "r1@example.org", line: 3, mismatch: false },
    { kind: "Acked-by", value: "Someone Else <else@example.org>", person: person("Someone Else", "else@example.org"), via: "reply", msgid: "r2@example.org", line: 5, mismatch: true },
  ],
  verdicts: [
    { verdict: "nak", by: person("Greta Lindqvist", "greta@kernel.example"), msgid: "nak@example.org", date: "2023-06-22T06:45:19Z", evidence: "Nacked-by: Greta Lindqvist <greta@kernel.example>" },
    { verdict: "review", by: person("Priya Raman", "priya.raman@example.com"), msgid: "r1@example.org", date: "2023-06-23T00:00:00Z", evidence: null },
  ],
  verdict: "nak",
  discussions: [D4, D3, D1, D2],
};

describe("discussionToMarkdown", () => {
  it("says where, shows the anchored code as a diff block, each comment with author, date and permalink", () => {
    const md = discussionToMarkdown(PATCH, D1, { baseUrl: BASE });
    const root = parseMarkdown(md);
    const [h] = all(root, "heading") as Heading[];
    expect(toString(h)).toBe("mm/vmscan.c line 80 (new) in shrink_folio_list() — 💬 open");
    const [c] = all(root, "code") as Code[];
    expect(c.lang).toBe("diff");
    expect(c.value.split("\n")).toEqual(D1.code);
    const urls = (all(root, "link") as Link[]).map((l) => l.url);
    expect(urls).toContain(`${BASE}/linux-mm/v1-2@example.org/`);
    expect(urls).toContain(`${BASE}/linux-mm/v1-2@example.org/review/#d-11`);
    expect(urls).toContain(`${BASE}/linux-mm/c1@example.org/`);
    expect(urls).toContain(`${BASE}/linux-mm/c2@example.org/`);
    expect(urls).toContain(`${BASE}/linux-mm/v0-2@example.org/review/#d-7`);
    const paras = all(root, "paragraph").map((p) => toString(p));
    expect(paras).toContain("Greta Lindqvist <greta@kernel.example> · 2023-06-22 06:45 UTC · message");
    expect(paras).toContain("Mira Kovacs <mira@kernel.example> (patch author) · 2023-06-22 09:00 UTC · message · replying to Greta Lindqvist");
    expect(md).toContain("**Mira Kovacs**");
    const quotes = all(root, "blockquote").map((q) => toString(q));
    expect(quotes[0]).toContain("Who drains the queue when <b>another</b> reclaimer");
    expect(quotes[0]).toContain("@\u200Bakpm");
    expect(all(root, "html")).toEqual([]);
  });

  it("places commit-message and general comments, and a resolved one with its evidence", () => {
    expect(toString((all(parseMarkdown(discussionToMarkdown(PATCH, D3, { baseUrl: BASE })), "heading") as Heading[])[0])).toBe("commit message, line 3 — 💬 open");
    expect(toString((all(parseMarkdown(discussionToMarkdown(PATCH, D4, { baseUrl: BASE })), "heading") as Heading[])[0])).toBe("general comment — 💬 open");
    const md = discussionToMarkdown(PATCH, D2, { baseUrl: BASE });
    expect(md).toContain("struct pglist_data");
    expect(md).toContain("resolved: code changed");
    expect(md).toContain("Resolved (confidence 90%): the next version moves it");
  });
});

describe("reviewToMarkdown", () => {
  it("a patch: NAK as a veto, verdicts, trailers, discussions grouped per file", () => {
    const md = reviewToMarkdown(PATCH, { baseUrl: BASE });
    const root = parseMarkdown(md);
    const headings = (all(root, "heading") as Heading[]).map((h) => `${h.depth} ${toString(h)}`);
    expect(headings).toEqual([
      "2 Review: [PATCH 2/3] mm/vmscan: batch LRU rotation | through the queue",
      "3 Verdicts",
      "3 Trailers",
      "3 Discussions (4, 3 open)",
      "4 mm/vmscan.c",
      "5 line 80 (new) in shrink_folio_list() — 💬 open",
      "4 include/linux/mmzone.h",
      "5 line 55 (new) in struct pglist_data — ✔️ resolved: code changed",
      "4 Commit message",
      "5 commit message, line 3 — 💬 open",
      "4 General",
      "5 general comment — 💬 open",
    ]);
    expect(md).toContain("**Verdict:** ❌ **NAK** by Greta Lindqvist — a NAK is a veto");
    expect(md).toContain("❌ **NAK** by **Greta Lindqvist**");
    expect(md).toContain("`Reviewed-by: Priya Raman <priya.raman@example.com>` in a reply");
    expect(md).toContain("⚠️ names someone other than the sender: shown, not applied");
    const review = (all(root, "link") as Link[]).find((l) => toString(l) === PATCH.subject)!;
    expect(review.url).toBe(`${BASE}/linux-mm/v1-2@example.org/review/`);
    // the anchored code of the three discussions that have some
    expect(all(root, "code").length).toBe(3);
  });

  it("a series: its verdict, the cover discussion, a line per patch, then each patch", () => {
    const series: SeriesReviewView = {
      key: "v1-0@example.org",
      title: "mm/vmscan: batch LRU rotation",
      version: 1,
      list: "linux-mm",
      cover: { msgid: "v1-0@example.org", subject: "[PATCH 0/3] mm/vmscan: batch LRU rotation", author: person("Mira Kovacs", "mira@kernel.example"), date: "2023-06-20T07:10:00Z" },
      verdicts: [{ verdict: "test", by: person("Wei Zhang", "wei.zhang@example.com"), msgid: "t@example.org", date: null, evidence: "Tested-by: Wei Zhang <wei.zhang@example.com>" }],
      verdict: "test",
      coverVerdict: "test",
      patchesWithVerdict: 2,
      discussions: [discussion({ id: "20", part: "general", file: null, line: null, side: null, heading: null, code: [], comments: [comment({ id: "c9", text: "Numbers?" })] })],
      patches: [{ ...PATCH, list: null }, { ...PATCH, msgid: "v1-3@example.org", subject: "[PATCH 3/3] docs", verdict: null, verdicts: [], trailers: [], discussions: [], series: { ...PATCH.series!, index: 3 } }],
    };
    const md = reviewToMarkdown(series, { baseUrl: BASE });
    const root = parseMarkdown(md);
    const headings = (all(root, "heading") as Heading[]).map((h) => `${h.depth} ${toString(h)}`);
    expect(headings.slice(0, 6)).toEqual([
      "2 Review: mm/vmscan: batch LRU rotation (v1)",
      "3 Verdicts on the series",
      "3 Discussion of the cover letter (1)",
      "4 general comment — 💬 open",
      "3 Patches",
      "3 [2/3] [PATCH 2/3] mm/vmscan: batch LRU rotation | through the queue",
    ]);
    expect(headings).toContain("3 [3/3] [PATCH 3/3] docs");
    expect(md).toContain("**Verdict:** 🧪 **Tested** by Wei Zhang");
    // the cover letter's discussion lives on the series' review page
    expect((all(root, "link") as Link[]).map((l) => l.url)).toContain(`${BASE}/series/v1-0@example.org/review/#d-20`);
    // a patch without a list of its own links into the series' list
    expect((all(root, "link") as Link[]).map((l) => l.url)).toContain(`${BASE}/linux-mm/v1-2@example.org/review/`);
    const items = all(root, "listItem").map((i) => toString(i));
    expect(items).toContain("2/3 [PATCH 2/3] mm/vmscan: batch LRU rotation | through the queue · ❌ NAK · 4 discussions, 3 open");
    expect(items).toContain("3/3 [PATCH 3/3] docs · no verdict · 0 discussions");
  });
});

describe("relatedToMarkdown", () => {
  const result: RelatedResult = {
    query: { files: [{ path: "mm/vmscan.c", functions: ["shrink_folio_list"], hunks: ["-70,7 +70,7"] }], patchId: null, added: 1, removed: 1 },
    candidates: 3,
    tookMs: 5,
    items: [
      {
        kind: "series", key: "v3-0@example.org", title: "batch | rotation <i>x</i>", date: "2024-02-06T09:00:00Z", author: person("Mira Kovacs", "mira@kernel.example"), list: "linux-mm",
        score: 10.3, reasons: [{ kind: "function", file: "mm/vmscan.c", function: "shrink_folio_list", msgid: "v3-3@example.org", text: "same function shrink_folio_list() in mm/vmscan.c" }],
        reviews: { reviews: 3, discussions: 2, comments: 4, openDiscussions: 1, verdicts: { nak: 1, ack: 0, review: 1, test: 0 }, naks: [{ by: person("Greta Lindqvist", "g@x"), msgid: "n@x", date: null, version: "v1" }], trailers: [{ kind: "Reviewed-by", people: ["Priya Raman"] }], decisions: [{ kind: "applied", target: "mm-unstable", msgid: "a@x" }], commits: [] },
        urls: { page: `${BASE}/series/v3-0@example.org/`, review: `${BASE}/series/v3-0@example.org/review/` },
        patches: [{ msgid: "v3-3@example.org", title: "[PATCH v3 3/4] mm/vmscan", score: 10, reasons: [] }],
        versions: [{ key: "v1-0@example.org", version: 1, isRfc: false, date: null, url: "" }, { key: "v3-0@example.org", version: 3, isRfc: false, date: null, url: "" }],
      },
      { kind: "patch", msgid: "p@x", title: "[PATCH] mm: other", date: null, author: null, list: "linux-mm", score: 1.1, reasons: [{ kind: "file", file: "mm/vmscan.c", msgid: "p@x", text: "same file mm/vmscan.c" }], reviews: null, urls: { page: `${BASE}/linux-mm/p@x/` } },
    ],
  };

  it("is a table, one row per item, cells kept as text", () => {
    const md = relatedToMarkdown(result, { baseUrl: BASE });
    const root = parseMarkdown(md);
    const [t] = all(root, "table") as Table[];
    expect(t.children.length).toBe(3);
    const cells = t.children[1].children.map((c) => toString(c));
    expect(cells[1]).toBe("series: batch | rotation <i>x</i> (v1, v3)");
    expect(cells[2]).toBe("2024-02-06");
    expect(cells[4]).toBe("same function shrink_folio_list() in mm/vmscan.c");
    expect(cells[5]).toBe("❌ NAK by Greta Lindqvist (v1) · Reviewed-by: Priya Raman · 2 discussions (1 open) · applied");
    expect(all(root, "html")).toEqual([]);
    expect((all(root, "link") as Link[]).map((l) => l.url)).toEqual(
      expect.arrayContaining([`${BASE}/series/v3-0@example.org/`, `${BASE}/linux-mm/v3-3@example.org/`, `${BASE}/series/v3-0@example.org/review/`]),
    );
  });

  it("says so when nothing matched", () => {
    const md = relatedToMarkdown({ ...result, items: [] }, { baseUrl: BASE });
    expect(md).toContain("Nothing stored touches these files (3 patches looked at).");
    expect(all(parseMarkdown(md), "table")).toEqual([]);
  });
});
