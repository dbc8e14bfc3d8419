// Addresses: the one place that reads them.
//   parseAddressList / addressesOf   RFC 5322 address-list headers (From, To, Cc) of a raw message
//   parseNameAddress(s)              one "Name <addr>" as people and archives write it: archive page
//                                    headers, attribution lines, trailers ("Reviewed-by: ...")
//   parseNameAddressList(s)          a comma-separated list of those
//   isRealAddress(a)                 an address that can stand for a person (not masked by an archive)
//   cleanDisplayName(name)           a display name as a person's name: wrapping quotes ('Ulf Hansson',
//                                    ""Ulf Hansson"") removed, get_maintainer.pl notes never a name
//   normalizeAddress, isPlaceholderAddress, isMailboxSpelling   the strict side used by lib/people
import addressparser from "nodemailer/lib/addressparser";
import type { Address } from "./types";
import { LIMITS } from "./limits";
import { decodeWordsSafe } from "./headers";

interface AP {
  name?: string;
  address?: string;
  group?: AP[];
}

export function parseAddressList(value: string): Address[] {
  let list: AP[];
  try {
    list = addressparser(stripMaintainerNotes(value), { flatten: true }) as AP[];
  } catch {
    return [];
  }
  const out: Address[] = [];
  for (const a of list) {
    let name = decodeWordsSafe(a.name ?? "");
    let address = (a.address ?? "").trim();
    if (!address && name) {
      // a broken mailer that encoded "Name <addr>" as one encoded-word
      const m = /<([^<>\s@]+@[^<>\s]+)>/.exec(name);
      if (m) {
        address = m[1];
        name = name.slice(0, m.index).trim().replace(/^"(.*)"$/, "$1");
      }
    }
    if (address.indexOf("=?") >= 0) {
      // RFC 2047 forbids encoded-words in an addr-spec; accept the decoded form only when it is a
      // plain local@domain (same rule as mailparser), otherwise there is no usable address
      const dec = decodeWordsSafe(address);
      address = /^[^\s@<>"]+@[^\s@<>"]+$/.test(dec) && dec.indexOf("=?") < 0 ? dec : "";
    }
    name = cleanDisplayName(name);
    // no real address is that long; "@", "@host" and "user@" are no addresses either
    if (address.length > LIMITS.maxAddressChars || address[0] === "@" || address[address.length - 1] === "@") address = "";
    if (!address && !name) continue;
    out.push({ address: address.toLowerCase(), name });
  }
  return out;
}

