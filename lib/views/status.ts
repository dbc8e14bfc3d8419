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

/**
 * Each patch's status (by message id), by the same rule: its decisions are those that name it
 * (patch_message_id), those on its series that name no patch, and those in its thread that name
 * neither; merged when it is upstream; superseded when a later version of its series was posted.
 */
export async function patchStatuses(db: Db, messageIds: number[]): Promise<Map<number, StatusResult>> {
  const out = new Map<number, StatusResult>();
  if (!messageIds.length) return out;
  const [{ rows: patches }, { rows: decisions }, { rows: [{ as_of: asOf }] }] = await Promise.all([
    db.pool.query(
      `SELECT m.id, m.date, m.thread_id, own.series_id,
              (SELECT max(t.date) FROM message t WHERE t.thread_id = m.thread_id AND NOT t.ghost AND t.date <= now() + interval '1 day') AS last_activity,
              EXISTS (SELECT 1 FROM series s JOIN series s2 ON s2.version_line_id = s.version_line_id AND s2.version > s.version
                      WHERE s.id = own.series_id) AS later_version,
              EXISTS (SELECT 1 FROM patch_commit pc WHERE pc.message_id = m.id AND (pc.method <> 'fuzzy' OR pc.score >= 0.8)) AS merged
       FROM message m
       LEFT JOIN LATERAL (SELECT sp.series_id FROM series_patch sp JOIN series s ON s.id = sp.series_id
                          WHERE sp.message_id = m.id AND sp.index > 0 ORDER BY sp.inherited, s.date NULLS LAST, s.id LIMIT 1) own ON TRUE
       WHERE m.id = ANY($1::bigint[])`,
      [messageIds],
    ),
    db.pool.query(
      `SELECT p.id AS for_patch, d.kind, d.series_id, d.message_id, dm.thread_id, COALESCE(dm.date, d.curated_at) AS date
       FROM message p JOIN decision d ON d.status <> 'rejected' LEFT JOIN message dm ON dm.id = d.message_id
       WHERE p.id = ANY($1::bigint[]) AND (d.patch_message_id = p.id
         OR (d.patch_message_id IS NULL AND d.series_id IN (SELECT sp.series_id FROM series_patch sp WHERE sp.message_id = p.id))
         OR (d.patch_message_id IS NULL AND d.series_id IS NULL AND dm.thread_id = p.thread_id))
       ORDER BY d.id`,
      [messageIds],
    ),
    db.pool.query(AS_OF_SQL),
  ]);
  const byPatch = new Map<number, StatusDecision[]>();
  for (const d of decisions) (byPatch.get(Number(d.for_patch)) ?? byPatch.set(Number(d.for_patch), []).get(Number(d.for_patch))!).push(d);
  for (const p of patches) {
    const id = Number(p.id);
    // one posting: the patch (decisions naming its series count for it, posted or carried)
    const postingId = p.series_id ?? -1;
    const ds = (byPatch.get(id) ?? []).map((d) => ({ ...d, series_id: d.series_id === null ? null : postingId }));
    out.set(
      id,
      workStatus({
        postings: [{ id: postingId, date: p.date ? p.date.toISOString() : null, threadIds: p.thread_id === null ? [] : [p.thread_id] }],
        decisions: ds,
        merged: p.merged,
        laterVersion: p.later_version,
        lastActivity: p.last_activity,
        asOf,
      }),
    );
  }
  return out;
}
