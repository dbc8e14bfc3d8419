// Along version lines: reply trailers carried to later versions posted in other threads
// (carryAcrossVersions), and discussions resolved by the next version or the patch author (resolveDiscussions).
import type pg from "pg";
import type { Queryable } from "../../db/tx";
import { resolveDiscussion, splitShown, type StoredAnchor, withShown } from "../../review";
import { clean, json } from "./json";
import { patchTexts, type PatchText, type PatchTextRow } from "./load";
import { stopwatch, type ReviewTimings } from "./timings";

// ---------------------------------------------------------------------------------------------
// across threads, along version lines

/**
 * A reply or cover trailer given to a patch carries to the same patch (same patch-id) in every
 * later version of its version line posted in another thread (analyzeThread carries within a
 * thread already). Recomputed for whole lines, so it stays right whichever thread changed.
 */
export async function carryAcrossVersions(client: Queryable, lineIds: number[]): Promise<void> {
  if (!lineIds.length) return;
  await client.query(
    `DELETE FROM patch_trailer pt USING series s, trailer t, message pm
     WHERE pt.series_id = s.id AND s.version_line_id = ANY($1::int[]) AND pt.via = 'patch-id' AND t.id = pt.trailer_id
       AND pm.id = pt.patch_message_id AND t.thread_id IS DISTINCT FROM pm.thread_id`,
    [lineIds],
  );
  await client.query(
    `INSERT INTO patch_trailer (series_id, patch_message_id, trailer_id, via)
     SELECT DISTINCT s2.id, sp2.message_id, pt.trailer_id, 'patch-id'
     FROM series s2
     JOIN series_patch sp2 ON sp2.series_id = s2.id AND sp2.index > 0 AND NOT sp2.inherited
     JOIN patch p2 ON p2.message_id = sp2.message_id AND p2.patch_id IS NOT NULL
     JOIN message m2 ON m2.id = sp2.message_id
     JOIN series s1 ON s1.version_line_id = s2.version_line_id AND s1.version < s2.version
     JOIN series_patch sp1 ON sp1.series_id = s1.id AND sp1.index > 0 AND NOT sp1.inherited
     JOIN patch p1 ON p1.message_id = sp1.message_id AND p1.patch_id = p2.patch_id
     JOIN patch_trailer pt ON pt.series_id = s1.id AND pt.patch_message_id = p1.message_id AND pt.via IN ('reply', 'cover')
     JOIN trailer t ON t.id = pt.trailer_id AND NOT t.mismatch AND t.thread_id IS DISTINCT FROM m2.thread_id
     WHERE s2.version_line_id = ANY($1::int[])
     ON CONFLICT DO NOTHING`,
    [lineIds],
  );
}

// ---------------------------------------------------------------------------------------------
// resolution

interface LinePatch {
  seriesId: number;
  version: number;
  lineId: number | null;
  date: number;
  index: number;
  id: number;
  title: string;
}

/** The same patch in the next version of its line: the next posting with a higher version, its patch of the same title, else of the same index. */
export function nextVersionOf(p: LinePatch, all: LinePatch[]): LinePatch | null {
  if (p.lineId === null) return null;
  const later = all.filter((x) => x.lineId === p.lineId && x.version > p.version);
  if (!later.length) return null;
  const v = Math.min(...later.map((x) => x.version));
  const next = later.filter((x) => x.version === v);
  // the earliest posting of that version (a resend comes after)
  const firstSeries = next.reduce((a, b) => (b.date < a.date ? b : a)).seriesId;
  const cand = next.filter((x) => x.seriesId === firstSeries);
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();
  return cand.find((x) => norm(x.title) === norm(p.title)) ?? cand.find((x) => x.index === p.index) ?? null;
}

/** A discussion as resolution reads it: where it is, who wrote the patch, its comments in order. */
export interface DiscussionToResolve {
  id: number;
  patch_message_id: number;
  /** as stored (the JSON the database gives back) */
  anchor: StoredAnchor | null;
  /** the patch's sender */
  author: string | null;
  comments: { text: string; from: string }[];
}

