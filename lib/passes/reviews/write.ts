// Writing the review pass's rows: Serial (statements pipelined on one connection), the threads' old
// rows deleted (clearRows), a batch's rows inserted in one statement (insertRows).
import type pg from "pg";
import type { Queryable } from "../../db/tx";
import type { Rows } from "./analyze";
import { json } from "./json";

/**
 * Statements on one connection, one at a time, in the order they are asked for: a caller need not
 * wait for one before asking for the next (PostgreSQL works through them while this process goes
 * on). When the connection is idle a statement starts at once; else when the one before it ends.
 */
export class Serial implements Queryable {
  private queue: { text: string; values?: unknown[]; resolve: (r: pg.QueryResult) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  private all: Promise<pg.QueryResult>[] = [];
  constructor(private client: Queryable) {}
  query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    const p = new Promise<pg.QueryResult>((resolve, reject) => this.queue.push({ text, values, resolve, reject }));
    // (a failure is seen by whoever waits for it, or by done()/firstFailure())
    p.catch(() => {});
    this.all.push(p);
    this.pump();
    return p;
  }
  private pump(): void {
    if (this.busy) return;
    const next = this.queue.shift();
    if (!next) return;
    this.busy = true;
    this.client.query(next.text, next.values).then(
      (r) => {
        this.busy = false;
        this.pump();
        next.resolve(r);
      },
      (e) => {
        this.busy = false;
        this.pump();
        next.reject(e);
      },
    );
  }
  /** every statement asked for so far has succeeded (else the first failure is thrown) */
  async done(): Promise<void> {
    await Promise.all(this.all);
  }
  /** none is left running or waiting */
  async settled(): Promise<void> {
    await Promise.allSettled(this.all);
  }
  /** the error of the first statement that failed, if one did */
  async firstFailure(): Promise<unknown> {
    for (const r of await Promise.allSettled(this.all)) if (r.status === "rejected") return r.reason;
    return undefined;
  }
}

/** The rows of these threads deleted, in one statement (by message too: a message may have moved here from a merged thread). */
export function clearRows(sql: Queryable, threadIds: number[]): void {
  void sql.query(
    `WITH m AS MATERIALIZED (SELECT id FROM message WHERE thread_id = ANY($1::int[])),
       d AS (DELETE FROM discussion WHERE thread_id = ANY($1::int[]) OR patch_message_id = ANY(ARRAY(SELECT id FROM m))),
       c AS (DELETE FROM review_comment WHERE message_id = ANY(ARRAY(SELECT id FROM m))),
       r AS (DELETE FROM review WHERE thread_id = ANY($1::int[]) OR message_id = ANY(ARRAY(SELECT id FROM m))),
       t AS (DELETE FROM trailer WHERE thread_id = ANY($1::int[]) OR message_id = ANY(ARRAY(SELECT id FROM m))),
       -- applied rows of postings that no longer exist
       p AS (DELETE FROM patch_trailer pt WHERE pt.patch_message_id = ANY(ARRAY(SELECT id FROM m))
             AND NOT EXISTS (SELECT 1 FROM series s WHERE s.id = pt.series_id))
     SELECT 1`,
    [threadIds],
  );
}

/** The rows, inserted in one statement (foreign keys are checked at its end, when all are in). */
export function insertRows(sql: Queryable, rows: Rows): void {
  if (!rows.trailers.length && !rows.applied.length && !rows.reviews.length && !rows.discussions.length && !rows.comments.length) return;
  const ds = rows.discussions.map((d, i) => {
    const r = rows.resolutions[i];
    return { ...d, status: r.status, resolved_how: r.how, resolved_confidence: r.confidence, resolved_evidence: r.evidence, next_patch_message_id: r.next, carried_anchor: r.carried };
  });
  void sql.query(
    `WITH t AS (
       INSERT INTO trailer (id, message_id, thread_id, source, kind, key, value, person_name, person_address, person_id, "commit", url, comment, line, end_line, mismatch)
       SELECT x.id, x.message_id, x.thread_id, x.source, x.kind, x.key, x.value, x.person_name, x.person_address,
              (SELECT pe.id FROM person pe WHERE pe.address = x.person_address), x."commit", x.url, x.comment, x.line, x.end_line, x.mismatch
       FROM json_to_recordset($1::json) AS x(id bigint, message_id bigint, thread_id int, source text, kind text, key text, value text,
         person_name text, person_address text, "commit" text, url text, comment text, line int, end_line int, mismatch boolean)),
     a AS (
       INSERT INTO patch_trailer (series_id, patch_message_id, trailer_id, via)
       SELECT * FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING),
     r AS (
       INSERT INTO review (message_id, thread_id, patch_message_id, kind, verdict, verdict_line, verdict_text, comment_count, rejected)
       SELECT x.message_id, x.thread_id, x.patch_message_id, x.kind, x.verdict, x.verdict_line, x.verdict_text, x.comment_count, x.rejected
       FROM json_to_recordset($6::json) AS x(message_id bigint, thread_id int, patch_message_id bigint, kind text, verdict text,
         verdict_line int, verdict_text text, comment_count int, rejected jsonb)
       ON CONFLICT (message_id) DO UPDATE SET thread_id = excluded.thread_id, patch_message_id = excluded.patch_message_id, kind = excluded.kind,
         verdict = excluded.verdict, verdict_line = excluded.verdict_line, verdict_text = excluded.verdict_text,
         comment_count = excluded.comment_count, rejected = excluded.rejected),
     d AS (
       INSERT INTO discussion (id, thread_id, patch_message_id, part, anchor, file, hunk_index, line_number, side, heading, patch_line, first_date,
         status, resolved_how, resolved_confidence, resolved_evidence, next_patch_message_id, carried_anchor)
       SELECT x.id, x.thread_id, x.patch_message_id, x.part, x.anchor, x.file, x.hunk_index, x.line_number, x.side, x.heading, x.patch_line, x.first_date,
         x.status, x.resolved_how, x.resolved_confidence, x.resolved_evidence, x.next_patch_message_id, x.carried_anchor
       FROM json_to_recordset($7::json) AS x(id bigint, thread_id int, patch_message_id bigint, part text, anchor jsonb, file text,
         hunk_index int, line_number int, side text, heading text, patch_line int, first_date timestamptz,
         status text, resolved_how text, resolved_confidence float8, resolved_evidence text, next_patch_message_id bigint, carried_anchor jsonb)),
     c AS (
       INSERT INTO review_comment (id, discussion_id, message_id, position, first_line, last_line, text, method, confidence, in_reply_to_id, quote)
       SELECT x.id, x.discussion_id, x.message_id, x.position, x.first_line, x.last_line, x.text, x.method, x.confidence, x.in_reply_to_id,
         ARRAY(SELECT json_array_elements_text(x.quote))
       FROM json_to_recordset($8::json) AS x(id bigint, discussion_id bigint, message_id bigint, position int, first_line int, last_line int,
         text text, method text, confidence float8, in_reply_to_id bigint, quote json))
     SELECT 1`,
    [
      json(rows.trailers),
      rows.applied.map((a) => a.series_id), rows.applied.map((a) => a.patch_message_id), rows.applied.map((a) => a.trailer_id), rows.applied.map((a) => a.via),
      json(rows.reviews),
      json(ds),
      json(rows.comments),
    ],
  );
}
