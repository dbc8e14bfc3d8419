// Runs in the database: resolve what a run is attached to (a proposal, a series, a patch) and
// import normalized runs (lib/runs) with an audit_log row. Read back by lib/views/runs.ts.
import type pg from "pg";
import type { Db } from "./client";
import { transaction, type Queryable } from "./tx";
import type { NormalizedRun, RunTarget } from "../runs/parse";

/** A target that does not exist (404 for the API, exit 2 for the CLI). */
export class RunTargetError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 404,
  ) {
    super(message);
    this.name = "RunTargetError";
  }
}

export interface ResolvedTarget {
  kind: "proposal" | "series" | "patch";
  proposalId: number | null;
  seriesId: number | null;
  patchMessageId: number | null;
  /** for audit_log: the proposal id, series key or patch Message-ID */
  id: string;
  /** how to say it: "proposal 3", "series <key>", "patch <msgid>" */
  label: string;
}


const stripBrackets = (s: string) => s.trim().replace(/^<(.*)>$/, "$1");

/** A proposal that was merged away stands for the one it was merged into. */
async function followMerges(q: Queryable, id: number): Promise<{ id: number; key: string } | null> {
  for (let hops = 0; hops < 32; hops++) {
    const { rows } = await q.query(`SELECT id, key, merged_into_id FROM proposal WHERE id = $1`, [id]);
    if (!rows.length) return null;
    if (rows[0].merged_into_id == null) return { id: rows[0].id, key: rows[0].key };
    id = rows[0].merged_into_id;
  }
  return null;
}

/** The proposal a series key / Message-ID belongs to (through a series, a thread or the message itself). */
async function proposalOfMember(q: Queryable, ref: string): Promise<number | null> {
  const { rows } = await q.query(
    `WITH m AS (SELECT id, thread_id FROM message WHERE msgid = $1),
          s AS (SELECT id FROM series WHERE key = $1
                UNION SELECT sp.series_id FROM series_patch sp JOIN m ON m.id = sp.message_id
                UNION SELECT s2.id FROM series s2 JOIN m ON m.id = s2.cover_id)
     SELECT pm.proposal_id FROM proposal_member pm
      WHERE pm.state <> 'removed'
        AND (pm.series_id IN (SELECT id FROM s) OR pm.message_id IN (SELECT id FROM m) OR pm.thread_id IN (SELECT thread_id FROM m))
      ORDER BY (pm.series_id IS NOT NULL) DESC, pm.confidence DESC, pm.proposal_id
      LIMIT 1`,
    [ref],
  );
  return rows.length ? rows[0].proposal_id : null;
}

/** Resolves --proposal/--series/--patch (or ?proposal=/?series=/?patch=, or the file's target). */
export async function resolveRunTarget(db: { pool: Queryable }, t: RunTarget): Promise<ResolvedTarget> {
  const q = db.pool;
  const given = (["proposal", "series", "patch"] as const).filter((k) => t[k] !== undefined && t[k] !== null && t[k] !== "");
  if (given.length !== 1) {
    throw new RunTargetError(given.length ? `name one target, not ${given.join(" and ")}` : "no target: give a proposal, a series or a patch", 400);
  }
  if (t.proposal !== undefined) {
    const ref = stripBrackets(String(t.proposal));
    let id: number | null = null;
    if (/^\d{1,9}$/.test(ref)) id = Number(ref);
    else {
      const byKey = await q.query(`SELECT id FROM proposal WHERE key = $1`, [ref]);
      id = byKey.rows.length ? byKey.rows[0].id : await proposalOfMember(q, ref);
    }
    const p = id === null ? null : await followMerges(q, id);
    if (!p) throw new RunTargetError(`no proposal ${ref} (give a proposal id, or a series key or Message-ID of one of its members)`);
    return { kind: "proposal", proposalId: p.id, seriesId: null, patchMessageId: null, id: String(p.id), label: `proposal ${p.id}` };
  }
  if (t.series !== undefined) {
    const ref = stripBrackets(t.series);
    const { rows } = await q.query(
      `SELECT id, key FROM series WHERE key = $1
       UNION ALL
       SELECT s.id, s.key FROM message m JOIN series_patch sp ON sp.message_id = m.id AND NOT sp.inherited JOIN series s ON s.id = sp.series_id WHERE m.msgid = $1
       LIMIT 1`,
      [ref],
    );
    if (!rows.length) throw new RunTargetError(`no series ${ref} (give a series key: its cover letter's Message-ID, or a patch's)`);
    return { kind: "series", proposalId: null, seriesId: rows[0].id, patchMessageId: null, id: rows[0].key, label: `series <${rows[0].key}>` };
  }
  const ref = stripBrackets(t.patch!);
  const { rows } = await q.query(`SELECT m.id, m.msgid FROM message m JOIN patch p ON p.message_id = m.id WHERE m.msgid = $1`, [ref]);
  if (!rows.length) throw new RunTargetError(`no patch <${ref}> (give the Message-ID of a message that carries a patch)`);
  return { kind: "patch", proposalId: null, seriesId: null, patchMessageId: rows[0].id, id: rows[0].msgid, label: `patch <${rows[0].msgid}>` };
}

