// Read queries behind every page and /api/ route. Pages and API return the same objects, so
// what a script sees under /api/ is exactly what the page shows.
import type { Db } from "../db/client";
import { iso, MAX_PAGE_SIZE, type Page } from "./refs";
import { parseMail } from "../mail/parse";
import { buildThreadTree, flattenThread, type ThreadInput } from "../thread/jwz";

export interface ListSummary {
  name: string;
  listId: string | null;
  description: string | null;
  messages: number;
  threads: number;
  lastDate: string | null;
}

export interface MessageSummary {
  msgid: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  date: string | null;
  ghost: boolean;
}

export interface ThreadSummary {
  threadId: number;
  subject: string;
  root: MessageSummary | null;
  messages: number;
  ghosts: number;
  firstDate: string | null;
  lastDate: string | null;
  participants: string[];
}

export interface Attachment {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  disposition: string | null;
}

export interface MessageDetail extends MessageSummary {
  id: number;
  list: string | null;
  lists: string[];
  threadId: number | null;
  parent: string | null;
  references: string[];
  inReplyTo: string | null;
  to: { name: string; address: string }[];
  cc: { name: string; address: string }[];
  tzOffset: number | null;
  /** every header, decoded, in order: filled by getMessage (read from the raw bytes), empty in thread views */
  headers: [string, string][];
  body: string;
  bodyFromHtml: boolean;
  attachments: Attachment[];
  problems: { code: string; detail: string }[];
  syntheticMsgid: boolean;
  threadMethod: string | null;
  recovery: string;
  sources: { list: string; ref: string | null }[];
  duplicates: number;
  /** Message-IDs and lore links named in the body, resolved when the target is in the database (getMessage only) */
  links: { msgid: string; found: boolean; list: string | null; subject: string | null }[];
}

export interface ThreadMessage extends MessageDetail {
  depth: number;
}

export interface ThreadView {
  list: string;
  threadId: number;
  subject: string;
  messages: number;
  ghosts: number;
  /** depth-first order of the JWZ tree; ghosts included, marked */
  /** reconstructed: rebuilt from the quotes of another message (recovery "quote"), not in the archive */
  tree: { msgid: string; depth: number; ghost: boolean; reconstructed: boolean; subject: string; fromName: string; date: string | null }[];
  /** messages (no ghosts) in date order, the flat view (/T/) */
  flat: MessageDetail[];
}

export interface Stats {
  messages: number;
  threads: number;
  ghosts: number;
  lists: number;
  people: number;
  duplicates: number;
  parseErrors: number;
  skippedByReason: Record<string, number>;
  deletions: number;
  perList: { name: string; messages: number; threads: number }[];
  /** knowledge (lib/db/knowledge.ts) and the passes over it: rows per table */
  proposals: number;
  ideas: number;
  decisions: number;
  benchmarks: number;
  runs: number;
  robotReports: number;
}


export async function listLists(db: Db): Promise<ListSummary[]> {
  const { rows } = await db.pool.query(`
    SELECT l.name, l.list_id, l.description,
           (SELECT count(*) FROM list_message lm WHERE lm.list_id = l.id) AS messages,
           (SELECT count(*) FROM list_thread lt WHERE lt.list_id = l.id) AS threads,
           (SELECT max(lt.last_date) FROM list_thread lt WHERE lt.list_id = l.id) AS last_date
    FROM list l ORDER BY l.name`);
  return rows.map((r) => ({
    name: r.name, listId: r.list_id, description: r.description,
    messages: r.messages, threads: r.threads, lastDate: iso(r.last_date),
  }));
}

/** Every list's name, in order (filter forms). */
export async function listNames(db: Pick<Db, "pool">): Promise<string[]> {
  const { rows } = await db.pool.query(`SELECT name FROM list ORDER BY name`);
  return rows.map((r) => r.name as string);
}

export async function getList(db: Db, name: string): Promise<ListSummary | null> {
  return (await listLists(db)).find((l) => l.name === name) ?? null;
}

