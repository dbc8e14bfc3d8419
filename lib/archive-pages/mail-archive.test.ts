import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { detectPage } from "./detect";
import { checkUnifiedDiff } from "./diff-repair";
import { parseMailArchive } from "./mail-archive";
import { synthesizePage } from "./synthesize";

// mail-archive.com style text (written for this test): the archive dropped addresses, leading
// whitespace and the diffstat's spacing, and wrapped long diff lines (the first part keeps its
// trailing space).
export const MAIL_ARCHIVE_PAGE = [
  "[PATCH] frob: keep the name",
  "",
  "2019-05-02 Thread Carol Coder",
  "The name was not kept.",
  "",
  "Signed-off-by: Carol Coder ",
  "---",
  " frob/frob.c|  3 ++-",
  " frob/frob.h |  1 +",
  " 2 files changed, 3 insertions(+), 1 deletion(-)",
  "",
  "diff --git a/frob/frob.c b/frob/frob.c",
  "index 1234567..89abcde 100644",
  "--- a/frob/frob.c",
  "+++ b/frob/frob.c",
  "@@ -10,6 +10,7 @@ static int frob_set_name(struct frob_ctx *ctx, const ",
  "char *name)",
  "if (!ctx)",
  "return -EINVAL;",
  " ",
  "-   ctx->name = name;",
  "+   ctx->name = kstrdup(name, ",
  "GFP_KERNEL);",
  "+   ctx->len = strlen(name);",
  "return 0;",
  "}",
  "",
  "",
  "Re: [PATCH] frob: keep the name",
  "",
  "2019-05-03 Thread Dave Reviewer",
  "On Thu, May 02, 2019 at 03:04:05PM +0200, Carol Coder wrote:",
  "> The name was not kept.",
  "",
  "Why not? See Message-ID: <5cd0a1b2-1111-2222-3333-44445555...@example.com>",
  "",
  "",
  "Re: [PATCH] frob: keep the name",
  "",
  "2019-05-03 Thread Carol Coder",
  "On 03/05/2019 09:10, Dave Reviewer wrote:",
  "> On Thu, May 02, 2019 at 03:04:05PM +0200, Carol Coder wrote:",
  ">> The name was not kept.",
  "> ",
  "> Why not?",
  "",
  "Because it was freed.",
  "",
].join("\n");

describe("mail-archive.com page", () => {
  it("is detected", () => {
    expect(detectPage(MAIL_ARCHIVE_PAGE)?.format).toBe("mail-archive");
  });

  it("recovers subject, author and day of each message", () => {
    const p = parseMailArchive(MAIL_ARCHIVE_PAGE);
    expect(p.messages.map((m) => [m.subject, m.from.name, m.date?.slice(0, 10), m.from.address])).toEqual([
      ["[PATCH] frob: keep the name", "Carol Coder", "2019-05-02", null],
      ["Re: [PATCH] frob: keep the name", "Dave Reviewer", "2019-05-03", null],
      ["Re: [PATCH] frob: keep the name", "Carol Coder", "2019-05-03", null],
    ]);
    expect(p.messages[0].lines).toEqual([1, 26]);
  });

  it("repairs the diff: wrapped lines rejoined, context markers restored, counts exact", () => {
    const p = parseMailArchive(MAIL_ARCHIVE_PAGE);
    const body = p.messages[0].body;
    expect(body).toContain("@@ -10,6 +10,7 @@ static int frob_set_name(struct frob_ctx *ctx, const char *name)\n if (!ctx)\n return -EINVAL;\n \n-   ctx->name = name;\n+   ctx->name = kstrdup(name, GFP_KERNEL);\n");
    const d = checkUnifiedDiff(body);
    expect(d.errors).toEqual([]);
    expect([d.files, d.insertions, d.deletions]).toEqual([["frob/frob.c"], 2, 1]);
    // the diffstat keeps both file names, aligned again
    expect(body).toContain(" frob/frob.c | 3 ++-\n frob/frob.h | 1 +\n 2 files changed, 3 insertions(+), 1 deletion(-)");
    const dmg = p.messages[0].damaged.join("\n");
    expect(dmg).toMatch(/1 of the 2 files/);
    expect(dmg).toMatch(/removed e-mail addresses/);
    expect(dmg).toMatch(/rejoined/);
  });

  it("deduces parents from attribution lines and times of day from them", () => {
    const p = parseMailArchive(MAIL_ARCHIVE_PAGE);
    expect(p.messages.map((m) => m.parentIndex)).toEqual([null, 0, 1]);
    // "Thu, May 02, 2019 at 03:04:05PM +0200" gives Carol's exact time and zone
    expect(p.messages[0]).toMatchObject({ date: "2019-05-02T13:04:05.000Z", tzOffsetMinutes: 120, datePrecision: "second" });
    // "03/05/2019 09:10" (day first, as the page's day says) without zone: read as UTC
    expect(p.messages[1]).toMatchObject({ date: "2019-05-03T09:10:00.000Z", tzOffsetMinutes: null, datePrecision: "minute" });
    expect(p.messages[1].damaged.join("\n")).toMatch(/without zone/);
    // no attribution in it: the day only, at noon UTC
    expect(p.messages[2]).toMatchObject({ date: "2019-05-03T12:00:00.000Z", datePrecision: "day" });
  });

  it("synthesizes one thread", async () => {
    const mails = await Promise.all(synthesizePage(parseMailArchive(MAIL_ARCHIVE_PAGE)).map((s) => parseMail(s.raw)));
    expect(mails[1].inReplyTo).toBe(mails[0].msgid);
    expect(mails[2].references).toEqual([mails[0].msgid, mails[1].msgid]);
    expect(mails[0].tzOffsetMinutes).toBe(120);
    expect(mails[2].headers.find(([k]) => k === "x-patchlore-date-precision")?.[1]).toBe("day");
    expect(mails[0].from.name).toBe("Carol Coder");
  });
});
