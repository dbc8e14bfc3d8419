import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { detectPage } from "./detect";
import { parseLoreFlat } from "./lore";
import { synthesizePage } from "./synthesize";

// A small thread page in the lore /T/ text layout (written for this test). Page order is by date;
// the overview's order is the tree's: Bob's reply comes before patch 2/2 there.
export const LORE_PAGE = `linux-frob.vger.kernel.org archive mirror
 help / color / mirror / Atom feed
* [PATCH 0/2] frob: faster lookups
@ 2021-03-01 10:00 Alice Example
  2021-03-01 10:00 \` [PATCH 1/2] frob: add a cache Alice Example
                   \` (2 more replies)
  0 siblings, 2 replies; 5+ messages in thread
From: Alice Example @ 2021-03-01 10:00 UTC (permalink / raw)
  To: linux-frob; +Cc: Bob Builder

This series makes lookups faster.

Alice Example (2):
  frob: add a cache
  frob: use the cache

--
2.30.0


^ permalink raw reply	[flat|nested] 5+ messages in thread

* [PATCH 1/2] frob: add a cache
  2021-03-01 10:00 [PATCH 0/2] frob: faster lookups Alice Example
@ 2021-03-01 10:00 \` Alice Example
  2021-03-02  9:15   \` Bob Builder
  2021-03-01 10:00 \` [PATCH 2/2] frob: use the cache Alice Example
  1 sibling, 1 reply; 5+ messages in thread
From: Alice Example @ 2021-03-01 10:00 UTC (permalink / raw)
  To: linux-frob
  Cc: Bob Builder, Carol Coder,
	Dave Reviewer

Add a cache.

Signed-off-by: Alice Example <alice@example.org>
---
 frob.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/frob.c b/frob.c
index 1111111..2222222 100644
--- a/frob.c
+++ b/frob.c
@@ -1,3 +1,3 @@
 int a;
-int b;
+int cache;
 int c;
--
2.30.0


^ permalink raw reply related	[flat|nested] 5+ messages in thread

* [PATCH 2/2] frob: use the cache
  2021-03-01 10:00 [PATCH 0/2] frob: faster lookups Alice Example
  2021-03-01 10:00 \` [PATCH 1/2] frob: add a cache Alice Example
@ 2021-03-01 10:00 \` Alice Example
  1 sibling, 0 replies; 5+ messages in thread
From: Alice Example @ 2021-03-01 10:00 UTC (permalink / raw)
  To: linux-frob

Use it.

^ permalink raw reply related	[flat|nested] 5+ messages in thread

* Re: [PATCH 1/2] frob: add a cache
  2021-03-01 10:00 \` [PATCH 1/2] frob: add a cache Alice Example
@ 2021-03-02  9:15   \` Bob Builder
  2021-03-02 11:30     \` Alice Example
  0 siblings, 1 reply; 5+ messages in thread
From: Bob Builder @ 2021-03-02  9:15 UTC (permalink / raw)
  To: Alice Example; +Cc: linux-frob

On Mon, Mar 01, 2021 at 10:00:00AM +0000, Alice Example wrote:
> Add a cache.

Reviewed-by: Bob Builder <bob@example.com>


^ permalink raw reply	[flat|nested] 5+ messages in thread

* Re: [PATCH 1/2] frob: add a cache
  2021-03-02  9:15   \` Bob Builder
@ 2021-03-02 11:30     \` Alice Example
  0 siblings, 0 replies; 5+ messages in thread
From: Alice Example @ 2021-03-02 11:30 UTC (permalink / raw)
  To: Bob Builder; +Cc: linux-frob

Thanks!


^ permalink raw reply	[flat|nested] 5+ messages in thread

end of thread, other threads:[~2021-03-02 11:30 UTC | newest]

Thread overview: 5+ messages (download: mbox.gz / follow: Atom feed)
-- links below jump to the message on this page --
2021-03-01 10:00 [PATCH 0/2] frob: faster lookups Alice Example
2021-03-01 10:00 \` [PATCH 1/2] frob: add a cache Alice Example
2021-03-02  9:15   \` Bob Builder
2021-03-02 11:30     \` Alice Example
2021-03-01 10:00 \` [PATCH 2/2] frob: use the cache Alice Example

This is a public inbox, see mirroring instructions
`;

