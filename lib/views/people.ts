// People as pages read them: one person with every address merged into it (and by which rule),
// what they proposed, the reviews, acks, tests and NAKs they gave, the discussions they started,
// their proposals and counts per year; the people list. The identities are computed by
// lib/passes/people.ts.
import type { Db } from "../db/client";
import { iso } from "./refs";
import { manualMerges } from "../passes/people";
import { groupIdentities, normalizeAddress, type IdentityInput, type MergeReason } from "../people";
import { cleanDisplayName } from "../mail/address";

/** Names as a page shows them: without quotes or get_maintainer.pl notes (rows stored before the
 * parser cleaned them may still carry them), once each. */
export function displayNames(names: readonly string[] | null | undefined): string[] {
  return [...new Set((names ?? []).map(cleanDisplayName).filter(Boolean))];
}
import { MAX_PAGE_SIZE, type Page, type SeriesRef } from "./refs";
import { seriesStatuses } from "./status";


export interface PersonSummary {
  address: string;
  names: string[];
  messages: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export async function listPeople(db: Db, page = 1, pageSize = 100): Promise<Page<PersonSummary>> {
  page = Math.max(1, Math.floor(page) || 1);
  pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize) || 100));
  const { rows: [{ total }] } = await db.pool.query(`SELECT count(*) AS total FROM person`);
  const { rows } = await db.pool.query(
    `SELECT p.address, p.names, p.first_seen, p.last_seen, (SELECT count(*) FROM message m WHERE m.from_id = p.id) AS messages
     FROM person p ORDER BY messages DESC, p.address LIMIT $1 OFFSET $2`,
    [pageSize, (page - 1) * pageSize],
  );
  return {
    page, pageSize, total,
    items: rows.map((r) => ({ address: r.address, names: displayNames(r.names), messages: r.messages, firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen) })),
  };
}

export interface Identity {
  canonical: { id: number; address: string };
  members: (IdentityInput & { firstSeen: string | null; lastSeen: string | null })[];
}

/** The person an address belongs to and all its addresses; null when no person row has it. */
export async function personIdentity(db: Db, address: string): Promise<Identity | null> {
  const a = normalizeAddress(address);
  const { rows: [p] } = await db.pool.query(`SELECT id, COALESCE(canonical_id, id) AS canon FROM person WHERE address = $1`, [a]);
  if (!p) return null;
  const { rows } = await db.pool.query(
    `SELECT p.id, p.address, p.names, p.first_seen, p.last_seen, s.messages, s.sender_names, s.first_sent, s.last_sent
     FROM person p
     CROSS JOIN LATERAL (SELECT count(*) AS messages, COALESCE(array_agg(DISTINCT m.from_name) FILTER (WHERE m.from_name <> ''), '{}') AS sender_names,
                                min(m.date) FILTER (WHERE NOT m.ghost) AS first_sent, max(m.date) FILTER (WHERE NOT m.ghost) AS last_sent
                         FROM message m WHERE m.from_id = p.id) s
     WHERE p.id = $1 OR p.canonical_id = $1 ORDER BY p.id`,
    [p.canon],
  );
  const canonRow = rows.find((r) => r.id === p.canon) ?? rows[0];
  return {
    canonical: { id: canonRow.id, address: canonRow.address },
    members: rows.map((r) => ({
      id: r.id, address: r.address, names: displayNames(r.names), senderNames: displayNames(r.sender_names), messages: Number(r.messages),
      firstSent: iso(r.first_sent), lastSent: iso(r.last_sent),
      firstSeen: iso(r.first_seen), lastSeen: iso(r.last_seen),
    })),
  };
}

export interface PersonAddress {
  address: string;
  names: string[];
  messages: number;
  firstSeen: string | null;
  lastSeen: string | null;
  canonical: boolean;
  /** how this address was merged into the person (null for the canonical address) */
  method: MergeReason["method"] | null;
  confidence: number | null;
  evidence: string | null;
  via: string | null;
}

export interface PersonMessageRef {
  msgid: string;
  list: string | null;
  subject: string;
  date: string | null;
}

export interface PersonReview {
  /** the reply that gives it */
  msgid: string;
  list: string | null;
  date: string | null;
  subject: string;
  /** Reviewed-by, Acked-by, Tested-by, Nacked-by trailers written in it naming this person */
  trailers: string[];
  /** the reply's verdict (nak | ack | review | test), when it has one */
  verdict: string | null;
  verdictText: string | null;
  /** the patch (or cover letter) it answers */
  patch: { msgid: string; title: string; list: string | null } | null;
  series: { key: string; title: string; version: number } | null;
}

