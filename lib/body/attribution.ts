// The one attribution parser: the line a mail client writes above a quote ("On Thu, Aug 8, 2024 at
// 1:04 PM Jane Doe <jane@x.org> wrote:") and the header block Outlook writes instead
// ("-----Original Message-----" / "From: … Sent: … To: … Subject: …"). lib/body (the body tree and
// its block lexer), lib/archive-pages (saved pages, quoted ancestors), lib/knowledge and lib/review all read
// attributions through this module.
//
// Pure: no I/O, no globals. Dates go through lib/mail/written-dates parseLooseDate (which reads the
// numeric d/m/y orders with a day hint) and lib/mail/date.

import { parseLooseDate } from "../mail/written-dates";
import { parseNameAddress, type NameAddress } from "../mail/address";

export type AttributionStyle =
  /** "On <date>, <name> wrote:" and its translations that start with the date ("Em …, X escreveu:") */
  | "on-wrote"
  /** "<name> wrote:" / "<name> said:" */
  | "wrote"
  /** "<name> <addr> writes:" (Gnus) */
  | "writes"
  /** "Quoting <name> (<date>):" (git-send-email users, Horde) */
  | "quoting"
  /** "* <name> <addr> [<date>]:" (mutt's default) */
  | "mutt"
  /** "Le <date>, <name> a écrit :" */
  | "le-a-ecrit"
  /** "Am <date> schrieb <name>:" */
  | "am-schrieb"
  /** "El <date>, <name> escribió:" */
  | "el-escribio"
  /** "-----Original Message-----" / "From: … Sent: …" header block */
  | "outlook"
  /** "---------- Forwarded message ---------" / "Begin forwarded message:" header block */
  | "forwarded";

export interface Attribution {
  /** display name ("" when the attribution gives only an address) */
  name: string;
  /** a real address, lower-cased; null when none is given (or it is obfuscated) */
  address: string | null;
  /** an address an archive obfuscated ("jane@xxxxxxxxx"), when that is what the line shows */
  obfuscated?: string;
  /** the date as an ISO 8601 UTC instant, null when the attribution has none or it cannot be read */
  date: string | null;
  /** the date as written, null when the attribution has none */
  dateText: string | null;
  /** the writer's UTC offset when the date states a zone */
  tzOffsetMinutes: number | null;
  /** the attribution as written (two wrapped lines joined with one space; an Outlook block: its lines joined with "\n") */
  raw: string;
  style: AttributionStyle;
}

export interface AttributionOptions {
  /** YYYY-MM-DD (or an ISO instant) of the quoting message: decides d/m order of "02/11/2017" */
  dayHint?: string | null;
  /** false: dates are not read (date and tzOffsetMinutes null), for callers that do not use them */
  dates?: boolean;
}

// ---------------------------------------------------------------------------------------------
// people

/** Attribution lines and trailers are typed by people and mangled by HTML-to-text. */
const WRITTEN = { written: true } as const;

// ---------------------------------------------------------------------------------------------
// dates

// dates read lately, by day hint and text (replies of a day quote the same attributions)
const datesRead = new Map<string, { date: string | null; tz: number | null }>();

function dateOf(text: string | null, opts: AttributionOptions): { date: string | null; tz: number | null } {
  if (!text) return { date: null, tz: null };
  const key = `${opts.dayHint ? opts.dayHint.slice(0, 10) : ""}\u0000${text}`;
  let d = datesRead.get(key);
  if (!d) {
    d = readDate(text, opts);
    if (datesRead.size >= 4096) datesRead.clear();
    datesRead.set(key, d);
  }
  return { date: d.date, tz: d.tz };
}

function readDate(text: string, opts: AttributionOptions): { date: string | null; tz: number | null } {
  let t = text.trim().replace(/\s+/g, " ");
  // mutt's compact "[240101 10:00]" = YYMMDD HH:MM
  const compact = /^(\d{2})(\d{2})(\d{2}) (\d{1,2}:\d{2}(?::\d{2})?)(.*)$/.exec(t);
  if (compact) t = `20${compact[1]}-${compact[2]}-${compact[3]} ${compact[4]}${compact[5]}`;
  const hint = opts.dayHint ? opts.dayHint.slice(0, 10) : null;
  let d = parseLooseDate(t, hint);
  if (!d) {
    // translated forms: "Do., 8. Aug. 2024 um 13:04 Uhr", "jeu. 8 août 2024 à 13:04",
    // "qui., 8 de ago. de 2024 às 13:04", "jue, 8 ago 2024 a las 13:04"
    const c = t
      .replace(/\b(?:um|à|a las|às|alle|om|kl\.?|o)\s+(?=\d)/gi, " ")
      .replace(/\bUhr\b/gi, "")
      .replace(/\bde\b/gi, " ")
      .replace(/^[^\d,]{2,12}[.,]+\s*/, "")
      .replace(/(\d{1,2})\.\s+(?=\p{L})/gu, "$1 ")
      .replace(/(\p{L}{3,5})\.(?=\s|$)/gu, "$1")
      .replace(/\s+/g, " ")
      .trim();
    if (c !== t) d = parseLooseDate(c, hint);
  }
  return d ? { date: d.iso, tz: d.tzOffsetMinutes } : { date: null, tz: null };
}

