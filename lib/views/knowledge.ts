// The knowledge found in messages, as the message page's Knowledge box and /api/ideas,
// /api/decisions, /api/benchmarks, /api/<list>/<msgid>/knowledge read it (rows written by
// lib/db/knowledge.ts, linked by lib/passes/knowledge-links.ts).
import type { Db } from "../db/client";
import { iso, MAX_PAGE_SIZE, type MessageRef, type Page, type SeriesRef } from "./refs";

export type { MessageRef, SeriesRef };
import { targetsOf } from "../passes/knowledge-links";
import { identityAddresses } from "./people";
import { normalizeAddress } from "../people";

export const IDEA_KINDS = ["proposal", "alternative", "objection", "question", "concern", "rfc"] as const;
export const DECISION_KINDS = ["applied", "queued", "merged", "nak", "changes-requested", "deferred", "superseded", "withdrawn", "rejected"] as const;

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

/** Who a knowledge list is filtered to: the address asked for and every address of that person. */
export interface PersonFilter {
  address: string;
  /** the person's addresses (lib/views/people identityAddresses): the address alone when no person has it */
  addresses: string[];
}

export interface KnowledgeFilter extends ListFilter {
  /** one of IDEA_KINDS / DECISION_KINDS */
  kind?: string | null;
  /** an address: rows of that person (every address merged into it) */
  person?: string | null;
}

export type KnowledgePage<T> = Page<WithMessage<T>> & { person: PersonFilter | null };

/**
 * The kind and person conditions over `k` (and the message's sender). A row is the person's when
 * its message was sent from one of their addresses or, with `actor`, when the decision's actor (the
 * person a Nacked-by names) is.
 */
async function kindAndPerson(db: Pick<Db, "pool">, f: KnowledgeFilter, actor: boolean): Promise<{ where: string[]; params: unknown[]; person: PersonFilter | null }> {
  const where = [`k.status <> 'rejected'`];
  const params: unknown[] = [];
  if (f.kind) {
    params.push(f.kind);
    where.push(`k.kind = $${params.length}`);
  }
  let person: PersonFilter | null = null;
  const addresses = f.person ? await identityAddresses(db, f.person) : [];
  if (addresses.length) {
    person = { address: normalizeAddress(f.person!), addresses };
    params.push(addresses);
    const a = `$${params.length}::text[]`;
    const sender = `EXISTS (SELECT 1 FROM message pm WHERE pm.id = k.message_id AND lower(pm.from_address) = ANY(${a}))`;
    where.push(actor ? `(${sender} OR lower(substring(k.details->>'actor' from '([^<>[:space:]]+@[^<>[:space:]]+)')) = ANY(${a}))` : sender);
  }
  return { where, params, person };
}

/** Ideas, newest message first; `kind` one of IDEA_KINDS, `person` an address. Null when the list does not exist. */
export async function listIdeas(db: Pick<Db, "pool">, f: KnowledgeFilter = {}): Promise<KnowledgePage<IdeaView> | null> {
  const { where, params, person } = await kindAndPerson(db, f, false);
  const r = await pageOf(db, "idea", f, where, params, "k.first_line, k.id");
  if (!r) return null;
  return { page: r.page, pageSize: r.pageSize, total: r.total, person, items: r.rows.map((x) => ({ ...ideaView(x), message: messageRef(x) })) };
}

/**
 * Decisions with what they decide, newest message first; `kind` one of DECISION_KINDS, `person` an
 * address (the sender, or the actor a Nacked-by names). Null when the list does not exist.
 */
export async function listDecisions(db: Pick<Db, "pool">, f: KnowledgeFilter = {}): Promise<KnowledgePage<DecisionView> | null> {
  const { where, params, person } = await kindAndPerson(db, f, true);
  const r = await pageOf(db, "decision", f, where, params, "k.first_line, k.id");
  if (!r) return null;
  const views = await decisionsOf(db, r.rows);
  return { page: r.page, pageSize: r.pageSize, total: r.total, person, items: r.rows.map((x, i) => ({ ...views[i], message: messageRef(x) })) };
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
