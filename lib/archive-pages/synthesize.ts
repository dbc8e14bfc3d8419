// PageMessage / QuotedAncestor -> RFC 822 bytes, so everything downstream treats a recovered
// message like mail.
//
// Headers: the real ones the page kept (Message-ID, In-Reply-To, References, From, To, Cc, Subject,
// Date with its zone); "Content-Type: text/plain; charset=utf-8", 8bit, the recovered body. A
// Date whose sender zone is unknown is written in UTC with "-0000" (RFC 5322: local zone unknown).
// Provenance goes into X-Patchlore-* headers: Recovery, Damaged, Inferred, Date-Precision,
// Obfuscated-From, Quoted-In (for reconstructed quotes).
//
// Message-IDs where the page shows none (stable across runs, so re-ingesting changes nothing):
//   page message:   <page-{first 24 hex of sha256(format "\n" author "\n" date "\n" subject "\n" body)}@patchlore.invalid>
//                   author = the sender's display name as on the page, date = ISO UTC or "".
//   quoted message: <page-{first 24 hex of sha256("quote" "\n" author "\n" date "\n" subject "\n" body)}@patchlore.invalid>
//                   with body = "" when the attribution gives a date: the quoted excerpt differs
//                   from one quoting message to the next, the attribution does not, so two replies
//                   quoting the same message produce the same ghost id.
// Threading: a page message's In-Reply-To/References come from the page when it has them, else
// from its parentIndex (the parent's id, and the parent's chain), else from its nearest quoted
// ancestor; quoted ancestors chain to each other by depth (depth d replies to depth d+1).
// A message recovered as a whole RFC 822 message (PageMessage.raw) is emitted as is, with the
// provenance headers put at the top.

import type { PageFormat, PageMessage, PageParse, PagePerson, QuotedAncestor } from "./types";
import { formatRfc5322 } from "../mail/written-dates";
import { sha256hex } from "./util";

export interface SynthesizedMessage {
  raw: Buffer;
  /** Message-ID without brackets */
  msgid: string;
  /** "page:<format>" for page messages, "quote" for messages rebuilt from quotes */
  recovery: string;
  /** true for messages rebuilt from quotes in another message (store as ghosts with content) */
  reconstructed: boolean;
  /** 1-based inclusive line range in the page */
  lines: [number, number];
  /** index of the page message (of the quoting message, for a reconstructed one) */
  pageIndex: number;
  /** quote depth for reconstructed messages */
  depth?: number;
}

export const SYNTHETIC_DOMAIN = "patchlore.invalid";

export function syntheticId(parts: string[]): string {
  return `page-${sha256hex(parts.join("\n")).slice(0, 24)}@${SYNTHETIC_DOMAIN}`;
}

/** The page's Message-ID, or the stable synthesized one. */
export function pageMessageId(format: PageFormat, m: PageMessage): string {
  return m.msgid ?? syntheticId([format, m.from.name, m.date ?? "", m.subject, m.body]);
}

export function quotedAncestorId(q: QuotedAncestor): string {
  return q.msgid ?? syntheticId(["quote", q.author.name, q.date ?? "", q.subject, q.date ? "" : q.text]);
}

function needsEncoding(s: string): boolean {
  return /[^\x20-\x7e]/.test(s);
}

function encodeWord(s: string): string {
  // RFC 2047 B encoding in chunks that keep each encoded-word short
  const out: string[] = [];
  let chunk = "";
  for (const ch of s) {
    if (Buffer.byteLength(chunk + ch, "utf8") > 45) {
      out.push(`=?UTF-8?B?${Buffer.from(chunk, "utf8").toString("base64")}?=`);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) out.push(`=?UTF-8?B?${Buffer.from(chunk, "utf8").toString("base64")}?=`);
  return out.join(" ");
}

function unstructured(s: string): string {
  const t = s.replace(/[\r\n]+/g, " ");
  return needsEncoding(t) ? encodeWord(t) : t;
}

function displayName(name: string): string {
  if (!name) return "";
  if (needsEncoding(name)) return encodeWord(name);
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name)) return name;
  return `"${name.replace(/(["\\])/g, "\\$1")}"`;
}

/** "Jane Doe <jane@x.org>", or just the (quoted) name when the address is unknown. */
export function formatPerson(p: PagePerson): string {
  const n = displayName(p.name);
  if (p.address) return n ? `${n} <${p.address}>` : `<${p.address}>`;
  // a name alone: quoted so that no parser takes it for an address
  return n.startsWith('"') || n.startsWith("=?") ? n : `"${p.name}"`;
}

function fold(name: string, items: string[], sep: string): string {
  let line = `${name}:`;
  const lines: string[] = [];
  items.forEach((it, k) => {
    const piece = it + (k < items.length - 1 ? sep.trimEnd() : "");
    if (line.length + 1 + piece.length > 78 && line.length > name.length + 1) {
      lines.push(line);
      line = ` ${piece}`;
    } else line += ` ${piece}`;
  });
  lines.push(line);
  return lines.join("\n");
}

function provenanceNotes(kind: string, notes: string[], max = 24): string[] {
  return notes.slice(0, max).map((n) => `X-Patchlore-${kind}: ${unstructured(n.length > 300 ? `${n.slice(0, 297)}...` : n)}`);
}

interface Threading {
  msgid: string;
  inReplyTo: string | null;
  references: string[];
}