// ---------------------------------------------------------------------------------------------
// one-line attributions

const WROTE_WORDS =
  "wrote|writes|said|says|schrieb|a écrit|a ecrit|escribió|escribio|escreveu|skrev|kirjoitti|scrisse|ha scritto|napisał|napisal|schreef|heeft geschreven|написал|написала|napsal|írta|yazdı";
const WROTE = new RegExp(`\\s*\\b(${WROTE_WORDS})\\s*:\\s*$`, "iu");
const LEAD = /^(On|Le|Am|El|Il|Em|Op|Den|Dne|W dniu|Pe|På|Στις)\s+(.*)$/i;
const TIME = /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?/;
const ZONE = /^\s*,?\s*(?:\(?(?:GMT|UTC)?\s?[+-]\d{2}:?\d{2}\)?|\(?[A-Z]{2,5}\)?(?=[ ,]|$))(?:\s*\([A-Z]{2,5}\))?/;
/** words a name does not start with ("As I wrote:", "What you said:") or hold ("Jane as I wrote:") */
const NOT_FIRST = /^(?:as|what|which|i|we|you|he|she|they|this|that|it|here|there|someone|somebody|who|and|but|so|then|the|a|an|also|previously|earlier|above|before)$/i;
const NOT_INSIDE = /^(?:what|which|above|before|previously|earlier|already|also|you|we|i|as)$/;

