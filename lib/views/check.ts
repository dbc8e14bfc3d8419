// `patchlore check`: verifies that the derived tables agree with the messages they derive from.
// Used after crashes (kill -9 in the fault tests) and by anyone who doubts a database.
import type { Db } from "../db/client";

export interface CheckResult {
  ok: boolean;
  checks: { name: string; problems: number; examples: string[] }[];
}

const CHECKS: { name: string; sql: string }[] = [
  {
    name: "messages without a thread",
    sql: `SELECT msgid AS example FROM message WHERE NOT ghost AND thread_id IS NULL`,
  },
  {
    name: "messages without raw bytes",
    sql: `SELECT m.msgid AS example FROM message m LEFT JOIN raw_message r ON r.message_id = m.id
          WHERE NOT m.ghost AND m.recovery = 'raw' AND r.message_id IS NULL`,
  },
  {
    name: "messages in no list",
    sql: `SELECT m.msgid AS example FROM message m
          WHERE NOT m.ghost AND NOT EXISTS (SELECT 1 FROM list_message lm WHERE lm.message_id = m.id)
            AND NOT EXISTS (SELECT 1 FROM deletion d WHERE d.msgid = m.msgid)`,
  },
  {
    name: "ghosts nobody references",
    sql: `WITH referenced AS (SELECT DISTINCT unnest("references") AS msgid FROM message WHERE NOT ghost)
          SELECT g.msgid AS example FROM message g WHERE g.ghost AND g.recovery = 'raw'
            AND NOT EXISTS (SELECT 1 FROM referenced r WHERE r.msgid = g.msgid)`,
  },
  {
    name: "parent in another thread",
    sql: `SELECT m.msgid AS example FROM message m JOIN message p ON p.id = m.parent_id WHERE p.thread_id IS DISTINCT FROM m.thread_id`,
  },
  {
    name: "thread counts out of date",
    sql: `SELECT t.id::text AS example FROM thread t
          LEFT JOIN (SELECT thread_id, count(*) FILTER (WHERE NOT ghost) AS n, count(*) FILTER (WHERE ghost) AS g
                     FROM message GROUP BY thread_id) s ON s.thread_id = t.id
          WHERE t.message_count <> COALESCE(s.n, 0) OR t.ghost_count <> COALESCE(s.g, 0)`,
  },
  {
    name: "list thread rows out of date",
    sql: `WITH actual AS (
            SELECT lm.list_id, m.thread_id, count(*) AS n FROM message m JOIN list_message lm ON lm.message_id = m.id
            WHERE NOT m.ghost GROUP BY 1, 2)
          SELECT COALESCE(a.list_id, lt.list_id)::text || '/' || COALESCE(a.thread_id, lt.thread_id)::text AS example
          FROM actual a FULL JOIN list_thread lt ON lt.list_id = a.list_id AND lt.thread_id = a.thread_id
          WHERE a.n IS DISTINCT FROM lt.message_count`,
  },
  {
    name: "empty threads",
    sql: `SELECT t.id::text AS example FROM thread t WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.thread_id = t.id)`,
  },
  {
    name: "threads whose series are not derived yet (rerun ingest or reindex)",
    sql: `SELECT id::text AS example FROM thread WHERE dirty`,
  },
  {
    name: "series members outside the database",
    sql: `SELECT s.key AS example FROM series s WHERE NOT EXISTS (SELECT 1 FROM series_patch sp WHERE sp.series_id = s.id)`,
  },
  {
    // one walk down from the roots: a message it never reaches has a parent chain that loops
    name: "parent cycles",
    sql: `WITH RECURSIVE reach(id) AS (
            SELECT id FROM message WHERE parent_id IS NULL
            UNION
            SELECT m.id FROM message m JOIN reach r ON m.parent_id = r.id)
          SELECT m.msgid AS example FROM message m WHERE NOT EXISTS (SELECT 1 FROM reach r WHERE r.id = m.id)`,
  },
];

export async function checkDatabase(db: Db, examples = 5): Promise<CheckResult> {
  const checks: CheckResult["checks"] = [];
  for (const c of CHECKS) {
    const { rows } = await db.pool.query(`SELECT count(*) OVER () AS total, example FROM (${c.sql}) q LIMIT $1`, [examples]);
    checks.push({ name: c.name, problems: rows.length ? Number(rows[0].total) : 0, examples: rows.map((r) => String(r.example)) });
  }
  return { ok: checks.every((c) => c.problems === 0), checks };
}
