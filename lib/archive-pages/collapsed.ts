// A raw RFC 822 message whose newlines were collapsed into spaces (copied out of a web view):
//
//   From mboxrd@z Thu Jan 1 00:00:00 1970 Return-Path: X-Spam-...: ... Received: from ... Date: Mon,
//   9 Dec 2019 09:17:54 -0500 From: Jane Doe To: ... Subject: Re: ... Message-ID: <id@x> References:
//   <a@x> <b@x> MIME-Version: 1.0 Content-Type: text/plain; charset=iso-8859-1
//   Content-Transfer-Encoding: quoted-printable ... List-ID: On Sun, ..., Matthew Wilcox wrote: > ...
//
// Headers: split before known field names (and X-*) where they can start a field; a field that
// must occur once (Subject, From, ...) is not split again, so "Re:" or a "To:" inside a subject do
// not start fields. The last field ends where its value can no longer continue (each field has a
// value shape) or where the body visibly starts (an attribution line, a quote). Angle-bracketed
// addresses were often stripped by the web view ("From: Jane Doe To:"): names survive, addresses
// do not; Message-IDs usually survive.
//
// Quoted-printable body: a soft line break ("=" + newline) is now "= ". Whether the continuation
// began with a space is decided by the words (a joined word seen elsewhere in the text => no
// space). Hard line breaks are restored where they are certain ("=20 " ends a line, a run of ">"
// starts one), where the 76-column rule of quoted-printable proves one (a soft-broken line is 75
// characters long, so the hard break is 75 characters before the "="), and where a quoted line
// is too long to be one line (it ends at its last sentence end). The rest is re-wrapped and
// reported as damaged. The result is a real message again: headers one per line, the body
// re-encoded in quoted-printable with the original charset, so parseMail decodes it.

import { parseMailDate } from "../mail/date";
import { extractQuotedAncestors } from "./quotes";
import type { PageMessage, PageParse } from "./types";
import { wrapWords } from "./util";
import { parseNameAddress, parseNameAddressList } from "../mail/address";
import { bracketedIds, unbracketMessageId } from "../mail/references";

