// The proposals pass: series postings, version lines, threads, references, Fixes: trailers and
// changed functions -> proposals (lib/proposals), written with every member's and link's method,
// confidence and evidence. Runs after the series pass (ingest, `patchlore reindex`).
//
// Incremental: given the threads an ingest touched, the scope is the closure of their units
// (series postings, and threads without series) over everything that can change membership —
// version-line mates, explicit references either way, Fixes: either way, the units of every
// proposal a scope unit is in today, and the same author's postings within a year (renamed later
// versions) — plus the threads without series one reference away. Only the proposals of that
// scope are rewritten; shared-code and text-similarity links are recomputed for them against all
// proposals (the others keep theirs). Without thread ids (reindex), everything is derived.
//
// Curation survives: a custom title is never touched; a proposal merged into another stays merged
// (its members are written to the proposal it was merged into, its own page redirects); member
// rows a curator added or removed (state added/removed) are never overwritten or re-added; a
// proposal that no longer arises is deleted only when nothing curated hangs on it.
import type pg from "pg";
import {
  changedFunctions,
  classifyRefs,
  fixesTrailers,
  groupProposals,
  mergeTerms,
  normalizeTitle,
  seedReason,
  similarityLinks,
  termCounts,
  mentionedIdentifiers,
  type LinkDraft,
  type MemberDraft,
  type ProposalDraft,
  type ProposalInput,
  type ProposalVector,
  type SeriesUnit,
  type ThreadUnit,
  type UnitFixes,
  type UnitReference,
} from "../../proposals";
import { messageIdsInLine } from "../../mail/references";
import { transaction } from "../../db/tx";

/** Robots whose mails are reports, when robot_report has nothing for a message (lib/knowledge fills it). */
const ROBOT_SENDER = /(?:^|[^a-z])(?:lkp|oliver\.sang|syzbot|kernelci|ci_notify|kbuild|intel-gfx-ci)[^@]*@|kernel test robot/i;
/** An incremental scope larger than this share of the threads is derived in full (cheaper and simpler). */
const FULL_SHARE = 0.4;

export interface DeriveProposalsOptions {
  /** threads whose messages changed; absent: derive everything */
  threadIds?: number[];
  /** an incremental scope holding more than this share of all units is derived in full instead (default 0.4) */
  fullShare?: number;
  onProgress?: (phase: string) => void;
}

export interface DeriveProposalsResult {
  mode: "full" | "incremental";
  /** units (series postings, threads without series) re-derived */
  units: number;
  proposals: number;
  created: number;
  deleted: number;
  members: number;
  membersByMethod: Record<string, number>;
  membersByRole: Record<string, number>;
  links: number;
  linksByMethod: Record<string, number>;
  seconds: number;
}

// ----------------------------------------------------------------------------------------------
// The graph every run reads: light rows, no bodies

interface SeriesRow {
  id: number;
  key: string;
  thread_id: number | null;
  version_line_id: number | null;
  author: string;
  date: Date | null;
}

interface Graph {
  series: Map<number, SeriesRow>;
  /** message id -> its series (not inherited) */
  seriesOfMessage: Map<number, number>;
  /** series id -> its threads */
  threadsOfSeries: Map<number, Set<number>>;
  /** thread id -> series in it, by date */
  seriesOfThread: Map<number, SeriesRow[]>;
  lineMembers: Map<number, number[]>;
  threads: Map<number, { subject: string; seed: string | null }>;
  refs: RefRow[];
  fixes: FixRow[];
  members: { proposal_id: number; series_id: number | null; thread_id: number | null; message_id: number | null; state: string }[];
  mergedInto: Map<number, number>;
}

interface RefRow {
  from_id: number;
  from_thread: number;
  from_date: Date | null;
  from_address: string;
  from_msgid: string;
  to_id: number;
  to_msgid: string;
  to_thread: number;
  to_date: Date | null;
  based_on: boolean;
  /** from the trailer table: Link / Closes */
  trailer: string | null;
  /** a robot report's link to the patch it reports on (robot_report.details.link) */
  robot?: string;
}

interface FixRow {
  from_id: number;
  from_msgid: string;
  commit: string;
  subject: string | null;
  line: number;
  text: string;
  /** patch messages with that subject, or known to be that commit */
  targets: { id: number; msgid: string; by: "subject" | "commit" }[];
}

const t = (d: Date | null | undefined) => (d ? d.getTime() : NaN);

