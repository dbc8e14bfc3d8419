// Loading for the review pass: the patch texts a diff's line numbers index (patchTexts, re-read as
// the ingester read them), and the messages and series of the threads to review.
import type { Queryable } from "../../db/tx";
import { parseMail } from "../../mail/parse";
import type { ParsedDiff } from "../../patch/diff";
import { splitPatchMail } from "../../patch/split";

// ---------------------------------------------------------------------------------------------
// the patch text a diff's line numbers index

export interface PatchText {
  /** the text the diff was parsed from: the body, or the attachment holding the patch */
  body: string;
  diff: ParsedDiff;
}

export interface PatchTextRow {
  id: number;
  subject: string;
  body: string;
  /** patch.kind: patch | attachment (inline diffs in replies are not reviewed as patches) */
  patch_kind: string | null;
}

/**
 * The patches' texts and diffs, re-read the way the ingester read them (lib/patch splitPatchMail):
 * from the body, or for a patch in an attachment from the stored raw message.
 */
export async function patchTexts(db: Queryable, rows: PatchTextRow[]): Promise<Map<number, PatchText>> {
  const out = new Map<number, PatchText>();
  const attached = rows.filter((r) => r.patch_kind === "attachment").map((r) => r.id);
  const raws = new Map<number, Buffer>();
  if (attached.length) {
    const { rows: rr } = await db.query(`SELECT message_id, raw FROM raw_message WHERE message_id = ANY($1::bigint[])`, [attached]);
    for (const r of rr) raws.set(r.message_id, r.raw);
  }
  for (const r of rows) {
    if (r.patch_kind !== "patch" && r.patch_kind !== "attachment") continue;
    if (r.patch_kind === "attachment") {
      const raw = raws.get(r.id);
      if (!raw) continue;
      try {
        const parsed = await parseMail(raw);
        const atts = parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, text: a.text }));
        const split = splitPatchMail({ subject: parsed.subject, body: parsed.text, attachments: atts });
        if (!split.diff?.files.length) continue;
        const text = split.source.part === "attachment" ? atts[split.source.index]?.text : parsed.text;
        if (typeof text === "string") out.set(r.id, { body: text, diff: split.diff });
      } catch {
        // an unreadable raw message: the patch is left out of the review pass
      }
      continue;
    }
    const split = splitPatchMail({ subject: r.subject, body: r.body });
    if (split.diff?.files.length && split.source.part === "body") out.set(r.id, { body: r.body, diff: split.diff });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// loading

export interface MsgRow extends PatchTextRow {
  msgid: string;
  thread_id: number;
  in_reply_to: string | null;
  references: string[];
  from_name: string;
  from_address: string;
  date: Date | null;
  patch_id: string | null;
  patch_version: number | null;
}

export interface SeriesRow {
  id: number;
  cover: string | null;
  cover_thread: number | null;
  version_line_id: number | null;
  patches: string[];
  patch_threads: number[];
}

/** Threads with something to review: a patch (submitted, or rebuilt from quotes) or a series' cover letter. */
export async function reviewableThreads(client: Queryable, threadIds: number[]): Promise<number[]> {
  const { rows } = await client.query(
    `SELECT m.thread_id FROM message m JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment')
     WHERE m.thread_id = ANY($1::int[]) AND (NOT m.ghost OR m.body <> '')
     UNION SELECT c.thread_id FROM series s JOIN message c ON c.id = s.cover_id WHERE c.thread_id = ANY($1::int[])`,
    [threadIds],
  );
  return rows.map((r) => r.thread_id as number);
}

export async function loadMessages(client: Queryable, threadIds: number[]): Promise<MsgRow[]> {
  // ("references" as JSON: read by JSON.parse, many times faster than pg's array parser)
  const { rows } = await client.query(
    `SELECT m.id, m.msgid, m.thread_id, m.in_reply_to, to_json(m."references") AS "references", m.subject, m.from_name, m.from_address, m.date, m.body,
            p.kind AS patch_kind, p.patch_id, p.version AS patch_version
     FROM message m LEFT JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment')
     WHERE m.thread_id = ANY($1::int[]) AND (NOT m.ghost OR m.body <> '')
     ORDER BY m.thread_id, m.date NULLS LAST, m.id`,
    [threadIds],
  );
  return rows;
}

export async function loadSeries(client: Queryable, threadIds: number[]): Promise<SeriesRow[]> {
  const { rows } = await client.query(
    `SELECT s.id, c.msgid AS cover, c.thread_id AS cover_thread, s.version_line_id,
            ARRAY(SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id
                  WHERE sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited ORDER BY sp.index, m.date) AS patches,
            ARRAY(SELECT m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id
                  WHERE sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited ORDER BY sp.index, m.date) AS patch_threads
     FROM series s LEFT JOIN message c ON c.id = s.cover_id
     WHERE s.id IN (SELECT sp.series_id FROM series_patch sp JOIN message m ON m.id = sp.message_id
                    WHERE m.thread_id = ANY($1::int[]) AND NOT sp.inherited)`,
    [threadIds],
  );
  return rows;
}
