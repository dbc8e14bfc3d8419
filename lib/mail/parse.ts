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
//
// The pieces live next to this file: headers.ts (header block scan), charset.ts (bytes -> text),
// ids.ts (Message-IDs of the identity headers), address.ts (address lists), body.ts (fast-path
// body decoding), mime.ts (the mailparser path), limits.ts and problems.ts.

import { createHash } from "node:crypto";
import { isAscii, isUtf8 } from "node:buffer";
import libmime from "libmime";
import type { Address, AttachmentInfo, ParsedMail, ParseProblem } from "./types";
import { parseMailDate } from "./date";
import { isReplySubject, normalizeSubject, threadSubjectKey } from "./subject";
import { LIMITS } from "./limits";
import { MailParseError, addProblem } from "./problems";
import { decodeText, truncateUtf8, wellFormed } from "./charset";
import { type HeaderEncoding, decodeWordsSafe, headerSlice, loneCrToLf, scanHeaders, usesLoneCr } from "./headers";
import { CTL_OR_SPACE, extractIds, syntheticMsgid } from "./ids";
import { addressesOf, parseAddressList } from "./address";
import { FAST_CTE, decodeFlowed, decodeTransfer, hasVisibleBytes } from "./body";
import { parseBodyWithMailparser } from "./mime";

export { LIMITS } from "./limits";
export { MailParseError } from "./problems";
export { decodeFlowed } from "./body";

const EPOCH_1970 = 0;

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

/**
 * Parses one raw message. Never throws for odd input (problems are reported in `problems`);
 * throws MailParseError only when the input is not a message at all.
 */
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
