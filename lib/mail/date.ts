// Date header parsing.
//
// No date library is installed in node_modules (checked: no date-fns/luxon/dayjs/moment/
// chrono), and Date.parse() is implementation-defined: V8 happily turns garbage into some date
// and ignores parts it does not understand. So this is a small, strict-where-it-matters
// tokenizer for RFC 5322 dates plus the obsolete and broken forms seen in mailing-list archives:
//   "Mon, 29 Apr 2019 02:15:23 +0000"          RFC 5322
//   "29 Apr 2019 02:15 -0500 (EST)"            no weekday, no seconds, comment
//   "Tue, 5 Mar 02 10:00:00 EST"               two-digit year, named zone
//   "Mon Apr 29 02:15:23 2019"                 asctime / ctime
//   "Mon, 29 Apr 2019 02:15:23 GMT+0200"       zone name glued to an offset
//   "2019-04-29 02:15:23 +0200", "2019-04-29T02:15:23Z", "29-Apr-2019 02:15:23"
//   "Monday, April 29, 2019 2:15:23 PM +0200"  long names, AM/PM
// Anything without a recognisable year, month and day is rejected (null).

export interface MailDate {
  /** the instant, UTC */
  date: Date;
  /** sender's UTC offset in minutes, null when the zone was missing or not understood */
  tzOffsetMinutes: number | null;
}

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
  // a few localised abbreviations that leak into Date headers from misconfigured clients
  mär: 2, mrz: 2, mai: 4, okt: 9, dez: 11, sept: 8, janv: 0, févr: 1, fevr: 1, avr: 3, juin: 5,
  juil: 6, août: 7, aout: 7, déc: 11,
};

const WEEKDAYS = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

/** Named zones: RFC 5322 (UT, GMT, EST..PDT) plus common non-standard ones, in minutes. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, uct: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  art: -180, brt: -180, brst: -120,
  bst: 60, ist: 330, cet: 60, cest: 120, met: 60, mest: 120, mez: 60, mesz: 120, west: 60,
  eet: 120, eest: 180, msk: 180, msd: 240, sast: 120, cat: 120, eat: 180,
  ict: 420, wib: 420, hkt: 480, sgt: 480, awst: 480, pht: 480, jst: 540, kst: 540,
  acst: 570, acdt: 630, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

function monthOf(tok: string): number | undefined {
  const t = tok.toLowerCase().replace(/\.$/, "");
  if (t.length < 3) return undefined;
  const direct = MONTHS[t];
  if (direct !== undefined) return direct;
  // full names ("April", "September") and other prefixes of length >= 3
  const m3 = MONTHS[t.slice(0, 3)];
  if (m3 !== undefined && /^(january|february|march|april|may|june|july|august|september|october|november|december)$/.test(t)) {
    return m3;
  }
  return undefined;
}

function isWeekday(tok: string): boolean {
  const t = tok.toLowerCase().replace(/\.$/, "");
  if (t.length < 3) return false;
  if (!WEEKDAYS.has(t.slice(0, 3))) return false;
  return t.length === 3 || /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|thur|thurs)$/.test(t);
}

/** "+0200", "-05:30", "+02", "+2" => minutes; undefined when not a numeric zone or out of range. */
function numericZone(tok: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tok);
  if (!m) return undefined;
  const h = Number(m[2]);
  const mi = m[3] ? Number(m[3]) : 0;
  if (h > 23 || mi > 59) return undefined;
  return (m[1] === "-" ? -1 : 1) * (h * 60 + mi) + 0; // "+ 0" turns -0 into 0
}

function stripComments(s: string): { text: string; comments: string[] } {
  if (s.indexOf("(") < 0) return { text: s, comments: [] };
  let out = "";
  let depth = 0;
  let cur = "";
  const comments: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") {
      if (depth > 0) cur += c;
      depth++;
      out += " ";
    } else if (c === ")" && depth > 0) {
      depth--;
      if (depth === 0) {
        comments.push(cur);
        cur = "";
      } else cur += c;
    } else if (depth > 0) {
      cur += c;
    } else out += c;
  }
  return { text: out, comments };
}

function twoDigitYear(y: number): number {
  return y < 50 ? 2000 + y : 1900 + y;
}

/**
 * Parses a Date header value. Returns null when no year/month/day can be found or the fields are
 * out of range. The zone defaults to UTC (tzOffsetMinutes null) when missing or unknown.
 */
