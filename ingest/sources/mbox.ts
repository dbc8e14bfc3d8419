// mbox reader (mboxo and mboxrd, plain or gzip-compressed), streaming.
//
// Message boundaries. A line starting with "From " begins a new message when
//   1. it is the first non-empty line of the file, or
//   2. it follows an empty line and carries a From_-style timestamp (an "hh:mm" time and a
//      four-digit year somewhere on the line) — the classic mbox discipline, tolerant of any
//      sender format ("From jane at example.org  Mon Jan  1 00:00:00 2001", "From 1a2b Mon Sep 17
//      00:00:00 2001", "From x@y Sat Jan 01 00:00:00 +0000 2020"), or
//   3. it is a strict asctime From_ line ("From <sender> Www Mmm dd hh:mm[:ss] [zone] yyyy")
//      even without a preceding empty line, for writers that do not separate messages with one.
// Any other "From " line is body text (unescaped mboxo bodies survive unless a body line is a
// complete From_ line). The separator line is not part of the message, and the one empty line
// that precedes a separator (or the end of the file) is the mbox writer's and is dropped too.
//
// Unescaping: every line matching /^>+From / loses one ">" (mboxrd; for mboxo this turns the
// ambiguous ">From " back into the most likely original "From ").
//
// Memory: the file is read in 1 MB chunks; only the message being assembled is kept, so memory
// is bounded by the largest single message (plus a couple of chunks).
//
// A file that does not start with "From " but looks like a single RFC 822 message (header lines
// at the top) is read as one message (an ".eml" file).

import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { SourceError, type ItemLimits, type Source, type SourceItem } from "./types";
import { headerBlock, listNameFromHeaders, looksLikeMessage, sanitizeListName, startsWithFrom } from "./util";

const CHUNK = 1 << 20;
const SNIFF = 64 * 1024;

export interface MboxMessage {
  /** byte offset of the separator line in the (decompressed) stream */
  offset: number;
  raw: Buffer;
  /** set when the message was over maxBytes: its bytes were not kept (raw is empty) */
  size?: number;
}

const LOOSE_TIME = /\d{1,2}:\d\d/;
const LOOSE_YEAR = /(^|\D)\d{4}(\D|$)/;
const STRICT_FROM =
  /^From .*?\S +(Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d\d(:\d\d)? +(?:[A-Za-z]{1,5} +|[+-]\d{4} +)?\d{4}\b/;

function isLooseFromLine(text: string): boolean {
  return LOOSE_TIME.test(text) && LOOSE_YEAR.test(text);
}

/** Is `buf[s..e)` (a line including its terminator) a ">+From " line? */
function isQuotedFrom(buf: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e && buf[i] === 0x3e) i++;
  return i > s && startsWithFrom(buf, i) && i + 5 <= e;
}

function isEmptyLine(buf: Buffer, s: number, e: number): boolean {
  const n = e - s;
  if (n === 1) return buf[s] === 0x0a || buf[s] === 0x0d;
  if (n === 2) return buf[s] === 0x0d && buf[s + 1] === 0x0a;
  return n === 0;
}

/**
 * Split a stream of mbox bytes into messages. `chunks` may come from a file, a gunzip stream,
 * or an array in tests.
 */
