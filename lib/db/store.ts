// The bulk writer: stores a batch of parsed messages in one transaction, set-based (one
// statement per table per batch, rows passed as one JSON document), then threads them.
// A batch and the source cursor that produced it commit together, so a killed ingester
// resumes exactly where its last committed batch ended: no duplicates, nothing lost.
import type pg from "pg";
import type { ParsedMail } from "../mail/types";
import { parentOf } from "../thread/jwz";
import type { Db } from "./client";

export interface IncomingMessage {
  parsed: ParsedMail;
  raw: Buffer;
  /** provenance: where in the source the bytes were read */
  ref: string;
  /** how the message was recovered: "raw" for real messages, "page:<format>" for archive pages */
  recovery?: string;
}

export interface SkippedInput {
  ref: string;
  reason: string;
  detail: string;
  raw: Buffer | null;
  size: number;
}

export interface DeletionInput {
  msgid: string;
  ref: string;
}

export interface StoreContext {
  listId: number;
  sourceId: number | null;
  /** raw bytes above this size are not kept for skipped messages (the reason and size are) */
  maxSkippedRawBytes?: number;
}

export interface BatchInput {
  messages: IncomingMessage[];
  skipped?: SkippedInput[];
  deletions?: DeletionInput[];
  /** source cursor to commit with this batch */
  cursor?: Record<string, string>;
}

export interface BatchResult {
  inserted: number;
  filledGhosts: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  deleted: number;
  threadsTouched: number;
}

/** Serializes writers: two ingesters on one database take turns batch by batch. */
const STORE_LOCK = 0x70a7c410;

/** PostgreSQL text cannot hold NUL; the parser removes them from bodies, this guards the rest. */
function clean(s: string): string {
  return s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
}
function cleanDeep<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "string" ? clean(x) : x)));
}

function messageRow(m: IncomingMessage, fromId: number | null) {
  const p = m.parsed;
  return {
    msgid: clean(p.msgid),
    synthetic_msgid: p.syntheticMsgid,
    subject: clean(p.subject),
    thread_subject: clean(p.threadSubject),
    is_reply: p.isReply,
    from_id: fromId,
    from_name: clean(p.from.name),
    from_address: clean(p.from.address),
    to: cleanDeep(p.to),
    cc: cleanDeep(p.cc),
    date: p.date,
    tz_offset: p.tzOffsetMinutes,
    in_reply_to: p.inReplyTo === null ? null : clean(p.inReplyTo),
    references: p.references.map(clean),
    headers: cleanDeep(p.headers),
    body: clean(p.text),
    body_from_html: p.textFromHtml,
    attachments: cleanDeep(p.attachments.map((a) => ({ ...a, text: undefined }))),
    size: p.size,
    content_hash: p.contentHash,
    problems: cleanDeep(p.problems),
    recovery: m.recovery ?? "raw",
  };
}

const MESSAGE_RECORD = `x(msgid text, synthetic_msgid boolean, subject text, thread_subject text, is_reply boolean,
  from_id int, from_name text, from_address text, "to" jsonb, cc jsonb, date timestamptz, tz_offset int,
  in_reply_to text, "references" jsonb, headers jsonb, body text, body_from_html boolean, attachments jsonb,
  size int, content_hash text, problems jsonb, recovery text)`;
const MESSAGE_COLUMNS = `msgid, synthetic_msgid, subject, thread_subject, is_reply, from_id, from_name, from_address,
  "to", cc, date, tz_offset, in_reply_to, "references", headers, body, body_from_html, attachments, size,
  content_hash, problems, recovery`;
const MESSAGE_VALUES = `x.msgid, x.synthetic_msgid, x.subject, x.thread_subject, x.is_reply, x.from_id, x.from_name,
  x.from_address, x."to", x.cc, x.date, x.tz_offset, x.in_reply_to,
  ARRAY(SELECT jsonb_array_elements_text(x."references")), x.headers, x.body, x.body_from_html, x.attachments,
  x.size, x.content_hash, x.problems, x.recovery`;

