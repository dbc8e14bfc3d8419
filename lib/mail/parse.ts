// parseMail(): raw RFC 822 bytes -> ParsedMail (lib/mail/types.ts).
//
// Design (performance matters: the whole ingest must do >= 1,000 msg/s on 2 cores incl. the DB):
//  * The top-level header block is scanned once, on the Buffer, by hand (scanHeaders). Every
//    header-derived field (ids, dates, addresses, list id, the `headers` list, contentHash input)
//    comes from that one scan; mailparser's own header processing (addresses rendered to HTML,
//    Date objects, ...) is never needed for them.
//  * Body, fast path: a single-part text/plain message (about 97% of kernel mail) is decoded
//    directly: quoted-printable/base64, format=flowed (libmime.decodeFlowed, the same routine
//    mailparser uses), then the charset. This is synchronous and avoids mailparser's stream
//    pipeline with its setImmediate() per chunk, which costs ~0.4 ms per message by itself.
//  * Body, everything else (multipart/*, text/html, message/*, odd transfer encodings,
//    attachments at the root): mailparser's MailParser (the class simpleParser wraps), with the
//    options that skip work we do not need. We drive it ourselves instead of calling
//    simpleParser because (a) simpleParser rejects on mailparser's non-fatal errors (e.g. HTML too
//    long) and we want a result with a problem instead, and (b) we need its part tree to pull
//    inline text/plain parts named *.patch/*.diff out into attachments.
// Nothing here throws for odd input except MailParseError when the bytes are not a message at
// all (empty, or no "Name: value" header line).

import { createHash } from "node:crypto";
import { isAscii, isUtf8 } from "node:buffer";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import { MailParser } from "mailparser";
import { htmlToText } from "html-to-text";
import libmime from "libmime";
import addressparser from "nodemailer/lib/addressparser";
import type { Address, AttachmentInfo, ParsedMail, ParseProblem } from "./types";
import { parseMailDate } from "./date";
import { isReplySubject, normalizeSubject, threadSubjectKey } from "./subject";

export class MailParseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MailParseError";
    this.code = code;
  }
}

export const LIMITS = {
  maxHeaders: 2000,
  maxHeaderValueChars: 64 * 1024,
  maxReferences: 1000,
  /** UTF-8 bytes (RFC 5322 lines are at most 998 bytes); also keeps ids well under PostgreSQL's
   * btree entry limit (2704 bytes) of the unique index on message.msgid */
  maxMsgidLength: 995,
  /** characters; longer subjects are cut (the full value stays in `headers`, up to maxHeaderValueChars) */
  maxSubjectChars: 1000,
  /** UTF-8 bytes of threadSubject: it is btree-indexed (thread.thread_subject), max entry 2704 bytes */
  maxThreadSubjectBytes: 1000,
  /** characters of an addr-spec (RFC 5321: 254); longer ones are unusable. person.address is
   * btree-indexed (unique), max entry 2704 bytes */
  maxAddressChars: 254,
  /** HTML nested deeper than this (open elements) is not given to html-to-text, which recurses per
   * level: it overflows the stack at a few thousand levels and takes seconds doing so */
  maxHtmlDepth: 1000,
  /** dates after this year are dropped (PostgreSQL cannot read JavaScript's +YYYYYY years) */
  maxDateYear: 9999,
  maxAttachmentTextBytes: 5 * 1024 * 1024,
  /** no header line within this many bytes => not a message */
  headerScanBytes: 64 * 1024,
  /** HTML bodies larger than this (characters) are not converted to text */
  maxHtmlToText: 4 * 1024 * 1024,
  /** absurd-date: more than this far in the future */
  futureSlackMs: 24 * 60 * 60 * 1000,
} as const;

const EPOCH_1970 = 0;

// ---------------------------------------------------------------------------------------------
// header scanning

interface RawHeader {
  /** lower-cased name */
  name: string;
  /** byte offsets of the value in the raw buffer: after the colon, up to the end of the last
   * (continuation) line, excluding its line break */
  vs: number;
  ve: number;
}

interface HeaderScan {
  /** where the header block starts (after leading blank lines and an mbox "From " line) */
  start: number;
  headers: RawHeader[];
  bodyStart: number;
  malformedLines: number;
}

function scanHeaders(raw: Buffer): HeaderScan {
  const len = raw.length;
  let pos = 0;
  // tolerate leading blank lines (left over by some mbox splitters)
  while (pos < len && (raw[pos] === 0x0a || raw[pos] === 0x0d)) pos++;
  // mbox "From " separator line
  if (
    len - pos > 5 &&
    raw[pos] === 0x46 &&
    raw[pos + 1] === 0x72 &&
    raw[pos + 2] === 0x6f &&
    raw[pos + 3] === 0x6d &&
    raw[pos + 4] === 0x20
  ) {
    const nl = raw.indexOf(0x0a, pos);
    pos = nl < 0 ? len : nl + 1;
  }
  const start = pos;

  const headers: RawHeader[] = [];
  let cur: RawHeader | null = null;
  let bodyStart = len;
  let malformedLines = 0;

  while (pos < len) {
    const nl = raw.indexOf(0x0a, pos);
    const next = nl < 0 ? len : nl + 1;
    let lineEnd = nl < 0 ? len : nl;
    while (lineEnd > pos && raw[lineEnd - 1] === 0x0d) lineEnd--; // CRLF, and "\r\r\n" (CRLF converted twice)

    if (lineEnd === pos) {
      bodyStart = next; // the empty line ends the header block
      break;
    }
    const c = raw[pos];
    if (c === 0x20 || c === 0x09) {
      if (cur) cur.ve = lineEnd;
      else {
        malformedLines++;
        if (headers.length === 0 && next > LIMITS.headerScanBytes) break;
      }
      pos = next;
      continue;
    }
    // field-name: printable US-ASCII except ":", optionally followed by blanks (obsolete syntax)
    let i = pos;
    while (i < lineEnd) {
      const b = raw[i];
      if (b <= 0x20 || b >= 0x7f || b === 0x3a) break;
      i++;
    }
    const nameEnd = i;
    while (i < lineEnd && (raw[i] === 0x20 || raw[i] === 0x09)) i++;
    if (nameEnd > pos && i < lineEnd && raw[i] === 0x3a) {
      cur = { name: raw.toString("latin1", pos, nameEnd).toLowerCase(), vs: i + 1, ve: lineEnd };
      headers.push(cur);
    } else if (nameEnd > pos && i === lineEnd && raw[i] === 0x3a) {
      // "Name:" with the colon as the last byte
      cur = { name: raw.toString("latin1", pos, nameEnd).toLowerCase(), vs: i + 1, ve: i + 1 };
      headers.push(cur);
    } else {
      malformedLines++;
      cur = null;
      if (headers.length === 0 && next > LIMITS.headerScanBytes) break;
    }
    pos = next;
  }
  return { start, headers, bodyStart, malformedLines };
}

