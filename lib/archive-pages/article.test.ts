import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { parseArticle, unflattenProse } from "./article";
import { detectPage } from "./detect";
import { checkUnifiedDiff } from "./diff-repair";
import { rebuildHunk } from "./flat-diff";
import { synthesizePage } from "./synthesize";

// An article page with a header table and the whole body on one line (written for this test).
export const ARTICLE_PAGE = [
  "frob: lockless lookups",
  "From: | Erin Hacker <erin@example.net> | |",
  "To: | Frank Maintainer <frank@example.org> | |",
  "Subject: | [RFC] frob: lockless lookups | |",
  "Date: | Tue, 2 Jun 2009 10:11:12 -0700 | |",
  "Message-ID: | <1243962672.1234.56.camel@laptop> | |",
  "Cc: | linux-frob <linux-frob@vger.kernel.org> | |",
  "Archive\u2011link: | Article |",
  "Hi, Lookups take the lock although they only read. [ It may not work on every arch. ] Please comment. " +
    "Signed-off-by: Erin Hacker <erin@example.net> --- diff --git a/frob.c b/frob.c index 1111111..2222222 100644 " +
    "--- a/frob.c +++ b/frob.c @@ -10,7 +10,8 @@ int frob_lookup(struct frob *f, int key) { struct frob_node *n; " +
    "- spin_lock(&f->lock); + rcu_read_lock(); n = frob_find(f, key); - spin_unlock(&f->lock); + rcu_read_unlock(); " +
    "+ smp_rmb(); return n ? n->val : -1; } -- To unsubscribe from this list: send the line \"unsubscribe linux-frob\" in the body of a message",
].join("\n");

describe("article page with a header table", () => {
  it("is detected", () => {
    expect(detectPage(ARTICLE_PAGE)?.format).toBe("article-table");
  });

  it("reads the header table exactly", () => {
    const m = parseArticle(ARTICLE_PAGE).messages[0];
    expect(m.msgid).toBe("1243962672.1234.56.camel@laptop");
    expect(m.from).toEqual({ name: "Erin Hacker", address: "erin@example.net" });
    expect(m.to).toEqual([{ name: "Frank Maintainer", address: "frank@example.org" }]);
    expect(m.subject).toBe("[RFC] frob: lockless lookups");
    expect(m.date).toBe("2009-06-02T17:11:12.000Z");
    expect(m.tzOffsetMinutes).toBe(-420);
    expect(parseArticle(ARTICLE_PAGE).listName).toBe("linux-frob");
  });

  it("restores the line structure of the flat body", () => {
    const m = parseArticle(ARTICLE_PAGE).messages[0];
    expect(m.body).toBe(
      [
        "Hi,",
        "",
        "Lookups take the lock although they only read.",
        "",
        "[ It may not work on every arch. ]",
        "",
        "Please comment.",
        "",
        "Signed-off-by: Erin Hacker <erin@example.net>",
        "---",
        "diff --git a/frob.c b/frob.c",
        "index 1111111..2222222 100644",
        "--- a/frob.c",
        "+++ b/frob.c",
        "@@ -10,7 +10,8 @@ int frob_lookup(struct frob *f, int key)",
        " {",
        " struct frob_node *n;",
        "-spin_lock(&f->lock);",
        "+rcu_read_lock();",
        " n = frob_find(f, key);",
        "-spin_unlock(&f->lock);",
        "+rcu_read_unlock();",
        "+smp_rmb();",
        " return n ? n->val : -1;",
        " }",
        "-- ",
        'To unsubscribe from this list: send the line "unsubscribe linux-frob" in',
        "the body of a message",
      ].join("\n"),
    );
    const d = checkUnifiedDiff(m.body);
    expect(d.errors).toEqual([]);
    expect([d.files, d.hunks, d.insertions, d.deletions]).toEqual([["frob.c"], 1, 3, 2]);
    expect(m.damaged.join("\n")).toMatch(/1 of 1 hunks matched their counts/);
  });

  it("keeps a rebuilt hunk valid when the counts need blank context lines", () => {
    // 3 context lines needed before the change, only 2 visible: one blank line was lost
    const r = rebuildHunk("a = 1; b = 2; - c = 3; + c = 4; d = 5; e = 6; f = 7;", 20, 7, 7);
    expect(r.lines.filter((l) => l.startsWith(" ")).length).toBe(6);
    expect(r.lines).toContain(" ");
    expect(r.exact).toBe(false);
    expect(r.notes.join()).toMatch(/blank context line/);
  });

  it("does not take arithmetic for change markers when the counts say so", () => {
    const r = rebuildHunk("x = a + 1; + y = b - c; z = 3;", 5, 2, 3);
    expect(r.lines).toEqual([" x = a + 1;", "+y = b - c;", " z = 3;"]);
    expect(r.exact).toBe(true);
  });

  it("separates trailers and a greeting from flat prose", () => {
    expect(unflattenProse("Hello all, Text here. Reviewed-by: A B <a@b.c> Acked-by: C D <c@d.e>")).toEqual({
      lines: ["Hello all,", "", "Text here."],
      trailers: ["Reviewed-by: A B <a@b.c>", "Acked-by: C D <c@d.e>"],
    });
  });

  it("synthesizes a message that keeps the real headers", async () => {
    const [s] = synthesizePage(parseArticle(ARTICLE_PAGE));
    const m = await parseMail(s.raw);
    expect(m.msgid).toBe("1243962672.1234.56.camel@laptop");
    expect(m.from).toEqual({ name: "Erin Hacker", address: "erin@example.net" });
    expect(m.date).toBe("2009-06-02T17:11:12.000Z");
    expect(m.tzOffsetMinutes).toBe(-420);
    expect(m.cc).toEqual([{ name: "linux-frob", address: "linux-frob@vger.kernel.org" }]);
    expect(m.text).toContain("\n+rcu_read_lock();\n");
    expect(s.recovery).toBe("page:article-table");
  });
});
