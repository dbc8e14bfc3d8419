// Quotes and attribution lines: "On Thu, Aug 8, 2024 at 1:04 PM Jane Doe <jane@x.org> wrote:"
// followed by ">"-quoted text. A reply that quotes a reply that quotes a patch carries, level by
// level, pieces of three earlier messages: extractQuotedAncestors() turns each level into a
// QuotedAncestor (author and date from its attribution, the text with the quoting removed), so
// messages absent from the archive can be stored as reconstructed ghosts.

import { parseLooseDate, type PageDate } from "../mail/written-dates";
import { repairDiffs, repairDiffstat } from "./diff-repair";
import type { PagePerson, QuotedAncestor } from "./types";
import { PageAddressBook, isBlank } from "./util";
import { isAttributionLine as isReviewAttributionLine, parseAttribution as parseReviewAttribution } from "../body/attribution";

export interface Attribution {
  person: PagePerson;
  /** the date text as written, null when the attribution has none */
  dateText: string | null;
}

/** Is this line (already unquoted) an attribution line? (lib/body/attribution, the one parser) */
export function isAttributionLine(line: string): boolean {
  return isReviewAttributionLine(line);
}

/** Who and when, from an attribution line (lib/body/attribution, the one parser, in the page shape). */
export function parseAttribution(line: string): Attribution | null {
  const a = parseReviewAttribution(line);
  if (!a) return null;
  const person: PagePerson = { name: a.name, address: a.address };
  if (a.obfuscated) person.obfuscated = a.obfuscated;
  return { person, dateText: a.dateText };
}

/**
 * The date of an attribution. `localOffsetMinutes`: the zone of the message the attribution is
 * written in (its Date header's offset), in which a time given without zone is read.
 */
export function attributionDate(a: Attribution, dayHint?: string | null, localOffsetMinutes?: number | null): PageDate | null {
  return a.dateText ? parseLooseDate(a.dateText, dayHint, { localOffsetMinutes }) : null;
}

