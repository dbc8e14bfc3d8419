// Read queries for proposals: the list (/proposals/, /api/proposals) and one proposal with
// everything its page shows (/proposals/<id>/, /api/proposals/<id>/): the timeline across years,
// the people and their verdicts, the code it touched, ideas, benchmarks, robot reports, runs,
// decisions with their reasons, and related proposals. Plain JSON-safe data.
import type { Db } from "../db/client";
import { WORK_STATUSES } from "../knowledge/status";
import { iso, MAX_PAGE_SIZE, type Page, type PersonRef } from "./refs";
import { hunkFunctionsFromTexts } from "../code";
import { runsForProposal, type RunRecord } from "./runs";

const LIST_OF = (alias: string) =>
  `(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = ${alias}.id ORDER BY l.name LIMIT 1)`;

export interface ProposalSummary {
  id: number;
  key: string;
  /** the curator's title when there is one, else the derived one */
  title: string;
  derivedTitle: string;
  customTitle: string | null;
  status: string;
  firstDate: string | null;
  lastDate: string | null;
  /** series postings (RFC and versions) */
  postings: number;
  /** distinct version numbers */
  versions: number;
  people: number;
  messages: number;
  ideaCount: number;
  benchmarkCount: number;
  lists: string[];
  authors: PersonRef[];
  /** a series line, or a topic thread without patches */
  seed: string | null;
}

const SUMMARY = `p.id, p.key, p.title, p.custom_title, p.status, p.first_date, p.last_date, p.details,
  COALESCE((SELECT json_agg(json_build_object('address', a.addr, 'name', COALESCE((SELECT pe.names[1] FROM person pe WHERE pe.address = a.addr), '')))
            FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(p.details->'authors') = 'array' THEN p.details->'authors' ELSE '[]'::jsonb END) AS a(addr)), '[]') AS authors`;

function toSummary(r: Record<string, any>): ProposalSummary {
  const d = r.details ?? {};
  const num = (x: unknown) => (typeof x === "number" ? x : 0);
  return {
    id: r.id, key: r.key, title: r.custom_title ?? r.title, derivedTitle: r.title, customTitle: r.custom_title, status: r.status,
    firstDate: iso(r.first_date), lastDate: iso(r.last_date), postings: num(d.postings), versions: num(d.versions), people: num(d.people),
    messages: num(d.messages), ideaCount: num(d.ideas), benchmarkCount: num(d.benchmarks), lists: Array.isArray(d.lists) ? d.lists : [],
    authors: r.authors ?? [], seed: typeof d.seed === "string" ? d.seed : null,
  };
}

/** every status a proposal can have (lib/knowledge/status workStatus), as the /proposals/ filter offers them */
export const PROPOSAL_STATUSES = WORK_STATUSES;

export interface ProposalListQuery {
  /** only proposals with a posting or thread in this list */
  list?: string | null;
  /** words of the title (all of them), or a key / Message-ID */
  q?: string | null;
  status?: string | null;
  page?: number;
  pageSize?: number;
}

