// The series pass: per chunk of changed threads (lib/passes/index.ts runPasses), messages ->
// postings (lib/series groupSeries) -> version lines (lib/series linkVersions), written set-based,
// keyed by stable series keys.
import type pg from "pg";
import {
  classifyMessages,
  groupSeries,
  linkVersions,
  versionCandidateKeys,
  type LinkableSeries,
  type SeriesGroup,
  type SeriesInput,
} from "../series";
import type { BodyFacts } from "../series/body";

/** Unthreaded postings: the pieces of one series follow each other within this. */
const UNTHREADED_WINDOW = "2 hours";

interface Row {
  id: number;
  msgid: string;
  subject: string;
  from_address: string;
  date: Date | null;
  references: string[];
  in_reply_to: string | null;
  thread_id: number;
  facts: BodyFacts | null;
  has_diff: boolean;
  patch_id: string | null;
  files: string[];
}

function toInput(r: Row): SeriesInput {
  const f = r.facts;
  return {
    msgid: r.msgid,
    subject: r.subject,
    from: r.from_address,
    date: r.date ? r.date.toISOString() : null,
    references: r.references,
    inReplyTo: r.in_reply_to,
    threadId: String(r.thread_id),
    hasDiff: r.has_diff,
    patchId: r.patch_id,
    files: r.files,
    changeId: f?.changeId ?? null,
    baseCommit: f?.baseCommit ?? null,
    bodyRefs: f?.bodyRefs ?? [],
    supersedes: f?.supersedes ?? [],
    obsoletedBy: f?.obsoletedBy ?? [],
    basedOn: f?.basedOn ?? [],
    previousVersionRefs: f?.previousVersionRefs ?? [],
    changelogVersions: f?.changelogVersions ?? [],
  };
}

async function loadThreads(client: pg.PoolClient, threadIds: number[]): Promise<Row[]> {
  const { rows } = await client.query(
    `SELECT m.id, m.msgid, m.subject, m.from_address, m.date, m."references", m.in_reply_to, m.thread_id, m.facts,
            (p.message_id IS NOT NULL) AS has_diff, p.patch_id,
            COALESCE(ARRAY(SELECT f.path FROM patch_file f WHERE f.message_id = m.id ORDER BY f.position), '{}') AS files
     FROM message m LEFT JOIN patch p ON p.message_id = m.id
     WHERE m.thread_id = ANY($1::int[]) AND NOT m.ghost
     ORDER BY m.date NULLS LAST, m.id`,
    [threadIds],
  );
  return rows;
}

