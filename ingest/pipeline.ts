// source ──raw bytes + provenance──▶ parse (worker threads) ──▶ batches ──▶ storeBatch (one
// transaction per batch, with the source cursor) ──▶ threading and thread summaries ──▶ the
// cross-message passes (lib/passes runPasses) over the threads touched.
import path from "node:path";
import type { Db } from "../lib/db/client";
import { ensureList, ensureSource, noteListId, slugifyListName } from "../lib/db/lists";
import { storeBatch, type BatchInput, type BatchResult, type IncomingMessage } from "../lib/db/store";
import { dirtyThreads, runPasses, type PassReport } from "../lib/passes/index";
import { parseInOrder, type ParseJob } from "./parse-pool";
import { openSource } from "./sources";
import type { SourceItem } from "./sources/types";

export interface IngestProgress {
  /** items read from the source so far */
  done: number;
  /** items the source holds (null when unknown) */
  total: number | null;
  stored: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  startedAt: number;
}

export interface IngestOptions {
  /** list to ingest into; default: the source's suggestion, else the file/dir name */
  list?: string;
  /** parser worker threads; 0 parses on the main thread */
  workers?: number;
  batchSize?: number;
  /** messages larger than this are skipped (reason "too-large"); bytes kept up to maxSkippedRawBytes */
  maxMessageBytes?: number;
  maxSkippedRawBytes?: number;
  onProgress?: (p: IngestProgress) => void;
  /** lore list URLs: take messages dated at or after this (later runs continue from the cursor) */
  since?: Date | string;
  /** progress of the thread passes (series, reviews) after the messages are stored */
  onDerive?: (done: number, left: number) => void;
  /** after each cross-message pass, with its time */
  onPass?: (p: PassReport) => void;
  signal?: AbortSignal;
}

