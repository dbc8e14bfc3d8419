// Runs a search: parse (lib/search/query.ts), compile (lib/search/compile.ts), one SQL query for
// the page of results and the count, one for the page's messages, snippets in JS. Read-only,
// under a statement timeout. Shared by the page, the API (/api/search) and the CLI.
import type pg from "pg";
import zlib from "node:zlib";
import type { Db } from "../db/client";
import { mboxrd } from "../export/mbox";
import { describeQuery, isQueryError, MAX_QUERY_LENGTH, parseQuery, positiveTerms, type ParsedQuery, type QueryWarning } from "../search/query";
import { compileQuery, type CompiledSearch, type ListRef } from "../search/compile";
import { bodySnippet, markHeader, type Segment } from "../search/snippet";
import { SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from "../search/params";

const DEFAULT_LIMIT = SEARCH_DEFAULT_LIMIT;
const MAX_LIMIT = SEARCH_MAX_LIMIT;
/** the statement timeout of a search (SET LOCAL statement_timeout) */
export const SEARCH_TIMEOUT_MS = 5000;
/** mbox.gz downloads: at most this many results, and this many messages with their threads */
export const MAX_EXPORT_RESULTS = 1000;
export const MAX_EXPORT_MESSAGES = 10_000;

export interface SearchParams {
  q: string;
  /** results to skip (lore's o) */
  offset?: number;
  /** results per page, 1..200 (l) */
  limit?: number;
  /** order by relevance instead of newest first (lore's r) */
  relevance?: boolean;
  /** one result per thread (t) */
  threads?: boolean;
  now?: Date;
  timeoutMs?: number;
}

export interface SearchHit {
  msgid: string;
  /** the message page: /<list>/<msgid>/ (null when no list holds it) */
  url: string | null;
  /** the list to link the message under (the first of its lists by name) */
  list: string | null;
  lists: string[];
  subject: string;
  /** the subject with the matched words flagged */
  subjectMarks: Segment[];
  fromName: string;
  fromAddress: string;
  date: string | null;
  /** cover | patch | reply | other (lib/series), null when not derived yet */
  kind: string | null;
  threadId: number | null;
  /** where the body matched, matched words flagged */
  snippet: Segment[];
  /** ts_rank, with relevance ordering */
  rank?: number;
  /** with threads collapsed: the thread this result stands for */
  thread?: { subject: string; rootMsgid: string | null; messages: number; matches: number };
}

export interface SearchResponse {
  query: string;
  /** what the query matches, in words */
  description: string;
  warnings: QueryWarning[];
  /** messages matched */
  total: number;
  /** threads matched (with threads collapsed: what the pages count) */
  threadTotal: number | null;
  offset: number;
  limit: number;
  relevance: boolean;
  threads: boolean;
  hits: SearchHit[];
  /** the search index holds no documents while the archive has messages: run `patchlore reindex --search` */
  indexEmpty: boolean;
  tookMs: number;
}

export class SearchError extends Error {
  constructor(
    /** 400 a query that cannot be parsed or answered, 413 too long, 504 timed out */
    readonly status: 400 | 413 | 504,
    message: string,
    /** where in the query (UTF-16 offset) the problem is */
    readonly position: number | null = null,
    readonly length: number | null = null,
  ) {
    super(message);
    this.name = "SearchError";
  }
}

function clampInt(v: number | undefined, lo: number, hi: number, dflt: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.min(hi, Math.max(lo, Math.floor(v)));
}

/** Parses the query, or throws the SearchError to show for it. */
export function parseSearch(q: string, now?: Date): ParsedQuery {
  if (q.length > MAX_QUERY_LENGTH) {
    throw new SearchError(413, `the query is too long: ${q.length} characters, at most ${MAX_QUERY_LENGTH}`, MAX_QUERY_LENGTH, q.length - MAX_QUERY_LENGTH);
  }
  const parsed = parseQuery(q, { now });
  if (isQueryError(parsed)) throw new SearchError(400, parsed.message, parsed.position, parsed.length);
  return parsed;
}

async function loadLists(client: pg.PoolClient): Promise<ListRef[]> {
  const { rows } = await client.query(`SELECT id, name, list_id FROM list ORDER BY id`);
  return rows.map((r) => ({ id: r.id, name: r.name, listId: r.list_id }));
}

function compile(parsed: ParsedQuery, lists: ListRef[]): CompiledSearch {
  return compileQuery(parsed, { lists });
}

/** Runs fn in a read-only transaction under the search statement timeout. */
async function withSearchTransaction<T>(db: Db, timeoutMs: number, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    // one round trip: the settings only last until the transaction ends
    await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}; SET LOCAL jit = off; SET LOCAL enable_seqscan = off`);
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    if ((e as { code?: string }).code === "57014") {
      throw new SearchError(504, `the search took longer than ${(timeoutMs / 1000).toFixed(0)} s and was stopped: narrow it down (a prefix such as s: or dfn:, a date range d:, fewer wildcards)`);
    }
    throw e;
  } finally {
    client.release();
  }
}

/** Messages a list deleted (public-inbox `d`) and no list still holds are no results. Cheap: an
 * anti-join with the few deleted messages, not a semi-join with every list membership. */
const IN_A_LIST = `d.message_id NOT IN (SELECT m_.id FROM deletion x_ JOIN message m_ ON m_.msgid = x_.msgid
  WHERE NOT EXISTS (SELECT 1 FROM list_message lm_ WHERE lm_.message_id = m_.id))`;

interface Ranked {
  id: number;
  rank: number | null;
  threadMatches?: number;
}

async function pageOfIds(client: pg.PoolClient, c: CompiledSearch, o: { offset: number; limit: number; relevance: boolean; threads: boolean }): Promise<{ rows: Ranked[]; total: number; threadTotal: number | null }> {
  const params = [...c.params];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const ranks = o.relevance ? (["head", "body"] as const).flatMap((col) => (c.rank[col] ? [`ts_rank(d.${col}_tsv, ${add(c.rank[col])}::tsquery)`] : [])) : [];
  const rank = ranks.length ? ranks.join(" + ") : null;
  const where = `${c.where} AND ${IN_A_LIST}`;
  const limit = add(o.limit);
  const offset = add(o.offset);
  if (!o.threads) {
    const { rows } = await client.query(
      `SELECT d.message_id AS id, ${rank ?? "NULL::real"} AS rank, count(*) OVER () AS total
       FROM search_doc d WHERE ${where}
       ORDER BY ${rank ? "rank DESC, " : ""}d.date DESC NULLS LAST, d.message_id DESC
       LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && o.offset > 0) total = await countOf(client, c, false);
    return { rows: rows.map((r) => ({ id: r.id, rank: r.rank })), total, threadTotal: null };
  }
  const { rows } = await client.query(
    `WITH h AS (SELECT d.message_id, d.date, ${rank ?? "NULL::real"} AS rank FROM search_doc d WHERE ${where}),
     g AS (SELECT COALESCE(m.thread_id, -m.id) AS thread, count(*) AS n, max(h.date) AS last, max(h.rank) AS rank,
             (array_agg(h.message_id ORDER BY h.rank DESC NULLS LAST, h.date DESC NULLS LAST, h.message_id DESC))[1] AS best
           FROM h JOIN message m ON m.id = h.message_id GROUP BY 1)
     SELECT g.best AS id, g.rank, g.n, count(*) OVER () AS total, sum(g.n) OVER () AS messages
     FROM g ORDER BY ${rank ? "g.rank DESC, " : ""}g.last DESC NULLS LAST, g.thread DESC
     LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  if (!rows.length) {
    const [messages, threads] = o.offset > 0 ? [await countOf(client, c, false), await countOf(client, c, true)] : [0, 0];
    return { rows: [], total: messages, threadTotal: threads };
  }
  return {
    rows: rows.map((r) => ({ id: r.id, rank: r.rank, threadMatches: Number(r.n) })),
    total: Number(rows[0].messages),
    threadTotal: Number(rows[0].total),
  };
}

async function countOf(client: pg.PoolClient, c: CompiledSearch, threads: boolean): Promise<number> {
  const { rows } = await client.query(
    threads
      ? `SELECT count(DISTINCT COALESCE(m.thread_id, -m.id)) AS n FROM search_doc d JOIN message m ON m.id = d.message_id WHERE ${c.where} AND ${IN_A_LIST}`
      : `SELECT count(*) AS n FROM search_doc d WHERE ${c.where} AND ${IN_A_LIST}`,
    c.params,
  );
  return Number(rows[0].n);
}

/** the fields whose terms a body snippet can show */
const BODY_TERM_FIELDS = new Set<string | null>([null, "b", "bs", "nq", "q", "dfn", "dfa", "dfb", "dfhh", "dfctx"]);

/** a path segment as the web app's URLs have it (lore's shape: "@" kept) */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%40/g, "@");
}

/** Body characters read for a snippet: the first ones; for a longer body whose beginning does
 * not show a match, a window from a little before the first place one of the terms' words occurs
 * (found in SQL), so a 1 MB patch costs some 24 KB of transfer, not 1 MB. */
const SNIPPET_WINDOW = 24_000;
const SNIPPET_LEAD = 4_000;

async function hitsOf(client: pg.PoolClient, parsed: ParsedQuery, ranked: Ranked[]): Promise<SearchHit[]> {
  if (!ranked.length) return [];
  const terms = positiveTerms(parsed.ast);
  const { rows } = await client.query(
    `SELECT m.id, m.msgid, m.subject, m.from_name, m.from_address, m.date, m.kind, m.thread_id,
            left(m.body, ${SNIPPET_WINDOW}) AS body, octet_length(m.body) > ${SNIPPET_WINDOW} AS longer,
            ARRAY(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name) AS lists,
            t.subject AS thread_subject, t.message_count, r.msgid AS root_msgid
     FROM message m LEFT JOIN thread t ON t.id = m.thread_id LEFT JOIN message r ON r.id = t.root_id
     WHERE m.id = ANY($1::bigint[])`,
    [ranked.map((r) => r.id)],
  );
  for (const r of rows) r.snippet = bodySnippet(r.body, terms);
  const bodyWords = [...new Set(terms.filter((t) => t.words.length && BODY_TERM_FIELDS.has(t.field)).map((t) => t.words[0]))];
  const deeper = rows.filter((r) => r.longer && bodyWords.length && !r.snippet.some((x: Segment) => x.match));
  if (deeper.length) {
    const { rows: windows } = await client.query(
      `SELECT m.id, substr(m.body, greatest(1, w.at - ${SNIPPET_LEAD}), ${SNIPPET_WINDOW}) AS body
       FROM message m CROSS JOIN LATERAL (
         SELECT min(p) AS at FROM (SELECT strpos(lower(m.body), w) AS p FROM unnest($2::text[]) w) x WHERE p > 0
       ) w
       WHERE m.id = ANY($1::bigint[]) AND w.at IS NOT NULL`,
      [deeper.map((r) => r.id), bodyWords],
    );
    const byId = new Map(rows.map((r) => [r.id as number, r]));
    for (const w of windows) {
      // the window starts inside a line: drop the partial line
      const text = w.body.slice(w.body.indexOf("\n") + 1);
      const snippet = bodySnippet(text, terms);
      if (snippet.some((x) => x.match)) byId.get(w.id)!.snippet = [{ text: "…\n", match: false }, ...snippet];
    }
  }
  const byId = new Map(rows.map((r) => [r.id as number, r]));
  return ranked.flatMap((x) => {
    const r = byId.get(x.id);
    if (!r) return [];
    const hit: SearchHit = {
      msgid: r.msgid,
      url: r.lists[0] ? `/${encodeSegment(r.lists[0])}/${encodeSegment(r.msgid)}/` : null,
      list: r.lists[0] ?? null,
      lists: r.lists,
      subject: r.subject,
      subjectMarks: markHeader(r.subject, terms, [null, "s", "bs"]),
      fromName: r.from_name,
      fromAddress: r.from_address,
      date: r.date ? new Date(r.date).toISOString() : null,
      kind: r.kind,
      threadId: r.thread_id,
      snippet: r.snippet,
    };
    if (x.rank !== null) hit.rank = x.rank;
    if (x.threadMatches !== undefined) {
      hit.thread = { subject: r.thread_subject ?? r.subject, rootMsgid: r.root_msgid, messages: r.message_count ?? 1, matches: x.threadMatches };
    }
    return [hit];
  });
}

async function indexEmpty(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT NOT EXISTS (SELECT 1 FROM search_doc) AND EXISTS (SELECT 1 FROM message WHERE NOT ghost) AS empty`,
  );
  return rows[0].empty;
}