/** Recomputes the postings and version lines of these threads. Returns the series ids written. */
export async function updateSeries(client: pg.PoolClient, threadIds: number[]): Promise<number[]> {
  if (!threadIds.length) return [];
  let threads = new Set(threadIds);
  let rows = await loadThreads(client, [...threads]);
  // unthreaded postings (git send-email without threading): pull in the threads of the same
  // sender's reference-less messages close in time, so the pieces meet
  const loose = rows.filter((r) => !r.references.length && r.date && /\[[^\]]*\bPATCH|\bRFC\b|\d+\/\d+\]/i.test(r.subject));
  if (loose.length) {
    const { rows: more } = await client.query(
      `SELECT DISTINCT m.thread_id FROM unnest($1::text[], $2::timestamptz[]) AS u(addr, at)
       JOIN message m ON m.from_address = u.addr AND m.date BETWEEN u.at - interval '${UNTHREADED_WINDOW}' AND u.at + interval '${UNTHREADED_WINDOW}'
       WHERE cardinality(m."references") = 0 AND NOT m.ghost AND m.thread_id IS NOT NULL AND NOT m.thread_id = ANY($3::int[])`,
      [loose.map((r) => r.from_address), loose.map((r) => r.date), [...threads]],
    );
    if (more.length) {
      for (const r of more) threads.add(r.thread_id);
      rows = await loadThreads(client, [...threads]);
    }
  }
  const inputs = rows.map(toInput);
  const idOf = new Map(rows.map((r) => [r.msgid, r.id]));

  // the role of every message
  const roles = classifyMessages(inputs);
  if (roles.length) {
    await client.query(
      `UPDATE message m SET kind = u.kind FROM unnest($1::bigint[], $2::text[]) AS u(id, kind)
       WHERE m.id = u.id AND m.kind IS DISTINCT FROM u.kind`,
      [roles.map((c) => idOf.get(c.msgid)), roles.map((c) => c.role)],
    );
  }

  const groups = groupSeries(inputs);
  const messageIds = rows.map((r) => r.id);
  // postings these messages belonged to before and no longer form go away
  const { rows: before } = await client.query(
    `SELECT DISTINCT s.id, s.key FROM series s LEFT JOIN series_patch sp ON sp.series_id = s.id
     WHERE s.thread_id = ANY($1::int[]) OR sp.message_id = ANY($2::bigint[])`,
    [[...threads], messageIds],
  );
  const keep = new Set(groups.map((g) => g.id));
  const gone = before.filter((b) => !keep.has(b.key)).map((b) => b.id);
  if (gone.length) await client.query(`DELETE FROM series WHERE id = ANY($1::int[])`, [gone]);
  if (!groups.length) return [];

  const listOf = new Map<number, number>();
  const { rows: lists } = await client.query(
    `SELECT DISTINCT ON (message_id) message_id, list_id FROM list_message WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, list_id`,
    [messageIds],
  );
  for (const l of lists) listOf.set(l.message_id, l.list_id);
  const head = (g: SeriesGroup) => idOf.get(g.cover ?? g.patches[0]?.msgid ?? g.id) ?? null;
  const { rows: written } = await client.query(
    `INSERT INTO series (key, list_id, thread_id, cover_id, title, title_key, subsystem, version, revision, is_rfc, is_resend,
       total, author, author_id, date, last_date, change_id, base_commit, complete, missing, method, details)
     SELECT x.key, x.list_id, x.thread_id, x.cover_id, x.title, x.title_key, x.subsystem, x.version, x.revision, x.is_rfc,
       x.is_resend, x.total, x.author, (SELECT p.id FROM person p WHERE p.address = x.author), x.date, x.last_date, x.change_id,
       x.base_commit, x.complete, ARRAY(SELECT json_array_elements_text(x.missing))::int[], x.method, x.details
     FROM json_to_recordset($1::json) AS x(key text, list_id int, thread_id int, cover_id bigint, title text, title_key text,
       subsystem text, version int, revision text, is_rfc boolean, is_resend boolean, total int, author text, date timestamptz,
       last_date timestamptz, change_id text, base_commit text, complete boolean, missing json, method text, details jsonb)
     ON CONFLICT (key) DO UPDATE SET list_id = excluded.list_id, thread_id = excluded.thread_id, cover_id = excluded.cover_id,
       title = excluded.title, title_key = excluded.title_key, subsystem = excluded.subsystem, version = excluded.version,
       revision = excluded.revision, is_rfc = excluded.is_rfc, is_resend = excluded.is_resend, total = excluded.total,
       author = excluded.author, author_id = excluded.author_id, date = excluded.date, last_date = excluded.last_date,
       change_id = excluded.change_id, base_commit = excluded.base_commit, complete = excluded.complete,
       missing = excluded.missing, method = excluded.method, details = excluded.details
     RETURNING id, key`,
    [
      JSON.stringify(
        groups.map((g) => {
          const h = head(g);
          return {
            key: g.id, list_id: h === null ? null : (listOf.get(h) ?? null),
            thread_id: g.threadId === null ? null : Number(g.threadId), cover_id: g.cover ? (idOf.get(g.cover) ?? null) : null,
            title: g.title, title_key: g.titleKey, subsystem: g.subsystem, version: g.version, revision: g.revision,
            is_rfc: g.isRfc, is_resend: g.isResend, total: g.total, author: g.author, date: g.date, last_date: g.lastDate,
            change_id: g.changeId, base_commit: g.baseCommit, complete: g.complete, missing: g.missing, method: g.method,
            details: {
              versionExplicit: g.versionExplicit, isPull: g.isPull, coverKind: g.coverKind, extra: g.extra, duplicates: g.duplicates,
              inherited: g.inherited, partialOf: g.partialOf, extraPrefixes: g.extraPrefixes, notes: g.notes, facts: g.facts,
            },
          };
        }),
      ),
    ],
  );
  const seriesId = new Map<string, number>(written.map((w) => [w.key, w.id]));
  const ids = [...seriesId.values()];
  await client.query(`DELETE FROM series_patch WHERE series_id = ANY($1::int[])`, [ids]);
  const members: { s: number; m: number; index: number; inherited: boolean }[] = [];
  for (const g of groups) {
    const s = seriesId.get(g.id)!;
    const seen = new Set<number>();
    const add = (msgid: string, index: number, inherited: boolean) => {
      const m = idOf.get(msgid);
      if (m === undefined || seen.has(m)) return;
      seen.add(m);
      members.push({ s, m, index, inherited });
    };
    if (g.cover) add(g.cover, 0, false);
    for (const p of g.patches) add(p.msgid, p.index, false);
    for (const i of g.inherited) add(i.msgid, i.index, true);
  }
  // inherited patches can live in threads outside this pass: resolve their ids too
  const unresolved = groups.flatMap((g) => g.inherited.map((i) => i.msgid)).filter((m) => !idOf.has(m));
  if (unresolved.length) {
    const { rows: extra } = await client.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [unresolved]);
    for (const e of extra) idOf.set(e.msgid, e.id);
    for (const g of groups) for (const i of g.inherited) if (unresolved.includes(i.msgid) && idOf.has(i.msgid)) members.push({ s: seriesId.get(g.id)!, m: idOf.get(i.msgid)!, index: i.index, inherited: true });
  }
  if (members.length) {
    await client.query(
      `INSERT INTO series_patch (series_id, message_id, index, inherited)
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::boolean[]) ON CONFLICT DO NOTHING`,
      [members.map((x) => x.s), members.map((x) => x.m), members.map((x) => x.index), members.map((x) => x.inherited)],
    );
  }
  await linkSeriesVersions(client, ids);
  return ids;
}