export async function listThreads(db: Db, listName: string, page = 1, pageSize = 50): Promise<Page<ThreadSummary> | null> {
  const { rows: lr } = await db.pool.query(`SELECT id FROM list WHERE name = $1`, [listName]);
  if (!lr.length) return null;
  const listId = lr[0].id;
  page = Math.max(1, Math.floor(page) || 1);
  pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize) || 50));
  const { rows: [{ total }] } = await db.pool.query(`SELECT count(*) AS total FROM list_thread WHERE list_id = $1`, [listId]);
  const { rows } = await db.pool.query(
    `SELECT t.id, t.subject, lt.message_count, t.ghost_count, t.first_date, lt.last_date,
            r.msgid AS root_msgid, r.subject AS root_subject, r.from_name, r.from_address, r.date AS root_date, r.ghost AS root_ghost,
            ARRAY(SELECT DISTINCT COALESCE(NULLIF(m.from_name, ''), m.from_address) FROM message m
                  WHERE m.thread_id = t.id AND NOT m.ghost LIMIT 8) AS participants
     FROM list_thread lt JOIN thread t ON t.id = lt.thread_id LEFT JOIN message r ON r.id = t.root_id
     WHERE lt.list_id = $1
     ORDER BY lt.last_date DESC NULLS LAST, t.id DESC
     LIMIT $2 OFFSET $3`,
    [listId, pageSize, (page - 1) * pageSize],
  );
  return {
    page, pageSize, total,
    items: rows.map((r) => ({
      threadId: r.id,
      subject: r.subject,
      root: r.root_msgid
        ? { msgid: r.root_msgid, subject: r.root_subject, fromName: r.from_name, fromAddress: r.from_address, date: iso(r.root_date), ghost: r.root_ghost }
        : null,
      messages: r.message_count,
      ghosts: r.ghost_count,
      firstDate: iso(r.first_date),
      lastDate: iso(r.last_date),
      participants: r.participants,
    })),
  };
}

const DETAIL_COLUMNS = `m.id, m.msgid, m.ghost, m.subject, m.from_name, m.from_address, m.date, m.tz_offset, m.thread_id,
  p.msgid AS parent_msgid, m."references", m.in_reply_to, m."to", m.cc, m.body, m.body_from_html,
  m.attachments, m.problems, m.synthetic_msgid, m.thread_method, m.recovery, m.facts,
  ARRAY(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name) AS lists,
  (SELECT json_agg(json_build_object('list', l.name, 'ref', lm.source_ref)) FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id) AS sources,
  (SELECT count(*) FROM duplicate_message d WHERE d.message_id = m.id) AS duplicates`;

function toDetail(r: Record<string, any>, list: string | null): MessageDetail {
  return {
    id: r.id, msgid: r.msgid, ghost: r.ghost, subject: r.subject, fromName: r.from_name, fromAddress: r.from_address,
    date: iso(r.date), tzOffset: r.tz_offset, list, lists: r.lists, threadId: r.thread_id, parent: r.parent_msgid,
    references: r.references, inReplyTo: r.in_reply_to, to: r.to, cc: r.cc, headers: [], body: r.body,
    bodyFromHtml: r.body_from_html, attachments: r.attachments, problems: r.problems, syntheticMsgid: r.synthetic_msgid,
    threadMethod: r.thread_method, recovery: r.recovery, sources: r.sources ?? [], duplicates: r.duplicates,
    links: [],
  };
}

/** A message by Message-ID; with a list, only when the message is in that list (ghosts: in any). */
export async function getMessage(db: Db, listName: string | null, msgid: string): Promise<MessageDetail | null> {
  const { rows } = await db.pool.query(
    `SELECT ${DETAIL_COLUMNS} FROM message m LEFT JOIN message p ON p.id = m.parent_id WHERE m.msgid = $1`,
    [msgid],
  );
  if (!rows.length) return null;
  const d = toDetail(rows[0], listName);
  if (listName && !d.ghost && !d.lists.includes(listName)) return null;
  // the full header list is read from the stored bytes rather than kept twice
  const raw = d.ghost ? null : await getRaw(db, null, msgid);
  if (raw) d.headers = (await parseMail(raw)).headers;
  d.links = await resolveBodyReferences(db, rows[0].facts?.bodyRefs ?? []);
  return d;
}

/**
 * The Message-IDs and lore links a body names (kept in message.facts when the message was
 * analyzed), each resolved against the database now: a reference to a message that arrives later
 * resolves from then on.
 */
