// Which kind of archive page is this text? Decided from the content only (never the file name).
// A real mbox or RFC 822 message (a "From " line or header lines followed by a line break) is not
// a page: detectPageFormat returns null so the mbox reader takes it.

import { TABLE_ROW } from "./article";
import { looksCollapsed } from "./collapsed";
import type { PageDetection, PageFormat } from "./types";
import { pageLines } from "./util";

const HEADER_LINE = /^[!-9;-~]+:[ \t]/;
const KNOWN_HEADER = /^(?:from|to|cc|subject|date|message-id|received|return-path|delivered-to|mime-version|in-reply-to|references|content-type|x-[a-z-]+):/i;

/** A real (multi-line) mbox or RFC 822 message: the mbox reader's job. */
export function looksLikeRealMail(lines: string[]): boolean {
  let i = 0;
  while (i < lines.length && lines[i].trim() === "") i++;
  if (i >= lines.length) return false;
  let first = i;
  if (/^From \S+/.test(lines[i]) && lines.length > i + 1 && lines[i].length < 200) first = i + 1;
  // header lines, at least two, the first a known one, up to an empty line
  let headers = 0;
  let known = false;
  for (let k = first; k < Math.min(lines.length, first + 200); k++) {
    const l = lines[k];
    if (l === "") break;
    if (/^[ \t]/.test(l) && headers > 0) continue;
    if (!HEADER_LINE.test(l) || l.length > 2000) return false;
    if (KNOWN_HEADER.test(l)) known = true;
    headers++;
  }
  return headers >= 2 && known;
}

export function detectPage(text: string): PageDetection | null {
  const lines = pageLines(text.slice(0, 2_000_000));
  if (lines.length === 0) return null;
  if (looksLikeRealMail(lines)) return null;
  const found: PageDetection[] = [];

  // 5. collapsed RFC 822: one very long line full of header names
  const col = looksCollapsed(text.slice(0, 200_000));
  if (col.ok) found.push({ format: "collapsed-rfc822", confidence: Math.min(0.99, 0.6 + col.fields * 0.02), evidence: [`${col.fields} header field names on ${lines.length} line(s)`] });

  // 1. lore flat thread view
  let stars = 0;
  let atLines = 0;
  let permalinks = 0;
  let overview = false;
  let fromAt = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.startsWith("* ")) stars++;
    else if (/^@ \d{4}-\d{2}-\d{2} [ \d]\d:\d{2} /.test(l)) atLines++;
    else if (/^\^ permalink raw reply/.test(l)) permalinks++;
    else if (/^Thread overview: \d+\+? messages?/.test(l)) overview = true;
    else if (/^From: .+ @ \d{4}-\d{2}-\d{2} [ \d]?\d:\d{2} UTC/.test(l)) fromAt++;
  }
  if (atLines > 0 && (permalinks > 0 || overview || fromAt > 0)) {
    const ev = [`${stars} "* subject" lines`, `${atLines} "@ date author" lines`, `${permalinks} permalink separators`, `${fromAt} "From: X @ date UTC" lines`];
    if (overview) ev.push("a thread overview");
    found.push({ format: "lore-flat", confidence: Math.min(0.99, 0.5 + (overview ? 0.2 : 0) + Math.min(atLines, fromAt, 5) * 0.06), evidence: ev });
  }

  // 3. article page with a "Field: | value |" table
  const rows = lines.slice(0, 40).filter((l) => TABLE_ROW.test(l));
  const rowNames = new Set(rows.map((l) => TABLE_ROW.exec(l)![1].toLowerCase()));
  const tableCore = ["from", "to", "subject", "date", "message-id", "cc"].filter((n) => rowNames.has(n)).length;
  if (tableCore >= 3) found.push({ format: "article-table", confidence: Math.min(0.98, 0.5 + tableCore * 0.08), evidence: [`header table with ${[...rowNames].join(", ")}`] });

  // 4. hypermail: subject, "From: Name", "Date: Www Mmm dd yyyy - hh:mm:ss ZZZ" at the top
  const top = lines.slice(0, 12);
  const hyperDate = top.findIndex((l) => /^Date: (?:[A-Za-z]{3},? )?[A-Za-z]{3} \d{1,2} \d{4} - \d{1,2}:\d{2}(?::\d{2})? [A-Z]{2,5}\s*$/.test(l));
  const hyperFrom = top.findIndex((l) => /^From: \S/.test(l));
  if (hyperDate > 0 && hyperFrom > 0 && Math.abs(hyperDate - hyperFrom) <= 3) {
    const obf = /@x{4,}\b/i.test(text);
    found.push({ format: "hypermail", confidence: obf ? 0.95 : 0.85, evidence: ["hypermail \"Date: Www Mmm dd yyyy - hh:mm:ss ZONE\" line", ...(obf ? ["obfuscated addresses name@xxxx"] : [])] });
  }

  // 2. mail-archive.com: "<subject>" / "" / "YYYY-MM-DD Thread Author"
  let threadLines = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!/^\d{4}-\d{2}-\d{2} Thread \S/.test(lines[i])) continue;
    const above = lines[i - 1].trim() === "" ? lines[i - 2] : lines[i - 1];
    if (above !== undefined && above.trim() !== "") threadLines++;
  }
  if (threadLines > 0) found.push({ format: "mail-archive", confidence: Math.min(0.97, 0.7 + threadLines * 0.05), evidence: [`${threadLines} "YYYY-MM-DD Thread Author" line(s)`] });

  if (found.length === 0) return null;
  found.sort((a, b) => b.confidence - a.confidence);
  return found[0];
}

/** The page format of `text`, or null (not a page; a real mbox/RFC 822 message is not a page). */
export function detectPageFormat(text: string): PageFormat | null {
  return detectPage(text)?.format ?? null;
}
