// Curation: signed-in people correct what the derivations found. Rename, merge and split
// proposals, add or remove members, confirm or reject detected ideas and decisions. Every change
// is one transaction that also writes an audit_log row (who, what, when, before, after).
//
// What survives re-derivation (lib/passes/proposals, deriveProposals):
//   - a removed member keeps its row with state 'removed', so it is not added back;
//   - added members (addMember, and the members a merge or a split moves) have state 'added';
//   - a proposal merged away keeps its row with merged_into_id (its members are 'removed' there
//     and 'added' in the proposal it was merged into), and its page redirects;
//   - a rename sets custom_title; the derived title stays in title.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { Db } from "./client";
import { transaction } from "./tx";
import { normalizeAddress } from "../people";
import { publicUserName } from "./runs";

export class CurationError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
    this.name = "CurationError";
  }
}

type Client = pg.PoolClient;

const tx = <T>(db: Pick<Db, "pool">, fn: (c: Client) => Promise<T>): Promise<T> => transaction(db.pool, fn);

async function audit(c: Client, userId: number | null, action: string, kind: string, id: string | number, before: unknown, after: unknown): Promise<number> {
  const { rows } = await c.query(
    `INSERT INTO audit_log (user_id, action, target_kind, target_id, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) RETURNING id`,
    [userId, action, kind, String(id), before === undefined ? null : JSON.stringify(before), after === undefined ? null : JSON.stringify(after)],
  );
  return rows[0].id;
}

const stripBrackets = (s: string) => s.trim().replace(/^<(.*)>$/, "$1");

// ---------------------------------------------------------------------------------------------
// Proposals and their members

export interface MemberSnapshot {
  ref: string;
  role: string;
  method: string;
  state: string;
}

export interface ProposalSnapshot {
  id: number;
  key: string;
  title: string;
  customTitle: string | null;
  status: string;
  mergedIntoId: number | null;
  /** members that count (state auto or added) */
  members: MemberSnapshot[];
}

interface ProposalRow {
  id: number;
  key: string;
  title: string;
  custom_title: string | null;
  status: string;
  merged_into_id: number | null;
}

