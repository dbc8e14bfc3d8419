// Small helpers shared by the source readers.

/** A list-name suggestion must look like a slug; anything else is not a sensible suggestion. */
export function sanitizeListName(name: string | null | undefined): string | null {
  if (!name) return null;
  const s = name.trim().toLowerCase();
  if (s.length === 0 || s.length > 64) return null;
  if (!/^[a-z0-9][a-z0-9._+-]*$/.test(s)) return null;
  if (!/[a-z]/.test(s)) return null; // "0", "2024-01": not a list name
  return s;
}

/**
 * The header block (up to the first empty line) of a raw message, as latin1 text.
 * `limit` bounds the scan so a message with a huge header never costs much.
 */
export function headerBlock(raw: Buffer, limit = 256 * 1024): string {
  const slice = raw.subarray(0, Math.min(raw.length, limit));
  const text = slice.toString("latin1");
  const m = /\r?\n\r?\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Suggested list name from a List-Id header: "Linux MMC <linux-mmc.vger.kernel.org>" -> "linux-mmc". */
export function listNameFromHeaders(headers: string): string | null {
  const m = /^list-id:[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/im.exec(headers);
  if (!m) return null;
  const value = m[1].replace(/\r?\n[ \t]+/g, " ");
  const bracket = /<([^<>]+)>/.exec(value);
  const id = (bracket ? bracket[1] : value).trim();
  const first = id.split(".")[0];
  return sanitizeListName(first);
}

const FROM_ = Buffer.from("From ");

/** True when `buf` starting at `at` begins with "From ". */
export function startsWithFrom(buf: Buffer, at = 0): boolean {
  return buf.length - at >= 5 && buf[at] === 0x46 && buf.compare(FROM_, 0, 5, at, at + 5) === 0;
}

/**
 * Files that hold one message sometimes start with an mbox "From " line (saved by a mail client,
 * exported from mutt...). That line is never part of an RFC 822 message (it has no colon), so drop it.
 */
export function stripLeadingFromLine(raw: Buffer): Buffer {
  if (!startsWithFrom(raw)) return raw;
  const nl = raw.indexOf(0x0a);
  return nl < 0 ? Buffer.alloc(0) : raw.subarray(nl + 1);
}

const HEADER_FIELD = /^[!-9;-~]+[ \t]*:/; // RFC 5322 ftext (printable US-ASCII except ":"), then ":"

/**
 * Does this look like the beginning of an RFC 822 message? The first line must be a header field,
 * and every line up to the first empty line (or the end of the sample) must be a header field or
 * a folded continuation line. At least one well-known header must be present so that a random
 * "key: value" text file is not taken for mail.
 */
export function looksLikeMessage(sample: Buffer): boolean {
  if (sample.length === 0) return false;
  // Binary data is not mail.
  const probe = sample.subarray(0, Math.min(sample.length, 8192));
  if (probe.includes(0)) return false;
  const text = sample.toString("latin1");
  const lines = text.split("\n");
  // The sample may end in the middle of a line: do not judge that last fragment.
  const complete = text.endsWith("\n") ? lines.length - 1 : Math.max(lines.length - 1, 1);
  let headers = 0;
  let known = false;
  for (let i = 0; i < complete; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line === "") break;
    if (/^[ \t]/.test(line)) {
      if (i === 0) return false;
      continue;
    }
    if (!HEADER_FIELD.test(line)) return false;
    headers++;
    if (/^(from|to|cc|subject|date|message-id|received|return-path|delivered-to|mime-version|in-reply-to|references|content-type|x-[a-z-]+)[ \t]*:/i.test(line)) {
      known = true;
    }
  }
  return headers > 0 && known;
}

/** Natural order for file names: "2.eml" < "10.eml"; ties broken by plain code-point order so it is total. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const ta = a.match(re) ?? [];
  const tb = b.match(re) ?? [];
  const n = Math.min(ta.length, tb.length);
  for (let i = 0; i < n; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+/, "");
      const ny = y.replace(/^0+/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue; // same value, different zero padding: decided below
    }
    return x < y ? -1 : 1;
  }
  if (ta.length !== tb.length) return ta.length - tb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Throw the signal's reason (an AbortError DOMException by default) when it is aborted. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