// ---------------------------------------------------------------------------------------------
// charset helpers

type HeaderEncoding = "latin1" | "utf8" | "mixed";

// windows-1252 bytes 0x80..0x9f (undefined ones map to the C1 control, as WHATWG does).
// Node 20's TextDecoder("windows-1252") takes a latin-1 fast path and gets these wrong
// (0x92 -> U+0092 instead of U+2019), so this label is decoded here instead.
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const C1_RE = /[\u0080-\u009f]/g;
const HAS_C1 = /[\u0080-\u009f]/;
function windows1252(buf: Uint8Array): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1");
  return HAS_C1.test(s) ? s.replace(C1_RE, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : s;
}

/** Raw header bytes -> string. ASCII and valid UTF-8 are exact; anything else is read as
 * windows-1252 (the usual culprit for raw 8-bit headers). */
function headerSlice(raw: Buffer, enc: HeaderEncoding, s: number, e: number): string {
  if (enc === "latin1") return raw.toString("latin1", s, e);
  if (enc === "utf8") return raw.toString("utf8", s, e);
  const sub = raw.subarray(s, e);
  if (isUtf8(sub)) return raw.toString("utf8", s, e);
  return windows1252(sub);
}

const decoderCache = new Map<string, TextDecoder | null>();
function textDecoderFor(label: string): TextDecoder | null {
  let d = decoderCache.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    if (decoderCache.size < 256) decoderCache.set(label, d);
  }
  return d;
}

// iconv-lite, exactly the copy libmime/mailparser use, for the few charsets the WHATWG decoders
// do not know (utf-7, DOS code pages, ...). Loaded lazily; absent => those charsets are reported.
interface IconvLite {
  encodingExists(enc: string): boolean;
  decode(buf: Buffer, enc: string): string;
}
let iconvLite: IconvLite | null | undefined;
function getIconv(): IconvLite | null {
  if (iconvLite === undefined) {
    try {
      const req = createRequire(import.meta.url);
      iconvLite = createRequire(req.resolve("libmime"))("iconv-lite") as IconvLite;
    } catch {
      iconvLite = null;
    }
  }
  return iconvLite;
}

const UTF8_LABELS = new Set(["", "utf-8", "utf8", "us-ascii", "ascii", "usascii", "ansi_x3.4-1968", "us", "7bit", "8bit", "unknown-8bit", "x-unknown", "unknown", "default", "none", "binary", "iso-10646-utf-1", "x-user-defined"]);

/**
 * Decodes body bytes in the declared charset. Undeclared/ASCII/UTF-8 bodies that are not valid
 * UTF-8 fall back to windows-1252 when they contain no valid multi-byte sequence at all (a raw
 * latin-1 body), otherwise to lossy UTF-8.
 */
function decodeText(buf: Buffer, charsetIn: string | null | undefined, problems: ParseProblem[]): string {
  const cs = (charsetIn ?? "").trim().replace(/^["']|["']$/g, "").toLowerCase();
  if (UTF8_LABELS.has(cs)) return decodeUtf8Lenient(buf, cs, problems);
  const d = textDecoderFor(cs) ?? textDecoderFor(libmime.normalizeCharset(cs).toLowerCase());
  if (d) {
    if (d.encoding === "utf-8") return decodeUtf8Lenient(buf, cs, problems);
    if (d.encoding === "windows-1252") return windows1252(buf);
    return d.decode(buf);
  }
  const iconv = getIconv();
  if (iconv) {
    const norm = libmime.normalizeCharset(cs);
    for (const name of [cs, norm]) {
      try {
        if (iconv.encodingExists(name)) return iconv.decode(buf, name);
      } catch {
        // try the next spelling
      }
    }
  }
  addProblem(problems, "bad-charset", `unknown charset ${JSON.stringify(cs.slice(0, 80))}, decoded as UTF-8`);
  return decodeUtf8Lenient(buf, "", problems);
}

function decodeUtf8Lenient(buf: Buffer, cs: string, problems: ParseProblem[]): string {
  if (isAscii(buf) || isUtf8(buf)) return buf.toString("utf8", 0, buf.length);
  const lossy = buf.toString("utf8", 0, buf.length);
  // no valid multi-byte sequence at all => 8-bit single-byte text, most likely latin-1/cp1252
  if (!/[\u0080-\ufffc\ufffe\uffff]/.test(lossy)) {
    addProblem(problems, "bad-charset", `body is not valid UTF-8 (declared ${JSON.stringify(cs || "none")}), decoded as windows-1252`);
    return windows1252(buf);
  }
  addProblem(problems, "bad-charset", `body is not valid UTF-8 (declared ${JSON.stringify(cs || "none")}), invalid bytes replaced`);
  return lossy;
}

function addProblem(problems: ParseProblem[], code: string, detail: string): void {
  for (const p of problems) if (p.code === code && p.detail === detail) return;
  problems.push({ code, detail });
}

// Lone UTF-16 surrogates: decoders such as utf-7 and utf-32 (iconv-lite) and RFC 2047 words in
// utf-16 produce them. JSON.stringify writes them as "\ud83d", which PostgreSQL's json parser
// rejects, failing the whole batch; they are replaced by U+FFFD like any other undecodable input.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
function wellFormed(s: string): string {
  if (nativeIsWellFormed) return nativeIsWellFormed.call(s) ? s : s.replace(LONE_SURROGATE, "\ufffd");
  return s.replace(LONE_SURROGATE, "\ufffd");
}

/** At most `max` UTF-8 bytes of `s`, cut on a code point boundary. */
function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max || Buffer.byteLength(s, "utf8") <= max) return s;
  const b = Buffer.from(s, "utf8").subarray(0, max + 1);
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--; // back to the start of the cut character
  return b.toString("utf8", 0, end);
}