/** A page of results. Throws SearchError for a query that cannot be run. */
export async function search(db: Db, p: SearchParams): Promise<SearchResponse> {
  const started = performance.now();
  const parsed = parseSearch(p.q, p.now);
  const offset = clampInt(p.offset, 0, 1_000_000, 0);
  const limit = clampInt(p.limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
  const relevance = !!p.relevance;
  const threads = !!p.threads;
  return withSearchTransaction(db, p.timeoutMs ?? SEARCH_TIMEOUT_MS, async (client) => {
    const c = compile(parsed, await loadLists(client));
    const page = await pageOfIds(client, c, { offset, limit, relevance, threads });
    const hits = await hitsOf(client, parsed, page.rows);
    return {
      query: parsed.query,
      description: describeQuery(parsed.ast),
      warnings: parsed.warnings,
      total: page.total,
      threadTotal: page.threadTotal,
      offset,
      limit,
      relevance,
      threads,
      hits,
      indexEmpty: page.total === 0 ? await indexEmpty(client) : false,
      tookMs: Math.round(performance.now() - started),
    };
  });
}

/** The SQL a search runs and its parameters (for EXPLAIN in the benchmark and tests). */
export async function explainSearch(db: Db, p: SearchParams): Promise<{ sql: string; params: unknown[]; plan: string[] }> {
  const parsed = parseSearch(p.q, p.now);
  return withSearchTransaction(db, p.timeoutMs ?? SEARCH_TIMEOUT_MS, async (client) => {
    const c = compile(parsed, await loadLists(client));
    const sql = `SELECT d.message_id, count(*) OVER () FROM search_doc d WHERE ${c.where} AND ${IN_A_LIST} ORDER BY d.date DESC NULLS LAST, d.message_id DESC LIMIT 50`;
    const { rows } = await client.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${sql}`, c.params);
    return { sql, params: c.params, plan: rows.map((r) => r["QUERY PLAN"] as string) };
  });
}

/**
 * The results as an mbox.gz (mboxrd, raw bytes as stored), newest first: the first
 * MAX_EXPORT_RESULTS results, or with `threads` every message of their threads (at most
 * MAX_EXPORT_MESSAGES), thread by thread, oldest first within a thread.
 */
export async function searchMbox(db: Db, p: SearchParams & { wholeThreads?: boolean }): Promise<{ gz: Buffer; messages: number }> {
  const parsed = parseSearch(p.q, p.now);
  const raws = await withSearchTransaction(db, p.timeoutMs ?? SEARCH_TIMEOUT_MS * 2, async (client) => {
    const c = compile(parsed, await loadLists(client));
    const page = await pageOfIds(client, c, { offset: 0, limit: MAX_EXPORT_RESULTS, relevance: !!p.relevance, threads: false });
    const ids = page.rows.map((r) => r.id);
    if (!ids.length) return [];
    if (!p.wholeThreads) {
      const { rows } = await client.query(`SELECT message_id AS id, raw FROM raw_message WHERE message_id = ANY($1::bigint[])`, [ids]);
      const byId = new Map(rows.map((r) => [r.id as number, r.raw as Buffer]));
      return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    }
    const { rows } = await client.query(
      `WITH t AS (SELECT thread_id, min(array_position($1::bigint[], id)) AS first FROM message WHERE id = ANY($1::bigint[]) AND thread_id IS NOT NULL GROUP BY thread_id)
       SELECT r.raw FROM t JOIN message m ON m.thread_id = t.thread_id JOIN raw_message r ON r.message_id = m.id
       WHERE NOT m.ghost AND EXISTS (SELECT 1 FROM list_message lm WHERE lm.message_id = m.id)
       ORDER BY t.first, m.date NULLS FIRST, m.id LIMIT ${MAX_EXPORT_MESSAGES}`,
      [ids],
    );
    return rows.map((r) => r.raw as Buffer);
  });
  const mbox = mboxrd(raws, { lf: true });
  return { gz: zlib.gzipSync(mbox), messages: raws.length };
}
