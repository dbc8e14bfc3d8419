import { describe, expect, it } from "vitest";
import { detectPage, detectPageFormat } from "./detect";
import { formatRfc5322, parseHypermailDate, parseLooseDate, usEasternOffset } from "../mail/written-dates";

describe("detectPageFormat", () => {
  it("leaves real mail to the mbox reader", () => {
    const mbox = "From jane@example.org Mon Jan  1 00:00:00 2001\nFrom: Jane <jane@example.org>\nSubject: x\nDate: Mon, 1 Jan 2001 00:00:00 +0000\n\n* [PATCH] not a page\n@ 2020-01-01 10:00 Jane\n^ permalink raw reply\n";
    expect(detectPageFormat(mbox)).toBeNull();
    const eml = "Message-ID: <a@b>\nFrom: Jane <jane@example.org>\nSubject: 2020-01-01 Thread Jane\n\nbody\n";
    expect(detectPageFormat(eml)).toBeNull();
  });

  it("says null for text that is no page", () => {
    expect(detectPageFormat("")).toBeNull();
    expect(detectPageFormat("Just some notes.\nFrom: me\nnothing else\n")).toBeNull();
    expect(detectPageFormat("a | b | c\nFrom: | x |\n")).toBeNull();
  });

  it("recognises each format from a few lines, with a confidence", () => {
    const lore = "* [PATCH] x\n@ 2020-01-01 10:00 Jane Doe\nFrom: Jane Doe @ 2020-01-01 10:00 UTC (permalink / raw)\n\nbody\n\n^ permalink raw reply\t[flat|nested] 1+ messages in thread\n";
    expect(detectPage(lore)).toMatchObject({ format: "lore-flat" });
    const ma = "Re: x\n\n2020-01-01 Thread Jane Doe\nbody\n";
    expect(detectPageFormat(ma)).toBe("mail-archive");
    const art = "Title\nFrom: | Jane <j@x.org> | |\nTo: | Bob <b@x.org> | |\nSubject: | x | |\nDate: | Mon, 1 Jan 2001 00:00:00 +0000 | |\nbody\n";
    expect(detectPageFormat(art)).toBe("article-table");
    const hm = "Re: x\nFrom: Jane Doe\nDate: Mon Jan 01 2001 - 10:00:00 EST\nbody with jane@xxxxxxxxxx\n";
    expect(detectPage(hm)).toMatchObject({ format: "hypermail", confidence: 0.95 });
    const col = `From mboxrd@z Thu Jan 1 00:00:00 1970 Received: from a by b; Mon, 1 Jan 2001 00:00:00 +0000 Date: Mon, 1 Jan 2001 00:00:00 +0000 From: Jane To: Bob Subject: x Message-ID: <a@b> ${"word ".repeat(80)}`;
    const d = detectPage(col)!;
    expect(d.format).toBe("collapsed-rfc822");
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.confidence).toBeLessThanOrEqual(1);
  });
});

describe("page dates", () => {
  it("converts the hypermail EST habit with the real US rule", () => {
    expect(usEasternOffset(2024, 7, 8, 17)).toBe(-240);
    expect(usEasternOffset(2024, 0, 10, 9)).toBe(-300);
    expect(usEasternOffset(2024, 2, 10, 1)).toBe(-300); // before 02:00 on the second Sunday of March
    expect(usEasternOffset(2024, 2, 10, 3)).toBe(-240);
    expect(usEasternOffset(2005, 3, 2, 12)).toBe(-300); // 2005: DST began on the first Sunday of April (the 3rd)
    expect(usEasternOffset(2005, 3, 3, 12)).toBe(-240);
    expect(parseHypermailDate("Thu Aug 08 2024 - 17:19:52 EST")).toMatchObject({ iso: "2024-08-08T21:19:52.000Z", tzOffsetMinutes: null, archiveOffsetMinutes: -240 });
    expect(parseHypermailDate("Wed Jan 10 2024 - 09:30:00 EST")?.iso).toBe("2024-01-10T14:30:00.000Z");
    expect(parseHypermailDate("Fri Nov 28 2008 - 10:42:39 EDT")?.iso).toBe("2008-11-28T15:42:39.000Z");
  });

  it("reads attribution dates", () => {
    expect(parseLooseDate("Thu, Nov 02, 2017 at 06:25:11PM +0100")).toMatchObject({ iso: "2017-11-02T17:25:11.000Z", tzOffsetMinutes: 60, precision: "second", zoneAssumed: false });
    expect(parseLooseDate("Thu, Aug 8, 2024 at 1:04 PM")).toMatchObject({ iso: "2024-08-08T13:04:00.000Z", tzOffsetMinutes: null, zoneAssumed: true });
    expect(parseLooseDate("02/11/2017 16:16", "2017-11-02")?.iso).toBe("2017-11-02T16:16:00.000Z");
    expect(parseLooseDate("11/02/2017 16:16", "2017-11-02")?.iso).toBe("2017-11-02T16:16:00.000Z");
    expect(parseLooseDate("8/21/20 4:50 PM")?.iso).toBe("2020-08-21T16:50:00.000Z");
  });

  it("reads a time without zone in the zone of the message that quotes it", () => {
    // gmail writes the quoter's local time: 1:04 PM at +0200 is 11:04 UTC
    expect(parseLooseDate("Thu, Aug 8, 2024 at 1:04 PM", null, { localOffsetMinutes: 120 })).toMatchObject({
      iso: "2024-08-08T11:04:00.000Z", tzOffsetMinutes: null, zoneAssumed: false, zoneFromQuoter: 120,
    });
    expect(parseLooseDate("26/10/2017 12:18", null, { localOffsetMinutes: -420 })?.iso).toBe("2017-10-26T19:18:00.000Z");
    expect(parseLooseDate("2020-08-21 23:49", null, { localOffsetMinutes: 330 })?.iso).toBe("2020-08-21T18:19:00.000Z");
    // a stated zone wins; a day alone stays at noon UTC; no zone known: UTC as before
    expect(parseLooseDate("Thu, Nov 02, 2017 at 06:25:11PM +0100", null, { localOffsetMinutes: 120 })).toMatchObject({ iso: "2017-11-02T17:25:11.000Z", tzOffsetMinutes: 60 });
    expect(parseLooseDate("2020-08-21 23:49 UTC", null, { localOffsetMinutes: 120 })?.iso).toBe("2020-08-21T23:49:00.000Z");
    expect(parseLooseDate("26/10/2017", null, { localOffsetMinutes: 120 })).toMatchObject({ iso: "2017-10-26T12:00:00.000Z", precision: "day" });
    expect(parseLooseDate("Thu, Aug 8, 2024 at 1:04 PM", null, { localOffsetMinutes: null })).toMatchObject({ iso: "2024-08-08T13:04:00.000Z", zoneAssumed: true });
  });

  it("formats RFC 5322 dates, -0000 when the sender's zone is unknown", () => {
    expect(formatRfc5322("2017-11-02T17:25:11.000Z", 60)).toBe("Thu, 2 Nov 2017 18:25:11 +0100");
    expect(formatRfc5322("2024-08-08T21:19:52.000Z", null)).toBe("Thu, 8 Aug 2024 21:19:52 -0000");
    expect(formatRfc5322("2019-12-09T14:17:54.000Z", -300)).toBe("Mon, 9 Dec 2019 09:17:54 -0500");
  });
});