/** Every string in the result well-formed (see LONE_SURROGATE); returns the same object. */
function wellFormedMail(m: ParsedMail): ParsedMail {
  const addr = (a: Address): Address => ({ address: wellFormed(a.address), name: wellFormed(a.name) });
  const opt = (s: string | null): string | null => (s === null ? null : wellFormed(s));
  m.msgid = wellFormed(m.msgid);
  m.subject = wellFormed(m.subject);
  m.threadSubject = wellFormed(m.threadSubject);
  m.from = addr(m.from);
  m.to = m.to.map(addr);
  m.cc = m.cc.map(addr);
  m.dateHeader = opt(m.dateHeader);
  m.inReplyTo = opt(m.inReplyTo);
  m.references = m.references.map(wellFormed);
  m.listId = opt(m.listId);
  m.headers = m.headers.map(([k, v]) => [wellFormed(k), wellFormed(v)]);
  m.text = wellFormed(m.text);
  m.attachments = m.attachments.map((a) => ({
    ...a,
    filename: opt(a.filename),
    contentType: wellFormed(a.contentType),
    disposition: opt(a.disposition),
    text: opt(a.text),
  }));
  m.problems = m.problems.map((p) => ({ code: wellFormed(p.code), detail: wellFormed(p.detail) }));
  return m;
}

// ---------------------------------------------------------------------------------------------
// message ids

const CTL_OR_SPACE = /[\x00-\x20\x7f]/;

function isUsableId(id: string): boolean {
  return id.length > 0 && id.length <= LIMITS.maxMsgidLength && !CTL_OR_SPACE.test(id) && Buffer.byteLength(id, "utf8") <= LIMITS.maxMsgidLength;
}

/** Removes folding (line break + blanks) completely: ids are sometimes folded mid-token. */
function unfoldTight(v: string): string {
  return v.indexOf("\n") < 0 && v.indexOf("\r") < 0 ? v : v.replace(/\r?\n[ \t]*|\r/g, "");
}

/** `<...>` tokens of a header value, in order, usable ones only. A value without any `<` holding
 * bare tokens is accepted when it is a single token, or when every token contains an "@". */
function extractIds(value: string): { ids: string[]; rejected: number } {
  const v = unfoldTight(value);
  const ids: string[] = [];
  let rejected = 0;
  if (v.indexOf("<") >= 0) {
    const re = /<([^<>]*)>/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v)) !== null) {
      const id = m[1].trim();
      if (isUsableId(id)) ids.push(id);
      else rejected++;
    }
    return { ids, rejected };
  }
  const toks = v.trim().split(/[\s,]+/).filter((t) => t.length > 0);
  if (toks.length === 1) {
    if (isUsableId(toks[0])) ids.push(toks[0]);
    else rejected++;
  } else if (toks.length > 1 && toks.every((t) => t.indexOf("@") > 0)) {
    for (const t of toks) if (isUsableId(t)) ids.push(t);
  } else if (toks.length > 0) rejected++;
  return { ids, rejected };
}

function syntheticMsgid(raw: Buffer): string {
  return `patchlore-${createHash("sha256").update(raw).digest("hex").slice(0, 32)}@synthetic.invalid`;
}

// ---------------------------------------------------------------------------------------------
// addresses

function decodeWordsSafe(s: string): string {
  if (s.indexOf("=?") < 0) return s;
  try {
    return libmime.decodeWords(s);
  } catch {
    return s;
  }
}

interface AP {
  name?: string;
  address?: string;
  group?: AP[];
}

function parseAddressList(value: string): Address[] {
  let list: AP[];
  try {
    list = addressparser(value, { flatten: true }) as AP[];
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
    name = name.replace(/\s+/g, " ").trim();
    // no real address is that long; "@", "@host" and "user@" are no addresses either
    if (address.length > LIMITS.maxAddressChars || address[0] === "@" || address[address.length - 1] === "@") address = "";
    if (!address && !name) continue;
    out.push({ address: address.toLowerCase(), name });
  }
  return out;
}