export async function storeBatch(db: Db, ctx: StoreContext, batch: BatchInput): Promise<BatchResult> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [STORE_LOCK]);
    const result = await storeInTransaction(client, ctx, batch);
    if (batch.cursor && ctx.sourceId !== null) {
      await client.query(`UPDATE source SET state = state || $2::jsonb, updated_at = now() WHERE id = $1`, [
        ctx.sourceId,
        JSON.stringify(batch.cursor),
      ]);
    }
    await client.query("COMMIT");
    return result;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

async function storeInTransaction(client: pg.PoolClient, ctx: StoreContext, batch: BatchInput): Promise<BatchResult> {
  const res: BatchResult = { inserted: 0, filledGhosts: 0, unchanged: 0, duplicates: 0, skipped: 0, deleted: 0, threadsTouched: 0 };

  // 1. Within the batch: first occurrence of a Message-ID is the candidate, later ones are
  //    the same message again (same content hash) or duplicates.
  const candidates = new Map<string, IncomingMessage>();
  const dupes: IncomingMessage[] = [];
  for (const m of batch.messages) {
    const first = candidates.get(m.parsed.msgid);
    if (!first) candidates.set(m.parsed.msgid, m);
    else if (first.parsed.contentHash === m.parsed.contentHash) res.unchanged++;
    else dupes.push(m);
  }

  // 2. What the database already has.
  const ids = [...candidates.keys()];
  const existing = new Map<string, { id: number; ghost: boolean; content_hash: string | null }>();
  if (ids.length) {
    const { rows } = await client.query(`SELECT id, msgid, ghost, content_hash FROM message WHERE msgid = ANY($1::text[])`, [ids]);
    for (const r of rows) existing.set(r.msgid, r);
  }
  const toInsert: IncomingMessage[] = [];
  const toFill: IncomingMessage[] = [];
  const membershipOnly: { id: number; ref: string }[] = [];
  for (const [msgid, m] of candidates) {
    const e = existing.get(msgid);
    if (!e) toInsert.push(m);
    else if (e.ghost) toFill.push(m);
    else if (e.content_hash === m.parsed.contentHash) {
      res.unchanged++;
      membershipOnly.push({ id: e.id, ref: m.ref });
    } else dupes.push(m);
  }

  // 3. People: one per address, with every display name seen.
  const fromIds = await upsertPeople(client, [...toInsert, ...toFill]);

  // 4. New messages and ghosts filled in place.
  const stored: { id: number; m: IncomingMessage }[] = [];
  if (toInsert.length) {
    const rows = toInsert.map((m) => messageRow(m, fromIds.get(m.parsed.from.address) ?? null));
    const { rows: out } = await client.query(
      `INSERT INTO message (${MESSAGE_COLUMNS})
       SELECT ${MESSAGE_VALUES} FROM jsonb_to_recordset($1::jsonb) AS ${MESSAGE_RECORD}
       ON CONFLICT (msgid) DO NOTHING
       RETURNING id, msgid`,
      [JSON.stringify(rows)],
    );
    const byMsgid = new Map(toInsert.map((m) => [m.parsed.msgid, m]));
    for (const r of out) stored.push({ id: r.id, m: byMsgid.get(r.msgid)! });
    res.inserted = out.length;
  }
  if (toFill.length) {
    const rows = toFill.map((m) => messageRow(m, fromIds.get(m.parsed.from.address) ?? null));
    const { rows: out } = await client.query(
      `UPDATE message m SET ghost = false, synthetic_msgid = x.synthetic_msgid, subject = x.subject,
         thread_subject = x.thread_subject, is_reply = x.is_reply, from_id = x.from_id, from_name = x.from_name,
         from_address = x.from_address, "to" = x."to", cc = x.cc, date = x.date, tz_offset = x.tz_offset,
         in_reply_to = x.in_reply_to, "references" = ARRAY(SELECT jsonb_array_elements_text(x."references")),
         headers = x.headers, body = x.body, body_from_html = x.body_from_html, attachments = x.attachments,
         size = x.size, content_hash = x.content_hash, problems = x.problems, recovery = x.recovery
       FROM jsonb_to_recordset($1::jsonb) AS ${MESSAGE_RECORD}
       WHERE m.msgid = x.msgid AND m.ghost
       RETURNING m.id, m.msgid`,
      [JSON.stringify(rows)],
    );
    const byMsgid = new Map(toFill.map((m) => [m.parsed.msgid, m]));
    for (const r of out) stored.push({ id: r.id, m: byMsgid.get(r.msgid)! });
    res.filledGhosts = out.length;
  }
  if (stored.length) {
    await client.query(
      `INSERT INTO raw_message (message_id, raw) SELECT * FROM unnest($1::bigint[], $2::bytea[])
       ON CONFLICT (message_id) DO UPDATE SET raw = excluded.raw`,
      [stored.map((s) => s.id), stored.map((s) => s.m.raw)],
    );
  }
  const members = [...stored.map((s) => ({ id: s.id, ref: s.m.ref })), ...membershipOnly];
  if (members.length) {
    await client.query(
      `INSERT INTO list_message (list_id, message_id, source_id, source_ref)
       SELECT $1, id, $2, ref FROM unnest($3::bigint[], $4::text[]) AS u(id, ref)
       ON CONFLICT DO NOTHING`,
      [ctx.listId, ctx.sourceId, members.map((x) => x.id), members.map((x) => x.ref)],
    );
  }

  // 5. Duplicates: a different message under a Message-ID already taken. Kept, recorded once.
  if (dupes.length) {
    const { rows: canon } = await client.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [
      [...new Set(dupes.map((d) => d.parsed.msgid))],
    ]);
    const idOf = new Map(canon.map((r) => [r.msgid as string, r.id as number]));
    const { rowCount } = await client.query(
      `INSERT INTO duplicate_message (message_id, content_hash, raw, list_id, source_id, source_ref)
       SELECT u.id, u.hash, u.raw, $1, $2, u.ref FROM unnest($3::bigint[], $4::text[], $5::bytea[], $6::text[]) AS u(id, hash, raw, ref)
       ON CONFLICT (message_id, content_hash) DO NOTHING`,
      [ctx.listId, ctx.sourceId, dupes.map((d) => idOf.get(d.parsed.msgid)), dupes.map((d) => d.parsed.contentHash), dupes.map((d) => d.raw), dupes.map((d) => d.ref)],
    );
    res.duplicates = rowCount ?? 0;
    res.unchanged += dupes.length - res.duplicates;
  }

  // 6. Messages that could not be taken: the reason, and the bytes up to the cap.
  if (batch.skipped?.length) {
    const cap = ctx.maxSkippedRawBytes ?? 32 * 1024 * 1024;
    const { rowCount } = await client.query(
      `INSERT INTO skipped_message (reason, detail, list_id, source_id, source_ref, size, raw)
       SELECT u.reason, u.detail, $1, $2, u.ref, u.size, u.raw
       FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::bytea[]) AS u(reason, detail, ref, size, raw)
       ON CONFLICT (source_id, source_ref, reason) DO NOTHING`,
      [
        ctx.listId,
        ctx.sourceId,
        batch.skipped.map((s) => clean(s.reason)),
        batch.skipped.map((s) => clean(s.detail).slice(0, 4000)),
        batch.skipped.map((s) => s.ref),
        batch.skipped.map((s) => s.size),
        batch.skipped.map((s) => (s.raw && s.raw.length <= cap ? s.raw : null)),
      ],
    );
    res.skipped = rowCount ?? 0;
  }

  // 7. Deletions (public-inbox `d` blobs): the message leaves the list; the record stays.
  const touchedThreads = new Set<number>();
  if (batch.deletions?.length) {
    const msgids = batch.deletions.map((d) => d.msgid);
    await client.query(
      `INSERT INTO deletion (msgid, list_id, source_ref) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
       ON CONFLICT DO NOTHING`,
      [msgids, msgids.map(() => ctx.listId), batch.deletions.map((d) => d.ref)],
    );
    const { rows } = await client.query(
      `DELETE FROM list_message lm USING message m
       WHERE lm.message_id = m.id AND lm.list_id = $1 AND m.msgid = ANY($2::text[]) RETURNING m.thread_id`,
      [ctx.listId, msgids],
    );
    res.deleted = rows.length;
    for (const r of rows) if (r.thread_id !== null) touchedThreads.add(r.thread_id);
  }

  // 8. Threading, then the summaries of every thread touched. Replies without any references
  //    go second, so they can find by subject a thread started earlier in this same batch.
  const bySubjectOnly = (s: { m: IncomingMessage }) => !s.m.parsed.references.length && s.m.parsed.isReply;
  for (const t of await threadMessages(client, ctx.listId, stored.filter((s) => !bySubjectOnly(s)))) touchedThreads.add(t);
  await refreshThreads(client, [...touchedThreads]);
  const late = stored.filter(bySubjectOnly);
  if (late.length) {
    const lateThreads = await threadMessages(client, ctx.listId, late);
    for (const t of lateThreads) touchedThreads.add(t);
    await refreshThreads(client, lateThreads);
  }
  res.threadsTouched = touchedThreads.size;
  return res;
}

