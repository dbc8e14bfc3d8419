// A careful subset of git's "approxidate" (date.c), the date language lore's `d:`, `dt:` and
// `rt:` accept, resolved to absolute UTC instants against a given `now`.
//
// What lore does with a date (public-inbox 2.x, lib/PublicInbox/Search.pm + xh_date.h): each
// side of `d:A..B` that is not already YYYYMMDD is handed to git's approxidate; the result is
// turned into a UTC calendar day (d: is "low precision": hours, minutes and seconds are zeroed)
// and compared, inclusively at both ends, against the day of the message's Date: header.
// `dt:` does the same at second precision (YYYYMMDDHHMMSS), `rt:` with Unix seconds of the
// time the message was received. git never fails: an unknown word is skipped and "garbage"
// means "now". Here an unknown word is an error, so a typo is reported instead of silently
// searching for today.
//
// The forms below were checked against git 2.39 (`GIT_TEST_DATE_NOW=<epoch> TZ=UTC git
// rev-parse --since=<form>`), which is what public-inbox's Perl code runs; where we differ on
// purpose it is said at the spot.
//
// A parsed date is a *period*, [start, end) in epoch milliseconds:
//  - calendar forms name a whole day, month or year: `2023-01-01`, `20230101`, `yesterday`,
//    `today`, `last.friday`, `march`, `march.2022`, `2023-03`, `2023`;
//  - instants name a point in time (period of one second): `now`, `2.days.ago`, `last.week`,
//    `noon`, `20230101123456`, `2023-01-01T12:30:00Z`, an epoch number.
// The query parser decides what a period means at each end of a range (see query-parser.ts).

export const DAY_MS = 86_400_000;
const SECOND_MS = 1000;

export interface DatePeriod {
  /** first millisecond of the period (UTC epoch ms) */
  start: number;
  /** first millisecond after the period (exclusive) */
  end: number;
  /** "instant" for a point in time, otherwise the calendar unit the text named */
  unit: "instant" | "day" | "month" | "year";
  /** the period was worked out from `now` (`2.days.ago`, `last.week`, `noon`, `yesterday`),
   * rather than written as an absolute date or date-time; d: widens such an instant to its
   * day, as lore's day-granular d: does */
  relative: boolean;
}

export interface DateParseError {
  error: string;
  /** offset of the offending part inside the parsed text */
  offset: number;
  length: number;
}

export interface ApproxidateOptions {
  /** digit strings of at least this many digits (other than the 8-digit YYYYMMDD and the
   * 14-digit YYYYMMDDHHMMSS forms) are Unix seconds; lore's `rt:` uses 5, git itself 9 */
  epochDigits?: number;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
// git's typelen table (seconds), plus fortnight, months and years handled on the calendar
const UNIT_SECONDS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
  week: 7 * 86_400,
  fortnight: 14 * 86_400,
};

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysIn(y: number, m: number /* 1-12 */): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

function validYMD(y: number, m: number, d: number): boolean {
  return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}

function validHMS(h: number, mi: number, s: number): boolean {
  // 23:59:60 is a leap second in RFC 5322 dates; Date.UTC folds it into the next minute
  return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60;
}

function dayPeriod(y: number, m: number, d: number): DatePeriod {
  const start = Date.UTC(y, m - 1, d);
  return { start, end: start + DAY_MS, unit: "day", relative: false };
}

function monthPeriod(y: number, m: number): DatePeriod {
  return { start: Date.UTC(y, m - 1, 1), end: Date.UTC(y, m, 1), unit: "month", relative: false };
}

function yearPeriod(y: number): DatePeriod {
  return { start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1), unit: "year", relative: false };
}

function instant(ms: number, relative: boolean): DatePeriod {
  return { start: ms, end: ms + SECOND_MS, unit: "instant", relative };
}

/** the UTC day containing `ms` */
export function dayOf(ms: number): { start: number; end: number } {
  const start = Math.floor(ms / DAY_MS) * DAY_MS;
  return { start, end: start + DAY_MS };
}

function err(error: string, offset = 0, length = 0): DateParseError {
  return { error, offset, length };
}

/** prefix match like git's match_string: at least `min` characters of `word` */
function matchName(token: string, names: readonly string[], min = 3): number {
  if (token.length < min) return -1;
  for (let i = 0; i < names.length; i++) {
    if (names[i].startsWith(token)) return i;
  }
  return -1;
}

function unitOf(token: string): string | null {
  // singular or plural, like git (which accepts "day" for "days")
  const t = token.endsWith("s") ? token.slice(0, -1) : token;
  if (t in UNIT_SECONDS) return t;
  if (t === "month" || t === "year") return t;
  // common abbreviations people type in queries: git does not know these; harmless to accept
  const abbrev: Record<string, string> = { sec: "second", min: "minute", hr: "hour", wk: "week", mon: "month", yr: "year" };
  return abbrev[t] ?? null;
}