export interface PersonProfile {
  address: string;
  name: string;
  names: string[];
  addresses: PersonAddress[];
  counts: {
    messages: number;
    series: number;
    patches: number;
    reviews: number;
    reviewedBy: number;
    ackedBy: number;
    testedBy: number;
    nacks: number;
    discussionsStarted: number;
    threadsStarted: number;
    proposals: number;
    merged: number;
    /** trailers naming this person in commit messages (credits collected by others) */
    credited: Record<string, number>;
  };
  firstSeen: string | null;
  lastSeen: string | null;
  series: (SeriesRef & {
    list: string | null;
    date: string | null;
    total: number;
    complete: boolean;
    /** patches of it found upstream */
    merged: number;
    proposal: { id: number; key: string; title: string; status: string } | null;
    /** the posting's own status (lib/knowledge/status workStatus) */
    status: string;
  })[];
  patches: (PersonMessageRef & { title: string; seriesKey: string | null; commits: { sha: string; subject: string; method: string; score: number }[] })[];
  reviews: PersonReview[];
  naks: PersonReview[];
  discussions: { id: string; msgid: string; list: string | null; date: string | null; patch: PersonMessageRef; file: string | null; line: number | null; status: string; text: string }[];
  threads: PersonMessageRef[];
  proposals: { id: number; key: string; title: string; status: string; firstDate: string | null; lastDate: string | null; role: string }[];
  /** per year: messages sent, patches, reviews given (verdicts or review trailers), NAKs */
  years: { year: number; messages: number; patches: number; reviews: number; naks: number }[];
  /** lists capped at this many items (counts are complete) */
  limit: number;
}

const REVIEW_KINDS = ["Reviewed-by", "Acked-by", "Tested-by", "Nacked-by"];

