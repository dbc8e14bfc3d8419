// Dates as people and archives write them (not RFC 5322 Date headers: lib/mail/date.ts):
//
//   hypermail (lkml.iu.edu): "Thu Aug 08 2024 - 17:19:52 EST". The archive prints its own local
//     time, US Eastern, and labels it "EST" all year round: in summer the clock is really EDT
//     (-0400). The label is ignored and the offset comes from the US daylight-saving rules for the
//     date. The sender's own zone is not on the page (tzOffsetMinutes stays null).
//   lore thread pages: "2020-08-21 23:49 UTC" (minute precision, UTC).
//   mail-archive.com: "2017-10-11" (the day only). A date known to the day is stored as 12:00 UTC
//     of that day (precision "day"), so that it reads as the same day in every zone.
//   attribution lines: "Thu, Nov 02, 2017 at 06:25:11PM +0100" (mutt, with zone),
//     "Thu, Aug 8, 2024 at 1:04 PM" (gmail, the quoter's local time, no zone),
//     "26/10/2017 12:18" (thunderbird, locale order, no zone), "Fri, 21 Aug 2020 16:50:00 -0700".
//     Zone-less times are the local time of whoever wrote the attribution, the quoting message's
//     sender: given that message's zone (localOffsetMinutes, the offset of its Date header) they
//     are read in it (zoneFromQuoter); else they are read as UTC and reported as such
//     (zoneAssumed). tzOffsetMinutes stays null either way: the quoted sender's own zone is unknown.

import { parseMailDate } from "./date";

/** How much of a date a page or an attribution gives. */
export type DatePrecision = "day" | "minute" | "second";

export interface PageDate {
  /** ISO 8601 UTC */
  iso: string;
  /** the zone the text states (sender's zone), null when none or when it is the archive's own */
  tzOffsetMinutes: number | null;
  precision: DatePrecision;
  /** true when a time without zone was read as UTC */
  zoneAssumed: boolean;
  /** the UTC offset (minutes) a time without zone was read in: the quoting message's (LooseDateOptions.localOffsetMinutes) */
  zoneFromQuoter?: number;
}

export interface LooseDateOptions {
  /**
   * The UTC offset (minutes) of the message the attribution is written in (its Date header's
   * zone): a time the attribution gives without zone is that writer's local time.
   */
  localOffsetMinutes?: number | null;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function monthIndex(s: string): number {
  return MONTHS.indexOf(s.slice(0, 3).toLowerCase());
}

/** Day of month of the n-th (1-based; -1 = last) given weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lastWd = new Date(Date.UTC(year, month, lastDay)).getUTCDay();
  return lastDay - ((lastWd - weekday + 7) % 7);
}

/**
 * US Eastern offset (minutes) for a local wall-clock time: -240 in daylight-saving time, else -300.
 * Rules: 2007+ second Sunday of March .. first Sunday of November; 1987-2006 first Sunday of April
 * .. last Sunday of October; 1967-1986 last Sunday of April .. last Sunday of October; 02:00 local.
 */
export function usEasternOffset(year: number, month: number, day: number, hour: number): number {
  let start: [number, number];
  let end: [number, number];
  if (year >= 2007) {
    start = [2, nthWeekday(year, 2, 0, 2)];
    end = [10, nthWeekday(year, 10, 0, 1)];
  } else if (year >= 1987) {
    start = [3, nthWeekday(year, 3, 0, 1)];
    end = [9, nthWeekday(year, 9, 0, -1)];
  } else if (year >= 1967) {
    start = [3, nthWeekday(year, 3, 0, -1)];
    end = [9, nthWeekday(year, 9, 0, -1)];
  } else return -300;
  const key = (m: number, d: number, h: number) => m * 10000 + d * 100 + h;
  const k = key(month, day, hour);
  return k >= key(start[0], start[1], 2) && k < key(end[0], end[1], 2) ? -240 : -300;
}

function iso(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): string {
  return new Date(Date.UTC(y, mo, d, h, mi, s) - offset * 60_000).toISOString();
}

/** "Thu Aug 08 2024 - 17:19:52 EST" (hypermail). The zone label is the archive's habit; see the header. */
export function parseHypermailDate(s: string): (PageDate & { archiveOffsetMinutes: number }) | null {
  const m = /^\s*(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})[a-z]*\s+(\d{1,2})\s+(\d{4})\s*-\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Z]{2,5})?\s*$/.exec(s);
  if (!m) return null;
  const mo = monthIndex(m[1]);
  if (mo < 0) return null;
  const y = +m[3];
  const d = +m[2];
  const h = +m[4];
  const label = (m[7] ?? "").toUpperCase();
  // the US Eastern labels (EST/EDT) are the archive's local clock: use the real rule for the date
  const offset = label === "" || label === "EST" || label === "EDT" ? usEasternOffset(y, mo, d, h) : (parseMailDate(`1 Jan 2000 00:00 ${label}`)?.tzOffsetMinutes ?? 0);
  return {
    iso: iso(y, mo, d, h, +m[5], m[6] ? +m[6] : 0, offset),
    tzOffsetMinutes: null,
    precision: m[6] ? "second" : "minute",
    zoneAssumed: false,
    archiveOffsetMinutes: offset,
  };
}

