// Knowledge in the database: design ideas, decisions, benchmark figures and robot reports found
// in each message (lib/knowledge, run per message by lib/analyze/message.ts), written with the
// message in the same transaction (storeBatch, reindex), and the queries behind the message
// page's Knowledge box and /api/ideas, /api/decisions, /api/benchmarks, /api/<list>/<msgid>/knowledge.
//
// Every row keeps its provenance: the message, the 1-based body lines [first_line, last_line]
// (0 = the Subject header), the rule that found it (method), its confidence and the text matched.
// Links to series, patches and commits are made afterwards, per thread (lib/db/knowledge-link.ts).
import type pg from "pg";
import { knowledgeOf, type MessageKnowledge } from "../analyze/message";
import type { Benchmark, Decision, Idea, RobotReport } from "../knowledge";
import type { Db } from "./client";
import { MAX_PAGE_SIZE, type Page } from "./queries";
import { linkKnowledge, targetsOf } from "./knowledge-link";
import { STORE_LOCK } from "./store";

// ---------------------------------------------------------------------------------------------
// writing

export interface KnowledgeWrite {
  messageId: number;
  knowledge: MessageKnowledge | undefined;
  /** the message row existed before (a filled ghost, a reindex): its earlier rows are replaced */
  replace: boolean;
}

/** PostgreSQL text and JSON hold neither NUL nor lone surrogates. */
function json(rows: unknown[]): string {
  return JSON.stringify(rows, (_k, v) => {
    if (typeof v === "string") {
      const t = v.includes("\u0000") ? v.replaceAll("\u0000", "") : v;
      return t.isWellFormed() ? t : t.toWellFormed();
    }
    if (typeof v === "number" && !Number.isFinite(v)) return null;
    return v;
  });
}

const clip = (s: string | undefined | null, n = 2000) => (s == null ? null : s.length > n ? s.slice(0, n - 1) + "…" : s);

function ideaRow(messageId: number, i: Idea) {
  return {
    message_id: messageId, kind: i.kind, summary: clip(i.summary, 400)!, quote: clip(i.quote)!,
    first_line: i.lines[0], last_line: i.lines[1], method: i.method, confidence: i.confidence,
    details: { text: clip(i.text, 8000), keywords: i.keywords, ...(i.title ? { title: i.title } : {}) },
  };
}

/** The tree and branch ("mm-unstable", "netdev/net-next.git (main)") or the release a decision names. */
function targetOf(d: Decision): string | null {
  if (d.tree) return d.branch ? `${d.tree} (${d.branch})` : d.tree;
  return d.release ?? null;
}

function decisionRow(messageId: number, d: Decision) {
  return {
    message_id: messageId, kind: d.kind, target: targetOf(d), reason: clip(d.reason ?? null), quote: clip(d.quote)!,
    first_line: d.lines[0], last_line: d.lines[1], method: d.method, confidence: d.confidence,
    details: {
      actor: d.actor, tree: d.tree, branch: d.branch, release: d.release, commit: d.commit, patch: d.patch,
    },
  };
}

function benchmarkRow(messageId: number, b: Benchmark) {
  return {
    message_id: messageId, suite: b.suite, test: b.test ?? null,
    // a prose claim may name no metric ("31% faster"): the column is NOT NULL, "" stands for none
    metric: b.metric ?? "", value: b.value ?? null, unit: b.unit ?? null, change: b.change ?? null, direction: b.direction,
    machine: clip(b.machine ?? null, 500), config: b.config ?? {}, commit: b.commitNew ?? null,
    first_line: b.lines[0], last_line: b.lines[1], method: b.method, confidence: b.confidence, quote: clip(b.quote)!,
    details: {
      role: b.role, statistic: b.statistic, baseline: b.baseline, delta: b.delta, stddev: b.stddev, baselineStddev: b.baselineStddev,
      stddevAbs: b.stddevAbs, variant: b.variant, baselineVariant: b.baselineVariant, significant: b.significant,
      commitBase: b.commitBase, cites: b.cites,
    },
  };
}

