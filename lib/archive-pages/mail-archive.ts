// mail-archive.com thread text: for each message
//
//   <subject>
//   <blank>
//   2017-10-11 Thread Laurent Dufour
//   <body...>
//
// The page gives the day only, no ids, no addresses (they are removed: "Signed-off-by: Jane Doe "
// or cut: "<7ca80231-...-ce81690ea...@intel.com>"), strips leading whitespace, wraps long lines
// (the first part keeps its trailing space) and truncates long messages. Diffs are repaired with
// their hunk counts; the diffstat keeps the file names. The parent of a reply is deduced from its
// attribution line ("On 26/10/2017 12:18, Andrea Arcangeli wrote:" + the quoted text), and
// attribution lines also give the time of day of the messages they quote.

import { parseIsoLikeDate } from "../mail/written-dates";
import { repairDiffs, repairDiffstat } from "./diff-repair";
import { attributionDate, isAttributionLine, parseAttribution, splitQuote } from "./quotes";
import { findReferences } from "../mail/references";
import type { PageMessage, PageParse } from "./types";
import { isBlank, pageLines } from "./util";

const THREAD_LINE = /^(\d{4}-\d{2}-\d{2}) Thread (.+?)\s*$/;

function norm(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function nameKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

/** Start lines (0-based index of the subject line) of the messages on the page. */
export function mailArchiveStarts(lines: string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!THREAD_LINE.test(lines[i])) continue;
    // the subject is the nearest non-blank line above, at most two lines up
    let s = i - 1;
    if (s >= 0 && isBlank(lines[s])) s--;
    if (s < 0 || isBlank(lines[s]) || THREAD_LINE.test(lines[s])) continue;
    starts.push(s);
  }
  return starts;
}

interface Attr {
  /** message index on the page that contains the attribution */
  inMsg: number;
  depth: number;
  line: string;
  /** normalised text of the first quoted lines after it */
  quoted: string;
}

