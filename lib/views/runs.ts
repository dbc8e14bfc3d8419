// Stored runs as the API answers them and the proposal page plots them (written by lib/db/runs.ts).
import type { Db } from "../db/client";
import { publicUserName, type ImportResult, type ResolvedTarget } from "../db/runs";
import type { NormalizedRun } from "../runs/parse";

/** A stored run, as the API answers it and the plots read it. */
export interface RunRecord extends Omit<NormalizedRun, "target" | "document"> {
  id: number;
  proposalId: number | null;
  seriesId: number | null;
  seriesKey: string | null;
  patchMessageId: number | null;
  patchMsgid: string | null;
  sourceName: string | null;
  createdBy: { id: number; name: string } | null;
  createdAt: string;
}

const RUN_SELECT = `
  SELECT r.id, r.proposal_id, r.series_id, s.key AS series_key, r.patch_message_id, pm.msgid AS patch_msgid,
         r.tool, r.tool_version, r.label, r.parameters, r.metrics, r.series, r.attachments,
         r.document->>'description' AS description, r.document->>'date' AS date, r.document->>'machine' AS machine,
         r.source_name, r.created_by, u.name AS user_name, u.email AS user_email, r.created_at
    FROM run r
    LEFT JOIN series s ON s.id = r.series_id
    LEFT JOIN message pm ON pm.id = r.patch_message_id
    LEFT JOIN app_user u ON u.id = r.created_by`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toRecord(row: any): RunRecord {
  return {
    id: row.id,
    proposalId: row.proposal_id,
    seriesId: row.series_id,
    seriesKey: row.series_key,
    patchMessageId: row.patch_message_id,
    patchMsgid: row.patch_msgid,
    tool: row.tool,
    toolVersion: row.tool_version,
    label: row.label,
    description: row.description,
    date: row.date,
    machine: row.machine,
    parameters: row.parameters,
    metrics: row.metrics,
    series: row.series,
    attachments: row.attachments,
    sourceName: row.source_name,
    createdBy: row.created_by == null ? null : { id: row.created_by, name: publicUserName(row.user_name, row.user_email) },
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The runs with these ids (what an import just stored), in id order. */
export async function runsByIds(db: Pick<Db, "pool">, ids: readonly number[]): Promise<RunRecord[]> {
  return ids.length ? listRunsWhere(db, `r.id = ANY($1::int[])`, [[...ids]]) : [];
}

async function listRunsWhere(db: Pick<Db, "pool">, where: string, params: unknown[], limit = 10_000): Promise<RunRecord[]> {
  const { rows } = await db.pool.query(`${RUN_SELECT} WHERE ${where} ORDER BY r.id LIMIT ${Math.max(1, Math.min(Math.floor(limit), 10_000))}`, params);
  return rows.map(toRecord);
}

/**
 * Runs attached to any of: the proposal, the series, the patches (an OR of the filters given).
 * With no filter at all: every run (newest last), at most `limit`.
 */
export async function listRuns(
  db: Pick<Db, "pool">,
  f: { proposalId?: number | null; seriesIds?: readonly number[]; patchMessageIds?: readonly number[]; limit?: number } = {},
): Promise<RunRecord[]> {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (f.proposalId != null) conds.push(`r.proposal_id = $${params.push(f.proposalId)}`);
  if (f.seriesIds?.length) conds.push(`r.series_id = ANY($${params.push([...f.seriesIds])}::int[])`);
  if (f.patchMessageIds?.length) conds.push(`r.patch_message_id = ANY($${params.push([...f.patchMessageIds])}::bigint[])`);
  const filtered = f.proposalId != null || f.seriesIds !== undefined || f.patchMessageIds !== undefined;
  if (filtered && !conds.length) return [];
  return listRunsWhere(db, conds.length ? conds.join(" OR ") : "TRUE", params, f.limit);
}

/** The series and patches of a proposal's members (removed members left out). */
export async function proposalMemberIds(db: Pick<Db, "pool">, proposalId: number): Promise<{ seriesIds: number[]; patchMessageIds: number[] }> {
  const { rows } = await db.pool.query(
    `SELECT array(SELECT DISTINCT series_id FROM proposal_member WHERE proposal_id = $1 AND state <> 'removed' AND series_id IS NOT NULL) AS series_ids,
            array(SELECT DISTINCT sp.message_id FROM proposal_member pm JOIN series_patch sp ON sp.series_id = pm.series_id
                   WHERE pm.proposal_id = $1 AND pm.state <> 'removed'
                  UNION
                  SELECT pm.message_id FROM proposal_member pm WHERE pm.proposal_id = $1 AND pm.state <> 'removed' AND pm.message_id IS NOT NULL) AS patch_ids`,
    [proposalId],
  );
  return { seriesIds: rows[0].series_ids.map(Number), patchMessageIds: rows[0].patch_ids.map(Number) };
}

/** Everything a proposal page plots: runs attached to the proposal, to its member series, and to their patches. */
export async function runsForProposal(db: Pick<Db, "pool">, proposalId: number): Promise<RunRecord[]> {
  const m = await proposalMemberIds(db, proposalId);
  return listRuns(db, { proposalId, seriesIds: m.seriesIds, patchMessageIds: m.patchMessageIds });
}

/** Runs of a series and of its patches. */
export async function runsForSeries(db: Pick<Db, "pool">, seriesId: number): Promise<RunRecord[]> {
  const { rows } = await db.pool.query(`SELECT array(SELECT message_id FROM series_patch WHERE series_id = $1) AS ids`, [seriesId]);
  return listRuns(db, { seriesIds: [seriesId], patchMessageIds: rows[0].ids.map(Number) });
}

/** Runs for a resolved target, as GET /api/runs answers them. */
export async function runsForTarget(db: Pick<Db, "pool">, t: ResolvedTarget): Promise<RunRecord[]> {
  if (t.kind === "proposal") return runsForProposal(db, t.proposalId!);
  if (t.kind === "series") return runsForSeries(db, t.seriesId!);
  return listRuns(db, { patchMessageIds: [t.patchMessageId!] });
}

/** What an import stored, per target, with the stored runs in full: the answer of POST /api/runs and `runs import --json`. */
export async function importedRuns(db: Pick<Db, "pool">, results: readonly ImportResult[]) {
  return Promise.all(results.map(async (r) => ({
    target: { kind: r.target.kind, id: r.target.id, label: r.target.label },
    runs: await runsByIds(db, r.inserted.map((x) => x.id)),
    unchanged: r.unchanged,
  })));
}
