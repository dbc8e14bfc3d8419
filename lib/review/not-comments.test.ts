// Review comments that are comments: pings, link-only fragments and mutt's attachment markers do not
// become comments (so no open discussion, no anchor on code), and every comment keeps the quote it
// answers. Small synthetic mails.
import { describe, expect, it } from "vitest";
import { anchorComments, anchorReply, commentQuote, isAttachmentMarker, isLinkOnly, isPing, threadAnchor, type DiffAnchor } from "./anchor";
import { analyzeReply } from "./analyze";

const q = (text: string, depth = 1) =>
  text
    .split("\n")
    .map((l) => (l === "" ? ">".repeat(depth) : `${"> ".repeat(depth)}${l}`))
    .join("\n");

const PATCH = `Make frob() return an error instead of crashing.

Signed-off-by: Ada Author <ada@example.org>
---
 drivers/frob.c | 4 +++-
 1 file changed, 3 insertions(+), 1 deletion(-)

diff --git a/drivers/frob.c b/drivers/frob.c
index 1111111..2222222 100644
--- a/drivers/frob.c
+++ b/drivers/frob.c
@@ -10,7 +10,9 @@ static int frob(struct device *dev)
 	struct frob *f = dev_get_drvdata(dev);
 
-	BUG_ON(!f);
+	if (!f)
+		return -ENODEV;
+
 	frob_start(f);
 	return 0;
 }
`;
const quotedPatch = q(PATCH.trimEnd());
const ctx = { patch: { body: PATCH } };

describe("pings are not comments", () => {
  it.each([
    "Gentle ping.",
    "ping",
    "Ping?",
    "Hi Greg,\n\ngentle ping on this series.",
    "Friendly ping for this patch",
    "Any comments on this?",
    "Any comments on this patch?",
    "Friendly reminder.",
    "Just a gentle reminder about this series.",
    "Gentle ping.\n\nAny feedback?",
    "Could someone please take a look at this?",
    "Ping^2",
  ])("%j", (text) => expect(isPing(text)).toBe(true));

  it.each([
    "ping the watchdog here before sleeping",
    "Any comments on this lock ordering? It looks inverted to me.",
    "Gentle ping.\n\nAlso, frob_start() can fail too.",
    "This needs a reminder in the documentation.",
  ])("not a ping: %j", (text) => expect(isPing(text)).toBe(false));

  it("the author's top-posted ping above the quoted patch opens nothing", () => {
    const reply = `Gentle ping.\n\nOn Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch}\n`;
    const r = analyzeReply(reply, ctx);
    expect(r.comments).toEqual([]);
  });

  it("a ping under the whole quoted patch is not anchored to its last line", () => {
    const reply = `On Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch}\n\nAny comments on this?\n\nThanks,\nAda\n`;
    expect(anchorComments({ body: PATCH }, reply)).toEqual([]);
  });

  it("a real comment in the same reply stays, with its anchor", () => {
    const reply = `Friendly reminder.\n\nOn Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch.split("\n").slice(0, 17).join("\n")}\n\nCan f really be NULL here?\n`;
    const cs = analyzeReply(reply, ctx).comments;
    expect(cs.map((c) => c.text)).toEqual(["Can f really be NULL here?"]);
    expect((cs[0].anchor as DiffAnchor).patchText).toBe("+\t\treturn -ENODEV;");
  });
});

describe("link-only fragments are not comments", () => {
  it.each([
    "https://lore.kernel.org/all/20230301.1234-1-ada@example.org/",
    "<20230301.1234-1-ada@example.org>",
    "Message-ID: <20230301.1234-1-ada@example.org>",
    "[1] https://bugzilla.kernel.org/show_bug.cgi?id=1\n[2] https://lore.kernel.org/r/abc@x.org",
    "Link: https://lore.kernel.org/r/abc@x.org",
  ])("%j", (text) => expect(isLinkOnly(text)).toBe(true));

  it("a link with words around it is a comment", () => {
    expect(isLinkOnly("See https://lore.kernel.org/r/abc@x.org for why this breaks arm64.")).toBe(false);
  });

  it("a reply whose fragments are a link and a Message-ID keeps only its real comment", () => {
    const reply = [
      "On Mon, 6 Mar 2023 at 10:12, Ada Author wrote:",
      quotedPatch.split("\n").slice(0, 15).join("\n"),
      "",
      "https://lore.kernel.org/all/20230301.1234-1-ada@example.org/",
      "",
      q(quotedPatch.split("\n").slice(15, 18).join("\n").replace(/^> /gm, ""), 1),
      "",
      "<20230301.1234-1-ada@example.org>",
      "",
      q(" \tfrob_start(f);"),
      "",
      "frob_start() can fail too.",
      "",
    ].join("\n");
    const cs = analyzeReply(reply, ctx).comments;
    expect(cs.map((c) => c.text)).toEqual(["frob_start() can fail too."]);
    expect((cs[0].anchor as DiffAnchor).patchText).toBe(" \tfrob_start(f);");
  });
});

