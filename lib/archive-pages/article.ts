// An article page (LWN "Articles" view of a mail) saved as text:
//
//   <title>
//   From: | Peter Zijlstra <peterz@infradead.org> | |
//   To: | Nick Piggin <...>, ... | |
//   Subject: | [RFC] ... | |
//   Date: | Fri, 28 Nov 2008 16:42:39 +0100 | |
//   Message-ID: | <1227886959.4454.4421.camel@twins> | |
//   Cc: | ... | |
//   Archive-link: | Article |
//   <the whole body on one line>
//
// Headers are exact. The body lost every newline: prose is re-wrapped (paragraph breaks are a
// guess), trailers and the "---" separator get their own lines, and the patch is rebuilt from its
// hunk headers (flat-diff.ts). Whatever follows the last hunk (signature, list footer) is kept
// after a "-- " line.

import { parseMailDate } from "../mail/date";
import { flatPatchStart, rebuildFlatPatch } from "./flat-diff";
import type { PageMessage, PageParse, PagePerson } from "./types";
import { isBlank, pageLines, wrapWords } from "./util";
import { parseNameAddress, parseNameAddressList } from "../mail/address";
import { bracketedIds, unbracketMessageId } from "../mail/references";

export const TABLE_ROW = /^([A-Za-z][A-Za-z0-9\u2010\u2011-]*):\s*\|\s*(.*?)\s*\|(?:\s*\|)?\s*$/;

const TRAILER_KEY = /(?:^|\s)((?:[A-Z][A-Za-z0-9]*-)*[A-Za-z]+-by|Cc|Link|Fixes|Closes|Suggested-by): /g;

/** Split flat prose into lines: greeting, paragraphs (guessed), trailers. */
export function unflattenProse(prose: string): { lines: string[]; trailers: string[] } {
  let text = prose.trim();
  // trailers at the end: every piece from the first trailer on is "Key: value"
  const trailers: string[] = [];
  const starts = [...text.matchAll(TRAILER_KEY)].map((m) => m.index! + (m[0].length - m[1].length - 2));
  for (const s of starts) {
    const tail = text.slice(s).trim();
    const parts = tail.split(/\s(?=(?:(?:[A-Z][A-Za-z0-9]*-)*[A-Za-z]+-by|Cc|Link|Fixes|Closes|Suggested-by): )/);
    if (parts.every((p) => p.length < 200 && !/[.!?]\s+[A-Z]/.test(p.replace(/<[^>]*>/g, "")))) {
      trailers.push(...parts.map((p) => p.trim()));
      text = text.slice(0, s).trim();
      break;
    }
  }
  const lines: string[] = [];
  const greet = /^((?:Hi|Hello|Hey|Dear|Hallo|Greetings)\b[^.!?]{0,40}?[,!])\s+/.exec(text);
  if (greet) {
    lines.push(greet[1], "");
    text = text.slice(greet[0].length);
  }
  // paragraphs: bracketed asides "[ ... ]" stand alone
  const paras = text
    .split(/\s(?=\[ )|(?<= \])\s(?=[A-Z])/)
    .map((p) => p.trim())
    .filter(Boolean);
  paras.forEach((p, k) => {
    if (k > 0) lines.push("");
    lines.push(...wrapWords(p, 72));
  });
  return { lines, trailers };
}

/** Which recipient is a mailing list: "linux-mm <linux-mm@kvack.org>" -> "linux-mm". */
export function listFromRecipients(people: PagePerson[]): string | null {
  for (const p of people) {
    if (!p.address) continue;
    const [local, domain] = p.address.split("@");
    if (/(?:^|\.)(?:vger\.kernel\.org|kvack\.org|lists\.[a-z0-9.-]+|googlegroups\.com|freedesktop\.org|ozlabs\.org|infradead\.org)$/.test(domain) && /^(?:linux-|lkml|[a-z0-9]+-(?:devel|dev|kernel|mm|users))/.test(local)) {
      return local;
    }
  }
  return null;
}

