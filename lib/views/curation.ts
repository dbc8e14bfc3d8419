// What curators did and can do: the audit log (/api/audit) and the curation view of a proposal
// (members with how each was found, ideas and decisions with their status). Writes are in
// lib/db/curation.ts.
import type { Db } from "../db/client";
import { publicUserName } from "../db/runs";

export interface AuditEntry {
  id: number;
  action: string;
  targetKind: string;
  targetId: string;
  user: { id: number; name: string } | null;
  before: unknown;
  after: unknown;
  createdAt: string;
}

/**
 * Audit entries, newest first: of one target ("proposal", "3"), of a kind, of several targets
 * (`targets`: any of them), or all.
 */
export async function listAudit(
  db: Pick<Db, "pool">,
  f: { targetKind?: string; targetId?: string; targets?: { kind: string; ids: string[] }[]; limit?: number; beforeId?: number } = {},
): Promise<AuditEntry[]> {
  const conds: string[] = [];
  const params: unknown[] = [];
  if (f.targetKind) conds.push(`a.target_kind = $${params.push(f.targetKind)}`);
  if (f.targetId) conds.push(`a.target_id = $${params.push(f.targetId)}`);
  if (f.targets) {
    const any = f.targets.filter((t) => t.ids.length).map((t) => `(a.target_kind = $${params.push(t.kind)} AND a.target_id = ANY($${params.push(t.ids)}::text[]))`);
    conds.push(any.length ? `(${any.join(" OR ")})` : "FALSE");
  }
  if (f.beforeId) conds.push(`a.id < $${params.push(f.beforeId)}`);
  const limit = Math.max(1, Math.min(Math.floor(f.limit ?? 100), 500));
  const { rows } = await db.pool.query(
    `SELECT a.id, a.action, a.target_kind, a.target_id, a.user_id, u.name, u.email, a.before, a.after, a.created_at
       FROM audit_log a LEFT JOIN app_user u ON u.id = a.user_id
      ${conds.length ? `WHERE ${conds.join(" AND ")}` : ""}
      ORDER BY a.id DESC LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    targetKind: r.target_kind,
    targetId: r.target_id,
    user: r.user_id == null ? null : { id: r.user_id, name: publicUserName(r.name, r.email) },
    before: r.before,
    after: r.after,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

// ---------------------------------------------------------------------------------------------
// What the curation forms show (app/_components/CurationForms.tsx)

export interface CurationMember {
  ref: string;
  title: string;
  role: string;
  method: string;
  state: string;
  /** series key or Message-ID, for links */
  key: string | null;
  version: number | null;
}

export interface CurationItem {
  id: number;
  kind: string;
  text: string;
  status: string;
  msgid: string | null;
  curatedBy: string | null;
  curatedAt: string | null;
}

export interface CurationView {
  proposal: { id: number; key: string; title: string; customTitle: string | null; status: string; mergedIntoId: number | null };
  /** every member, removed ones too (they can be added back) */
  members: CurationMember[];
  ideas: CurationItem[];
  decisions: CurationItem[];
  audit: AuditEntry[];
}

/** The proposal, its members, the ideas and decisions found in its messages, and its audit entries; null when there is no such proposal. */
export async function loadCurationView(db: Pick<Db, "pool">, proposalId: number, o: { limit?: number } = {}): Promise<CurationView | null> {
  const limit = o.limit ?? 200;
  const p = await db.pool.query(`SELECT id, key, title, custom_title, status, merged_into_id FROM proposal WHERE id = $1`, [proposalId]);
  if (!p.rows.length) return null;
  const members = await db.pool.query(
    `SELECT pm.ref, pm.role, pm.method, pm.state,
            COALESCE(s.title, t.subject, m.subject, '') AS title,
            COALESCE(s.key, rm.msgid, m.msgid) AS key, s.version
       FROM proposal_member pm
       LEFT JOIN series s ON s.id = pm.series_id
       LEFT JOIN thread t ON t.id = pm.thread_id
       LEFT JOIN message rm ON rm.id = t.root_id
       LEFT JOIN message m ON m.id = pm.message_id
      WHERE pm.proposal_id = $1
      ORDER BY (pm.state = 'removed'), COALESCE(s.date, t.first_date, m.date) NULLS LAST, pm.id`,
    [proposalId],
  );
  // the proposal's messages: its series' threads and messages, its threads, its single messages
  const scope = `
    WITH mem AS (SELECT * FROM proposal_member WHERE proposal_id = $1 AND state <> 'removed'),
    threads AS (SELECT thread_id AS id FROM mem WHERE thread_id IS NOT NULL
                UNION SELECT s.thread_id FROM mem JOIN series s ON s.id = mem.series_id WHERE s.thread_id IS NOT NULL),
    msgs AS (SELECT m.id FROM message m WHERE m.thread_id IN (SELECT id FROM threads)
             UNION SELECT message_id FROM mem WHERE message_id IS NOT NULL
             UNION SELECT sp.message_id FROM mem JOIN series_patch sp ON sp.series_id = mem.series_id)`;
  const ideas = await db.pool.query(
    `${scope}
     SELECT i.id, i.kind, i.summary AS text, i.status, m.msgid, i.curated_by, u.name, u.email, i.curated_at
       FROM idea i JOIN message m ON m.id = i.message_id LEFT JOIN app_user u ON u.id = i.curated_by
      WHERE i.message_id IN (SELECT id FROM msgs)
      ORDER BY m.date NULLS LAST, i.id LIMIT ${limit}`,
    [proposalId],
  );
  const decisions = await db.pool.query(
    `${scope}
     SELECT d.id, d.kind, concat_ws(': ', d.target, NULLIF(d.reason, '')) AS text, d.status, m.msgid, d.curated_by, u.name, u.email, d.curated_at
       FROM decision d LEFT JOIN message m ON m.id = d.message_id LEFT JOIN app_user u ON u.id = d.curated_by
      WHERE d.message_id IN (SELECT id FROM msgs) OR d.series_id IN (SELECT series_id FROM mem WHERE series_id IS NOT NULL)
      ORDER BY m.date NULLS LAST, d.id LIMIT ${limit}`,
    [proposalId],
  );
  const item = (r: { id: number; kind: string; text: string | null; status: string; msgid: string | null; curated_by: number | null; name: string | null; email: string | null; curated_at: Date | null }): CurationItem => ({
    id: r.id,
    kind: r.kind,
    text: r.text ?? "",
    status: r.status,
    msgid: r.msgid,
    curatedBy: r.curated_by == null ? null : publicUserName(r.name, r.email),
    curatedAt: r.curated_at ? new Date(r.curated_at).toISOString() : null,
  });
  const row = p.rows[0];
  return {
    proposal: { id: row.id, key: row.key, title: row.title, customTitle: row.custom_title, status: row.status, mergedIntoId: row.merged_into_id },
    members: members.rows.map((r) => ({ ref: r.ref, title: r.title, role: r.role, method: r.method, state: r.state, key: r.key, version: r.version })),
    ideas: ideas.rows.map(item),
    decisions: decisions.rows.map(item),
    // the proposal's changes, and those of its ideas and decisions
    audit: await listAudit(db, {
      targets: [
        { kind: "proposal", ids: [String(proposalId)] },
        { kind: "idea", ids: ideas.rows.map((r) => String(r.id)) },
        { kind: "decision", ids: decisions.rows.map((r) => String(r.id)) },
      ],
      limit: 50,
    }),
  };
}