export interface Resolved {
  status: string;
  how: string | null;
  confidence: number | null;
  evidence: string | null;
  next: number | null;
  carried: StoredAnchor | null;
}

/** The patches of some version lines, their next versions, and the patch texts read so far. */
interface LineContext {
  linePatches: LinePatch[];
  byId: Map<number, LinePatch>;
  next: Map<number, LinePatch | null>;
  texts: Map<number, PatchText>;
  /** patches whose text was looked up (found or not) */
  tried: Set<number>;
}

export async function linePatchesOf(client: Queryable, lineIds: number[]): Promise<LinePatch[]> {
  if (!lineIds.length) return [];
  const { rows: lp } = await client.query(
    `SELECT s.id AS series_id, s.version, s.version_line_id, s.date, sp.index, sp.message_id AS id, p.title
     FROM series s JOIN series_patch sp ON sp.series_id = s.id AND sp.index > 0 AND NOT sp.inherited
     JOIN patch p ON p.message_id = sp.message_id
     WHERE s.version_line_id = ANY($1::int[])`,
    [lineIds],
  );
  return lp.map((r) => ({ seriesId: r.series_id, version: r.version, lineId: r.version_line_id, date: r.date ? r.date.getTime() : 0, index: r.index, id: r.id, title: r.title }));
}

export function lineContext(linePatches: LinePatch[], known: Map<number, PatchText>): LineContext {
  return { linePatches, byId: new Map(linePatches.map((p) => [p.id, p])), next: new Map(), texts: new Map(known), tried: new Set(known.keys()) };
}

function nextOf(ctx: LineContext, patchId: number): LinePatch | null {
  let n = ctx.next.get(patchId);
  if (n === undefined) {
    const p = ctx.byId.get(patchId);
    ctx.next.set(patchId, (n = p ? nextVersionOf(p, ctx.linePatches) : null));
  }
  return n;
}

/** The patches whose texts these discussions need (diff anchors: the patch and its next version) and that were not looked up yet. */
function neededTexts(ctx: LineContext, ds: DiscussionToResolve[]): number[] {
  const need = new Set<number>();
  for (const d of ds) if (d.anchor) {
    need.add(d.patch_message_id);
    const n = nextOf(ctx, d.patch_message_id);
    if (n) need.add(n.id);
  }
  for (const id of need) if (ctx.tried.has(id)) need.delete(id);
  return [...need];
}

/** Sends the query for the texts these discussions need (marked looked up: receiveTexts reads them); null when none. */
export function requestTexts(client: Queryable, ctx: LineContext, ds: DiscussionToResolve[]): Promise<PatchTextRow[]> | null {
  const need = neededTexts(ctx, ds);
  if (!need.length) return null;
  for (const id of need) ctx.tried.add(id);
  return client
    .query(`SELECT m.id, m.subject, m.body, p.kind AS patch_kind FROM message m JOIN patch p ON p.message_id = m.id WHERE m.id = ANY($1::bigint[])`, [need])
    .then((r) => r.rows as PatchTextRow[]);
}

export async function receiveTexts(client: Queryable, ctx: LineContext, rows: Promise<PatchTextRow[]> | null): Promise<void> {
  if (!rows) return;
  for (const [id, t] of await patchTexts(client, await rows)) ctx.texts.set(id, t);
}

/** The texts of the discussed patches (diff anchors) and of their next versions, read when not read yet. */
async function fetchTexts(client: Queryable, ctx: LineContext, ds: DiscussionToResolve[], lap: ReturnType<typeof stopwatch>): Promise<void> {
  const rows = requestTexts(client, ctx, ds);
  lap("resolve");
  if (!rows) return;
  await rows;
  lap("load");
  await receiveTexts(client, ctx, rows);
  lap("parse");
}