/** "+0200" for 120 */
function zoneText(off: number): string {
  const a = Math.abs(off);
  return `${off < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}${String(a % 60).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// the line model of a quoting body

export interface QLine {
  depth: number;
  /** the text after the quote markers (one space after the last ">" removed) */
  content: string;
}

/** "> > foo" -> depth 2, "foo"; ">>foo" -> 2, "foo"; "foo" -> 0. */
export function splitQuote(line: string): QLine {
  const m = /^((?:[ \t]{0,3}>)+)(?: ?)(.*)$/.exec(line);
  if (!m) return { depth: 0, content: line };
  const depth = (m[1].match(/>/g) ?? []).length;
  return { depth, content: m[2] };
}

export function joinQuote(depth: number, content: string): string {
  if (depth <= 0) return content;
  const prefix = Array(depth).fill(">").join(" ");
  return content === "" ? prefix : `${prefix} ${content}`;
}

/**
 * Repair diffs and diffstats that live inside quotes: each maximal run of lines at one depth is
 * repaired on its own. Returns the new lines and what was damaged.
 */
export function repairQuotedDiffs(lines: QLine[]): { lines: QLine[]; damaged: string[] } {
  const out: QLine[] = [];
  const damaged: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const d = lines[i].depth;
    let j = i;
    while (j < lines.length && lines[j].depth === d) j++;
    const contents = lines.slice(i, j).map((l) => l.content);
    let repaired = contents;
    if (contents.some((c) => /^diff --git |^@@ -\d/.test(c) || /^\s*\d+ files? changed/.test(c))) {
      const st = repairDiffstat(repaired);
      repaired = st.lines;
      const r = repairDiffs(repaired);
      repaired = r.lines;
      for (const x of [...st.damaged, ...r.damaged]) {
        const note = d > 0 ? `quoted (depth ${d}): ${x}` : x;
        if (!damaged.includes(note)) damaged.push(note);
      }
    }
    for (const c of repaired) out.push({ depth: d, content: c });
    i = j;
  }
  return { lines: out, damaged };
}

export interface ExtractOptions {
  /** page line number (1-based) of each body line, same length as the body's lines */
  lineNumbers?: number[];
  /** the quoting message's subject: ancestors get "Re: <root subject>", the deepest the root subject */
  subject: string;
  /** References of the quoting message (oldest first, In-Reply-To last): used to give ancestors real ids */
  references?: string[];
  /** the quoting message's date (ISO): attribution dates later than this are suspect */
  quoterDate?: string | null;
  /**
   * the quoting message's zone (its Date header's UTC offset in minutes; null when the page does
   * not give the sender's zone): its writer's attribution lines give local times without zone
   * ("On Thu, Aug 8, 2024 at 1:04 PM"), read in this zone, so that a quoted message never
   * follows the reply quoting it because of zones. Deeper levels are read in the zone their
   * quoting level's attribution states, if any.
   */
  quoterTzOffsetMinutes?: number | null;
  addressBook?: PageAddressBook;
}

/** Strip one reply marker: "Re: [RFC PATCH] x" -> "[RFC PATCH] x". */
function rootSubject(subject: string): string {
  return subject.replace(/^\s*(?:(?:re|aw|sv|fwd?)\s*(?:\[\d+\])?\s*:\s*)+/i, "").trim();
}

/** Mutt-style ids start with the UTC time they were made: "20191209141754.GA6841@redhat.com". */
function idTimestamp(id: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})[.\-]/.exec(id);
  if (!m) return null;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isFinite(t) ? t : null;
}

/**
 * The chain of messages quoted in `body` (nearest first). Level d exists when the first line quoted
 * at depth >= d is introduced by an attribution line at depth d-1. The text of level d is every
 * line at depth >= d from there on (until another attribution at depth d-1 starts a different
 * quote), with d levels of quoting removed; where the quoting message cut the quote, the gap is
 * reported as damage. Diffs inside quotes are repaired (context markers restored).
 */
export function extractQuotedAncestors(body: string, opts: ExtractOptions): QuotedAncestor[] {
  const raw = body.split("\n");
  const lineNo = (i: number) => opts.lineNumbers?.[i] ?? i + 1;
  const { lines: ql, damaged: diffDamage } = repairQuotedDiffs(raw.map(splitQuote));
  const out: QuotedAncestor[] = [];
  const root = rootSubject(opts.subject);
  let searchFrom = 0;
  for (let d = 1; d <= 32; d++) {
    // first line at depth >= d
    let first = -1;
    for (let i = searchFrom; i < ql.length; i++) {
      if (ql[i].depth >= d) {
        first = i;
        break;
      }
    }
    if (first < 0) break;
    // its attribution: the nearest non-blank line before it at depth d-1 (blank quoted lines skipped)
    let a = first - 1;
    while (a >= 0 && ql[a].depth >= d - 1 && isBlank(ql[a].content) && ql[a].depth <= d) a--;
    if (a < 0 || ql[a].depth !== d - 1) break;
    let attrText = ql[a].content.trim();
    let attrStart = a;
    if (!isAttributionLine(attrText)) break;
    // wrapped attribution: "On Mon, ..., Jane Doe" + "<jane@x.org> wrote:"
    if (a > 0 && ql[a - 1].depth === d - 1 && /^On\s/i.test(ql[a - 1].content.trim()) && !/^On\s/i.test(attrText)) {
      attrText = `${ql[a - 1].content.trim()} ${attrText}`;
      attrStart = a - 1;
    }
    const attr = parseAttribution(attrText);
    if (!attr) break;
    // the lines of this level: depth >= d from `first`, until an attribution at depth d-1 starts another quote
    const body: string[] = [];
    let last = first;
    let gaps = 0;
    let inGap = false;
    for (let i = first; i < ql.length; i++) {
      const l = ql[i];
      if (l.depth >= d) {
        if (inGap && body.length > 0) gaps++;
        inGap = false;
        body.push(joinQuote(l.depth - d, l.content));
        last = i;
      } else {
        if (l.depth === d - 1 && isAttributionLine(l.content) && i > first) {
          // does a new depth-d quote follow? then it is another message: stop here
          let k = i + 1;
          while (k < ql.length && isBlank(ql[k].content) && ql[k].depth < d) k++;
          if (k < ql.length && ql[k].depth >= d) break;
        }
        if (!isBlank(l.content)) inGap = true;
      }
    }
    while (body.length && isBlank(body[body.length - 1].replace(/^[>\s]*$/, ""))) body.pop();
    while (body.length && isBlank(body[0].replace(/^[>\s]*$/, ""))) body.shift();
    const damaged: string[] = [];
    const inferred: string[] = [];
    if (gaps > 0) damaged.push(`only the quoted parts survive: the quoting message cut this text in ${gaps} place(s)`);
    damaged.push("the quoting message may have trimmed the beginning, the end and the headers of this message");
    for (const x of diffDamage) {
      const m = /^quoted \(depth (\d+)\): (.*)$/.exec(x);
      if (m && +m[1] >= d) damaged.push(+m[1] === d ? m[2] : x);
    }
    let person = attr.person;
    if (opts.addressBook) {
      const filled = opts.addressBook.fill(person);
      if (filled.address && !person.address) inferred.push(`author's address ${filled.address} from elsewhere on the page (${filled.addressFrom})`);
      person = filled;
    }
    // the attribution was written by the level above: the quoting message, or the quoted message one level up
    const writerZone = d === 1 ? (opts.quoterTzOffsetMinutes ?? null) : (out[d - 2]?.tzOffsetMinutes ?? null);
    const pd = attributionDate(attr, opts.quoterDate ?? null, writerZone);
    const date: string | null = pd?.iso ?? null;
    if (pd?.zoneFromQuoter !== undefined) {
      inferred.push(
        `the attribution gives a time without zone ("${attr.dateText}"): read in the zone of the message quoting it (${zoneText(pd.zoneFromQuoter)}), whose writer wrote it`,
      );
      const later = (opts.quoterDate && Date.parse(pd.iso) > Date.parse(opts.quoterDate)) || out.some((o) => o.date && Date.parse(pd.iso) > Date.parse(o.date));
      if (later) damaged.push("the attribution's time is later than the message quoting it, even in that message's zone");
    } else if (pd?.zoneAssumed) {
      damaged.push(`the attribution gives a time without zone ("${attr.dateText}"): read as UTC`);
      const later = (opts.quoterDate && Date.parse(pd.iso) > Date.parse(opts.quoterDate)) || out.some((o) => o.date && Date.parse(pd.iso) > Date.parse(o.date));
      if (later) damaged.push("read as UTC this time is later than the message quoting it: it is the quoting writer's local time, in a zone the page does not give");
    }
    if (!pd && attr.dateText) damaged.push(`unreadable attribution date "${attr.dateText}"`);
    if (!attr.dateText) damaged.push("the attribution gives no date");
    out.push({
      depth: d,
      author: person,
      date,
      tzOffsetMinutes: pd?.tzOffsetMinutes ?? null,
      datePrecision: pd?.precision ?? "day",
      text: body.join("\n"),
      attributionLine: attrText,
      lines: [lineNo(attrStart), lineNo(last)],
      subject: root,
      msgid: null,
      damaged,
      inferred,
    });
    searchFrom = first;
  }
  // subjects: the deepest is the thread root (when the quoting subject is a reply), the others replies
  for (let k = 0; k < out.length; k++) {
    const deepest = k === out.length - 1;
    out[k].subject = deepest ? root : `Re: ${root}`;
    if (deepest && root !== opts.subject.trim()) out[k].inferred.push("subject: the quoting message's subject without its reply marker");
    else out[k].inferred.push("subject: taken from the quoting message");
  }
  // real ids from References: the direct ancestors are its tail, nearest last
  const refs = opts.references ?? [];
  if (out.length > 0 && refs.length >= out.length) {
    const assigned = out.map((q) => refs[refs.length - q.depth]);
    // ids that carry their creation time must agree with the attribution dates (within a day)
    const consistent = out.every((q, k) => {
      const ts = idTimestamp(assigned[k]);
      if (ts === null || !q.date) return true;
      return Math.abs(ts - Date.parse(q.date)) <= 36 * 3600_000;
    });
    if (consistent) {
      out.forEach((q, k) => {
        q.msgid = assigned[k];
        q.inferred.push(`Message-ID <${assigned[k]}> from the quoting message's References (depth ${q.depth} = ${q.depth === 1 ? "In-Reply-To" : `${q.depth}th id from the end`})`);
      });
    }
  }
  return out;
}