interface SeriesRow {
  id: number;
  key: string;
  version: number;
  revision: string;
  is_rfc: boolean;
  is_resend: boolean;
  author: string;
  date: Date | null;
  title: string;
  title_key: string;
  change_id: string | null;
  details: { partialOf?: string | null; facts?: SeriesGroup["facts"] };
  version_line_id: number | null;
}

const SERIES_COLUMNS = `s.id, s.key, s.version, s.revision, s.is_rfc, s.is_resend, s.author, s.date, s.title, s.title_key, s.change_id, s.details, s.version_line_id`;

function linkable(r: SeriesRow): LinkableSeries {
  const facts = r.details.facts ?? {
    msgids: [r.key], headerRefs: [], bodyRefs: [], supersedes: [], obsoletedBy: [], basedOn: [], previousVersionRefs: [],
    changelogVersions: [], hasChangelog: false, files: [], patchIds: [], threadedUnder: null,
  };
  return {
    id: r.key, version: r.version, revision: r.revision, isRfc: r.is_rfc, isResend: r.is_resend, author: r.author,
    date: r.date ? r.date.toISOString() : null, title: r.title, titleKey: r.title_key, changeId: r.change_id,
    partialOf: r.details.partialOf ?? null, facts,
  };
}

/**
 * Links the given series with every posting that could be another version of them, and the
 * members of the lines those belong to, then rewrites links and lines for that closed set.
 */