async function upsertPeople(client: pg.PoolClient, messages: IncomingMessage[]): Promise<Map<string, number>> {
  // name sets and first/last dates per address, for senders and recipients alike
  const people = new Map<string, { names: Set<string>; first: string | null; last: string | null }>();
  const see = (address: string, name: string, date: string | null) => {
    address = clean(address);
    if (!address) return;
    let p = people.get(address);
    if (!p) people.set(address, (p = { names: new Set(), first: date, last: date }));
    if (name) p.names.add(clean(name));
    if (date && (!p.first || date < p.first)) p.first = date;
    if (date && (!p.last || date > p.last)) p.last = date;
  };
  for (const m of messages) {
    const p = m.parsed;
    see(p.from.address, p.from.name, p.date);
    for (const a of [...p.to, ...p.cc]) see(a.address, a.name, null);
  }
  if (!people.size) return new Map();
  // sorted, so two concurrent writers lock rows in the same order
  const rows = [...people.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([address, p]) => ({ address, names: [...p.names], first: p.first, last: p.last }));
  await client.query(
    `INSERT INTO person (address, names, first_seen, last_seen)
     SELECT x.address, ARRAY(SELECT jsonb_array_elements_text(x.names)), x.first, x.last
     FROM jsonb_to_recordset($1::jsonb) AS x(address text, names jsonb, first timestamptz, last timestamptz)
     ON CONFLICT (address) DO UPDATE SET
       names = ARRAY(SELECT DISTINCT n FROM unnest(person.names || excluded.names) AS n ORDER BY n),
       first_seen = LEAST(person.first_seen, excluded.first_seen),
       last_seen = GREATEST(person.last_seen, excluded.last_seen)
     WHERE NOT (person.names @> excluded.names)
        OR excluded.first_seen < person.first_seen OR excluded.last_seen > person.last_seen
        OR (person.first_seen IS NULL AND excluded.first_seen IS NOT NULL)`,
    [JSON.stringify(rows)],
  );
  const senders = [...new Set(messages.map((m) => clean(m.parsed.from.address)).filter(Boolean))];
  const { rows: ids } = await client.query(`SELECT id, address FROM person WHERE address = ANY($1::text[])`, [senders]);
  return new Map(ids.map((r) => [r.address as string, r.id as number]));
}