/** Locks the proposals (in id order, so two curators never deadlock) and returns them by id. */
async function lockProposals(c: Client, ids: number[]): Promise<Map<number, ProposalRow>> {
  const { rows } = await c.query(
    `SELECT id, key, title, custom_title, status, merged_into_id FROM proposal WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  return new Map(rows.map((r: ProposalRow) => [r.id, r]));
}

async function lockOpenProposal(c: Client, id: number): Promise<ProposalRow> {
  const p = (await lockProposals(c, [id])).get(id);
  if (!p) throw new CurationError(`no proposal ${id}`, 404);
  if (p.merged_into_id != null) throw new CurationError(`proposal ${id} was merged into proposal ${p.merged_into_id}; curate that one`, 409);
  return p;
}

async function snapshot(c: Client, p: ProposalRow): Promise<ProposalSnapshot> {
  const { rows } = await c.query(
    `SELECT ref, role, method, state FROM proposal_member WHERE proposal_id = $1 AND state <> 'removed' ORDER BY id`,
    [p.id],
  );
  return { id: p.id, key: p.key, title: p.title, customTitle: p.custom_title, status: p.status, mergedIntoId: p.merged_into_id, members: rows };
}

function checkId(id: unknown, what: string): number {
  const n = typeof id === "string" && /^\d{1,9}$/.test(id.trim()) ? Number(id) : id;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) throw new CurationError(`${what} must be a positive integer id`, 400);
  return n;
}

const MAX_TITLE = 300;

function cleanTitle(title: unknown, required: boolean): string | null {
  if (title === null || title === undefined) {
    if (required) throw new CurationError("give a title", 400);
    return null;
  }
  if (typeof title !== "string") throw new CurationError("title must be a string", 400);
  // one line: whitespace runs (newlines included) become one space; control characters are refused
  const t = title.replace(/\s+/g, " ").trim();
  if (/[\u0000-\u001f\u007f]/.test(t)) throw new CurationError("the title has control characters", 400);
  if (t.length > MAX_TITLE) throw new CurationError(`the title is longer than ${MAX_TITLE} characters`, 400);
  if (!t && required) throw new CurationError("give a title", 400);
  return t || null;
}

export interface Actor {
  /** app_user.id of who does it (null: the command line without --user) */
  userId: number | null;
}

/** Sets the curated title (custom_title); an empty title clears it (the derived title shows again). */
export async function renameProposal(db: Pick<Db, "pool">, actor: Actor, proposalId: number, title: string | null): Promise<{ changed: boolean; proposal: ProposalSnapshot }> {
  const id = checkId(proposalId, "the proposal");
  const t = cleanTitle(title, false);
  return tx(db, async (c) => {
    const p = await lockOpenProposal(c, id);
    const before = await snapshot(c, p);
    if ((p.custom_title ?? null) === t) return { changed: false, proposal: before };
    await c.query(`UPDATE proposal SET custom_title = $2, updated_at = now() WHERE id = $1`, [id, t]);
    const after = { ...before, customTitle: t };
    await audit(c, actor.userId, "proposal.rename", "proposal", id, { title: p.title, customTitle: p.custom_title }, { title: p.title, customTitle: t });
    return { changed: true, proposal: after };
  });
}

/**
 * Merges proposals `from` into `into`: their members move (state 'added' in `into`, 'removed' in
 * each `from`), their runs and links follow, and each `from` points to `into` (merged_into_id).
 */
export async function mergeProposals(db: Pick<Db, "pool">, actor: Actor, intoId: number, fromIds: readonly number[]): Promise<{ proposal: ProposalSnapshot; merged: number[] }> {
  const into = checkId(intoId, "the proposal");
  if (!Array.isArray(fromIds) || !fromIds.length) throw new CurationError("give the proposals to merge into this one: from: [ids]", 400);
  const from = [...new Set(fromIds.map((f) => checkId(f, "each of from")))];
  if (from.includes(into)) throw new CurationError(`proposal ${into} cannot be merged into itself`, 400);
  return tx(db, async (c) => {
    const rows = await lockProposals(c, [into, ...from]);
    const missing = [into, ...from].filter((id) => !rows.has(id));
    if (missing.length) throw new CurationError(`no proposal ${missing.join(", ")}`, 404);
    const gone = [into, ...from].filter((id) => rows.get(id)!.merged_into_id != null);
    if (gone.length) throw new CurationError(gone.map((id) => `proposal ${id} was already merged into ${rows.get(id)!.merged_into_id}`).join("; "), 409);
    const beforeInto = await snapshot(c, rows.get(into)!);
    const beforeFrom: ProposalSnapshot[] = [];
    for (const f of from) beforeFrom.push(await snapshot(c, rows.get(f)!));
    for (const f of from) {
      // the members move: added in `into` (a removed row there comes back), removed in `from`
      await c.query(
        `INSERT INTO proposal_member (proposal_id, ref, series_id, thread_id, message_id, role, method, confidence, evidence, state)
         SELECT $1, ref, series_id, thread_id, message_id, role, method, confidence, evidence || jsonb_build_object('mergedFrom', $2::int), 'added'
           FROM proposal_member WHERE proposal_id = $2 AND state <> 'removed'
         ON CONFLICT (proposal_id, ref) DO UPDATE SET state = CASE WHEN proposal_member.state = 'removed' THEN 'added' ELSE proposal_member.state END`,
        [into, f],
      );
      await c.query(
        `UPDATE proposal_member SET state = 'removed', evidence = evidence || jsonb_build_object('mergedInto', $2::int)
          WHERE proposal_id = $1 AND state <> 'removed'`,
        [f, into],
      );
      await c.query(`UPDATE run SET proposal_id = $1 WHERE proposal_id = $2`, [into, f]);
      // links of `from` become links of `into` (no self-links, no duplicates)
      await c.query(
        `INSERT INTO proposal_link (from_id, to_id, kind, method, confidence, evidence)
         SELECT CASE WHEN from_id = $2 THEN $1 ELSE from_id END, CASE WHEN to_id = $2 THEN $1 ELSE to_id END, kind, method, confidence, evidence
           FROM proposal_link WHERE (from_id = $2 OR to_id = $2)
            AND (CASE WHEN from_id = $2 THEN $1 ELSE from_id END) <> (CASE WHEN to_id = $2 THEN $1 ELSE to_id END)
         ON CONFLICT (from_id, to_id, kind) DO NOTHING`,
        [into, f],
      );
      await c.query(`DELETE FROM proposal_link WHERE from_id = $1 OR to_id = $1`, [f]);
      await c.query(`UPDATE proposal SET merged_into_id = $1, updated_at = now() WHERE id = $2 OR merged_into_id = $2`, [into, f]);
    }
    await c.query(
      `UPDATE proposal p SET first_date = LEAST(p.first_date, x.first_date), last_date = GREATEST(p.last_date, x.last_date), updated_at = now()
         FROM (SELECT min(first_date) AS first_date, max(last_date) AS last_date FROM proposal WHERE id = ANY($2::int[])) x
        WHERE p.id = $1`,
      [into, from],
    );
    const after = await snapshot(c, { ...rows.get(into)! });
    await audit(c, actor.userId, "proposal.merge", "proposal", into, { into: beforeInto, from: beforeFrom }, { into: after, merged: from });
    for (const b of beforeFrom) await audit(c, actor.userId, "proposal.merge", "proposal", b.id, b, { mergedInto: into });
    return { proposal: after, merged: from };
  });
}

export interface MemberTarget {
  ref: string;
  seriesId: number | null;
  threadId: number | null;
  messageId: number | null;
  role: string;
  /** what a person reads: a series' title, a thread's subject */
  title: string;
}

/**
 * What a member reference names: "series:<id>", "thread:<id>", "message:<id>", or a series key
 * or Message-ID (a series key, or a message of a series, is the series; a thread's first message
 * is the thread; any other message is that message).
 */
export async function resolveMemberRef(q: Pick<pg.Pool, "query"> | Client, raw: string): Promise<MemberTarget> {
  if (typeof raw !== "string" || !raw.trim()) throw new CurationError("give a member: series:<id>, thread:<id>, message:<id>, a series key or a Message-ID", 400);
  const ref = stripBrackets(raw);
  const explicit = /^(series|thread|message):(\d{1,15})$/.exec(ref);
  if (explicit) {
    const n = Number(explicit[2]);
    if (explicit[1] === "series") {
      const { rows } = await q.query(`SELECT id, title, is_rfc FROM series WHERE id = $1`, [n]);
      if (!rows.length) throw new CurationError(`no series ${n}`, 404);
      return { ref, seriesId: n, threadId: null, messageId: null, role: rows[0].is_rfc ? "rfc" : "version", title: rows[0].title };
    }
    if (explicit[1] === "thread") {
      const { rows } = await q.query(`SELECT id, subject FROM thread WHERE id = $1`, [n]);
      if (!rows.length) throw new CurationError(`no thread ${n}`, 404);
      return { ref, seriesId: null, threadId: n, messageId: null, role: "discussion", title: rows[0].subject };
    }
    const { rows } = await q.query(`SELECT id, subject FROM message WHERE id = $1 AND NOT ghost`, [n]);
    if (!rows.length) throw new CurationError(`no message ${n}`, 404);
    return { ref, seriesId: null, threadId: null, messageId: n, role: "reference", title: rows[0].subject };
  }
  const s = await q.query(
    `SELECT id, title, is_rfc FROM series WHERE key = $1
     UNION ALL
     SELECT s.id, s.title, s.is_rfc FROM message m JOIN series_patch sp ON sp.message_id = m.id AND NOT sp.inherited JOIN series s ON s.id = sp.series_id WHERE m.msgid = $1
     UNION ALL
     SELECT s.id, s.title, s.is_rfc FROM message m JOIN series s ON s.cover_id = m.id WHERE m.msgid = $1
     LIMIT 1`,
    [ref],
  );
  if (s.rows.length) return { ref: `series:${s.rows[0].id}`, seriesId: s.rows[0].id, threadId: null, messageId: null, role: s.rows[0].is_rfc ? "rfc" : "version", title: s.rows[0].title };
  const m = await q.query(
    `SELECT m.id, m.subject, m.thread_id, (t.root_id = m.id) AS is_root FROM message m LEFT JOIN thread t ON t.id = m.thread_id WHERE m.msgid = $1 AND NOT m.ghost`,
    [ref],
  );
  if (!m.rows.length) throw new CurationError(`no series or message <${ref}>`, 404);
  const r = m.rows[0];
  if (r.is_root && r.thread_id != null) return { ref: `thread:${r.thread_id}`, seriesId: null, threadId: r.thread_id, messageId: null, role: "discussion", title: r.subject };
  return { ref: `message:${r.id}`, seriesId: null, threadId: null, messageId: r.id, role: "reference", title: r.subject };
}

/** A current member of the proposal named by `raw` (its ref as stored, or anything resolveMemberRef takes). */
async function findMember(c: Client, proposalId: number, raw: string): Promise<{ id: number; ref: string; role: string; method: string; state: string } | null> {
  const direct = await c.query(`SELECT id, ref, role, method, state FROM proposal_member WHERE proposal_id = $1 AND ref = $2`, [proposalId, stripBrackets(raw)]);
  if (direct.rows.length) return direct.rows[0];
  const t = await resolveMemberRef(c, raw);
  const { rows } = await c.query(`SELECT id, ref, role, method, state FROM proposal_member WHERE proposal_id = $1 AND ref = $2`, [proposalId, t.ref]);
  return rows[0] ?? null;
}

/** Adds a member by hand (state 'added'); a removed member comes back. */
export async function addMember(db: Pick<Db, "pool">, actor: Actor, proposalId: number, ref: string): Promise<{ ref: string; state: string }> {
  const id = checkId(proposalId, "the proposal");
  return tx(db, async (c) => {
    await lockOpenProposal(c, id);
    const t = await resolveMemberRef(c, ref);
    const { rows } = await c.query(`SELECT id, role, method, state FROM proposal_member WHERE proposal_id = $1 AND ref = $2 FOR UPDATE`, [id, t.ref]);
    const prev = rows[0];
    if (prev && prev.state !== "removed") throw new CurationError(`${t.ref} is already a member of proposal ${id}`, 409);
    if (prev) await c.query(`UPDATE proposal_member SET state = 'added', evidence = evidence || '{"curated": true}'::jsonb WHERE id = $1`, [prev.id]);
    else
      await c.query(
        `INSERT INTO proposal_member (proposal_id, ref, series_id, thread_id, message_id, role, method, confidence, evidence, state)
         VALUES ($1, $2, $3, $4, $5, $6, 'curated', 1, '{"curated": true}'::jsonb, 'added')`,
        [id, t.ref, t.seriesId, t.threadId, t.messageId, t.role],
      );
    await c.query(`UPDATE proposal SET updated_at = now() WHERE id = $1`, [id]);
    await audit(
      c, actor.userId, "member.add", "proposal", id,
      prev ? { ref: t.ref, role: prev.role, method: prev.method, state: prev.state } : null,
      { ref: t.ref, title: t.title, role: prev?.role ?? t.role, method: prev?.method ?? "curated", state: "added" },
    );
    return { ref: t.ref, state: "added" };
  });
}

/** Removes a member: the row stays with state 'removed', so re-derivation does not add it back. */
export async function removeMember(db: Pick<Db, "pool">, actor: Actor, proposalId: number, ref: string): Promise<{ ref: string; state: string }> {
  const id = checkId(proposalId, "the proposal");
  return tx(db, async (c) => {
    await lockOpenProposal(c, id);
    const m = await findMember(c, id, ref);
    if (!m || m.state === "removed") throw new CurationError(`${m?.ref ?? stripBrackets(ref)} is not a member of proposal ${id}`, 404);
    await c.query(`UPDATE proposal_member SET state = 'removed' WHERE id = $1`, [m.id]);
    await c.query(`UPDATE proposal SET updated_at = now() WHERE id = $1`, [id]);
    await audit(c, actor.userId, "member.remove", "proposal", id, { ref: m.ref, role: m.role, method: m.method, state: m.state }, { ref: m.ref, role: m.role, method: m.method, state: "removed" });
    return { ref: m.ref, state: "removed" };
  });
}

/**
 * Splits members off into a new proposal (title given): they are 'added' there and 'removed'
 * here. At least one member must stay.
 */
export async function splitProposal(
  db: Pick<Db, "pool">,
  actor: Actor,
  proposalId: number,
  memberRefs: readonly string[],
  title: string,
): Promise<{ proposal: ProposalSnapshot; created: ProposalSnapshot }> {
  const id = checkId(proposalId, "the proposal");
  const t = cleanTitle(title, true)!;
  if (!Array.isArray(memberRefs) || !memberRefs.length) throw new CurationError("give the members to split off: members: [refs]", 400);
  if (memberRefs.some((r) => typeof r !== "string")) throw new CurationError("members must be strings (series:<id>, a series key, a Message-ID, ...)", 400);
  return tx(db, async (c) => {
    const p = await lockOpenProposal(c, id);
    const before = await snapshot(c, p);
    const found: { id: number; ref: string }[] = [];
    const problems: string[] = [];
    for (const raw of memberRefs) {
      let m = null;
      try {
        m = await findMember(c, id, raw);
      } catch (e) {
        if (!(e instanceof CurationError)) throw e;
      }
      if (!m || m.state === "removed") problems.push(`${stripBrackets(raw)} is not a member of proposal ${id}`);
      else if (!found.some((f) => f.id === m!.id)) found.push({ id: m.id, ref: m.ref });
    }
    if (problems.length) throw new CurationError(problems.join("; "), 404);
    if (found.length >= before.members.length) throw new CurationError("a split must leave at least one member; rename the proposal instead", 400);
    const key = `split:${id}:${found[0].ref}:${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
    const created = await c.query(
      `INSERT INTO proposal (key, title, custom_title, status, first_date, last_date, details)
       SELECT $1, $2, $2, p.status, NULL, NULL, jsonb_build_object('splitFrom', p.id, 'curated', true) FROM proposal p WHERE p.id = $3
       RETURNING id, key, title, custom_title, status, merged_into_id`,
      [key, t, id],
    );
    const np: ProposalRow = created.rows[0];
    const ids = found.map((f) => f.id);
    await c.query(
      `INSERT INTO proposal_member (proposal_id, ref, series_id, thread_id, message_id, role, method, confidence, evidence, state)
       SELECT $1, ref, series_id, thread_id, message_id, role, method, confidence, evidence || jsonb_build_object('splitFrom', $2::int), 'added'
         FROM proposal_member WHERE id = ANY($3::bigint[])`,
      [np.id, id, ids],
    );
    await c.query(`UPDATE proposal_member SET state = 'removed', evidence = evidence || jsonb_build_object('splitInto', $2::int) WHERE id = ANY($1::bigint[])`, [ids, np.id]);
    // dates of the new proposal from its members
    await c.query(
      `UPDATE proposal p SET first_date = x.f, last_date = x.l FROM (
         SELECT min(d) AS f, max(d) AS l FROM (
           SELECT s.date AS d FROM proposal_member pm JOIN series s ON s.id = pm.series_id WHERE pm.proposal_id = $1
           UNION ALL SELECT s.last_date FROM proposal_member pm JOIN series s ON s.id = pm.series_id WHERE pm.proposal_id = $1
           UNION ALL SELECT t.first_date FROM proposal_member pm JOIN thread t ON t.id = pm.thread_id WHERE pm.proposal_id = $1
           UNION ALL SELECT t.last_date FROM proposal_member pm JOIN thread t ON t.id = pm.thread_id WHERE pm.proposal_id = $1
           UNION ALL SELECT m.date FROM proposal_member pm JOIN message m ON m.id = pm.message_id WHERE pm.proposal_id = $1) d) x
        WHERE p.id = $1`,
      [np.id],
    );
    await c.query(`UPDATE proposal SET updated_at = now() WHERE id = $1`, [id]);
    const after = await snapshot(c, p);
    const newSnap = await snapshot(c, np);
    await audit(c, actor.userId, "proposal.split", "proposal", id, before, { ...after, splitInto: { id: np.id, title: t, members: newSnap.members.map((m) => m.ref) } });
    await audit(c, actor.userId, "proposal.split", "proposal", np.id, null, { ...newSnap, splitFrom: id });
    return { proposal: after, created: newSnap };
  });
}