function reportRow(messageId: number, r: RobotReport) {
  return {
    message_id: messageId, kind: r.kind, robot: r.robot, commit: r.commit ?? null, suite: r.suite ?? null, metric: r.metric ?? null,
    change: r.change ?? null, direction: r.direction ?? null, method: r.method, confidence: r.confidence,
    details: {
      lines: r.lines, quote: clip(r.quote), commitTitle: r.commitTitle, tree: r.tree, patchMsgid: r.patchMsgid, base: r.base, reportId: r.reportId,
    },
  };
}

/**
 * Writes what lib/knowledge found in these messages: one statement per table for the whole batch.
 * Replacing (a filled ghost, reindex) drops a message's earlier rows first, except ideas and
 * decisions a curator confirmed or rejected: those keep their id and status, take the new text
 * when the same finding (message, kind, first line) is found again, and stay when it is not.
 */
export async function writeKnowledge(client: pg.PoolClient, writes: KnowledgeWrite[]): Promise<void> {
  const replaced = writes.filter((w) => w.replace).map((w) => w.messageId);
  if (replaced.length) {
    await client.query(`DELETE FROM idea WHERE message_id = ANY($1::bigint[]) AND status = 'detected'`, [replaced]);
    await client.query(`DELETE FROM decision WHERE message_id = ANY($1::bigint[]) AND status = 'detected'`, [replaced]);
    await client.query(`DELETE FROM benchmark WHERE message_id = ANY($1::bigint[])`, [replaced]);
    await client.query(`DELETE FROM robot_report WHERE message_id = ANY($1::bigint[])`, [replaced]);
  }
  // one idea per (message, first line, kind): the table's key (the analyzer may find two passages of one kind starting on one line)
  const seen = new Set<string>();
  const ideas = writes
    .flatMap((w) => (w.knowledge?.ideas ?? []).map((i) => ideaRow(w.messageId, i)))
    .filter((r) => {
      const k = `${r.message_id}\u0000${r.first_line}\u0000${r.kind}`;
      return !seen.has(k) && !!seen.add(k);
    });
  const decisions = writes.flatMap((w) => (w.knowledge?.decisions ?? []).map((d) => decisionRow(w.messageId, d)));
  const benchmarks = writes.flatMap((w) => (w.knowledge?.benchmarks ?? []).map((b) => benchmarkRow(w.messageId, b)));
  const reports = writes.flatMap((w) => (w.knowledge?.report ? [reportRow(w.messageId, w.knowledge.report)] : []));

  if (ideas.length) {
    await client.query(
      `INSERT INTO idea (message_id, kind, summary, quote, first_line, last_line, method, confidence, details)
       SELECT x.message_id, x.kind, x.summary, x.quote, x.first_line, x.last_line, x.method, x.confidence, x.details
       FROM json_to_recordset($1::json) AS x(message_id bigint, kind text, summary text, quote text, first_line int, last_line int,
         method text, confidence float8, details jsonb)
       ON CONFLICT (message_id, first_line, kind) DO UPDATE SET summary = excluded.summary, quote = excluded.quote,
         last_line = excluded.last_line, method = excluded.method, confidence = excluded.confidence, details = excluded.details`,
      [json(ideas)],
    );
  }
  if (decisions.length) {
    const rec = `json_to_recordset($1::json) AS x(message_id bigint, kind text, target text, reason text, quote text, first_line int,
         last_line int, method text, confidence float8, details jsonb)`;
    // a curated decision found again keeps its row (id, status) and takes the new text
    if (replaced.length) {
      await client.query(
        `UPDATE decision d SET target = x.target, reason = x.reason, quote = x.quote, last_line = x.last_line, method = x.method,
           confidence = x.confidence, details = x.details || jsonb_strip_nulls(jsonb_build_object('link', d.details->'link'))
         FROM ${rec}
         WHERE d.message_id = x.message_id AND d.kind = x.kind AND d.first_line = x.first_line AND d.status <> 'detected'`,
        [json(decisions)],
      );
    }
    await client.query(
      `INSERT INTO decision (message_id, kind, target, reason, quote, first_line, last_line, method, confidence, details)
       SELECT x.message_id, x.kind, x.target, x.reason, x.quote, x.first_line, x.last_line, x.method, x.confidence, x.details
       FROM ${rec}
       WHERE NOT EXISTS (SELECT 1 FROM decision d WHERE d.message_id = x.message_id AND d.kind = x.kind AND d.first_line = x.first_line)`,
      [json(decisions)],
    );
  }
  if (benchmarks.length) {
    await client.query(
      `INSERT INTO benchmark (message_id, suite, test, metric, value, unit, change, direction, machine, config, commit,
         first_line, last_line, method, confidence, quote, details)
       SELECT x.message_id, x.suite, x.test, x.metric, x.value, x.unit, x.change, x.direction, x.machine, x.config, x.commit,
         x.first_line, x.last_line, x.method, x.confidence, x.quote, jsonb_strip_nulls(x.details)
       FROM json_to_recordset($1::json) AS x(message_id bigint, suite text, test text, metric text, value float8, unit text,
         change float8, direction text, machine text, config jsonb, commit text, first_line int, last_line int, method text,
         confidence float8, quote text, details jsonb)`,
      [json(benchmarks)],
    );
  }
  if (reports.length) {
    await client.query(
      `INSERT INTO robot_report (message_id, kind, robot, commit, suite, metric, change, direction, method, confidence, details)
       SELECT x.message_id, x.kind, x.robot, x.commit, x.suite, x.metric, x.change, x.direction, x.method, x.confidence, jsonb_strip_nulls(x.details)
       FROM json_to_recordset($1::json) AS x(message_id bigint, kind text, robot text, commit text, suite text, metric text,
         change float8, direction text, method text, confidence float8, details jsonb)
       ON CONFLICT (message_id) DO UPDATE SET kind = excluded.kind, robot = excluded.robot, commit = excluded.commit,
         suite = excluded.suite, metric = excluded.metric, change = excluded.change, direction = excluded.direction,
         method = excluded.method, confidence = excluded.confidence, details = excluded.details`,
      [json(reports)],
    );
  }
}