/** Proposals, latest activity first (merged-away ones left out). */
export async function listProposals(db: Db, o: ProposalListQuery = {}): Promise<Page<ProposalSummary> & { list: string | null; q: string | null; status: string | null }> {
  const page = Math.max(1, Math.floor(o.page ?? 1) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(o.pageSize ?? 50) || 50));
  const conds = ["p.merged_into_id IS NULL"];
  const params: unknown[] = [];
  const list = o.list?.trim() || null;
  const q = o.q?.trim().slice(0, 200) || null;
  const status = o.status?.trim() || null;
  if (list) conds.push(`p.details->'lists' ? $${params.push(list)}`);
  if (status) conds.push(`p.status = $${params.push(status)}`);
  if (q) {
    const words = q.split(/\s+/).filter(Boolean).slice(0, 8);
    const like = words.map((w) => `COALESCE(p.custom_title, p.title) ILIKE '%' || $${params.push(w.replace(/[\\%_]/g, (c) => "\\" + c))} || '%'`);
    conds.push(`((${like.join(" AND ")}) OR p.key = $${params.push(q.replace(/^<|>$/g, ""))})`);
  }
  const where = conds.join(" AND ");
  const { rows: [{ total }] } = await db.pool.query(`SELECT count(*) AS total FROM proposal p WHERE ${where}`, params);
  const { rows } = await db.pool.query(
    `SELECT ${SUMMARY} FROM proposal p WHERE ${where} ORDER BY p.last_date DESC NULLS LAST, p.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { page, pageSize, total, items: rows.map(toSummary), list, q, status };
}

// ----------------------------------------------------------------------------------------------

export interface ProposalMemberView {
  ref: string;
  role: string;
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
  /** auto | added | removed (curation) */
  state: string;
  label: string;
  date: string | null;
  list: string | null;
  /** the message to link to: a series' cover (or first patch), a thread's first message, the message */
  msgid: string | null;
  series: { key: string; version: number; revision: string; isRfc: boolean; isResend: boolean; total: number; author: string; authorName: string | null; versionLine: number | null } | null;
  thread: { id: number; messages: number; lastDate: string | null } | null;
}

export type TimelineKind = "rfc" | "version" | "review" | "report" | "decision" | "discussion" | "reference" | "benchmark";

export interface TimelineItem {
  date: string | null;
  kind: TimelineKind;
  /** what happened, as a short line */
  title: string;
  /** who: the sender */
  who: PersonRef | null;
  /** a verdict, a decision kind, a version label */
  tag: string | null;
  list: string | null;
  msgid: string | null;
  /** the series key (versions) */
  seriesKey: string | null;
  /** the patch a review answers (for its review view) */
  patchMsgid: string | null;
  detail: string | null;
}

export interface VerdictRef {
  verdict: string;
  msgid: string;
  list: string | null;
  date: string | null;
  /** the patch it answers, when known */
  patchMsgid: string | null;
  patchTitle: string | null;
  version: string | null;
  /** review (a reply's verdict) or the trailer key */
  via: string;
}

export interface ProposalPeople {
  proposers: (PersonRef & { postings: number })[];
  reviewers: (PersonRef & { verdicts: VerdictRef[] })[];
  participants: (PersonRef & { messages: number })[];
}

export interface ProposalHunk {
  seriesKey: string;
  version: string;
  list: string | null;
  msgid: string;
  patchTitle: string;
  /** 1-based file and hunk of the patch (anchors of the patch view) */
  file: number;
  hunk: number;
  header: string;
  added: number;
  removed: number;
}

export interface ProposalFile {
  path: string;
  status: string;
  added: number;
  removed: number;
  /** versions (labels) that change it */
  versions: string[];
  functions: { name: string; hunks: ProposalHunk[] }[];
  /** hunks no function could be named for */
  other: ProposalHunk[];
}

export interface ProposalIdea {
  id: number;
  kind: string;
  summary: string;
  quote: string;
  confidence: number;
  method: string;
  status: string;
  firstLine: number;
  lastLine: number;
  msgid: string;
  list: string | null;
  date: string | null;
  who: PersonRef;
}

export interface ProposalBenchmark {
  id: number;
  suite: string | null;
  test: string | null;
  metric: string;
  value: number | null;
  unit: string | null;
  change: number | null;
  direction: string | null;
  machine: string | null;
  commit: string | null;
  method: string;
  confidence: number;
  quote: string;
  firstLine: number;
  msgid: string;
  list: string | null;
  date: string | null;
  who: PersonRef;
}

export interface ProposalReport {
  kind: string;
  robot: string;
  commit: string | null;
  suite: string | null;
  metric: string | null;
  change: number | null;
  direction: string | null;
  msgid: string;
  subject: string;
  list: string | null;
  date: string | null;
}

export interface ProposalDecision {
  id: number;
  kind: string;
  target: string | null;
  reason: string | null;
  quote: string;
  firstLine: number;
  lastLine: number;
  method: string;
  confidence: number;
  status: string;
  msgid: string | null;
  list: string | null;
  date: string | null;
  who: PersonRef | null;
  /** the posting it decides (key, version label) */
  series: { key: string; label: string } | null;
}

export interface RelatedProposal {
  id: number;
  title: string;
  status: string;
  firstDate: string | null;
  lastDate: string | null;
  /** what the other proposal is to this one: predecessor | successor | alternative | related */
  relation: string;
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

export interface ProposalDetail extends ProposalSummary {
  /** why the status is what it is (the decision's message, or upstream) */
  statusBecause: Record<string, unknown> | null;
  details: Record<string, unknown>;
  members: ProposalMemberView[];
  timeline: TimelineItem[];
  contributors: ProposalPeople;
  code: { files: ProposalFile[]; functions: number; hunks: number };
  ideas: ProposalIdea[];
  benchmarks: ProposalBenchmark[];
  reports: ProposalReport[];
  decisions: ProposalDecision[];
  related: RelatedProposal[];
  runs: RunRecord[];
}

const versionLabel = (s: { version: number; revision?: string | null; is_rfc?: boolean; isRfc?: boolean }) => {
  const rfc = s.is_rfc ?? s.isRfc;
  const v = s.revision && s.revision !== "1" ? `v${s.revision}` : s.version > 1 ? `v${s.version}` : "v1";
  return rfc ? (v === "v1" ? "RFC" : `RFC ${v}`) : v;
};

const person = (name: string | null | undefined, address: string | null | undefined): PersonRef => ({ name: (name ?? "").trim(), address: (address ?? "").trim() });

/** One proposal; a merged-away one answers where it went. */
export async function getProposal(db: Db, id: number): Promise<ProposalDetail | { redirect: number } | null> {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const { rows } = await db.pool.query(`SELECT ${SUMMARY}, p.merged_into_id FROM proposal p WHERE p.id = $1`, [id]);
  if (!rows.length) return null;
  const r = rows[0];
  if (r.merged_into_id !== null) {
    // follow the chain to the proposal that holds the members now
    let to = r.merged_into_id as number;
    for (let i = 0; i < 32; i++) {
      const { rows: n } = await db.pool.query(`SELECT merged_into_id FROM proposal WHERE id = $1`, [to]);
      if (!n.length || n[0].merged_into_id === null) break;
      to = n[0].merged_into_id;
    }
    return { redirect: to };
  }
  const summary = toSummary(r);

  // members
  const { rows: mrows } = await db.pool.query(
    `SELECT pm.ref, pm.role, pm.method, pm.confidence, pm.evidence, pm.state, pm.series_id, pm.thread_id, pm.message_id,
            s.key, s.title AS s_title, s.version, s.revision, s.is_rfc, s.is_resend, s.total, s.author, s.date AS s_date, s.version_line_id,
            (SELECT pe.names[1] FROM person pe WHERE pe.id = s.author_id) AS author_name,
            COALESCE((SELECT m.msgid FROM message m WHERE m.id = s.cover_id),
                     (SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id WHERE sp.series_id = s.id ORDER BY sp.index LIMIT 1)) AS s_msgid,
            (SELECT l.name FROM list l WHERE l.id = s.list_id) AS s_list,
            t.subject AS t_subject, t.first_date AS t_first, t.last_date AS t_last, t.message_count,
            (SELECT m.msgid FROM message m WHERE m.thread_id = t.id AND NOT m.ghost ORDER BY m.date NULLS LAST, m.id LIMIT 1) AS t_msgid,
            (SELECT l.name FROM list_thread lt JOIN list l ON l.id = lt.list_id WHERE lt.thread_id = t.id ORDER BY l.name LIMIT 1) AS t_list,
            mm.msgid AS m_msgid, mm.subject AS m_subject, mm.date AS m_date, ${LIST_OF("mm")} AS m_list
     FROM proposal_member pm
     LEFT JOIN series s ON s.id = pm.series_id
     LEFT JOIN thread t ON t.id = pm.thread_id AND pm.series_id IS NULL AND pm.message_id IS NULL
     LEFT JOIN message mm ON mm.id = pm.message_id
     WHERE pm.proposal_id = $1`,
    [id],
  );
  const members: ProposalMemberView[] = mrows.map((m) => {
    const isSeries = m.series_id !== null && m.key !== null;
    const isMessage = m.message_id !== null && m.m_msgid !== null;
    return {
      ref: m.ref, role: m.role, method: m.method, confidence: m.confidence, evidence: m.evidence, state: m.state,
      label: isSeries ? m.s_title : isMessage ? m.m_subject : (m.t_subject ?? m.ref),
      date: iso(isSeries ? m.s_date : isMessage ? m.m_date : m.t_first),
      list: isSeries ? m.s_list : isMessage ? m.m_list : m.t_list,
      msgid: isSeries ? m.s_msgid : isMessage ? m.m_msgid : m.t_msgid,
      series: isSeries
        ? { key: m.key, version: m.version, revision: m.revision, isRfc: m.is_rfc, isResend: m.is_resend, total: m.total, author: m.author, authorName: m.author_name, versionLine: m.version_line_id }
        : null,
      thread: !isSeries && !isMessage && m.thread_id !== null ? { id: m.thread_id, messages: m.message_count ?? 0, lastDate: iso(m.t_last) } : null,
    };
  });
  members.sort((a, b) => (Date.parse(a.date ?? "") || 0) - (Date.parse(b.date ?? "") || 0) || a.ref.localeCompare(b.ref));
  const active = mrows.filter((m) => m.state !== "removed");
  const seriesIds = active.filter((m) => m.series_id !== null && m.key !== null).map((m) => m.series_id as number);
  const { rows: sthreads } = await db.pool.query(
    `SELECT DISTINCT x.thread_id FROM (
       SELECT s.thread_id FROM series s WHERE s.id = ANY($1::int[])
       UNION SELECT m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited) x
     WHERE x.thread_id IS NOT NULL`,
    [seriesIds],
  );
  const coreThreads = new Set<number>(sthreads.map((x) => x.thread_id));
  for (const m of active) if (m.series_id === null && m.message_id === null && m.thread_id !== null && m.role === "rfc") coreThreads.add(m.thread_id);
  const allThreads = new Set<number>(coreThreads);
  for (const m of active) if (m.thread_id !== null && m.series_id === null) allThreads.add(m.thread_id);
  const memberMessages = active.filter((m) => m.message_id !== null).map((m) => m.message_id as number);
  const core = [...coreThreads];
  const all = [...allThreads];

  // the postings
  const { rows: postings } = await db.pool.query(
    `SELECT s.id, s.key, s.title, s.version, s.revision, s.is_rfc, s.is_resend, s.date, s.author, s.total,
            (SELECT pe.names[1] FROM person pe WHERE pe.id = s.author_id) AS author_name, (SELECT l.name FROM list l WHERE l.id = s.list_id) AS list,
            COALESCE((SELECT m.msgid FROM message m WHERE m.id = s.cover_id),
                     (SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id WHERE sp.series_id = s.id ORDER BY sp.index LIMIT 1)) AS msgid
     FROM series s WHERE s.id = ANY($1::int[]) ORDER BY s.date NULLS LAST, s.id`,
    [seriesIds],
  );
  const labelOf = new Map<number, string>(postings.map((s) => [s.id, versionLabel(s)]));

  // reviews: verdicts of replies in the core threads, and trailers given in replies
  const { rows: reviews } = await db.pool.query(
    `SELECT rv.verdict, rv.verdict_text, m.msgid, m.date, m.from_name, m.from_address, ${LIST_OF("m")} AS list,
            pm.msgid AS patch_msgid, pp.title AS patch_title,
            (SELECT sp.series_id FROM series_patch sp WHERE sp.message_id = rv.patch_message_id AND sp.series_id = ANY($2::int[]) LIMIT 1) AS series_id
     FROM review rv JOIN message m ON m.id = rv.message_id
     LEFT JOIN message pm ON pm.id = rv.patch_message_id LEFT JOIN patch pp ON pp.message_id = rv.patch_message_id
     WHERE m.thread_id = ANY($1::int[]) AND rv.verdict IS NOT NULL
     ORDER BY m.date NULLS LAST, m.id`,
    [core, seriesIds],
  );
  const { rows: trailers } = await db.pool.query(
    `SELECT tr.kind, tr.person_name, tr.person_address, tr.mismatch, m.msgid, m.date, m.thread_id, m.from_name, m.from_address, ${LIST_OF("m")} AS list
     FROM trailer tr JOIN message m ON m.id = tr.message_id
     WHERE m.thread_id = ANY($1::int[]) AND tr.source = 'reply' AND NOT tr.mismatch
       AND lower(tr.kind) IN ('reviewed-by', 'acked-by', 'tested-by', 'nacked-by')
     ORDER BY m.date NULLS LAST, m.id`,
    [core],
  );

  // knowledge in every thread of the proposal
  const { rows: ideas } = await db.pool.query(
    `SELECT i.id, i.kind, i.summary, i.quote, i.confidence, i.method, i.status, i.first_line, i.last_line, m.msgid, m.date, m.from_name, m.from_address, ${LIST_OF("m")} AS list
     FROM idea i JOIN message m ON m.id = i.message_id WHERE m.thread_id = ANY($1::int[]) AND i.status <> 'rejected'
     ORDER BY m.date NULLS LAST, m.id, i.first_line`,
    [all],
  );
  const { rows: benchmarks } = await db.pool.query(
    `SELECT b.*, m.msgid, m.date, m.from_name, m.from_address, ${LIST_OF("m")} AS list
     FROM benchmark b JOIN message m ON m.id = b.message_id WHERE m.thread_id = ANY($1::int[])
     ORDER BY m.date NULLS LAST, m.id, b.first_line`,
    [all],
  );
  const { rows: reports } = await db.pool.query(
    `SELECT rr.*, m.msgid, m.subject, m.date, ${LIST_OF("m")} AS list
     FROM robot_report rr JOIN message m ON m.id = rr.message_id WHERE m.thread_id = ANY($1::int[]) OR m.id = ANY($2::bigint[])
     ORDER BY m.date NULLS LAST, m.id`,
    [all, memberMessages],
  );
  const { rows: decisions } = await db.pool.query(
    `SELECT d.id, d.kind, d.target, d.reason, d.quote, d.first_line, d.last_line, d.method, d.confidence, d.status, d.series_id,
            m.msgid, m.date, m.from_name, m.from_address, m.thread_id, ${LIST_OF("m")} AS list, s.key AS series_key, s.version, s.revision, s.is_rfc
     FROM decision d LEFT JOIN message m ON m.id = d.message_id LEFT JOIN series s ON s.id = d.series_id
     WHERE d.series_id = ANY($1::int[]) OR m.thread_id = ANY($2::int[])
     ORDER BY m.date NULLS LAST, d.id`,
    [seriesIds, core],
  );
  // the owner posting of a message in a core thread: the latest posting of its thread before it
  const postingThreads = await db.pool.query(
    `SELECT DISTINCT sp.series_id, m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id WHERE sp.series_id = ANY($1::int[])`,
    [seriesIds],
  );
  const postingsInThread = new Map<number, { id: number; key: string; date: number }[]>();
  for (const x of postingThreads.rows) {
    const s = postings.find((p) => p.id === x.series_id);
    if (!s) continue;
    postingsInThread.set(x.thread_id, [...(postingsInThread.get(x.thread_id) ?? []), { id: s.id, key: s.key, date: s.date ? new Date(s.date).getTime() : 0 }]);
  }
  const ownerOf = (threadId: number | null, date: Date | null) => {
    const l = (threadId !== null ? postingsInThread.get(threadId) : undefined) ?? [];
    let best: { id: number; key: string; date: number } | null = null;
    for (const s of [...l].sort((a, b) => a.date - b.date)) if (!best || s.date <= (date?.getTime() ?? Infinity)) best = s;
    return best;
  };

  // code
  const { rows: hunks } = await db.pool.query(
    `SELECT sp.series_id, m.msgid, ${LIST_OF("m")} AS list, p.title AS patch_title, f.path, f.status, f.position AS fpos, f.added AS fadded, f.removed AS fremoved,
            h.position AS hpos, h.old_start, h.old_lines, h.new_start, h.new_lines, h.heading, h.added, h.removed,
            left(h.added_text, 8000) AS added_text, left(h.removed_text, 8000) AS removed_text
     FROM series_patch sp JOIN message m ON m.id = sp.message_id JOIN patch p ON p.message_id = m.id
     JOIN patch_file f ON f.message_id = m.id LEFT JOIN hunk h ON h.file_id = f.id
     WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited
     ORDER BY f.path, sp.series_id, sp.index, h.position`,
    [seriesIds],
  );
  const seriesDate = new Map<number, number>(postings.map((s) => [s.id, s.date ? new Date(s.date).getTime() : 0]));
  const keyOf = new Map<number, string>(postings.map((s) => [s.id, s.key]));
  const files = new Map<string, ProposalFile & { fileKeys: Set<string>; latest: number }>();
  let hunkCount = 0;
  for (const h of hunks) {
    let f = files.get(h.path);
    if (!f) files.set(h.path, (f = { path: h.path, status: h.status, added: 0, removed: 0, versions: [], functions: [], other: [], fileKeys: new Set(), latest: -Infinity }));
    const fileKey = `${h.msgid} ${h.fpos}`;
    if (!f.fileKeys.has(fileKey)) {
      f.fileKeys.add(fileKey);
      if (!f.versions.includes(labelOf.get(h.series_id)!)) f.versions.push(labelOf.get(h.series_id)!);
      // the latest posting's numbers are what the proposal does to the file
      const when = seriesDate.get(h.series_id) ?? 0;
      if (when > f.latest) (f.latest = when), (f.added = 0), (f.removed = 0), (f.status = h.status);
      if (when === f.latest) (f.added += h.fadded), (f.removed += h.fremoved);
    }
    if (h.hpos === null) continue;
    hunkCount++;
    const hunk: ProposalHunk = {
      seriesKey: keyOf.get(h.series_id)!, version: labelOf.get(h.series_id)!, list: h.list, msgid: h.msgid, patchTitle: h.patch_title,
      file: h.fpos + 1, hunk: h.hpos + 1, header: `@@ -${h.old_start},${h.old_lines} +${h.new_start},${h.new_lines} @@`, added: h.added, removed: h.removed,
    };
    const names = hunkFunctionsFromTexts(h.heading ?? "", h.added_text ?? "", h.removed_text ?? "", h.path);
    if (!names.length) f.other.push(hunk);
    for (const n of names) {
      let fn = f.functions.find((x) => x.name === n);
      if (!fn) f.functions.push((fn = { name: n, hunks: [] }));
      fn.hunks.push(hunk);
    }
  }
  const codeFiles: ProposalFile[] = [...files.values()].map(({ fileKeys: _k, latest: _l, ...f }) => ({ ...f, functions: f.functions.sort((a, b) => a.name.localeCompare(b.name)) }));

  // people
  const proposers = new Map<string, PersonRef & { postings: number }>();
  for (const s of postings) {
    const k = s.author.toLowerCase();
    const cur = proposers.get(k) ?? { ...person(s.author_name, s.author), postings: 0 };
    cur.postings++;
    proposers.set(k, cur);
  }
  const reviewers = new Map<string, PersonRef & { verdicts: VerdictRef[] }>();
  const addVerdict = (who: PersonRef, v: VerdictRef) => {
    const k = who.address.toLowerCase();
    if (!k) return;
    const cur = reviewers.get(k) ?? { ...who, verdicts: [] };
    if (!cur.name && who.name) cur.name = who.name;
    if (!cur.verdicts.some((x) => x.msgid === v.msgid && x.verdict === v.verdict)) cur.verdicts.push(v);
    reviewers.set(k, cur);
  };
  for (const rv of reviews) {
    addVerdict(person(rv.from_name, rv.from_address), {
      verdict: rv.verdict, msgid: rv.msgid, list: rv.list, date: iso(rv.date), patchMsgid: rv.patch_msgid, patchTitle: rv.patch_title,
      version: rv.series_id !== null ? (labelOf.get(rv.series_id) ?? null) : null, via: "review",
    });
  }
  const TRAILER_VERDICT: Record<string, string> = { "reviewed-by": "review", "acked-by": "ack", "tested-by": "test", "nacked-by": "nak" };
  for (const tr of trailers) {
    addVerdict(person(tr.person_name ?? tr.from_name, tr.person_address ?? tr.from_address), {
      verdict: TRAILER_VERDICT[String(tr.kind).toLowerCase()] ?? String(tr.kind), msgid: tr.msgid, list: tr.list, date: iso(tr.date),
      patchMsgid: null, patchTitle: null, version: (() => {
        const o = ownerOf(tr.thread_id, tr.date);
        return o ? (labelOf.get(o.id) ?? null) : null;
      })(), via: tr.kind,
    });
  }
  const { rows: senders } = await db.pool.query(
    `SELECT lower(m.from_address) AS address, max(m.from_name) AS name, count(*) AS n FROM message m
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost GROUP BY lower(m.from_address) ORDER BY count(*) DESC, 1 LIMIT 200`,
    [all],
  );
  const participants = senders
    .filter((s) => !proposers.has(s.address) && !reviewers.has(s.address))
    .map((s) => ({ ...person(s.name, s.address), messages: Number(s.n) }));
  for (const s of senders) {
    const rv = reviewers.get(s.address);
    if (rv && !rv.name) rv.name = s.name ?? "";
  }

  // the timeline: postings, verdicts, reports, decisions, member threads
  const timeline: TimelineItem[] = [];
  for (const s of postings) {
    timeline.push({
      date: iso(s.date), kind: s.is_rfc ? "rfc" : "version", title: s.title, who: person(s.author_name, s.author), tag: versionLabel(s),
      list: s.list, msgid: s.msgid, seriesKey: s.key, patchMsgid: null, detail: `${s.total} patch${s.total === 1 ? "" : "es"}`,
    });
  }
  for (const rv of reviews) {
    timeline.push({
      date: iso(rv.date), kind: "review", title: rv.patch_title ?? "", who: person(rv.from_name, rv.from_address), tag: rv.verdict, list: rv.list,
      msgid: rv.msgid, seriesKey: rv.series_id !== null ? (keyOf.get(rv.series_id) ?? null) : null, patchMsgid: rv.patch_msgid,
      detail: rv.verdict_text ? String(rv.verdict_text).trim().slice(0, 200) : null,
    });
  }
  for (const rp of reports) {
    timeline.push({
      date: iso(rp.date), kind: "report", title: rp.subject, who: person(rp.robot, null), tag: rp.kind, list: rp.list, msgid: rp.msgid,
      seriesKey: null, patchMsgid: null, detail: rp.metric ? `${rp.metric}${rp.change !== null ? ` ${rp.change > 0 ? "+" : ""}${rp.change}%` : ""}` : null,
    });
  }
  const reportMsgids = new Set(reports.map((x) => x.msgid));
  for (const m of members) {
    if (m.state === "removed") continue;
    if (m.role === "report" && m.msgid && !reportMsgids.has(m.msgid)) {
      timeline.push({ date: m.date, kind: "report", title: m.label, who: null, tag: "report", list: m.list, msgid: m.msgid, seriesKey: null, patchMsgid: null, detail: null });
    }
    if (m.thread && (m.role === "discussion" || m.role === "reference" || m.role === "report")) {
      timeline.push({
        date: m.date, kind: m.role === "report" ? "report" : m.role === "reference" ? "reference" : "discussion", title: m.label, who: null, tag: m.method,
        list: m.list, msgid: m.msgid, seriesKey: null, patchMsgid: null, detail: `${m.thread.messages} message${m.thread.messages === 1 ? "" : "s"}`,
      });
    }
    if (m.thread && m.role === "rfc") {
      timeline.push({ date: m.date, kind: "rfc", title: m.label, who: null, tag: "topic", list: m.list, msgid: m.msgid, seriesKey: null, patchMsgid: null, detail: `${m.thread.messages} messages` });
    }
  }
  const decisionViews: ProposalDecision[] = decisions.map((d) => {
    const owner = d.series_key ? { key: d.series_key, label: versionLabel(d) } : (() => {
      const o = ownerOf(d.thread_id, d.date);
      return o ? { key: o.key, label: labelOf.get(o.id) ?? "" } : null;
    })();
    return {
      id: d.id, kind: d.kind, target: d.target, reason: d.reason, quote: d.quote, firstLine: d.first_line, lastLine: d.last_line, method: d.method,
      confidence: d.confidence, status: d.status, msgid: d.msgid, list: d.list, date: iso(d.date),
      who: d.msgid ? person(d.from_name, d.from_address) : null, series: owner,
    };
  });
  for (const d of decisionViews) {
    if (d.status === "rejected") continue;
    timeline.push({
      date: d.date, kind: "decision", title: d.quote || d.kind, who: d.who, tag: d.kind, list: d.list, msgid: d.msgid, seriesKey: d.series?.key ?? null,
      patchMsgid: null, detail: [d.series ? `on ${d.series.label}` : null, d.target ? `to ${d.target}` : null, d.reason].filter(Boolean).join("; ") || null,
    });
  }
  const rank: Record<TimelineKind, number> = { rfc: 0, version: 1, discussion: 2, reference: 2, review: 3, benchmark: 4, report: 5, decision: 6 };
  timeline.sort((a, b) => (Date.parse(a.date ?? "") || 0) - (Date.parse(b.date ?? "") || 0) || rank[a.kind] - rank[b.kind]);

  // related proposals
  const { rows: links } = await db.pool.query(
    `SELECT l.from_id, l.to_id, l.kind, l.method, l.confidence, l.evidence, o.id, COALESCE(o.custom_title, o.title) AS title, o.status, o.first_date, o.last_date
     FROM proposal_link l JOIN proposal o ON o.id = CASE WHEN l.from_id = $1 THEN l.to_id ELSE l.from_id END
     WHERE (l.from_id = $1 OR l.to_id = $1) AND o.merged_into_id IS NULL
     ORDER BY l.confidence DESC, o.id`,
    [id],
  );
  const related: RelatedProposal[] = links.map((l) => ({
    id: l.id, title: l.title, status: l.status, firstDate: iso(l.first_date), lastDate: iso(l.last_date),
    relation: l.kind === "successor" ? (l.from_id === id ? "successor" : "predecessor") : l.kind === "predecessor" ? (l.from_id === id ? "predecessor" : "successor") : l.kind,
    method: l.method, confidence: l.confidence, evidence: l.evidence,
  }));

  const runs = await runsForProposal(db, id);
  const d = (r.details ?? {}) as Record<string, unknown>;
  return {
    ...summary,
    statusBecause: (d.statusBecause as Record<string, unknown> | undefined) ?? null,
    details: { ...d, terms: undefined, functions: undefined, files: undefined },
    members,
    timeline,
    contributors: {
      proposers: [...proposers.values()],
      reviewers: [...reviewers.values()].sort((a, b) => b.verdicts.length - a.verdicts.length || a.address.localeCompare(b.address)),
      participants,
    },
    code: { files: codeFiles, functions: codeFiles.reduce((t, f) => t + f.functions.length, 0), hunks: hunkCount },
    ideas: ideas.map((i) => ({
      id: Number(i.id), kind: i.kind, summary: i.summary, quote: i.quote, confidence: i.confidence, method: i.method, status: i.status,
      firstLine: i.first_line, lastLine: i.last_line, msgid: i.msgid, list: i.list, date: iso(i.date), who: person(i.from_name, i.from_address),
    })),
    benchmarks: benchmarks.map((b) => ({
      id: Number(b.id), suite: b.suite, test: b.test, metric: b.metric, value: b.value, unit: b.unit, change: b.change, direction: b.direction,
      machine: b.machine, commit: b.commit, method: b.method, confidence: b.confidence, quote: b.quote, firstLine: b.first_line, msgid: b.msgid,
      list: b.list, date: iso(b.date), who: person(b.from_name, b.from_address),
    })),
    reports: reports.map((rp) => ({
      kind: rp.kind, robot: rp.robot, commit: rp.commit, suite: rp.suite, metric: rp.metric, change: rp.change, direction: rp.direction,
      msgid: rp.msgid, subject: rp.subject, list: rp.list, date: iso(rp.date),
    })),
    decisions: decisionViews,
    related,
    runs,
  };
}

/** The proposal a series posting belongs to (through merges), for a link from its page. */
export async function proposalOfSeries(db: Db, seriesKey: string): Promise<{ id: number; title: string; status: string } | null> {
  const { rows } = await db.pool.query(
    `WITH RECURSIVE start AS (
       SELECT pm.proposal_id AS id FROM proposal_member pm JOIN series s ON s.id = pm.series_id
       WHERE s.key = $1 AND pm.state <> 'removed' ORDER BY (pm.state = 'added') DESC, pm.confidence DESC, pm.proposal_id LIMIT 1),
     chain(id, depth) AS (SELECT id, 0 FROM start UNION ALL SELECT p.merged_into_id, c.depth + 1 FROM chain c JOIN proposal p ON p.id = c.id
                          WHERE p.merged_into_id IS NOT NULL AND c.depth < 32)
     SELECT p.id, COALESCE(p.custom_title, p.title) AS title, p.status FROM chain c JOIN proposal p ON p.id = c.id
     WHERE p.merged_into_id IS NULL LIMIT 1`,
    [seriesKey],
  );
  return rows[0] ?? null;
}