export function parseMailArchive(text: string): PageParse {
  const lines = pageLines(text);
  const notes: string[] = [];
  const starts = mailArchiveStarts(lines);
  if (starts.length && starts[0] > 0) notes.push(`lines 1-${starts[0]} precede the first message and were skipped`);
  const messages: PageMessage[] = [];
  const attrs: Attr[] = [];
  starts.forEach((s, k) => {
    const thread = THREAD_LINE.exec(lines[s + (isBlank(lines[s + 1]) ? 2 : 1)])!;
    const bodyFrom = s + (isBlank(lines[s + 1]) ? 3 : 2);
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    // only empty lines are the page's separators: a line of spaces may be a blank diff context line
    let bodyLines = lines.slice(bodyFrom, end);
    while (bodyLines.length && bodyLines[bodyLines.length - 1] === "") bodyLines.pop();
    while (bodyLines.length && isBlank(bodyLines[0])) bodyLines.shift();
    const damaged: string[] = [];
    const inferred: string[] = [];
    const stat = repairDiffstat(bodyLines);
    bodyLines = stat.lines;
    damaged.push(...stat.damaged);
    const diff = repairDiffs(bodyLines, { joinWrapped: true });
    bodyLines = diff.lines;
    damaged.push(...diff.damaged);
    if (stat.files.length > 0 && diff.stats.files.length < stat.files.length) {
      damaged.push(`the diff shows ${diff.stats.files.length} of the ${stat.files.length} files its diffstat names: the page cut the message`);
    }
    if (bodyLines.some((l) => /^\s*[A-Za-z-]+-by: [^<>@]+?\s+$/.test(l) || /^\s*[A-Za-z-]+-by: [^<>@]+$/.test(l))) {
      damaged.push("the page removed e-mail addresses (trailers keep only names)");
    }
    if (findReferences(bodyLines.join("\n")).some((r) => r.truncated)) damaged.push("the page truncated Message-IDs and addresses (\"...@\")");
    damaged.push("the page strips leading whitespace: indentation is lost");
    const pd = parseIsoLikeDate(thread[1]);
    damaged.push("the page gives the day only: the time of day and the zone are unknown");
    damaged.push("the page shows no Message-ID, In-Reply-To, References or recipients");
    // attribution lines in this body
    const ql = bodyLines.map(splitQuote);
    ql.forEach((q, i) => {
      if (!isAttributionLine(q.content)) return;
      const quoted: string[] = [];
      for (let j = i + 1; j < ql.length && quoted.length < 3; j++) {
        if (ql[j].depth <= q.depth) {
          if (quoted.length || !isBlank(ql[j].content)) break;
          continue;
        }
        if (ql[j].depth === q.depth + 1 && !isBlank(ql[j].content)) quoted.push(ql[j].content);
      }
      if (quoted.length) attrs.push({ inMsg: k, depth: q.depth, line: q.content.trim(), quoted: norm(quoted.join(" ")) });
    });
    messages.push({
      msgid: null,
      inReplyTo: null,
      references: [],
      from: { name: thread[2], address: null },
      to: [],
      cc: [],
      subject: lines[s].trim(),
      date: pd?.iso ?? null,
      tzOffsetMinutes: null,
      datePrecision: "day",
      body: bodyLines.join("\n"),
      parentIndex: null,
      lines: [s + 1, Math.max(s + 1, lastNonBlank(lines, bodyFrom, end) + 1)],
      damaged,
      inferred,
      quoted: [],
    });
  });

  // which earlier message does an attribution point at? same author, a compatible day, and the
  // quoted text found in its body
  const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
  const resolve = (a: Attr): { index: number; date: ReturnType<typeof attributionDate> } | null => {
    const at = parseAttribution(a.line);
    if (!at) return null;
    const pd = attributionDate(at, day(messages[a.inMsg].date));
    const cands = messages
      .map((m, i) => ({ m, i }))
      .filter(({ m, i }) => i < a.inMsg && nameKey(m.from.name) === nameKey(at.person.name))
      .filter(({ m }) => {
        if (!pd || !m.date) return true;
        const diff = Math.abs(Date.parse(pd.iso) - Date.parse(m.date));
        return diff <= 36 * 3600_000;
      });
    if (!cands.length) return null;
    const scored = cands.map(({ m, i }) => ({ i, hit: a.quoted.length > 0 && norm(m.body).includes(a.quoted.slice(0, 120)) }));
    const hit = scored.filter((s) => s.hit);
    const pick = hit.length ? hit[hit.length - 1] : scored.length === 1 ? scored[0] : null;
    return pick ? { index: pick.i, date: pd } : null;
  };
  for (const a of attrs) {
    const r = resolve(a);
    if (!r) continue;
    const me = messages[a.inMsg];
    // the first attribution at depth 0 names the parent
    if (a.depth === 0 && me.parentIndex === null) {
      me.parentIndex = r.index;
      me.inferred.push(`parent: message ${r.index + 1} on the page, from the attribution "${a.line}" and the quoted text`);
    }
    // the quoted message's time of day
    const target = messages[r.index];
    if (r.date && r.date.precision !== "day" && target.datePrecision === "day") {
      const sameDay = r.date.zoneAssumed ? r.date.iso.slice(0, 10) === target.date?.slice(0, 10) : true;
      if (sameDay) {
        target.date = r.date.iso;
        target.tzOffsetMinutes = r.date.tzOffsetMinutes;
        target.datePrecision = r.date.precision;
        target.damaged = target.damaged.filter((d) => !d.startsWith("the page gives the day only"));
        target.inferred.push(`time of day from the attribution "${a.line}" in message ${a.inMsg + 1}${r.date.zoneAssumed ? " (no zone given: read as UTC)" : ""}`);
        if (r.date.zoneAssumed) target.damaged.push("the time comes from an attribution line without zone: read as UTC");
      }
    }
  }
  // replies without attribution: the thread's first message when the subjects match
  messages.forEach((m, i) => {
    if (i === 0 || m.parentIndex !== null) return;
    const root = messages[0];
    const strip = (s: string) => s.replace(/^\s*(?:re|aw|sv)\s*:\s*/i, "").trim();
    if (strip(m.subject) === strip(root.subject)) {
      m.parentIndex = 0;
      m.inferred.push("parent: the thread's first message (no attribution line; same subject)");
    }
  });
  return { format: "mail-archive", messages, notes, listName: null };
}

function lastNonBlank(lines: string[], from: number, end: number): number {
  for (let i = end - 1; i >= from; i--) if (!isBlank(lines[i])) return i;
  return from;
}

export const parse = parseMailArchive;