// ---------------------------------------------------------------------------------------------
// `patchlore reindex --knowledge`: the analyzers again over the stored messages

/**
 * Runs lib/knowledge again over every stored message (the row's subject, sender and body: no
 * re-parsing), replaces the rows a batch at a time (curated ideas and decisions kept), then
 * relinks everything. For when an analyzer changed; plain `patchlore reindex` does this too.
 */
export async function reindexKnowledge(
  db: Db,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ messages: number; ideas: number; decisions: number; benchmarks: number; robotReports: number }> {
  const batch = opts.batch ?? 1000;
  const { rows: [{ n: total }] } = await db.pool.query(`SELECT count(*) AS n FROM message WHERE content_hash IS NOT NULL`);
  let last = 0;
  let done = 0;
  for (;;) {
    const { rows } = await db.pool.query(
      `SELECT id, subject, from_name, from_address, body, is_reply, in_reply_to FROM message
       WHERE content_hash IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`,
      [last, batch],
    );
    if (!rows.length) break;
    last = rows[rows.length - 1].id;
    const writes: KnowledgeWrite[] = rows.map((r) => ({
      messageId: r.id,
      knowledge: knowledgeOf({ subject: r.subject, from: { name: r.from_name, address: r.from_address }, text: r.body, isReply: r.is_reply, inReplyTo: r.in_reply_to }),
      replace: true,
    }));
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1)", [STORE_LOCK]);
      await writeKnowledge(client, writes);
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
    done += rows.length;
    opts.onProgress?.(done, total);
  }
  await linkKnowledge(db.pool, { all: true });
  const { rows: [c] } = await db.pool.query(
    `SELECT (SELECT count(*) FROM idea) AS ideas, (SELECT count(*) FROM decision) AS decisions,
            (SELECT count(*) FROM benchmark) AS benchmarks, (SELECT count(*) FROM robot_report) AS robot_reports`,
  );
  return { messages: done, ideas: c.ideas, decisions: c.decisions, benchmarks: c.benchmarks, robotReports: c.robot_reports };
}

// ---------------------------------------------------------------------------------------------
// reading

export const IDEA_KINDS = ["proposal", "alternative", "objection", "question", "rfc"] as const;
export const DECISION_KINDS = ["applied", "queued", "merged", "nak", "superseded", "withdrawn", "rejected"] as const;

