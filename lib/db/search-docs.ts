// Writes the search documents (lib/search/document.ts) of stored messages: one search_doc row
// per message, its two tsvectors sent in PostgreSQL's binary format through COPY (no text to
// parse, no per-row statements), inside the batch's transaction. The GIN indexes on the vectors
// and the btree on search_doc.date answer every search (lib/search/compile.ts).
//
// Keeping ingest fast (measured in the README):
//   - the documents are built while PostgreSQL writes the batch's other rows: storeInTransaction
//     starts prepareSearchDocs before its first statement, and the builder runs in slices between
//     the statements' round trips, when the ingester would otherwise wait;
//   - GIN maintenance, most of the index's cost, leaves the batch's path: a new document goes to
//     the GIN "pending list" (fastupdate, 32 MB per index, set in the migration), which searches
//     read as part of the index, and after each commit mergeSearchIndex moves the pending list into
//     the index on a second connection, on the core the ingester leaves idle. A batch only merges
//     inline when the merger is not running and the list is over its limit. Whatever is still
//     pending when the ingester exits is merged by the next ingester or by autovacuum; searches
//     see it either way.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ParsedMail } from "../mail/types";
import type { MessageAnalysis } from "../analyze/message";
import { buildSearchDocument } from "../search/document";
import type { Db } from "./client";

export interface SearchDocWrite {
  messageId: number;
  parsed: ParsedMail;
  analysis: MessageAnalysis;
  /** the message may have a document already (a filled ghost, a reindex): replace it */
  replace?: boolean;
}

/** microseconds between the Unix epoch and PostgreSQL's (2000-01-01) */
const PG_EPOCH_US = 946_684_800_000_000n;
const COPY_HEADER = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

function timestampField(iso: string | null): Buffer {
  const t = iso === null ? NaN : Date.parse(iso);
  if (!Number.isFinite(t)) return Buffer.from([0xff, 0xff, 0xff, 0xff]); // NULL
  const b = Buffer.alloc(12);
  b.writeInt32BE(8, 0);
  b.writeBigInt64BE(BigInt(t) * 1000n - PG_EPOCH_US, 4);
  return b;
}

/** One COPY (FORMAT binary) row: message_id, date, received, head_tsv, body_tsv. */
function copyRow(w: SearchDocWrite): Buffer {
  const doc = buildSearchDocument(w.parsed, w.analysis);
  const row = Buffer.alloc(2 + 4 + 8);
  row.writeInt16BE(5, 0);
  row.writeInt32BE(8, 2);
  row.writeBigInt64BE(BigInt(w.messageId), 6);
  const hl = Buffer.alloc(4);
  hl.writeInt32BE(doc.head.length, 0);
  const bl = Buffer.alloc(4);
  bl.writeInt32BE(doc.body.length, 0);
  return Buffer.concat([row, timestampField(w.parsed.date), timestampField(doc.received), hl, doc.head, bl, doc.body]);
}

/** Documents being built (prepareSearchDocs); never rejects: a failure is rethrown by writeSearchDocs. */
export interface PreparedSearchDocs {
  readonly writes: SearchDocWrite[];
  readonly rows: Promise<{ rows: Buffer[] } | { error: unknown }>;
}

/** documents built per slice before yielding to the event loop */
const SLICE = 16;

/**
 * Starts building the documents of these messages in slices, yielding to the event loop between
 * slices, so the work fills the time the caller spends waiting on PostgreSQL.
 */
export function prepareSearchDocs(writes: SearchDocWrite[]): PreparedSearchDocs {
  const rows = (async () => {
    const out: Buffer[] = [];
    try {
      for (let i = 0; i < writes.length; i += SLICE) {
        if (i > 0) await new Promise((r) => setImmediate(r));
        for (const w of writes.slice(i, i + SLICE)) out.push(copyRow(w));
      }
      return { rows: out };
    } catch (error) {
      return { error };
    }
  })();
  return { writes, rows };
}

/**
 * Writes (or rewrites, with `replace`) the search documents of these messages. Pass only
 * messages that are in the archive: a reconstructed ghost (rebuilt from quotes) gets none, its
 * text is searchable as the quoted text of the messages that quote it.
 */
export async function writeSearchDocs(client: pg.PoolClient, docs: SearchDocWrite[] | PreparedSearchDocs): Promise<void> {
  const prepared = Array.isArray(docs) ? prepareSearchDocs(docs) : docs;
  const replaced = prepared.writes.filter((w) => w.replace).map((w) => w.messageId);
  if (replaced.length) await client.query(`DELETE FROM search_doc WHERE message_id = ANY($1::bigint[])`, [replaced]);
  const built = await prepared.rows;
  if ("error" in built) throw built.error;
  if (!built.rows.length) return;
  const stream = client.query(copyFrom(`COPY search_doc (message_id, date, received, head_tsv, body_tsv) FROM STDIN (FORMAT binary)`));
  await pipeline(Readable.from([Buffer.concat([COPY_HEADER, ...built.rows, COPY_TRAILER])]), stream);
}

// ---------------------------------------------------------------------------------------------
// The background merge of the GIN pending lists

const SEARCH_GIN_INDEXES = ["search_doc_head_tsv_idx", "search_doc_body_tsv_idx"];

interface MergeState {
  running: Promise<void> | null;
  /** a commit happened since the running merge started: merge again when it ends */
  again: boolean;
  /** the database refused (e.g. the role does not own the index): stop trying */
  off: boolean;
}

const merges = new WeakMap<pg.Pool, MergeState>();

/**
 * Asks for the search index's pending entries to be merged into its GIN indexes, on a
 * connection of its own, without waiting: called after each batch commits. One merge runs at a
 * time per pool; commits during a merge make it run once more.
 */
export function mergeSearchIndex(db: Db): void {
  let st = merges.get(db.pool);
  if (!st) merges.set(db.pool, (st = { running: null, again: false, off: false }));
  if (st.off) return;
  if (st.running) {
    st.again = true;
    return;
  }
  const state = st;
  state.running = (async () => {
    do {
      state.again = false;
      let client: pg.PoolClient;
      try {
        client = await db.pool.connect();
      } catch {
        return; // the pool is closing: autovacuum or the next ingester merges the rest
      }
      try {
        for (const idx of SEARCH_GIN_INDEXES) await client.query(`SELECT gin_clean_pending_list($1::regclass)`, [idx]);
      } catch (e) {
        const code = (e as { code?: string }).code;
        // 42501: not the owner, 42P01: no such index (an old schema)
        if (code === "42501" || code === "42P01") state.off = true;
        state.again = false;
      } finally {
        client.release();
      }
    } while (state.again && !state.off);
  })().finally(() => {
    state.running = null;
  });
}

/** Waits for a running merge (and the one it may owe) to end. */
export async function settleSearchIndex(db: Db): Promise<void> {
  for (let st = merges.get(db.pool); st?.running; st = merges.get(db.pool)) await st.running;
}