export function parseMailDate(input: string | null | undefined): MailDate | null {
  if (!input) return null;
  const { text, comments } = stripComments(input);
  // ISO forms first: 2019-04-29[T ]02:15[:23[.123]][Z|+02:00|+0200| +0200]
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*$/.exec(text);
  if (iso) {
    let tz: number | null = null;
    if (iso[7]) {
      const z = iso[7].toLowerCase();
      tz = z === "z" ? 0 : (numericZone(iso[7]) ?? ZONES[z] ?? null);
    }
    return build(+iso[1], +iso[2] - 1, +iso[3], +(iso[4] ?? 0), +(iso[5] ?? 0), +(iso[6] ?? 0), tz);
  }

  const tokens = text
    .replace(/,/g, " ")
    .split(/\s+/)
    .filter((t) => t.length > 0);

  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let hour: number | undefined;
  let minute = 0;
  let second = 0;
  let tz: number | null = null;
  let tzSeen = false;
  let pm: boolean | undefined;

  const setZone = (z: number | null) => {
    if (!tzSeen) {
      tz = z;
      tzSeen = true;
    }
  };

  for (let tok of tokens) {
    // "29-Apr-2019" / "29/Apr/2019"
    const dmy = /^(\d{1,2})[-/]([A-Za-z]{3,9})[-/](\d{2,4})$/.exec(tok);
    if (dmy) {
      const mo = monthOf(dmy[2]);
      if (mo !== undefined) {
        day = +dmy[1];
        month = mo;
        year = dmy[3].length === 4 ? +dmy[3] : twoDigitYear(+dmy[3]);
        continue;
      }
    }
    // time, possibly with a zone glued on: "02:15:23", "02:15", "02:15:23+0000", "2:15:23PM"
    const tm = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,]\d+)?)?(am|pm|a\.m\.|p\.m\.)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(tok);
    if (tm && hour === undefined) {
      hour = +tm[1];
      minute = +tm[2];
      second = tm[3] ? +tm[3] : 0;
      if (tm[4]) pm = tm[4][0].toLowerCase() === "p";
      if (tm[5]) setZone(tm[5].toLowerCase() === "z" ? 0 : (numericZone(tm[5]) ?? null));
      continue;
    }
    const lower = tok.toLowerCase();
    if (lower === "am" || lower === "a.m." || lower === "pm" || lower === "p.m.") {
      pm = lower[0] === "p";
      continue;
    }
    if (/^[+-]\d/.test(tok)) {
      const z = numericZone(tok);
      if (z !== undefined) {
        setZone(z);
        continue;
      }
      // "-0000"-like but out of range ("+9900"): a zone we cannot use
      if (/^[+-]\d{3,4}$/.test(tok)) {
        setZone(null);
        continue;
      }
    }
    if (/^\d+$/.test(tok)) {
      if (tok.length >= 3) {
        if (year === undefined) year = tok.length === 3 ? 1900 + +tok : +tok;
      } else if (day === undefined) {
        // the first small number is the day ("29 Apr 2019", "Apr 29 2019", "2019 Apr 29")
        day = +tok;
      } else if (year === undefined) {
        year = twoDigitYear(+tok);
      }
      continue;
    }
    if (/^[A-Za-z]/.test(tok)) {
      const mo = monthOf(tok);
      if (mo !== undefined && month === undefined) {
        month = mo;
        continue;
      }
      if (isWeekday(tok)) continue;
      // "GMT+0200", "UTC+2", "UTC-05:00"
      const glued = /^(gmt|utc|ut)([+-]\d{1,2}(?::?\d{2})?)$/i.exec(tok);
      if (glued) {
        const z = numericZone(glued[2]);
        setZone(z ?? null);
        continue;
      }
      const named = ZONES[lower];
      if (named !== undefined) {
        setZone(named);
        continue;
      }
      if (/^[a-z]$/i.test(tok)) {
        // military zones: RFC 5322 says to treat them as "-0000" (unknown)
        setZone(null);
        continue;
      }
      // unknown word: ignore ("Date: Thu, 3 Feb 2005 12:00:00 +0100 (Westeuropäische Normalzeit)"
      // is handled by the comment stripper; other junk is tolerated as long as the fields parse)
      continue;
    }
  }

  if (!tzSeen) {
    // no zone in the text: a zone name inside a comment ("(EST)") is better than nothing
    for (const c of comments) {
      const z = ZONES[c.trim().toLowerCase()];
      if (z !== undefined) {
        setZone(z);
        break;
      }
    }
  }

  if (day === undefined || month === undefined || year === undefined) return null;
  // (two-digit years were widened where they were read; a four-digit "0001" stays year 1)
  let h = hour ?? 0;
  if (pm !== undefined) {
    if (h > 12 || h === 0) return null;
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  return build(year, month, day, h, minute, second, tz);
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: number | null): MailDate | null {
  if (!Number.isFinite(year) || year < 1 || year > 275000) return null;
  if (month < 0 || month > 11 || day < 1 || day > 31) return null;
  if (hour > 24 || minute > 59 || second > 60) return null;
  if (hour === 24) {
    if (minute !== 0 || second !== 0) return null;
  }
  if (second === 60) second = 59; // leap second
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  if (d.getUTCMonth() !== month || d.getUTCDate() !== day) return null; // "31 Feb"
  d.setUTCHours(hour, minute, second, 0);
  const ms = d.getTime() - (tz ?? 0) * 60_000;
  if (!Number.isFinite(ms)) return null;
  return { date: new Date(ms), tzOffsetMinutes: tz };
}