/** Where a fact came from: the message and the lines in its body, how it was found, how sure. */
export interface Provenance {
  msgid: string;
  /** 1-based body lines [first, last]; [0, 0]: the Subject header */
  lines: [number, number];
  method: string;
  confidence: number;
  /** the text matched, as written */
  quote: string;
}

export interface MessageRef {
  msgid: string;
  subject: string;
  fromName: string;
  fromAddress: string;
  date: string | null;
  /** a list the message is in (the first by name), for links */
  list: string | null;
}

export interface SeriesRef {
  key: string;
  title: string;
  version: number;
  revision: string;
  isRfc: boolean;
}

export interface IdeaView extends Provenance {
  id: number;
  kind: string;
  summary: string;
  text: string | null;
  keywords: string[];
  /** rfc ideas: what the subject says is proposed */
  title: string | null;
  /** detected | confirmed | rejected */
  status: string;
}

export interface DecisionView extends Provenance {
  id: number;
  kind: string;
  /** the tree (and branch) or release named */
  target: string | null;
  reason: string | null;
  /** who decided: the sender, or the person a Nacked-by names */
  actor: string | null;
  /** the commit the patch became (b4 thank-you mails, bots) */
  commit: string | null;
  status: string;
  /** what it decides: the series, and the patch when one is named or answered */
  series: SeriesRef | null;
  patch: { msgid: string; subject: string } | null;
  /** how the series/patch was found: self | in-reply-to | none (details.link.method); null before the link pass */
  linkMethod: string | null;
}

export interface BenchmarkView extends Provenance {
  id: number;
  suite: string | null;
  test: string | null;
  metric: string | null;
  value: number | null;
  unit: string | null;
  /** signed percent against the baseline */
  change: number | null;
  baseline: number | null;
  /** an absolute difference, when the mail prints that instead of a percent */
  delta: number | null;
  direction: string | null;
  machine: string | null;
  config: Record<string, string>;
  /** the commit measured (LKP: the new one) and its baseline */
  commit: string | null;
  commitBase: string | null;
  /** LKP: headline | result | monitor */
  role: string | null;
  statistic: string | null;
  variant: string | null;
  baselineVariant: string | null;
  stddev: number | null;
  /** a prose claim citing a report: "lkp", or the Message-ID / URL it names */
  cites: string | null;
}

export interface RobotReportView {
  msgid: string;
  kind: string;
  robot: string;
  commit: string | null;
  commitTitle: string | null;
  tree: string | null;
  suite: string | null;
  metric: string | null;
  change: number | null;
  direction: string | null;
  method: string;
  confidence: number;
  lines: [number, number];
  quote: string | null;
  /** the report's own id in the robot's archive (usually its Message-ID) */
  reportId: string | null;
  /** build reports: the patch the robot applied ("patch link:") */
  patchMsgid: string | null;
  /** what it reports on: found by the link pass (in-reply-to | patch-link | commit | none) */
  target: { method: string; patch: { msgid: string; subject: string } | null; series: SeriesRef | null; commit: string | null } | null;
}

