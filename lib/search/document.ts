// The search document of one message: every searchable field cut into words by tokenize.ts
// (the same cutter queries use), each word stored as a PostgreSQL tsvector lexeme prefixed by
// its field, the way Xapian prefixes terms for lore ("S" subject, "A" From, ...). One tsvector
// per message and one GIN index answer every text prefix, phrase, wildcard and boolean
// operator in one index scan; the compile step (compile.ts) writes tsqueries over the same
// lexemes. Pure: no I/O.
//
// Fields follow lore (public-inbox SearchIdx.pm):
//   - quoted lines (starting with ">", diffs inside quotes included) are only "q" text;
//   - the message's own unquoted diff (the patch rows: body or attachment) gives the diff
//     fields dfn/dfa/dfb/dfhh/dfctx and the blob ids and patch-id, and is NOT also "nq" text;
//   - every other unquoted line (commit message, notes, diffstat, signature) is "nq" text.
//
// Positions: each field has its own position space (1, 2, 3, ... over the field's words), so a
// phrase matches inside one field only. PostgreSQL caps positions at 16383 and keeps at most
// 256 per lexeme: a phrase past the 16383rd word of one field of a message is not found (the
// words still are). Words longer than 64 characters are not indexed (Xapian's default limit,
// which lore has too), nor searched.

import type { Address, ParsedMail } from "../mail/types";
import type { MessageAnalysis } from "../analyze/message";
import { eachWord, MAX_WORD_LENGTH } from "./tokenize";
import type { TextField } from "./fields";

/** The lexeme prefix of each indexed text field (an upper-case letter: words are lower-cased,
 * so a code can never be mistaken for the start of a word). */
export const FIELD_CODE = {
  s: "S", // Subject
  f: "A", // From (name and address)
  t: "T", // To
  c: "C", // Cc
  n: "N", // attachment file names
  m: "M", // Message-ID words
  nq: "B", // unquoted text that is not the message's diff
  q: "Q", // quoted text
  dfn: "F", // file names in the diff
  dfa: "R", // removed lines
  dfb: "P", // added lines
  dfhh: "H", // hunk headings
  dfctx: "X", // context lines
} as const;

export type IndexedField = keyof typeof FIELD_CODE;

/** The two vectors of a search document: search_doc.head_tsv and search_doc.body_tsv. */
export type DocColumn = "head" | "body";

const HEAD_CODES = new Set<string>([FIELD_CODE.s, FIELD_CODE.f, FIELD_CODE.t, FIELD_CODE.c, FIELD_CODE.n, FIELD_CODE.m]);

/** Which vector holds a lexeme code (a text field's letter, or an exact prefix such as "mid="). */
export function columnOf(code: string): DocColumn {
  if (HEAD_CODES.has(code)) return "head";
  if (code === EXACT_CODE.dfpre || code === EXACT_CODE.dfpost || code === EXACT_CODE.patchid) return "body";
  if (code.endsWith("=")) return "head";
  return "body";
}

const DIFF_CODES = [FIELD_CODE.dfn, FIELD_CODE.dfa, FIELD_CODE.dfb, FIELD_CODE.dfhh, FIELD_CODE.dfctx];

/** The lexeme codes a text field searches (lore's composite prefixes expanded), or null for
 * fields not held in the document (l:, by:, reviewer: are answered from other tables). */
export function codesOf(field: TextField | null): string[] | null {
  switch (field) {
    case null: // lore's default: Message-ID words, Subject, From, quoted, attachment names, unquoted + diff
      return [FIELD_CODE.m, FIELD_CODE.s, FIELD_CODE.f, FIELD_CODE.q, FIELD_CODE.n, FIELD_CODE.nq, ...DIFF_CODES];
    case "s":
    case "f":
    case "t":
    case "c":
    case "n":
    case "m":
    case "q":
    case "dfn":
    case "dfa":
    case "dfb":
    case "dfhh":
    case "dfctx":
      return [FIELD_CODE[field]];
    case "tc":
      return [FIELD_CODE.t, FIELD_CODE.c];
    case "a":
      return [FIELD_CODE.t, FIELD_CODE.c, FIELD_CODE.f];
    case "nq":
      return [FIELD_CODE.nq, ...DIFF_CODES];
    case "b":
      return [FIELD_CODE.nq, ...DIFF_CODES, FIELD_CODE.q];
    case "bs":
      return [FIELD_CODE.s, FIELD_CODE.nq, ...DIFF_CODES, FIELD_CODE.q];
    default:
      return null;
  }
}

