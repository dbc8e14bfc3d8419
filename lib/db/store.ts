// The bulk writer: stores a batch of parsed messages in one transaction, set-based (one
// statement per table per batch, rows passed as one JSON document), then threads them.
// A batch and the source cursor that produced it commit together, so a killed ingester
// resumes exactly where its last committed batch ended: no duplicates, nothing lost.
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ParsedMail } from "../mail/types";
import { cleanDisplayName } from "../mail/address";
import { parentOf } from "../thread/jwz";
import { analyzeMessage, type MessageAnalysis } from "../analyze/message";
import { writePatches } from "./patches";
import { writeKnowledge } from "./knowledge";
import { mergeSearchIndex, prepareSearchDocs, writeSearchDocs } from "./search-docs";
import type { Db } from "./client";
import { transaction } from "./tx";

export interface IncomingMessage {
  parsed: ParsedMail;
  /** per-message analysis (subject, body facts, patch); computed here when absent */
  analysis?: MessageAnalysis;
  raw: Buffer;
  /** provenance: where in the source the bytes were read */
  ref: string;
  /** how the message was recovered: "raw" for real messages, "page:<format>" for archive pages, "quote" */
  recovery?: string;
  /** rebuilt from quotes in another message: stored as a ghost with content, never over a real message */
  reconstructed?: boolean;
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


/** PostgreSQL text cannot hold NUL; the parser removes them from bodies, this guards the rest. */
function clean(s: string): string {
  // NUL, and lone UTF-16 surrogates (which PostgreSQL's JSON input rejects): a second line of
  // defence behind the parser, so one odd string never fails a whole batch
  const t = s.includes("\u0000") ? s.replaceAll("\u0000", "") : s;
  return t.isWellFormed() ? t : t.toWellFormed();
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
    body: clean(p.text),
    body_from_html: p.textFromHtml,
    attachments: cleanDeep(p.attachments.map((a) => ({ ...a, text: undefined }))),
    size: p.size,
    content_hash: p.contentHash,
    problems: cleanDeep(p.problems),
    recovery: m.recovery ?? (m.reconstructed ? "quote" : "raw"),
    facts: m.analysis!.facts,
    ghost: m.reconstructed === true,
  };
}

const MESSAGE_RECORD = `x(id bigint, thread_id int, parent_id bigint, thread_method text, msgid text, synthetic_msgid boolean, subject text, thread_subject text, is_reply boolean,
  from_id int, from_name text, from_address text, "to" jsonb, cc jsonb, date timestamptz, tz_offset int,
  in_reply_to text, "references" json, body text, body_from_html boolean, attachments jsonb,
  size int, content_hash text, problems jsonb, recovery text, facts jsonb, ghost boolean)`;
const MESSAGE_COLUMNS = `msgid, synthetic_msgid, subject, thread_subject, is_reply, from_id, from_name, from_address,
  "to", cc, date, tz_offset, in_reply_to, "references", body, body_from_html, attachments, size,
  content_hash, problems, recovery, facts, ghost`;
const MESSAGE_VALUES = `x.msgid, x.synthetic_msgid, x.subject, x.thread_subject, x.is_reply, x.from_id, x.from_name,
  x.from_address, x."to", x.cc, x.date, x.tz_offset, x.in_reply_to,
  ARRAY(SELECT json_array_elements_text(x."references")), x.body, x.body_from_html, x.attachments,
  x.size, x.content_hash, x.problems, x.recovery, x.facts, x.ghost`;