function parseOffset(tz: string | undefined): number | null {
  // returns the offset in minutes east of UTC, null when malformed
  if (!tz || tz === "Z" || tz === "z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (!m) return null;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return null;
  return m[1] === "-" ? -mins : mins;
}

/**
 * Parse one approxidate expression (one side of a range). `now` anchors relative forms.
 * Spaces, dots and commas separate words, as in git (`2.weeks.ago` = `2 weeks ago`).
 */
export function parseApproxidate(text: string, now: Date, opts: ApproxidateOptions = {}): DatePeriod | DateParseError {
  const epochDigits = opts.epochDigits ?? 9;
  const raw = text;
  const s = text.trim();
  const lead = raw.length - raw.trimStart().length;
  if (s === "") return err("empty date", 0, raw.length);
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) return err("invalid reference time");

  // ---- all digits -------------------------------------------------------------------------
  if (/^\d+$/.test(s)) {
    if (s.length === 8) {
      // YYYYMMDD: lore passes it through untouched (git itself does not know it)
      const y = +s.slice(0, 4), m = +s.slice(4, 6), d = +s.slice(6, 8);
      if (!validYMD(y, m, d)) return err(`no such date: ${s} (expected YYYYMMDD)`, lead, s.length);
      return dayPeriod(y, m, d);
    }
    if (s.length === 14) {
      // YYYYMMDDHHMMSS: lore's dt: column format (and what public-inbox 1.x turned d: into)
      const y = +s.slice(0, 4), m = +s.slice(4, 6), d = +s.slice(6, 8);
      const h = +s.slice(8, 10), mi = +s.slice(10, 12), se = +s.slice(12, 14);
      if (!validYMD(y, m, d) || !validHMS(h, mi, se)) return err(`no such date-time: ${s} (expected YYYYMMDDHHMMSS)`, lead, s.length);
      return instant(Date.UTC(y, m - 1, d, h, mi, se), false);
    }
    if (s.length === 4) {
      // a bare year: git ignores it (the date becomes "now"); here it names the whole year,
      // which is what someone typing d:2023 means
      const y = +s;
      if (y < 1970 || y > 9999) return err(`year out of range: ${s}`, lead, s.length);
      return yearPeriod(y);
    }
    if (s.length >= epochDigits) {
      const secs = Number(s);
      if (!Number.isSafeInteger(secs) || secs * 1000 > 8.64e15) return err(`timestamp out of range: ${s}`, lead, s.length);
      return instant(secs * 1000, false);
    }
    return err(`not a date: ${s} (use YYYY-MM-DD, YYYYMMDD or a form like 2.weeks.ago)`, lead, s.length);
  }

  // ---- numeric calendar dates -------------------------------------------------------------
  // YYYY-MM-DD / YYYY/MM/DD / YYYY.MM.DD, optionally with a time and a zone:
  //   2023-01-01T12:30, 2023-01-01.12:30:05, "2023-01-01 12:30:05 +0200", 2023-01-01T12:30:05Z
  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:(?:[Tt]|[\s.]+)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const y = +m[1], mo = +m[3], d = +m[4];
    if (!validYMD(y, mo, d)) return err(`no such date: ${m[1]}-${m[3]}-${m[4]}`, lead, s.length);
    if (m[5] === undefined) return dayPeriod(y, mo, d);
    const h = +m[5], mi = +m[6], se = m[7] === undefined ? 0 : +m[7];
    if (!validHMS(h, mi, se)) return err(`no such time of day: ${m[5]}:${m[6]}${m[7] ? ":" + m[7] : ""}`, lead, s.length);
    const off = parseOffset(m[8]);
    if (off === null) return err(`bad time zone: ${m[8]}`, lead, s.length);
    return instant(Date.UTC(y, mo - 1, d, h, mi, se) - off * 60_000, false);
  }
  // YYYY-MM: a whole month (git reads "2023-02" as something else entirely: day 2 of this month)
  m = /^(\d{4})[-/.](\d{1,2})$/.exec(s);
  if (m) {
    const y = +m[1], mo = +m[2];
    if (y < 1970 || mo < 1 || mo > 12) return err(`no such month: ${s}`, lead, s.length);
    return monthPeriod(y, mo);
  }
  // MM/DD/YYYY (git: US order for '/', falling back to DD/MM when the month would be > 12)
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) {
    let mo = +m[1], d = +m[2];
    const y = +m[3];
    if (mo > 12) [mo, d] = [d, mo];
    if (!validYMD(y, mo, d)) return err(`no such date: ${s}`, lead, s.length);
    return dayPeriod(y, mo, d);
  }
  // DD.MM.YYYY and DD-MM-YYYY (git: European order for '.', falling back to MM.DD)
  m = /^(\d{1,2})([.-])(\d{1,2})\2(\d{4})$/.exec(s);
  if (m) {
    let d = +m[1], mo = +m[3];
    const y = +m[4];
    if (mo > 12) [mo, d] = [d, mo];
    if (!validYMD(y, mo, d)) return err(`no such date: ${s}`, lead, s.length);
    return dayPeriod(y, mo, d);
  }

  return parseWords(raw, now);
}