/** Exact (boolean) lexemes: a prefix with "=" then the value as given (case kept). */
export const EXACT_CODE = {
  mid: "mid=",
  references: "ref=",
  dfpre: "pre=",
  dfpost: "post=",
  patchid: "pid=",
  has: "has=",
} as const;

/** ts_rank weight of each field, as the top two bits of a position (A = 3 ... D = 0): a match
 * in the subject counts most, in quoted text, context and headers least. */
const WEIGHT_BITS: Record<string, number> = {
  S: 3 << 14, // A
  A: 2 << 14, // B
  M: 2 << 14,
  N: 2 << 14,
  F: 2 << 14,
  H: 2 << 14,
  B: 1 << 14, // C
  P: 1 << 14,
  R: 0, // D
  X: 0,
  T: 0,
  C: 0,
  Q: 0,
};

/** PostgreSQL limits: positions 1..16383, 256 positions per lexeme, 2 KB per lexeme, 1 MB per
 * tsvector. The document stays well under the last one: words past this budget are dropped. */
export const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;
const MAX_EXACT_CHARS = 500;
const MAX_LEXEME_BYTES = 2046;
const MAX_LEXEME_TOTAL_BYTES = 1_000_000;
const MAX_DOC_CHARS = 600_000;

/** Quotes a lexeme for tsvector/tsquery input: in single quotes, ' and \ escaped. */
export function quoteLexeme(s: string): string {
  return "'" + (/['\\]/.test(s) ? s.replace(/\\/g, "\\\\").replace(/'/g, "''") : s) + "'";
}

class DocBuilder {
  /** per field code: word -> positions (weight in the top two bits, as PostgreSQL stores them) */
  private readonly fields = new Map<string, Map<string, number[]>>();
  /** exact lexemes (no positions) */
  private readonly exacts = new Set<string>();
  private chars = 0;
  private count = 0;
  private full = false;

  field(code: string, text: string, startAt = 1): number {
    let pos = startAt;
    const w = WEIGHT_BITS[code] ?? 0;
    if (this.full) return pos;
    let words = this.fields.get(code);
    if (!words) this.fields.set(code, (words = new Map()));
    const m = words;
    eachWord(text, (word) => {
      const p = pos++;
      if (p > MAX_POSITION || this.full || word.length > MAX_WORD_LENGTH) return;
      let ps = m.get(word);
      if (ps === undefined) {
        this.chars += word.length + 4;
        if (this.chars > MAX_DOC_CHARS) {
          this.full = true;
          return;
        }
        m.set(word, (ps = []));
        this.count++;
      }
      if (ps.length < MAX_POSITIONS_PER_LEXEME) {
        ps.push(p | w);
        this.chars += 2;
      }
    });
    return pos;
  }

  exact(code: string, value: string): void {
    if (!value || value.length > MAX_EXACT_CHARS) return;
    const key = code + value;
    if (!this.exacts.has(key)) {
      this.exacts.add(key);
      this.chars += key.length + 3;
      this.count++;
    }
  }

  toString(): string {
    const out: string[] = [];
    const label = (p: number) => `${p & 0x3fff}${"DCBA"[p >> 14]}`.replace(/D$/, "");
    for (const [code, words] of this.fields) for (const [w, ps] of words) out.push(`${quoteLexeme(code + w)}:${ps.map(label).join(",")}`);
    for (const k of this.exacts) out.push(quoteLexeme(k));
    return out.join(" ");
  }