/** Subject-only threading joins a thread that started at most this long before the reply. */
const SUBJECT_WINDOW_DAYS = 120;

interface Node {
  id: number;
  msgid: string;
  threadId: number | null;
  parentId: number | null;
  ghost: boolean;
}

/**
 * Assigns threads and parents to freshly stored messages, the way public-inbox does it
 * incrementally: a message joins the threads of everything it references (merging them), absent
 * references become ghosts, and a message without any references joins a thread by subject
 * only when it is a reply. Returns the ids of the threads touched.
 */
async function threadMessages(client: pg.PoolClient, listId: number, stored: { id: number; m: IncomingMessage }[]): Promise<number[]> {
  if (!stored.length) return [];
  const nodes = new Map<string, Node>();
  const allIds = new Set<string>();
  for (const s of stored) {
    allIds.add(s.m.parsed.msgid);
    for (const r of s.m.parsed.references) allIds.add(r);
  }
  const load = async (msgids: string[]) => {
    const { rows } = await client.query(
      `SELECT id, msgid, thread_id, parent_id, ghost FROM message WHERE msgid = ANY($1::text[])`,
      [msgids],
    );
    for (const r of rows) nodes.set(r.msgid, { id: r.id, msgid: r.msgid, threadId: r.thread_id, parentId: r.parent_id, ghost: r.ghost });
  };
  await load([...allIds]);
  const missing = [...allIds].filter((x) => !nodes.has(x));
  if (missing.length) {
    await client.query(`INSERT INTO message (msgid, ghost) SELECT unnest($1::text[]), true ON CONFLICT (msgid) DO NOTHING`, [missing.sort()]);
    await load(missing);
  }

  // union-find over msgids: every message with everything it references
  const up = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (up.has(r)) r = up.get(r)!;
    while (up.has(x)) {
      const n = up.get(x)!;
      up.set(x, r);
      x = n;
    }
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a), rb = find(b);
    if (ra !== rb) up.set(ra, rb);
  };
  for (const s of stored) for (const r of s.m.parsed.references) union(s.m.parsed.msgid, r);

  // subject-only threading for replies that reference nothing
  const subjectJoins = new Map<string, { threadId: number; rootId: number }>();
  for (const s of stored) {
    const p = s.m.parsed;
    if (p.references.length || !p.isReply || !p.threadSubject) continue;
    const { rows } = await client.query(
      `SELECT t.id, t.root_id FROM thread t JOIN list_thread lt ON lt.thread_id = t.id AND lt.list_id = $1
       WHERE t.thread_subject = $2 AND t.root_id IS NOT NULL AND t.root_id <> $3
         AND ($4::timestamptz IS NULL OR t.first_date BETWEEN $4::timestamptz - make_interval(days => $5) AND $4::timestamptz)
       ORDER BY t.first_date DESC NULLS LAST LIMIT 1`,
      [listId, p.threadSubject, s.id, p.date, SUBJECT_WINDOW_DAYS],
    );
    if (rows.length) subjectJoins.set(p.msgid, { threadId: rows[0].id, rootId: rows[0].root_id });
  }

  // components -> one thread each: the smallest existing thread id wins, the others merge into it
  const groups = new Map<string, Set<number>>();
  for (const [msgid, n] of nodes) {
    const g = find(msgid);
    if (!groups.has(g)) groups.set(g, new Set());
    if (n.threadId !== null) groups.get(g)!.add(n.threadId);
  }
  for (const [msgid, j] of subjectJoins) groups.get(find(msgid))!.add(j.threadId);
  const threadOfGroup = new Map<string, number>();
  const merges: { from: number[]; into: number }[] = [];
  const needNew: string[] = [];
  for (const [g, tids] of groups) {
    if (!tids.size) {
      needNew.push(g);
      continue;
    }
    const sorted = [...tids].sort((a, b) => a - b);
    threadOfGroup.set(g, sorted[0]);
    if (sorted.length > 1) merges.push({ from: sorted.slice(1), into: sorted[0] });
  }
  if (needNew.length) {
    const { rows } = await client.query(
      `INSERT INTO thread (dirty) SELECT true FROM generate_series(1, $1) RETURNING id`,
      [needNew.length],
    );
    needNew.forEach((g, i) => threadOfGroup.set(g, rows[i].id));
  }
  for (const mg of merges) {
    await client.query(`UPDATE message SET thread_id = $1 WHERE thread_id = ANY($2::int[])`, [mg.into, mg.from]);
    await client.query(`DELETE FROM list_thread WHERE thread_id = ANY($1::int[])`, [mg.from]);
    await client.query(`DELETE FROM thread WHERE id = ANY($1::int[])`, [mg.from]);
  }

  // parents: a message's own headers decide its parent; a ghost gets the one before it in the
  // longest References chain that names it (JWZ), unless that would make a loop
  const parentOfNode = new Map<number, number | null>();
  for (const n of nodes.values()) parentOfNode.set(n.id, n.parentId);
  const wouldLoop = (child: number, parent: number) => {
    let cur: number | null | undefined = parent;
    for (let i = 0; cur != null && i < 10_000; i++) {
      if (cur === child) return true;
      cur = parentOfNode.get(cur);
    }
    return false;
  };
  const updates = new Map<number, { thread: number; parent: number | null; method: string | null }>();
  for (const n of nodes.values()) {
    const t = threadOfGroup.get(find(n.msgid))!;
    if (t !== n.threadId) updates.set(n.id, { thread: t, parent: n.parentId, method: null });
  }
  const setParent = (n: Node, parentId: number | null, method: string) => {
    const u = updates.get(n.id) ?? { thread: threadOfGroup.get(find(n.msgid))!, parent: n.parentId, method: null };
    u.parent = parentId;
    u.method = method;
    updates.set(n.id, u);
    parentOfNode.set(n.id, parentId);
  };
  for (const s of stored) {
    const p = s.m.parsed;
    const self = nodes.get(p.msgid)!;
    const chain = p.references;
    for (let i = 1; i < chain.length; i++) {
      const child = nodes.get(chain[i])!, parent = nodes.get(chain[i - 1])!;
      if (child.ghost && parentOfNode.get(child.id) == null && !wouldLoop(child.id, parent.id)) setParent(child, parent.id, "references");
    }
    const parentMsgid = parentOf(p);
    const join = subjectJoins.get(p.msgid);
    if (parentMsgid) {
      const parent = nodes.get(parentMsgid)!;
      setParent(self, wouldLoop(self.id, parent.id) ? null : parent.id, p.references.length > 1 || !p.inReplyTo ? "references" : "in-reply-to");
    } else if (join) setParent(self, join.rootId, "subject");
    else setParent(self, null, "none");
  }
  if (updates.size) {
    const entries = [...updates.entries()];
    await client.query(
      `UPDATE message m SET thread_id = u.thread, parent_id = u.parent, thread_method = COALESCE(u.method, m.thread_method)
       FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[]) AS u(id, thread, parent, method)
       WHERE m.id = u.id`,
      [entries.map(([id]) => id), entries.map(([, u]) => u.thread), entries.map(([, u]) => u.parent), entries.map(([, u]) => u.method)],
    );
  }
  return [...new Set(threadOfGroup.values())];
}

