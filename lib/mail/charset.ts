// Bytes -> text in a declared (or missing, or wrong) charset, and the string hygiene every stored
// string needs (no lone surrogates, byte-capped index keys).
import { isAscii, isUtf8 } from "node:buffer";
import { createRequire } from "node:module";
import libmime from "libmime";
import type { ParseProblem } from "./types";
import { addProblem } from "./problems";

// windows-1252 bytes 0x80..0x9f (undefined ones map to the C1 control, as WHATWG does).
// Node 20's TextDecoder("windows-1252") takes a latin-1 fast path and gets these wrong
// (0x92 -> U+0092 instead of U+2019), so this label is decoded here instead.
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";
const C1_RE = /[\u0080-\u009f]/g;
const HAS_C1 = /[\u0080-\u009f]/;
export function windows1252(buf: Uint8Array): string {
  const s = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString("latin1");
  return HAS_C1.test(s) ? s.replace(C1_RE, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : s;
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
export function decodeText(buf: Buffer, charsetIn: string | null | undefined, problems: ParseProblem[]): string {
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

// Lone UTF-16 surrogates: decoders such as utf-7 and utf-32 (iconv-lite) and RFC 2047 words in
// utf-16 produce them. JSON.stringify writes them as "\ud83d", which PostgreSQL's json parser
// rejects, failing the whole batch; they are replaced by U+FFFD like any other undecodable input.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;
export function wellFormed(s: string): string {
  if (nativeIsWellFormed) return nativeIsWellFormed.call(s) ? s : s.replace(LONE_SURROGATE, "\ufffd");
  return s.replace(LONE_SURROGATE, "\ufffd");
}

/** At most `max` UTF-8 bytes of `s`, cut on a code point boundary. */
export function truncateUtf8(s: string, max: number): string {
  if (s.length * 3 <= max || Buffer.byteLength(s, "utf8") <= max) return s;
  const b = Buffer.from(s, "utf8").subarray(0, max + 1);
  let end = max;
  while (end > 0 && (b[end] & 0xc0) === 0x80) end--; // back to the start of the cut character
  return b.toString("utf8", 0, end);
}
