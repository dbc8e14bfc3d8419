// The graph every run of the proposals pass reads (light rows, no bodies: series, threads,
// references, Fixes:, today's members), the unit a message belongs to, and the incremental scope (closure).
import type pg from "pg";
import { fixesTrailers, normalizeTitle, seedReason } from "../../proposals";
import { messageIdsInLine } from "../../mail/references";

interface SeriesRow {
  id: number;
  key: string;
  thread_id: number | null;
  version_line_id: number | null;
  author: string;
  date: Date | null;
}

export interface Graph {
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

export const t = (d: Date | null | undefined) => (d ? d.getTime() : NaN);

export async function loadGraph(c: pg.PoolClient): Promise<Graph> {
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
export function unitOf(g: Graph, messageId: number, threadId: number, date: Date | null): string {
  const s = g.seriesOfMessage.get(messageId);
  if (s !== undefined) return `series:${s}`;
  const inThread = g.seriesOfThread.get(threadId);
  if (!inThread?.length) return `thread:${threadId}`;
  let owner = inThread[0];
  for (const x of inThread) if (t(x.date) <= t(date)) owner = x;
  return `series:${owner.id}`;
}

export function isCoreUnit(g: Graph, ref: string): boolean {
  if (ref.startsWith("series:")) return true;
  return !!g.threads.get(Number(ref.slice(7)))?.seed;
}

/** The units whose proposals must be re-derived when these threads changed. */
export function closure(g: Graph, touchedThreads: number[]): Set<string> {
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
