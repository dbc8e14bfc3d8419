// The cross-message pass for knowledge: which series and patch a decision decides, what a robot
// report reports on. Runs after the series pass (deriveDirtyThreads) for the threads an ingest
// touched, and for every row not linked yet (a run that stopped before this pass), so it is
// incremental and catches up by itself; `patchlore reindex` relinks everything.
//
//   decision      -> series_id, patch_message_id: the nearest message at or above the deciding
//                    message (parent_id: In-Reply-To / References) that is a patch or a cover
//                    letter of a series (series_patch); a decision on a cover letter that names
//                    "[n/N]" (b4's thank-you mails) decides that patch of the series
//   robot report  -> details.link: the patch/series it answers the same way, else the patch its
//                    "patch link:" names (build reports), else the patch that became the commit
//                    it names (patch_commit, filled by `commits import`)
//   benchmark     -> its series through its message (targetsOf, at query time)
//
// How each link was found is kept in details.link.method (self | in-reply-to | patch-link |
// commit | none; self: the deciding message is itself the patch or cover letter), with the depth
// of the walk (parent steps).
import type pg from "pg";
import { transaction } from "../db/tx";

export interface Target {
  /** the message the walk started from */
  messageId: number;
  /** the patch or cover letter found at or above it */
  targetId: number;
  /** how many parent steps up (0: the message itself is in the series) */
  depth: number;
  seriesId: number;
  /** the target's index in the series: 0 = cover letter */
  index: number;
}

/**
 * For each message, the nearest message at or above it in its thread (itself, its parent, …) that
 * is a patch or a cover letter, with the series it belongs to (a posting of its own rather than
 * one it was carried into by a partial reroll; the latest of several).
 */
export async function targetsOf(client: pg.PoolClient | pg.Pool, messageIds: number[]): Promise<Map<number, Target>> {
  const out = new Map<number, Target>();
  if (!messageIds.length) return out;
  const { rows } = await client.query(
    `WITH RECURSIVE walk(start, cur, depth) AS (
       SELECT id, id, 0 FROM unnest($1::bigint[]) AS u(id)
       UNION ALL
       SELECT w.start, m.parent_id, w.depth + 1
       FROM walk w JOIN message m ON m.id = w.cur
       WHERE m.parent_id IS NOT NULL AND w.depth < 64
         AND NOT EXISTS (SELECT 1 FROM series_patch sp WHERE sp.message_id = w.cur)
     )
     SELECT DISTINCT ON (w.start) w.start, w.cur, w.depth, sp.series_id, sp.index
     FROM walk w
     JOIN LATERAL (SELECT sp.series_id, sp.index FROM series_patch sp WHERE sp.message_id = w.cur
                   ORDER BY sp.inherited, sp.series_id DESC LIMIT 1) sp ON true
     ORDER BY w.start, w.depth`,
    [messageIds],
  );
  for (const r of rows) out.set(r.start, { messageId: r.start, targetId: r.cur, depth: r.depth, seriesId: r.series_id, index: r.index });
  return out;
}

export interface LinkSummary {
  threads: number;
  decisions: number;
  decisionsLinked: number;
  reports: number;
  reportsLinked: number;
}

/** Threads whose decisions or reports were written but never linked (new rows, or a run that stopped before linking). */
async function unlinkedThreads(client: pg.PoolClient | pg.Pool): Promise<number[]> {
  const { rows } = await client.query(
    `SELECT m.thread_id FROM decision d JOIN message m ON m.id = d.message_id WHERE NOT (d.details ? 'link') AND m.thread_id IS NOT NULL
     UNION
     SELECT m.thread_id FROM robot_report r JOIN message m ON m.id = r.message_id WHERE NOT (r.details ? 'link') AND m.thread_id IS NOT NULL`,
  );
  return rows.map((r) => r.thread_id as number);
}

/**
 * Links the decisions and robot reports of the given threads (and of every thread holding rows
 * not linked yet); `all` relinks every thread. A chunk of threads per transaction, under the
 * writer's lock (the series they read are stable meanwhile).
 */
