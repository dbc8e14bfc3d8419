// Read queries for series, patches and version lines (pages and /api/ alike).
import type { Db } from "../db/client";
import { iso } from "./refs";
import { parseDiff, type ParsedDiff } from "../patch/diff";
import { interdiff, compareSeries } from "../patch/interdiff";
import { mboxrd } from "../export/mbox";
import { MAX_PAGE_SIZE, type Page, type SeriesRef } from "./refs";
import { seriesStatuses } from "./status";
import type { StatusResult } from "../knowledge/status";


export interface SeriesSummary {
  key: string;
  title: string;
  subsystem: string | null;
  version: number;
  revision: string;
  isRfc: boolean;
  isResend: boolean;
  total: number;
  complete: boolean;
  missing: number[];
  author: string;
  authorName: string | null;
  date: string | null;
  list: string | null;
  versionLine: number | null;
  coverMsgid: string | null;
}

export interface SeriesPatchRow {
  index: number;
  msgid: string;
  subject: string;
  title: string | null;
  date: string | null;
  inherited: boolean;
  isCover: boolean;
  patchId: string | null;
  added: number;
  removed: number;
  files: number;
  /** replies to this message (the review discussion size) */
  replies: number;
  diffstat: { path: string; added: number; removed: number; status: string }[];
}

export interface SeriesDetail extends SeriesSummary {
  method: string;
  details: Record<string, unknown>;
  cover: { msgid: string; subject: string; body: string } | null;
  patches: SeriesPatchRow[];
  versions: SeriesSummary[];
  links: { from: string; to: string; method: string; kind: string; confidence: number; evidence: unknown }[];
  /** applied, queued, NAKed, changes requested, superseded, open, no decision seen, … (lib/knowledge/status workStatus) */
  status: StatusResult;
}

const SUMMARY_COLUMNS = `s.key, s.title, s.subsystem, s.version, s.revision, s.is_rfc, s.is_resend, s.total, s.complete, s.missing,
  s.author, (SELECT p.names[1] FROM person p WHERE p.id = s.author_id) AS author_name, s.date, l.name AS list, s.version_line_id,
  (SELECT m.msgid FROM message m WHERE m.id = s.cover_id) AS cover_msgid`;

function toSummary(r: Record<string, any>): SeriesSummary {
  return {
    key: r.key, title: r.title, subsystem: r.subsystem, version: r.version, revision: r.revision, isRfc: r.is_rfc,
    isResend: r.is_resend, total: r.total, complete: r.complete, missing: r.missing, author: r.author,
    authorName: r.author_name, date: iso(r.date), list: r.list, versionLine: r.version_line_id, coverMsgid: r.cover_msgid,
  };
}

export async function listSeries(db: Db, listName: string, page = 1, pageSize = 50): Promise<Page<SeriesSummary> | null> {
  const { rows: lr } = await db.pool.query(`SELECT id FROM list WHERE name = $1`, [listName]);
  if (!lr.length) return null;
  page = Math.max(1, Math.floor(page) || 1);
  pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize) || 50));
  const { rows: [{ total }] } = await db.pool.query(`SELECT count(*) AS total FROM series WHERE list_id = $1`, [lr[0].id]);
  const { rows } = await db.pool.query(
    `SELECT ${SUMMARY_COLUMNS} FROM series s LEFT JOIN list l ON l.id = s.list_id WHERE s.list_id = $1
     ORDER BY s.date DESC NULLS LAST, s.id DESC LIMIT $2 OFFSET $3`,
    [lr[0].id, pageSize, (page - 1) * pageSize],
  );
  return { page, pageSize, total, items: rows.map(toSummary) };
}

