// `patchlore reindex`: re-derives what is computed from the stored messages, without going back to
// the source, after an analyzer changed. Three depths, each one loop over the stored messages
// (lib/db/tx.ts forEachStoredMessage) writing through the per-message writer (lib/db):
//   reindex           everything: parsed fields, body facts, patches, knowledge rows, search
//                     documents, then every cross-message pass over every thread (runPasses);
//   reindexKnowledge  the knowledge analyzers over the stored body (no re-parse), then the passes;
//   reindexSearch     only the search documents.
// Thread membership and parents (from References) are kept.
import type pg from "pg";
import type { Db } from "../db/client";
import { parseMail } from "../mail/parse";
import type { ParsedMail } from "../mail/types";
import { analyzeMessage, knowledgeOf, type MessageAnalysis } from "../analyze/message";
import { writePatches } from "../db/patches";
import { writeKnowledge } from "../db/knowledge";
import { mergeSearchIndex, settleSearchIndex, writeSearchDocs } from "../db/search-docs";
import { refreshThreads } from "../db/store";
import { forEachStoredMessage } from "../db/tx";
import { runPasses, type RunPassesResult } from "./index";

export interface ReindexProgress {
  done: number;
  total: number;
  phase: "messages" | "series";
}

interface Analyzed {
  id: number;
  parsed: ParsedMail;
  analysis: MessageAnalysis;
  ghost: boolean;
}

/** Parses and analyzes stored raw messages; one that no longer parses is counted, not fatal. */
async function analyzeStored(rows: { id: number; raw: Buffer; ghost: boolean }[], failed: { n: number }): Promise<Analyzed[]> {
  const out: Analyzed[] = [];
  for (const r of rows) {
    try {
      const parsed = await parseMail(r.raw);
      out.push({ id: r.id, parsed, analysis: analyzeMessage(parsed), ghost: r.ghost });
    } catch {
      failed.n++;
    }
  }
  return out;
}

async function rewriteMessages(tx: pg.PoolClient, analyzed: Analyzed[]): Promise<void> {
  await tx.query(
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
}

/** Everything again (see the file comment). */
export async function reindex(
  db: Db,
  opts: { batch?: number; onProgress?: (p: ReindexProgress) => void } = {},
): Promise<{ messages: number; failed: number; threads: number; passes: RunPassesResult["passes"] }> {
  const failed = { n: 0 };
  const messages = await forEachStoredMessage(db, {
    columns: "r.raw, m.ghost",
    batch: opts.batch,
    prepare: (rows: { id: number; raw: Buffer; ghost: boolean }[]) => analyzeStored(rows, failed),
    async write(tx, analyzed) {
      await rewriteMessages(tx, analyzed);
      await writePatches(tx, analyzed.map((a) => ({ messageId: a.id, analysis: a.analysis, replace: true })));
      await writeKnowledge(tx, analyzed.map((a) => ({ messageId: a.id, knowledge: a.analysis.knowledge, replace: true })));
      await writeSearchDocs(tx, analyzed.filter((a) => !a.ghost).map((a) => ({ messageId: a.id, parsed: a.parsed, analysis: a.analysis, replace: true })));
      const { rows: threads } = await tx.query(
        `SELECT DISTINCT thread_id FROM message WHERE id = ANY($1::bigint[]) AND thread_id IS NOT NULL`,
        [analyzed.map((a) => a.id)],
      );
      // marks them dirty: the thread passes run over every one
      await refreshThreads(tx, threads.map((t) => t.thread_id));
    },
    committed: () => mergeSearchIndex(db),
    onProgress: (done, total) => opts.onProgress?.({ done, total, phase: "messages" }),
  });
  const r = await runPasses(db, { all: true }, { onThreads: (d, left) => opts.onProgress?.({ done: d, total: d + left, phase: "series" }) });
  return { messages, failed: failed.n, threads: r.threads, passes: r.passes };
}

/**
 * `patchlore reindex --knowledge`: lib/knowledge again over every stored message (the row's
 * subject, sender and body: no re-parsing), replacing the rows a batch at a time (curated ideas and
 * decisions kept), then the passes over everything (knowledge links, and what reads them).
 */
export async function reindexKnowledge(
  db: Db,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ messages: number; ideas: number; decisions: number; benchmarks: number; robotReports: number }> {
  type Row = { id: number; subject: string; from_name: string; from_address: string; body: string; is_reply: boolean; in_reply_to: string | null };
  const messages = await forEachStoredMessage(db, {
    columns: "m.subject, m.from_name, m.from_address, m.body, m.is_reply, m.in_reply_to",
    where: "m.content_hash IS NOT NULL",
    batch: opts.batch ?? 1000,
    prepare: (rows: Row[]) =>
      rows.map((r) => ({
        messageId: r.id,
        knowledge: knowledgeOf({ subject: r.subject, from: { name: r.from_name, address: r.from_address }, text: r.body, isReply: r.is_reply, inReplyTo: r.in_reply_to }),
        replace: true,
      })),
    write: (tx, writes) => writeKnowledge(tx, writes),
    onProgress: opts.onProgress,
  });
  await runPasses(db, { all: true });
  const { rows: [c] } = await db.pool.query(
    `SELECT (SELECT count(*) FROM idea) AS ideas, (SELECT count(*) FROM decision) AS decisions,
            (SELECT count(*) FROM benchmark) AS benchmarks, (SELECT count(*) FROM robot_report) AS robot_reports`,
  );
  return { messages, ideas: c.ideas, decisions: c.decisions, benchmarks: c.benchmarks, robotReports: c.robot_reports };
}

/**
 * `patchlore reindex --search`: every search document again from the stored raw messages (after
 * the search analyzers changed, or on a database ingested before the search index existed). The
 * rest of the database is left alone.
 */
export async function reindexSearch(
  db: Db,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ messages: number; failed: number }> {
  const failed = { n: 0 };
  const messages = await forEachStoredMessage(db, {
    columns: "r.raw, m.ghost",
    where: "NOT m.ghost",
    batch: opts.batch,
    prepare: (rows: { id: number; raw: Buffer; ghost: boolean }[]) => analyzeStored(rows, failed),
    write: (tx, analyzed) => writeSearchDocs(tx, analyzed.map((a) => ({ messageId: a.id, parsed: a.parsed, analysis: a.analysis, replace: true }))),
    committed: () => mergeSearchIndex(db),
    onProgress: opts.onProgress,
  });
  await settleSearchIndex(db);
  return { messages, failed: failed.n };
}
