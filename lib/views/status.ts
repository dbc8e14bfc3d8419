// The status of series postings as pages and the API read it: lib/knowledge/status workStatus (the
// rule the proposals pass uses for proposals) over each posting's own decisions, its upstream
// commits, the next version of its line and its last activity against the archive's newest message.
import type { Db } from "../db/client";
import { AS_OF_SQL, workStatus, type StatusDecision, type StatusResult } from "../knowledge/status";

/**
 * Each series' status (by series id). A posting's decisions: those that name it (series_id), and
 * those in its threads that name no series; "superseded" when a later version of its line was
 * posted and no decision was made on it; merged when one of its patches is upstream (the rule the
 * proposals pass uses).
 */
export async function seriesStatuses(db: Db, seriesIds: number[]): Promise<Map<number, StatusResult>> {
  const out = new Map<number, StatusResult>();
  if (!seriesIds.length) return out;
  const [{ rows: series }, { rows: decisions }, { rows: [{ as_of: asOf }] }] = await Promise.all([
    db.pool.query(
      `SELECT s.id, s.date,
              ARRAY(SELECT DISTINCT m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id
                    WHERE sp.series_id = s.id AND m.thread_id IS NOT NULL) AS threads,
              (SELECT max(m.date) FROM message m WHERE NOT m.ghost AND m.date <= now() + interval '1 day' AND m.thread_id IN
                 (SELECT m2.thread_id FROM series_patch sp JOIN message m2 ON m2.id = sp.message_id WHERE sp.series_id = s.id)) AS last_activity,
              EXISTS (SELECT 1 FROM series s2 WHERE s.version_line_id IS NOT NULL AND s2.version_line_id = s.version_line_id
                        AND s2.version > s.version) AS later_version,
              EXISTS (SELECT 1 FROM series_patch sp JOIN patch_commit pc ON pc.message_id = sp.message_id
                      WHERE sp.series_id = s.id AND (pc.method <> 'fuzzy' OR pc.score >= 0.8)) AS merged
       FROM series s WHERE s.id = ANY($1::int[])`,
      [seriesIds],
    ),
    db.pool.query(
      `SELECT s.id AS for_series, d.kind, d.series_id, d.message_id, m.thread_id, COALESCE(m.date, d.curated_at) AS date
       FROM series s JOIN decision d ON d.status <> 'rejected' LEFT JOIN message m ON m.id = d.message_id
       WHERE s.id = ANY($1::int[]) AND (d.series_id = s.id OR (d.series_id IS NULL AND m.thread_id IN
         (SELECT m2.thread_id FROM series_patch sp JOIN message m2 ON m2.id = sp.message_id WHERE sp.series_id = s.id)))
       ORDER BY d.id`,
      [seriesIds],
    ),
    db.pool.query(AS_OF_SQL),
  ]);
  const bySeries = new Map<number, StatusDecision[]>();
  for (const d of decisions) (bySeries.get(d.for_series) ?? bySeries.set(d.for_series, []).get(d.for_series)!).push(d);
  for (const s of series) {
    out.set(
      s.id,
      workStatus({
        postings: [{ id: s.id, date: s.date ? s.date.toISOString() : null, threadIds: s.threads }],
        decisions: bySeries.get(s.id) ?? [],
        merged: s.merged,
        laterVersion: s.later_version,
        lastActivity: s.last_activity,
        asOf,
      }),
    );
  }
  return out;
}
