// lkml.iu.edu hypermail page saved as text:
//
//   Re: [RFC PATCH] subject
//   From: Suren Baghdasaryan
//   Date: Thu Aug 08 2024 - 17:19:52 EST
//   <body, addresses obfuscated as name@xxxxxxxxxx, leading whitespace stripped>
//
// The date is the archive's US Eastern clock, labelled "EST" even in summer (converted with the
// real daylight-saving rule, see dates.ts). The sender's address is not shown; obfuscated
// addresses keep the local part and the domain's length, which is enough to recognise an address
// shown in clear elsewhere on the page. The quoted ancestors ("On ..., X wrote:" + ">" levels)
// become QuotedAncestors; diffs inside quotes get their context markers back.

import { parseHypermailDate } from "../mail/written-dates";
import { extractQuotedAncestors, joinQuote, repairQuotedDiffs, splitQuote } from "./quotes";
import type { PageMessage, PageParse, PagePerson } from "./types";
import { PageAddressBook, isBlank, pageLines } from "./util";
import { parseNameAddress, parseNameAddressList } from "../mail/address";

const NAV = /^\s*(?:Next message|Previous message|In reply to|Next in thread|Reply|Maybe reply|Messages sorted by|Index|Home|\[ (?:date|thread|subject|author) \])\s*:?/i;

export function parseHypermail(text: string): PageParse {
  const lines = pageLines(text);
  const notes: string[] = [];
  // the "From:" line near the top; the subject is the nearest non-blank line above it (whatever
  // archive navigation precedes that is skipped)
  let fromAt = lines.slice(0, 30).findIndex((l) => /^From:\s*\S/.test(l));
  if (fromAt < 0) fromAt = 1;
  let i = fromAt - 1;
  while (i > 0 && isBlank(lines[i])) i--;
  const subjectLine = Math.max(0, i);
  const subject = (lines[subjectLine] ?? "").trim();
  if (subjectLine > 0) notes.push(`lines 1-${subjectLine}: archive navigation before the subject, skipped`);
  i = fromAt;
  const head: Record<string, { value: string; line: number }> = {};
  while (i < lines.length) {
    const m = /^(From|Date|Subject|To|Cc|Message-ID|In-Reply-To|References|Email):\s*(.*)$/i.exec(lines[i]);
    if (!m) break;
    head[m[1].toLowerCase()] = { value: m[2].trim(), line: i + 1 };
    i++;
  }
  let bodyStart = i;
  while (bodyStart < lines.length && isBlank(lines[bodyStart])) bodyStart++;
  let bodyEnd = lines.length;
  // navigation lines at the end of the page ("Next message: ...")
  while (bodyEnd > bodyStart && (isBlank(lines[bodyEnd - 1]) || NAV.test(lines[bodyEnd - 1]))) bodyEnd--;
  if (bodyEnd < lines.length && lines.slice(bodyEnd).some((l) => NAV.test(l))) notes.push(`lines ${bodyEnd + 1}-${lines.length}: archive navigation, skipped`);
  const bodyLines = lines.slice(bodyStart, bodyEnd);
  const lineNumbers = bodyLines.map((_, k) => bodyStart + k + 1);

  const damaged: string[] = [];
  const inferred: string[] = [];
  const book = new PageAddressBook(text);
  let from: PagePerson = parseNameAddress(head.from?.value ?? "");
  if (!from.address && from.obfuscated) damaged.push(`the page obfuscates the sender's address (${from.obfuscated})`);
  else if (!from.address) damaged.push("the page hides the sender's address");
  // the sender's name may appear with an (obfuscated) address in the quotes: "Jane Doe <jane@xxxxxxx>"
  if (!from.address && !from.obfuscated && from.name) {
    const esc = from.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const m = new RegExp(`${esc}\\s*<([^<>\\s]+@[^<>\\s]+)>`).exec(text);
    if (m) {
      const p = parseNameAddress(`${from.name} <${m[1]}>`);
      if (p.address || p.obfuscated) {
        from = { ...p, addressFrom: "page:attribution" };
        inferred.push(`sender's address ${p.address ?? p.obfuscated} from an attribution line on the page`);
      }
    }
  }
  const filled = book.fill(from);
  if (filled.address && !from.address) {
    inferred.push(`sender's address ${filled.address} resolved from elsewhere on the page (${filled.addressFrom})`);
    from = filled;
  }
  const pd = head.date ? parseHypermailDate(head.date.value) : null;
  if (head.date && !pd) damaged.push(`unreadable date "${head.date.value}"`);
  if (pd) {
    const off = pd.archiveOffsetMinutes;
    notes.push(`date "${head.date!.value}" is the archive's US Eastern clock (${off === -240 ? "EDT, -0400" : "EST, -0500"} on that day): ${pd.iso}`);
    damaged.push("the page shows the archive's local time: the sender's own zone is unknown");
  }
  damaged.push("the page shows no Message-ID, In-Reply-To or References");
  if (/@x{3,}\b/i.test(bodyLines.join("\n"))) damaged.push("the page obfuscates e-mail addresses in the body (name@xxxxxxxx)");

  // the body: diffs inside quotes repaired, quoting kept
  const { lines: ql, damaged: qd } = repairQuotedDiffs(bodyLines.map(splitQuote));
  const repairedBody = ql.map((q) => joinQuote(q.depth, q.content));
  const changed = repairedBody.some((l, k) => l !== bodyLines[k]);
  if (changed) damaged.push(...qd, "quote markers normalised to \"> \" per level");
  const body = repairedBody.join("\n");
  const quoted = extractQuotedAncestors(bodyLines.join("\n"), {
    lineNumbers,
    subject: head.subject?.value ?? subject,
    quoterDate: pd?.iso ?? null,
    addressBook: book,
  });
  const msg: PageMessage = {
    msgid: null,
    inReplyTo: null,
    references: [],
    from,
    to: parseNameAddressList(head.to?.value ?? ""),
    cc: parseNameAddressList(head.cc?.value ?? ""),
    subject: head.subject?.value ?? subject,
    date: pd?.iso ?? null,
    tzOffsetMinutes: null,
    datePrecision: pd?.precision ?? "second",
    body,
    parentIndex: null,
    lines: [subjectLine + 1, Math.max(bodyEnd, subjectLine + 1)],
    damaged,
    inferred,
    quoted,
  };
  return { format: "hypermail", messages: [msg], notes, listName: null };
}

export const parse = parseHypermail;