export function parseArticle(text: string): PageParse {
  const lines = pageLines(text);
  const notes: string[] = [];
  let i = 0;
  while (i < lines.length && isBlank(lines[i])) i++;
  const title = lines[i] && !TABLE_ROW.test(lines[i]) ? lines[i++].trim() : "";
  const fields: Record<string, string> = {};
  const tableStart = i;
  while (i < lines.length && TABLE_ROW.test(lines[i])) {
    const m = TABLE_ROW.exec(lines[i])!;
    fields[m[1].replace(/[\u2010\u2011]/g, "-").toLowerCase()] = m[2];
    i++;
  }
  if (i === tableStart) notes.push("no header table found");
  const rest = lines.slice(i);
  const flat = rest.filter((l) => !isBlank(l)).length <= 3 && rest.some((l) => l.length > 400);
  const damaged: string[] = [];
  let bodyLines: string[];
  if (flat) {
    const joined = rest.join(" ").replace(/\s+/g, " ").trim();
    const ps = flatPatchStart(joined);
    let prose = ps >= 0 ? joined.slice(0, ps) : joined;
    let sep = false;
    const sepM = /\s---\s*$/.exec(prose);
    if (sepM) {
      sep = true;
      prose = prose.slice(0, sepM.index);
    }
    let footer = "";
    if (ps < 0) {
      // no patch: a signature may still end the text
      const sig = /\s--\s(?=\S)/.exec(prose);
      if (sig) {
        footer = prose.slice(sig.index).replace(/^\s*--\s*/, "");
        prose = prose.slice(0, sig.index);
      }
    }
    const { lines: proseLines, trailers } = unflattenProse(prose);
    bodyLines = [...proseLines];
    if (trailers.length) bodyLines.push("", ...trailers);
    if (ps >= 0) {
      const patch = rebuildFlatPatch(joined.slice(ps));
      bodyLines.push(sep ? "---" : "");
      bodyLines.push(...patch.lines);
      damaged.push(...patch.damaged);
      footer = patch.trailer.replace(/^--\s*/, "");
    } else if (sep) bodyLines.push("---");
    if (footer) bodyLines.push("-- ", ...wrapWords(footer, 72));
    damaged.push("the page joined the body into one line: prose line breaks and paragraph breaks are a guess (re-wrapped at 72 columns)");
  } else {
    bodyLines = rest;
    while (bodyLines.length && isBlank(bodyLines[0])) bodyLines = bodyLines.slice(1);
  }
  const from = parseNameAddress(fields.from ?? "");
  const to = parseNameAddressList(fields.to ?? "");
  const cc = parseNameAddressList(fields.cc ?? "");
  const d = parseMailDate(fields.date ?? "");
  if (fields.date && !d) damaged.push(`unreadable date "${fields.date}"`);
  const msgid = fields["message-id"] ? unbracketMessageId(bracketedIds(fields["message-id"])[0] ?? fields["message-id"]) : null;
  const inReplyTo = fields["in-reply-to"] ? (bracketedIds(fields["in-reply-to"])[0] ?? null) : null;
  const references = fields.references ? bracketedIds(fields.references) : [];
  if (!msgid) damaged.push("the page shows no Message-ID");
  const msg: PageMessage = {
    msgid: msgid || null,
    inReplyTo,
    references,
    from,
    to,
    cc,
    subject: fields.subject ?? title,
    date: d ? d.date.toISOString() : null,
    tzOffsetMinutes: d ? d.tzOffsetMinutes : null,
    datePrecision: "second",
    body: bodyLines.join("\n").replace(/\s+$/, ""),
    parentIndex: null,
    lines: [1, Math.max(1, lines.length)],
    damaged,
    inferred: [],
    quoted: [],
  };
  return { format: "article-table", messages: [msg], notes, listName: listFromRecipients([...to, ...cc]) };
}

export const parse = parseArticle;