  /** The tsvector in PostgreSQL's binary format (tsvectorsend/tsvectorrecv): int32 count, then
   * per lexeme its UTF-8 bytes, a NUL, uint16 count of positions and each position as uint16
   * (weight in the top two bits). The server sorts the lexemes. */
  toBinary(): Buffer {
    let cap = 4 + this.chars * 2 + 64;
    let buf = Buffer.allocUnsafe(cap);
    let off = 4;
    let count = 0;
    let lexBytes = 0;
    const put = (code: string, word: string, ps: number[] | null) => {
      const need = (code.length + word.length) * 3 + 3 + (ps ? ps.length * 2 : 0);
      if (off + need > cap) {
        cap = Math.max(cap * 2, off + need);
        const b = Buffer.allocUnsafe(cap);
        buf.copy(b, 0, 0, off);
        buf = b;
      }
      const start = off;
      // ASCII by hand (Buffer.write's call costs more than these few bytes), the rest as UTF-8
      let n = 0;
      for (let i = 0; i < code.length; i++) buf[off + n++] = code.charCodeAt(i);
      let ascii = true;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        if (c > 127) {
          ascii = false;
          break;
        }
        buf[off + n + i] = c;
      }
      n = ascii ? n + word.length : n + buf.write(word, off + n, "utf8");
      if (n > MAX_LEXEME_BYTES || lexBytes + n > MAX_LEXEME_TOTAL_BYTES) {
        off = start;
        return;
      }
      lexBytes += n;
      off += n;
      buf[off++] = 0;
      const np = ps ? ps.length : 0;
      buf.writeUInt16BE(np, off);
      off += 2;
      for (let i = 0; i < np; i++) {
        buf.writeUInt16BE(ps![i], off);
        off += 2;
      }
      count++;
    };
    for (const [code, words] of this.fields) for (const [w, ps] of words) put(code, w, ps);
    for (const k of this.exacts) put("", k, null);
    buf.writeInt32BE(count, 0);
    return buf.subarray(0, off);
  }

  get size(): number {
    return this.count;
  }
}

function addresses(list: Address[]): string {
  return list.map((a) => `${a.name} ${a.address}`).join("\n");
}

/** Lines of a body the way splitPatchMail numbers them (0-based, split on "\n"). */
function bodyLines(body: string): string[] {
  return body.split("\n");
}

export interface SearchDocument {
  /** the headers' tsvector (subject, From, To, Cc, Message-ID, attachment names and the exact
   * lexemes of the message) in PostgreSQL's binary format (COPY ... FORMAT binary) */
  head: Buffer;
  /** the body's tsvector (unquoted text, quoted text, the diff) */
  body: Buffer;
  /** both in PostgreSQL's text input syntax (for tests and debugging) */
  text(): { head: string; body: string };
  /** the received time (first Received: header), ISO 8601, null when none could be read */
  received: string | null;
  lexemes: number;
}

