// The body of a single-part text/plain message, decoded directly (the fast path of parseMail):
// transfer encodings, format=flowed.

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

export function decodeTransfer(body: Buffer, cte: string): Buffer {
  if (cte === "quoted-printable") return decodeQuotedPrintable(body);
  if (cte === "base64") return Buffer.from(body.toString("latin1", 0, body.length), "base64");
  return body;
}

export const FAST_CTE = new Set(["", "7bit", "8bit", "binary", "quoted-printable", "base64"]);

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

/** Any byte other than blanks and line breaks from `start` on. */
export function hasVisibleBytes(raw: Buffer, start: number): boolean {
  for (let i = start; i < raw.length; i++) {
    const b = raw[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return true;
  }
  return false;
}