export function resolveOne(ctx: LineContext, d: DiscussionToResolve): Resolved {
  const n = nextOf(ctx, d.patch_message_id);
  const cur = ctx.texts.get(d.patch_message_id);
  const nt = n ? ctx.texts.get(n.id) : undefined;
  const author = String(d.author ?? "").toLowerCase();
  const res = resolveDiscussion({
    anchor: d.anchor ? splitShown(d.anchor).anchor : null,
    replies: d.comments.slice(1).map((c) => ({ text: c.text, byPatchAuthor: !!author && c.from.toLowerCase() === author })),
    diff: cur?.diff ?? null,
    nextDiff: nt?.diff ?? null,
    nextBody: nt ? nt.body : null,
  });
  return {
    status: res.resolved ? "resolved" : "open", how: res.how, confidence: res.resolved || res.evidence ? res.confidence : null,
    // (shown on the next version's review page, so what it shows is read on that version's text)
    evidence: res.evidence ? clean(res.evidence) : null, next: n?.id ?? null, carried: res.carried ? withShown(res.carried, nt) : null,
  };
}


/**
 * Resolves the discussions of these threads, and of every patch in these version lines (an earlier
 * version's discussions change when its next version arrives): the next version's diff, the
 * patch author's answers (lib/review resolveDiscussion).
 */
export async function resolveDiscussions(client: pg.PoolClient, threadIds: number[], lineIds: number[], known: Map<number, PatchText> = new Map(), timings?: ReviewTimings): Promise<void> {
  await resolveStored(client, lineContext(await linePatchesOf(client, lineIds), known), threadIds, false, timings);
}

/**
 * resolveDiscussions over the discussions stored: of these threads (unless `othersOnly`) and of
 * the patches of the context's version lines. Rows whose resolution is unchanged are not written.
 */
export async function resolveStored(client: Queryable, ctx: LineContext, threadIds: number[], othersOnly: boolean, timings?: ReviewTimings): Promise<void> {
  const lap = stopwatch(timings);
  const patchIds = ctx.linePatches.map((p) => p.id);
  if (othersOnly && !patchIds.length) return;
  const { rows: ds } = await client.query(
    othersOnly
      ? `SELECT d.id, d.patch_message_id, d.anchor, pm.from_address AS author
         FROM discussion d JOIN message pm ON pm.id = d.patch_message_id
         WHERE d.patch_message_id = ANY($2::bigint[]) AND NOT coalesce(d.thread_id = ANY($1::int[]), false)`
      : `SELECT d.id, d.patch_message_id, d.anchor, pm.from_address AS author
         FROM discussion d JOIN message pm ON pm.id = d.patch_message_id
         WHERE d.thread_id = ANY($1::int[]) OR d.patch_message_id = ANY($2::bigint[])`,
    [threadIds, patchIds],
  );
  if (!ds.length) return lap("load");
  const { rows: cs } = await client.query(
    `SELECT rc.discussion_id, rc.text, m.from_address FROM review_comment rc JOIN message m ON m.id = rc.message_id
     WHERE rc.discussion_id = ANY($1::bigint[]) ORDER BY rc.discussion_id, rc.id`,
    [ds.map((d) => d.id)],
  );
  lap("load");
  const byId = new Map<number, DiscussionToResolve>();
  const list: DiscussionToResolve[] = ds.map((d) => {
    const x: DiscussionToResolve = { id: d.id, patch_message_id: d.patch_message_id, anchor: d.anchor as StoredAnchor | null, author: d.author, comments: [] };
    byId.set(d.id, x);
    return x;
  });
  for (const c of cs) byId.get(c.discussion_id)!.comments.push({ text: c.text, from: c.from_address });
  await fetchTexts(client, ctx, list, lap);
  const upd = list.map((d) => ({ id: d.id, ...resolveOne(ctx, d) }));
  lap("resolve");
  await client.query(
    `UPDATE discussion d SET status = x.status, resolved_how = x.how, resolved_confidence = x.confidence, resolved_evidence = x.evidence,
       next_patch_message_id = x.next, carried_anchor = x.carried
     FROM json_to_recordset($1::json) AS x(id bigint, status text, how text, confidence float8, evidence text, next bigint, carried jsonb)
     WHERE d.id = x.id
       AND (d.status, d.resolved_how, d.resolved_confidence, d.resolved_evidence, d.next_patch_message_id, d.carried_anchor)
           IS DISTINCT FROM (x.status, x.how, x.confidence, x.evidence, x.next, x.carried)`,
    [json(upd)],
  );
  lap("write");
}
