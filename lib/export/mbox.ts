// mboxrd output: the one writer for every mbox this project produces (series for `git am`,
// search results, the oracle scripts' inputs to b4, the hostile-input test corpus). Pure.
//
// The format is what public-inbox (lore) serves: each message starts with the same fixed From_
// line, every line matching /^>*From / gets one more ">" (so a reader can undo it exactly: the
// reader in ingest/sources/mbox.ts removes one ">" from /^>+From /), the message ends with a line
// break and a blank line follows it. Lines are LF-terminated as the reader splits them: a "From "
// after a lone CR is no line start and is left alone (a regex with /m would quote it, and the
// reader would not unquote it).

/** The From_ line public-inbox writes before every message (PublicInbox::Mbox). */
export const MBOXRD_FROM_LINE = "From mboxrd@z Thu Jan  1 00:00:00 1970\n";

const FROM_LINE_BYTES = Buffer.from(MBOXRD_FROM_LINE);
const GT = 0x3e;
const LF = 0x0a;

/** Every line matching /^>*From / gains one ">"; nothing else changes (the input itself when nothing does). */
export function mboxrdEscape(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  let changed = false;
  while (pos < raw.length) {
    const nl = raw.indexOf(LF, pos);
    const end = nl < 0 ? raw.length : nl + 1;
    let i = pos;
    while (i < end && raw[i] === GT) i++;
    if (end - i >= 5 && raw.toString("latin1", i, i + 5) === "From ") {
      parts.push(Buffer.from(">"));
      changed = true;
    }
    parts.push(raw.subarray(pos, end));
    pos = end;
  }
  return changed ? Buffer.concat(parts) : raw;
}

export interface MboxrdOptions {
  /**
   * CRLF line ends become LF (what `git am` and b4 want; stored raw messages keep the bytes they
   * came with). Off: the bytes are kept as they are (a reader test needs them back unchanged).
   */
  lf?: boolean;
}

/** One mbox entry: the From_ line, the escaped message, a line break when it lacks one, the blank line. */
export function mboxrdEntry(raw: Buffer, opts: MboxrdOptions = {}): Buffer {
  const msg = opts.lf && raw.includes("\r\n") ? Buffer.from(raw.toString("latin1").replace(/\r\n/g, "\n"), "latin1") : raw;
  const esc = mboxrdEscape(msg);
  const needNl = esc.length > 0 && esc[esc.length - 1] !== LF;
  return Buffer.concat([FROM_LINE_BYTES, esc, Buffer.from(needNl ? "\n\n" : "\n")]);
}

/** Messages (raw bytes) as one mboxrd file, in the order given. */
export function mboxrd(raws: Iterable<Buffer>, opts: MboxrdOptions = {}): Buffer {
  const parts: Buffer[] = [];
  for (const raw of raws) parts.push(mboxrdEntry(raw, opts));
  return Buffer.concat(parts);
}

