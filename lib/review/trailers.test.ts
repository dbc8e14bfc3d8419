// Trailer collection, modeled on b4's trailer samples (../shared/fixtures/b4/samples: simple,
// extinfo, followup-single, bare-address, htmljunk, name-parens, nore, with-cover, partial-reroll,
// custody) with mails written here.
import { describe, expect, it } from "vitest";
import {
  attributeTrailers,
  collectTrailers,
  collectTrailersDetailed,
  isReviewTrailer,
  isTrailerReply,
  sameAddress,
  trailerKey,
  standingVerdicts,
  strongestVerdict,
  verdictOf,
  weighVerdicts,
  type Trailer,
  type TrailerMessage,
} from "./trailers";

const PATCH = `The gizmo core read the status register before the clock was on.
Enable the clock first.

Reported-by: "Lind, Eva" <eva.lind@example.se>
Reviewed-by: Piet de Boer <piet@example.nl>
Fixes: 0123456789ab ("gizmo: read status at probe")
Link: https://lore.example.org/r/status@example.se
Signed-off-by: Noor Haddad <noor@example.com>
---
 drivers/gizmo/core.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/gizmo/core.c b/drivers/gizmo/core.c
index 1111111..2222222 100644
--- a/drivers/gizmo/core.c
+++ b/drivers/gizmo/core.c
@@ -10,3 +10,3 @@ static int gizmo_probe(struct device *dev)
 	clk_enable(g->clk);
-	status = readl(g->base);
+	status = readl(g->base + STATUS);
 	return 0;
-- 
2.40.0
`;

const kinds = (ts: Trailer[]) => ts.map((t) => `${t.kind}: ${t.value}`);

describe("commit-message trailers (b4 get_body_parts)", () => {
  it("reads the last paragraph above ---: people, Fixes, Link", () => {
    const ts = collectTrailers(PATCH, { source: "commit-message" });
    expect(kinds(ts)).toEqual([
      'Reported-by: "Lind, Eva" <eva.lind@example.se>',
      "Reviewed-by: Piet de Boer <piet@example.nl>",
      'Fixes: 0123456789ab ("gizmo: read status at probe")',
      "Link: https://lore.example.org/r/status@example.se",
      "Signed-off-by: Noor Haddad <noor@example.com>",
    ]);
    expect(ts[0].person).toEqual({ name: "Lind, Eva", address: "eva.lind@example.se" });
    expect(ts[2]).toMatchObject({ commit: "0123456789ab", subject: "gizmo: read status at probe" });
    expect(ts[3].url).toBe("https://lore.example.org/r/status@example.se");
    expect(ts[3].person).toBeUndefined();
    expect(ts.every((t) => t.source === "commit-message" && !t.mismatch && t.inQuote === false)).toBe(true);
    expect(ts[0]).toMatchObject({ line: 3, endLine: 4 });
  });

  it("keeps extra info with its trailer: [bracketed] lines, # comments, indented continuations, wrapped values", () => {
    const body = `Extinfo test.

Reported-by: Some, One <some.one@example.com>
Reviewed-by: Piet de Boer <piet@example.nl>
[for the register parts]
Fixes: abcdef0123456789 ("gizmo: a subject that the
sender wrapped")
Tested-by: Eva Lind <eva.lind@example.se>
           [on two boards]
Link: https://lore.example.org/r/first@example.se  # first posting
Signed-off-by: Wrapped Name
<wrapped@example.com>
---
diff --git a/x b/x
`;
    const ts = collectTrailers(body, { source: "commit-message" });
    expect(ts.map((t) => [t.kind, t.value, t.comment ?? null])).toEqual([
      ["Reported-by", "Some, One <some.one@example.com>", null],
      ["Reviewed-by", "Piet de Boer <piet@example.nl>", "[for the register parts]"],
      ["Fixes", 'abcdef0123456789 ("gizmo: a subject that the sender wrapped")', null],
      ["Tested-by", "Eva Lind <eva.lind@example.se>", "[on two boards]"],
      ["Link", "https://lore.example.org/r/first@example.se", "# first posting"],
      ["Signed-off-by", "Wrapped Name <wrapped@example.com>", null],
    ]);
    expect(ts[2]).toMatchObject({ commit: "abcdef0123456789", subject: "gizmo: a subject that the sender wrapped", line: 5, endLine: 7 });
    expect(ts[5].person).toEqual({ name: "Wrapped Name", address: "wrapped@example.com" });
  });

  it("refuses a Fixes without a hex commit id and canonicalises key case", () => {
    const r = collectTrailersDetailed("Msg.\n\nFixes: the crash on resume\nREVIEWED-BY: Piet de Boer <piet@example.nl>\ncc: Eva Lind <eva.lind@example.se>\n", { source: "commit-message" });
    expect(r.rejected).toMatchObject([{ key: "Fixes", reason: "Fixes without a hex commit id" }]);
    expect(r.trailers.map((t) => [t.kind, t.key])).toEqual([
      ["Reviewed-by", "REVIEWED-BY"],
      ["Cc", "cc"],
    ]);
  });
});