export async function* splitMbox(chunks: AsyncIterable<Buffer>, signal?: AbortSignal, maxBytes = Infinity): AsyncGenerator<MboxMessage> {
  // current message
  let inMessage = false;
  let msgOffset = 0;
  let parts: Buffer[] = [];
  let partsLen = 0;
  // over maxBytes: the bytes are dropped as they come and only counted, so a multi-gigabyte
  // message costs no more memory than a chunk
  let oversize = false;
  // the pending contiguous run of bytes to append (avoids one Buffer per line)
  let runBuf: Buffer | null = null;
  let runStart = 0;
  let runEnd = 0;
  // an empty line held back: dropped if a separator follows, else appended
  let heldBuf: Buffer | null = null;
  let heldStart = 0;
  let heldEnd = 0;
  let prevEmpty = false;

  const ready: MboxMessage[] = [];

  const flushRun = () => {
    if (runBuf && runEnd > runStart) {
      if (!oversize) parts.push(runBuf.subarray(runStart, runEnd));
      partsLen += runEnd - runStart;
      if (!oversize && partsLen > maxBytes) {
        oversize = true;
        parts = [];
      }
    }
    runBuf = null;
  };
  const append = (buf: Buffer, s: number, e: number) => {
    if (runBuf === buf && runEnd === s) {
      runEnd = e;
      return;
    }
    flushRun();
    runBuf = buf;
    runStart = s;
    runEnd = e;
  };
  const flushHeld = () => {
    if (heldBuf) {
      append(heldBuf, heldStart, heldEnd);
      heldBuf = null;
    }
  };
  const finishMessage = () => {
    if (!inMessage) return;
    heldBuf = null; // the writer's separating empty line
    flushRun();
    ready.push(oversize ? { offset: msgOffset, raw: Buffer.alloc(0), size: partsLen } : { offset: msgOffset, raw: Buffer.concat(parts, partsLen) });
    parts = [];
    partsLen = 0;
    oversize = false;
  };

  const onLine = (buf: Buffer, s: number, e: number, offset: number) => {
    if (buf[s] === 0x46 && startsWithFrom(buf, s) && s + 5 <= e) {
      let sep = !inMessage;
      if (!sep) {
        const text = buf.toString("latin1", s, Math.min(e, s + 1000));
        sep = (prevEmpty && isLooseFromLine(text)) || STRICT_FROM.test(text);
      }
      if (sep) {
        finishMessage();
        inMessage = true;
        msgOffset = offset;
        prevEmpty = false;
        return;
      }
    }
    const empty = isEmptyLine(buf, s, e);
    if (!inMessage) {
      if (empty) return; // blank lines before the first message
      throw new SourceError(`mbox data does not start with a "From " line (at byte ${offset})`);
    }
    if (empty) {
      flushHeld();
      heldBuf = buf;
      heldStart = s;
      heldEnd = e;
      prevEmpty = true;
      return;
    }
    flushHeld();
    prevEmpty = false;
    if (buf[s] === 0x3e && isQuotedFrom(buf, s, e)) append(buf, s + 1, e);
    else append(buf, s, e);
  };

  let pos = 0; // stream offset of the start of the current chunk
  let carry: Buffer[] = [];
  let carryLen = 0;
  let carryOffset = 0;

  for await (const chunk of chunks) {
    if (signal?.aborted) signal.throwIfAborted();
    let i = 0;
    if (carryLen > 0) {
      const nl = chunk.indexOf(0x0a);
      if (nl < 0) {
        carry.push(chunk);
        carryLen += chunk.length;
        pos += chunk.length;
        continue;
      }
      carry.push(chunk.subarray(0, nl + 1));
      const line = Buffer.concat(carry, carryLen + nl + 1);
      carry = [];
      carryLen = 0;
      onLine(line, 0, line.length, carryOffset);
      i = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(0x0a, i);
      if (nl < 0) break;
      onLine(chunk, i, nl + 1, pos + i);
      i = nl + 1;
    }
    if (i < chunk.length) {
      carryOffset = pos + i;
      carry.push(chunk.subarray(i));
      carryLen = chunk.length - i;
    }
    pos += chunk.length;
    if (ready.length > 0) {
      const out = ready.splice(0, ready.length);
      for (const m of out) yield m;
    }
  }
  if (carryLen > 0) {
    const line = Buffer.concat(carry, carryLen);
    carry = [];
    onLine(line, 0, line.length, carryOffset);
  }
  finishMessage();
  for (const m of ready.splice(0, ready.length)) yield m;
}

async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** A readable of the file's (decompressed) bytes. */
function openStream(path: string, gz: boolean): Readable {
  const file = createReadStream(path, { highWaterMark: CHUNK });
  if (!gz) return file;
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  // pipeline forwards errors from either side to the gunzip stream we iterate
  pipeline(file, gunzip, () => {});
  return gunzip;
}

function wrapStreamError(path: string, gz: boolean, err: unknown): unknown {
  if (err instanceof SourceError) return err;
  if (err instanceof Error && (err as Error & { name: string }).name === "AbortError") return err;
  const e = err as NodeJS.ErrnoException;
  if (gz && typeof e?.code === "string" && e.code.startsWith("Z_")) {
    return new SourceError(`${path}: corrupt or truncated gzip data (${e.message})`, { cause: err });
  }
  return new SourceError(`${path}: read error: ${e?.message ?? String(err)}`, { cause: err });
}