/** "2020-08-21 23:49" or "2020-08-21 23:49 UTC" (lore), "2017-10-11" (mail-archive): UTC. */
export function parseIsoLikeDate(s: string): PageDate | null {
  const m = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(UTC|GMT|Z)?\s*$/.exec(s);
  if (!m) return null;
  const hasTime = m[4] !== undefined;
  return {
    iso: iso(+m[1], +m[2] - 1, +m[3], hasTime ? +m[4] : 12, hasTime ? +m[5] : 0, m[6] ? +m[6] : 0, 0),
    tzOffsetMinutes: null,
    precision: !hasTime ? "day" : m[6] ? "second" : "minute",
    zoneAssumed: hasTime && !m[7],
  };
}

/**
 * The date in an attribution line ("On <this>, Jane wrote:"). `dayHint` (YYYY-MM-DD) decides
 * day/month order for "02/11/2017"-style dates when both orders are possible.
 */
export function parseLooseDate(s: string, dayHint?: string | null, opts: LooseDateOptions = {}): PageDate | null {
  const d = readLooseDate(s, dayHint);
  const off = opts.localOffsetMinutes;
  if (!d || !d.zoneAssumed || off === null || off === undefined || !Number.isFinite(off)) return d;
  // the writer's local time: UTC = local - offset
  return { ...d, iso: new Date(Date.parse(d.iso) - off * 60_000).toISOString(), zoneAssumed: false, zoneFromQuoter: off };
}

function readLooseDate(s: string, dayHint?: string | null): PageDate | null {
  const t = s.trim().replace(/\s+/g, " ");
  // numeric d/m/y or m/d/y with an optional time: "26/10/2017 12:18", "8/21/20 4:50 PM"
  let m = /^(?:[A-Za-z]{3,9},? )?(\d{1,2})[/.](\d{1,2})[/.](\d{2,4}),?(?: (?:at )?(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.?[Mm]\.?)?)?(?: ([+-]\d{4}|[A-Z]{2,5}))?$/.exec(t);
  if (m) {
    let a = +m[1];
    let b = +m[2];
    let y = +m[3];
    if (y < 100) y += y < 50 ? 2000 : 1900;
    let day = a;
    let month = b;
    const hm = dayHint ? /^(\d{4})-(\d{2})-(\d{2})/.exec(dayHint) : null;
    const monthFirst = () => {
      day = b;
      month = a;
    };
    if (a > 12) {
      // day first
    } else if (b > 12) monthFirst();
    else if (hm && +hm[2] === a && +hm[3] === b) monthFirst();
    else if (hm && +hm[2] === b && +hm[3] === a) {
      // day first, as the hint says
    } else if (m[7]) monthFirst(); // AM/PM clocks are mostly US locales: month first
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    let h = m[4] ? +m[4] : 12;
    if (m[7]) {
      const pm = m[7].toLowerCase() === "p";
      if (pm && h < 12) h += 12;
      if (!pm && h === 12) h = 0;
    }
    let offset: number | null = null;
    if (m[8]) offset = parseMailDate(`1 Jan 2000 00:00 ${m[8]}`)?.tzOffsetMinutes ?? null;
    return {
      iso: iso(y, month - 1, day, h, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, offset ?? 0),
      tzOffsetMinutes: offset,
      precision: !m[4] ? "day" : m[6] ? "second" : "minute",
      zoneAssumed: !!m[4] && offset === null,
    };
  }
  const isoLike = parseIsoLikeDate(t);
  if (isoLike) return isoLike;
  // everything else: the RFC 5322-ish parser ("Thu, Nov 02, 2017 at 06:25:11PM +0100", "Thu, Aug 8, 2024 at 1:04 PM")
  const cleaned = t.replace(/\bat\b/g, " ").replace(/(\d)([AaPp][Mm])\b/, "$1 $2");
  const d = parseMailDate(cleaned);
  if (!d) return null;
  const hasTime = /\d{1,2}:\d{2}/.test(t);
  const hasSeconds = /\d{1,2}:\d{2}:\d{2}/.test(t);
  return {
    iso: d.date.toISOString(),
    tzOffsetMinutes: d.tzOffsetMinutes,
    precision: !hasTime ? "day" : hasSeconds ? "second" : "minute",
    zoneAssumed: hasTime && d.tzOffsetMinutes === null,
  };
}

const WD = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * RFC 5322 date for an instant: in the sender's zone when known, else in UTC with "-0000"
 * (RFC 5322 3.3: the time is UTC and the sender's local zone is unknown).
 */
export function formatRfc5322(isoDate: string, tzOffsetMinutes: number | null): string {
  const t = Date.parse(isoDate);
  const off = tzOffsetMinutes ?? 0;
  const d = new Date(t + off * 60_000);
  const p2 = (n: number) => String(n).padStart(2, "0");
  let zone: string;
  if (tzOffsetMinutes === null) zone = "-0000";
  else {
    const a = Math.abs(off);
    zone = `${off < 0 ? "-" : "+"}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
  }
  return `${WD[d.getUTCDay()]}, ${d.getUTCDate()} ${MN[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zone}`;
}