export async function linkKnowledge(pool: pg.Pool, opts: { threadIds?: number[]; all?: boolean; chunk?: number } = {}): Promise<LinkSummary> {
  const sum: LinkSummary = { threads: 0, decisions: 0, decisionsLinked: 0, reports: 0, reportsLinked: 0 };
  let threads: number[];
  if (opts.all) {
    const { rows } = await pool.query(
      `SELECT DISTINCT m.thread_id FROM decision d JOIN message m ON m.id = d.message_id WHERE m.thread_id IS NOT NULL
       UNION SELECT DISTINCT m.thread_id FROM robot_report r JOIN message m ON m.id = r.message_id WHERE m.thread_id IS NOT NULL`,
    );
    threads = rows.map((r) => r.thread_id as number);
  } else {
    threads = [...new Set([...(opts.threadIds ?? []), ...(await unlinkedThreads(pool))])];
  }
  threads.sort((a, b) => a - b);
  const chunk = opts.chunk ?? 500;
  for (let i = 0; i < threads.length; i += chunk) {
    const ids = threads.slice(i, i + chunk);
    const r = await transaction(pool, (tx) => linkThreads(tx, ids), { lock: true });
    sum.threads += ids.length;
    sum.decisions += r.decisions;
    sum.decisionsLinked += r.decisionsLinked;
    sum.reports += r.reports;
    sum.reportsLinked += r.reportsLinked;
  }
  return sum;
}

interface DecisionRow {
  id: number;
  message_id: number;
  patch_index: number | null;
}

interface ReportRow {
  message_id: number;
  parent_id: number | null;
  commit: string | null;
  patch_msgid: string | null;
}