/** Up to `n` bytes of the file's (decompressed) beginning. */
async function readHead(path: string, gz: boolean, n: number): Promise<Buffer> {
  const stream = openStream(path, gz);
  const parts: Buffer[] = [];
  let len = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      len += chunk.length;
      if (len >= n) break;
    }
  } catch (err) {
    // a truncated gzip still lets us sniff what we got; a real read error is reported
    if (!(gz && len > 0)) throw wrapStreamError(path, gz, err);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts, len).subarray(0, n);
}

function skipBlankLines(buf: Buffer): Buffer {
  let i = 0;
  while (i < buf.length && (buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x20 || buf[i] === 0x09)) i++;
  return buf.subarray(i);
}

function nameFromFileName(path: string): string | null {
  let name = basename(path);
  for (;;) {
    const stripped = name.replace(/\.(gz|mbox|mbx|mbs|txt|eml|mail|msg)$/i, "");
    if (stripped === name) break;
    name = stripped;
  }
  if (/^\d{4}[-_.]/.test(name)) return null; // monthly archive files like "2023-January"
  return sanitizeListName(name);
}

export type MboxFormat = "mbox" | "eml" | "empty";

export class MboxSource implements Source {
  readonly kind = "mbox" as const;
  constructor(
    readonly location: string,
    readonly gz: boolean,
    readonly format: MboxFormat,
    private readonly listName: string | null,
  ) {}

  async count(): Promise<number | null> {
    if (this.format === "empty") return 0;
    if (this.format === "eml") return 1;
    return null;
  }

  suggestedListName(): string | null {
    return this.listName;
  }

  async *items(_state: Record<string, string> = {}, signal?: AbortSignal, limits: ItemLimits = {}): AsyncGenerator<SourceItem> {
    if (this.format === "empty") return;
    signal?.throwIfAborted();
    const stream = openStream(this.location, this.gz);
    const onAbort = () => stream.destroy();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (this.format === "eml") {
        const parts: Buffer[] = [];
        for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
        signal?.throwIfAborted();
        yield { raw: Buffer.concat(parts), ref: `mbox:${this.location}#0` };
        return;
      }
      for await (const m of splitMbox(stream as AsyncIterable<Buffer>, signal, limits.maxMessageBytes)) {
        signal?.throwIfAborted(); // a destroyed stream may look like a clean end
        yield m.size === undefined ? { raw: m.raw, ref: `mbox:${this.location}#${m.offset}` } : { raw: m.raw, size: m.size, ref: `mbox:${this.location}#${m.offset}` };
      }
    } catch (err) {
      signal?.throwIfAborted();
      throw wrapStreamError(this.location, this.gz, err);
    } finally {
      signal?.removeEventListener("abort", onAbort);
      stream.destroy();
    }
  }
}

/** Open a file as an mbox (plain or gzip) or a single-message .eml file. `path` must be absolute. */
export async function openMbox(path: string): Promise<MboxSource> {
  const st = await stat(path);
  if (!st.isFile()) throw new SourceError(`${path} is not a file`);
  const gz = st.size >= 2 && (await isGzipFile(path));
  const head = await readHead(path, gz, SNIFF);
  const start = skipBlankLines(head);
  if (start.length === 0) {
    return new MboxSource(path, gz, "empty", nameFromFileName(path));
  }
  if (startsWithFrom(start)) {
    const nl = start.indexOf(0x0a);
    const firstMessage = nl < 0 ? Buffer.alloc(0) : start.subarray(nl + 1);
    const name = listNameFromHeaders(headerBlock(firstMessage)) ?? nameFromFileName(path);
    return new MboxSource(path, gz, "mbox", name);
  }
  if (start.length === head.length && looksLikeMessage(head)) {
    return new MboxSource(path, gz, "eml", listNameFromHeaders(headerBlock(head)) ?? nameFromFileName(path));
  }
  throw new SourceError(
    `${path} is not an mbox file, maildir, or public-inbox repository: ` +
      `it does not start with a "From " line and does not look like an email message`,
  );
}
