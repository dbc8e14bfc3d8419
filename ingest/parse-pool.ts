// Parses a stream of raw messages on worker threads, keeping the source order (the source cursor
// committed with each batch must only cover messages that were stored).
import os from "node:os";
import { Worker } from "node:worker_threads";
import { parseMail, MailParseError } from "../lib/mail/parse";
import type { ParsedMail } from "../lib/mail/types";
import { analyzeMessage, type MessageAnalysis } from "../lib/analyze/message";

export type ParseOutcome =
  | { parsed: ParsedMail; analysis: MessageAnalysis; error?: undefined }
  | { parsed?: undefined; analysis?: undefined; error: { code: string; message: string } };

/** MIME parsing, then the per-message analyzers; a failure of either is recorded, never thrown. */
export async function parseOne(raw: Buffer): Promise<ParseOutcome> {
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(raw);
  } catch (e) {
    if (e instanceof MailParseError) return { error: { code: e.code, message: e.message } };
    return { error: { code: "parser-crash", message: String((e as Error)?.stack ?? e).slice(0, 2000) } };
  }
  try {
    return { parsed, analysis: analyzeMessage(parsed) };
  } catch (e) {
    return { error: { code: "analyzer-crash", message: String((e as Error)?.stack ?? e).slice(0, 2000) } };
  }
}

export interface ParseJob<T> {
  raw: Buffer;
  tag: T;
  /** set when the message is refused before parsing (too large): it passes through in order */
  refused?: { code: string; message: string };
}

/**
 * Parser threads by default: one core stays with the main thread (batching, JSON, database I/O)
 * and one with PostgreSQL; the rest parse. On 2 cores that is none: measured on the linux-mmc
 * epoch, parsing inline ran at 1,300 msg/s and two parser threads at 1,025 msg/s, the hand-off
 * (copying bytes and ParsedMail between threads) costing more than it frees.
 */
export function defaultWorkerCount(): number {
  return Math.max(0, Math.min(6, os.availableParallelism() - 2));
}

/**
 * Yields the outcome of each job in input order. workers = 0 parses on this thread (small inputs,
 * tests). At most `window` jobs are in flight, so memory stays bounded whatever the archive size.
 */
export async function* parseInOrder<T>(
  jobs: AsyncIterable<ParseJob<T>>,
  opts: { workers?: number; window?: number } = {},
): AsyncGenerator<{ tag: T; raw: Buffer } & ParseOutcome> {
  const workers = opts.workers ?? defaultWorkerCount();
  if (workers === 0) {
    for await (const j of jobs) yield { tag: j.tag, raw: j.raw, ...(j.refused ? { error: j.refused } : await parseOne(j.raw)) };
    return;
  }
  const window = opts.window ?? 64 * workers;
  const pool = Array.from({ length: workers }, () => new Worker(new URL("./parse-worker-entry.mjs", import.meta.url)));
  const pending = new Map<number, { tag: T; resolve: (v: { raw: Buffer } & ParseOutcome) => void; reject: (e: unknown) => void }>();
  const failAll = (e: unknown) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  for (const w of pool) {
    w.on("message", (msg: { seq: number; raw: Uint8Array } & ParseOutcome) => {
      const p = pending.get(msg.seq);
      if (!p) return;
      pending.delete(msg.seq);
      const raw = Buffer.from(msg.raw.buffer, msg.raw.byteOffset, msg.raw.byteLength);
      p.resolve(msg.parsed ? { raw, parsed: msg.parsed, analysis: msg.analysis! } : { raw, error: msg.error! });
    });
    w.on("error", failAll);
  }
  const queue: { tag: T; result: Promise<{ raw: Buffer } & ParseOutcome> }[] = [];
  let seq = 0;
  try {
    for await (const j of jobs) {
      if (j.refused) {
        queue.push({ tag: j.tag, result: Promise.resolve({ raw: j.raw, error: j.refused }) });
        continue;
      }
      const s = seq++;
      // copy into a standalone buffer so it can be transferred (source chunks may be pooled)
      const own = new Uint8Array(j.raw.byteLength);
      own.set(j.raw);
      const result = new Promise<{ raw: Buffer } & ParseOutcome>((resolve, reject) => pending.set(s, { tag: j.tag, resolve, reject }));
      pool[s % workers].postMessage({ seq: s, raw: own }, [own.buffer]);
      queue.push({ tag: j.tag, result });
      while (queue.length >= window) {
        const head = queue.shift()!;
        yield { tag: head.tag, ...(await head.result) };
      }
    }
    while (queue.length) {
      const head = queue.shift()!;
      yield { tag: head.tag, ...(await head.result) };
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