export async function getSeries(db: Db, key: string): Promise<SeriesDetail | null> {
  const { rows } = await db.pool.query(
    `SELECT ${SUMMARY_COLUMNS}, s.id, s.method, s.details FROM series s LEFT JOIN list l ON l.id = s.list_id WHERE s.key = $1`,
    [key],
  );
  if (!rows.length) return null;
  const r = rows[0];
  const { rows: patches } = await db.pool.query(
    `SELECT sp.index, sp.inherited, m.msgid, m.subject, m.date, m.body, p.title, p.patch_id, p.added, p.removed, p.files_changed,
            (SELECT count(*) FROM message c WHERE c.parent_id = m.id AND NOT c.ghost) AS replies,
            COALESCE((SELECT json_agg(json_build_object('path', f.path, 'added', f.added, 'removed', f.removed, 'status', f.status) ORDER BY f.position)
                      FROM patch_file f WHERE f.message_id = m.id), '[]') AS diffstat
     FROM series_patch sp JOIN message m ON m.id = sp.message_id LEFT JOIN patch p ON p.message_id = m.id
     WHERE sp.series_id = $1 ORDER BY sp.index, m.date`,
    [r.id],
  );
  const coverRow = patches.find((p) => p.index === 0 && !p.patch_id);
  const versions = r.version_line_id === null ? [] : (await db.pool.query(
    `SELECT ${SUMMARY_COLUMNS} FROM series s LEFT JOIN list l ON l.id = s.list_id WHERE s.version_line_id = $1 ORDER BY s.date NULLS LAST, s.id`,
    [r.version_line_id],
  )).rows.map(toSummary);
  const { rows: links } = await db.pool.query(
    `SELECT a.key AS "from", b.key AS "to", vl.method, vl.kind, vl.confidence, vl.evidence
     FROM version_link vl JOIN series a ON a.id = vl.from_id JOIN series b ON b.id = vl.to_id
     WHERE vl.from_id = $1 OR vl.to_id = $1 OR (a.version_line_id = $2 AND b.version_line_id = $2)`,
    [r.id, r.version_line_id],
  );
  const status = (await seriesStatuses(db, [r.id])).get(r.id) ?? { status: "open", because: null };
  return {
    ...toSummary(r),
    status,
    method: r.method,
    details: r.details,
    cover: coverRow ? { msgid: coverRow.msgid, subject: coverRow.subject, body: coverRow.body } : null,
    patches: patches.map((p) => ({
      index: p.index, msgid: p.msgid, subject: p.subject, title: p.title, date: iso(p.date), inherited: p.inherited,
      isCover: p.index === 0 && !p.patch_id, patchId: p.patch_id, added: p.added ?? 0, removed: p.removed ?? 0,
      files: p.files_changed ?? 0, replies: p.replies, diffstat: p.diffstat,
    })),
    versions,
    links,
  };
}

export interface PatchView {
  msgid: string;
  subject: string;
  title: string;
  fromName: string;
  fromAddress: string;
  date: string | null;
  kind: string;
  version: number;
  revision: string;
  counter: { index: number; total: number } | null;
  patchId: string | null;
  commitMessage: string;
  notes: string | null;
  added: number;
  removed: number;
  damaged: string[];
  mismatches: unknown[];
  series: { key: string; title: string; version: number; revision: string } | null;
  /** the diff re-read from the message body: files -> hunks -> lines with old/new numbers */
  diff: ParsedDiff;
}

