import { describe, expect, it } from "vitest";
import { isDateParseError, isoUTC, parseApproxidate, type DatePeriod } from "./approxidate";

// now = 2023-11-14T22:13:20Z, a Tuesday (Unix 1700000000). Every "git:" value below was
// printed by git 2.39 itself: GIT_TEST_DATE_NOW=1700000000 TZ=UTC git rev-parse --since=FORM
// (what public-inbox runs to resolve lore's dates).
const NOW = new Date(1_700_000_000_000);

function p(text: string, now = NOW, epochDigits?: number): DatePeriod {
  const r = parseApproxidate(text, now, { epochDigits });
  if (isDateParseError(r)) throw new Error(`${text}: ${r.error}`);
  return r;
}
const at = (text: string, now = NOW) => {
  const r = p(text, now);
  expect(r.unit).toBe("instant");
  return isoUTC(r.start);
};
const day = (text: string, now = NOW) => {
  const r = p(text, now);
  expect(r.unit).toBe("day");
  expect(r.end - r.start).toBe(86_400_000);
  return isoUTC(r.start).slice(0, 10);
};
function fails(text: string): { error: string; offset: number; length: number } {
  const r = parseApproxidate(text, NOW);
  if (!isDateParseError(r)) throw new Error(`${text} parsed: ${JSON.stringify(r)}`);
  return r;
}

describe("absolute dates", () => {
  it("YYYY-MM-DD and git's other numeric orders name a UTC day", () => {
    expect(day("2023-01-01")).toBe("2023-01-01"); // git: 2023-01-01 22:13:20 (keeps now's time)
    expect(day("2023/01/31")).toBe("2023-01-31"); // git: 2023-01-31
    expect(day("2023.01.01")).toBe("2023-01-01"); // git: 2023-01-01
    expect(day("01/31/2023")).toBe("2023-01-31"); // git: US order for '/'
    expect(day("31.01.2023")).toBe("2023-01-31"); // git: European order for '.'
    expect(day("2023-1-5")).toBe("2023-01-05");
  });

  it("YYYYMMDD (lore passes it through) and YYYYMMDDHHMMSS (lore's dt: format)", () => {
    expect(day("20230101")).toBe("2023-01-01");
    const r = p("20230101123456");
    expect(r.unit).toBe("instant");
    expect(r.relative).toBe(false);
    expect(isoUTC(r.start)).toBe("2023-01-01T12:34:56Z");
    expect(r.end - r.start).toBe(1000);
  });

  it("an explicit time, with or without a zone", () => {
    expect(at("2023-01-01T12:30:00")).toBe("2023-01-01T12:30:00Z"); // git: 12:30:00
    expect(at("2023-01-01 12:30:00 +0200")).toBe("2023-01-01T10:30:00Z"); // git: 10:30:00
    expect(at("2023-01-01.12:30")).toBe("2023-01-01T12:30:00Z");
    expect(at("2023-01-01T12:30:05Z")).toBe("2023-01-01T12:30:05Z");
    expect(at("2023-01-01T12:30-05:00")).toBe("2023-01-01T17:30:00Z");
    expect(p("2023-01-01T12:30:00").relative).toBe(false);
  });

  it("a month or a year (git has no such forms)", () => {
    const m = p("2023-03");
    expect(m.unit).toBe("month");
    expect([isoUTC(m.start), isoUTC(m.end)]).toEqual(["2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z"]);
    const y = p("2023");
    expect(y.unit).toBe("year");
    expect([isoUTC(y.start), isoUTC(y.end)]).toEqual(["2023-01-01T00:00:00Z", "2024-01-01T00:00:00Z"]);
  });

  it("epoch seconds: 9+ digits like git, 5+ where the caller says so (lore's rt:)", () => {
    expect(at("1700000000")).toBe("2023-11-14T22:13:20Z"); // git: same
    expect(isoUTC(p("86400", NOW, 5).start)).toBe("1970-01-02T00:00:00Z");
    expect(fails("86400").error).toMatch(/not a date/);
    // 8 and 14 digits stay calendar forms even for rt:
    expect(p("20230101", NOW, 5).unit).toBe("day");
  });

  it("rejects impossible dates", () => {
    expect(fails("20231301").error).toMatch(/no such date/);
    expect(fails("2023-02-29").error).toMatch(/no such date/);
    expect(day("2024-02-29")).toBe("2024-02-29");
    expect(fails("20230101246000").error).toMatch(/no such date-time/);
    expect(fails("2023-01-01T25:00").error).toMatch(/no such time/);
    expect(fails("1969").error).toMatch(/year out of range/);
    expect(fails("123").error).toMatch(/not a date/);
  });
});