export async function linkSeriesVersions(client: pg.PoolClient, seriesIds: number[]): Promise<void> {
  if (!seriesIds.length) return;
  const byId = new Map<number, SeriesRow>();
  const load = async (where: string, params: unknown[]) => {
    const { rows } = await client.query(`SELECT ${SERIES_COLUMNS} FROM series s WHERE ${where}`, params);
    const fresh: SeriesRow[] = [];
    for (const r of rows) if (!byId.has(r.id)) (byId.set(r.id, r), fresh.push(r));
    return fresh;
  };
  let frontier = await load(`s.id = ANY($1::int[])`, [seriesIds]);
  // two rounds of candidate expansion reach every version of a line from any member of it
  for (let round = 0; round < 2 && frontier.length; round++) {
    const keys = frontier.map((r) => versionCandidateKeys(linkable(r)));
    const next: SeriesRow[] = [];
    next.push(
      ...(await load(
        `EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS k(author, title_key, lo, hi)
                 WHERE s.author = k.author AND s.title_key = k.title_key AND (k.lo IS NULL OR s.date BETWEEN k.lo AND k.hi))
         OR s.change_id = ANY($5::text[])
         OR s.version_line_id = ANY($6::int[])`,
        [
          keys.map((k) => k.author), keys.map((k) => k.titleKey), keys.map((k) => k.from), keys.map((k) => k.to),
          keys.map((k) => k.changeId).filter(Boolean),
          frontier.map((r) => r.version_line_id).filter((x) => x !== null),
        ],
      )),
    );
    const refs = [...new Set(keys.flatMap((k) => k.referencedMsgids))];
    if (refs.length) {
      next.push(
        ...(await load(
          `s.key = ANY($1::text[]) OR EXISTS (SELECT 1 FROM series_patch sp JOIN message m ON m.id = sp.message_id
                                              WHERE sp.series_id = s.id AND m.msgid = ANY($1::text[]))`,
          [refs],
        )),
      );
    }
    const own = [...new Set(keys.flatMap((k) => k.ownMsgids))];
    if (own.length) {
      next.push(
        ...(await load(
          `(s.details->'facts'->'supersedes') ?| $1::text[] OR (s.details->'facts'->'obsoletedBy') ?| $1::text[]
           OR (s.details->'facts'->'previousVersionRefs') ?| $1::text[] OR (s.details->'facts'->'bodyRefs') ?| $1::text[]
           OR (s.details->'facts'->'headerRefs') ?| $1::text[]`,
          [own],
        )),
      );
    }
    frontier = next;
  }
  const all = [...byId.values()];
  const keyToId = new Map(all.map((r) => [r.key, r.id]));
  const lines = linkVersions(all.map(linkable));
  const ids = all.map((r) => r.id);
  await client.query(`DELETE FROM version_link WHERE from_id = ANY($1::int[]) AND to_id = ANY($1::int[])`, [ids]);
  const links = lines.flatMap((l) => l.links);
  if (links.length) {
    await client.query(
      `INSERT INTO version_link (from_id, to_id, method, kind, confidence, evidence)
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::jsonb[])
       ON CONFLICT (from_id, to_id) DO UPDATE SET method = excluded.method, kind = excluded.kind,
         confidence = excluded.confidence, evidence = excluded.evidence`,
      [
        links.map((l) => keyToId.get(l.from)), links.map((l) => keyToId.get(l.to)), links.map((l) => l.method),
        links.map((l) => l.kind), links.map((l) => l.confidence), links.map((l) => JSON.stringify({ text: l.evidence })),
      ],
    );
  }
  // one version_line per line of two or more postings; a line keeps the smallest id its members had
  const assign = new Map<number, number | null>(ids.map((id) => [id, null]));
  const oldLines = new Set(all.map((r) => r.version_line_id).filter((x): x is number => x !== null));
  const usedLines = new Set<number>();
  for (const l of lines) {
    const members = l.series.map((k) => keyToId.get(k)!).filter((x) => x !== undefined);
    if (members.length < 2) continue;
    const existing = members.map((m) => byId.get(m)!.version_line_id).filter((x): x is number => x !== null && !usedLines.has(x)).sort((a, b) => a - b);
    const title = byId.get(members[members.length - 1])!.title;
    let lineId: number;
    if (existing.length) {
      lineId = existing[0];
      await client.query(`UPDATE version_line SET title = $2 WHERE id = $1`, [lineId, title]);
    } else {
      lineId = (await client.query(`INSERT INTO version_line (title) VALUES ($1) RETURNING id`, [title])).rows[0].id;
    }
    usedLines.add(lineId);
    for (const m of members) assign.set(m, lineId);
  }
  await client.query(
    `UPDATE series s SET version_line_id = u.line FROM unnest($1::int[], $2::int[]) AS u(id, line)
     WHERE s.id = u.id AND s.version_line_id IS DISTINCT FROM u.line`,
    [[...assign.keys()], [...assign.values()]],
  );
  const orphans = [...oldLines].filter((l) => !usedLines.has(l));
  if (orphans.length) {
    await client.query(`DELETE FROM version_line v WHERE v.id = ANY($1::int[]) AND NOT EXISTS (SELECT 1 FROM series s WHERE s.version_line_id = v.id)`, [orphans]);
  }
}