export async function resolveBodyReferences(db: Db, refs: string[]): Promise<MessageDetail["links"]> {
  if (!refs.length) return [];
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m.ghost, m.subject,
            (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name LIMIT 1) AS list
     FROM message m WHERE m.msgid = ANY($1::text[])`,
    [refs],
  );
  const found = new Map(rows.map((r) => [r.msgid as string, r]));
  return refs.map((msgid) => {
    const r = found.get(msgid);
    return { msgid, found: !!r && !r.ghost, list: r?.list ?? null, subject: r && !r.ghost ? r.subject : null };
  });
}

export async function getRaw(db: Db, listName: string | null, msgid: string): Promise<Buffer | null> {
  const { rows } = await db.pool.query(
    `SELECT r.raw, ARRAY(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id) AS lists
     FROM message m JOIN raw_message r ON r.message_id = m.id WHERE m.msgid = $1`,
    [msgid],
  );
  if (!rows.length) return null;
  if (listName && !rows[0].lists.includes(listName)) return null;
  return rows[0].raw;
}

/** The whole thread a message belongs to, as the nested tree (JWZ) and the flat list. */
export async function getThread(db: Db, listName: string, msgid: string): Promise<ThreadView | null> {
  const msg = await getMessage(db, listName, msgid);
  if (!msg || msg.threadId === null) return null;
  const { rows } = await db.pool.query(
    `SELECT ${DETAIL_COLUMNS} FROM message m LEFT JOIN message p ON p.id = m.parent_id
     WHERE m.thread_id = $1 ORDER BY m.date NULLS LAST, m.id`,
    [msg.threadId],
  );
  const all = rows.map((r) => toDetail(r, listName));
  const { rows: [t] } = await db.pool.query(`SELECT subject, message_count, ghost_count FROM thread WHERE id = $1`, [msg.threadId]);
  return {
    list: listName,
    threadId: msg.threadId,
    subject: t?.subject ?? msg.subject,
    messages: t?.message_count ?? all.filter((m) => !m.ghost).length,
    ghosts: t?.ghost_count ?? 0,
    tree: await getThreadTree(db, msg.threadId),
    flat: all.filter((m) => !m.ghost || m.recovery === "quote"),
  };
}

export async function getStats(db: Db): Promise<Stats> {
  const { rows: [s] } = await db.pool.query(`
    SELECT (SELECT count(*) FROM message WHERE NOT ghost) AS messages,
           (SELECT count(*) FROM thread WHERE message_count > 0) AS threads,
           (SELECT count(*) FROM message WHERE ghost) AS ghosts,
           (SELECT count(*) FROM list) AS lists,
           (SELECT count(*) FROM person) AS people,
           (SELECT count(*) FROM duplicate_message) AS duplicates,
           (SELECT count(*) FROM skipped_message) AS parse_errors,
           (SELECT count(*) FROM deletion) AS deletions,
           (SELECT count(*) FROM proposal) AS proposals, (SELECT count(*) FROM idea) AS ideas,
           (SELECT count(*) FROM decision) AS decisions, (SELECT count(*) FROM benchmark) AS benchmarks,
           (SELECT count(*) FROM run) AS runs, (SELECT count(*) FROM robot_report) AS robot_reports`);
  const { rows: reasons } = await db.pool.query(`SELECT reason, count(*) AS n FROM skipped_message GROUP BY reason ORDER BY reason`);
  const lists = await listLists(db);
  return {
    messages: s.messages, threads: s.threads, ghosts: s.ghosts, lists: s.lists, people: s.people,
    duplicates: s.duplicates, parseErrors: s.parse_errors, deletions: s.deletions,
    skippedByReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    perList: lists.map((l) => ({ name: l.name, messages: l.messages, threads: l.threads })),
    proposals: s.proposals, ideas: s.ideas, decisions: s.decisions, benchmarks: s.benchmarks, runs: s.runs, robotReports: s.robot_reports,
  };
}

/** The JWZ tree of a thread (no bodies): thread pages and the overview under a message page. */
export async function getThreadTree(db: Db, threadId: number): Promise<ThreadView["tree"]> {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m."references", m.date, m.subject, m.ghost, m.recovery, m.from_name, m.from_address
     FROM message m WHERE m.thread_id = $1 ORDER BY m.date NULLS LAST, m.id`,
    [threadId],
  );
  const byMsgid = new Map(rows.map((r) => [r.msgid as string, r]));
  // a message rebuilt from quotes stands in the tree like a message (marked reconstructed)
  const absent = (r: { ghost: boolean; recovery: string }) => r.ghost && r.recovery !== "quote";
  const inputs: ThreadInput[] = rows.map((r) => ({ msgid: r.msgid, references: r.references, date: iso(r.date), subject: r.subject, ghost: absent(r) }));
  return flattenThread(buildThreadTree(inputs)).map((n) => {
    const r = byMsgid.get(n.msgid);
    const ghost = n.ghost || !r || absent(r);
    return {
      msgid: n.msgid, depth: n.depth, ghost, reconstructed: !ghost && r.ghost,
      subject: ghost ? "" : r.subject, fromName: ghost ? "" : r.from_name || r.from_address, date: ghost ? null : iso(r.date),
    };
  });
}