async function loadGraph(c: pg.PoolClient): Promise<Graph> {
  const { rows: series } = await c.query<SeriesRow>(`SELECT id, key, thread_id, version_line_id, author, date FROM series ORDER BY id`);
  const { rows: sp } = await c.query(
    `SELECT sp.series_id, sp.message_id, sp.inherited, m.thread_id FROM series_patch sp JOIN message m ON m.id = sp.message_id ORDER BY sp.series_id, sp.message_id`,
  );
  const g: Graph = {
    series: new Map(series.map((s) => [s.id, s])),
    seriesOfMessage: new Map(),
    threadsOfSeries: new Map(),
    seriesOfThread: new Map(),
    lineMembers: new Map(),
    threads: new Map(),
    refs: [],
    fixes: [],
    members: [],
    mergedInto: new Map(),
  };
  const addThread = (sid: number, tid: number | null) => {
    if (tid === null) return;
    let s = g.threadsOfSeries.get(sid);
    if (!s) g.threadsOfSeries.set(sid, (s = new Set()));
    s.add(tid);
  };
  for (const s of series) addThread(s.id, s.thread_id);
  for (const r of sp) {
    if (!r.inherited && !g.seriesOfMessage.has(r.message_id)) g.seriesOfMessage.set(r.message_id, r.series_id);
    if (!r.inherited) addThread(r.series_id, r.thread_id);
  }
  for (const [sid, ts] of g.threadsOfSeries) for (const tid of ts) {
    const l = g.seriesOfThread.get(tid) ?? [];
    l.push(g.series.get(sid)!);
    g.seriesOfThread.set(tid, l);
  }
  for (const l of g.seriesOfThread.values()) l.sort((a, b) => t(a.date) - t(b.date) || a.id - b.id);
  for (const s of series) if (s.version_line_id !== null) g.lineMembers.set(s.version_line_id, [...(g.lineMembers.get(s.version_line_id) ?? []), s.id]);

  const { rows: threads } = await c.query(
    `SELECT t.id, COALESCE(NULLIF(r.subject, ''), t.subject) AS subject, r.ghost FROM thread t LEFT JOIN message r ON r.id = t.root_id ORDER BY t.id`,
  );
  for (const th of threads) g.threads.set(th.id, { subject: th.subject, seed: g.seriesOfThread.has(th.id) || th.ghost ? null : seedReason(th.subject) });

  // Message-IDs and lore links in bodies (message.facts.bodyRefs), and Link:/Closes: trailers
  const { rows: refs } = await c.query<RefRow>(
    `SELECT m.id AS from_id, m.thread_id AS from_thread, m.date AS from_date, m.from_address, m.msgid AS from_msgid,
            x.id AS to_id, x.msgid AS to_msgid, x.thread_id AS to_thread, x.date AS to_date,
            COALESCE(m.facts->'basedOn' ? x.msgid, false) AS based_on, NULL::text AS trailer
     FROM message m CROSS JOIN LATERAL jsonb_array_elements_text(m.facts->'bodyRefs') AS r(msgid)
     JOIN message x ON x.msgid = r.msgid
     WHERE jsonb_typeof(m.facts->'bodyRefs') = 'array' AND NOT m.ghost AND m.thread_id IS NOT NULL AND x.thread_id IS NOT NULL AND x.id <> m.id
     ORDER BY m.id, x.id`,
  );
  g.refs = refs;
  const { rows: trailers } = await c.query(
    `SELECT tr.message_id, tr.key, COALESCE(tr.url, tr.value) AS url, m.thread_id, m.date, m.from_address, m.msgid
     FROM trailer tr JOIN message m ON m.id = tr.message_id
     WHERE lower(tr.kind) IN ('link', 'closes') AND NOT tr.mismatch AND m.thread_id IS NOT NULL
     ORDER BY tr.message_id, tr.id`,
  );
  if (trailers.length) {
    const wanted = new Map<string, typeof trailers>();
    for (const tr of trailers) for (const id of messageIdsInLine(String(tr.url ?? ""))) wanted.set(id, [...(wanted.get(id) ?? []), tr]);
    if (wanted.size) {
      const { rows: targets } = await c.query(`SELECT id, msgid, thread_id, date FROM message WHERE msgid = ANY($1::text[]) AND thread_id IS NOT NULL ORDER BY id`, [[...wanted.keys()]]);
      const seen = new Set(refs.map((r) => `${r.from_id} ${r.to_id}`));
      for (const x of targets) for (const tr of wanted.get(x.msgid) ?? []) {
        if (x.id === tr.message_id) continue;
        const k = `${tr.message_id} ${x.id}`;
        const trailer = String(tr.key).replace(/:$/, "");
        if (seen.has(k)) {
          for (const r of g.refs) if (r.from_id === tr.message_id && r.to_id === x.id) r.trailer = trailer;
          continue;
        }
        seen.add(k);
        g.refs.push({
          from_id: tr.message_id, from_thread: tr.thread_id, from_date: tr.date, from_address: tr.from_address, from_msgid: tr.msgid,
          to_id: x.id, to_msgid: x.msgid, to_thread: x.thread_id, to_date: x.date, based_on: false, trailer,
        });
      }
    }
  }

  // robot reports in threads of their own, linked to the patch they report on (lib/passes/knowledge-links)
  const { rows: reports } = await c.query(
    `SELECT m.id AS from_id, m.thread_id AS from_thread, m.date AS from_date, m.from_address, m.msgid AS from_msgid,
            x.id AS to_id, x.msgid AS to_msgid, x.thread_id AS to_thread, x.date AS to_date, false AS based_on, NULL::text AS trailer,
            COALESCE(rr.details->'link'->>'method', 'link') AS robot
     FROM robot_report rr JOIN message m ON m.id = rr.message_id
     JOIN message x ON x.id = (rr.details->'link'->>'patchMessageId')::bigint
     WHERE rr.details->'link'->>'patchMessageId' ~ '^[0-9]+$' AND m.thread_id IS NOT NULL AND x.thread_id IS NOT NULL AND x.thread_id <> m.thread_id
     ORDER BY m.id`,
  );
  g.refs.push(...reports);

  // Fixes: trailers of patches: the trailer table (lib/review) and the commit messages themselves
  const { rows: fixText } = await c.query(
    `SELECT p.message_id, m.msgid, p.commit_message FROM patch p JOIN message m ON m.id = p.message_id
     WHERE p.kind <> 'inline' AND p.commit_message ~* '(^|\n)\\s*fixes:\\s*[0-9a-f]{7}'
     ORDER BY p.message_id`,
  );
  const fixes = new Map<string, FixRow>();
  for (const r of fixText) for (const f of fixesTrailers(r.commit_message)) {
    const k = `${r.message_id} ${f.commit}`;
    if (!fixes.has(k)) fixes.set(k, { from_id: r.message_id, from_msgid: r.msgid, commit: f.commit, subject: f.subject, line: f.line, text: f.text, targets: [] });
  }
  const { rows: fixTrailers } = await c.query(
    `SELECT tr.message_id, m.msgid, tr.commit, tr.value, tr.line FROM trailer tr JOIN message m ON m.id = tr.message_id
     JOIN patch p ON p.message_id = tr.message_id AND p.kind <> 'inline'
     WHERE lower(tr.kind) = 'fixes' AND tr.source = 'commit-message'
     ORDER BY tr.message_id, tr.id`,
  );
  for (const r of fixTrailers) {
    const parsed = fixesTrailers(`Fixes: ${r.value}`)[0];
    const commit = String(r.commit ?? parsed?.commit ?? "").toLowerCase();
    if (!/^[0-9a-f]{7,40}$/.test(commit)) continue;
    const k = `${r.message_id} ${commit}`;
    if (!fixes.has(k)) fixes.set(k, { from_id: r.message_id, from_msgid: r.msgid, commit, subject: parsed?.subject ?? null, line: r.line + 1, text: `Fixes: ${r.value}`, targets: [] });
  }
  if (fixes.size) {
    const subjects = [...new Set([...fixes.values()].map((f) => (f.subject ? normalizeTitle(f.subject) : "")).filter(Boolean))];
    const { rows: bySubject } = await c.query(
      `SELECT p.message_id, m.msgid, lower(regexp_replace(p.title, '\\s+', ' ', 'g')) AS title FROM patch p JOIN message m ON m.id = p.message_id
       WHERE p.kind <> 'inline' AND lower(regexp_replace(p.title, '\\s+', ' ', 'g')) = ANY($1::text[])
       ORDER BY p.message_id`,
      [subjects],
    );
    const titled = new Map<string, { id: number; msgid: string }[]>();
    for (const r of bySubject) titled.set(r.title.trim(), [...(titled.get(r.title.trim()) ?? []), { id: r.message_id, msgid: r.msgid }]);
    const commits = [...new Set([...fixes.values()].map((f) => f.commit))];
    const { rows: byCommit } = await c.query(
      `SELECT pc.message_id, m.msgid, c.p AS prefix FROM unnest($1::text[]) AS c(p)
       JOIN patch_commit pc ON pc.sha LIKE c.p || '%' JOIN message m ON m.id = pc.message_id
       ORDER BY c.p, pc.message_id, pc.sha`,
      [commits],
    );
    const committed = new Map<string, { id: number; msgid: string }[]>();
    for (const r of byCommit) committed.set(r.prefix, [...(committed.get(r.prefix) ?? []), { id: r.message_id, msgid: r.msgid }]);
    for (const f of fixes.values()) {
      for (const x of committed.get(f.commit) ?? []) f.targets.push({ ...x, by: "commit" });
      if (f.subject) for (const x of titled.get(normalizeTitle(f.subject)) ?? []) if (x.id !== f.from_id) f.targets.push({ ...x, by: "subject" });
    }
  }
  g.fixes = [...fixes.values()].filter((f) => f.targets.length);

  const { rows: members } = await c.query(`SELECT proposal_id, series_id, thread_id, message_id, state FROM proposal_member ORDER BY id`);
  g.members = members;
  const { rows: merged } = await c.query(`SELECT id, merged_into_id FROM proposal WHERE merged_into_id IS NOT NULL ORDER BY id`);
  for (const m of merged) g.mergedInto.set(m.id, m.merged_into_id);
  return g;
}