/** The search document of a message, from what the ingester already computed for it. */
export function buildSearchDocument(p: ParsedMail, a: MessageAnalysis): SearchDocument {
  // two vectors: the headers' is small and stays in the row (a phrase in From: or Subject: is
  // checked without reading the body's), the body's is large and lives in TOAST
  const h = new DocBuilder();
  const d = new DocBuilder();
  h.field(FIELD_CODE.s, p.subject);
  h.field(FIELD_CODE.f, `${p.from.name} ${p.from.address}`);
  h.field(FIELD_CODE.t, addresses(p.to));
  h.field(FIELD_CODE.c, addresses(p.cc));
  h.field(FIELD_CODE.m, p.msgid);
  const names = p.attachments.map((x) => x.filename).filter((x): x is string => !!x);
  if (names.length) h.field(FIELD_CODE.n, names.join("\n"));
  h.exact(EXACT_CODE.mid, p.msgid);
  for (const r of p.references) h.exact(EXACT_CODE.references, r);
  if (p.attachments.length) h.exact(EXACT_CODE.has, "attachment");
  if (p.references.length) h.exact(EXACT_CODE.has, "parent");

  // the body: quoted lines, the message's own diff (skipped here: indexed from the parsed
  // diff below), everything else unquoted text
  const patch = a.patch;
  const diffRange = patch && patch.source.part === "body" ? patch.parts.diff : null;
  const lines = bodyLines(p.text);
  const nq: string[] = [];
  const q: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (diffRange && i >= diffRange.start && i < diffRange.end) continue;
    if (l.charCodeAt(0) === 62 /* > */) q.push(l);
    else nq.push(l);
  }
  // a patch in an attachment: its commit message is text of the message (lore indexes text
  // attachments as body)
  if (patch && patch.source.part === "attachment") {
    nq.push(patch.title, patch.commitMessage);
    if (patch.notes) nq.push(patch.notes);
  }
  d.field(FIELD_CODE.nq, nq.join("\n"));
  d.field(FIELD_CODE.q, q.join("\n"));

  const diff = patch?.diff;
  if (diff) {
    const fnames: string[] = [];
    const hh: string[] = [];
    const add: string[] = [];
    const del: string[] = [];
    const ctx: string[] = [];
    for (const f of diff.files) {
      if (f.oldPath !== null && f.oldPath !== f.newPath) fnames.push(f.oldPath);
      if (f.newPath !== null) fnames.push(f.newPath);
      if (f.oldHash) d.exact(EXACT_CODE.dfpre, f.oldHash.toLowerCase());
      if (f.newHash) d.exact(EXACT_CODE.dfpost, f.newHash.toLowerCase());
      for (const hk of f.hunks) {
        if (hk.heading) hh.push(hk.heading);
        for (const l of hk.lines) {
          if (l.kind === "+") add.push(l.text);
          else if (l.kind === "-") del.push(l.text);
          else if (l.kind === " ") ctx.push(l.text);
        }
      }
    }
    d.field(FIELD_CODE.dfn, fnames.join("\n"));
    d.field(FIELD_CODE.dfhh, hh.join("\n"));
    d.field(FIELD_CODE.dfb, add.join("\n"));
    d.field(FIELD_CODE.dfa, del.join("\n"));
    d.field(FIELD_CODE.dfctx, ctx.join("\n"));
    if (patch.patchId) d.exact(EXACT_CODE.patchid, patch.patchId.toLowerCase());
    if (diff.files.length) h.exact(EXACT_CODE.has, "diff");
  }

  return {
    head: h.toBinary(),
    body: d.toBinary(),
    text: () => ({ head: h.toString(), body: d.toString() }),
    received: receivedTime(p),
    lexemes: h.size + d.size,
  };
}

/** lore's rt: the time in the first (most recent) Received: header that has one, else null. */
export function receivedTime(p: ParsedMail): string | null {
  for (const [name, value] of p.headers) {
    if (name !== "received") continue;
    const semi = value.lastIndexOf(";");
    if (semi < 0) continue;
    const t = parseReceivedDate(value.slice(semi + 1));
    if (t !== null) return t;
  }
  return null;
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** "Tue, 7 Mar 2023 10:12:00 +0100 (CET)": the RFC 5322 form Received: headers carry. */
function parseReceivedDate(s: string): string | null {
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([+-])(\d{2})(\d{2})|(UT|UTC|GMT|Z))?/.exec(s);
  if (!m) return null;
  const mon = MONTHS[m[2].toLowerCase()];
  if (mon === undefined) return null;
  let t = Date.UTC(Number(m[3]), mon, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  if (m[7]) t -= (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  if (!Number.isFinite(t)) return null;
  const y = new Date(t).getUTCFullYear();
  if (y < 1970 || y > 2200) return null;
  return new Date(t).toISOString();
}

export { MAX_WORD_LENGTH };
