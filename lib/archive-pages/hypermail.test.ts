import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { detectPage } from "./detect";
import { checkUnifiedDiff } from "./diff-repair";
import { parseHypermail } from "./hypermail";
import { extractQuotedAncestors, parseAttribution } from "./quotes";
import { synthesizePage } from "./synthesize";

// An lkml.iu.edu-style page (written for this test): a reply quoting a reply quoting a patch that
// exists only in the quotes; the archive stripped leading whitespace and obfuscated addresses.
export const HYPERMAIL_PAGE = `Re: [PATCH] frob: lockless lookups
From: Grace Reviewer
Date: Wed Jan 10 2024 - 09:30:00 EST
On Tue, Jan 9, 2024 at 11:00 PM Heidi Hacker <heidi@xxxxxxxxxxx> wrote:
>
> On Tue, Jan 9, 2024 at 5:00 PM Grace Reviewer <grace@xxxxxxxxxx> wrote:
> >
> > On Mon, Jan 8, 2024 at 8:00 AM Heidi Hacker <heidi@xxxxxxxxxxx> wrote:
> > >
> > > Lookups take the lock; they do not need to.
> > >
> > > ---
> > > frob.c | 3 ++-
> > > 1 file changed, 2 insertions(+), 1 deletion(-)
> > >
> > > diff --git a/frob.c b/frob.c
> > > index 1111111..2222222 100644
> > > --- a/frob.c
> > > +++ b/frob.c
> > > @@ -20,6 +20,7 @@ int frob_lookup(struct frob *f)
> > > {
> > > int v;
> > >
> > > - spin_lock(&f->lock);
> > > + rcu_read_lock();
> > > + smp_rmb();
> > > v = f->val;
> > > return v;
> > > --
> > > 2.40.0
> >
> > Did you measure it?
>
> Yes: 10% faster.
Good, then
Acked-by: Grace Reviewer <grace@xxxxxxxxxx>
>
> --
> Heidi Hacker <heidi example.com>
`;

describe("hypermail page", () => {
  it("is detected", () => {
    expect(detectPage(HYPERMAIL_PAGE)?.format).toBe("hypermail");
  });

  it("reads the sender, converts the EST/EDT habit and keeps the body", () => {
    const p = parseHypermail(HYPERMAIL_PAGE);
    expect(p.messages).toHaveLength(1);
    const m = p.messages[0];
    expect(m.subject).toBe("Re: [PATCH] frob: lockless lookups");
    expect(m.from).toMatchObject({ name: "Grace Reviewer", address: null, obfuscated: "grace@xxxxxxxxxx" });
    expect(m.date).toBe("2024-01-10T14:30:00.000Z"); // January: EST, -0500
    expect(m.tzOffsetMinutes).toBeNull(); // the archive's zone, not the sender's
    expect(m.body.split("\n")[0]).toBe("On Tue, Jan 9, 2024 at 11:00 PM Heidi Hacker <heidi@xxxxxxxxxxx> wrote:");
    // quoted diff lines get their context marker back
    expect(m.body).toContain("> > >  int v;\n");
    expect(m.lines).toEqual([1, 39]);
  });

  it("turns the three quoted levels into ancestors, the deepest being the patch", () => {
    const m = parseHypermail(HYPERMAIL_PAGE).messages[0];
    expect(m.quoted.map((q) => [q.depth, q.author.name, q.date, q.subject])).toEqual([
      [1, "Heidi Hacker", "2024-01-09T23:00:00.000Z", "Re: [PATCH] frob: lockless lookups"],
      [2, "Grace Reviewer", "2024-01-09T17:00:00.000Z", "Re: [PATCH] frob: lockless lookups"],
      [3, "Heidi Hacker", "2024-01-08T08:00:00.000Z", "[PATCH] frob: lockless lookups"],
    ]);
    // heidi@xxxxxxxxxxx resolved from her signature (11 x's = example.com)
    expect(m.quoted[0].author).toMatchObject({ address: "heidi@example.com", obfuscated: "heidi@xxxxxxxxxxx" });
    expect(m.quoted[1].author).toMatchObject({ address: null, obfuscated: "grace@xxxxxxxxxx" });
    const patch = m.quoted[2];
    expect(patch.text.split("\n").slice(0, 4)).toEqual(["Lookups take the lock; they do not need to.", "", "---", " frob.c | 3 ++-"]);
    const d = checkUnifiedDiff(patch.text);
    expect(d.errors).toEqual([]);
    expect([d.files, d.insertions, d.deletions]).toEqual([["frob.c"], 2, 1]);
    expect(patch.text).toContain("\n {\n int v;\n \n- spin_lock(&f->lock);\n+ rcu_read_lock();\n");
    expect(patch.text.endsWith("\n-- \n2.40.0")).toBe(true);
    // level 1 keeps its own quotes, one level of ">" removed; the reply cut it once
    expect(m.quoted[0].text.split("\n")[0]).toBe("On Tue, Jan 9, 2024 at 5:00 PM Grace Reviewer <grace@xxxxxxxxxx> wrote:");
    expect(m.quoted[0].text).toContain("\nYes: 10% faster.\n");
    expect(m.quoted[0].damaged.join("\n")).toMatch(/cut this text in 1 place/);
    expect(m.quoted[2].lines).toEqual([8, 30]);
  });

  it("synthesizes the reply and three reconstructed ghosts that thread together", async () => {
    const syn = synthesizePage(parseHypermail(HYPERMAIL_PAGE));
    expect(syn.map((s) => [s.recovery, s.reconstructed, s.depth])).toEqual([
      ["page:hypermail", false, undefined],
      ["quote", true, 1],
      ["quote", true, 2],
      ["quote", true, 3],
    ]);
    const [reply, g1, g2, g3] = await Promise.all(syn.map((s) => parseMail(s.raw)));
    expect(reply.inReplyTo).toBe(g1.msgid);
    expect(reply.references).toEqual([g3.msgid, g2.msgid, g1.msgid]);
    expect(g1.inReplyTo).toBe(g2.msgid);
    expect(g2.references).toEqual([g3.msgid]);
    expect(g3.inReplyTo).toBeNull();
    expect(g1.from).toEqual({ name: "Heidi Hacker", address: "heidi@example.com" });
    expect(g2.headers.find(([k]) => k === "x-patchlore-obfuscated-from")?.[1]).toBe("grace@xxxxxxxxxx");
    expect(g3.headers.find(([k]) => k === "x-patchlore-quoted-in")?.[1]).toBe(`<${reply.msgid}>`);
    expect(checkUnifiedDiff(g3.text).errors).toEqual([]);
  });
});