/** Recomputes counts, dates, root and subject of the given threads, and their per-list rows. */
export async function refreshThreads(client: pg.PoolClient | pg.Pool, threadIds: number[]): Promise<void> {
  if (!threadIds.length) return;
  await client.query(
    `UPDATE thread t SET message_count = s.real, ghost_count = s.ghosts, first_date = s.first, last_date = s.last,
       root_id = s.root_id, subject = COALESCE(s.subject, ''), thread_subject = COALESCE(s.thread_subject, ''), dirty = false
     FROM (
       SELECT m.thread_id,
              count(*) FILTER (WHERE NOT m.ghost) AS real,
              count(*) FILTER (WHERE m.ghost) AS ghosts,
              min(m.date) AS first, max(m.date) AS last,
              (array_agg(m.id ORDER BY (m.parent_id IS NOT NULL), m.ghost, m.date NULLS LAST, m.id))[1] AS root_id,
              (array_agg(m.subject ORDER BY (m.parent_id IS NOT NULL), m.date NULLS LAST, m.id) FILTER (WHERE NOT m.ghost))[1] AS subject,
              (array_agg(m.thread_subject ORDER BY (m.parent_id IS NOT NULL), m.date NULLS LAST, m.id) FILTER (WHERE NOT m.ghost))[1] AS thread_subject
       FROM message m WHERE m.thread_id = ANY($1::int[]) GROUP BY m.thread_id
     ) s WHERE t.id = s.thread_id`,
    [threadIds],
  );
  await client.query(`DELETE FROM list_thread WHERE thread_id = ANY($1::int[])`, [threadIds]);
  await client.query(
    `INSERT INTO list_thread (list_id, thread_id, message_count, last_date)
     SELECT lm.list_id, m.thread_id, count(*), max(m.date)
     FROM message m JOIN list_message lm ON lm.message_id = m.id
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost
     GROUP BY lm.list_id, m.thread_id`,
    [threadIds],
  );
}