function addressesOf(values: string[]): Address[] {
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
// body decoding (fast path)

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function decodeQuotedPrintable(buf: Buffer): Buffer {
  if (buf.indexOf(0x3d) < 0) return buf;
  const len = buf.length;
  const out = Buffer.allocUnsafe(len);
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = buf[i];
    if (c !== 0x3d) {
      out[o++] = c;
      continue;
    }
    // soft line break: "=" [blanks] (CRLF | LF | end of input)
    let j = i + 1;
    while (j < len && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
    if (j >= len) {
      i = j;
      continue;
    }
    if (buf[j] === 0x0a) {
      i = j;
      continue;
    }
    if (buf[j] === 0x0d && (j + 1 >= len || buf[j + 1] === 0x0a)) {
      i = j + 1;
      continue;
    }
    if (i + 2 < len) {
      const h1 = hexVal(buf[i + 1]);
      const h2 = hexVal(buf[i + 2]);
      if (h1 >= 0 && h2 >= 0) {
        out[o++] = (h1 << 4) | h2;
        i += 2;
        continue;
      }
    }
    out[o++] = c; // a literal "=" that is not an escape: keep it
  }
  return out.subarray(0, o);
}

function decodeTransfer(body: Buffer, cte: string): Buffer {
  if (cte === "quoted-printable") return decodeQuotedPrintable(body);
  if (cte === "base64") return Buffer.from(body.toString("latin1", 0, body.length), "base64");
  return body;
}

const FAST_CTE = new Set(["", "7bit", "8bit", "binary", "quoted-printable", "base64"]);

// ---------------------------------------------------------------------------------------------
// mailparser path

interface MPTreeNode {
  contentType?: string | false;
  isAttachment?: boolean;
  textContent?: string;
  node?: { filename?: string | false; charset?: string | false };
  children?: MPTreeNode[];
}

interface MPInternals {
  tree?: MPTreeNode | false;
  hasText?: boolean;
  hasHtml?: boolean;
}

interface MPAttachment {
  type: "attachment";
  content: Readable;
  contentType: string;
  contentDisposition?: string;
  filename?: string;
  checksum?: string;
  size?: number;
  headers?: Map<string, unknown>;
  release?: (() => void) | null;
}

interface MPRun {
  text: string;
  html: string;
  hasText: boolean;
  hasHtml: boolean;
  attachments: { meta: MPAttachment; content: Buffer }[];
  tree: MPTreeNode | null;
  errors: string[];
}

function runMailparser(raw: Buffer): Promise<MPRun> {
  return new Promise((resolve) => {
    const parser = new MailParser({
      // HTML is converted here (below) only when there is no text/plain part at all: mailparser
      // would also convert HTML parts that sit next to a text part in multipart/mixed, and it
      // does not convert a non-root HTML part when the only text/plain part is an attachment
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: "sha256",
    });
    const internals = parser as unknown as MPInternals;
    const run: MPRun = { text: "", html: "", hasText: false, hasHtml: false, attachments: [], tree: null, errors: [] };
    let done = false;
    const timer = setTimeout(() => {
      run.errors.push("mailparser did not finish within 60 s");
      parser.destroy();
      finish();
    }, 60_000);
    timer.unref?.();
    function finish() {
      if (done) return;
      done = true;
      clearTimeout(timer);
      run.hasText = !!internals.hasText;
      run.hasHtml = !!internals.hasHtml;
      run.tree = internals.tree || null;
      resolve(run);
    }

    let reading = false;
    const reader = (): void => {
      reading = true;
      for (;;) {
        const data = parser.read() as ({ type: "text"; text?: string; html?: string } | MPAttachment | null);
        if (data === null) {
          reading = false;
          return;
        }
        if (data.type === "text") {
          if (typeof data.text === "string") run.text = data.text;
          if (typeof data.html === "string") run.html = data.html;
          continue;
        }
        if (data.type === "attachment") {
          const att = data;
          const chunks: Buffer[] = [];
          let n = 0;
          att.content.on("readable", () => {
            let chunk: Buffer | null;
            while ((chunk = att.content.read() as Buffer | null) !== null) {
              chunks.push(chunk);
              n += chunk.length;
            }
          });
          att.content.on("end", () => {
            run.attachments.push({ meta: att, content: Buffer.concat(chunks, n) });
            att.release?.();
            reader();
          });
          att.content.on("error", (err: unknown) => run.errors.push(String((err as Error)?.message ?? err)));
          return; // continue reading after this attachment ended
        }
      }
    };

    parser.on("readable", () => {
      if (!reading) reader();
    });
    parser.on("error", (err: unknown) => {
      run.errors.push(String((err as Error)?.message ?? err));
    });
    parser.on("end", finish);
    parser.on("close", finish);
    try {
      parser.end(raw);
    } catch (err) {
      run.errors.push(String((err as Error)?.message ?? err));
      finish();
    }
  });
}

const PATCH_TYPES = new Set(["text/x-patch", "text/x-diff", "text/patch", "text/diff", "application/x-patch", "application/x-diff"]);
const PATCH_NAME = /\.(patch|diff)$/i;

function isPatchPart(contentType: string, filename: string | null): boolean {
  const ct = contentType.toLowerCase();
  if (PATCH_TYPES.has(ct)) return true;
  if (!filename || !PATCH_NAME.test(filename.trim())) return false;
  return ct.startsWith("text/") || ct === "application/octet-stream";
}

function structuredParam(v: unknown, key: string): string | null {
  if (v && typeof v === "object" && "params" in v) {
    const p = (v as { params?: Record<string, unknown> }).params?.[key];
    return typeof p === "string" ? p : null;
  }
  return null;
}

function attachmentText(content: Buffer, charset: string | null, problems: ParseProblem[], label: string): string | null {
  let buf = content;
  if (buf.length > LIMITS.maxAttachmentTextBytes) {
    buf = buf.subarray(0, LIMITS.maxAttachmentTextBytes);
    addProblem(problems, "attachment-text-capped", `${label}: text capped at ${LIMITS.maxAttachmentTextBytes} bytes`);
  }
  let text = decodeText(buf, charset, problems);
  if (text.indexOf("\r") >= 0) text = text.replace(/\r\n/g, "\n");
  if (text.indexOf("\0") >= 0) {
    addProblem(problems, "nul-bytes", `${label}: NUL bytes removed`);
    text = text.replace(/\0/g, "");
  }
  return text;
}

interface BodyResult {
  text: string;
  textFromHtml: boolean;
  attachments: AttachmentInfo[];
  /** mailparser found an HTML body (converted or not) */
  hadHtml: boolean;
}

const VOID_ELEMENTS = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen", "isindex", "nextid"]);

/** True when more than `max` elements are open at some point (unclosed ones count: html-to-text
 * nests them too). Linear: one pass with indexOf, no regex backtracking. */
function htmlDeeperThan(html: string, max: number): boolean {
  let depth = 0;
  let i = 0;
  const n = html.length;
  for (;;) {
    const lt = html.indexOf("<", i);
    if (lt < 0 || lt + 1 >= n) return false;
    let j = lt + 1;
    const closing = html.charCodeAt(j) === 0x2f; // "/"
    if (closing) j++;
    const nameStart = j;
    while (j < n) {
      const c = html.charCodeAt(j) | 0x20;
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39 && j > nameStart) || (html.charCodeAt(j) === 0x2d && j > nameStart)) j++;
      else break;
    }
    if (j === nameStart) {
      i = lt + 1;
      continue;
    }
    const gt = html.indexOf(">", j);
    if (gt < 0) return false;
    const name = html.slice(nameStart, j).toLowerCase();
    if (closing) depth = Math.max(0, depth - 1);
    else if (!VOID_ELEMENTS.has(name) && html.charCodeAt(gt - 1) !== 0x2f && ++depth > max) return true;
    i = gt + 1;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const BLOCK_TAG = /^\/?(p|div|br|li|tr|h[1-6]|blockquote|pre|table|ul|ol|hr)\b/;

/** A plain tag stripper for HTML that html-to-text must not see (too deep, too long): drops
 * script/style/comments, turns block tags into line breaks, decodes the common entities.
 * Linear in the input (indexOf scanning only). */
function htmlToTextCrude(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out.push(html.slice(i));
      break;
    }
    if (lt > i) out.push(html.slice(i, lt));
    if (lower.startsWith("<!--", lt)) {
      const e = html.indexOf("-->", lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    const gt = html.indexOf(">", lt + 1);
    if (gt < 0) break;
    const head = lower.slice(lt + 1, Math.min(gt, lt + 12));
    const raw = /^(script|style)\b/.exec(head);
    if (raw) {
      const close = lower.indexOf(`</${raw[1]}`, gt);
      const end = close < 0 ? -1 : html.indexOf(">", close);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (BLOCK_TAG.test(head)) out.push("\n");
    i = gt + 1;
  }
  return out
    .join("")
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, e: string) => {
      if (e[0] === "#") {
        const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : "\ufffd";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

async function parseBodyWithMailparser(raw: Buffer, problems: ParseProblem[]): Promise<BodyResult> {
  const run = await runMailparser(raw);
  for (const e of run.errors) addProblem(problems, "mime-error", e.slice(0, 300));

  let text = run.text;
  let textFromHtml = false;
  if (!run.hasText && run.html) {
    if (run.html.length > LIMITS.maxHtmlToText) {
      addProblem(problems, "html-too-long", `HTML body of ${run.html.length} characters: tags stripped instead of converted`);
      text = htmlToTextCrude(run.html);
      textFromHtml = text.length > 0;
    } else if (htmlDeeperThan(run.html, LIMITS.maxHtmlDepth)) {
      addProblem(problems, "html-too-deep", `HTML nested more than ${LIMITS.maxHtmlDepth} elements deep: tags stripped instead of converted`);
      text = htmlToTextCrude(run.html);
      textFromHtml = text.length > 0;
    } else {
      try {
        text = htmlToText(run.html);
        textFromHtml = text.length > 0;
      } catch (err) {
        addProblem(problems, "mime-error", `HTML to text failed: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
        text = "";
      }
    }
  }
  const attachments: AttachmentInfo[] = [];

  // inline text/plain parts named *.patch / *.diff: mailparser merged them into the text; move them
  // to attachments so patch parsing sees them once, as attachments.
  const stack: MPTreeNode[] = run.tree ? [run.tree] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
    const fname = node.node?.filename;
    if (
      node.contentType === "text/plain" &&
      !node.isAttachment &&
      typeof fname === "string" &&
      PATCH_NAME.test(fname.trim()) &&
      typeof node.textContent === "string" &&
      node.textContent.length > 0 &&
      node !== run.tree
    ) {
      const partText = node.textContent;
      const at = text.indexOf(partText);
      if (at >= 0) {
        let start = at;
        let end = at + partText.length;
        if (start > 0 && text[start - 1] === "\n") start--;
        else if (text[end] === "\n") end++;
        text = text.slice(0, start) + text.slice(end);
      }
      const bytes = Buffer.from(partText, "utf8");
      let capped = partText;
      if (bytes.length > LIMITS.maxAttachmentTextBytes) {
        capped = bytes.subarray(0, LIMITS.maxAttachmentTextBytes).toString("utf8");
        addProblem(problems, "attachment-text-capped", `${fname}: text capped at ${LIMITS.maxAttachmentTextBytes} bytes`);
      }
      attachments.push({
        filename: fname,
        contentType: "text/plain",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        text: capped.replace(/\0/g, ""),
        disposition: "inline",
      });
    }
  }

  for (const { meta, content } of run.attachments) {
    const filename = typeof meta.filename === "string" && meta.filename ? meta.filename : null;
    const contentType = (meta.contentType || "application/octet-stream").toLowerCase();
    const disposition = meta.contentDisposition ? String(meta.contentDisposition).toLowerCase() : null;
    let textOut: string | null = null;
    if (isPatchPart(contentType, filename)) {
      const charset = structuredParam(meta.headers?.get("content-type"), "charset");
      const t = attachmentText(content, charset, problems, filename ?? contentType);
      // octet-stream with a patch name: only when it really is text
      if (t !== null && !(contentType === "application/octet-stream" && content.indexOf(0) >= 0)) textOut = t;
    }
    attachments.push({
      filename,
      contentType,
      size: content.length,
      sha256: meta.checksum && meta.checksum.length === 64 ? meta.checksum : createHash("sha256").update(content).digest("hex"),
      text: textOut,
      disposition,
    });
  }

  return { text, textFromHtml, attachments, hadHtml: run.html.length > 0 };
}

// ---------------------------------------------------------------------------------------------
// content hash

const HASH_HEADERS = ["message-id", "subject", "from", "date", "to", "cc", "references", "in-reply-to"] as const;

/** Body bytes with CRLF -> LF, trailing blanks per line removed, and trailing empty lines
 * removed; a non-empty result always ends with exactly one "\n" (so a copy that lost or gained
 * the final line break, or the blank line an mbox adds, hashes the same). */
function normalizedBodyForHash(raw: Buffer, bodyStart: number): Buffer {
  const len = raw.length;
  const out = Buffer.allocUnsafe(Math.max(0, len - bodyStart) + 1);
  let o = 0;
  let contentEnd = 0; // output length after the last line that had content
  let pos = bodyStart;
  while (pos < len) {
    const nl = raw.indexOf(0x0a, pos);
    const lineEnd = nl < 0 ? len : nl;
    let e = lineEnd;
    while (e > pos) {
      const b = raw[e - 1];
      if (b === 0x20 || b === 0x09 || b === 0x0d) e--;
      else break;
    }
    if (e > pos) {
      raw.copy(out, o, pos, e);
      o += e - pos;
      contentEnd = o;
    }
    if (nl < 0) break;
    out[o++] = 0x0a;
    pos = nl + 1;
  }
  if (contentEnd === 0) return out.subarray(0, 0);
  out[contentEnd] = 0x0a;
  return out.subarray(0, contentEnd + 1);
}

// ---------------------------------------------------------------------------------------------

/** True when the first line break is a lone CR (old Mac line endings): the header block cannot be
 * read line by line otherwise. */
function usesLoneCr(raw: Buffer): boolean {
  const cr = raw.indexOf(0x0d);
  if (cr < 0) return false;
  const lf = raw.indexOf(0x0a);
  // "\r\r\n" (CRLF converted twice) is a line end with a stray CR, not a lone-CR line end
  return (lf < 0 || cr < lf) && raw[cr + 1] !== 0x0a && !(raw[cr + 1] === 0x0d && raw[cr + 2] === 0x0a);
}

/** Every lone CR (not followed by LF) turned into LF. */
function loneCrToLf(raw: Buffer): Buffer {
  const out = Buffer.from(raw);
  for (let i = out.indexOf(0x0d); i >= 0; i = out.indexOf(0x0d, i + 1)) if (out[i + 1] !== 0x0a) out[i] = 0x0a;
  return out;
}

/**
 * Parses one raw message. Never throws for odd input (problems are reported in `problems`);
 * throws MailParseError only when the input is not a message at all.
 */
/**
 * RFC 3676 format=flowed, unwrapped per quote depth: a soft-broken line (ending in a space) joins
 * the next line only when both have the same number of ">" marks (section 4.5). libmime's decoder
 * ignores depth and glues a quoted line ending in "> " to the unquoted trailer below it, hiding a
 * "Reviewed-by:" inside the quote. Space-stuffing is undone; "-- " stays a fixed line.
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const out: string[] = [];
  let open: { depth: number; text: string } | null = null;
  const emit = (depth: number, t: string) => out.push(depth ? ">".repeat(depth) + " " + t : t);
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop(); // as libmime: no final empty line
  for (const raw of lines) {
    let depth = 0;
    while (raw[depth] === ">") depth++;
    let line = raw.slice(depth);
    if (line.startsWith(" ")) line = line.slice(1); // space-stuffing (and the space after ">")
    const soft = line.endsWith(" ") && line !== "-- ";
    if (open && open.depth !== depth) {
      emit(open.depth, open.text);
      open = null;
    }
    const piece = soft && delSp ? line.slice(0, -1) : line;
    if (open) open.text += piece;
    else open = { depth, text: piece };
    if (!soft) {
      emit(open.depth, open.text);
      open = null;
    }
  }
  if (open) emit(open.depth, open.text);
  return out.join("\n");
}

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  if (!raw || raw.length === 0) throw new MailParseError("empty", "empty input");
  if (!Buffer.isBuffer(raw)) raw = Buffer.from(raw as Uint8Array);
  const size = raw.length;
  // CR-only line endings: read as LF (the content hash then matches an LF copy, as for CRLF)
  const crOnly = usesLoneCr(raw);
  if (crOnly) raw = loneCrToLf(raw);

  const scan = scanHeaders(raw);
  if (scan.headers.length === 0) {
    throw new MailParseError("no-headers", "no header block (no \"Name: value\" line) at the start of the input");
  }
  const problems: ParseProblem[] = [];
  if (crOnly) addProblem(problems, "cr-line-endings", "lone CR line endings read as LF");
  const { bodyStart } = scan;
  if (scan.malformedLines > 0) {
    addProblem(problems, "malformed-header-line", `${scan.malformedLines} line(s) in the header block are not headers; ignored`);
  }

  const headerBlock = raw.subarray(0, bodyStart);
  let enc: HeaderEncoding = "latin1";
  if (!isAscii(headerBlock)) {
    if (isUtf8(headerBlock)) enc = "utf8";
    else {
      enc = "mixed";
      addProblem(problems, "bad-header-charset", "raw 8-bit header bytes that are not UTF-8; read as windows-1252");
    }
  }

  // raw (charset-decoded, still folded, not RFC 2047-decoded) values per identity-relevant name
  const rawValues = new Map<string, string[]>();
  const headers: [string, string][] = [];
  let cappedValues = 0;
  for (let i = 0; i < scan.headers.length; i++) {
    const h = scan.headers[i];
    const rawVal = headerSlice(raw, enc, h.vs, h.ve);
    const list = rawValues.get(h.name);
    if (list) list.push(rawVal);
    else rawValues.set(h.name, [rawVal]);
    if (i < LIMITS.maxHeaders) {
      let v = rawVal.indexOf("\n") >= 0 || rawVal.indexOf("\r") >= 0 ? rawVal.replace(/\r?\n|\r/g, "") : rawVal;
      v = decodeWordsSafe(v.trim()).trim();
      // encoded words may decode to line breaks ("=?utf-8?q?a=0D=0ABcc:_x?="): never hand out a
      // decoded value that would start a new header line when written out again
      if (/[\r\n\0]/.test(v)) v = v.replace(/[\r\n\0]+/g, " ");
      if (v.length > LIMITS.maxHeaderValueChars) {
        v = v.slice(0, LIMITS.maxHeaderValueChars);
        cappedValues++;
      }
      headers.push([h.name, v]);
    }
  }
  if (scan.headers.length > LIMITS.maxHeaders) {
    addProblem(problems, "headers-capped", `${scan.headers.length} headers, only the first ${LIMITS.maxHeaders} kept`);
  }
  if (cappedValues > 0) {
    addProblem(problems, "header-value-capped", `${cappedValues} header value(s) truncated to ${LIMITS.maxHeaderValueChars} characters`);
  }

  const all = (name: string): string[] => rawValues.get(name) ?? [];
  const first = (name: string): string | null => {
    const l = rawValues.get(name);
    return l && l.length ? l[0] : null;
  };
  const unfoldValue = (v: string): string => (v.indexOf("\n") >= 0 || v.indexOf("\r") >= 0 ? v.replace(/\r?\n|\r/g, "") : v).trim();

  // --- Message-ID
  let msgid: string | null = null;
  const midValues = all("message-id");
  for (const v of midValues) {
    const { ids } = extractIds(v);
    if (ids.length) {
      msgid = ids[0];
      break;
    }
  }
  let synthetic = false;
  if (msgid === null) {
    synthetic = true;
    msgid = syntheticMsgid(raw);
    if (midValues.length === 0) addProblem(problems, "missing-message-id", "no Message-ID header; synthetic id assigned");
    else addProblem(problems, "bad-message-id", `unusable Message-ID ${JSON.stringify(unfoldValue(midValues[0]).slice(0, 200))}; synthetic id assigned`);
  }

  // --- In-Reply-To / References
  let inReplyTo: string | null = null;
  for (const v of all("in-reply-to")) {
    const { ids } = extractIds(v);
    if (ids.length) {
      inReplyTo = ids[0];
      break;
    }
  }
  const refSet = new Set<string>();
  for (const v of all("references")) for (const id of extractIds(v).ids) refSet.add(id);
  if (inReplyTo !== null) refSet.add(inReplyTo);
  refSet.delete(msgid);
  let references = [...refSet];
  if (inReplyTo === msgid) inReplyTo = null;
  if (references.length > LIMITS.maxReferences) {
    addProblem(problems, "references-capped", `${references.length} references, kept the first and the last ${LIMITS.maxReferences - 1}`);
    references = [references[0], ...references.slice(references.length - (LIMITS.maxReferences - 1))];
  }

  // --- Date
  const dateRaw = first("date");
  const dateHeader = dateRaw === null ? null : decodeWordsSafe(unfoldValue(dateRaw));
  let date: string | null = null;
  let tzOffsetMinutes: number | null = null;
  if (dateHeader === null) {
    addProblem(problems, "missing-date", "no Date header");
  } else {
    const d = parseMailDate(dateHeader);
    if (d === null) {
      addProblem(problems, "bad-date", `unparseable Date ${JSON.stringify(dateHeader.slice(0, 200))}`);
    } else if (d.date.getUTCFullYear() > LIMITS.maxDateYear) {
      // beyond year 9999 toISOString() gives "+010000-01-01T...", which PostgreSQL cannot read
      addProblem(problems, "absurd-date", `Date ${JSON.stringify(dateHeader.slice(0, 200))} is after the year ${LIMITS.maxDateYear}; not kept`);
    } else {
      date = d.date.toISOString();
      tzOffsetMinutes = d.tzOffsetMinutes;
      const t = d.date.getTime();
      // exactly the epoch is a zeroed clock, not a date
      if (t <= EPOCH_1970 || t > Date.now() + LIMITS.futureSlackMs) {
        addProblem(problems, "absurd-date", `Date ${JSON.stringify(dateHeader.slice(0, 200))} is ${date}`);
      }
    }
  }

  // --- addresses
  const fromValues = all("from");
  let from: Address = { address: "", name: "" };
  if (fromValues.length === 0) {
    addProblem(problems, "missing-from", "no From header");
  } else {
    const list = parseAddressList(unfoldValue(fromValues[0]));
    const withAddr = list.find((a) => a.address);
    from = withAddr ?? list[0] ?? { address: "", name: "" };
    if (!from.address) addProblem(problems, "bad-from", `no usable address in From ${JSON.stringify(unfoldValue(fromValues[0]).slice(0, 200))}`);
  }
  const to = addressesOf(all("to").map(unfoldValue));
  const cc = addressesOf(all("cc").map(unfoldValue));

  // --- subject
  const subjRaw = first("subject");
  let subject = subjRaw === null ? "" : normalizeSubject(decodeWordsSafe(unfoldValue(subjRaw)));
  if (subject.length > LIMITS.maxSubjectChars) {
    addProblem(problems, "subject-capped", `subject of ${subject.length} characters cut to ${LIMITS.maxSubjectChars}`);
    let cut = LIMITS.maxSubjectChars;
    if (/[\ud800-\udbff]/.test(subject[cut - 1])) cut--; // not between the halves of a pair
    subject = subject.slice(0, cut);
  }

  // --- List-Id
  let listId: string | null = null;
  const listRaw = first("list-id");
  if (listRaw !== null) {
    const v = decodeWordsSafe(unfoldValue(listRaw));
    const m = /<([^<>]+)>/.exec(v);
    const id = m ? m[1].trim() : /^\S+$/.test(v) ? v : "";
    listId = id && !CTL_OR_SPACE.test(id) ? id.toLowerCase() : null;
  }

  // --- body
  const ctRaw = first("content-type");
  const ct = ctRaw === null ? null : libmime.parseHeaderValue(decodeWordsSafe(unfoldValue(ctRaw)));
  const ctype = ct && typeof ct.value === "string" ? ct.value.toLowerCase().trim() : "";
  const cteRaw = first("content-transfer-encoding");
  const cte = cteRaw === null ? "" : unfoldValue(cteRaw).replace(/\([^)]*\)/g, "").trim().toLowerCase();
  const cdRaw = first("content-disposition");
  const disposition = cdRaw === null ? "" : String(libmime.parseHeaderValue(unfoldValue(cdRaw)).value || "").toLowerCase().trim();

  let text: string;
  let textFromHtml = false;
  let attachments: AttachmentInfo[] = [];
  if ((ctype === "" || ctype === "text/plain") && FAST_CTE.has(cte) && (disposition === "" || disposition === "inline")) {
    let body = decodeTransfer(raw.subarray(bodyStart), cte);
    const params = ct?.params ?? {};
    if ((params.format ?? "").toLowerCase().trim() === "flowed") {
      const delSp = (params.delsp ?? "").toLowerCase().trim() === "yes";
      body = Buffer.from(decodeFlowed(body.toString("latin1", 0, body.length), delSp), "latin1");
    }
    text = decodeText(body, params.charset, problems);
    if (text.indexOf("\r") >= 0) text = text.replace(/\r\n/g, "\n");
  } else {
    try {
      // mailparser gets the message without the leading blank lines / mbox "From " line
      const r = await parseBodyWithMailparser(scan.start > 0 ? raw.subarray(scan.start) : raw, problems);
      text = r.text;
      textFromHtml = r.textFromHtml;
      attachments = r.attachments;
      if (!text && !r.hadHtml && !attachments.length && hasVisibleBytes(raw, bodyStart)) {
        // MIME structure that yields nothing (multipart without a usable boundary, a boundary that
        // never occurs, too many parts): the body would vanish; keep it as raw text instead
        addProblem(problems, "mime-fallback", `no part could be read from the ${ctype || "MIME"} body; kept as raw text`);
        text = decodeText(raw.subarray(bodyStart), null, problems).replace(/\r\n/g, "\n");
      }
    } catch (err) {
      addProblem(problems, "mime-error", `mailparser failed (${String((err as Error)?.message ?? err).slice(0, 200)}); body kept as raw text`);
      text = decodeText(raw.subarray(bodyStart), null, problems).replace(/\r\n/g, "\n");
    }
  }
  if (text.indexOf("\0") >= 0) {
    addProblem(problems, "nul-bytes", "NUL bytes removed from the text");
    text = text.replace(/\0/g, "");
  }

  // --- content hash: identity headers (raw, unfolded, blank runs collapsed, trimmed) + body
  const hash = createHash("sha256");
  for (const name of HASH_HEADERS) {
    const vals = rawValues.get(name);
    const joined = vals ? vals.map((v) => v.replace(/[ \t\r\n]+/g, " ").trim()).join(" ") : "";
    hash.update(joined, "utf8");
    hash.update("\n");
  }
  hash.update("\n");
  hash.update(normalizedBodyForHash(raw, bodyStart));

  return wellFormedMail({
    msgid,
    syntheticMsgid: synthetic,
    subject,
    threadSubject: truncateUtf8(threadSubjectKey(subject), LIMITS.maxThreadSubjectBytes),
    isReply: isReplySubject(subject),
    from,
    to,
    cc,
    date,
    tzOffsetMinutes,
    dateHeader,
    inReplyTo,
    references,
    listId,
    headers,
    text,
    textFromHtml,
    attachments,
    contentHash: hash.digest("hex"),
    size,
    problems,
  });
}

/** Any byte other than blanks and line breaks from `start` on. */
function hasVisibleBytes(raw: Buffer, start: number): boolean {
  for (let i = start; i < raw.length; i++) {
    const b = raw[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  }
  return false;
}