/** The unit a message belongs to: its series, else the series of its thread it follows, else its thread. */
function unitOf(g: Graph, messageId: number, threadId: number, date: Date | null): string {
  const s = g.seriesOfMessage.get(messageId);
  if (s !== undefined) return `series:${s}`;
  const inThread = g.seriesOfThread.get(threadId);
  if (!inThread?.length) return `thread:${threadId}`;
  let owner = inThread[0];
  for (const x of inThread) if (t(x.date) <= t(date)) owner = x;
  return `series:${owner.id}`;
}

function isCoreUnit(g: Graph, ref: string): boolean {
  if (ref.startsWith("series:")) return true;
  return !!g.threads.get(Number(ref.slice(7)))?.seed;
}

/** The units whose proposals must be re-derived when these threads changed. */
function closure(g: Graph, touchedThreads: number[]): Set<string> {
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    for (const [x, y] of [[a, b], [b, a]]) {
      let s = neighbours.get(x);
      if (!s) neighbours.set(x, (s = new Set()));
      s.add(y);
    }
  };
  for (const r of g.refs) link(unitOf(g, r.from_id, r.from_thread, r.from_date), unitOf(g, r.to_id, r.to_thread, r.to_date));
  const threadOfMessage = (id: number) => {
    const s = g.seriesOfMessage.get(id);
    return s !== undefined ? `series:${s}` : null;
  };
  for (const f of g.fixes) {
    const a = threadOfMessage(f.from_id);
    if (!a) continue;
    for (const x of f.targets) {
      const b = threadOfMessage(x.id);
      if (b) link(a, b);
    }
  }
  for (const ids of g.lineMembers.values()) for (const id of ids.slice(1)) link(`series:${ids[0]}`, `series:${id}`);
  // today's proposals: every unit of one is re-derived with the others
  const unitsOfProposal = new Map<number, string[]>();
  const proposalsOfUnit = new Map<string, number[]>();
  const final = (id: number) => {
    const seen = new Set<number>();
    while (g.mergedInto.has(id) && !seen.has(id)) (seen.add(id), (id = g.mergedInto.get(id)!));
    return id;
  };
  for (const m of g.members) {
    const u = m.series_id !== null ? `series:${m.series_id}` : m.thread_id !== null ? (g.seriesOfThread.has(m.thread_id) ? null : `thread:${m.thread_id}`) : null;
    if (!u) continue;
    for (const p of new Set([m.proposal_id, final(m.proposal_id)])) {
      unitsOfProposal.set(p, [...(unitsOfProposal.get(p) ?? []), u]);
      proposalsOfUnit.set(u, [...(proposalsOfUnit.get(u) ?? []), p]);
    }
  }
  const scope = new Set<string>();
  const queue: string[] = [];
  const visit = (u: string) => {
    if (scope.has(u)) return;
    scope.add(u);
    queue.push(u);
  };
  const initial: string[] = [];
  for (const tid of touchedThreads) {
    const ss = g.seriesOfThread.get(tid);
    if (ss?.length) for (const s of ss) initial.push(`series:${s.id}`);
    else initial.push(`thread:${tid}`);
  }
  // members whose series or thread is gone (re-grouped series get new ids; merged threads go away)
  for (const m of g.members) {
    if (m.series_id !== null && !g.series.has(m.series_id)) for (const u of unitsOfProposal.get(m.proposal_id) ?? []) initial.push(u);
    if (m.series_id === null && m.thread_id !== null && !g.threads.has(m.thread_id)) for (const u of unitsOfProposal.get(m.proposal_id) ?? []) initial.push(u);
  }
  for (const u of initial) visit(u);
  // the same author's postings within a year of a touched one (a renamed later version)
  const byAuthor = new Map<string, SeriesRow[]>();
  for (const s of g.series.values()) byAuthor.set(s.author, [...(byAuthor.get(s.author) ?? []), s]);
  for (const u of initial) {
    if (!u.startsWith("series:")) continue;
    const s = g.series.get(Number(u.slice(7)));
    if (!s) continue;
    for (const o of byAuthor.get(s.author) ?? []) if (Math.abs(t(o.date) - t(s.date)) <= 400 * 86_400_000) visit(`series:${o.id}`);
  }
  const initialSet = new Set(initial);
  while (queue.length) {
    const u = queue.shift()!;
    const core = isCoreUnit(g, u);
    // a thread without series reached from elsewhere is a member to recompute, not a way onwards
    if (!core && !initialSet.has(u)) continue;
    for (const n of neighbours.get(u) ?? []) {
      if (isCoreUnit(g, n) || core) {
        if (isCoreUnit(g, n)) visit(n);
        else scope.add(n);
      }
    }
    for (const p of proposalsOfUnit.get(u) ?? []) for (const m of unitsOfProposal.get(p) ?? []) {
      if (isCoreUnit(g, m)) visit(m);
      else scope.add(m);
    }
  }
  return scope;
}

// ----------------------------------------------------------------------------------------------
// Units in detail, for a scope