function headerBlock(h: {
  from: PagePerson;
  to: PagePerson[];
  cc: PagePerson[];
  subject: string;
  date: string | null;
  tz: number | null;
  precision: string;
  threading: Threading;
  recovery: string;
  quotedIn?: string;
  damaged: string[];
  inferred: string[];
}): string[] {
  const out: string[] = [];
  out.push(`From: ${formatPerson(h.from)}`);
  if (h.to.length) out.push(fold("To", h.to.map(formatPerson), ", "));
  if (h.cc.length) out.push(fold("Cc", h.cc.map(formatPerson), ", "));
  out.push(`Subject: ${unstructured(h.subject)}`);
  if (h.date) out.push(`Date: ${formatRfc5322(h.date, h.tz)}`);
  out.push(`Message-ID: <${h.threading.msgid}>`);
  if (h.threading.inReplyTo) out.push(`In-Reply-To: <${h.threading.inReplyTo}>`);
  if (h.threading.references.length) out.push(fold("References", h.threading.references.map((r) => `<${r}>`), " "));
  out.push("MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit");
  out.push(`X-Patchlore-Recovery: ${h.recovery}`);
  if (h.quotedIn) out.push(`X-Patchlore-Quoted-In: <${h.quotedIn}>`);
  if (h.precision !== "second") out.push(`X-Patchlore-Date-Precision: ${h.precision}`);
  if (h.from.obfuscated && !h.from.address) out.push(`X-Patchlore-Obfuscated-From: ${h.from.obfuscated}`);
  out.push(...provenanceNotes("Damaged", h.damaged), ...provenanceNotes("Inferred", h.inferred));
  return out;
}

function bodyBytes(body: string): string {
  const b = body.replace(/\r\n?/g, "\n");
  return b.endsWith("\n") ? b : `${b}\n`;
}

/** RFC 822 bytes for one page message with the given threading. */
export function synthesizeMessage(m: PageMessage, format: PageFormat, threading: Threading): Buffer {
  const recovery = `page:${format}`;
  if (m.raw) {
    // a whole message recovered as such: provenance first, the message as it was rebuilt
    const prov = [`X-Patchlore-Recovery: ${recovery}`, ...provenanceNotes("Damaged", m.damaged), ...provenanceNotes("Inferred", m.inferred)];
    return Buffer.from(`${prov.join("\n")}\n${m.raw.endsWith("\n") ? m.raw : `${m.raw}\n`}`, "utf8");
  }
  const head = headerBlock({
    from: m.from,
    to: m.to,
    cc: m.cc,
    subject: m.subject,
    date: m.date,
    tz: m.tzOffsetMinutes,
    precision: m.datePrecision,
    threading,
    recovery,
    damaged: m.damaged,
    inferred: m.inferred,
  });
  return Buffer.from(`${head.join("\n")}\n\n${bodyBytes(m.body)}`, "utf8");
}

/** RFC 822 bytes for a message rebuilt from quotes. */
export function synthesizeQuoted(q: QuotedAncestor, threading: Threading, quotedIn: string): Buffer {
  const head = headerBlock({
    from: q.author,
    to: [],
    cc: [],
    subject: q.subject,
    date: q.date,
    tz: q.tzOffsetMinutes,
    precision: q.datePrecision,
    threading,
    recovery: "quote",
    quotedIn,
    damaged: q.damaged,
    inferred: [...q.inferred, `rebuilt from the quotes in <${quotedIn}> ("${q.attributionLine}")`],
  });
  return Buffer.from(`${head.join("\n")}\n\n${bodyBytes(q.text)}`, "utf8");
}

/**
 * Every message of a page, in page order, each followed by the messages rebuilt from its quotes
 * (nearest first). Ids are assigned first so that parents and quotes can be referenced.
 */
export function synthesizePage(page: PageParse): SynthesizedMessage[] {
  const ids = page.messages.map((m) => pageMessageId(page.format, m));
  const quoteIds = page.messages.map((m) => m.quoted.map(quotedAncestorId));
  // threading of page messages
  const threads: Threading[] = page.messages.map((m, i) => ({ msgid: ids[i], inReplyTo: m.inReplyTo, references: [...m.references] }));
  const resolving = new Set<number>();
  const chainOf = (i: number): string[] => {
    // References for a child of message i: i's references, then i
    const t = threads[i];
    return [...t.references.filter((r) => r !== t.msgid), t.msgid];
  };
  const resolve = (i: number) => {
    if (resolving.has(i)) return;
    resolving.add(i);
    const m = page.messages[i];
    const t = threads[i];
    if (!m.inReplyTo && m.references.length === 0) {
      if (m.parentIndex !== null && m.parentIndex !== i) {
        resolve(m.parentIndex);
        t.inReplyTo = ids[m.parentIndex];
        t.references = chainOf(m.parentIndex);
      } else if (m.quoted.length > 0) {
        // deepest first, the nearest (the parent) last
        t.references = [...quoteIds[i]].reverse();
        t.inReplyTo = quoteIds[i][0];
      }
    } else if (m.inReplyTo && !t.references.includes(m.inReplyTo)) t.references.push(m.inReplyTo);
  };
  page.messages.forEach((_, i) => resolve(i));

  const out: SynthesizedMessage[] = [];
  page.messages.forEach((m, i) => {
    out.push({
      raw: synthesizeMessage(m, page.format, threads[i]),
      msgid: ids[i],
      recovery: `page:${page.format}`,
      reconstructed: false,
      lines: m.lines,
      pageIndex: i,
    });
    m.quoted.forEach((q, k) => {
      const deeper = quoteIds[i].slice(k + 1).reverse(); // deepest first
      const th: Threading = {
        msgid: quoteIds[i][k],
        inReplyTo: k + 1 < m.quoted.length ? quoteIds[i][k + 1] : null,
        references: deeper,
      };
      out.push({
        raw: synthesizeQuoted(q, th, ids[i]),
        msgid: quoteIds[i][k],
        recovery: "quote",
        reconstructed: true,
        lines: q.lines,
        pageIndex: i,
        depth: q.depth,
      });
    });
  });
  return out;
}