describe("reply trailers (b4 find_trailers followup rules)", () => {
  const from = { name: "Piet de Boer", address: "piet@example.nl" };

  it("takes the replier's own trailers, not quoted ones, not after the signature", () => {
    const body = `On Tue, 30 Aug 2022 11:19:07 -0400, Noor Haddad wrote:
> Enable the clock first.
>
> Reviewed-by: Someone Else <someone@example.org>

Reviewed-by: Piet de Boer <piet@example.nl>

-- 
Tested-by: Piet de Boer <piet@example.nl>
`;
    const ts = collectTrailers(body, { source: "reply", from });
    expect(kinds(ts)).toEqual(["Reviewed-by: Piet de Boer <piet@example.nl>"]);
    expect(ts[0]).toMatchObject({ source: "reply", mismatch: false, inQuote: false, line: 5, endLine: 6, person: { name: "Piet de Boer", address: "piet@example.nl" } });
  });

  it("flags a person trailer naming someone else, accepts a matching address under another display name", () => {
    const mism = collectTrailers("> x\n\nReviewed-by: Piet Other <piet@example.net>\n", { source: "reply", from });
    expect(mism[0]).toMatchObject({ mismatch: true, sender: from });
    // same address, other name ("Coverletter Reviewer1" in b4's samples), "(corporate)" and "Last, First" forms
    expect(collectTrailers("Acked-by: P. de Boer (corporate) <piet@example.nl>\n", { source: "reply", from })[0].mismatch).toBe(false);
    expect(collectTrailers("Tested-by: Boer, Piet de <piet+lkml@example.nl>\n", { source: "reply", from })[0].mismatch).toBe(false);
    // same name, another address: b4 accepts on the name
    expect(collectTrailers("Acked-by: Piet de Boer <pdb@elsewhere.example>\n", { source: "reply", from })[0].mismatch).toBe(false);
    expect(sameAddress("piet@mail.example.nl", "piet@example.nl")).toBe(true);
    expect(sameAddress("piet@example.nl", "pete@example.nl")).toBe(false);
  });

  it("needs an address on person trailers, cleans HTML mailto junk, fills a bare address with the sender's name", () => {
    const body = `Reviewed-by: Piet de Boer <piet@example.nl<mailto:piet@example.nl>>
Acked-by: Piet de Boer
Tested-by: piet@example.nl
Note: see https://example.org/x
Link: https://bugs.example.org/123
Cc: Eva Lind <eva.lind@example.se>
Fixes: 0123456789ab ("gizmo: read status at probe")
`;
    const r = collectTrailersDetailed(body, { source: "reply", from });
    expect(kinds(r.trailers)).toEqual([
      "Reviewed-by: Piet de Boer <piet@example.nl>",
      "Tested-by: piet@example.nl",
      "Link: https://bugs.example.org/123",
      'Fixes: 0123456789ab ("gizmo: read status at probe")',
    ]);
    expect(r.trailers[1].person).toEqual({ name: "Piet de Boer", address: "piet@example.nl" });
    expect(r.rejected.map((x) => x.key)).toEqual(["Acked-by", "Note", "Cc"]);
  });

  it("does not take trailers quoted without '>' under an Outlook header block", () => {
    const body = `Acked-by: Piet de Boer <piet@example.nl>

-----Original Message-----
From: Noor Haddad <noor@example.com>
Sent: Tuesday, August 30, 2022 5:19 PM
To: list@example.org
Subject: [PATCH] gizmo: enable the clock first

Enable the clock first.

Signed-off-by: Noor Haddad <noor@example.com>
`;
    expect(kinds(collectTrailers(body, { source: "reply", from }))).toEqual(["Acked-by: Piet de Boer <piet@example.nl>"]);
  });

  it("takes the trailers of a patch pasted into the reply (as b4 does): its in-body header is no quote", () => {
    const body = `> old line\n\nWhat about this instead:\n\nFrom 1234567890abcdef1234567890abcdef12345678 Mon Sep 17 00:00:00 2001\nFrom: Piet de Boer <piet@example.nl>\nDate: Mon, 6 Sep 2021 13:18:53 +0200\nSubject: [PATCH] gizmo: simpler\n\nSimpler.\n\nSigned-off-by: Piet de Boer <piet@example.nl>\n---\n`;
    expect(kinds(collectTrailers(body, { source: "reply", from }))).toEqual(["Signed-off-by: Piet de Boer <piet@example.nl>"]);
  });

  it("stops at the first '-- ' line, even the one a pasted patch ends with", () => {
    const body = "Try this:\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n-- \n2.50.1\n\nAnd then:\n\nFixes: 0123456789ab (\"x: y\")\n";
    expect(collectTrailers(body, { source: "reply", from })).toEqual([]);
  });

  it("reads a robot's tag box below a line that speaks of tags, as trailers offered (not given to the patch)", () => {
    const bot = { name: "build bot", address: "bot@ci.example.org" };
    const body = `Hi Noor,

kernel build failed:

If you fix the issue in a separate patch (not a new version of this one), kindly add following tags
| Reported-by: build bot <bot@ci.example.org>
| Closes: https://ci.example.org/r/1234@example.org/

All errors:
>> drivers/gizmo/core.c:12:3: error: use of undeclared identifier 'STATUS'
`;
    const ts = collectTrailers(body, { source: "reply", from: bot });
    expect(kinds(ts)).toEqual(["Reported-by: build bot <bot@ci.example.org>", "Closes: https://ci.example.org/r/1234@example.org/"]);
    expect(ts[0]).toMatchObject({ offered: true, mismatch: false, line: 5, endLine: 6, person: { name: "build bot", address: "bot@ci.example.org" } });
    expect(ts[1]).toMatchObject({ offered: true, url: "https://ci.example.org/r/1234@example.org/" });
    // a trailer given plainly is not offered
    expect(collectTrailers("Reviewed-by: Piet de Boer <piet@example.nl>\n", { source: "reply", from })[0].offered).toBeUndefined();
  });

  it("leaves other '|' lines alone: no tag line above, a box with prose in it, text quoted with '|'", () => {
    const noLead = "Noor wrote:\n| Reviewed-by: Piet de Boer <piet@example.nl>\n";
    expect(collectTrailers(noLead, { source: "reply", from })).toEqual([]);
    const prose = "Please add these tags:\n| Reported-by: Piet de Boer <piet@example.nl>\n| and thanks for the fix\n";
    expect(collectTrailers(prose, { source: "reply", from })).toEqual([]);
    // the tag line must be right above the box
    const gap = "Please add these tags\n\n| Reported-by: Piet de Boer <piet@example.nl>\n";
    expect(collectTrailers(gap, { source: "reply", from })).toEqual([]);
    // commit messages have no tag boxes
    expect(collectTrailers("Fix it.\n\nkindly add following tags\n| Reported-by: Piet de Boer <piet@example.nl>\n---\n", { source: "commit-message" })).toEqual([]);
  });

  it("an offered trailer gives no verdict", () => {
    const body = "kindly add following tag\n| Tested-by: Piet de Boer <piet@example.nl>\n";
    expect(collectTrailers(body, { source: "reply", from })).toHaveLength(1);
    expect(verdictOf(body).verdict).toBeNull();
  });

  it("isReviewTrailer: people credited, not people addressed (Cc:) or trailers without a person", () => {
    const ts = collectTrailers(PATCH.replace("Link:", "Cc: Eva Lind <eva.lind@example.se>\nLink:"), { source: "commit-message" });
    expect(ts.filter(isReviewTrailer).map((t) => t.kind)).toEqual(["Reported-by", "Reviewed-by", "Signed-off-by"]);
    expect(ts.map((t) => t.kind)).toContain("Cc");
  });

  it("knows a reply the way b4 does", () => {
    expect(isTrailerReply({ subject: "Re: [PATCH] x", inReplyTo: "a@b", hasDiff: false, hasTrailers: false })).toBe(true);
    expect(isTrailerReply({ subject: "AW: [PATCH] x", inReplyTo: "a@b", hasDiff: false, hasTrailers: false })).toBe(true);
    // "nore": the Re: got lost, but it answers a message with a trailer and no diff
    expect(isTrailerReply({ subject: "[PATCH] x", inReplyTo: "a@b", hasDiff: false, hasTrailers: true })).toBe(true);
    expect(isTrailerReply({ subject: "[PATCH v2 2/3] x", inReplyTo: "a@b", hasDiff: true, hasTrailers: true })).toBe(false);
  });
});