export interface ImportResult {
  target: ResolvedTarget;
  /** the runs stored now (read them with lib/views/runs.ts runsByIds) */
  inserted: { id: number; label: string }[];
  /** runs that were already stored for the same target (same document): not stored again */
  unchanged: { id: number; label: string }[];
}

export interface ImportOptions {
  /** overrides the targets named in the file */
  target?: RunTarget | null;
  userId?: number | null;
  /** the file name, or "POST /api/runs" */
  sourceName?: string | null;
  /** cli | api | demo: recorded in the audit entry */
  via: string;
}

/** A display name for a user that does not publish the whole address: the name, else the address's local part. */
export const publicUserName = (name: string | null, email: string | null): string => (name && name.trim()) || (email ?? "").replace(/@.*$/, "") || "unknown";

/**
 * Stores runs (one transaction), attached to the override target or to each run's own; a run
 * whose document is already stored for the same target is not stored again (so importing the
 * same file twice changes nothing). Writes one audit_log row (run.import) per target that got
 * new runs, with who, the source and the run ids.
 */
export async function importRuns(db: Db, runs: NormalizedRun[], o: ImportOptions): Promise<ImportResult[]> {
  if (!runs.length) return [];
  // resolve every distinct target first: nothing is stored when one is missing
  const targets = new Map<string, ResolvedTarget>();
  const runTarget: ResolvedTarget[] = [];
  for (const r of runs) {
    const t = o.target ?? r.target;
    if (!t) throw new RunTargetError(`no target for the run "${r.label}": give --proposal, --series or --patch (?proposal=, ?series=, ?patch= over the API), or "target" in the file`, 400);
    const k = JSON.stringify(t);
    if (!targets.has(k)) targets.set(k, await resolveRunTarget(db, t));
    runTarget.push(targets.get(k)!);
  }
  const results = new Map<ResolvedTarget, { inserted: { id: number; label: string }[]; unchanged: { id: number; label: string }[] }>();
  await transaction(db.pool, async (client) => {
    // one import at a time: the duplicate check below must see the other's rows
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('patchlore:run.import'))`);
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i];
      const t = runTarget[i];
      const res = results.get(t) ?? { inserted: [], unchanged: [] };
      results.set(t, res);
      const doc = JSON.stringify(r.document);
      const dup = await client.query(
        `SELECT id FROM run WHERE proposal_id IS NOT DISTINCT FROM $1 AND series_id IS NOT DISTINCT FROM $2
            AND patch_message_id IS NOT DISTINCT FROM $3 AND document = $4::jsonb ORDER BY id LIMIT 1`,
        [t.proposalId, t.seriesId, t.patchMessageId, doc],
      );
      if (dup.rows.length) {
        res.unchanged.push({ id: dup.rows[0].id, label: r.label });
        continue;
      }
      const { rows } = await client.query(
        `INSERT INTO run (proposal_id, series_id, patch_message_id, tool, tool_version, label, parameters, metrics, series, attachments, document, source_name, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13) RETURNING id`,
        [
          t.proposalId, t.seriesId, t.patchMessageId, r.tool, r.toolVersion, r.label,
          JSON.stringify(r.parameters), JSON.stringify(r.metrics), JSON.stringify(r.series), JSON.stringify(r.attachments),
          doc, o.sourceName ?? null, o.userId ?? null,
        ],
      );
      res.inserted.push({ id: rows[0].id, label: r.label });
    }
    for (const [t, res] of results) {
      if (!res.inserted.length) continue;
      await client.query(
        `INSERT INTO audit_log (user_id, action, target_kind, target_id, before, after) VALUES ($1, 'run.import', $2, $3, NULL, $4::jsonb)`,
        [
          o.userId ?? null, t.kind, t.id,
          JSON.stringify({
            runs: res.inserted,
            unchanged: res.unchanged.map((u) => u.id),
            source: o.sourceName ?? null,
            via: o.via,
          }),
        ],
      );
    }
  });
  return [...results].map(([target, res]) => ({ target, inserted: res.inserted, unchanged: res.unchanged }));
}
