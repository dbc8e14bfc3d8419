import { describe, expect, it } from "vitest";
import { patchId } from "./patchid";
import { isPatchBreak, isScissorsLine, mailinfoSubject } from "./mailinfo";
import { isPatchMail, splitPatchMail } from "./split";
import { findTrailerBlock } from "./trailers";
import {
  COVER_NOTE,
  CVS_DIFF,
  FORMAT_PATCH_FILE,
  GIT_IDS,
  INBODY_MAIL,
  INLINE_REPLY,
  L,
  PATCH_MAIL,
  PATCH_MAIL_SUBJECT,
  QUOTING_REPLY,
  SCISSORS_MAIL,
  SIMPLE_DIFF,
  UNIFIED_DIFF,
} from "./fixtures";

describe("mailinfo building blocks", () => {
  it("cleans subjects like mailinfo", () => {
    expect(mailinfoSubject("[PATCH v3 2/5] mmc: core: x")).toBe("mmc: core: x");
    expect(mailinfoSubject("Re: [PATCH] [RFC]  mmc:   x ")).toBe("mmc: x");
    expect(mailinfoSubject("RE: re: [PATCH net-next v2 1/3] net: y")).toBe("net: y");
    // mailinfo leaves other reply markers and inner brackets alone
    expect(mailinfoSubject("Aw: [PATCH] z")).toBe("Aw: [PATCH] z");
    expect(mailinfoSubject("[PATCH] fix [bug] here")).toBe("fix [bug] here");
  });

  it("recognizes patch breaks", () => {
    for (const l of ["---", "--- ", "---\t", "--- a/file.c", "diff --git a/x b/x", "diff -u x y", "Index: x"]) expect(isPatchBreak(l), l).toBe(true);
    for (const l of ["--", "----", "---x", "--- ", "-- ", "diff", "Index:x"].slice(0, 7)) if (l !== "--- ") expect(isPatchBreak(l), l).toBe(false);
  });

  it("recognizes scissors lines like mailinfo", () => {
    for (const l of ["-- >8 --", "--8<----", "----- >8 ----- cut here -----", "-- %< --", "  -- >8 --  "]) expect(isScissorsLine(l), l).toBe(true);
    for (const l of ["-- >8", ">8", "some text -- >8 -- with a lot more words around it", "--------"]) expect(isScissorsLine(l), l).toBe(false);
  });

  it("finds the trailer block by git's rules", () => {
    const lines = ["Text.", "", "Fixes: abc (\"x\")", "Link: https://x", "  /continued", "[ukl: fixed]", "Signed-off-by: A <a@b>"];
    const tb = findTrailerBlock(lines, 0, lines.length)!;
    expect(tb.range).toEqual({ start: 2, end: 7 });
    expect(tb.trailers.map((t) => [t.key, t.value, t.line, t.endLine])).toEqual([
      ["Fixes", 'abc ("x")', 2, 3],
      ["Link", "https://x /continued", 3, 5],
      [null, "[ukl: fixed]", 5, 6],
      ["Signed-off-by", "A <a@b>", 6, 7],
    ]);
    expect(findTrailerBlock(["Text.", "", "Just a closing sentence: really."], 0, 3)).toBeNull();
    // mostly prose without a recognized trailer: not a block
    expect(findTrailerBlock(["Note: one", "two", "three", "four", "five"], 0, 5)).toBeNull();
  });
});