async function loadInput(c: pg.PoolClient, g: Graph, scope: Set<string> | null, mark?: (phase: string) => void): Promise<{ input: ProposalInput; threadsOf: Map<string, number[]> }> {
  const seriesIds = scope ? [...scope].filter((u) => u.startsWith("series:")).map((u) => Number(u.slice(7))) : [...g.series.keys()];
  let threadIds: number[];
  if (scope) threadIds = [...scope].filter((u) => u.startsWith("thread:")).map((u) => Number(u.slice(7)));
  else {
    // every topic thread, and the threads without series that a reference joins to something
    const ids = new Set<number>();
    for (const [id, th] of g.threads) if (th.seed) ids.add(id);
    for (const r of g.refs) for (const u of [unitOf(g, r.from_id, r.from_thread, r.from_date), unitOf(g, r.to_id, r.to_thread, r.to_date)]) if (u.startsWith("thread:")) ids.add(Number(u.slice(7)));
    threadIds = [...ids];
  }
  const seedIds = threadIds.filter((id) => g.threads.get(id)?.seed);
  const { rows: srows } = await c.query(
    `SELECT s.id, s.key, s.version_line_id, s.title, s.author, s.date, s.last_date, s.is_rfc, s.version, s.cover_id, l.name AS list
     FROM series s LEFT JOIN list l ON l.id = s.list_id WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
    [seriesIds],
  );
  const { rows: vlinks } = await c.query(
    `SELECT DISTINCT ON (vl.to_id) vl.to_id, a.key AS from_key, vl.method, vl.confidence
     FROM version_link vl JOIN series a ON a.id = vl.from_id WHERE vl.to_id = ANY($1::int[]) ORDER BY vl.to_id, vl.confidence DESC, vl.from_id`,
    [seriesIds],
  );
  const vlinkOf = new Map(vlinks.map((v) => [v.to_id, v]));
  // a posting lasts as long as its threads do (the review, the "applied", the report after it)
  const postingThreads = [...new Set(seriesIds.flatMap((id) => [...(g.threadsOfSeries.get(id) ?? [])]))];
  const { rows: tlast } = await c.query(`SELECT id, last_date FROM thread WHERE id = ANY($1::int[]) ORDER BY id`, [postingThreads]);
  const threadLast = new Map<number, Date | null>(tlast.map((x) => [x.id, x.last_date]));
  const lastOf = (id: number, own: Date | null) => {
    let best = own;
    for (const tid of g.threadsOfSeries.get(id) ?? []) {
      const d = threadLast.get(tid);
      if (d && (!best || d > best)) best = d;
    }
    return best;
  };
  mark?.("units: series");
  // text: the cover letter, else the first patch's commit message; patch titles for Fixes:
  const { rows: texts } = await c.query(
    `SELECT s.id, COALESCE(cm.body, (SELECT p.commit_message FROM series_patch sp JOIN patch p ON p.message_id = sp.message_id
                                      WHERE sp.series_id = s.id AND NOT sp.inherited ORDER BY sp.index LIMIT 1), '') AS body,
            ARRAY(SELECT lower(regexp_replace(p.title, '\\s+', ' ', 'g')) FROM series_patch sp JOIN patch p ON p.message_id = sp.message_id
                  WHERE sp.series_id = s.id AND NOT sp.inherited AND p.kind <> 'inline' ORDER BY sp.index) AS titles
     FROM series s LEFT JOIN message cm ON cm.id = s.cover_id WHERE s.id = ANY($1::int[]) ORDER BY s.id`,
    [seriesIds],
  );
  const textOf = new Map(texts.map((r) => [r.id, r]));
  mark?.("units: texts");
  // functions: hunk headings, and definitions on added/removed lines (only those lines travel)
  const { rows: hunks } = await c.query(
    `SELECT sp.series_id, f.path, h.heading,
            array_to_string(ARRAY(SELECT (regexp_matches(h.added_text || E'\\n' || h.removed_text,
              '(?n)^(?:[A-Za-z_][^;\\n]*\\(|(?:typedef\\s+)?(?:struct|union|enum)\\s+\\w+\\s*\\{)[^;\\n]*$', 'g'))[1]), E'\\n') AS defs
     FROM series_patch sp JOIN patch_file f ON f.message_id = sp.message_id JOIN hunk h ON h.file_id = f.id
     WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited AND f.path ~ '\\.(c|h|cc|cpp|rs|S|s|py|go|js|ts)$'
     ORDER BY sp.series_id, h.id`,
    [seriesIds],
  );
  const hunksOf = new Map<number, { path: string; heading: string; addedText: string; removedText: string }[]>();
  for (const h of hunks) hunksOf.set(h.series_id, [...(hunksOf.get(h.series_id) ?? []), { path: h.path, heading: h.heading, addedText: h.defs ?? "", removedText: "" }]);
  const { rows: files } = await c.query(
    `SELECT DISTINCT sp.series_id, f.path FROM series_patch sp JOIN patch_file f ON f.message_id = sp.message_id
     WHERE sp.series_id = ANY($1::int[]) AND NOT sp.inherited
     ORDER BY sp.series_id, f.path`,
    [seriesIds],
  );
  mark?.("units: hunks");
  const filesOf = new Map<number, string[]>();
  for (const f of files) filesOf.set(f.series_id, [...(filesOf.get(f.series_id) ?? []), f.path]);

  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const series: SeriesUnit[] = srows.map((s) => {
    const v = vlinkOf.get(s.id);
    const tx = textOf.get(s.id);
    return {
      ref: `series:${s.id}`, id: s.id, key: s.key, versionLineId: s.version_line_id,
      versionLink: v ? { from: v.from_key, method: v.method, confidence: v.confidence } : null,
      threadIds: [...(g.threadsOfSeries.get(s.id) ?? [])].sort((a, b) => a - b),
      title: s.title, author: s.author, date: iso(s.date), lastDate: iso(lastOf(s.id, s.last_date)), isRfc: s.is_rfc, version: s.version,
      patchTitles: [...new Set<string>((tx?.titles ?? []).map((x: string) => x.trim()))],
      functions: changedFunctions(hunksOf.get(s.id) ?? []),
      files: (filesOf.get(s.id) ?? []).sort(),
      terms: termCounts(s.title, tx?.body ?? ""),
      lists: s.list ? [s.list] : [],
    };
  });

  const { rows: trows } = await c.query(
    `SELECT t.id, t.subject, t.first_date, t.last_date, r.msgid AS root_msgid, r.ghost,
            (SELECT m.from_address FROM message m WHERE m.thread_id = t.id AND NOT m.ghost ORDER BY m.date NULLS LAST, m.id LIMIT 1) AS author,
            CASE WHEN t.id = ANY($2::int[]) THEN (SELECT m.body FROM message m WHERE m.thread_id = t.id AND NOT m.ghost ORDER BY m.date NULLS LAST, m.id LIMIT 1) END AS body,
            (SELECT m.from_name || ' <' || m.from_address || '>' FROM message m WHERE m.id = t.root_id) AS root_from,
            EXISTS (SELECT 1 FROM robot_report rr WHERE rr.message_id = t.root_id) AS robot,
            ARRAY(SELECT l.name FROM list_thread lt JOIN list l ON l.id = lt.list_id WHERE lt.thread_id = t.id ORDER BY l.name) AS lists
     FROM thread t LEFT JOIN message r ON r.id = t.root_id WHERE t.id = ANY($1::int[]) ORDER BY t.id`,
    [threadIds, seedIds],
  );
  const threads: ThreadUnit[] = trows.map((r) => {
    const seed = g.threads.get(r.id)?.seed ?? null;
    return {
      ref: `thread:${r.id}`, id: r.id, rootMsgid: r.root_msgid, subject: r.subject, author: r.author, date: iso(r.first_date), lastDate: iso(r.last_date),
      seed, report: !!r.robot || (!r.ghost && ROBOT_SENDER.test(r.root_from ?? "")),
      terms: seed ? termCounts(r.subject.replace(/^\s*(?:\[[^\]]*\]\s*)+/, ""), r.body ?? "") : {},
      mentions: seed ? mentionedIdentifiers(r.body ?? "") : [],
      lists: r.lists,
    };
  });

  mark?.("units: threads");
  // references between units of the scope, classified by how they are written
  const inScope = (u: string) => (scope ? scope.has(u) : u.startsWith("series:") || g.threads.has(Number(u.slice(7))));
  const cross = g.refs
    .map((r) => ({ r, from: unitOf(g, r.from_id, r.from_thread, r.from_date), to: unitOf(g, r.to_id, r.to_thread, r.to_date) }))
    .filter((x) => x.from !== x.to && inScope(x.from) && inScope(x.to) && !(x.from.startsWith("thread:") && x.to.startsWith("thread:") && !isCoreUnit(g, x.from) && !isCoreUnit(g, x.to)));
  const bodies = new Map<number, string>();
  const needBodies = [...new Set(cross.filter((x) => !x.r.robot).map((x) => x.r.from_id))];
  for (let i = 0; i < needBodies.length; i += 2000) {
    const { rows } = await c.query(`SELECT id, body FROM message WHERE id = ANY($1::bigint[]) ORDER BY id`, [needBodies.slice(i, i + 2000)]);
    for (const b of rows) bodies.set(b.id, b.body);
  }
  const classified = new Map<number, ReturnType<typeof classifyRefs>>();
  const authorOfUnit = new Map<string, string>([...series.map((s) => [s.ref, s.author.toLowerCase()] as const), ...threads.map((x) => [x.ref, (x.author ?? "").toLowerCase()] as const)]);
  const references: UnitReference[] = [];
  for (const { r, from, to } of cross) {
    let cl = classified.get(r.from_id);
    if (!cl) classified.set(r.from_id, (cl = classifyRefs(bodies.get(r.from_id) ?? "")));
    const hit = cl.find((x) => x.msgid === r.to_msgid);
    const method = r.robot ? "robot-report" : r.trailer ? "link-trailer" : (hit?.method ?? "body-ref");
    references.push({
      from, to, method, trailer: r.trailer ?? hit?.trailer ?? null, fromMsgid: r.from_msgid, toMsgid: r.to_msgid,
      byAuthor: r.from_address.toLowerCase() === authorOfUnit.get(from),
      inPosting: g.seriesOfMessage.get(r.from_id) !== undefined,
      basedOn: r.based_on, line: hit?.line ?? 0, text: r.robot ? `robot report about <${r.to_msgid}> (${r.robot})` : (hit?.text ?? ""),
    });
  }
  mark?.("units: references");
  const fixes: UnitFixes[] = [];
  for (const f of g.fixes) {
    const s = g.seriesOfMessage.get(f.from_id);
    if (s === undefined || !inScope(`series:${s}`)) continue;
    const commitTargets = f.targets.filter((x) => x.by === "commit" && g.seriesOfMessage.has(x.id) && inScope(`series:${g.seriesOfMessage.get(x.id)}`))
      .map((x) => ({ ref: `series:${g.seriesOfMessage.get(x.id)}`, msgid: x.msgid }));
    fixes.push({ from: `series:${s}`, fromMsgid: f.from_msgid, commit: f.commit, subject: f.subject, commitTargets, line: f.line, text: f.text });
  }
  // robot reports inside the threads of the scope
  const scopeThreads = new Set<number>([...series.flatMap((s) => s.threadIds), ...threads.map((x) => x.id)]);
  const { rows: reports } = await c.query(
    `SELECT m.id, m.msgid, m.thread_id FROM message m
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost AND m.parent_id IS NOT NULL
       AND (EXISTS (SELECT 1 FROM robot_report rr WHERE rr.message_id = m.id)
            OR (m.from_name || ' <' || m.from_address || '>') ~* $2)
     ORDER BY m.id`,
    [[...scopeThreads], ROBOT_SENDER.source],
  );
  const threadsOf = new Map<string, number[]>();
  for (const s of series) threadsOf.set(s.ref, s.threadIds);
  for (const x of threads) threadsOf.set(x.ref, [x.id]);
  return {
    input: { series, threads, references, fixes, reports: reports.map((r) => ({ messageId: r.id, msgid: r.msgid, threadId: r.thread_id })) },
    threadsOf,
  };
}

// ----------------------------------------------------------------------------------------------
// Writing

interface Existing {
  id: number;
  key: string;
  merged_into_id: number | null;
  custom_title: string | null;
  curated: boolean;
}

/** Decisions, newest last, mapped to a series of the proposal. */
interface DecisionRow {
  kind: string;
  series_id: number | null;
  message_id: number | null;
  thread_id: number | null;
  date: Date | null;
}

const DECISION_RANK: Record<string, number> = { merged: 7, applied: 6, queued: 5, nak: 4, rejected: 3, withdrawn: 2, superseded: 1 };

/** open | applied | queued | merged | nak | superseded | withdrawn | rejected, from decisions and upstream commits. */
export function proposalStatus(
  postings: { id: number; date: string | null; threadIds: number[] }[],
  decisions: DecisionRow[],
  merged: boolean,
): { status: string; because: Record<string, unknown> | null } {
  if (merged) return { status: "merged", because: { upstream: true } };
  if (!decisions.length) return { status: "open", because: null };
  const sorted = [...postings].sort((a, b) => (Date.parse(a.date ?? "") || 0) - (Date.parse(b.date ?? "") || 0));
  const latest = sorted[sorted.length - 1];
  const postingOf = (d: DecisionRow): number | null => {
    if (d.series_id !== null && postings.some((p) => p.id === d.series_id)) return d.series_id;
    let owner: number | null = null;
    for (const p of sorted) if (d.thread_id !== null && p.threadIds.includes(d.thread_id) && (Date.parse(p.date ?? "") || 0) <= (d.date?.getTime() ?? Infinity)) owner = p.id;
    return owner;
  };
  const ordered = [...decisions].sort((a, b) => t(a.date) - t(b.date) || (DECISION_RANK[a.kind] ?? 0) - (DECISION_RANK[b.kind] ?? 0));
  const onLatest = ordered.filter((d) => !latest || postingOf(d) === latest.id || postingOf(d) === null);
  const pick = onLatest.length ? onLatest[onLatest.length - 1] : null;
  if (pick) return { status: pick.kind, because: { messageId: pick.message_id, seriesId: pick.series_id ?? postingOf(pick) } };
  // decisions on earlier postings only: a NAK or a superseded version that a later one answered leaves the work open
  const last = ordered[ordered.length - 1];
  if (["applied", "queued", "merged"].includes(last.kind)) return { status: last.kind, because: { messageId: last.message_id, seriesId: postingOf(last) } };
  return { status: "open", because: { earlier: last.kind, messageId: last.message_id } };
}

function count<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

export async function deriveProposals(pool: pg.Pool, opts: DeriveProposalsOptions = {}): Promise<DeriveProposalsResult> {
  const started = Date.now();
  // under the writer's lock: a stable set of messages, series and members while deriving
  return transaction(pool, async (client) => {
    opts.onProgress?.("graph");
    const g = await loadGraph(client);
    let scope: Set<string> | null = null;
    if (opts.threadIds) {
      scope = closure(g, opts.threadIds);
      const total = g.series.size + [...g.threads.keys()].filter((id) => !g.seriesOfThread.has(id)).length;
      if (scope.size > total * (opts.fullShare ?? FULL_SHARE)) scope = null;
    }
    if (scope && scope.size === 0) {
      return { mode: "incremental", units: 0, proposals: 0, created: 0, deleted: 0, members: 0, membersByMethod: {}, membersByRole: {}, links: 0, linksByMethod: {}, seconds: (Date.now() - started) / 1000 };
    }
    opts.onProgress?.("units");
    const { input, threadsOf } = await loadInput(client, g, scope, opts.onProgress);
    opts.onProgress?.("grouping");
    const grouped = groupProposals(input);
    opts.onProgress?.("writing");
    const w = await writeProposals(client, scope, input, grouped.proposals, grouped.links, threadsOf, opts.onProgress);
    return {
      mode: scope ? "incremental" : "full",
      units: input.series.length + input.threads.length,
      ...w,
      seconds: (Date.now() - started) / 1000,
    };
  }, { lock: true });
}

async function writeProposals(
  c: pg.PoolClient,
  scope: Set<string> | null,
  input: ProposalInput,
  drafts: ProposalDraft[],
  explicitLinks: LinkDraft[],
  threadsOf: Map<string, number[]>,
  mark?: (phase: string) => void,
): Promise<Omit<DeriveProposalsResult, "mode" | "units" | "seconds">> {
  const seriesIds = input.series.map((s) => s.id);
  // topic threads are the core of proposals; other threads are members of proposals that may lie
  // outside the scope (they are left as they are)
  const seedThreadIds = input.threads.filter((x) => x.seed).map((x) => x.id);
  // the proposals of this scope today: by member, or by key
  const { rows: existing } = await c.query<Existing>(
    `SELECT p.id, p.key, p.merged_into_id, p.custom_title,
            (p.custom_title IS NOT NULL OR EXISTS (SELECT 1 FROM proposal_member x WHERE x.proposal_id = p.id AND x.state = 'added')
             OR EXISTS (SELECT 1 FROM proposal q WHERE q.merged_into_id = p.id) OR EXISTS (SELECT 1 FROM run r WHERE r.proposal_id = p.id)
             OR p.merged_into_id IS NOT NULL OR p.details ? 'curated') AS curated
     FROM proposal p
     WHERE ${scope ? `p.key = ANY($1::text[]) OR EXISTS (SELECT 1 FROM proposal_member pm WHERE pm.proposal_id = p.id
             AND (pm.series_id = ANY($2::int[]) OR (pm.series_id IS NULL AND pm.thread_id = ANY($3::int[]))
                  OR (pm.series_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM series s WHERE s.id = pm.series_id))))` : "true"}
     ORDER BY p.id`,
    scope ? [drafts.map((d) => d.key), seriesIds, seedThreadIds] : [],
  );
  const byKey = new Map(existing.map((e) => [e.key, e]));
  const { rows: autoMembers } = await c.query(
    `SELECT proposal_id, ref FROM proposal_member WHERE proposal_id = ANY($1::int[]) AND state = 'auto' ORDER BY id`,
    [existing.map((e) => e.id)],
  );
  const refsOf = new Map<number, Set<string>>();
  for (const m of autoMembers) {
    let s = refsOf.get(m.proposal_id);
    if (!s) refsOf.set(m.proposal_id, (s = new Set()));
    s.add(m.ref);
  }
  // each draft takes the row with its key, else the row sharing most of its units (ids stay put)
  const claimed = new Map<number, ProposalDraft>();
  const rowOf = new Map<ProposalDraft, Existing>();
  const order = [...drafts].sort((a, b) => b.units.length - a.units.length || (a.key < b.key ? -1 : 1));
  for (const d of order) {
    const k = byKey.get(d.key);
    if (k && !claimed.has(k.id)) {
      claimed.set(k.id, d);
      rowOf.set(d, k);
    }
  }
  for (const d of order) {
    if (rowOf.has(d)) continue;
    let best: Existing | null = null;
    let bestN = 0;
    for (const e of existing) {
      if (claimed.has(e.id)) continue;
      const r = refsOf.get(e.id);
      const n = r ? d.units.filter((u) => r.has(u)).length : 0;
      if (n > bestN || (n === bestN && n > 0 && best && e.id < best.id)) (best = e), (bestN = n);
    }
    if (best) {
      claimed.set(best.id, d);
      rowOf.set(d, best);
    }
  }
  // rows no draft claimed: deleted, unless something curated hangs on them (then they only lose their auto members)
  const unclaimed = existing.filter((e) => !claimed.has(e.id));
  const doomed = unclaimed.filter((e) => !e.curated).map((e) => e.id);
  let deleted = 0;
  if (doomed.length) deleted = (await c.query(`DELETE FROM proposal WHERE id = ANY($1::int[])`, [doomed])).rowCount ?? 0;
  const kept = unclaimed.filter((e) => e.curated).map((e) => e.id);
  if (kept.length) await c.query(`DELETE FROM proposal_member WHERE proposal_id = ANY($1::int[]) AND state = 'auto'`, [kept]);

  // new rows for the rest; keys of claimed rows follow their draft when free
  const taken = new Set((await c.query(`SELECT key FROM proposal WHERE key = ANY($1::text[])`, [drafts.map((d) => d.key)])).rows.map((r) => r.key));
  let created = 0;
  for (const d of drafts) {
    const row = rowOf.get(d);
    if (row) {
      if (row.key !== d.key && !taken.has(d.key)) {
        taken.delete(row.key);
        taken.add(d.key);
        await c.query(`UPDATE proposal SET key = $2 WHERE id = $1`, [row.id, d.key]);
        row.key = d.key;
      }
      continue;
    }
    const { rows } = await c.query(`INSERT INTO proposal (key, title) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING id, key, merged_into_id, custom_title`, [d.key, d.title]);
    rowOf.set(d, { ...rows[0], curated: false });
    taken.add(d.key);
    created++;
  }

  // merged-away proposals write their members into the proposal they were merged into
  const { rows: merges } = await c.query(`SELECT id, merged_into_id FROM proposal WHERE merged_into_id IS NOT NULL ORDER BY id`);
  const mergedInto = new Map<number, number>(merges.map((m) => [m.id, m.merged_into_id]));
  const final = (id: number) => {
    const seen = new Set<number>();
    while (mergedInto.has(id) && !seen.has(id)) (seen.add(id), (id = mergedInto.get(id)!));
    return id;
  };
  const draftsOf = new Map<number, ProposalDraft[]>();
  for (const d of drafts) {
    const id = final(rowOf.get(d)!.id);
    draftsOf.set(id, [...(draftsOf.get(id) ?? []), d]);
  }
  const targetIds = [...draftsOf.keys()];
  const ownIds = drafts.map((d) => rowOf.get(d)!.id);

  // members: auto rows follow the drafts; curated rows (added / removed) are left alone
  const { rows: current } = await c.query(
    `SELECT proposal_id, ref, state FROM proposal_member WHERE proposal_id = ANY($1::int[]) ORDER BY id`,
    [[...new Set([...targetIds, ...ownIds])]],
  );
  const curatedRef = new Set(current.filter((m) => m.state !== "auto").map((m) => `${m.proposal_id} ${m.ref}`));
  const want: (MemberDraft & { proposalId: number })[] = [];
  for (const [id, ds] of draftsOf) {
    const seen = new Set<string>();
    for (const d of ds) for (const m of d.members) {
      if (seen.has(m.ref) || curatedRef.has(`${id} ${m.ref}`)) continue;
      seen.add(m.ref);
      const own = rowOf.get(d)!.id;
      want.push({ ...m, proposalId: id, evidence: own !== id ? { ...m.evidence, mergedFrom: rowOf.get(d)!.key } : m.evidence });
    }
  }
  const wantKeys = new Set(want.map((m) => `${m.proposalId} ${m.ref}`));
  const stale = current.filter((m) => m.state === "auto" && !wantKeys.has(`${m.proposal_id} ${m.ref}`));
  if (stale.length) {
    await c.query(
      `DELETE FROM proposal_member pm USING unnest($1::int[], $2::text[]) AS u(p, ref) WHERE pm.proposal_id = u.p AND pm.ref = u.ref AND pm.state = 'auto'`,
      [stale.map((m) => m.proposal_id), stale.map((m) => m.ref)],
    );
  }
  if (want.length) {
    await c.query(
      `INSERT INTO proposal_member (proposal_id, ref, series_id, thread_id, message_id, role, method, confidence, evidence, state)
       SELECT u.p, u.ref, u.s, u.t, u.m, u.role, u.method, u.conf, u.ev, 'auto'
       FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::float8[], $9::jsonb[])
         AS u(p, ref, s, t, m, role, method, conf, ev)
       ON CONFLICT (proposal_id, ref) DO UPDATE SET series_id = excluded.series_id, thread_id = excluded.thread_id,
         message_id = excluded.message_id, role = excluded.role, method = excluded.method, confidence = excluded.confidence,
         evidence = excluded.evidence
       WHERE proposal_member.state = 'auto'`,
      [
        want.map((m) => m.proposalId), want.map((m) => m.ref), want.map((m) => m.seriesId), want.map((m) => m.threadId),
        want.map((m) => m.messageId), want.map((m) => m.role), want.map((m) => m.method), want.map((m) => m.confidence),
        want.map((m) => JSON.stringify(m.evidence)),
      ],
    );
  }

  // per proposal: dates, title, details, status
  const vectorOf = new Map<number, ProposalVector>();
  const detailsOf = new Map<number, Record<string, unknown>>();
  const threadsOfProposal = new Map<number, Set<number>>();
  const postingsOf = new Map<number, { id: number; date: string | null; threadIds: number[] }[]>();
  const seriesById = new Map(input.series.map((s) => [s.id, s]));
  for (const [id, ds] of draftsOf) {
    const dates = ds.flatMap((d) => [d.firstDate, d.lastDate]).filter((x): x is string => !!x).sort((a, b) => Date.parse(a) - Date.parse(b));
    const firstDate = dates[0] ?? null;
    const lastDate = dates[dates.length - 1] ?? null;
    const authors = [...new Set(ds.flatMap((d) => d.authors))];
    const functions = [...new Set(ds.flatMap((d) => d.functions))].sort();
    const terms = mergeTerms(ds.map((d) => d.terms));
    const mentions = [...new Set(ds.flatMap((d) => d.mentions))];
    vectorOf.set(id, { key: String(id), firstDate, lastDate, authors, functions, terms, mentions });
    const core = new Set<number>();
    const all = new Set<number>();
    const postings: { id: number; date: string | null; threadIds: number[] }[] = [];
    for (const d of ds) {
      for (const u of d.units) for (const tid of threadsOf.get(u) ?? []) (core.add(tid), all.add(tid));
      for (const m of d.members) if (m.threadId !== null) all.add(m.threadId);
      for (const u of d.units) {
        const s = seriesById.get(Number(u.slice(7)));
        if (u.startsWith("series:") && s) postings.push({ id: s.id, date: s.date, threadIds: s.threadIds });
      }
    }
    threadsOfProposal.set(id, all);
    postingsOf.set(id, postings);
    const main = ds.find((d) => rowOf.get(d)!.id === id) ?? ds[0];
    detailsOf.set(id, {
      seed: main.seed, postings: postings.length, versions: [...new Set(ds.flatMap((d) => d.units.filter((u) => u.startsWith("series:")).map((u) => seriesById.get(Number(u.slice(7)))?.version)))].length,
      coreThreads: [...core].sort((a, b) => a - b), threads: all.size, authors, lists: [...new Set(ds.flatMap((d) => d.lists))].sort(),
      functions, files: [...new Set(ds.flatMap((d) => d.files))].sort().slice(0, 300), terms, mentions,
      title: main.title,
    });
  }
  mark?.("writing: members");
  // people, messages, ideas, benchmarks per thread; decisions; upstream commits
  const allThreads = [...new Set([...threadsOfProposal.values()].flatMap((s) => [...s]))];
  const { rows: perThread } = await c.query(
    `SELECT m.thread_id, count(*) AS n, array_agg(DISTINCT lower(m.from_address)) AS people FROM message m
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost GROUP BY m.thread_id ORDER BY m.thread_id`,
    [allThreads],
  );
  const threadStats = new Map(perThread.map((r) => [r.thread_id, r]));
  const knowledgeOf = new Map<number, { ideas: number; benchmarks: number }>();
  for (const [table, field] of [["idea", "ideas"], ["benchmark", "benchmarks"]] as const) {
    const { rows } = await c.query(
      `SELECT m.thread_id, count(*) AS n FROM ${table} x JOIN message m ON m.id = x.message_id WHERE m.thread_id = ANY($1::int[]) GROUP BY m.thread_id`,
      [allThreads],
    );
    for (const r of rows) {
      const k = knowledgeOf.get(r.thread_id) ?? { ideas: 0, benchmarks: 0 };
      k[field] = Number(r.n);
      knowledgeOf.set(r.thread_id, k);
    }
  }
  const coreThreadIds = [...new Set([...detailsOf.values()].flatMap((d) => d.coreThreads as number[]))];
  const { rows: decisions } = await c.query<DecisionRow>(
    `SELECT d.kind, d.series_id, d.message_id, m.thread_id, COALESCE(m.date, d.curated_at) AS date
     FROM decision d LEFT JOIN message m ON m.id = d.message_id
     WHERE d.status <> 'rejected' AND (d.series_id = ANY($1::int[]) OR m.thread_id = ANY($2::int[]))
     ORDER BY d.id`,
    [seriesIds, coreThreadIds],
  );
  const { rows: upstream } = await c.query(
    `SELECT DISTINCT sp.series_id FROM series_patch sp JOIN patch_commit pc ON pc.message_id = sp.message_id
     WHERE sp.series_id = ANY($1::int[]) AND (pc.method <> 'fuzzy' OR pc.score >= 0.8)`,
    [seriesIds],
  );
  const mergedSeries = new Set(upstream.map((r) => r.series_id));
  const updates: { id: number; title: string; status: string | null; first_date: string | null; last_date: string | null; details: Record<string, unknown> }[] = [];
  for (const [id, ds] of draftsOf) {
    const d = detailsOf.get(id)!;
    const threads = threadsOfProposal.get(id)!;
    const core = new Set(d.coreThreads as number[]);
    const postings = postingsOf.get(id)!;
    const people = new Set<string>();
    let messages = 0;
    let ideas = 0;
    let benchmarks = 0;
    for (const tid of threads) {
      const s = threadStats.get(tid);
      if (s) {
        messages += s.n;
        for (const p of s.people) people.add(p);
      }
      const k = knowledgeOf.get(tid);
      if (k) (ideas += k.ideas), (benchmarks += k.benchmarks);
    }
    const mine = decisions.filter((x) => (x.series_id !== null && postings.some((p) => p.id === x.series_id)) || (x.thread_id !== null && core.has(x.thread_id)));
    const st = proposalStatus(postings, mine, postings.some((p) => mergedSeries.has(p.id)));
    Object.assign(d, { messages, people: people.size, ideas, benchmarks, decisions: mine.length, statusBecause: st.because });
    const v = vectorOf.get(id)!;
    const main = ds.find((x) => rowOf.get(x)!.id === id) ?? ds[0];
    updates.push({ id, title: main.title, status: st.status, first_date: v.firstDate, last_date: v.lastDate, details: d });
  }
  // merged-away rows keep their own title and dates (their page redirects), and their status
  for (const d of drafts) {
    const own = rowOf.get(d)!.id;
    if (final(own) === own) continue;
    updates.push({ id: own, title: d.title, status: null, first_date: d.firstDate, last_date: d.lastDate, details: {} });
  }
  await c.query(
    `UPDATE proposal p SET title = x.title, status = COALESCE(x.status, p.status), first_date = x.first_date, last_date = x.last_date,
       details = p.details || x.details, updated_at = now()
     FROM json_to_recordset($1::json) AS x(id int, title text, status text, first_date timestamptz, last_date timestamptz, details jsonb)
     WHERE p.id = x.id`,
    [JSON.stringify(updates)],
  );
  mark?.("writing: proposals");

  // links: explicit ones, then shared code and text against every proposal
  const idOfKey = new Map<string, number>();
  for (const d of drafts) idOfKey.set(d.key, final(rowOf.get(d)!.id));
  const scopeIds = [...new Set([...targetIds, ...ownIds, ...kept])];
  await c.query(`DELETE FROM proposal_link WHERE from_id = ANY($1::int[]) OR to_id = ANY($1::int[])`, [scopeIds]);
  mark?.("writing: links");
  const { rows: others } = await c.query(
    `SELECT id, first_date, last_date, details->'authors' AS authors, details->'functions' AS functions, details->'terms' AS terms, details->'mentions' AS mentions
     FROM proposal WHERE merged_into_id IS NULL AND NOT id = ANY($1::int[]) ORDER BY id`,
    [scopeIds],
  );
  const iso = (x: Date | null) => (x ? x.toISOString() : null);
  const allVectors: ProposalVector[] = [
    ...vectorOf.values(),
    ...others.map((o) => ({ key: String(o.id), firstDate: iso(o.first_date), lastDate: iso(o.last_date), authors: o.authors ?? [], functions: o.functions ?? [], terms: o.terms ?? {}, mentions: o.mentions ?? [] })),
  ];
  const similar = similarityLinks([...vectorOf.values()], allVectors);
  const links = new Map<string, { from: number; to: number; kind: string; method: string; confidence: number; evidence: Record<string, unknown> }>();
  for (const l of explicitLinks) {
    const from = idOfKey.get(l.from);
    const to = idOfKey.get(l.to);
    if (from === undefined || to === undefined || from === to) continue;
    const k = `${Math.min(from, to)} ${Math.max(from, to)}`;
    const cur = links.get(k);
    if (!cur || l.confidence > cur.confidence) links.set(k, { from, to, kind: l.kind, method: l.method, confidence: l.confidence, evidence: l.evidence });
  }
  for (const l of similar) {
    const from = Number(l.from);
    const to = Number(l.to);
    if (from === to) continue;
    const k = `${Math.min(from, to)} ${Math.max(from, to)}`;
    const cur = links.get(k);
    if (cur) {
      // explicit evidence wins; the similarity is kept as more evidence
      cur.evidence = { ...cur.evidence, similarity: { method: l.method, confidence: l.confidence, ...l.evidence } };
      continue;
    }
    links.set(k, { from, to, kind: l.kind, method: l.method, confidence: l.confidence, evidence: l.evidence });
  }
  const rows = [...links.values()];
  if (rows.length) {
    await c.query(
      `INSERT INTO proposal_link (from_id, to_id, kind, method, confidence, evidence)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::jsonb[])
       ON CONFLICT (from_id, to_id, kind) DO UPDATE SET method = excluded.method, confidence = excluded.confidence, evidence = excluded.evidence`,
      [rows.map((r) => r.from), rows.map((r) => r.to), rows.map((r) => r.kind), rows.map((r) => r.method), rows.map((r) => r.confidence), rows.map((r) => JSON.stringify(r.evidence))],
    );
  }
  return {
    proposals: draftsOf.size,
    created,
    deleted,
    members: want.length,
    membersByMethod: count(want, (m) => m.method),
    membersByRole: count(want, (m) => m.role),
    links: rows.length,
    linksByMethod: count(rows, (r) => r.method),
  };
}