// ---------------------------------------------------------------------------------------------
// Ideas and decisions

export const CURATION_STATUSES = ["confirmed", "rejected"] as const;
export type CurationStatus = (typeof CURATION_STATUSES)[number];

async function setStatus(db: Pick<Db, "pool">, actor: Actor, table: "idea" | "decision", rawId: number, status: string) {
  const id = checkId(rawId, `the ${table}`);
  if (!(CURATION_STATUSES as readonly string[]).includes(status)) throw new CurationError(`status must be one of ${CURATION_STATUSES.join(", ")}`, 400);
  return tx(db, async (c) => {
    const { rows } = await c.query(`SELECT id, kind, status, curated_by, curated_at FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    if (!rows.length) throw new CurationError(`no ${table} ${id}`, 404);
    const prev = rows[0];
    if (prev.status === status) return { id, status, changed: false };
    const upd = await c.query(`UPDATE ${table} SET status = $2, curated_by = $3, curated_at = now() WHERE id = $1 RETURNING curated_at`, [id, status, actor.userId]);
    const at = new Date(upd.rows[0].curated_at).toISOString();
    await audit(
      c, actor.userId, `${table}.${status === "confirmed" ? "confirm" : "reject"}`, table, id,
      { kind: prev.kind, status: prev.status, curatedBy: prev.curated_by, curatedAt: prev.curated_at ? new Date(prev.curated_at).toISOString() : null },
      { kind: prev.kind, status, curatedBy: actor.userId, curatedAt: at },
    );
    return { id, status, changed: true };
  });
}

/** Confirms or rejects a detected idea (status, curated_by, curated_at). */
export const setIdeaStatus = (db: Pick<Db, "pool">, actor: Actor, id: number, status: string) => setStatus(db, actor, "idea", id, status);
/** Confirms or rejects a detected decision (status, curated_by, curated_at). */
export const setDecisionStatus = (db: Pick<Db, "pool">, actor: Actor, id: number, status: string) => setStatus(db, actor, "decision", id, status);

// ---------------------------------------------------------------------------------------------
// The audit log

/**
 * A curator's merge: `address` is the same person as `into` (which stays canonical). Kept as an
 * audit_log row (person.merge) that the people pass (lib/passes/people.ts) reads on every run: the
 * caller runs it next. Addresses seen only in trailers get a person row. Returns the two addresses
 * normalized.
 */
export async function recordPersonMerge(db: Pick<Db, "pool">, into: string, address: string, userId: number | null = null): Promise<{ into: string; address: string }> {
  const a = normalizeAddress(into);
  const b = normalizeAddress(address);
  if (!a || !b) throw new Error("give two addresses");
  if (a === b) throw new Error("the two addresses are the same");
  const known = await db.pool.query(
    `SELECT x.a, EXISTS (SELECT 1 FROM person p WHERE p.address = x.a) AS person,
            EXISTS (SELECT 1 FROM trailer t WHERE lower(t.person_address) = x.a) AS trailer
     FROM unnest($1::text[]) AS x(a)`,
    [[a, b]],
  );
  const unknown = known.rows.filter((r) => !r.person && !r.trailer).map((r) => r.a);
  if (unknown.length) throw new Error(`no message or trailer has the address ${unknown.join(" or ")}`);
  await tx(db, async (client) => {
    await client.query(`INSERT INTO person (address) SELECT unnest($1::text[]) ON CONFLICT (address) DO NOTHING`, [[a, b]]);
    const { rows: before } = await client.query(
      `SELECT p.address, c.address AS canonical FROM person p LEFT JOIN person c ON c.id = p.canonical_id WHERE p.address = ANY($1::text[])`,
      [[a, b]],
    );
    await client.query(
      `INSERT INTO audit_log (user_id, action, target_kind, target_id, before, after) VALUES ($1, 'person.merge', 'person', $2, $3::jsonb, $4::jsonb)`,
      [userId, b, JSON.stringify(Object.fromEntries(before.map((r) => [r.address, r.canonical]))), JSON.stringify({ into: a, address: b, method: "manual" })],
    );
  });
  return { into: a, address: b };
}