export async function storeBatch(db: Db, ctx: StoreContext, batch: BatchInput): Promise<BatchResult> {
  const result = await transaction(db.pool, async (client) => {
    const result = await storeInTransaction(client, ctx, batch);
    if (batch.cursor && ctx.sourceId !== null) {
      await client.query(`UPDATE source SET state = state || $2::jsonb, updated_at = now() WHERE id = $1`, [
        ctx.sourceId,
        JSON.stringify(batch.cursor),
      ]);
    }
    return result;
  }, { lock: true });
  mergeSearchIndex(db);
  return result;
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
  const existing = new Map<string, { id: number; ghost: boolean; content_hash: string | null; thread_id: number | null }>();
  if (ids.length) {
    const { rows } = await client.query(`SELECT id, msgid, ghost, content_hash, thread_id FROM message WHERE msgid = ANY($1::text[])`, [ids]);
    for (const r of rows) existing.set(r.msgid, r);
  }
  const toInsert: IncomingMessage[] = [];
  const toFill: IncomingMessage[] = [];
  const membershipOnly: { id: number; ref: string; threadId: number | null }[] = [];
  for (const [msgid, m] of candidates) {
    const e = existing.get(msgid);
    if (m.reconstructed) {
      // a message rebuilt from quotes only fills a bare ghost; the real message always wins
      if (!e) toInsert.push(m);
      else if (e.ghost && e.content_hash === null) toFill.push(m);
      else res.unchanged++;
      continue;
    }
    if (!e) toInsert.push(m);
    else if (e.ghost) toFill.push(m);
    else if (e.content_hash === m.parsed.contentHash) {
      res.unchanged++;
      membershipOnly.push({ id: e.id, ref: m.ref, threadId: e.thread_id });
    } else dupes.push(m);
  }

  // 3. People: one per address, with every display name seen.
  const fromIds = await upsertPeople(client, [...toInsert, ...toFill]);

  // 4. New messages and ghosts filled in place, threaded before they are written (so each row is
  //    written once).
  const touchedThreads = new Set<number>();
  const newIds = toInsert.length
    ? (await client.query(`SELECT nextval(pg_get_serial_sequence('message', 'id')) AS id FROM generate_series(1, $1)`, [toInsert.length])).rows.map((r) => r.id as number)
    : [];
  const items: StoredItem[] = [
    ...toInsert.map((m, i) => ({ id: newIds[i], m, fill: false, threadId: null })),
    ...toFill.map((m) => ({ id: existing.get(m.parsed.msgid)!.id, m, fill: true, threadId: existing.get(m.parsed.msgid)!.thread_id })),
  ];
  for (const it of items) it.m.analysis ??= analyzeMessage(it.m.parsed);
  // search documents are built while PostgreSQL writes the rows below (lib/db/search-docs.ts)
  const searchDocs = prepareSearchDocs(items.filter((it) => !it.m.reconstructed).map((it) => ({ messageId: it.id, parsed: it.m.parsed, analysis: it.m.analysis!, replace: it.fill })));
  const threads = await writeThreaded(client, ctx.listId, items, fromIds);
  await writePatches(client, items.map((it) => ({ messageId: it.id, analysis: it.m.analysis!, replace: it.fill })));
  // ideas, decisions, benchmarks, robot reports (lib/db/knowledge.ts); reconstructed messages too
  await writeKnowledge(client, items.map((it) => ({ messageId: it.id, knowledge: it.m.analysis!.knowledge, replace: it.fill })));
  await writeSearchDocs(client, searchDocs);
  await refreshThreads(client, threads);
  for (const t of threads) touchedThreads.add(t);
  res.inserted = toInsert.length;
  res.filledGhosts = toFill.length;
  const stored = items;
  if (stored.length) await copyRaw(client, stored.map((s) => s.id), stored.map((s) => s.m.raw));
  // reconstructed ghosts belong to no list: the archive never had them
  const members = [...stored.filter((s) => !s.m.reconstructed).map((s) => ({ id: s.id, ref: s.m.ref })), ...membershipOnly];
  if (members.length) {
    // a known message read again for another list joins that list: its thread's per-list rows change
    for (const m of membershipOnly) if (m.threadId !== null) touchedThreads.add(m.threadId);
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
    // skipped before (a rerun): the same message again, nothing new
    res.unchanged += batch.skipped.length - res.skipped;
  }

  // 7. Deletions (public-inbox `d` blobs): the message leaves the list; the record stays.
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

  // 8. Summaries of threads touched by deletions.
  await refreshThreads(client, [...touchedThreads]);
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
    // the parser already gives names without quotes or get_maintainer.pl notes; names are collected here
    name = cleanDisplayName(name ?? "");
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

interface StoredItem {
  /** the row id: preallocated for new messages, the ghost's for filled ones */
  id: number;
  m: IncomingMessage;
  /** true: fills a ghost row in place; false: a new row */
  fill: boolean;
  /** the ghost's thread, for filled ones */
  threadId: number | null;
}

/**
 * Threads a set of messages and writes them, each row once with its thread and parent, the way
 * public-inbox threads incrementally: a message joins the threads of everything it references
 * (merging them), absent references become ghosts, and a message without any references joins a
 * thread by subject only when it is a reply. Returns the ids of the threads touched.
 */
async function writeThreaded(client: pg.PoolClient, listId: number, items: StoredItem[], fromIds: Map<string, number>): Promise<number[]> {
  const nodes = new Map<string, Node>();
  for (const it of items) nodes.set(it.m.parsed.msgid, { id: it.id, msgid: it.m.parsed.msgid, threadId: it.threadId, parentId: null, ghost: it.m.reconstructed === true });
  const refIds = new Set<string>();
  for (const it of items) for (const r of it.m.parsed.references) if (!nodes.has(r)) refIds.add(r);
  const load = async (msgids: string[]) => {
    if (!msgids.length) return;
    const { rows } = await client.query(
      `SELECT id, msgid, thread_id, parent_id, ghost FROM message WHERE msgid = ANY($1::text[])`,
      [msgids],
    );
    for (const r of rows) nodes.set(r.msgid, { id: r.id, msgid: r.msgid, threadId: r.thread_id, parentId: r.parent_id, ghost: r.ghost });
  };
  await load([...refIds]);
  const missing = [...refIds].filter((x) => !nodes.has(x)).sort();
  if (missing.length) {
    await client.query(`INSERT INTO message (msgid, ghost) SELECT unnest($1::text[]), true ON CONFLICT (msgid) DO NOTHING`, [missing]);
    await load(missing);
  }

  // union-find over msgids, and over existing threads as "\0t<id>" keys: a message joins
  // everything it references, and every node the thread it already belongs to, so two groups
  // touching one existing thread become one
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
  const threadKey = (t: number) => `\u0000t${t}`;
  for (const it of items) for (const r of it.m.parsed.references) union(it.m.parsed.msgid, r);
  for (const [msgid, n] of nodes) if (n.threadId !== null) union(msgid, threadKey(n.threadId));

  // subject-only threading for replies that reference nothing: the latest earlier thread root
  // with the same subject key, in this batch or already stored in this list
  const subjectJoins = new Map<string, { threadId: number | null; rootId: number; rootMsgid: string | null }>();
  const roots = items.filter((it) => !it.m.parsed.references.length && !it.m.parsed.isReply);
  const windowMs = SUBJECT_WINDOW_DAYS * 86_400_000;
  for (const it of items) {
    const p = it.m.parsed;
    if (p.references.length || !p.isReply || !p.threadSubject) continue;
    const t = p.date ? Date.parse(p.date) : null;
    let best: StoredItem | null = null;
    for (const r of roots) {
      const rp = r.m.parsed;
      if (rp.threadSubject !== p.threadSubject || r === it) continue;
      const rt = rp.date ? Date.parse(rp.date) : null;
      if (t !== null && (rt === null || rt > t || t - rt > windowMs)) continue;
      if (!best || (rt ?? 0) > Date.parse(best.m.parsed.date ?? "1970-01-01")) best = r;
    }
    if (best) {
      subjectJoins.set(p.msgid, { threadId: null, rootId: best.id, rootMsgid: best.m.parsed.msgid });
      union(p.msgid, best.m.parsed.msgid);
      continue;
    }
    const { rows } = await client.query(
      `SELECT t.id, t.root_id FROM thread t JOIN list_thread lt ON lt.thread_id = t.id AND lt.list_id = $1
       WHERE t.thread_subject = $2 AND t.root_id IS NOT NULL
         AND ($3::timestamptz IS NULL OR t.first_date BETWEEN $3::timestamptz - make_interval(days => $4) AND $3::timestamptz)
       ORDER BY t.first_date DESC NULLS LAST LIMIT 1`,
      [listId, p.threadSubject, p.date, SUBJECT_WINDOW_DAYS],
    );
    if (rows.length) {
      subjectJoins.set(p.msgid, { threadId: rows[0].id, rootId: rows[0].root_id, rootMsgid: null });
      union(p.msgid, threadKey(rows[0].id));
    }
  }

  // components -> one thread each: the smallest existing thread id wins, the others merge into it
  const groups = new Map<string, Set<number>>();
  const addToGroup = (msgid: string, threadId: number | null) => {
    const g = find(msgid);
    if (!groups.has(g)) groups.set(g, new Set());
    if (threadId !== null) groups.get(g)!.add(threadId);
  };
  for (const [msgid, n] of nodes) addToGroup(msgid, n.threadId);
  for (const [msgid, j] of subjectJoins) addToGroup(msgid, j.threadId);
  // (in-batch joins were unioned with their root's msgid above)
  const threadOfGroup = new Map<string, number>();
  const needNew: string[] = [];
  for (const [g, tids] of groups) {
    if (!tids.size) {
      needNew.push(g);
      continue;
    }
    const sorted = [...tids].sort((a, b) => a - b);
    threadOfGroup.set(g, sorted[0]);
    if (sorted.length > 1) {
      const from = sorted.slice(1);
      await client.query(`UPDATE message SET thread_id = $1 WHERE thread_id = ANY($2::int[])`, [sorted[0], from]);
      await client.query(`DELETE FROM list_thread WHERE thread_id = ANY($1::int[])`, [from]);
      await client.query(`DELETE FROM thread WHERE id = ANY($1::int[])`, [from]);
    }
  }
  if (needNew.length) {
    const { rows } = await client.query(`INSERT INTO thread (dirty) SELECT true FROM generate_series(1, $1) RETURNING id`, [needNew.length]);
    needNew.forEach((g, i) => threadOfGroup.set(g, rows[i].id));
  }
  const threadOf = (msgid: string) => threadOfGroup.get(find(msgid))!;

  // parents: a message's own headers decide its parent; a ghost gets the one before it in the
  // References chain that names it (JWZ), unless that would make a loop
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
  const placed = new Map<number, { thread: number; parent: number | null; method: string | null }>();
  const place = (n: Node, parent: number | null, method: string | null) => {
    placed.set(n.id, { thread: threadOf(n.msgid), parent, method });
    parentOfNode.set(n.id, parent);
  };
  for (const n of nodes.values()) if (threadOf(n.msgid) !== n.threadId) place(n, n.parentId, null);
  for (const it of items) {
    const p = it.m.parsed;
    const chain = p.references;
    for (let i = 1; i < chain.length; i++) {
      const child = nodes.get(chain[i])!, parent = nodes.get(chain[i - 1])!;
      if (child.ghost && parentOfNode.get(child.id) == null && child.id !== parent.id && !wouldLoop(child.id, parent.id)) place(child, parent.id, "references");
    }
    const self = nodes.get(p.msgid)!;
    const parentMsgid = parentOf(p);
    const join = subjectJoins.get(p.msgid);
    if (parentMsgid) {
      const parent = nodes.get(parentMsgid)!;
      place(self, wouldLoop(self.id, parent.id) ? null : parent.id, p.references.length > 1 || !p.inReplyTo ? "references" : "in-reply-to");
    } else if (join) place(self, join.rootId, "subject");
    else place(self, null, "none");
  }

  // write: new rows, filled ghosts, then the other nodes whose thread or parent changed
  const rowOf = (it: StoredItem) => {
    const pl = placed.get(it.id)!;
    return { id: it.id, thread_id: pl.thread, parent_id: pl.parent, thread_method: pl.method, ...messageRow(it.m, fromIds.get(it.m.parsed.from.address) ?? null) };
  };
  const fresh = items.filter((it) => !it.fill);
  if (fresh.length) {
    const { rowCount } = await client.query(
      `INSERT INTO message (id, thread_id, parent_id, thread_method, ${MESSAGE_COLUMNS})
       SELECT x.id, x.thread_id, x.parent_id, x.thread_method, ${MESSAGE_VALUES}
       FROM json_to_recordset($1::json) AS ${MESSAGE_RECORD}`,
      [JSON.stringify(fresh.map(rowOf))],
    );
    if (rowCount !== fresh.length) throw new Error(`inserted ${rowCount} of ${fresh.length} messages`);
  }
  const fills = items.filter((it) => it.fill);
  if (fills.length) {
    await client.query(
      `UPDATE message m SET ghost = x.ghost, thread_id = x.thread_id, parent_id = x.parent_id, thread_method = x.thread_method,
         synthetic_msgid = x.synthetic_msgid, subject = x.subject,
         thread_subject = x.thread_subject, is_reply = x.is_reply, from_id = x.from_id, from_name = x.from_name,
         from_address = x.from_address, "to" = x."to", cc = x.cc, date = x.date, tz_offset = x.tz_offset,
         in_reply_to = x.in_reply_to, "references" = ARRAY(SELECT json_array_elements_text(x."references")),
         body = x.body, body_from_html = x.body_from_html, attachments = x.attachments,
         size = x.size, content_hash = x.content_hash, problems = x.problems, recovery = x.recovery, facts = x.facts
       FROM json_to_recordset($1::json) AS ${MESSAGE_RECORD}
       WHERE m.id = x.id`,
      [JSON.stringify(fills.map(rowOf))],
    );
  }
  const itemIds = new Set(items.map((it) => it.id));
  const others = [...placed.entries()].filter(([id]) => !itemIds.has(id));
  if (others.length) {
    await client.query(
      `UPDATE message m SET thread_id = u.thread, parent_id = u.parent, thread_method = COALESCE(u.method, m.thread_method)
       FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::text[]) AS u(id, thread, parent, method)
       WHERE m.id = u.id`,
      [others.map(([id]) => id), others.map(([, u]) => u.thread), others.map(([, u]) => u.parent), others.map(([, u]) => u.method)],
    );
  }
  return [...new Set(threadOfGroup.values())];
}

/** Raw bytes through COPY in binary format: no hex encoding, no escaping, no parsing. */
async function copyRaw(client: pg.PoolClient, ids: number[], raws: Buffer[]): Promise<void> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS raw_incoming (message_id bigint, raw bytea) ON COMMIT DELETE ROWS`);
  const stream = client.query(copyFrom(`COPY raw_incoming (message_id, raw) FROM STDIN (FORMAT binary)`));
  const header = Buffer.concat([Buffer.from("PGCOPY\n\xff\r\n\0", "latin1"), Buffer.alloc(8)]);
  const chunks: Buffer[] = [header];
  for (let i = 0; i < ids.length; i++) {
    const row = Buffer.alloc(2 + 4 + 8 + 4);
    row.writeInt16BE(2, 0);
    row.writeInt32BE(8, 2);
    row.writeBigInt64BE(BigInt(ids[i]), 6);
    row.writeInt32BE(raws[i].length, 14);
    chunks.push(row, raws[i]);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1, 0);
  chunks.push(trailer);
  await pipeline(Readable.from(chunks), stream);
  await client.query(
    `INSERT INTO raw_message (message_id, raw) SELECT message_id, raw FROM raw_incoming
     ON CONFLICT (message_id) DO UPDATE SET raw = excluded.raw`,
  );
}

/**
 * Recomputes counts, dates, root and subject of the given threads, and their per-list rows, and
 * marks them dirty: their series and versions are derived again by deriveDirtyThreads.
 */
export async function refreshThreads(client: pg.PoolClient | pg.Pool, threadIds: number[]): Promise<void> {
  if (!threadIds.length) return;
  await client.query(
    `UPDATE thread t SET message_count = s.real, ghost_count = s.ghosts, first_date = s.first, last_date = s.last,
       root_id = s.root_id, subject = COALESCE(s.subject, ''), thread_subject = COALESCE(s.thread_subject, ''), dirty = true
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