describe("lore flat thread page", () => {
  it("is detected", () => {
    expect(detectPage(LORE_PAGE)?.format).toBe("lore-flat");
  });

  it("recovers every message with subject, author, date, recipients and body", () => {
    const p = parseLoreFlat(LORE_PAGE);
    expect(p.listName).toBe("linux-frob");
    expect(p.messages.map((m) => [m.subject, m.from.name, m.date])).toEqual([
      ["[PATCH 0/2] frob: faster lookups", "Alice Example", "2021-03-01T10:00:00.000Z"],
      ["[PATCH 1/2] frob: add a cache", "Alice Example", "2021-03-01T10:00:00.000Z"],
      ["[PATCH 2/2] frob: use the cache", "Alice Example", "2021-03-01T10:00:00.000Z"],
      ["Re: [PATCH 1/2] frob: add a cache", "Bob Builder", "2021-03-02T09:15:00.000Z"],
      ["Re: [PATCH 1/2] frob: add a cache", "Alice Example", "2021-03-02T11:30:00.000Z"],
    ]);
    const [cover, p1, , bob, alice] = p.messages;
    expect(cover.to.map((x) => x.name)).toEqual(["linux-frob"]);
    expect(cover.cc.map((x) => x.name)).toEqual(["Bob Builder"]);
    expect(p1.cc.map((x) => x.name)).toEqual(["Bob Builder", "Carol Coder", "Dave Reviewer"]);
    expect(p1.body.split("\n")[0]).toBe("Add a cache.");
    expect(p1.body.endsWith("--\n2.30.0")).toBe(true);
    expect(bob.body).toBe("On Mon, Mar 01, 2021 at 10:00:00AM +0000, Alice Example wrote:\n> Add a cache.\n\nReviewed-by: Bob Builder <bob@example.com>");
    expect(alice.body).toBe("Thanks!");
    expect(alice.lines[0]).toBeLessThan(alice.lines[1]);
    expect(cover.datePrecision).toBe("minute");
    expect(cover.tzOffsetMinutes).toBeNull();
  });

  it("takes the tree from the thread overview, not from the page order", () => {
    const p = parseLoreFlat(LORE_PAGE);
    expect(p.messages.map((m) => m.parentIndex)).toEqual([null, 0, 0, 1, 3]);
    expect(p.notes.join("\n")).toMatch(/5 entries, 5 matched/);
  });

  it("fills hidden addresses from the page's own trailers and attributions", () => {
    const p = parseLoreFlat(LORE_PAGE);
    expect(p.messages[0].from).toMatchObject({ name: "Alice Example", address: "alice@example.org", addressFrom: "page:Signed-off-by" });
    expect(p.messages[3].from).toMatchObject({ name: "Bob Builder", address: "bob@example.com" });
    expect(p.messages[4].to[0]).toMatchObject({ name: "Bob Builder", address: "bob@example.com" });
    expect(p.messages[0].inferred.join("\n")).toMatch(/alice@example.org/);
  });

  it("synthesizes messages whose threading equals the overview", async () => {
    const p = parseLoreFlat(LORE_PAGE);
    const syn = synthesizePage(p);
    const mails = await Promise.all(syn.map((s) => parseMail(s.raw)));
    const ids = mails.map((m) => m.msgid);
    expect(ids.every((id) => /^page-[0-9a-f]{24}@patchlore\.invalid$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(5);
    expect(mails.map((m) => m.inReplyTo)).toEqual([null, ids[0], ids[0], ids[1], ids[3]]);
    expect(mails[4].references).toEqual([ids[0], ids[1], ids[3]]);
    expect(mails[3].from).toEqual({ name: "Bob Builder", address: "bob@example.com" });
    expect(mails[1].date).toBe("2021-03-01T10:00:00.000Z");
    expect(mails[1].headers.find(([k]) => k === "x-patchlore-recovery")?.[1]).toBe("page:lore-flat");
    // stable: the same page gives the same ids
    expect(synthesizePage(parseLoreFlat(LORE_PAGE)).map((s) => s.msgid)).toEqual(ids);
  });
});