describe("attribution lines", () => {
  it("reads the common forms", () => {
    expect(parseAttribution("On Thu, Nov 02, 2017 at 06:25:11PM +0100, Laura Example wrote:")).toEqual({
      person: { name: "Laura Example", address: null },
      dateText: "Thu, Nov 02, 2017 at 06:25:11PM +0100",
    });
    expect(parseAttribution("On Thu, Aug 8, 2024 at 1:04 PM Max Example <max@example.org> wrote:")).toEqual({
      person: { name: "Max Example", address: "max@example.org" },
      dateText: "Thu, Aug 8, 2024 at 1:04 PM",
    });
    expect(parseAttribution("On 26/10/2017 12:18, Ann Example wrote:")).toEqual({ person: { name: "Ann Example", address: null }, dateText: "26/10/2017 12:18" });
    expect(parseAttribution("Bob Example <bob@example.org> writes:")).toEqual({ person: { name: "Bob Example", address: "bob@example.org" }, dateText: null });
    expect(parseAttribution("Quoting Zed Example (2020-01-01 10:00:00):")).toEqual({ person: { name: "Zed Example", address: null }, dateText: "2020-01-01 10:00:00" });
    expect(parseAttribution("Hello there")).toBeNull();
  });

  it("gives ancestors the real ids of the References when the chain lines up", () => {
    const body = [
      "On Mon, Jan 08, 2024 at 12:00:00PM -0500, Judy Dev wrote:",
      "> On Mon, Jan 08, 2024 at 07:00:00AM -0500, Ivan Tester wrote:",
      "> > Can we drop it?",
      ">",
      "> Maybe.",
      "Yes.",
    ].join("\n");
    const q = extractQuotedAncestors(body, {
      subject: "Re: frob locking",
      references: ["20240108120000.GA1111@example.org", "20240108170000.GB2222@example.org"],
    });
    expect(q.map((x) => [x.depth, x.msgid, x.date, x.tzOffsetMinutes, x.text])).toEqual([
      [1, "20240108170000.GB2222@example.org", "2024-01-08T17:00:00.000Z", -300, "On Mon, Jan 08, 2024 at 07:00:00AM -0500, Ivan Tester wrote:\n> Can we drop it?\n\nMaybe."],
      [2, "20240108120000.GA1111@example.org", "2024-01-08T12:00:00.000Z", -300, "Can we drop it?"],
    ]);
    // ids whose embedded time contradicts the attribution are not assigned
    const wrong = extractQuotedAncestors(body, { subject: "Re: x", references: ["20200101000000.A@x.org", "20200102000000.B@x.org"] });
    expect(wrong.map((x) => x.msgid)).toEqual([null, null]);
  });

  it("reads zone-less attribution times in the zone of the level that wrote them", () => {
    const body = [
      "On Thu, Aug 8, 2024 at 1:04 PM Jane Doe <jane@x.org> wrote:",
      "> On Thu, Aug 08, 2024 at 09:00:00AM +0100, Bob Roe wrote:",
      "> > Please apply.",
      "> Done.",
    ].join("\n");
    const opts = { subject: "Re: frob", quoterDate: "2024-08-08T11:30:00.000Z", quoterTzOffsetMinutes: 120 };
    const q = extractQuotedAncestors(body, opts);
    // Jane's line is the quoter's (+0200) local time; Bob's line, written in Jane's message, states its zone
    expect(q.map((x) => x.date)).toEqual(["2024-08-08T11:04:00.000Z", "2024-08-08T08:00:00.000Z"]);
    expect(q[0].tzOffsetMinutes).toBeNull();
    expect(q[0].inferred.join("\n")).toContain("(+0200)");
    expect(q[0].damaged.join("\n")).not.toContain("read as UTC");
    // without the quoter's zone: UTC, flagged as later than the reply
    const utc = extractQuotedAncestors(body, { ...opts, quoterTzOffsetMinutes: null });
    expect(utc[0].date).toBe("2024-08-08T13:04:00.000Z");
    expect(utc[0].damaged.join("\n")).toContain("later than the message quoting it");
  });
});