describe("where reply trailers apply (b4 get_series)", () => {
  const rep = (msgid: string, inReplyTo: string, text: string, from: { name: string; address: string }): TrailerMessage => ({
    msgid,
    inReplyTo,
    references: [inReplyTo],
    isReply: true,
    hasDiff: false,
    trailers: collectTrailers(text, { source: "reply", from }),
  });
  const patch = (msgid: string, inReplyTo: string | null): TrailerMessage => ({ msgid, inReplyTo, references: inReplyTo ? [inReplyTo] : [], isReply: false, hasDiff: true, trailers: [] });
  const piet = { name: "Piet de Boer", address: "piet@example.nl" };
  const eva = { name: "Eva Lind", address: "eva.lind@example.se" };
  const msgs: TrailerMessage[] = [
    { msgid: "cover", inReplyTo: null, references: [], isReply: false, hasDiff: false, trailers: [] },
    patch("p1", "cover"),
    patch("p2", "cover"),
    rep("r1", "p2", "> hunk\n\nReviewed-by: Piet de Boer <piet@example.nl>\n", piet),
    // a reply to the reply: walks up to p2
    rep("r2", "r1", ">> hunk\n> Reviewed-by: Piet de Boer <piet@example.nl>\n\nTested-by: Eva Lind <eva.lind@example.se>\n", eva),
    // on the cover letter: every patch
    rep("r3", "cover", "> cover text\n\nAcked-by: Eva Lind <eva.lind@example.se>\n", eva),
    // a mismatch: not applied
    rep("r4", "p1", "Reviewed-by: Mallory <mallory@example.com>\n", eva),
  ];

  it("applies reply trailers to the patch, cover trailers to every patch, keeps mismatches apart", () => {
    const { perPatch, mismatches } = attributeTrailers(msgs, { cover: "cover", patches: ["p1", "p2"] });
    expect(perPatch.get("p1")!.map((t) => [trailerKey(t), t.via, t.msgid])).toEqual([["acked-by: eva lind <eva.lind@example.se>", "cover", "r3"]]);
    expect(perPatch.get("p2")!.map((t) => [trailerKey(t), t.via, t.msgid])).toEqual([
      ["reviewed-by: piet de boer <piet@example.nl>", "reply", "r1"],
      ["tested-by: eva lind <eva.lind@example.se>", "reply", "r2"],
      ["acked-by: eva lind <eva.lind@example.se>", "cover", "r3"],
    ]);
    expect(mismatches.map((t) => [t.msgid, t.value, t.sender?.address])).toEqual([["r4", "Mallory <mallory@example.com>", "eva.lind@example.se"]]);
  });

  it("does not apply a tag offered for a separate fix to the patch the robot answers", () => {
    const bot = { name: "build bot", address: "bot@ci.example.org" };
    const report = rep("rb", "p1", "kindly add following tags\n| Reported-by: build bot <bot@ci.example.org>\n", bot);
    expect(report.trailers).toHaveLength(1);
    const { perPatch, mismatches } = attributeTrailers([...msgs.slice(0, 3), report], { cover: "cover", patches: ["p1", "p2"] });
    expect(perPatch.get("p1")).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it("takes the nearest of the References when In-Reply-To is missing (not the cover letter)", () => {
    const noIrt: TrailerMessage = { ...rep("r5", "p1", "Acked-by: Piet de Boer <piet@example.nl>\n", piet), inReplyTo: null, references: ["cover", "p1"] };
    const { perPatch } = attributeTrailers([...msgs.slice(0, 3), noIrt], { cover: "cover", patches: ["p1", "p2"] });
    expect(perPatch.get("p1")!.map((t) => t.msgid)).toEqual(["r5"]);
    expect(perPatch.get("p2")).toEqual([]);
  });

  it("carries a trailer given on an earlier version of the same patch (same patch-id)", () => {
    const v1 = [patch("v1p1", null), rep("rv1", "v1p1", "Reviewed-by: Piet de Boer <piet@example.nl>\n", piet)];
    const v2 = [patch("v2p1", "v1p1")];
    const r = attributeTrailers([...v1, ...v2], { patches: ["v2p1"], patchIds: { v1p1: "abc", v2p1: "abc" } });
    expect(r.perPatch.get("v2p1")!.map((t) => [t.via, t.msgid])).toEqual([["patch-id", "rv1"]]);
    const changed = attributeTrailers([...v1, ...v2], { patches: ["v2p1"], patchIds: { v1p1: "abc", v2p1: "def" } });
    expect(changed.perPatch.get("v2p1")).toEqual([]);
    // forward only: a trailer on v2 does not go back to v1
    const back = attributeTrailers([patch("v1p1", null), patch("v2p1", "v1p1"), rep("rv2", "v2p1", "Reviewed-by: Piet de Boer <piet@example.nl>\n", piet)], {
      patches: ["v1p1"],
      patchIds: { v1p1: "abc", v2p1: "abc" },
      versionOf: { v1p1: 1, v2p1: 2 },
    });
    expect(back.perPatch.get("v1p1")).toEqual([]);
  });
});

describe("verdicts", () => {
  it.each([
    ["NAK.\n", "nak", 0],
    ["> +foo\n\nNACK, this breaks the ABI.\n", "nak", 2],
    ["Nack.\n", "nak", 0],
    ["I'm going to NAK this for now.\n", "nak", 0],
    ["Nacked-by: Piet de Boer <piet@example.nl>\n", "nak", 0],
    ["Acked-by: Piet de Boer <piet@example.nl>\nNAK on the second hunk though.\n", "nak", 1],
    ["Acked-by: Piet de Boer <piet@example.nl>\n", "ack", 0],
    ["Ack.\n", "ack", 0],
    ["Reviewed-by: Piet de Boer <piet@example.nl>\nTested-by: Piet de Boer <piet@example.nl>\n", "review", 0],
    ["Tested-by: Piet de Boer <piet@example.nl>\n", "test", 0],
  ] as const)("%j -> %s", (body, verdict, line) => {
    expect(verdictOf(body)).toEqual({ verdict, evidence: { line, text: body.split("\n")[line].trim() } });
  });

  it("is not fooled by quotes, words that hold 'nack', or a signature", () => {
    expect(verdictOf("> NAK\n\nI disagree with that.\n").verdict).toBeNull();
    expect(verdictOf("Time for a snack. Knacker.\n").verdict).toBeNull();
    expect(verdictOf("Looks fine.\n-- \nNAK\n").verdict).toBeNull();
    expect(verdictOf("nakedness of the struct\n").verdict).toBeNull();
  });
});

describe("verdictOf: a NAK mentioned is not a NAK given", () => {
  const v = (body: string) => verdictOf(body).verdict;
  it("gives NAK for NAK lines and trailers", () => {
    expect(v("This breaks accounting.\n\nNAK\n")).toBe("nak");
    expect(v("So NAK from me until the window is described.\n")).toBe("nak");
    expect(v("Nacked-by: Greta Lindqvist <greta@kernel.example>\n")).toBe("nak");
  });
  it("ignores withdrawn, promised, offered and quoted NAKs", () => {
    expect(v("Fix the unevictable case first and describe the\nwindow, and I'll drop the NAK on v2.\n")).toBeNull();
    expect(v("Withdrawing my NAK from v1:\n\nReviewed-by: Greta Lindqvist <greta@kernel.example>\n")).toBe("review");
    expect(v("Hope to see your Ack/NAK on this.\n")).toBeNull();
    expect(v("NAK withdrawn, thanks for the fix.\n")).toBeNull();
    expect(v('\tpr_err("mmc: NACK is got from card\\n");\n')).toBeNull();
  });
});

describe("a patch's verdict from its replies' verdicts", () => {
  const v = (verdict: "nak" | "ack" | "review" | "test", address: string, date: string | null) => ({ verdict, by: { address }, date });
  it("each reviewer's latest word stands: a NAK followed by the same person's Reviewed-by is withdrawn", () => {
    const nak = v("nak", "Carl@example.com", "2023-01-11T09:00:00.000Z");
    const back = v("review", "carl@example.com", "2023-01-12T09:00:00.000Z");
    expect(strongestVerdict([back, nak])).toBe("review"); // date order, whatever the order given
    expect(standingVerdicts([nak, back])).toEqual(new Set([back]));
    expect(strongestVerdict([nak, back, v("ack", "dana@example.net", "2023-01-10T00:00:00.000Z")])).toBe("ack");
    expect(strongestVerdict([nak, v("review", "dana@example.net", "2023-01-13T00:00:00.000Z")])).toBe("nak");
  });
  it("undated verdicts count as the oldest; verdicts without an address stand alone", () => {
    expect(strongestVerdict([v("review", "a@x", "2023-01-01T00:00:00.000Z"), v("nak", "a@x", null)])).toBe("review");
    expect(strongestVerdict([v("nak", "", null), v("review", "", "2023-01-02T00:00:00.000Z")])).toBe("nak");
  });
  it("weighVerdicts marks the shown verdicts that no longer stand, counting the cover letter's too", () => {
    const coverNak = v("nak", "erin@example.net", "2023-01-11T10:00:00.000Z");
    const onPatch = v("review", "erin@example.net", "2023-01-13T09:00:00.000Z");
    expect(weighVerdicts([onPatch], [coverNak])).toEqual({ verdicts: [onPatch], verdict: "review" });
    expect(weighVerdicts([coverNak], [onPatch])).toEqual({ verdicts: [{ ...coverNak, withdrawn: true }], verdict: "review" });
  });
});

describe("seriesVerdict and commitMessageVerdict", () => {
  it("a series is as reviewed as its best-reviewed patch, NAKed when any patch is", async () => {
    const { seriesVerdict } = await import("./trailers");
    expect(seriesVerdict(null, [null, "review", null])).toBe("review");
    expect(seriesVerdict("test", [null, null])).toBe("test");
    expect(seriesVerdict("ack", ["review", "nak"])).toBe("nak");
    expect(seriesVerdict(null, [null, null])).toBeNull();
  });
  it("a Reviewed-by, Acked-by or Tested-by in a commit message is a verdict; a Nacked-by or Signed-off-by is none", async () => {
    const { commitMessageVerdict } = await import("./trailers");
    expect(commitMessageVerdict("Reviewed-by")).toBe("review");
    expect(commitMessageVerdict("acked-by")).toBe("ack");
    expect(commitMessageVerdict("Tested-by")).toBe("test");
    expect(commitMessageVerdict("Nacked-by")).toBeNull();
    expect(commitMessageVerdict("Signed-off-by")).toBeNull();
  });
});