describe("splitPatchMail", () => {
  it("splits a format-patch mail into its parts", () => {
    const m = splitPatchMail({ subject: PATCH_MAIL_SUBJECT, body: PATCH_MAIL });
    expect(m.kind).toBe("patch");
    expect(m.isPatch).toBe(true);
    expect(m.inline).toBe(false);
    expect(m.title).toBe("mmc: core: report power-up failures");
    expect(m.commitMessage.split("\n")[0]).toBe("Power-up failures were silently returned. Report them, so that");
    expect(m.commitMessage.endsWith("Signed-off-by: John Roe <john@example.org>")).toBe(true);
    expect(m.trailers.map((t) => [t.key, t.value])).toEqual([
      ["Fixes", '0123456789ab ("mmc: core: add mmc_start()")'],
      ["Reported-by", "Jane Doe <jane@example.org>"],
      ["Closes", "https://lore.kernel.org/r/ 20240101.abcdef@example.org"],
      [null, "[ulf: reworded the message]"],
      ["Signed-off-by", "John Roe <john@example.org>"],
    ]);
    expect(m.notes).toBe("v3: print the error once\nv2: https://lore.kernel.org/r/v2@example.org");
    expect(m.diffstat?.entries.map((e) => e.path)).toEqual(["drivers/mmc/core/core.c", "README"]);
    expect(m.diffstatMismatches).toEqual([]);
    expect(m.diff?.files).toHaveLength(2);
    expect(patchId(m.diff!)).toBe(GIT_IDS.SIMPLE_DIFF.stable);
    expect(m.afterDiff).toBe("base-commit: 0123456789abcdef0123456789abcdef01234567");
    expect(m.signature).toBe("2.43.0");
    const lines = PATCH_MAIL.split("\n");
    expect(m.parts.message).toEqual({ start: 0, end: 9 });
    expect(m.parts.trailers).toEqual({ start: 3, end: 9 });
    expect(lines[m.parts.separator!]).toBe("---");
    expect(m.parts.notes).toEqual({ start: 10, end: 12 });
    expect(m.parts.diffstat).toEqual({ start: 13, end: 16 });
    expect(lines[m.parts.diff!.start]).toMatch(/^diff --git/);
    expect(lines[m.parts.signature!.start]).toBe("-- ");
    expect(m.parts.patch).toEqual({ start: 9, end: lines.length - 1 });
    // diff line indexes point into the body
    const first = m.diff!.files[0].hunks[0].lines[0];
    expect(lines[first.line]).toBe(" " + first.text);
  });

  it("uses in-body From:/Date:/Subject: (with a continuation line)", () => {
    const m = splitPatchMail({ subject: "[PATCH] forwarded", body: INBODY_MAIL });
    expect(m.inBodyFrom).toBe("Original Author <orig@example.org>");
    expect(m.inBodyDate).toBe("Mon, 1 Jan 2024 10:00:00 +0100");
    expect(m.inBodySubject).toBe("[PATCH] mmc: host: fix the wrapped subject");
    expect(m.title).toBe("mmc: host: fix the wrapped subject");
    expect(m.commitMessage).toBe("The body.\n\nSigned-off-by: Original Author <orig@example.org>");
    expect(m.parts.inBodyHeaders).toEqual({ start: 0, end: 4 });
    expect(m.kind).toBe("patch");
  });

  it("honours a scissors line: what is above it is dropped", () => {
    const m = splitPatchMail({ subject: "Re: [PATCH] mmc: core: power up", body: SCISSORS_MAIL });
    expect(m.parts.scissors).toBe(5);
    expect(m.title).toBe("mmc: core: retry power up");
    expect(m.commitMessage).toBe("Retry once.\n\nSigned-off-by: John Roe <john@example.org>");
    expect(m.kind).toBe("patch");
    expect(m.isPatch).toBe(true);
    // without scissors (plain git am), the reply text is the message
    const plain = splitPatchMail({ subject: "Re: [PATCH] mmc: core: power up", body: SCISSORS_MAIL }, { scissors: false });
    expect(plain.commitMessage.startsWith("On Tue")).toBe(true);
  });

  it("a reply that quotes a diff is not a patch", () => {
    const m = splitPatchMail({ subject: "Re: [PATCH] mmc: core: x", body: QUOTING_REPLY });
    expect(m.kind).toBe("quoted");
    expect(m.isPatch).toBe(false);
    expect(m.diff).toBeNull();
    expect(isPatchMail({ subject: "Re: [PATCH] mmc: core: x", body: QUOTING_REPLY })).toBe(false);
  });

  it("an Outlook-style top-posted reply over the original patch is not a patch", () => {
    const body = L(
      "Any more comments regarding this patch?",
      "",
      "-----Original Message-----",
      "From: John Roe ",
      "Sent: Monday, 16 January 2023 15:38",
      "To: linux-mmc@vger.kernel.org",
      "Subject: [PATCH] mmc: core: report power-up failures",
      "",
      "Report them.",
      "",
      "Signed-off-by: John Roe <john@example.org>",
      "---",
      ...SIMPLE_DIFF.trimEnd().split("\n"),
    );
    const m = splitPatchMail({ subject: "RE: [PATCH] mmc: core: report power-up failures", body });
    expect(m.kind).toBe("quoted");
    expect(m.isPatch).toBe(false);
    // the same without the "Original Message" line
    const m2 = splitPatchMail({ subject: "RE: [PATCH] x", body: body.replace("-----Original Message-----\n", "") });
    expect(m2.kind).toBe("quoted");
  });

  it("a diff pasted into a reply after prose is an inline diff, not a patch", () => {
    const m = splitPatchMail({ subject: "Re: [PATCH] mmc: core: x", body: INLINE_REPLY });
    expect(m.kind).toBe("inline");
    expect(m.inline).toBe(true);
    expect(m.isPatch).toBe(false);
    expect(m.diff?.files).toHaveLength(2);
    // the text after the diff is not the diff's
    expect(m.afterDiff).toBe("Thanks,\nJane");
    // same without quotes: a reply subject and no sign-off
    const noQuote = INLINE_REPLY.split("\n").slice(2).join("\n");
    expect(splitPatchMail({ subject: "Re: [PATCH] x", body: noQuote }).kind).toBe("inline");
    // "something like this:" right before the diff, even without Re:
    expect(splitPatchMail({ subject: "mmc: question", body: noQuote }).kind).toBe("inline");
  });

  it("takes the patch from an attachment when the body is a cover note", () => {
    const input = {
      subject: "[PATCH] mmc: core: report power-up failures",
      body: COVER_NOTE,
      attachments: [
        { filename: "signature.asc", contentType: "application/pgp-signature", text: null },
        { filename: "0001-mmc-core-report.patch", contentType: "text/x-patch", text: FORMAT_PATCH_FILE },
      ],
    };
    const m = splitPatchMail(input);
    expect(m.kind).toBe("attachment");
    expect(m.isPatch).toBe(true);
    expect(m.source).toEqual({ part: "attachment", index: 1, filename: "0001-mmc-core-report.patch" });
    expect(m.inBodyFrom).toBe("John Roe <john@example.org>");
    expect(m.title).toBe("mmc: core: report power-up failures");
    expect(m.commitMessage).toBe("Report them.\n\nSigned-off-by: John Roe <john@example.org>");
    expect(m.coverNote).toBe(COVER_NOTE.trimEnd());
    expect(m.diffstat?.entries).toHaveLength(2);
    expect(m.signature).toBe("2.43.0");
    expect(patchId(m.diff!)).toBe(GIT_IDS.SIMPLE_DIFF.stable);
    expect(isPatchMail(input)).toBe(true);
  });

  it("takes the message from the body when the attachment is a bare diff", () => {
    const body = L("elf: do not version __RLD_MAP", "", "The symbol is part of the ABI.", "", "2011-12-05  A Person  <a@example.org>", "", "\t* elf-bfd.h: Add field.");
    const m = splitPatchMail({ subject: "[PATCH] elf: RLD_MAP", body, attachments: [{ filename: "dd-2.patch", contentType: "text/plain", text: CVS_DIFF }] });
    expect(m.kind).toBe("attachment");
    expect(m.commitMessage.startsWith("elf: do not version")).toBe(true);
    expect(m.diff?.format).toBe("index");
    expect(m.coverNote).toBeNull();
  });

  it("a reply with quotes that attaches a diff is a suggestion", () => {
    const m = splitPatchMail({
      subject: "Re: [PATCH] x",
      body: L("> does it work?", "", "Try the attached."),
      attachments: [{ filename: "fix.diff", contentType: "text/x-diff", text: UNIFIED_DIFF }],
    });
    expect(m.kind).toBe("inline");
    expect(m.isPatch).toBe(false);
  });

  it("splits a patch without --- separator (diff right after the message)", () => {
    const body = L("Adjust the loop.", "", "Signed-off-by: J <j@x>", "", ...UNIFIED_DIFF.trimEnd().split("\n"));
    const m = splitPatchMail({ subject: "[PATCH] mm: loop", body });
    expect(m.kind).toBe("patch");
    expect(m.parts.separator).toBeNull();
    expect(m.notes).toBeNull();
    expect(m.diff?.format).toBe("unified");
    expect(m.commitMessage).toBe("Adjust the loop.\n\nSigned-off-by: J <j@x>");
  });

  it("a pull request with a diff is a pull request, not a patch", () => {
    const body = L(
      "The following changes since commit e10117d36ef758da0690c95ecffc09d5dd7da479:",
      "",
      "  mmc: core: something (2024-01-01 10:00:00 +0100)",
      "",
      "are available in the Git repository at:",
      "",
      "  git://git.example.org/mmc.git tags/mmc-v6.8",
      "",
      "for you to fetch changes up to 0123456789abcdef0123456789abcdef01234567:",
      "",
      "----------------------------------------------------------------",
      "John Roe (1):",
      "      mmc: core: report power-up failures",
      "",
      " drivers/mmc/core/core.c | 3 ++-",
      " README                  | 2 +-",
      " 2 files changed, 3 insertions(+), 2 deletions(-)",
      ...SIMPLE_DIFF.trimEnd().split("\n"),
    );
    const m = splitPatchMail({ subject: "[GIT PULL] MMC fixes for v6.8", body });
    expect(m.kind).toBe("pull-request");
    expect(m.isPatch).toBe(false);
    expect(m.diff?.files).toHaveLength(2);
  });

  it("survives attachments without text", () => {
    const m = splitPatchMail({
      subject: "[PATCH] x",
      body: "",
      attachments: [{ filename: null, contentType: "application/octet-stream", text: undefined as unknown as null }],
    });
    expect(m.kind).toBe("none");
  });

  it("a cover letter has no diff", () => {
    const body = L("This series does things.", "", "John Roe (2):", "  a: b", "  c: d", "", " a.c | 2 +-", " b.c | 1 +", " 2 files changed, 2 insertions(+), 1 deletion(-)", "", "-- ", "2.43.0");
    const m = splitPatchMail({ subject: "[PATCH 0/2] things", body });
    expect(m.kind).toBe("none");
    expect(m.diff).toBeNull();
    expect(m.isPatch).toBe(false);
  });

  it("handles CRLF bodies", () => {
    const m = splitPatchMail({ subject: PATCH_MAIL_SUBJECT, body: PATCH_MAIL.replace(/\n/g, "\r\n") });
    expect(m.kind).toBe("patch");
    expect(patchId(m.diff!)).toBe(GIT_IDS.SIMPLE_DIFF.stable);
    expect(m.signature).toBe("2.43.0");
  });

  it("notes after the diffstat are notes too", () => {
    const body = L("Msg.", "", "Signed-off-by: J <j@x>", "---", " README | 2 +-", " 1 file changed, 1 insertion(+), 1 deletion(-)", "", "Changes in v2:", "- fixed", "", ...SIMPLE_DIFF.trimEnd().split("\n").slice(14));
    const m = splitPatchMail({ subject: "[PATCH v2] readme", body });
    expect(m.diffstat?.entries[0].path).toBe("README");
    expect(m.notes).toBe("Changes in v2:\n- fixed");
    expect(m.diffstatMismatches).toEqual([]);
  });

  describe("patch or inline: cases from the list", () => {
    const diff = SIMPLE_DIFF.trimEnd().split("\n");
    it("a patch whose message quotes a discussion is still a patch", () => {
      const body = L("Ulf suggested it:", "", "On Fri, Nov 15, 2019 at 10:27 AM Ulf Hansson wrote:", " -- snip --", " enable it for all variants", "", "Signed-off-by: E R <e@x>", "---", ...diff);
      expect(splitPatchMail({ subject: "[PATCH v2] mmc: tmio: add a cap", body }).kind).toBe("patch");
    });
    it("quotes in the notes below --- do not make a reply", () => {
      const body = L("Fix the build.", "", "Signed-off-by: U K <u@x>", "---", "On Fri, Feb 05, 2021 Greg wrote:", "> Can you send a patch?", "", "Sure.", "", ...diff);
      expect(splitPatchMail({ subject: "[PATCH] coresight: fix merge", body }).kind).toBe("patch");
    });
    it("an [RFC][PATCH] posted in reply style without a sign-off is a patch", () => {
      const body = L("On Wed, Sep 02, 2020 Ulf Hansson wrote:", "> notifiers...", "", "Anyway, the below should 'work', I think.", "", "---", ...diff);
      expect(splitPatchMail({ subject: "[RFC][PATCH] cpu_pm: remove RCU abuse", body }).kind).toBe("patch");
    });
    it("a new version sent as a reply (Re:, signed off, no quotes) is a patch", () => {
      const body = L("Add the vendor ID.", "", "Signed-off-by: B C <b@x>", "", ...diff);
      expect(splitPatchMail({ subject: "Re: [PATCH v3 2/3] PCI: add an ID", body }).kind).toBe("patch");
    });
    it("a reply with a scissors line and a bare diff below it is a suggestion", () => {
      const body = L("> it hangs on boot", "", "Could you please test the below diff?", "", "--- >8 ---", "", ...diff);
      const m = splitPatchMail({ subject: "Re: [PATCH v16 08/40] gpu: host1x: add PM", body });
      expect(m.parts.scissors).toBe(4);
      expect(m.kind).toBe("inline");
    });
    it("a reply with a scissors line and a format-patch below it is a patch, From line included", () => {
      const body = L("Applied with some adjustments.", "", "----- 8< -----", ...FORMAT_PATCH_FILE.trimEnd().split("\n"));
      const m = splitPatchMail({ subject: "Re: [PATCH 2/2] mmc: core: report", body });
      expect(m.kind).toBe("patch");
      expect(m.inBodyFrom).toBe("John Roe <john@example.org>");
      expect(m.inBodyDate).toBe("Tue, 2 Jan 2024 10:00:00 +0100");
      expect(m.title).toBe("mmc: core: report power-up failures");
      expect(m.commitMessage).toBe("Report them.\n\nSigned-off-by: John Roe <john@example.org>");
      expect(m.parts.inBodyHeaders).toEqual({ start: 3, end: 7 });
    });
  });
});