interface Token {
  text: string;
  offset: number;
}

function tokenize(raw: string): Token[] {
  const out: Token[] = [];
  const re = /[^\s.,]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) out.push({ text: m[0].toLowerCase(), offset: m.index });
  return out;
}

/**
 * The word forms: relative offsets (`2.weeks.ago`, `last.month`, `1.year.2.months.ago`,
 * `two.days.ago`), named days (`now`, `today`, `yesterday`, `last.friday`, `friday`), times of
 * day (`noon`, `midnight`, `tea`, `12:30`), month names with an optional day and year
 * (`march`, `mar.5`, `5.march.2022`, `march.2022`).
 */
function parseWords(raw: string, now: Date): DatePeriod | DateParseError {
  const tokens = tokenize(raw);
  if (tokens.length === 0) return err("empty date", 0, raw.length);

  // the moment being built, in UTC milliseconds; starts at now, like git's tm
  let t = now.getTime();
  let num: number | null = null; // pending number ("2" in "2 weeks"), git's *num
  let numTok: Token | null = null;
  let relative = false; // an offset was applied
  let calendarDay = false; // today / yesterday / a weekday: names a whole day
  let timeSet = false; // an explicit time of day (noon, 12:30) was given
  let month = -1; // 0-11 when a month name was given
  let mday = -1;
  let year = -1;

  const takeNum = (): number => {
    const n = num ?? 0;
    num = null;
    numTok = null;
    return n;
  };
  const subtractMonths = (n: number) => {
    // git: tm_mon -= n, then mktime normalises an overflowing day (Mar 31 - 1 month = Mar 3);
    // Date.UTC overflows the same way
    const d = new Date(t);
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
  };
  const setTimeOfDay = (hour: number, min = 0, sec = 0, rollBack = true) => {
    // git's date_time(): if the clock has not reached that hour yet today, it means yesterday's
    const d = new Date(t);
    if (rollBack && d.getUTCHours() < hour) t -= DAY_MS;
    const e = new Date(t);
    t = Date.UTC(e.getUTCFullYear(), e.getUTCMonth(), e.getUTCDate(), hour, min, sec);
    timeSet = true;
  };

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const w = tok.text;

    if (/^\d+$/.test(w)) {
      // a number: a count for the next unit, a day of month or a year next to a month name
      if (num !== null) {
        // two numbers in a row: the first must have been a day or a year
        if (!absorbCalendarNumber(num)) return err(`don't know what "${numTok!.text}" means here`, numTok!.offset, numTok!.text.length);
      }
      num = Number(w);
      numTok = tok;
      continue;
    }
    const hm = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(w);
    if (hm) {
      const h = +hm[1], mi = +hm[2], se = hm[3] ? +hm[3] : 0;
      if (!validHMS(h, mi, se)) return err(`no such time of day: ${w}`, tok.offset, w.length);
      if (num !== null && !absorbCalendarNumber(takeNum())) return err(`don't know what "${w}" means here`, tok.offset, w.length);
      setTimeOfDay(h, mi, se, false);
      continue;
    }
    const nw = NUMBER_WORDS.indexOf(w);
    if (nw >= 0) {
      num = nw;
      numTok = tok;
      continue;
    }
    if (w === "last") {
      num = 1;
      numTok = tok;
      continue;
    }
    if (w === "a" || w === "an") {
      // "a week ago": git reads "a" as nothing; accepting it as 1 is what people mean
      num = 1;
      numTok = tok;
      continue;
    }
    if (w === "ago") continue; // git ignores it too: "2.days" = "2.days.ago"
    if (w === "now") continue;
    if (w === "today") {
      calendarDay = true;
      continue;
    }
    if (w === "yesterday") {
      t -= DAY_MS;
      calendarDay = true;
      relative = true;
      continue;
    }
    if (w === "noon" || w === "midnight" || w === "tea") {
      setTimeOfDay(w === "noon" ? 12 : w === "tea" ? 17 : 0);
      relative = true;
      continue;
    }
    const unit = unitOf(w);
    if (unit) {
      if (num === null) return err(`"${w}" needs a number before it, as in 2.${w.endsWith("s") ? w : w + "s"}.ago`, tok.offset, w.length);
      const n = takeNum();
      if (unit === "month") subtractMonths(n);
      else if (unit === "year") subtractMonths(12 * n);
      else t -= UNIT_SECONDS[unit] * 1000 * n;
      relative = true;
      continue;
    }
    const wd = matchName(w, WEEKDAYS);
    if (wd >= 0) {
      // git: "last friday" is the most recent Friday before today ("last tuesday" on a Tuesday
      // is a week ago). A bare weekday does nothing in git; here it is the most recent such
      // day, today included.
      const n = num;
      num = null;
      numTok = null;
      const today = new Date(t).getUTCDay();
      let diff = today - wd;
      if (n === null) {
        if (diff < 0) diff += 7;
      } else {
        if (n < 1) return err(`"${w}" needs "last" or nothing before it`, tok.offset, w.length);
        if (diff <= 0) diff += 7;
        diff += 7 * (n - 1);
      }
      t -= diff * DAY_MS;
      calendarDay = true;
      relative = true;
      continue;
    }
    const mo = matchName(w, MONTHS);
    if (mo >= 0) {
      if (month >= 0) return err(`two months named in one date`, tok.offset, w.length);
      month = mo;
      if (num !== null) {
        // "5 march": the number before the month is its day
        const n = takeNum();
        if (n >= 1 && n <= 31) mday = n;
        else if (n >= 1970) year = n;
        else return err(`don't know what "${n}" means next to a month`, tok.offset, w.length);
      }
      continue;
    }
    if (/\d/.test(w)) return err(`can't read "${w}" here (dates are written 2023-01-31, times 12:30 or 2023-01-31T12:30)`, tok.offset, w.length);
    return err(`unknown date word "${w}" (try 2023-01-31, yesterday, 2.weeks.ago, last.month, march)`, tok.offset, w.length);
  }
  if (num !== null) {
    // a number left at the end: a year, or the day of a named month ("march 5"); anything
    // else lacks its unit (git would take it as this month's day: "1.fortnight.ago", which
    // git does not know, is the 1st of the month there)
    const n: number = num;
    if ((month < 0 && mday < 0 && !(n >= 1970 && n <= 9999)) || !absorbCalendarNumber(n)) {
      const tk = numTok!;
      return err(`"${tk.text}" needs a unit after it, as in ${tk.text}.days.ago`, tk.offset, tk.text.length);
    }
    num = null;
  }

  if (month >= 0) {
    // git's update_tm: a missing year is this year, or last year when that month is still to
    // come ("dec" in November 2023 is December 2022); a missing day keeps today's day in git,
    // which no one means: here a month without a day names the whole month
    const ref = new Date(now.getTime());
    let y = year;
    if (y < 0) {
      y = ref.getUTCFullYear();
      if (month > ref.getUTCMonth()) y--;
    }
    if (mday < 0) {
      if (timeSet || relative) return err("a month name can't be combined with a time or an offset", 0, raw.length);
      return monthPeriod(y, month + 1);
    }
    if (!validYMD(y, month + 1, mday)) return err(`no such date: ${MONTHS[month]} ${mday} ${y}`, 0, raw.length);
    if (timeSet || relative) return err("a month name can't be combined with a time or an offset", 0, raw.length);
    return dayPeriod(y, month + 1, mday);
  }
  if (mday >= 0 || year >= 0) {
    if (year >= 0 && mday < 0 && !relative && !timeSet && !calendarDay) return yearPeriod(year);
    return err("a day or year number needs a month name, as in march.5.2022", 0, raw.length);
  }
  if (calendarDay && !timeSet) {
    const d = dayOf(t);
    return { start: d.start, end: d.end, unit: "day", relative: true };
  }
  // every word form is anchored on now: d: widens it to its day, as lore does
  return instant(t, true);

  // a number that is not a count: a year, or a day of the month (before or after its name)
  function absorbCalendarNumber(n: number): boolean {
    if (n >= 1970 && n <= 9999 && year < 0) {
      year = n;
      return true;
    }
    if (month >= 0 && mday < 0 && n >= 1 && n <= 31) {
      mday = n;
      return true;
    }
    // a day number may come before the month name ("5 march 2022"): keep it for the month
    if (month < 0 && mday < 0 && n >= 1 && n <= 31) {
      mday = n;
      return true;
    }
    return false;
  }
}

export function isDateParseError(x: DatePeriod | DateParseError): x is DateParseError {
  return (x as DateParseError).error !== undefined;
}

/** ISO 8601 UTC, second precision: 2023-01-01T00:00:00Z */
export function isoUTC(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
