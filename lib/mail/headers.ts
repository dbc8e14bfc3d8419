// The top-level header block, scanned once on the Buffer by hand (see parse.ts for why), and the
// helpers that turn a raw header value into text.
import { isUtf8 } from "node:buffer";
import libmime from "libmime";
import { LIMITS } from "./limits";
import { windows1252 } from "./charset";

export interface RawHeader {
  /** lower-cased name */
  name: string;
  /** byte offsets of the value in the raw buffer: after the colon, up to the end of the last
   * (continuation) line, excluding its line break */
  vs: number;
  ve: number;
}

export interface HeaderScan {
  /** where the header block starts (after leading blank lines and an mbox "From " line) */
  start: number;
  headers: RawHeader[];
  bodyStart: number;
  malformedLines: number;
}

export function scanHeaders(raw: Buffer): HeaderScan {
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

export type HeaderEncoding = "latin1" | "utf8" | "mixed";

/** Raw header bytes -> string. ASCII and valid UTF-8 are exact; anything else is read as
 * windows-1252 (the usual culprit for raw 8-bit headers). */
export function headerSlice(raw: Buffer, enc: HeaderEncoding, s: number, e: number): string {
  if (enc === "latin1") return raw.toString("latin1", s, e);
  if (enc === "utf8") return raw.toString("utf8", s, e);
  const sub = raw.subarray(s, e);
  if (isUtf8(sub)) return raw.toString("utf8", s, e);
  return windows1252(sub);
}

export function decodeWordsSafe(s: string): string {
  if (s.indexOf("=?") < 0) return s;
  try {
    return libmime.decodeWords(s);
  } catch {
    return s;
  }
}

/** True when the first line break is a lone CR (old Mac line endings): the header block cannot be
 * read line by line otherwise. */
export function usesLoneCr(raw: Buffer): boolean {
  const cr = raw.indexOf(0x0d);
  if (cr < 0) return false;
  const lf = raw.indexOf(0x0a);
  // "\r\r\n" (CRLF converted twice) is a line end with a stray CR, not a lone-CR line end
  return (lf < 0 || cr < lf) && raw[cr + 1] !== 0x0a && !(raw[cr + 1] === 0x0d && raw[cr + 2] === 0x0a);
}

/** Every lone CR (not followed by LF) turned into LF. */
export function loneCrToLf(raw: Buffer): Buffer {
  const out = Buffer.from(raw);
  for (let i = out.indexOf(0x0d); i >= 0; i = out.indexOf(0x0d, i + 1)) if (out[i + 1] !== 0x0a) out[i] = 0x0a;
  return out;
}