/** The patch a message carries, with its diff parsed again from the stored body (the lines the hunks point at). */
export async function getPatch(db: Db, msgid: string): Promise<PatchView | null> {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m.subject, m.from_name, m.from_address, m.date, m.body, m.attachments, p.*,
            (SELECT json_build_object('key', s.key, 'title', s.title, 'version', s.version, 'revision', s.revision)
             FROM series_patch sp JOIN series s ON s.id = sp.series_id WHERE sp.message_id = m.id AND NOT sp.inherited LIMIT 1) AS series
     FROM message m JOIN patch p ON p.message_id = m.id WHERE m.msgid = $1`,
    [msgid],
  );
  if (!rows.length) return null;
  const r = rows[0];
  const diff = await diffOf(db, r);
  return {
    msgid: r.msgid, subject: r.subject, title: r.title, fromName: r.from_name, fromAddress: r.from_address, date: iso(r.date),
    kind: r.kind, version: r.version, revision: r.revision,
    counter: r.counter_index === null ? null : { index: r.counter_index, total: r.counter_total },
    patchId: r.patch_id, commitMessage: r.commit_message, notes: r.notes, added: r.added, removed: r.removed,
    damaged: r.damaged, mismatches: r.mismatches, series: r.series, diff,
  };
}

async function diffOf(db: Db, r: { body: string; attachment: number | null; message_id: number; parts: { diff?: { start: number; end: number } | null } }): Promise<ParsedDiff> {
  if (r.attachment !== null) {
    // the diff came from an attachment: re-read it from the raw message
    const { rows } = await db.pool.query(`SELECT raw FROM raw_message WHERE message_id = $1`, [r.message_id]);
    if (rows.length) {
      const { parseMail } = await import("../mail/parse");
      const parsed = await parseMail(rows[0].raw);
      const text = parsed.attachments[r.attachment]?.text;
      if (text) return parseDiff(text);
    }
  }
  return parseDiff(r.body);
}

export interface VersionLineView {
  id: number;
  title: string;
  versions: (SeriesSummary & { patches: SeriesPatchRow[] })[];
  links: SeriesDetail["links"];
  /** what changed from each version to the next: per patch of the later one */
  steps: {
    from: string;
    to: string;
    patches: { status: "unchanged" | "changed" | "added" | "dropped"; method: string | null; from: string | null; to: string | null; title: string }[];
  }[];
}

export async function getVersionLine(db: Db, id: number): Promise<VersionLineView | null> {
  const { rows } = await db.pool.query(`SELECT id, title FROM version_line WHERE id = $1`, [id]);
  if (!rows.length) return null;
  const { rows: keys } = await db.pool.query(`SELECT key FROM series WHERE version_line_id = $1 ORDER BY date NULLS LAST, id`, [id]);
  const versions = [];
  for (const k of keys) {
    const s = (await getSeries(db, k.key))!;
    versions.push({ ...s, patches: s.patches });
  }
  // every version of the line was loaded above, links included: no second query
  const links = versions[0]?.links ?? [];
  const steps: VersionLineView["steps"] = [];
  for (let i = 1; i < versions.length; i++) {
    const a = versions[i - 1], b = versions[i];
    const diffs = async (s: typeof a) =>
      Promise.all(
        s.patches.filter((p) => !p.isCover).map(async (p) => ({ msgid: p.msgid, title: p.title ?? p.subject, diff: (await getPatch(db, p.msgid))?.diff ?? null })),
      );
    const pa = (await diffs(a)).filter((p) => p.diff);
    const pb = (await diffs(b)).filter((p) => p.diff);
    const cmp = compareSeries(
      pa.map((p) => ({ title: p.title, diff: p.diff })),
      pb.map((p) => ({ title: p.title, diff: p.diff })),
      { interdiff: false },
    );
    steps.push({
      from: a.key,
      to: b.key,
      patches: cmp.entries.map((e) => ({
        status: e.status,
        method: e.method,
        from: e.a === null ? null : pa[e.a].msgid,
        to: e.b === null ? null : pb[e.b].msgid,
        title: e.b !== null ? pb[e.b].title : pa[e.a!].title,
      })),
    });
  }
  return { id: rows[0].id, title: rows[0].title, versions, links, steps };
}

export interface InterdiffView {
  from: { msgid: string; title: string; version: string };
  to: { msgid: string; title: string; version: string };
  text: string;
  files: ReturnType<typeof interdiff>["files"];
}

export async function getInterdiff(db: Db, fromMsgid: string, toMsgid: string): Promise<InterdiffView | null> {
  const [a, b] = await Promise.all([getPatch(db, fromMsgid), getPatch(db, toMsgid)]);
  if (!a || !b) return null;
  const d = interdiff(a.diff, b.diff);
  return {
    from: { msgid: a.msgid, title: a.title, version: a.revision },
    to: { msgid: b.msgid, title: b.title, version: b.revision },
    text: d.text,
    files: d.files,
  };
}

/** A series as an mbox that `git am` takes: cover letter left out, patches in order, raw bytes. */
export async function seriesMbox(db: Db, key: string): Promise<Buffer | null> {
  const { rows } = await db.pool.query(
    `SELECT r.raw FROM series s JOIN series_patch sp ON sp.series_id = s.id JOIN message m ON m.id = sp.message_id
     JOIN patch p ON p.message_id = m.id AND p.kind IN ('patch', 'attachment') JOIN raw_message r ON r.message_id = m.id
     WHERE s.key = $1 AND sp.index > 0 ORDER BY sp.index, m.date`,
    [key],
  );
  if (!rows.length) return null;
  return mboxrd(rows.map((r) => r.raw as Buffer), { lf: true });
}

/** What the message and thread pages need to link a message to its patch view and its series. */
export interface MessageSeriesInfo {
  msgid: string;
  /** the lists the message is in, by name */
  lists: string[];
  /** the message carries a patch (it has a patch view) */
  patch: boolean;
  /** the series it belongs to as a cover letter (index 0) or a patch; a posting of its own before an inherited place */
  series: (SeriesRef & {
    isResend: boolean;
    index: number;
    total: number;
    versionLine: number | null;
  }) | null;
}

export async function getMessageSeriesInfo(db: Db, msgids: string[]): Promise<Map<string, MessageSeriesInfo>> {
  const out = new Map<string, MessageSeriesInfo>();
  if (!msgids.length) return out;
  const { rows } = await db.pool.query(
    `SELECT m.msgid,
            ARRAY(SELECT l.name FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE lm.message_id = m.id ORDER BY l.name) AS lists,
            EXISTS (SELECT 1 FROM patch p WHERE p.message_id = m.id) AS patch,
            (SELECT json_build_object('key', s.key, 'title', s.title, 'version', s.version, 'revision', s.revision, 'isRfc', s.is_rfc,
                                      'isResend', s.is_resend, 'index', sp.index, 'total', s.total, 'versionLine', s.version_line_id)
             FROM series_patch sp JOIN series s ON s.id = sp.series_id
             WHERE sp.message_id = m.id ORDER BY sp.inherited, s.date NULLS LAST, s.id LIMIT 1) AS series
     FROM message m WHERE m.msgid = ANY($1::text[]) AND NOT m.ghost`,
    [msgids],
  );
  for (const r of rows) out.set(r.msgid, { msgid: r.msgid, lists: r.lists, patch: r.patch, series: r.series });
  return out;
}