describe("relative forms (git's approxidate)", () => {
  it("N.units.ago, with or without 'ago', number words and 'last'", () => {
    expect(at("2.days.ago")).toBe("2023-11-12T22:13:20Z"); // git: 2023-11-12 22:13:20
    expect(at("2.days")).toBe("2023-11-12T22:13:20Z"); // git: same
    expect(at("2 days ago")).toBe("2023-11-12T22:13:20Z");
    expect(at("1.week.ago")).toBe("2023-11-07T22:13:20Z"); // git: 2023-11-07 22:13:20
    expect(at("2.weeks.ago")).toBe("2023-10-31T22:13:20Z"); // git: 2023-10-31 22:13:20
    expect(at("two.weeks.ago")).toBe("2023-10-31T22:13:20Z"); // git: same
    expect(at("last.week")).toBe("2023-11-07T22:13:20Z"); // git: 2023-11-07 22:13:20
    expect(at("last.day")).toBe("2023-11-13T22:13:20Z"); // git: 2023-11-13 22:13:20
    // git has no "fortnight": it skips the word and takes "1" as the day of this month
    // (2023-11-01 22:13:20); 14 days is what the word means
    expect(at("1.fortnight.ago")).toBe("2023-10-31T22:13:20Z");
    expect(at("3.hours.ago")).toBe("2023-11-14T19:13:20Z"); // git: 19:13:20
    expect(at("90.minutes.ago")).toBe("2023-11-14T20:43:20Z"); // git: 20:43:20
    expect(at("30.seconds.ago")).toBe("2023-11-14T22:12:50Z");
    expect(at("a.week.ago")).toBe("2023-11-07T22:13:20Z");
    expect(p("2.days.ago").relative).toBe(true);
  });

  it("months and years move the calendar, overflowing like mktime", () => {
    expect(at("last.month")).toBe("2023-10-14T22:13:20Z"); // git: 2023-10-14 22:13:20
    expect(at("3.months.ago")).toBe("2023-08-14T22:13:20Z"); // git: 2023-08-14 22:13:20
    expect(at("last.year")).toBe("2022-11-14T22:13:20Z"); // git: 2022-11-14 22:13:20
    expect(at("10.years.ago")).toBe("2013-11-14T22:13:20Z"); // git: 2013-11-14 22:13:20
    expect(at("1.year.2.months.ago")).toBe("2022-09-14T22:13:20Z"); // git: 2022-09-14 22:13:20
    // git, now = 2023-03-31 10:00: "1.month.ago" => 2023-03-03 10:00 (Feb 31 normalised)
    expect(at("1.month.ago", new Date("2023-03-31T10:00:00Z"))).toBe("2023-03-03T10:00:00Z");
    // git, now = 2024-02-29 10:00: "1.year.ago" => 2023-03-01 10:00
    expect(at("1.year.ago", new Date("2024-02-29T10:00:00Z"))).toBe("2023-03-01T10:00:00Z");
    // git, now = 2023-04-01 00:00: "last.month" => 2023-03-01 00:00
    expect(at("last.month", new Date("2023-04-01T00:00:00Z"))).toBe("2023-03-01T00:00:00Z");
  });

  it("now, today, yesterday", () => {
    expect(at("now")).toBe("2023-11-14T22:13:20Z");
    expect(day("today")).toBe("2023-11-14");
    expect(day("yesterday")).toBe("2023-11-13"); // git: the moment 24h ago; here the whole day
  });

  it("noon, midnight, tea: today's, or yesterday's if the clock has not got there", () => {
    expect(at("noon")).toBe("2023-11-14T12:00:00Z"); // git: 2023-11-14 12:00:00
    expect(at("midnight")).toBe("2023-11-14T00:00:00Z"); // git: 2023-11-14 00:00:00
    expect(at("tea")).toBe("2023-11-14T17:00:00Z"); // git: 2023-11-14 17:00:00
    expect(at("yesterday.noon")).toBe("2023-11-13T12:00:00Z"); // git: 2023-11-13 12:00:00
    const morning = new Date("2023-03-31T10:00:00Z");
    expect(at("noon", morning)).toBe("2023-03-30T12:00:00Z"); // git: 2023-03-30 12:00:00
    expect(at("tea", morning)).toBe("2023-03-30T17:00:00Z"); // git: 2023-03-30 17:00:00
    expect(at("midnight", morning)).toBe("2023-03-31T00:00:00Z"); // git: 2023-03-31 00:00:00
    expect(at("12:30")).toBe("2023-11-14T12:30:00Z"); // git: 2023-11-14 12:30:00
  });

  it("weekdays: last.X is the most recent X before today, a bare X may be today", () => {
    expect(day("last.friday")).toBe("2023-11-10"); // git: 2023-11-10
    expect(day("last.monday")).toBe("2023-11-13"); // git: 2023-11-13
    expect(day("last.tuesday")).toBe("2023-11-07"); // git: 2023-11-07 (today is a Tuesday)
    // git ignores a bare weekday (the date stays "now"); here: the most recent, today included
    expect(day("friday")).toBe("2023-11-10");
    expect(day("tuesday")).toBe("2023-11-14");
    expect(day("wed")).toBe("2023-11-08");
  });

  it("month names: the whole month, or a day with a number; a month to come is last year's", () => {
    const mar = p("march");
    expect(mar.unit).toBe("month");
    expect([isoUTC(mar.start), isoUTC(mar.end)]).toEqual(["2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z"]);
    expect(isoUTC(p("dec").start)).toBe("2022-12-01T00:00:00Z"); // git: 2022-12-14 (year rolls back)
    expect(isoUTC(p("nov").start)).toBe("2023-11-01T00:00:00Z"); // git: 2023-11-14
    expect(isoUTC(p("march.2022").start)).toBe("2022-03-01T00:00:00Z"); // git: 2022-03-14
    expect(day("march.1")).toBe("2023-03-01"); // git: 2023-03-01
    expect(day("jan.5")).toBe("2023-01-05"); // git: 2023-01-05
    expect(day("5.jan")).toBe("2023-01-05"); // git: 2023-01-05
    expect(day("2022.march.5")).toBe("2022-03-05"); // git: 2022-03-05
    expect(day("5.march.2022")).toBe("2022-03-05"); // git: 2022-03-05
    expect(day("dec.25")).toBe("2022-12-25"); // git: 2022-12-25
    expect(day("nov.20")).toBe("2023-11-20"); // git: 2023-11-20 (same month: no roll back)
    expect(day("September 3, 2021")).toBe("2021-09-03");
  });
});

describe("errors say what is wrong and where", () => {
  it("unknown words", () => {
    const e = fails("2.dayz.ago");
    expect(e.error).toMatch(/unknown date word "dayz"/);
    expect([e.offset, e.length]).toEqual([2, 4]);
    expect(fails("garbage").error).toMatch(/unknown date word/); // git: silently "now"
  });
  it("a unit without a number, a number without a unit", () => {
    expect(fails("days.ago").error).toMatch(/needs a number/);
    const e = fails("13");
    expect(e.error).toMatch(/not a date/);
    expect(fails("2.ago").error).toMatch(/needs a unit/);
  });
  it("empty", () => {
    expect(fails("").error).toMatch(/empty/);
    expect(fails("  ").error).toMatch(/empty/);
  });
  it("impossible month days and mixtures", () => {
    expect(fails("feb.30.2023").error).toMatch(/no such date/);
    expect(fails("march.2.days.ago").error).toMatch(/month name can't be combined/);
  });
});