const KNOWN = [
  "Return-Path", "Received", "Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Message-ID", "Message-Id",
  "In-Reply-To", "References", "MIME-Version", "Mime-Version", "Content-Type", "Content-Transfer-Encoding",
  "Content-Disposition", "Content-Language", "Content-ID", "Content-Description", "User-Agent", "Precedence", "List-ID",
  "List-Id", "List-Unsubscribe", "List-Subscribe", "List-Archive", "List-Post", "List-Help", "List-Owner", "Errors-To",
  "Delivered-To", "Authentication-Results", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
  "DKIM-Signature", "DKIM-Filter", "DMARC-Filter", "Received-SPF", "Organization", "Mail-Followup-To", "Thread-Topic",
  "Thread-Index", "Importance", "Priority", "Archived-At", "Approved", "Lines", "Path", "Newsgroups", "Xref", "Comments",
  "Keywords", "Resent-Date", "Resent-From", "Resent-To", "Resent-Message-ID", "Disposition-Notification-To",
  "Accept-Language", "Autocrypt", "OpenPGP", "Cancel-Lock", "Injection-Info", "Feedback-ID", "Mailing-List", "Status",
];
const SINGLE = new Set(["date", "from", "sender", "reply-to", "to", "cc", "subject", "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "user-agent", "precedence", "list-id"]);

const NAME_RE = new RegExp(`(?:^| )(${KNOWN.map((k) => k.replace(/-/g, "\\-")).join("|")}|X-[A-Za-z0-9][A-Za-z0-9-]*):(?= |$)`, "g");

const ATTRIBUTION = /(?:^| )On [^:>]{6,160}? wrote: ?/;

/** Does the text look like an RFC 822 message collapsed onto (nearly) one line? */
export function looksCollapsed(text: string): { ok: boolean; fields: number } {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0 || lines.length > 5) return { ok: false, fields: 0 };
  const longest = lines.reduce((a, l) => Math.max(a, l.length), 0);
  if (longest < 300) return { ok: false, fields: 0 };
  const head = lines.join(" ").slice(0, 20000);
  const names = new Set<string>();
  for (const m of head.matchAll(NAME_RE)) names.add(m[1].toLowerCase());
  const core = ["from", "date", "subject", "message-id", "to", "received", "content-type"].filter((n) => names.has(n)).length;
  return { ok: core >= 3, fields: names.size };
}

interface Field {
  name: string;
  value: string;
}

// where the last field's value ends (the rest is the body), by the field's shape
function valueLength(name: string, v: string): number | null {
  const n = name.toLowerCase();
  let m: RegExpExecArray | null = null;
  if (n === "list-id" || n === "list-post" || n === "list-archive" || n === "list-help" || n === "list-owner") {
    m = /^(?:[^<>:]{0,80}?<[^<>\s]+>|[\w.-]+\.[\w.-]+(?= |$)|)/.exec(v);
  } else if (["message-id", "in-reply-to", "return-path", "x-loop", "sender", "errors-to", "delivered-to", "x-delivered-to", "x-original-to"].includes(n)) {
    m = /^(?:<[^<>]*>|[^\s<>]+@[^\s<>]+|)/.exec(v);
  } else if (n === "references") {
    m = /^(?:<[^<>]+>(?: <[^<>]+>)*|)/.exec(v);
  } else if (["precedence", "mime-version", "content-transfer-encoding", "lines", "x-mimecast-spam-score", "importance", "priority"].includes(n)) {
    m = /^(?:\S+(?: \([^)]*\))?|)/.exec(v);
  } else if (n === "content-disposition") {
    m = /^(?:[\w-]+(?:; ?[\w-]+=(?:"[^"]*"|[^\s;]+))*|)/.exec(v);
  } else if (n === "content-type") {
    m = /^(?:[\w.+-]+\/[\w.+-]+(?:; ?[\w-]+=(?:"[^"]*"|[^\s;]+))*|)/.exec(v);
  } else if (n === "date") {
    m = /^(?:(?:[A-Za-z]{3}, )?\d{1,2} [A-Za-z]{3} \d{2,4} \d{1,2}:\d{2}(?::\d{2})?(?: [+-]\d{4}| [A-Z]{1,5})?(?: \([^)]*\))?|)/.exec(v);
  } else if (n === "x-bogosity") {
    m = /^(?:\w+, tests=\S+, spamicity=\S+, version=\S+|)/.exec(v);
  }
  return m ? m[0].length : null;
}

interface HeaderSplit {
  fromLine: string | null;
  fields: Field[];
  body: string;
  damaged: string[];
}

export function splitCollapsedHeaders(t: string): HeaderSplit {
  const damaged: string[] = [];
  let s = t;
  let fromLine: string | null = null;
  const fm = /^From \S+ (?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} +\d{1,2} \d{1,2}:\d{2}(?::\d{2})? (?:[+-]\d{4} )?\d{4}(?= )/.exec(s);
  if (fm) {
    fromLine = fm[0];
    s = s.slice(fm[0].length).trimStart();
  }
  // candidate field starts
  const starts: { pos: number; name: string; valueAt: number }[] = [];
  const seen = new Set<string>();
  // the body starts at the first attribution line or quote run after the core fields; no field starts after that
  for (const m of s.matchAll(NAME_RE)) {
    const pos = m.index! + (m[0].startsWith(" ") ? 1 : 0);
    const name = m[1];
    const key = name.toLowerCase();
    if (starts.length === 0 && pos !== 0) continue;
    if (SINGLE.has(key) && seen.has(key)) continue;
    // a field never starts inside the previous field's angle brackets or quotes
    if (starts.length) {
      const prev = starts[starts.length - 1];
      const between = s.slice(prev.valueAt, pos);
      if ((between.match(/</g) ?? []).length > (between.match(/>/g) ?? []).length) continue;
      if ((between.match(/"/g) ?? []).length % 2 === 1) continue;
      // the previous value already contains the start of the body: stop
      if (ATTRIBUTION.test(between) || / > > /.test(between)) break;
    }
    seen.add(key);
    starts.push({ pos, name, valueAt: pos + name.length + 1 });
  }
  const fields: Field[] = [];
  let body = "";
  starts.forEach((st, k) => {
    const end = k + 1 < starts.length ? starts[k + 1].pos : s.length;
    let value = s.slice(st.valueAt, end).trim();
    if (k === starts.length - 1) {
      const len = valueLength(st.name, value);
      if (len !== null) {
        body = value.slice(len).trim();
        value = value.slice(0, len).trim();
      } else {
        const at = ATTRIBUTION.exec(value);
        const q = / > /.exec(value);
        const cut = Math.min(at ? at.index : Infinity, q ? q.index : Infinity, 200);
        body = value.slice(cut).trim();
        value = value.slice(0, cut).trim();
        damaged.push(`where the ${st.name} field ends and the body begins is a guess`);
      }
    }
    fields.push({ name: st.name, value });
  });
  return { fromLine, fields, body, damaged };
}

// ---------------------------------------------------------------------------------------------
// quoted-printable

// short English words that are words on their own wherever they appear
const COMMON = new Set(
  ("a an and are as at be but by can could do does for from had has have he her his i if in into is it its me my no not of on or our " +
    "she should so than that the their them then there these they this those to up us was we were what when where which who will " +
    "with would you your all any also both each few more most other same some such very just only over under after before about " +
    "between while because until again use used may might must make see get set new old one two way why how").split(" "),
);

function isWord(w: string, vocab: Set<string>): boolean {
  const l = w.toLowerCase();
  return vocab.has(l) || COMMON.has(l);
}

function qpDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = c.charCodeAt(0);
      if (code < 256) out.push(code);
      else out.push(...Buffer.from(c, "utf8"));
    }
  }
  return Buffer.from(out);
}

function decodeCharset(buf: Buffer, charset: string): string {
  const cs = charset.toLowerCase();
  try {
    return new TextDecoder(cs === "us-ascii" || cs === "" ? "utf-8" : cs).decode(buf);
  } catch {
    return buf.toString("latin1");
  }
}

function encodeCharset(s: string, charset: string): Buffer {
  const cs = charset.toLowerCase();
  if (/^(?:iso-8859-1|latin1|us-ascii|windows-1252)$/.test(cs) && [...s].every((c) => c.charCodeAt(0) < 256)) return Buffer.from(s, "latin1");
  return Buffer.from(s, "utf8");
}

/** One text line -> quoted-printable physical lines (76 columns, soft breaks). */
export function qpEncodeLine(bytes: Buffer): string[] {
  const toks: string[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const last = i === bytes.length - 1;
    if ((b === 0x20 || b === 0x09) && last) toks.push(b === 0x20 ? "=20" : "=09");
    else if (b === 0x3d || b > 0x7e || (b < 0x20 && b !== 0x09)) toks.push(`=${b.toString(16).toUpperCase().padStart(2, "0")}`);
    else toks.push(String.fromCharCode(b));
  }
  const out: string[] = [];
  let cur = "";
  for (const t of toks) {
    if (cur.length + t.length > 75) {
      out.push(`${cur}=`);
      cur = "";
    }
    cur += t;
  }
  out.push(cur);
  return out;
}

/**
 * Rebuild the lines of a collapsed quoted-printable body. Returns decoded lines and what was guessed.
 */
export function rebuildQpBody(enc: string, charset: string): { lines: string[]; damaged: string[] } {
  const damaged: string[] = [];
  // 1. soft breaks "= " (an "=" not starting an escape): join, with or without a space
  const vocab = new Set<string>();
  const plain = enc.replace(/=(?![0-9A-Fa-f]{2})\s?\S*/g, " ").replace(/\S*=(?![0-9A-Fa-f]{2})/g, " ");
  for (const w of decodeCharset(qpDecode(plain), charset).matchAll(/[A-Za-z0-9_']+/g)) vocab.add(w[0].toLowerCase());
  let softJoins = 0;
  let ambiguous = 0;
  // physical-line anchors: the text position (in the rebuilt string) where a soft-broken line began
  const anchors: number[] = [];
  let rebuilt = "";
  let i = 0;
  const softRe = /=(?![0-9A-Fa-f]{2})( |$)/g;
  let m: RegExpExecArray | null;
  while ((m = softRe.exec(enc))) {
    const before = enc.slice(i, m.index);
    rebuilt += before;
    anchors.push(rebuilt.length); // the marker's position: the physical line ended right before it
    const after = enc.slice(m.index + m[0].length);
    const left = /([A-Za-z0-9_']+)[^A-Za-z0-9_' ]*$/.exec(before)?.[1] ?? "";
    const right = /^[^A-Za-z0-9_' ]*([A-Za-z0-9_']+)/.exec(after)?.[1] ?? "";
    let space = false;
    if (before.endsWith(" ") || after === "" || /^[).,;:!?'"\]]/.test(after)) space = false;
    else if (left && right) {
      const joined = (left + right).toLowerCase();
      if (vocab.has(joined)) space = false;
      else if (isWord(left, vocab) && isWord(right, vocab) && left.length > 1) {
        space = true;
        ambiguous++;
      }
    }
    rebuilt += space ? SOFT_SP : SOFT;
    softJoins++;
    i = m.index + m[0].length;
    softRe.lastIndex = i;
  }
  rebuilt += enc.slice(i);
  if (softJoins) damaged.push(`${softJoins} quoted-printable soft line break(s) rejoined${ambiguous ? `; ${ambiguous} of them kept a space between two words (decided from the words used elsewhere in the text)` : ""}`);
  // 2. certain hard breaks: after "=20 " / "=09 ", before a run of quote markers
  const certain = new Set<number>();
  for (const mm of rebuilt.matchAll(/=(?:20|09) /g)) certain.add(mm.index! + mm[0].length);
  for (const mm of rebuilt.matchAll(/(?<!>) (?=>(?: ?>)*(?: |$|=20))/g)) certain.add(mm.index! + 1);
  const certainSorted = [...certain].sort((x, y) => x - y);
  // 3. the 76-column rule: a soft-broken physical line is 75 characters, so when no certain break
  //    is close enough, the hard line began 75 characters before the "=" (anchors are the positions
  //    of the soft-break markers in `rebuilt`)
  const breaks = new Set<number>(certain);
  anchors.forEach((a, k) => {
    const startGuess = a - 75;
    // a physical line that began at the previous soft break did not begin after a newline
    if (startGuess <= 0 || (k > 0 && a - anchors[k - 1] <= 78)) return;
    let lastCertain = 0;
    for (const c of certainSorted) if (c <= a) lastCertain = c;
    if (a - lastCertain <= 76) return;
    // the character before the physical line start was the newline (now a space)
    for (const d of [0, -1, 1, -2, 2]) {
      const p = startGuess + d;
      if (rebuilt[p - 1] === " ") {
        breaks.add(p);
        break;
      }
    }
  });
  const sorted = [...breaks].filter((p) => p > 0 && p < rebuilt.length).sort((a, b) => a - b);
  const rawLines: string[] = [];
  let from = 0;
  for (const p of sorted) {
    rawLines.push(rebuilt.slice(from, p).replace(/ $/, ""));
    from = p;
  }
  rawLines.push(rebuilt.slice(from));
  // 3. decode, split quote depth, fix lines too long to be one line: quoted-printable keeps every
  //    physical line within 76 characters, so a line whose last physical piece is longer hides a
  //    hard break
  const unmark = (x: string) => x.replace(/\u0001/g, "").replace(/\u0002/g, " ");
  const dec = (x: string) => decodeCharset(qpDecode(unmark(x)), charset);
  const lines: string[] = [];
  let rewrapped = 0;
  let quoteEnds = 0;
  rawLines.forEach((rl, idx) => {
    const q = /^((?:> ?)*>)(?: |$)/.exec(rl);
    const depth = q ? (q[1].match(/>/g) ?? []).length : 0;
    const lastMark = Math.max(rl.lastIndexOf(SOFT), rl.lastIndexOf(SOFT_SP));
    const lastStart = lastMark + 1; // start of the last physical piece
    if (rl.length - lastStart <= 76) {
      // the last quoted line before the reply: the reply begins after the quoted sentence ends
      const next = rawLines.slice(idx + 1).find((x) => x.trim() !== "");
      const sentence = depth > 0 && (next === undefined || !/^>/.test(next)) ? /[.?!] (?=[A-Z])/.exec(rl.slice(q![0].length)) : null;
      if (sentence) {
        const cut = q![0].length + sentence.index + 1;
        lines.push(dec(rl.slice(0, cut)).trimEnd(), "", ...wrapProse(dec(rl.slice(cut)).trim()));
        quoteEnds++;
        return;
      }
      lines.push(dec(rl));
      return;
    }
    if (depth > 0) {
      // a quoted line runs on into the reply that follows it: end it at its last sentence end
      const limit = lastStart + 76;
      let cut = -1;
      // the first sentence end followed by a capital, else the last sentence end, else a ":" ";" ")"
      const first = /[.?!] (?=[A-Z])/g;
      for (const mm of rl.matchAll(first)) {
        if (mm.index! >= lastStart + (q ? q[0].length : 0) && mm.index! + 1 <= limit) {
          cut = mm.index! + 1;
          break;
        }
      }
      for (const ends of [/[.?!](?= )/g, /[:;)](?= )/g]) {
        if (cut > 0) break;
        for (const mm of rl.matchAll(ends)) if (mm.index! >= lastStart && mm.index! + 1 <= limit) cut = mm.index! + 1;
      }
      if (cut < 0) for (const mm of rl.matchAll(/ /g)) if (mm.index! >= lastStart + q![0].length && mm.index! <= limit) cut = mm.index!;
      if (cut > 0) {
        lines.push(dec(rl.slice(0, cut)).trimEnd());
        const rest = dec(rl.slice(cut)).trim();
        quoteEnds++;
        if (rest) {
          lines.push("");
          lines.push(...wrapProse(rest));
          rewrapped++;
        }
        return;
      }
    }
    // unquoted text longer than a line: the exact pieces before the last soft break stay, the rest is wrapped
    const head = lastMark >= 0 ? dec(rl.slice(0, lastStart)) : "";
    const tail = dec(rl.slice(lastStart));
    const wrapped = wrapProse(head + tail);
    lines.push(...wrapped);
    rewrapped++;
  });
  // a closing "Cheers, Name" run into the last sentence
  const lastLine = lines.length ? lines[lines.length - 1] : "";
  const so = /^(.*\S)\s+((?:Cheers|Thanks|Regards|Best regards|Thank you),?)\s+(\S+)$/.exec(lastLine);
  if (so && !lastLine.startsWith(">")) lines.splice(lines.length - 1, 1, so[1], "", so[2], so[3]);
  if (quoteEnds) damaged.push(`${quoteEnds} quoted line(s) ran into the following reply text: ended at their last sentence end`);
  if (rewrapped) damaged.push(`${rewrapped} passage(s) of unquoted text re-wrapped: its own line and paragraph breaks were lost`);
  return { lines, damaged };
}

const SOFT = "\u0001";
const SOFT_SP = "\u0002";

function wrapProse(text: string): string[] {
  // list items "- x" and a closing "Cheers,"/"Thanks," on lines of their own
  const parts = text.split(/ (?=- [a-z])| (?=(?:Cheers|Thanks|Regards|Best regards|Thank you),? \S+$)/);
  const out: string[] = [];
  for (const p of parts) {
    const sig = /^((?:Cheers|Thanks|Regards|Best regards|Thank you),?) (\S+)$/.exec(p);
    if (sig) out.push(sig[1], sig[2]);
    else out.push(...wrapWords(p, 72));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function foldHeader(name: string, value: string): string {
  const words = value.split(" ");
  const lines: string[] = [];
  let cur = `${name}:`;
  for (const w of words) {
    if (w === "") continue;
    if (cur.length + 1 + w.length > 78 && cur.length > name.length + 1) {
      lines.push(cur);
      cur = `\t${w}`;
    } else cur += ` ${w}`;
  }
  lines.push(cur);
  return lines.join("\n");
}

export function parseCollapsed(text: string): PageParse {
  const notes: string[] = [];
  const t = text.replace(/\s+/g, " ").trim();
  const { fromLine, fields, body: encBody, damaged } = splitCollapsedHeaders(t);
  if (fromLine) notes.push(`mbox separator line "${fromLine}" dropped`);
  const get = (n: string) => fields.find((f) => f.name.toLowerCase() === n)?.value ?? null;
  const ct = get("content-type") ?? "text/plain";
  const cte = (get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const charset = /charset="?([^";\s]+)"?/i.exec(ct)?.[1] ?? "us-ascii";
  let bodyLines: string[];
  let encodedLines: string[];
  if (/^multipart\//i.test(ct)) {
    // MIME parts: split at the boundary, each part's headers and body rebuilt on their own
    const boundary = /boundary="?([^";\s]+)"?/i.exec(ct)?.[1] ?? "";
    const r = rebuildMultipart(encBody, boundary);
    bodyLines = r.text;
    encodedLines = r.encoded;
    damaged.push(...r.damaged);
  } else if (cte === "quoted-printable") {
    const r = rebuildQpBody(encBody, charset);
    bodyLines = r.lines;
    encodedLines = r.lines.flatMap((l) => qpEncodeLine(encodeCharset(l, charset)));
    damaged.push(...r.damaged);
  } else if (cte === "base64") {
    bodyLines = [encBody];
    encodedLines = (encBody.replace(/\s+/g, "").match(/.{1,76}/g) ?? []);
  } else {
    const r = rebuildQpBody(encBody.replace(/=/g, "=3D"), "utf-8");
    bodyLines = r.lines;
    encodedLines = r.lines;
    damaged.push(...r.damaged.filter((d) => !d.includes("soft line")));
  }
  damaged.push("the page collapsed all newlines: header folding and blank lines are lost");
  const raw = [...fields.map((f) => foldHeader(f.name, f.value)), "", ...encodedLines].join("\n") + "\n";
  // the fields as a PageMessage (synthesize uses `raw`)
  const from = parseNameAddress(get("from") ?? "");
  if (!from.address) damaged.push("the sender's address is not on the page (angle brackets were stripped)");
  const d = parseMailDate(get("date"));
  const msgidV = get("message-id");
  const msgid = msgidV ? (bracketedIds(msgidV)[0] ?? (unbracketMessageId(msgidV) || null)) : null;
  const irt = get("in-reply-to");
  const listId = get("list-id");
  let listName: string | null = null;
  const lm = listId ? /<([^.<>]+)\./.exec(listId) : null;
  if (lm) listName = lm[1];
  else {
    const sender = get("sender") ?? "";
    const sm = /^owner-([\w.-]+)@/.exec(sender) ?? /^([\w.-]+)-(?:owner|bounces)@/.exec(sender);
    if (sm) listName = sm[1];
    else {
      const dt = get("x-delivered-to") ?? get("delivered-to") ?? "";
      const dm = /^([\w-]+)@(?:kvack\.org|vger\.kernel\.org|lists\.)/.exec(dt);
      if (dm) listName = dm[1];
    }
  }
  const inReplyTo = irt ? (bracketedIds(irt)[0] ?? null) : null;
  const references = bracketedIds(get("references") ?? "");
  const chain = inReplyTo && !references.includes(inReplyTo) ? [...references, inReplyTo] : references;
  const body = bodyLines.join("\n");
  const quoted = extractQuotedAncestors(body, {
    subject: get("subject") ?? "",
    references: chain,
    quoterDate: d ? d.date.toISOString() : null,
    // the page keeps the quoting message's Date header, zone and all
    quoterTzOffsetMinutes: d?.tzOffsetMinutes ?? null,
    lineNumbers: bodyLines.map(() => 1),
  });
  for (const q of quoted) q.damaged.push("the page collapsed all newlines: the quoted lines were re-split (see the quoting message)");
  const msg: PageMessage = {
    msgid,
    inReplyTo,
    references,
    from,
    to: parseNameAddressList(get("to") ?? ""),
    cc: parseNameAddressList(get("cc") ?? ""),
    subject: get("subject") ?? "",
    date: d ? d.date.toISOString() : null,
    tzOffsetMinutes: d ? d.tzOffsetMinutes : null,
    datePrecision: "second",
    body,
    parentIndex: null,
    lines: [1, Math.max(1, text.split("\n").length)],
    damaged,
    inferred: [],
    quoted,
    raw,
  };
  return { format: "collapsed-rfc822", messages: [msg], notes, listName };
}

function rebuildMultipart(body: string, boundary: string): { text: string[]; encoded: string[]; damaged: string[] } {
  const damaged: string[] = [];
  if (!boundary) return { text: [body], encoded: [body], damaged: ["multipart without boundary: body kept as one line"] };
  const esc = boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const parts = body.split(new RegExp(`(?:^| )--${esc}(--)?(?= |$)`));
  const text: string[] = [];
  const encoded: string[] = [];
  // split() with a capture group interleaves the "--" captures
  const chunks: { body: string; last: boolean }[] = [];
  for (let k = 0; k < parts.length; k += 2) chunks.push({ body: parts[k] ?? "", last: parts[k + 1] === "--" });
  chunks.forEach((c, k) => {
    const s = c.body.trim();
    if (k === 0) {
      if (s) {
        encoded.push(...wrapWords(s, 76));
      }
      return;
    }
    if (k > 0) encoded.push(`--${boundary}`);
    const h = splitCollapsedHeaders(s);
    const get = (n: string) => h.fields.find((f) => f.name.toLowerCase() === n)?.value ?? null;
    for (const f of h.fields) encoded.push(foldHeader(f.name, f.value));
    encoded.push("");
    const cte = (get("content-transfer-encoding") ?? "7bit").toLowerCase();
    const charset = /charset="?([^";\s]+)"?/i.exec(get("content-type") ?? "")?.[1] ?? "us-ascii";
    if (cte === "quoted-printable") {
      const r = rebuildQpBody(h.body, charset);
      text.push(...r.lines);
      encoded.push(...r.lines.flatMap((l) => qpEncodeLine(encodeCharset(l, charset))));
      damaged.push(...r.damaged.map((d) => `part ${k}: ${d}`));
    } else if (cte === "base64") {
      encoded.push(...(h.body.replace(/\s+/g, "").match(/.{1,76}/g) ?? []));
    } else {
      const r = rebuildQpBody(h.body.replace(/=/g, "=3D"), "utf-8");
      text.push(...r.lines);
      encoded.push(...r.lines);
    }
    if (c.last) encoded.push(`--${boundary}--`);
  });
  if (!chunks.some((c) => c.last) && chunks.length > 1) encoded.push(`--${boundary}--`);
  return { text, encoded, damaged };
}

export const parse = parseCollapsed;
