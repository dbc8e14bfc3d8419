// `patchlore reindex`: re-derives everything computed from a message's bytes (parsed fields,
// body facts, patches, files, hunks, search documents) from the stored raw messages, without
// going back to the source, then re-derives series, version lines and reviews for every thread. Used
// after an analyzer changes. Thread membership and parents (from References) are kept.
import type { Db } from "./client";
import { parseMail } from "../mail/parse";
import { analyzeMessage } from "../analyze/message";
import { writePatches } from "./store-patches";
import { writeKnowledge } from "./knowledge";
import { linkKnowledge } from "./knowledge-link";
import { mergeSearchIndex, writeSearchDocs } from "./search-index";
import { deriveDirtyThreads } from "./series";
import { deriveProposals } from "./proposals";
import { derivePeople } from "./people";
import { STORE_LOCK, refreshThreads } from "./store";

export interface ReindexProgress {
  done: number;
  total: number;
  phase: "messages" | "series";
}

export async function reindex(db: Db, opts: { batch?: number; onProgress?: (p: ReindexProgress) => void } = {}): Promise<{ messages: number; failed: number; threads: number }> {
  const batch = opts.batch ?? 500;
  const { rows: [{ n: total }] } = await db.pool.query(`SELECT count(*) AS n FROM raw_message`);
  let last = 0;
  let done = 0;
  let failed = 0;
  for (;;) {
    const { rows } = await db.pool.query(
      `SELECT r.message_id AS id, r.raw, m.ghost FROM raw_message r JOIN message m ON m.id = r.message_id WHERE r.message_id > $1 ORDER BY r.message_id LIMIT $2`,
      [last, batch],
    );
    if (!rows.length) break;
    last = rows[rows.length - 1].id;
    const analyzed = [];
    for (const r of rows) {
      try {
        const parsed = await parseMail(r.raw);
        analyzed.push({ id: r.id as number, parsed, analysis: analyzeMessage(parsed), ghost: r.ghost as boolean });
      } catch {
        failed++;
      }
    }
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [STORE_LOCK]);
      await client.query(
        `UPDATE message m SET subject = x.subject, thread_subject = x.thread_subject, is_reply = x.is_reply, body = x.body,
           body_from_html = x.body_from_html, attachments = x.attachments, problems = x.problems, facts = x.facts, date = x.date,
           tz_offset = x.tz_offset
         FROM json_to_recordset($1::json) AS x(id bigint, subject text, thread_subject text, is_reply boolean, body text,
           body_from_html boolean, attachments jsonb, problems jsonb, facts jsonb, date timestamptz, tz_offset int)
         WHERE m.id = x.id`,
        [
          JSON.stringify(
            analyzed.map(({ id, parsed: p, analysis }) => ({
              id, subject: p.subject.replaceAll("\u0000", ""), thread_subject: p.threadSubject.replaceAll("\u0000", ""), is_reply: p.isReply,
              body: p.text.replaceAll("\u0000", ""), body_from_html: p.textFromHtml,
              attachments: p.attachments.map((a) => ({ ...a, text: undefined })), problems: p.problems, facts: analysis.facts,
              date: p.date, tz_offset: p.tzOffsetMinutes,
            })),
          ),
        ],
      );
      await writePatches(client, analyzed.map((a) => ({ messageId: a.id, analysis: a.analysis, replace: true })));
      await writeKnowledge(client, analyzed.map((a) => ({ messageId: a.id, knowledge: a.analysis.knowledge, replace: true })));
      await writeSearchDocs(client, analyzed.filter((a) => !a.ghost).map((a) => ({ messageId: a.id, parsed: a.parsed, analysis: a.analysis, replace: true })));
      const { rows: threads } = await client.query(
        `SELECT DISTINCT thread_id FROM message WHERE id = ANY($1::bigint[]) AND thread_id IS NOT NULL`,
        [analyzed.map((a) => a.id)],
      );
      await refreshThreads(client, threads.map((t) => t.thread_id));
      await client.query("COMMIT");
      mergeSearchIndex(db);
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
    done += rows.length;
    opts.onProgress?.({ done, total, phase: "messages" });
  }
  const threads = await deriveDirtyThreads(db.pool, {
    onProgress: (d, left) => opts.onProgress?.({ done: d, total: d + left, phase: "series" }),
  });
  // knowledge links: every decision and report was written again
  await linkKnowledge(db.pool, { all: true });
  // proposals from scratch: every series, version line and reference may have changed
  await deriveProposals(db.pool);
  // identities (person.canonical_id) and masked page senders (facts.sender was rewritten above)
  await derivePeople(db);
  return { messages: done, failed, threads };
}