describe("mutt's attachment markers are not comments", () => {
  it.each(["[-- Attachment #1 --]", "[-- Attachment #2: signature.asc --]", "[-- Type: application/pgp-signature, Size: 488 bytes --]"])("%j", (l) =>
    expect(isAttachmentMarker(l)).toBe(true),
  );

  it("markers around a reply leave its comment alone", () => {
    const reply = [
      "[-- Attachment #1: Type: text/plain, Encoding: 7bit, Size: 1.2K --]",
      "",
      "On Mon, 6 Mar 2023 at 10:12, Ada Author wrote:",
      quotedPatch.split("\n").slice(0, 17).join("\n"),
      "",
      "Can f really be NULL here?",
      "",
      "[-- Attachment #2: signature.asc --]",
      "[-- Type: application/pgp-signature, Size: 488 bytes --]",
      "",
    ].join("\n");
    const cs = analyzeReply(reply, ctx).comments;
    expect(cs.map((c) => c.text)).toEqual(["Can f really be NULL here?"]);
    expect(cs[0].anchor?.part).toBe("diff");
  });

  it("a reply that is only markers has no comments", () => {
    expect(analyzeReply("[-- Attachment #1 --]\n\n[-- Attachment #2: signature.asc --]\n", ctx).comments).toEqual([]);
  });
});

describe("a comment keeps the quote it answers", () => {
  it("the nearest quoted paragraph above a fragment, its last lines", () => {
    const reply = [
      "On Tue, 7 Mar 2023, Ivo Reviewer wrote:",
      "> Shouldn't we also handle the case where the device",
      "> is already suspended when frob() is called?",
      "",
      "That doesn't work today anyhow.",
      "",
    ].join("\n");
    const [c] = anchorComments({ body: PATCH }, reply);
    expect(c.text).toBe("That doesn't work today anyhow.");
    expect(c.quote).toEqual(["Shouldn't we also handle the case where the device", "is already suspended when frob() is called?"]);
  });

  it("a few lines, the last paragraph only, elisions and greetings skipped, deeper levels marked", () => {
    const reply = [
      "> First paragraph, not the one answered.",
      ">",
      "> > Nested: what the patch author said.",
      "> one",
      "> two",
      "> three",
      "> four",
      "> [...]",
      "",
      "Hi,",
      "",
      "Answer.",
    ].join("\n");
    const [c] = anchorComments({ body: PATCH }, reply);
    expect(c.text).toBe("Answer.");
    expect(c.quote).toEqual(["one", "two", "three", "four"]);
    expect(commentQuote(reply, 11, 5)).toEqual(["> Nested: what the patch author said.", "one", "two", "three", "four"]);
  });

  it("a top-posted comment has none; the quoted patch lines answer an inline one", () => {
    const top = analyzeReply(`Looks fine.\n\nOn Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch}\n`, ctx).comments;
    expect(top.map((c) => c.quote)).toEqual([undefined]);
    const inline = analyzeReply(`On Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch.split("\n").slice(0, 17).join("\n")}\n\nCan f really be NULL here?\n`, ctx).comments;
    // (a blank context line ends the quoted paragraph like a blank line)
    expect(inline[0].quote).toEqual(["-\tBUG_ON(!f);", "+\tif (!f)", "+\t\treturn -ENODEV;"]);
  });

  it("an answer to a review keeps the reviewer's words; threading skips the ping", () => {
    const review = `On Mon, 6 Mar 2023 at 10:12, Ada Author wrote:\n${quotedPatch.split("\n").slice(0, 17).join("\n")}\n\nCan f really be NULL here?\n`;
    const parent = analyzeReply(review, ctx).comments;
    const answer = [
      "Gentle ping.",
      "",
      "On Tue, 7 Mar 2023, Ivo Reviewer wrote:",
      q("+\t\treturn -ENODEV;", 2),
      ">",
      "> Can f really be NULL here?",
      "",
      "Yes, when probe failed half way.",
    ].join("\n");
    const cs = threadAnchor(parent, answer);
    expect(cs.map((c) => [c.text, c.inReplyTo, c.quote])).toEqual([["Yes, when probe failed half way.", 0, ["Can f really be NULL here?"]]]);
    expect(anchorReply(answer, { ...ctx, parentComments: parent }).map((c) => c.inReplyTo)).toEqual([0]);
  });
});
