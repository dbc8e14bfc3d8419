// lore.kernel.org / public-inbox flat thread view (/T/) saved as text.
//
//   <list> archive mirror                      (page banner, optional)
//   * [PATCH 0/4] subject                      one block per message, in date order
//     <date> <ancestor entries>                the message's neighbourhood in the tree
//   @ 2020-08-21 23:49 ` Peter Xu              the message itself ("@" line)
//     <date> ` children / siblings ...
//   From: Peter Xu @ 2020-08-21 23:49 UTC (permalink / raw)
//     To: ...   Cc: ...                        names only: lore hides addresses
//   <blank>
//   body
//   ^ permalink raw reply  [flat|nested] 90+ messages in thread
//   ...
//   Thread overview: 90+ messages (download: mbox.gz / follow: Atom feed)
//   -- links below jump to the message on this page --
//   2020-08-21 23:49 [PATCH 0/4] subject Peter Xu          root (no backtick)
//   2020-08-21 23:49 ` [PATCH 1/4] subject Peter Xu        depth 1: "` " after 0 spaces
//   2020-08-24  8:36   ` Kirill Tkhai                       depth 2: 2 spaces; subject omitted when unchanged
//
// The page shows no Message-IDs and no addresses. The tree comes from the overview: each overview
// entry is matched to a message block by (date, author, subject), its parent is the nearest entry
// above it with a smaller depth. Dates are UTC to the minute; the sender's zone is unknown.

import { threadSubjectKey } from "../mail/subject";
import { parseIsoLikeDate } from "../mail/written-dates";
import type { PageMessage, PageParse, PagePerson } from "./types";
import { PageAddressBook, pageLines, trimBlankLines } from "./util";
import { parseNameAddressList } from "../mail/address";

const AT_LINE = /^@ (\d{4}-\d{2}-\d{2} [ \d]\d:\d{2}) (?:\s*` )?(.+)$/;
const FROM_LINE = /^From: (.+?) @ (\d{4}-\d{2}-\d{2} [ \d]?\d:\d{2}(?::\d{2})?) UTC(?: \(permalink \/ raw\))?\s*$/;
const OVERVIEW_ENTRY = /^(\d{4}-\d{2}-\d{2} [ \d]\d:\d{2}) (.*)$/;
const PERMALINK = /^\^ permalink raw reply/;

interface Block {
  subject: string;
  dateText: string;
  author: string;
  /** the context entry just above the "@" line with a smaller depth: the parent as the block shows it */
  contextParent: { date: string; author: string } | null;
  start: number;
  end: number;
  headerLines: string[];
  bodyStart: number;
  body: string[];
}

interface OverviewEntry {
  date: string;
  depth: number;
  rest: string;
  line: number;
  author?: string;
  subject?: string;
  match?: number;
}

function normDate(s: string): string {
  return s.replace(/\s+/g, " ").replace(/ (\d):/, " 0$1:");
}

/** "` Jane" / "  ` [PATCH] x Jane" -> depth, rest */
function treeEntry(s: string): { depth: number; rest: string } {
  const m = /^( *)` (.*)$/.exec(s);
  if (!m) return { depth: 0, rest: s.trim() };
  return { depth: m[1].length / 2 + 1, rest: m[2].trim() };
}

