// Writing the proposals pass: drafts matched to today's rows (curation kept), members, per-proposal
// dates, details and status (proposalStatus), and links (explicit, shared code, text similarity).
import type pg from "pg";
import {
  mergeTerms,
  similarityLinks,
  type LinkDraft,
  type MemberDraft,
  type ProposalDraft,
  type ProposalInput,
  type ProposalVector,
} from "../../proposals";
import { t } from "./graph";
import { AS_OF_SQL, workStatus, type StatusDecision, type StatusPosting, type WorkStatus } from "../../knowledge/status";
import type { DeriveProposalsResult } from "./types";

interface Existing {
  id: number;
  key: string;
  merged_into_id: number | null;
  custom_title: string | null;
  curated: boolean;
}

/** Decisions, newest last, mapped to a series of the proposal. */
type DecisionRow = StatusDecision & { date: Date | null };

/**
 * The proposal's status: lib/knowledge/status workStatus (the one rule pages, the API and the
 * series and patch views use too) over its postings, their decisions and upstream commits, open
 * or "no decision seen" by its last activity against the archive's newest message (asOf).
 */
export function proposalStatus(
  postings: StatusPosting[],
  decisions: DecisionRow[],
  merged: boolean,
  activity: { lastActivity?: Date | string | null; asOf?: Date | string | null } = {},
): { status: WorkStatus; because: Record<string, unknown> | null } {
  return workStatus({ postings, decisions, merged, ...activity });
}

function count<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

export async function writeProposals(
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
  // "now" for the archive: its newest message
  const { rows: [{ as_of: asOf }] } = await c.query(AS_OF_SQL);
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
    const st = proposalStatus(postings, mine, postings.some((p) => mergedSeries.has(p.id)), { lastActivity: vectorOf.get(id)!.lastDate, asOf });
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