async function linkThreads(client: pg.PoolClient, threadIds: number[]): Promise<Omit<LinkSummary, "threads">> {
  const { rows: decisions } = await client.query<DecisionRow>(
    `SELECT d.id, d.message_id, (d.details->'patch'->>'index')::float8 AS patch_index
     FROM decision d JOIN message m ON m.id = d.message_id WHERE m.thread_id = ANY($1::int[])`,
    [threadIds],
  );
  const { rows: reports } = await client.query<ReportRow>(
    `SELECT r.message_id, m.parent_id, r.commit, r.details->>'patchMsgid' AS patch_msgid
     FROM robot_report r JOIN message m ON m.id = r.message_id WHERE m.thread_id = ANY($1::int[])`,
    [threadIds],
  );
  const targets = await targetsOf(client, [...new Set(decisions.map((d) => d.message_id))]);
  // a report answers the patch above it; it may be a patch itself (the robot's "[PATCH] fix …
  // warnings" follow-ups are in series of their own), so the walk starts at its parent
  const parents = await targetsOf(client, [...new Set(reports.map((r) => r.parent_id).filter((x): x is number => x !== null))]);
  const reportTarget = (r: ReportRow) => (r.parent_id !== null ? parents.get(r.parent_id) : undefined);

  // ---- decisions
  // a decision on a cover letter naming "[n/N]" decides patch n of that series
  const byIndex = new Map<string, number>();
  const wanted = decisions
    .map((d) => ({ d, t: targets.get(d.message_id) }))
    .filter(({ d, t }) => t && t.index === 0 && d.patch_index !== null);
  if (wanted.length) {
    const { rows } = await client.query(
      `SELECT sp.series_id, sp.index, sp.message_id FROM series_patch sp
       WHERE sp.series_id = ANY($1::int[]) AND sp.index > 0 ORDER BY sp.inherited DESC`,
      [[...new Set(wanted.map((w) => w.t!.seriesId))]],
    );
    for (const r of rows) byIndex.set(`${r.series_id}/${r.index}`, r.message_id);
  }
  const drows = decisions.map((d) => {
    const t = targets.get(d.message_id);
    if (!t) return { id: d.id, series_id: null, patch_message_id: null, link: { method: "none" } };
    const method = t.depth === 0 ? "self" : "in-reply-to";
    if (t.index > 0) return { id: d.id, series_id: t.seriesId, patch_message_id: t.targetId, link: { method, depth: t.depth, target: t.targetId } };
    const p = d.patch_index !== null ? byIndex.get(`${t.seriesId}/${d.patch_index}`) : undefined;
    return {
      id: d.id, series_id: t.seriesId, patch_message_id: p ?? null,
      link: { method, depth: t.depth, target: t.targetId, ...(p ? { patchIndex: d.patch_index } : {}) },
    };
  });
  if (drows.length) {
    await client.query(
      `UPDATE decision d SET series_id = x.series_id, patch_message_id = x.patch_message_id,
         details = d.details || jsonb_build_object('link', x.link)
       FROM json_to_recordset($1::json) AS x(id bigint, series_id int, patch_message_id bigint, link jsonb)
       WHERE d.id = x.id`,
      [JSON.stringify(drows)],
    );
  }

  // ---- robot reports
  // the patch a build report names ("patch link: https://lore.kernel.org/r/<msgid>"), when it is stored
  const linkIds = new Map<string, number>();
  const msgids = [...new Set(reports.filter((r) => !reportTarget(r) && r.patch_msgid).map((r) => r.patch_msgid!))];
  if (msgids.length) {
    const { rows } = await client.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [msgids]);
    for (const r of rows) linkIds.set(r.msgid, r.id);
  }
  const linked = await targetsOf(client, [...linkIds.values()]);
  // the patch that became the commit it names (upstream commits matched to patches: patch_commit)
  const commits = [...new Set(reports.filter((r) => !reportTarget(r) && r.commit && r.commit.length >= 7).map((r) => r.commit!.toLowerCase()))];
  const byCommit = new Map<string, { messageId: number; sha: string }>();
  if (commits.length) {
    const { rows } = await client.query(
      `SELECT DISTINCT ON (c.prefix) c.prefix, pc.message_id, pc.sha
       FROM unnest($1::text[]) AS c(prefix) JOIN patch_commit pc ON pc.sha LIKE c.prefix || '%'
       ORDER BY c.prefix, pc.score DESC`,
      [commits],
    );
    for (const r of rows) byCommit.set(r.prefix, { messageId: r.message_id, sha: r.sha });
  }
  const byCommitTargets = await targetsOf(client, [...new Set([...byCommit.values()].map((c) => c.messageId))]);
  const rrows = reports.map((r) => {
    const t = reportTarget(r);
    if (t) return { message_id: r.message_id, link: linkOf("in-reply-to", { ...t, depth: t.depth + 1 }) };
    const lid = r.patch_msgid ? linkIds.get(r.patch_msgid) : undefined;
    const lt = lid !== undefined ? linked.get(lid) : undefined;
    if (lt) return { message_id: r.message_id, link: linkOf("patch-link", lt) };
    const c = r.commit ? byCommit.get(r.commit.toLowerCase()) : undefined;
    if (c) {
      const ct = byCommitTargets.get(c.messageId);
      return { message_id: r.message_id, link: { method: "commit", sha: c.sha, patchMessageId: c.messageId, seriesId: ct?.seriesId ?? null } };
    }
    return { message_id: r.message_id, link: { method: "none" } };
  });
  if (rrows.length) {
    await client.query(
      `UPDATE robot_report r SET details = r.details || jsonb_build_object('link', x.link)
       FROM json_to_recordset($1::json) AS x(message_id bigint, link jsonb) WHERE r.message_id = x.message_id`,
      [JSON.stringify(rrows)],
    );
  }
  return {
    decisions: drows.length,
    decisionsLinked: drows.filter((d) => d.series_id !== null).length,
    reports: rrows.length,
    reportsLinked: rrows.filter((r) => r.link.method !== "none").length,
  };
}

/** A report answering a cover letter reports on the series; answering a patch, on that patch. */
function linkOf(method: string, t: Target) {
  return { method, depth: t.depth, seriesId: t.seriesId, patchMessageId: t.index > 0 ? t.targetId : null, target: t.targetId };
}