export function addressesOf(values: string[]): Address[] {
  const out: Address[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    for (const a of parseAddressList(v)) {
      if (!a.address || seen.has(a.address)) continue; // skip empties and duplicates
      seen.add(a.address);
      out.push(a);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// display names

/**
 * get_maintainer.pl's role notes, which people paste into To/Cc with the addresses:
 * "linux-mmc@vger.kernel.org (open list:MULTIMEDIA CARD (MMC), SECURE DIGITAL (SD) AND...)",
 * "Ulf Hansson <ulf.hansson@linaro.org> (maintainer:MULTIMEDIA CARD ...)", "(open list)",
 * "(reviewer:...)", "(supporter:...)", "(commit_signer:12/14=86%)", "(odd fixer:...)",
 * "(authored:3/14=21%)", "(added_lines:...)", "(removed_lines:...)", "(chief penguin)". Sometimes
 * the note lands in the display name itself ("maintainer:MULTIMEDIA CARD" <...>).
 */
const MAINTAINER_ROLE = String.raw`(?:(?:open|moderated|subscriber|closed)\s+list|maintainer|reviewer|supporter|odd\s*fixer|commit_signer|authored|added_lines|removed_lines|chief\s+penguin|blamed_fixes)`;
const MAINTAINER_NOTE = new RegExp(`^\\s*${MAINTAINER_ROLE}\\s*(?::|$)`, "i");

/** Is this text (a comment's or a display name's) a get_maintainer.pl role note? */
export function isMaintainerNote(s: string): boolean {
  return MAINTAINER_NOTE.test(s);
}

/**
 * An address-list value without its get_maintainer.pl notes: every parenthesised comment (outside
 * quotes, nested parentheses counted) that is a role note is removed. A note cut short without
 * its closing parenthesis ("(open list:MULTIMEDIA CARD (MMC), SD AND..., next@x.org") runs to
 * the first comma followed by another address, or to the end. Other comments stay; nested parentheses inside them are flattened,
 * which nodemailer's parser would otherwise split into bogus addresses.
 */
export function stripMaintainerNotes(value: string): string {
  if (!value.includes("(")) return value;
  let out = "";
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "\\" && inQuote) {
      out += value.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch === '"') inQuote = !inQuote;
    if (ch !== "(" || inQuote) {
      out += ch;
      continue;
    }
    // a comment: find its balanced end
    let depth = 0;
    let end = -1;
    let nested = false;
    for (let j = i; j < value.length; j++) {
      const c = value[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c === "(") {
        depth++;
        if (depth > 1) nested = true;
      } else if (c === ")" && --depth === 0) {
        end = j;
        break;
      }
    }
    const inner = value.slice(i + 1, end < 0 ? value.length : end);
    if (isMaintainerNote(inner)) {
      if (end < 0) {
        // cut short: up to the first comma followed by another address, else the end
        const rest = value.slice(i);
        const m = /,(?=[^,]*@)/.exec(rest);
        out = out.replace(/\s+$/, "");
        if (!m) break;
        i += m.index - 1;
        out = out.replace(/\s+$/, "");
        continue;
      }
      out = out.replace(/\s+$/, "");
      i = end;
      continue;
    }
    if (end < 0) {
      out += value.slice(i);
      break;
    }
    out += nested ? `(${inner.replace(/[()]/g, "")})` : value.slice(i, end + 1);
    i = end;
  }
  return out;
}

/**
 * A display name as a person's name: whitespace folded, wrapping quotes removed (Outlook's
 * 'Ulf Hansson', a doubled ""Ulf Hansson"" or "'Ulf Hansson'"; an apostrophe inside, O'Brien,
 * stays), a trailing get_maintainer.pl note ("Ulf Hansson (maintainer:MMC)") dropped, and "" when
 * the name is a get_maintainer.pl note ("open list:MULTIMEDIA CARD ...", "maintainer:...").
 */
export function cleanDisplayName(name: string): string {
  let s = (name ?? "").replace(/\s+/g, " ").trim();
  if (!s) return "";
  if (s.includes("(")) s = stripMaintainerNotes(s).trim();
  // quotes around the whole name, as often as they were doubled
  let m: RegExpExecArray | null;
  while ((m = /^["'`\u2018\u2019\u201c\u201d]+(.*?)["'`\u2018\u2019\u201c\u201d]+$/.exec(s)) && m[1].trim()) s = m[1].trim();
  // a lone quote left at one end by a cut or doubled quoting: ""Ulf Hansson"
  s = s.replace(/^"+(?=[^"]*$)|(?<=^[^"]*)"+$/g, "").trim();
  if (isMaintainerNote(s)) return "";
  return s;
}

// ---------------------------------------------------------------------------------------------
// "Name <addr>" as written in text

/** An addr-spec with a dotted domain, as an archive or a person shows it (any non-separator
 * characters: the text may carry non-ASCII or odd local parts). */
const SHOWN_ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;
/** The RFC 5321 dot-atom spelling, lower case: what lib/people compares and merges. */
const MAILBOX_ADDRESS = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/;
/** Archive masks: "jane@xxxxxxxxxx" (hypermail keeps the domain's length), "jan...@example.org"
 * (mail-archive, Google Groups keep the domain). */
const MASKED_ADDRESS = /^[^\s@<>]+@x{3,}$|\.\.\.@|…@/i;
/** A domain cut down to dots: "jane@..." */
const DOMAIN_CUT = /^[^\s@<>]+@(?:\.\.\.|…)$/;

/** lower-cased, without <>, "mailto:" and surrounding space */
export function normalizeAddress(a: string): string {
  return a.trim().replace(/^mailto:/i, "").replace(/^<|>$/g, "").trim().toLowerCase();
}

/** `s` (already normalized) is spelled like a mailbox: RFC 5321 dot-atom characters, dotted domain. */
export function isMailboxSpelling(s: string): boolean {
  return MAILBOX_ADDRESS.test(s);
}

/** git's "user@host.(none)", localhost, .localdomain, .local: the machine's name, not a mail domain */
export function isPlaceholderAddress(a: string): boolean {
  const s = normalizeAddress(a);
  const at = s.lastIndexOf("@");
  if (at < 1) return false;
  const d = s.slice(at + 1);
  return /\(none\)$/.test(d) || d === "localhost" || /\.localdomain$/.test(d) || d === "localhost.localdomain" || /\.local$/.test(d) || d === "(none)" || !d.includes(".");
}

/**
 * An address that can stand for a person: an addr-spec with a dotted domain that no archive masked.
 *   "shown" (default): as printed on a page or in a mail body, taken as it is.
 *   "mailbox": what lib/people merges on: normalized first ("<>", "mailto:", case), RFC 5321
 *     dot-atom characters only, and no placeholder host (user@host.(none), localhost, .local). It
 *     only checks the hypermail mask ("@xxx"): a "jan...@example.org" spelling passes, as the
 *     people merge rules have always seen it.
 */
export function isRealAddress(a: string, rules: "shown" | "mailbox" = "shown"): boolean {
  if (rules === "mailbox") {
    const s = normalizeAddress(a);
    return MAILBOX_ADDRESS.test(s) && !isPlaceholderAddress(s) && !/@x{3,}$/.test(s);
  }
  return SHOWN_ADDRESS.test(a) && !MASKED_ADDRESS.test(a);
}

export interface NameAddress {
  /** display name, quotes and backslash escapes removed ("" when none) */
  name: string;
  /** a real address (isRealAddress), lower-cased; null when there is none or it is masked */
  address: string | null;
  /** the address as written when it has an "@" but is masked ("surenb@xxxxxxxxxx") or unusable */
  obfuscated?: string;
}

export interface NameAddressOptions {
  /**
   * Text a person typed or HTML-to-text mangled (attribution lines, trailers) rather than a header
   * an archive printed: also reads "Name (<addr>)", "Name [mailto:addr]", "<a@b<mailto:a@b>>",
   * "mailto:" inside the brackets, a trailing "," or ";", 'single-quoted' names, and takes
   * "jane@..." as masked. Archive page headers are read without it (their results would change:
   * a page's "jane@..." has always counted as an address there).
   */
  written?: boolean;
}

/**
 * "Jane Doe <jane@example.org>", "\"Doe, Jane\" <jane@x.org>", "jane@example.org (Jane Doe)",
 * "<jane@x.org>", "Jane Doe", "Jane Doe <jane@xxxxxxx>" -> name and address. Masked addresses go
 * to `obfuscated`, never to `address`.
 */
export function parseNameAddress(s: string, opts: NameAddressOptions = {}): NameAddress {
  const written = opts.written === true;
  let t = stripMaintainerNotes(s).trim().replace(/\s+/g, " ");
  if (written) {
    // HTML-to-text junk: "<a@b<mailto:a@b>>" / "a@b<mailto:a@b>"
    t = t.replace(/<([^<>\s]+@[^<>\s]+)<mailto:[^<>]*>>/gi, "<$1>").replace(/([^\s<>]+@[^\s<>]+)<mailto:[^<>]*>/gi, "$1");
    // "Name (<addr>)" / "Name [mailto:addr]"
    t = t.replace(/\(\s*<([^<>]+)>\s*\)\s*$/, "<$1>").replace(/\[mailto:([^\]\s]+)\]\s*$/i, "<$1>");
    t = t.replace(/[,;]\s*$/, "").trim();
  }
  let addr: string | null = null;
  let m = /<([^<>]*)>\s*$/.exec(t);
  if (m) {
    addr = m[1].trim();
    if (written) addr = addr.replace(/^mailto:/i, "");
    t = t.slice(0, m.index).trim();
  } else if ((m = /^(\S+@\S+)\s*\(([^()]*)\)$/.exec(t))) {
    addr = m[1];
    t = m[2];
  } else if (/^\S+@\S+$/.test(t)) {
    addr = t;
    t = "";
  }
  let name = t.replace(/^"(.*)"$/, "$1");
  name = name.replace(/\\(.)/g, "$1").trim();
  // written text: a person's name as lib/people and the pages take it. Archive page headers keep
  // their quotes (a page message's id hashes its sender's name as shown): the message rebuilt
  // from the page is read again by parseAddressList, which cleans the name it stores.
  if (written) name = cleanDisplayName(name);
  else if (isMaintainerNote(name)) name = "";
  const p: NameAddress = { name, address: null };
  if (addr) {
    if (isRealAddress(addr) && !(written && DOMAIN_CUT.test(addr))) p.address = addr.toLowerCase();
    else if (addr.includes("@")) p.obfuscated = addr;
  }
  return p;
}

/** "A <a@x>, B, \"C, D\" <c@y>" -> people; commas inside quotes, angle brackets and comments do
 * not split; get_maintainer.pl notes are dropped. */
export function parseNameAddressList(s: string): NameAddress[] {
  const out: NameAddress[] = [];
  let cur = "";
  let inQuote = false;
  let angle = 0;
  let paren = 0;
  for (const ch of stripMaintainerNotes(s)) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === "<") angle++;
    else if (!inQuote && ch === ">" && angle > 0) angle--;
    else if (!inQuote && ch === "(") paren++;
    else if (!inQuote && ch === ")" && paren > 0) paren--;
    if (ch === "," && !inQuote && angle === 0 && paren === 0) {
      if (cur.trim()) out.push(parseNameAddress(cur));
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(parseNameAddress(cur));
  return out.filter((p) => p.name || p.address || p.obfuscated);
}