/** Everything about the person an address belongs to, across all its addresses; null when the address is unknown. */
export async function getPersonProfile(db: Db, address: string, opts: { limit?: number } = {}): Promise<PersonProfile | null> {
  const limit = Math.max(1, Math.min(1000, opts.limit ?? 200));
  let ident = await personIdentity(db, address);
  const a = normalizeAddress(address);
  if (!ident) {
    // someone named in trailers only (never sent a message here)
    const { rows } = await db.pool.query(
      `SELECT array_agg(DISTINCT person_name) FILTER (WHERE person_name IS NOT NULL) AS names FROM trailer WHERE lower(person_address) = $1`,
      [a],
    );
    if (!rows[0]?.names) return null;
    ident = { canonical: { id: -1, address: a }, members: [{ id: -1, address: a, names: displayNames(rows[0].names), messages: 0, firstSeen: null, lastSeen: null }] };
  }
  const ids = ident.members.map((m) => m.id).filter((i) => i > 0);
  const addrs = ident.members.map((m) => normalizeAddress(m.address));
  // how each address joined (the same rules the pass used)
  const manual = (await manualMerges(db)).filter((m) => addrs.includes(normalizeAddress(m.into)) || addrs.includes(normalizeAddress(m.address)));
  const reasons = new Map(groupIdentities(ident.members, manual).map((g) => [g.id, g]));
  const canonicalAddress = ident.canonical.address;
  const addresses: PersonAddress[] = ident.members
    .map((m) => {
      const g = reasons.get(m.id);
      const isCanon = m.address === canonicalAddress;
      return {
        address: m.address, names: m.names, messages: m.messages ?? 0, firstSeen: m.firstSeen, lastSeen: m.lastSeen, canonical: isCanon,
        method: isCanon ? null : g?.reason?.method ?? "manual", confidence: isCanon ? null : g?.reason?.confidence ?? 1,
        evidence: isCanon ? null : g?.reason?.evidence ?? "merged by a curator", via: isCanon ? null : g?.via ?? null,
      };
    })
    .sort((x, y) => Number(y.canonical) - Number(x.canonical) || y.messages - x.messages || x.address.localeCompare(y.address));
  const names = [...new Set(ident.members.flatMap((m) => m.names))];
  const listOf = (alias: string) =>
    `(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = ${alias}.id ORDER BY l.name LIMIT 1)`;

  const { rows: [mc] } = await db.pool.query(
    `SELECT count(*) AS n, min(date) AS first, max(date) AS last FROM message WHERE from_id = ANY($1::int[]) AND NOT ghost`,
    [ids],
  );

  // series proposed
  const { rows: seriesRows } = await db.pool.query(
    `SELECT s.id, s.key, s.title, s.version, s.revision, s.is_rfc, s.date, s.total, s.complete,
            (SELECT l.name FROM list l WHERE l.id = s.list_id) AS list,
            (SELECT count(DISTINCT pc.message_id) FROM series_patch sp JOIN patch_commit pc ON pc.message_id = sp.message_id WHERE sp.series_id = s.id) AS merged,
            (SELECT json_build_object('id', p.id, 'key', p.key, 'title', COALESCE(p.custom_title, p.title), 'status', p.status)
             FROM proposal_member pm JOIN proposal p ON p.id = pm.proposal_id
             WHERE pm.series_id = s.id AND pm.state <> 'removed' ORDER BY pm.confidence DESC LIMIT 1) AS proposal
     FROM series s WHERE s.author_id = ANY($1::int[]) OR lower(s.author) = ANY($2::text[])
     ORDER BY s.date DESC NULLS LAST, s.id DESC`,
    [ids, addrs],
  );

  // patches sent
  const { rows: [pc] } = await db.pool.query(
    `SELECT count(*) AS n FROM patch p JOIN message m ON m.id = p.message_id WHERE m.from_id = ANY($1::int[]) AND p.kind <> 'inline'`,
    [ids],
  );
  const { rows: patchRows } = await db.pool.query(
    `SELECT m.id, m.msgid, m.subject, m.date, p.title, ${listOf("m")} AS list,
            (SELECT s.key FROM series_patch sp JOIN series s ON s.id = sp.series_id WHERE sp.message_id = m.id ORDER BY sp.inherited LIMIT 1) AS series_key,
            COALESCE((SELECT json_agg(json_build_object('sha', uc.sha, 'subject', uc.subject, 'method', x.method, 'score', x.score) ORDER BY x.score DESC)
                      FROM patch_commit x JOIN upstream_commit uc ON uc.sha = x.sha WHERE x.message_id = m.id), '[]') AS commits
     FROM patch p JOIN message m ON m.id = p.message_id
     WHERE m.from_id = ANY($1::int[]) AND p.kind <> 'inline'
     ORDER BY m.date DESC NULLS LAST, m.id DESC LIMIT $2`,
    [ids, limit],
  );

  // reviews given: review trailers naming one of the addresses in replies they sent (b4's rule: a
  // trailer naming someone else than the sender is a mismatch, not theirs), and verdicts of their replies
  const { rows: reviewRows } = await db.pool.query(
    `WITH r AS (
       SELECT t.message_id, array_agg(DISTINCT t.kind) AS kinds FROM trailer t
       WHERE t.source = 'reply' AND NOT t.mismatch AND t.kind = ANY($3::text[]) AND lower(t.person_address) = ANY($2::text[])
       GROUP BY t.message_id
       UNION ALL
       SELECT v.message_id, ARRAY[]::text[] FROM review v JOIN message vm ON vm.id = v.message_id
       WHERE v.verdict IS NOT NULL AND vm.from_id = ANY($1::int[])
     ), g AS (SELECT message_id, array_agg(k) FILTER (WHERE k IS NOT NULL) AS kinds FROM r LEFT JOIN LATERAL unnest(r.kinds) k ON true GROUP BY message_id)
     SELECT m.id, m.msgid, m.subject, m.date, ${listOf("m")} AS list, COALESCE(g.kinds, '{}') AS kinds, v.verdict, v.verdict_text,
            pm.msgid AS patch_msgid, COALESCE(pp.title, pm.subject) AS patch_title, ${listOf("pm")} AS patch_list,
            (SELECT json_build_object('key', s.key, 'title', s.title, 'version', s.version) FROM series_patch sp JOIN series s ON s.id = sp.series_id
             WHERE sp.message_id = pm.id ORDER BY sp.inherited LIMIT 1) AS series
     FROM g JOIN message m ON m.id = g.message_id
     LEFT JOIN review v ON v.message_id = m.id
     LEFT JOIN message pm ON pm.id = COALESCE(v.patch_message_id, m.parent_id)
     LEFT JOIN patch pp ON pp.message_id = pm.id
     ORDER BY m.date DESC NULLS LAST, m.id DESC`,
    [ids, addrs, REVIEW_KINDS],
  );
  const reviews: PersonReview[] = reviewRows.map((r) => ({
    msgid: r.msgid, list: r.list, date: iso(r.date), subject: r.subject,
    trailers: [...new Set(r.kinds as string[])].sort(),
    verdict: r.verdict, verdictText: r.verdict_text,
    patch: r.patch_msgid ? { msgid: r.patch_msgid, title: r.patch_title, list: r.patch_list } : null,
    series: r.series,
  }));
  // a NAK: a Nacked-by trailer or a NAK verdict (lib/review verdictOf already tells a withdrawn or
  // promised-to-drop NAK from one given)
  const isNak = (r: PersonReview) => r.trailers.includes("Nacked-by") || r.verdict === "nak";
  const naks = reviews.filter(isNak);
  const kindCount = (k: string) => reviews.filter((r) => r.trailers.includes(k)).length;

  const { rows: creditRows } = await db.pool.query(
    `SELECT t.kind, count(DISTINCT t.message_id) AS n FROM trailer t
     WHERE t.source = 'commit-message' AND lower(t.person_address) = ANY($1::text[]) AND t.kind <> 'Signed-off-by'
     GROUP BY t.kind ORDER BY t.kind`,
    [addrs],
  );

  // discussions started: review discussions whose first comment is theirs
  const { rows: discRows } = await db.pool.query(
    `SELECT d.id, d.file, d.line_number, d.status, c.text, cm.msgid, cm.date, ${listOf("cm")} AS list,
            pm.msgid AS patch_msgid, pm.subject AS patch_subject, pm.date AS patch_date, ${listOf("pm")} AS patch_list
     FROM discussion d
     JOIN LATERAL (SELECT * FROM review_comment rc WHERE rc.discussion_id = d.id ORDER BY rc.in_reply_to_id NULLS FIRST, rc.id LIMIT 1) c ON true
     JOIN message cm ON cm.id = c.message_id JOIN message pm ON pm.id = d.patch_message_id
     WHERE cm.from_id = ANY($1::int[]) AND d.carried_from_id IS NULL
     ORDER BY cm.date DESC NULLS LAST, d.id DESC`,
    [ids],
  );

  // threads started (not patches or cover letters: those are under series)
  const { rows: threadRows } = await db.pool.query(
    `SELECT m.msgid, m.subject, m.date, ${listOf("m")} AS list FROM thread t JOIN message m ON m.id = t.root_id
     WHERE m.from_id = ANY($1::int[]) AND NOT m.ghost AND COALESCE(m.kind, 'other') NOT IN ('patch', 'cover')
     ORDER BY m.date DESC NULLS LAST LIMIT $2`,
    [ids, limit],
  );
  const { rows: [tc] } = await db.pool.query(
    `SELECT count(*) AS n FROM thread t JOIN message m ON m.id = t.root_id
     WHERE m.from_id = ANY($1::int[]) AND NOT m.ghost AND COALESCE(m.kind, 'other') NOT IN ('patch', 'cover')`,
    [ids],
  );

  // proposals: those their series belong to (author), then those they joined otherwise (a message of theirs)
  const seriesIds = seriesRows.map((s) => s.id);
  const { rows: propRows } = await db.pool.query(
    `SELECT p.id, p.key, COALESCE(p.custom_title, p.title) AS title, p.status, p.first_date, p.last_date,
            bool_or(pm.series_id = ANY($1::int[])) AS author
     FROM proposal p JOIN proposal_member pm ON pm.proposal_id = p.id
     LEFT JOIN message mm ON mm.id = pm.message_id
     WHERE pm.state <> 'removed' AND p.merged_into_id IS NULL AND (pm.series_id = ANY($1::int[]) OR mm.from_id = ANY($2::int[]))
     GROUP BY p.id ORDER BY p.first_date NULLS LAST, p.id`,
    [seriesIds, ids],
  );

  // per year
  const { rows: yearRows } = await db.pool.query(
    `SELECT y::int AS year, sum(msgs)::int AS messages, sum(patches)::int AS patches FROM (
       SELECT extract(year FROM m.date) AS y, 1 AS msgs, (p.message_id IS NOT NULL AND p.kind <> 'inline')::int AS patches
       FROM message m LEFT JOIN patch p ON p.message_id = m.id WHERE m.from_id = ANY($1::int[]) AND NOT m.ghost AND m.date IS NOT NULL
     ) x GROUP BY y ORDER BY y`,
    [ids],
  );
  const years = new Map<number, PersonProfile["years"][number]>(
    yearRows.map((r) => [r.year, { year: r.year, messages: r.messages, patches: r.patches, reviews: 0, naks: 0 }]),
  );
  for (const r of reviews) {
    if (!r.date) continue;
    const y = new Date(r.date).getUTCFullYear();
    const e = years.get(y) ?? { year: y, messages: 0, patches: 0, reviews: 0, naks: 0 };
    e.reviews++;
    if (isNak(r)) e.naks++;
    years.set(y, e);
  }

  const firstSeen = ident.members.map((m) => m.firstSeen).filter(Boolean).sort()[0] ?? iso(mc.first);
  const lastSeen = ident.members.map((m) => m.lastSeen).filter(Boolean).sort().reverse()[0] ?? iso(mc.last);
  const canonNames = addresses[0]?.names ?? [];
  // each posting's status, by the rule every page uses (lib/knowledge/status workStatus)
  const statusOf = await seriesStatuses(db, seriesRows.slice(0, limit).map((s) => s.id));
  return {
    address: canonicalAddress,
    name: canonNames[0] ?? names[0] ?? "",
    names,
    addresses,
    counts: {
      messages: Number(mc.n),
      series: seriesRows.length,
      patches: Number(pc.n),
      reviews: reviews.length,
      reviewedBy: kindCount("Reviewed-by"),
      ackedBy: kindCount("Acked-by"),
      testedBy: kindCount("Tested-by"),
      nacks: naks.length,
      discussionsStarted: discRows.length,
      threadsStarted: Number(tc.n),
      proposals: propRows.length,
      merged: patchRows.filter((p) => p.commits.length).length,
      credited: Object.fromEntries(creditRows.map((r) => [r.kind, Number(r.n)])),
    },
    firstSeen,
    lastSeen,
    series: seriesRows.slice(0, limit).map((s) => ({
      key: s.key, title: s.title, version: s.version, revision: s.revision, isRfc: s.is_rfc, list: s.list, date: iso(s.date),
      total: s.total, complete: s.complete, merged: Number(s.merged), proposal: s.proposal, status: statusOf.get(s.id)?.status ?? "open",
    })),
    patches: patchRows.map((p) => ({
      msgid: p.msgid, list: p.list, subject: p.subject, date: iso(p.date), title: p.title, seriesKey: p.series_key, commits: p.commits,
    })),
    reviews: reviews.slice(0, limit),
    naks: naks.slice(0, limit),
    discussions: discRows.slice(0, limit).map((d) => ({
      id: String(d.id), msgid: d.msgid, list: d.list, date: iso(d.date),
      patch: { msgid: d.patch_msgid, subject: d.patch_subject, date: iso(d.patch_date), list: d.patch_list },
      file: d.file, line: d.line_number, status: d.status, text: d.text,
    })),
    threads: threadRows.map((t) => ({ msgid: t.msgid, subject: t.subject, date: iso(t.date), list: t.list })),
    proposals: propRows.map((p) => ({
      id: p.id, key: p.key, title: p.title, status: p.status, firstDate: iso(p.first_date), lastDate: iso(p.last_date), role: p.author ? "author" : "participant",
    })),
    years: [...years.values()].sort((x, y) => x.year - y.year),
    limit,
  };
}

