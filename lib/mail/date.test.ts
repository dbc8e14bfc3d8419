import { describe, expect, it } from "vitest";
import { parseMailDate } from "./date";

function p(s: string): [string | null, number | null] | null {
  const r = parseMailDate(s);
  return r ? [r.date.toISOString(), r.tzOffsetMinutes] : null;
}

describe("parseMailDate", () => {
  const cases: [string, string, number | null][] = [
    ["Mon, 29 Apr 2019 02:15:23 +0000", "2019-04-29T02:15:23.000Z", 0],
    ["Sun, 28 Apr 2019 22:15:27 -0400", "2019-04-29T02:15:27.000Z", -240],
    ["Mon, 29 Apr 2019 04:15:27 +0200 (CEST)", "2019-04-29T02:15:27.000Z", 120],
    ["29 Apr 2019 02:15 +0000", "2019-04-29T02:15:00.000Z", 0],
    ["Mon,29 Apr 2019 02:15:23 +0000", "2019-04-29T02:15:23.000Z", 0],
    ["Mon, 29 Apr 2019 02:15:23 +0530", "2019-04-28T20:45:23.000Z", 330],
    ["Tue, 5 Mar 02 10:00:00 EST", "2002-03-05T15:00:00.000Z", -300],
    ["Tue, 5 Mar 99 10:00:00 EDT", "1999-03-05T14:00:00.000Z", -240],
    ["Tue, 5 Mar 102 10:00:00 GMT", "2002-03-05T10:00:00.000Z", 0],
    ["Fri, 1 Nov 2019 10:00:00 PST", "2019-11-01T18:00:00.000Z", -480],
    ["Fri, 1 Nov 2019 10:00:00 PDT", "2019-11-01T17:00:00.000Z", -420],
    ["Fri, 1 Nov 2019 10:00:00 UT", "2019-11-01T10:00:00.000Z", 0],
    ["Fri, 1 Nov 2019 10:00:00 UTC", "2019-11-01T10:00:00.000Z", 0],
    ["Fri, 1 Nov 2019 10:00:00 GMT+0200", "2019-11-01T08:00:00.000Z", 120],
    ["Fri, 1 Nov 2019 10:00:00 +02:00", "2019-11-01T08:00:00.000Z", 120],
    ["Mon Apr 29 02:15:23 2019", "2019-04-29T02:15:23.000Z", null],
    ["Mon Apr 29 02:15:23 2019 +0100", "2019-04-29T01:15:23.000Z", 60],
    ["2019-04-29 02:15:23 +0200", "2019-04-29T00:15:23.000Z", 120],
    ["2019-04-29T02:15:23Z", "2019-04-29T02:15:23.000Z", 0],
    ["29-Apr-2019 02:15:23 +0000", "2019-04-29T02:15:23.000Z", 0],
    ["Monday, April 29, 2019 2:15:23 PM +0200", "2019-04-29T12:15:23.000Z", 120],
    ["Mon, 29 Apr 2019 12:15:23 AM +0000", "2019-04-29T00:15:23.000Z", 0],
    ["Mon, 29 Apr 2019 02:15:23", "2019-04-29T02:15:23.000Z", null],
    ["Mon, 29 Apr 2019 02:15:23 -0000", "2019-04-29T02:15:23.000Z", 0],
    ["Mon, 29 Apr 2019 02:15:23 (EST)", "2019-04-29T07:15:23.000Z", -300],
    ["Mon, 29 Apr 2019 02:15:23 Z", "2019-04-29T02:15:23.000Z", 0],
    ["Mon, 29 Apr 2019 02:15:23 A", "2019-04-29T02:15:23.000Z", null],
    ["Sat, 31 Dec 2016 23:59:60 +0000", "2016-12-31T23:59:59.000Z", 0],
    ["  Thu,  3 Feb 2005 12:00:00 +0100 (Westeuropäische Normalzeit)", "2005-02-03T11:00:00.000Z", 60],
    ["Wed, 01 Jan 1969 00:00:00 +0000", "1969-01-01T00:00:00.000Z", 0],
    ["Thu, 01 Jan 2099 00:00:00 +0000", "2099-01-01T00:00:00.000Z", 0],
    ["Mon, 29 Apr 2019 02:15:23 +9900", "2019-04-29T02:15:23.000Z", null],
    ["Mon, 29 Apr 2019 02:15:23.123 +0000", "2019-04-29T02:15:23.000Z", 0],
    ["29 Okt 2019 10:00:00 +0100", "2019-10-29T09:00:00.000Z", 60],
    ["Mon, 29 Apr 2019", "2019-04-29T00:00:00.000Z", null],
  ];
  for (const [input, iso, tz] of cases) {
    it(input, () => expect(p(input)).toEqual([iso, tz]));
  }

  const bad = [
    "",
    "garbage",
    "Mon, 32 Apr 2019 02:15:23 +0000",
    "Mon, 31 Feb 2019 02:15:23 +0000",
    "Mon, 29 Foo 2019 02:15:23 +0000",
    "Mon, 29 Apr 02:15:23 +0000",
    "Mon, 29 Apr 2019 25:15:23 +0000",
    "Mon, 29 Apr 2019 13:15:23 PM +0000",
    "12345",
  ];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => expect(parseMailDate(input)).toBeNull());
  }
  it("handles null/undefined", () => {
    expect(parseMailDate(null)).toBeNull();
    expect(parseMailDate(undefined)).toBeNull();
  });
});

describe("four-digit years below 100", () => {
  it("are not read as two-digit years", () => {
    expect(parseMailDate("Sat, 01 Jan 0000 00:00:00 +0000")).toBeNull(); // there is no year 0
    expect(parseMailDate("Mon, 01 Jan 0001 00:00:00 +0000")?.date.getUTCFullYear()).toBe(1);
    expect(parseMailDate("Mon, 01 Jan 99 00:00:00 +0000")?.date.getUTCFullYear()).toBe(1999);
  });
});