export interface IngestSummary extends Omit<BatchResult, "threadsTouched"> {
  list: string;
  source: string;
  kind: string;
  read: number;
  seconds: number;
  threadsTouched: number;
  /** threads whose series and versions were derived after storing */
  threadsDerived: number;
  /** the source failed part-way: what was read before is stored, this says why it stopped */
  sourceError?: string;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const BATCH_BYTES = 24 * 1024 * 1024;

type Tag = { item: SourceItem };

async function* toJobs(items: AsyncIterable<SourceItem>, max: number): AsyncGenerator<ParseJob<Tag>> {
  for await (const item of items) {
    const size = ("size" in item && item.size !== undefined) ? item.size : item.raw.length;
    const refused = size > max
      ? { code: "too-large", message: `${size} bytes, over the limit of ${max} (--max-message-size)` }
      : undefined;
    yield { raw: item.raw, tag: { item }, refused };
  }
}

export async function ingestSource(db: Db, location: string, opts: IngestOptions = {}): Promise<IngestSummary> {
  const source = await openSource(location, opts.since !== undefined ? { since: opts.since } : {});
  const listName = opts.list ?? source.suggestedListName() ?? slugifyListName(path.basename(source.location).replace(/\.(git|mbox|gz|eml)$/g, ""));
  const list = await ensureList(db, listName);
  const src = await ensureSource(db, source.kind, source.location, list.id);
  const total = await source.count(src.state);
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const batchSize = opts.batchSize ?? 1000;
  const startedAt = Date.now();
  const sum: IngestSummary = {
    list: list.name, source: source.location, kind: source.kind, read: 0, seconds: 0,
    inserted: 0, filledGhosts: 0, unchanged: 0, duplicates: 0, skipped: 0, deleted: 0, threadsTouched: 0, threadsDerived: 0,
  };
  let listIdSeen = list.listId !== null;

  let batch: BatchInput & { messages: IncomingMessage[] } = { messages: [], skipped: [], deletions: [] };
  let batchBytes = 0;
  const cursor: Record<string, string> = {};
  const progress = () =>
    opts.onProgress?.({
      done: sum.read, total, stored: sum.inserted + sum.filledGhosts, unchanged: sum.unchanged,
      duplicates: sum.duplicates, skipped: sum.skipped, startedAt,
    });
  const ctx = { listId: list.id, sourceId: src.id, maxSkippedRawBytes: opts.maxSkippedRawBytes };
  const add = (r: BatchResult) => {
    sum.inserted += r.inserted;
    sum.filledGhosts += r.filledGhosts;
    sum.unchanged += r.unchanged;
    sum.duplicates += r.duplicates;
    sum.skipped += r.skipped;
    sum.deleted += r.deleted;
    sum.threadsTouched += r.threadsTouched;
  };
  /** A batch the database refuses is stored again one message at a time; a message that still
   * fails is recorded as skipped (reason store-error) and the run goes on. */
  const storeOneByOne = async (b: BatchInput & { messages: IncomingMessage[] }, cur: Record<string, string>, first: unknown) => {
    for (const m of b.messages) {
      try {
        add(await storeBatch(db, ctx, { messages: [m] }));
      } catch (e) {
        add(await storeBatch(db, ctx, {
          messages: [],
          skipped: [{ ref: m.ref, reason: "store-error", detail: String((e as Error)?.message ?? e), raw: m.raw, size: m.raw.length }],
        }).catch(() => {
          throw first; // the database itself is failing: stop, nothing committed past the last cursor
        }));
      }
    }
    add(await storeBatch(db, ctx, { messages: [], skipped: b.skipped, deletions: b.deletions, cursor: cur }));
  };
  const flush = async () => {
    if (!batch.messages.length && !batch.skipped!.length && !batch.deletions!.length && !Object.keys(cursor).length) return;
    const cur = { ...cursor };
    try {
      add(await storeBatch(db, ctx, { ...batch, cursor: cur }));
    } catch (e) {
      await storeOneByOne(batch, cur, e);
    }
    batch = { messages: [], skipped: [], deletions: [] };
    batchBytes = 0;
    for (const k of Object.keys(cursor)) delete cursor[k];
    progress();
  };

  const jobs = toJobs(source.items(src.state, opts.signal, { maxMessageBytes }), maxMessageBytes);
  try {
    for await (const out of parseInOrder(jobs, { workers: opts.workers })) {
      if (opts.signal?.aborted) break;
      const item = out.tag.item;
      sum.read++;
      if (item.cursor) cursor[item.cursor.key] = item.cursor.value;
      if (out.error) {
        const keep = out.error.code === "too-large" ? null : out.raw;
        batch.skipped!.push({ ref: item.ref, reason: out.error.code, detail: out.error.message, raw: keep, size: ("size" in item && item.size !== undefined) ? item.size : out.raw.length });
      } else if ("delete" in item) {
        batch.deletions!.push({ msgid: out.parsed.msgid, ref: item.ref });
      } else {
        batch.messages.push({
          parsed: out.parsed, analysis: out.analysis, raw: out.raw, ref: item.ref,
          recovery: item.recovery, reconstructed: item.reconstructed,
        });
        batchBytes += out.raw.length;
        if (!listIdSeen && out.parsed.listId) {
          await noteListId(db, list.id, out.parsed.listId);
          listIdSeen = true;
        }
      }
      if (batch.messages.length >= batchSize || batchBytes >= BATCH_BYTES) await flush();
    }
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    // the source broke mid-way (a truncated .gz, a git error): keep what was read, record why
    await flush();
    const detail = String((e as Error)?.message ?? e);
    add(await storeBatch(db, ctx, { messages: [], skipped: [{ ref: `${source.kind}:${source.location}#error@${sum.read}`, reason: "source-error", detail, raw: null, size: 0 }] }));
    sum.sourceError = detail;
  }
  await flush();
  // the cross-message passes (lib/passes) over the threads this run touched, and any a crashed run left
  const passes = await runPasses(db, { threadIds: await dirtyThreads(db) }, { onThreads: opts.onDerive, onPass: opts.onPass });
  sum.threadsDerived = passes.threads;
  sum.seconds = (Date.now() - startedAt) / 1000;
  return sum;
}