/**
 * Every address of the person an address belongs to (the canonical one and all merged into it,
 * lib/passes/people.ts), for filtering rows by person; just the address itself (normalized) when
 * no person row has it. Empty for an empty address.
 */
export async function identityAddresses(db: Pick<Db, "pool">, address: string): Promise<string[]> {
  const a = normalizeAddress(address);
  if (!a) return [];
  const { rows } = await db.pool.query(
    `SELECT q.address FROM person p JOIN person q ON COALESCE(q.canonical_id, q.id) = COALESCE(p.canonical_id, p.id) WHERE p.address = $1 ORDER BY q.id`,
    [a],
  );
  const out = rows.map((r) => r.address as string);
  return out.includes(a) ? out : [a, ...out];
}

/** The canonical address of each of these addresses (itself when not merged), for linking names to person pages. */
export async function canonicalAddresses(db: Db, addresses: string[]): Promise<Map<string, string>> {
  const list = [...new Set(addresses.map(normalizeAddress).filter(Boolean))];
  if (!list.length) return new Map();
  const { rows } = await db.pool.query(
    `SELECT p.address, COALESCE(c.address, p.address) AS canonical FROM person p LEFT JOIN person c ON c.id = p.canonical_id WHERE p.address = ANY($1::text[])`,
    [list],
  );
  return new Map(rows.map((r) => [r.address as string, r.canonical as string]));
}
