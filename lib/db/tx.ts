// Transactions, the store lock, and the one loop over stored messages that every re-derivation
// (reindex, reindex --knowledge, reindex --search) runs.
import type pg from "pg";
import type { Db } from "./client";

/**
 * Serializes writers: two ingesters (or an ingester and a reindex) on one database take turns
 * batch by batch, and a cross-message pass reads a stable set of messages.
 */
export const STORE_LOCK = 0x70a7c410;

/** Anything that runs a query: the pool, a client inside a transaction, or a wrapper of one. */
export type Queryable = { query(text: string, values?: unknown[]): Promise<pg.QueryResult> };

/**
 * Runs `fn` in one transaction on a client of the pool: COMMIT when it returns, ROLLBACK when it
 * throws (the error goes on). `lock`: take the store lock first (writers of derived rows).
 */
export async function transaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>, o: { lock?: boolean } = {}): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    if (o.lock) await client.query("SELECT pg_advisory_xact_lock($1)", [STORE_LOCK]);
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export interface StoredMessageLoop<R, P> {
  /** the columns to read, over `message m` joined with `raw_message r` (r.raw, m.ghost, m.body ...); m.id AS id is always read */
  columns: string;
  /** which messages (SQL over m and r); default: all */
  where?: string;
  /** messages per transaction (default 500) */
  batch?: number;
  /** outside the transaction: parse, analyze (CPU work that must not hold the lock) */
  prepare: (rows: R[]) => Promise<P> | P;
  /** inside the transaction, under the store lock: write what prepare made */
  write: (tx: pg.PoolClient, prepared: P, rows: R[]) => Promise<void>;
  /** after each commit */
  committed?: () => void;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads the stored messages in id order, a batch at a time: prepare outside the transaction,
 * write in one transaction per batch under the store lock (so a crash keeps the batches done, and
 * an ingester running meanwhile takes turns). Returns the messages read.
 */
export async function forEachStoredMessage<R extends { id: number }, P>(db: Db, loop: StoredMessageLoop<R, P>): Promise<number> {
  const batch = loop.batch ?? 500;
  const where = loop.where ? `AND (${loop.where})` : "";
  const from = `message m JOIN raw_message r ON r.message_id = m.id`;
  const { rows: [{ n: total }] } = await db.pool.query(`SELECT count(*)::int AS n FROM ${from} WHERE TRUE ${where}`);
  let last = 0;
  let done = 0;
  for (;;) {
    const { rows } = await db.pool.query<R>(
      `SELECT m.id, ${loop.columns} FROM ${from} WHERE m.id > $1 ${where} ORDER BY m.id LIMIT $2`,
      [last, batch],
    );
    if (!rows.length) break;
    last = rows[rows.length - 1].id;
    const prepared = await loop.prepare(rows);
    await transaction(db.pool, (tx) => loop.write(tx, prepared, rows), { lock: true });
    loop.committed?.();
    done += rows.length;
    loop.onProgress?.(done, total);
  }
  return done;
}