export interface MessageKnowledgeView {
  msgid: string;
  /** the series the message belongs to or answers (nearest patch or cover letter at or above it) */
  series: SeriesRef | null;
  ideas: IdeaView[];
  decisions: DecisionView[];
  benchmarks: BenchmarkView[];
  report: RobotReportView | null;
  /** robot reports this message cites by Message-ID or lore link (message.facts.bodyRefs) */
  citedReports: (MessageRef & { kind: string; suite: string | null; metric: string | null; change: number | null; direction: string | null; commit: string | null })[];
  /** when the message is a report: the messages citing it by Message-ID or lore link */
  citedBy: MessageRef[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: unknown) => (typeof v === "number" ? v : null);
const str = (v: unknown) => (typeof v === "string" ? v : null);

const MESSAGE_REF = (m: string) => `${m}.msgid, ${m}.subject, ${m}.from_name, ${m}.from_address, ${m}.date,
  (SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = ${m}.id ORDER BY l.name LIMIT 1) AS list`;

function messageRef(r: Row): MessageRef {
  return { msgid: r.msgid, subject: r.subject, fromName: r.from_name, fromAddress: r.from_address, date: iso(r.date), list: r.list };
}

async function seriesRefs(db: Pick<Db, "pool">, ids: (number | null | undefined)[]): Promise<Map<number, SeriesRef>> {
  const want = [...new Set(ids.filter((x): x is number => typeof x === "number"))];
  if (!want.length) return new Map();
  const { rows } = await db.pool.query(`SELECT id, key, title, version, revision, is_rfc FROM series WHERE id = ANY($1::int[])`, [want]);
  return new Map(rows.map((r) => [r.id as number, { key: r.key, title: r.title, version: r.version, revision: r.revision, isRfc: r.is_rfc }]));
}

async function messageTitles(db: Pick<Db, "pool">, ids: (number | null | undefined)[]): Promise<Map<number, { msgid: string; subject: string }>> {
  const want = [...new Set(ids.filter((x): x is number => typeof x === "number"))];
  if (!want.length) return new Map();
  const { rows } = await db.pool.query(`SELECT id, msgid, subject FROM message WHERE id = ANY($1::bigint[])`, [want]);
  return new Map(rows.map((r) => [r.id as number, { msgid: r.msgid, subject: r.subject }]));
}

function ideaView(r: Row): IdeaView {
  const d = r.details ?? {};
  return {
    id: r.id, msgid: r.msgid, kind: r.kind, summary: r.summary, text: str(d.text), keywords: Array.isArray(d.keywords) ? d.keywords : [],
    title: str(d.title), status: r.status, lines: [r.first_line, r.last_line], method: r.method, confidence: r.confidence, quote: r.quote,
  };
}

function decisionView(r: Row, series: Map<number, SeriesRef>, patches: Map<number, { msgid: string; subject: string }>): DecisionView {
  const d = r.details ?? {};
  return {
    id: r.id, msgid: r.msgid, kind: r.kind, target: r.target, reason: r.reason, actor: str(d.actor), commit: str(d.commit), status: r.status,
    series: r.series_id !== null ? (series.get(r.series_id) ?? null) : null,
    patch: r.patch_message_id !== null ? (patches.get(r.patch_message_id) ?? null) : null,
    linkMethod: str(d.link?.method),
    lines: [r.first_line, r.last_line], method: r.method, confidence: r.confidence, quote: r.quote,
  };
}

function benchmarkView(r: Row): BenchmarkView {
  const d = r.details ?? {};
  return {
    id: r.id, msgid: r.msgid, suite: r.suite, test: r.test, metric: r.metric === "" ? null : r.metric, value: r.value, unit: r.unit,
    change: r.change, baseline: num(d.baseline), delta: num(d.delta), direction: r.direction, machine: r.machine, config: r.config ?? {},
    commit: r.commit, commitBase: str(d.commitBase), role: str(d.role), statistic: str(d.statistic), variant: str(d.variant),
    baselineVariant: str(d.baselineVariant), stddev: num(d.stddev), cites: str(d.cites),
    lines: [r.first_line, r.last_line], method: r.method, confidence: r.confidence, quote: r.quote,
  };
}

async function decisionsOf(db: Pick<Db, "pool">, rows: Row[]): Promise<DecisionView[]> {
  const series = await seriesRefs(db, rows.map((r) => r.series_id));
  const patches = await messageTitles(db, rows.map((r) => r.patch_message_id));
  return rows.map((r) => decisionView(r, series, patches));
}

async function reportView(db: Pick<Db, "pool">, msgid: string, r: Row): Promise<RobotReportView> {
  const d = r.details ?? {};
  const link = d.link ?? null;
  let target: RobotReportView["target"] = null;
  if (link) {
    const [series, patches] = await Promise.all([seriesRefs(db, [link.seriesId]), messageTitles(db, [link.patchMessageId])]);
    target = {
      method: link.method,
      patch: typeof link.patchMessageId === "number" ? (patches.get(link.patchMessageId) ?? null) : null,
      series: typeof link.seriesId === "number" ? (series.get(link.seriesId) ?? null) : null,
      commit: str(link.sha),
    };
  }
  return {
    msgid, kind: r.kind, robot: r.robot, commit: r.commit, commitTitle: str(d.commitTitle), tree: str(d.tree), suite: r.suite, metric: r.metric,
    change: r.change, direction: r.direction, method: r.method, confidence: r.confidence,
    lines: Array.isArray(d.lines) ? (d.lines as [number, number]) : [0, 0], quote: str(d.quote),
    reportId: str(d.reportId), patchMsgid: str(d.patchMsgid), target,
  };
}

/**
 * Everything lib/knowledge found in one message, with its links: the ideas, decisions (and what
 * they decide), benchmark figures, the robot report it is (and what it reports on, and who cites
 * it), and the robot reports it cites. Null when there is no such message (in that list).
 */
export async function getMessageKnowledge(db: Pick<Db, "pool">, listName: string | null, msgid: string): Promise<MessageKnowledgeView | null> {
  const { rows: [m] } = await db.pool.query(
    `SELECT m.id, m.msgid, m.ghost, m.facts->'bodyRefs' AS body_refs,
            ARRAY(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id) AS lists
     FROM message m WHERE m.msgid = $1`,
    [msgid],
  );
  if (!m) return null;
  if (listName && !m.ghost && !m.lists.includes(listName)) return null;
  const id = m.id as number;
  const [ideas, decisions, benchmarks, reports] = await Promise.all([
    db.pool.query(`SELECT i.*, $2::text AS msgid FROM idea i WHERE i.message_id = $1 AND i.status <> 'rejected' ORDER BY i.first_line, i.id`, [id, m.msgid]),
    db.pool.query(`SELECT d.*, $2::text AS msgid FROM decision d WHERE d.message_id = $1 AND d.status <> 'rejected' ORDER BY d.first_line, d.id`, [id, m.msgid]),
    db.pool.query(`SELECT b.*, $2::text AS msgid FROM benchmark b WHERE b.message_id = $1 ORDER BY b.first_line, b.id`, [id, m.msgid]),
    db.pool.query(`SELECT * FROM robot_report WHERE message_id = $1`, [id]),
  ]);
  const t = (await targetsOf(db.pool, [id])).get(id);
  const series = t ? ((await seriesRefs(db, [t.seriesId])).get(t.seriesId) ?? null) : null;
  const refs: string[] = Array.isArray(m.body_refs) ? m.body_refs : [];
  const cited = refs.length
    ? (
        await db.pool.query(
          `SELECT ${MESSAGE_REF("c")}, r.kind, r.suite, r.metric, r.change, r.direction, r.commit
           FROM robot_report r JOIN message c ON c.id = r.message_id
           WHERE c.msgid = ANY($1::text[]) OR r.details->>'reportId' = ANY($1::text[]) ORDER BY c.date NULLS LAST, c.id`,
          [refs],
        )
      ).rows
    : [];
  // who cites this report: bodies naming its Message-ID (or its report id) — read at query time from message.facts
  const report = reports.rows[0] ? await reportView(db, m.msgid, reports.rows[0]) : null;
  const citedBy = report
    ? (
        await db.pool.query(
          `SELECT ${MESSAGE_REF("c")} FROM message c
           WHERE c.id <> $3 AND c.facts IS NOT NULL AND (c.facts->'bodyRefs' ? $1 OR ($2::text IS NOT NULL AND c.facts->'bodyRefs' ? $2))
           ORDER BY c.date NULLS LAST, c.id LIMIT 200`,
          [m.msgid, report.reportId, id],
        )
      ).rows.map(messageRef)
    : [];
  return {
    msgid: m.msgid,
    series,
    ideas: ideas.rows.map(ideaView),
    decisions: await decisionsOf(db, decisions.rows),
    benchmarks: benchmarks.rows.map(benchmarkView),
    report,
    citedReports: cited.map((r) => ({ ...messageRef(r), kind: r.kind, suite: r.suite, metric: r.metric, change: r.change, direction: r.direction, commit: r.commit })),
    citedBy,
  };
}

export interface ListFilter {
  /** a list name: only messages in it */
  list?: string | null;
  page?: number;
  pageSize?: number;
}

function paging(f: ListFilter): { page: number; pageSize: number; offset: number } {
  const page = Math.max(1, Math.floor(f.page ?? 1) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(f.pageSize ?? 50) || 50));
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** null when the list is named and does not exist */
async function listId(db: Pick<Db, "pool">, name: string | null | undefined): Promise<number | null | undefined> {
  if (!name) return undefined;
  const { rows } = await db.pool.query(`SELECT id FROM list WHERE name = $1`, [name]);
  return rows.length ? (rows[0].id as number) : null;
}

/**
 * One page of rows of a knowledge table with their message, newest message first. `where` is over
 * the table aliased `k` and may use parameters from $3 on ($1: the list id or null, $2: ... none).
 */
async function pageOf(db: Pick<Db, "pool">, table: string, f: ListFilter, where: string[], params: unknown[], order: string): Promise<{ total: number; rows: Row[]; page: number; pageSize: number } | null> {
  const lid = await listId(db, f.list);
  if (lid === null) return null;
  const { page, pageSize, offset } = paging(f);
  const conds = [...where];
  const p: unknown[] = [...params];
  if (lid !== undefined) {
    p.push(lid);
    conds.push(`EXISTS (SELECT 1 FROM list_message lm WHERE lm.message_id = k.message_id AND lm.list_id = $${p.length})`);
  }
  const w = conds.length ? `WHERE ${conds.join(" AND ")}` : "";
  const { rows: [{ n }] } = await db.pool.query(`SELECT count(*) AS n FROM ${table} k ${w}`, p);
  const { rows } = await db.pool.query(
    `SELECT k.*, ${MESSAGE_REF("m")} FROM ${table} k JOIN message m ON m.id = k.message_id ${w}
     ORDER BY m.date DESC NULLS LAST, m.id DESC, ${order} LIMIT ${pageSize} OFFSET ${offset}`,
    p,
  );
  return { total: n, rows, page, pageSize };
}

export type WithMessage<T> = T & { message: MessageRef };

/** Ideas, newest message first; `kind` one of IDEA_KINDS. Null when the list does not exist. */
export async function listIdeas(db: Pick<Db, "pool">, f: ListFilter & { kind?: string | null } = {}): Promise<Page<WithMessage<IdeaView>> | null> {
  const where = [`k.status <> 'rejected'`];
  const params: unknown[] = [];
  if (f.kind) {
    params.push(f.kind);
    where.push(`k.kind = $${params.length}`);
  }
  const r = await pageOf(db, "idea", f, where, params, "k.first_line, k.id");
  if (!r) return null;
  return { page: r.page, pageSize: r.pageSize, total: r.total, items: r.rows.map((x) => ({ ...ideaView(x), message: messageRef(x) })) };
}

/** Decisions with what they decide, newest message first; `kind` one of DECISION_KINDS. Null when the list does not exist. */
export async function listDecisions(db: Pick<Db, "pool">, f: ListFilter & { kind?: string | null } = {}): Promise<Page<WithMessage<DecisionView>> | null> {
  const where = [`k.status <> 'rejected'`];
  const params: unknown[] = [];
  if (f.kind) {
    params.push(f.kind);
    where.push(`k.kind = $${params.length}`);
  }
  const r = await pageOf(db, "decision", f, where, params, "k.first_line, k.id");
  if (!r) return null;
  const views = await decisionsOf(db, r.rows);
  return { page: r.page, pageSize: r.pageSize, total: r.total, items: r.rows.map((x, i) => ({ ...views[i], message: messageRef(x) })) };
}

/**
 * Benchmark figures, newest message first, each with the series its message belongs to or answers;
 * `suite` e.g. "vm-scalability", "mmtests", "fio". Null when the list does not exist.
 */
export async function listBenchmarks(
  db: Pick<Db, "pool">,
  f: ListFilter & { suite?: string | null } = {},
): Promise<Page<WithMessage<BenchmarkView> & { series: SeriesRef | null }> | null> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.suite) {
    params.push(f.suite);
    where.push(`k.suite = $${params.length}`);
  }
  const r = await pageOf(db, "benchmark", f, where, params, "k.first_line, k.id");
  if (!r) return null;
  const targets = await targetsOf(db.pool, [...new Set(r.rows.map((x) => x.message_id as number))]);
  const series = await seriesRefs(db, [...targets.values()].map((t) => t.seriesId));
  return {
    page: r.page, pageSize: r.pageSize, total: r.total,
    items: r.rows.map((x) => {
      const t = targets.get(x.message_id);
      return { ...benchmarkView({ ...x, msgid: x.msgid }), message: messageRef(x), series: t ? (series.get(t.seriesId) ?? null) : null };
    }),
  };
}