export function parseLoreFlat(text: string): PageParse {
  const lines = pageLines(text);
  const notes: string[] = [];
  const blocks: Block[] = [];
  let overviewAt = -1;
  let listName: string | null = null;
  const banner = /^(\S+?)\.(?:\S+\.)*\S+ archive mirror\s*$/.exec(lines[0] ?? "");
  if (banner) listName = banner[1];

  for (let i = 0; i < lines.length; i++) {
    if (/^Thread overview: /.test(lines[i])) {
      overviewAt = i;
      break;
    }
    if (!lines[i].startsWith("* ")) continue;
    // a message block: "* subject", context lines, "@ date author"
    const start = i;
    const subject = lines[i].slice(2).trim();
    let j = i + 1;
    let at = -1;
    while (j < lines.length && j < i + 200) {
      if (AT_LINE.test(lines[j])) {
        at = j;
        break;
      }
      if (lines[j].startsWith("* ") || PERMALINK.test(lines[j])) break;
      j++;
    }
    if (at < 0) continue;
    const am = AT_LINE.exec(lines[at])!;
    const atDepth = treeEntry(lines[at].slice(2 + am[1].length + 1)).depth;
    // the context parent: the nearest line above "@" whose depth is atDepth - 1
    let contextParent: Block["contextParent"] = null;
    for (let k = at - 1; k > start; k--) {
      const cm = /^  (\d{4}-\d{2}-\d{2} [ \d]\d:\d{2}) (.*)$/.exec(lines[k]);
      if (!cm) continue;
      const e = treeEntry(cm[2]);
      if (e.depth === atDepth - 1) {
        contextParent = { date: normDate(cm[1]), author: e.rest };
        break;
      }
    }
    // headers: "From: X @ date UTC (permalink / raw)" then indented "To:"/"Cc:" lines
    let k = at + 1;
    while (k < lines.length && !FROM_LINE.test(lines[k]) && !lines[k].startsWith("* ") && !PERMALINK.test(lines[k]) && k < at + 300) k++;
    const headerLines: string[] = [];
    let bodyStart = k;
    if (k < lines.length && FROM_LINE.test(lines[k])) {
      headerLines.push(lines[k]);
      k++;
      while (k < lines.length && lines[k] !== "" && /^\s/.test(lines[k])) headerLines.push(lines[k++]);
      if (k < lines.length && lines[k] === "") k++;
      bodyStart = k;
    } else notes.push(`message at line ${start + 1} has no "From: ... @ ... UTC" header line`);
    let e = bodyStart;
    while (e < lines.length && !PERMALINK.test(lines[e]) && !lines[e].startsWith("* ") && !/^Thread overview: /.test(lines[e])) e++;
    const body = trimBlankLines(lines.slice(bodyStart, e));
    blocks.push({
      subject,
      dateText: normDate(am[1]),
      author: am[2].trim(),
      contextParent,
      start: start + 1,
      end: Math.min(e, lines.length - 1) + 1,
      headerLines,
      bodyStart: bodyStart + 1,
      body,
    });
    i = e - 1;
  }

  const book = new PageAddressBook(text);
  const messages: PageMessage[] = blocks.map((b) => {
    const damaged: string[] = [];
    const inferred: string[] = [];
    const fm = b.headerLines.length ? FROM_LINE.exec(b.headerLines[0]) : null;
    const fromName = fm ? fm[1].trim() : b.author;
    const dateText = fm ? normDate(fm[2]) : b.dateText;
    const pd = parseIsoLikeDate(`${dateText} UTC`);
    // To/Cc: indented "To:"/"Cc:" with tab-indented continuations
    const fields: Record<string, string> = {};
    let cur: string | null = null;
    for (const h of b.headerLines.slice(1)) {
      const hm = /^\s+(To|Cc|Subject|In-Reply-To|References|Message-ID):\s*(.*)$/i.exec(h);
      if (hm && !/^\t/.test(h)) {
        cur = hm[1].toLowerCase();
        fields[cur] = (fields[cur] ? `${fields[cur]}, ` : "") + hm[2];
      } else if (cur) fields[cur] += ` ${h.trim()}`;
    }
    const fill = (p: PagePerson, role: string): PagePerson => {
      const f = book.fill(p);
      if (f.address && !p.address) inferred.push(`${role} ${p.name}: address ${f.address} from elsewhere on the page (${f.addressFrom})`);
      return f;
    };
    const from = fill({ name: fromName, address: null }, "From");
    // "To: a, b; +Cc: c" (one line) as well as separate "To:" / "Cc:" lines
    const plusCc = /^(.*?);\s*\+Cc:\s*(.*)$/.exec(fields.to ?? "");
    if (plusCc) {
      fields.to = plusCc[1];
      fields.cc = fields.cc ? `${plusCc[2]}, ${fields.cc}` : plusCc[2];
    }
    const to = parseNameAddressList(fields.to ?? "").map((p) => fill(p, "To"));
    const cc = parseNameAddressList(fields.cc ?? "").map((p) => fill(p, "Cc"));
    if (!from.address) damaged.push("the page hides the sender's address");
    damaged.push("the page shows the date to the minute in UTC: seconds and the sender's zone are lost");
    damaged.push("the page shows no Message-ID, In-Reply-To or References (ids are synthesized; the tree comes from the thread overview)");
    if (b.body.length === 0) damaged.push("the page shows no body for this message");
    return {
      msgid: null,
      inReplyTo: null,
      references: [],
      from,
      to,
      cc,
      subject: fields.subject?.trim() || b.subject,
      date: pd?.iso ?? null,
      tzOffsetMinutes: null,
      datePrecision: pd?.precision ?? "minute",
      body: b.body.join("\n"),
      parentIndex: null,
      lines: [b.start, b.end],
      damaged,
      inferred,
      quoted: [],
    };
  });

  // ---- the thread overview: the tree
  const entries: OverviewEntry[] = [];
  if (overviewAt >= 0) {
    for (let i = overviewAt + 1; i < lines.length; i++) {
      const m = OVERVIEW_ENTRY.exec(lines[i]);
      if (!m) {
        if (entries.length > 0 && lines[i].trim() === "") break;
        continue;
      }
      const e = treeEntry(m[2]);
      entries.push({ date: normDate(m[1]), depth: e.depth, rest: e.rest, line: i + 1 });
    }
  } else notes.push("no thread overview on the page: parents taken from each message's own tree context");

  const authors = [...new Set(blocks.map((b) => b.author))].sort((a, b) => b.length - a.length);
  let prevSubject = "";
  for (const e of entries) {
    let author = authors.find((a) => e.rest === a) ?? authors.find((a) => e.rest.endsWith(` ${a}`));
    if (!author) {
      // "[not found]" or an author without a message block: the last word(s) are the name
      author = e.rest;
    }
    const subj = e.rest.slice(0, e.rest.length - author.length).trim();
    e.author = author;
    e.subject = subj || prevSubject;
    prevSubject = e.subject;
  }
  // match entries to blocks: same date and author, then the same subject key; first unused in page order
  const used = new Set<number>();
  const keyOf = (s: string) => threadSubjectKey(s);
  for (const e of entries) {
    const cands = blocks.map((b, i) => ({ b, i })).filter(({ b, i }) => !used.has(i) && b.dateText === e.date && b.author === e.author);
    let pick = cands.find(({ b }) => keyOf(b.subject) === keyOf(e.subject ?? "") && (e.subject ?? "").replace(/^Re:\s*/i, "") === b.subject.replace(/^Re:\s*/i, ""));
    if (!pick) pick = cands.find(({ b }) => keyOf(b.subject) === keyOf(e.subject ?? ""));
    if (!pick && cands.length > 0) {
      pick = cands[0];
      notes.push(`overview line ${e.line}: subject did not match, matched by date and author`);
    }
    if (pick) {
      e.match = pick.i;
      used.add(pick.i);
    } else notes.push(`overview line ${e.line} ("${e.date} ${e.rest}") has no message on the page`);
  }
  // parents from depth
  const stack: OverviewEntry[] = [];
  for (const e of entries) {
    while (stack.length && stack[stack.length - 1].depth >= e.depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (e.match !== undefined) {
      const msg = messages[e.match];
      if (parent) {
        if (parent.match !== undefined) msg.parentIndex = parent.match;
        else msg.damaged.push(`its parent (overview line ${parent.line}) is not on the page`);
      }
      // cross-check with the block's own context
      const cp = blocks[e.match].contextParent;
      if (parent && cp && (cp.date !== parent.date || !(cp.author === parent.author || cp.author.endsWith(` ${parent.author}`)))) {
        notes.push(`message at line ${blocks[e.match].start}: its context shows parent "${cp.date} ${cp.author}", the overview "${parent.date} ${parent.author}"; the overview wins`);
      }
    }
    stack.push(e);
  }
  // blocks the overview did not place: fall back to their own context
  blocks.forEach((b, i) => {
    if (used.has(i) || !b.contextParent) return;
    const pi = blocks.findIndex((p, k) => k !== i && p.dateText === b.contextParent!.date && b.contextParent!.author.endsWith(p.author));
    if (pi >= 0) {
      messages[i].parentIndex = pi;
      messages[i].inferred.push("parent taken from the message's own tree context (not in the overview)");
    }
  });
  if (entries.length) notes.push(`thread overview: ${entries.length} entries, ${used.size} matched to the ${blocks.length} messages on the page`);
  return { format: "lore-flat", messages, notes, listName };
}

export const parse = parseLoreFlat;