function plausibleWho(who: string, p: NameAddress): boolean {
  if (!who || who.length > 120) return false;
  if (p.address || p.obfuscated) return true;
  const words = p.name.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return false;
  if (NOT_FIRST.test(words[0]) || words.slice(1).some((w) => NOT_INSIDE.test(w))) return false;
  if (/[?!;]|\.\s*$/.test(p.name) && !/^[\p{L}.'\- ]+$/u.test(p.name)) return false;
  return /^[\p{Lu}\p{Lo}"'(\d]/u.test(p.name) || /^[a-z0-9._-]+$/i.test(p.name);
}

/** the attribution without its date read (date and tzOffsetMinutes null) */
function make(who: string, dateText: string | null, raw: string, style: AttributionStyle): Attribution {
  const p = parseNameAddress(who, WRITTEN);
  const a: Attribution = { name: p.name, address: p.address, date: null, dateText, tzOffsetMinutes: null, raw, style };
  if (p.obfuscated) a.obfuscated = p.obfuscated;
  return a;
}

/**
 * Who and when, from one attribution line (already unquoted); null when the line is no
 * attribution. Header blocks (Outlook, forwards) are read by parseHeaderBlock.
 */
export function parseAttribution(line: string, opts: AttributionOptions = {}): Attribution | null {
  return attributionOf(line, opts, opts.dates !== false);
}

// Lines read as attributions lately, without their dates: a quote's attribution line is read by
// lib/body's lexer (is it one? whose?) and again by the body tree (with its date).
const shapes = new Map<string, Attribution | null>();

/** parseAttribution; without `dates` the date is not read (date and tzOffsetMinutes null): whether a line is an attribution does not depend on it */
function attributionOf(line: string, opts: AttributionOptions, dates: boolean): Attribution | null {
  const raw = line.trim();
  let a = shapes.get(raw);
  if (a === undefined) {
    a = shapeOf(raw);
    if (shapes.size >= 4096) shapes.clear();
    shapes.set(raw, a);
  }
  if (!a) return null;
  if (!dates) return { ...a };
  const d = dateOf(a.dateText, opts);
  return { ...a, date: d.date, tzOffsetMinutes: d.tz };
}

/** who, the date as written, style: an attribution line (trimmed) read without its date */
function shapeOf(raw: string): Attribution | null {
  if (raw.length < 7 || raw.length > 300 || !raw.endsWith(":")) return null;
  const t = raw.replace(/\s+/g, " ");
  let m: RegExpExecArray | null;
  // "Quoting Jane Doe (2020-01-01 10:00:00):", "Quoting Jane Doe <jane@x.org>:"
  if ((m = /^Quoting (.+?)(?: \(([^()]*\d[^()]*)\))?:$/.exec(t))) {
    const p = parseNameAddress(m[1], WRITTEN);
    if (!plausibleWho(m[1], p)) return null;
    return make(m[1], m[2] ?? null, raw, "quoting");
  }
  // "* Jane Doe <jane@x.org> [2024-01-01 10:00:00 +0100]:"
  if ((m = /^\* (.+?) \[([^\]]*)\]:$/.exec(t))) {
    const p = parseNameAddress(m[1], WRITTEN);
    if (!plausibleWho(m[1], p)) return null;
    return make(m[1], m[2].trim() || null, raw, "mutt");
  }
  // "Am 08.08.2024 um 13:04 schrieb Jane Doe:", "Am Do., 8. Aug. 2024 um 13:04 Uhr schrieb Jane <j@x.org>:"
  if ((m = /^Am (.+?),? schrieb (.+?)\s*:$/i.exec(t))) {
    const p = parseNameAddress(m[2], WRITTEN);
    if (!plausibleWho(m[2], p)) return null;
    return make(m[2], m[1].trim(), raw, "am-schrieb");
  }
  const w = WROTE.exec(t);
  if (!w) return null;
  const word = w[1].toLowerCase();
  const rest0 = t.slice(0, w.index).trim();
  const lead = LEAD.exec(rest0);
  if (!lead) {
    const who = rest0.replace(/,$/, "").trim();
    const p = parseNameAddress(who, WRITTEN);
    if (!plausibleWho(who, p)) return null;
    return make(who, null, raw, word === "writes" || word === "says" ? "writes" : "wrote");
  }
  const leadWord = lead[1].toLowerCase();
  const style: AttributionStyle = leadWord === "le" ? "le-a-ecrit" : leadWord === "el" ? "el-escribio" : "on-wrote";
  const rest = lead[2];
  // the time, optionally followed by a zone, ends the date: "…, 2017 at 06:25:11PM +0100, Jane"
  const tm = TIME.exec(rest);
  if (tm) {
    let end = tm.index + tm[0].length;
    const zone = ZONE.exec(rest.slice(end));
    if (zone && zone[0].trim().replace(/^,/, "").trim()) end += zone[0].length;
    const dateText = rest.slice(0, end).replace(/,\s*$/, "").trim();
    const who = rest.slice(end).replace(/^\s*,?\s*/, "").trim();
    // "On <date with a time>, <who> wrote:" is shape enough: any short who will do
    if (who && who.length <= 120 && who.split(/\s+/).length <= 8) return make(who, dateText, raw, style);
  }
  // no time: "On 2017-11-02, Jane Doe wrote:" / "On Thu, 2 Nov 2017, Jane Doe wrote:"
  const withAddr = /^(.*?)[,\s]+([^,<>]*<[^<>]+>)$/.exec(rest);
  if (withAddr) return make(withAddr[2], withAddr[1].trim() || null, raw, style);
  const comma = rest.lastIndexOf(", ");
  if (comma > 0) {
    const who = rest.slice(comma + 2);
    const p = parseNameAddress(who, WRITTEN);
    if (!plausibleWho(who, p)) return null;
    return make(who, rest.slice(0, comma).trim(), raw, style);
  }
  const p = parseNameAddress(rest, WRITTEN);
  if (!plausibleWho(rest, p)) return null;
  return make(rest, null, raw, style);
}

/** Is this line (already unquoted) an attribution line? */
export function isAttributionLine(line: string): boolean {
  const t = line.trim();
  if (t.length < 7 || t.length > 300 || !t.endsWith(":")) return false;
  return attributionOf(t, {}, false) !== null;
}

/** The author of an attribution: the name, else the address; null when it is no attribution. */
export function attributionName(line: string): string | null {
  const a = attributionOf(line, {}, false);
  if (!a) return null;
  return a.name || a.address || a.obfuscated || null;
}

/**
 * An attribution wrapped over two lines by the writer's client:
 *   "On Thu, Aug 8, 2024 at 1:04 PM Jane Doe <jane@x.org>" + "wrote:"
 *   "On Mon, 1 Jan 2024 at 10:00, Jane Doe" + "<jane@x.org> wrote:"
 * Returns the joined attribution, or null.
 */
export function parseWrappedAttribution(first: string, second: string, opts: AttributionOptions = {}): Attribution | null {
  const a = first.trim();
  const b = second.trim();
  if (!a || !b || a.endsWith(":")) return null;
  if (!WROTE.test(b) && !/^(?:schrieb|a écrit|escribió)\b/i.test(b)) return null;
  if (LEAD.test(b) || /^Quoting /.test(b)) return null;
  if (!LEAD.test(a) && !/<[^<>]+@[^<>]+>$/.test(a) && !/^<[^<>]+>/.test(b)) return null;
  const r = parseAttribution(`${a} ${b}`, opts);
  return r ? { ...r, raw: `${a} ${b}` } : null;
}

// ---------------------------------------------------------------------------------------------
// header blocks

const RULES: [RegExp, AttributionStyle][] = [
  [/^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Messaggio originale|Mensaje original|Oorspronkelijk bericht|Originalmeddelande)\s*-{2,}$/i, "outlook"],
  [/^_{10,}$/, "outlook"],
  [/^-{2,}\s*Forwarded message\s*-{2,}$/i, "forwarded"],
  [/^Begin forwarded message:$/i, "forwarded"],
];
const H_FROM = /^(?:From|Von|De|Da|Van|Från|Od)\s?:\s*(.*)$/i;
const H_DATE = /^(?:Sent|Date|Gesendet|Datum|Envoyé|Inviato|Verzonden|Enviado|Skickat|Wysłano)\s?:\s*(.*)$/i;
const H_OTHER = /^(?:To|An|À|A|Aan|Para|Till|Do|Cc|Kopie|Subject|Betreff|Objet|Oggetto|Onderwerp|Asunto|Assunto|Ämne|Temat|Reply-To|Importance)\s?:\s*(.*)$/i;

export interface HeaderBlock {
  attribution: Attribution;
  /** index of the block's first line (the rule, or "From:") */
  start: number;
  /** index of its last header line */
  end: number;
  /** the Subject: the block gives, if any */
  subject: string | null;
}

/**
 * An Outlook-style header block at lines[i]: "-----Original Message-----" (or a line of "_",
 * or a forward marker) followed by From:/Sent:/To:/Subject: lines, or those header lines alone
 * (From: plus a Sent:/Date: line plus a To:/Subject: line). Null when there is none.
 */
export function parseHeaderBlock(lines: readonly string[], i: number, opts: AttributionOptions = {}): HeaderBlock | null {
  const first = (lines[i] ?? "").trim();
  let style: AttributionStyle | null = null;
  let k = i;
  for (const [re, st] of RULES) {
    if (re.test(first)) {
      style = st;
      k = i + 1;
      break;
    }
  }
  // blank lines after the marker
  if (style) while (k < lines.length && lines[k].trim() === "" && k < i + 3) k++;
  let from: string | null = null;
  let date: string | null = null;
  let subject: string | null = null;
  let headers = 0;
  let others = 0;
  let end = -1;
  let last: "from" | "date" | "other" | null = null;
  for (; k < lines.length && k < i + 14; k++) {
    const l = lines[k].trimEnd();
    const t = l.trim();
    if (t === "") break;
    let m: RegExpExecArray | null;
    if ((m = H_FROM.exec(t))) {
      if (from !== null) break;
      from = m[1];
      last = "from";
    } else if ((m = H_DATE.exec(t))) {
      date = m[1];
      last = "date";
    } else if ((m = H_OTHER.exec(t))) {
      if (/^(?:Subject|Betreff|Objet|Oggetto|Onderwerp|Asunto|Assunto|Ämne|Temat)\s?:/i.test(t)) subject = m[1];
      others++;
      last = "other";
    } else if (/^\s/.test(l) && last !== null && headers > 0) {
      // a folded header value
      if (last === "from") from += ` ${t}`;
      else if (last === "date") date += ` ${t}`;
      end = k;
      continue;
    } else break;
    headers++;
    end = k;
  }
  if (from === null || end < 0) return null;
  if (!style) {
    // header lines alone: From:, Outlook's Sent: (or a Date: with a To:) and a To:/Subject:. A
    // From:/Date:/Subject: block without To: is git format-patch's in-body header of a patch
    // pasted into the message: the writer's own text, not a quote.
    if (!H_FROM.test(first) || date === null || others === 0) return null;
    const sent = lines.slice(i, end + 1).some((l) => /^\s*(?:Sent|Gesendet|Envoyé|Inviato|Verzonden|Enviado|Skickat|Wysłano)\s?:/i.test(l));
    const to = lines.slice(i, end + 1).some((l) => /^\s*(?:To|An|À|A|Aan|Para|Till|Do)\s?:/i.test(l));
    if (!sent && !to) return null;
    style = "outlook";
  } else if (style === "outlook" && /^_{10,}$/.test(first) && (date === null || others === 0)) return null;
  const who = from.replace(/\s+on behalf of\s+.*$/i, "").replace(/\[mailto:([^\]]+)\]/i, "<$1>");
  const p = parseNameAddress(who, WRITTEN);
  const d = opts.dates === false ? { date: null, tz: null } : dateOf(date, opts);
  const raw = lines.slice(i, end + 1).map((l) => l.trim()).join("\n");
  const attribution: Attribution = { name: p.name, address: p.address, date: d.date, dateText: date?.trim() || null, tzOffsetMinutes: d.tz, raw, style };
  if (p.obfuscated) attribution.obfuscated = p.obfuscated;
  return { attribution, start: i, end, subject: subject?.trim() ?? null };
}
