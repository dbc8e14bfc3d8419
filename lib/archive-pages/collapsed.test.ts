import { describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import { parseCollapsed, qpEncodeLine, rebuildQpBody, splitCollapsedHeaders } from "./collapsed";
import { detectPage } from "./detect";
import { synthesizePage } from "./synthesize";

// A real message with a quoted-printable body (written for this test), then collapsed the way a web
// view does it: every newline becomes a space, runs of blanks become one, "<address>" disappears.
const BODY_LINES = [
  "On Mon, Jan 08, 2024 at 12:00:00PM -0500, Judy Dev wrote:",
  "> On Mon, Jan 08, 2024 at 07:00:00AM -0500, Ivan Tester wrote:",
  "> > The frob lock is taken on every single lookup, which shows up in the profiles",
  "> > of the lookup-heavy workloads that we run every night on the big machines.",
  "> > ",
  "> > Can we drop it for lookups?",
  "> ",
  "> Maybe with RCU, if the writers wait for a grace period before freeing the old",
  "> entries.",
  "I agree; let's try that and measure the lookups again.",
  "",
  "Thanks,",
  "Zoë",
];

function qpBody(lines: string[]): string {
  return lines.flatMap((l) => qpEncodeLine(Buffer.from(l, "latin1"))).join("\n");
}

export const REAL_MESSAGE = [
  "From mboxrd@z Thu Jan  1 00:00:00 1970",
  "Return-Path: <owner-linux-frob@vger.kernel.org>",
  "Received: from mail.example.org (mail.example.org [192.0.2.1])",
  "\tby mx.example.net (Postfix) with ESMTP id 1234",
  "\tfor <list@example.net>; Tue, 9 Jan 2024 15:00:05 +0000 (UTC)",
  "Date: Tue, 9 Jan 2024 10:00:00 -0500",
  "From: Zoe Tester <zoe@example.org>",
  "To: Judy Dev <judy@example.org>",
  "Cc: linux-frob@vger.kernel.org, Ivan Tester <ivan@example.org>",
  "Subject: Re: frob locking: To: whom it may concern",
  "Message-ID: <20240109150000.GA1234@example.org>",
  "References: <20240108120000.GA1111@example.org>",
  " <20240108170000.GB2222@example.org>",
  "In-Reply-To: <20240108170000.GB2222@example.org>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=iso-8859-1",
  "Content-Transfer-Encoding: quoted-printable",
  "Sender: owner-linux-frob@vger.kernel.org",
  "List-ID: <linux-frob.vger.kernel.org>",
  "",
  qpBody(BODY_LINES),
  "",
].join("\n");

export function collapse(raw: string): string {
  return raw
    .replace(/<[^<>@\s]+@[^<>\s]+\.(?:org|net|com)>/g, (m) => (/^<\d{14}\./.test(m) ? m : "")) // addresses go, ids stay
    .replace(/\s+/g, " ")
    .trim();
}

describe("collapsed raw message", () => {
  const page = collapse(REAL_MESSAGE);

  it("is detected, and a real message is not", () => {
    expect(detectPage(page)?.format).toBe("collapsed-rfc822");
    expect(detectPage(REAL_MESSAGE)).toBeNull();
  });

  it("splits the header fields again, not inside values", () => {
    const h = splitCollapsedHeaders(page);
    expect(h.fromLine).toBe("From mboxrd@z Thu Jan 1 00:00:00 1970");
    expect(h.fields.map((f) => f.name)).toEqual([
      "Return-Path", "Received", "Date", "From", "To", "Cc", "Subject", "Message-ID", "References", "In-Reply-To",
      "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Sender", "List-ID",
    ]);
    expect(h.fields.find((f) => f.name === "Subject")?.value).toBe("Re: frob locking: To: whom it may concern");
    expect(h.fields.find((f) => f.name === "List-ID")?.value).toBe("<linux-frob.vger.kernel.org>");
    expect(h.body.startsWith("On Mon, Jan 08, 2024 at 12:00:00PM -0500, Judy Dev wrote: >")).toBe(true);
  });

  it("rebuilds a message parseMail decodes: ids, date, sender name, body lines", async () => {
    const p = parseCollapsed(page);
    expect(p.listName).toBe("linux-frob");
    const [s] = synthesizePage(p);
    const m = await parseMail(s.raw);
    const orig = await parseMail(Buffer.from(REAL_MESSAGE, "latin1"));
    expect(m.msgid).toBe(orig.msgid);
    expect(m.inReplyTo).toBe(orig.inReplyTo);
    expect(m.references).toEqual(orig.references);
    expect(m.date).toBe(orig.date);
    expect(m.tzOffsetMinutes).toBe(-300);
    expect(m.subject).toBe(orig.subject);
    expect(m.from.name).toBe("Zoe Tester");
    expect(m.from.address).toBe(""); // the page lost it
    expect(m.listId).toBe("linux-frob.vger.kernel.org");
    // quoted lines come back exactly (soft breaks rejoined, "=20" line ends kept)
    const want = orig.text.split("\n");
    const got = m.text.split("\n");
    for (const l of want.filter((x) => x.startsWith(">"))) expect(got).toContain(l);
    expect(got.slice(0, 9)).toEqual(want.slice(0, 9));
    // the unquoted reply: same words, its own line breaks are a guess
    expect(m.text.replace(/\s+/g, " ").trim()).toBe(orig.text.replace(/\s+/g, " ").trim());
    expect(m.text).toContain("Zoë");
    expect(m.text.trimEnd().endsWith("Thanks,\nZoë")).toBe(true);
    expect(s.recovery).toBe("page:collapsed-rfc822");
  });

  it("turns the quoted levels into ancestors with the ids of the References", async () => {
    const syn = synthesizePage(parseCollapsed(page));
    expect(syn.map((s) => [s.msgid, s.reconstructed])).toEqual([
      ["20240109150000.GA1234@example.org", false],
      ["20240108170000.GB2222@example.org", true],
      ["20240108120000.GA1111@example.org", true],
    ]);
    const g2 = await parseMail(syn[2].raw);
    expect(g2.from.name).toBe("Ivan Tester");
    expect(g2.date).toBe("2024-01-08T12:00:00.000Z");
    expect(g2.subject).toBe("frob locking: To: whom it may concern");
    expect(g2.text).toContain("Can we drop it for lookups?");
  });

  it("reads a zone-less attribution time in the quoting message's zone: the quote never follows its reply", async () => {
    // Zoe replies at 00:30 +0900 (15:30 UTC the day before) to Judy, whose message her gmail
    // attribution dates 12:10 AM, Zoe's local time (15:10 UTC): read as UTC it would come 9 hours after the reply
    const raw = REAL_MESSAGE.replace("Date: Tue, 9 Jan 2024 10:00:00 -0500", "Date: Tue, 9 Jan 2024 00:30:00 +0900").replace(
      qpBody(BODY_LINES.slice(0, 1)),
      qpBody(["On Tue, Jan 9, 2024 at 12:10 AM Judy Dev wrote:"]),
    );
    const syn = synthesizePage(parseCollapsed(collapse(raw)));
    const reply = await parseMail(syn[0].raw);
    const judy = await parseMail(syn[1].raw);
    expect(reply.date).toBe("2024-01-08T15:30:00.000Z");
    expect(judy.from.name).toBe("Judy Dev");
    expect(judy.date).toBe("2024-01-08T15:10:00.000Z");
    expect(Date.parse(judy.date!)).toBeLessThan(Date.parse(reply.date!));
    expect(syn[1].raw.toString()).toMatch(/X-Patchlore-Inferred: .*read in the zone of the message quoting it \(\+0900\)/);
    expect(syn[1].raw.toString()).not.toMatch(/read as UTC/);
    // the level below states its zone: unchanged
    expect((await parseMail(syn[2].raw)).date).toBe("2024-01-08T12:00:00.000Z");
  });

  it("decides soft line breaks from the words", () => {
    // "wh= ich" joins, "other= and" keeps its space ("which" and "other"/"and" are words of the text)
    const r = rebuildQpBody("> which one: a thread wh= ich reads, the other= and the third", "us-ascii");
    expect(r.lines).toEqual(["> which one: a thread which reads, the other and the third"]);
  });
});
