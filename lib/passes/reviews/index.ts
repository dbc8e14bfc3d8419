// The review pass of the derive step (lib/passes/index.ts runPasses): per thread, every
// message read as lib/review reads it (analyzeThread), written set-based:
//
//   trailer         every trailer as written: commit-message trailers of patches, reply trailers
//                   (mismatches flagged), with the person when the address is known;
//   patch_trailer   where each reply trailer applies: the patch it answers, every patch of the
//                   series for a cover-letter trailer, a later version with the same patch-id (in
//                   the thread, lib/review attributeTrailers; across threads, along version lines:
//                   carryAcrossVersions). Mismatched trailers are written where they would apply,
//                   flagged by trailer.mismatch, so pages can show them — never counted as applied;
//                   a robot's offered tags ("| Reported-by:" box, for a separate fix) apply nowhere;
//   review          per reply: the patch it answers (the nearest patch above it, else the series
//                   cover letter above it), its verdict and evidence line, refused trailers;
//   discussion      comments grouped by anchor: a comment that answers nothing opens one, an answer
//                   (InlineComment.inReplyTo) joins its parent's; resolved by the next version's
//                   code or the patch author's word (lib/review resolveDiscussion), the open ones
//                   ported to the next version (carried_anchor);
//   review_comment  each comment with its provenance (message, lines, method, confidence).
//
// A thread's rows are replaced as a whole: one statement deletes the old rows of the pass's threads,
// then the threads are analyzed in batches and each batch is inserted by one statement (a CTE per
// table, each from one JSON document or arrays), its new discussions resolved before they are
// written. Statements are pipelined on the connection (Serial): PostgreSQL deletes and inserts
// while the next batch is analyzed. Resolution and cross-thread trailer carries are recomputed for
// every version line the thread's series belong to, so a new version arriving in another thread
// updates the earlier version's discussions (rows whose resolution is unchanged are not rewritten).
// scripts/bench-reviews.mts measures the pass and prints a digest of what it writes.
//
// The pass in files: load.ts (patch texts, the threads' messages and series), analyze.ts (one thread,
// pure: the rows to write), write.ts (Serial, deletes and inserts), resolve.ts (carries and
// resolution along version lines), timings.ts, json.ts; this one runs them in order (updateReviews).
import type pg from "pg";
import { analyzeThread, type ThreadMessageInput } from "../../review";
import { assignIds, Ids, threadDiscussions, threadRows, type IdTable, type Rows, type ThreadWork } from "./analyze";
import { loadMessages, loadSeries, patchTexts, reviewableThreads, type MsgRow, type PatchTextRow } from "./load";
import { carryAcrossVersions, lineContext, linePatchesOf, receiveTexts, requestTexts, resolveOne, resolveStored, type DiscussionToResolve } from "./resolve";
import { stopwatch, type ReviewTimings } from "./timings";
import { clearRows, insertRows, Serial } from "./write";

export { patchTexts, type PatchText, type PatchTextRow } from "./load";
export { carryAcrossVersions, nextVersionOf, resolveDiscussions } from "./resolve";
export { newReviewTimings, type ReviewTimings } from "./timings";

/** messages per batch of threads analyzed, resolved and written in turn (the writes of one run while the next is analyzed) */
const BATCH_MESSAGES = 400;

/**
 * Re-derives the reviews of these threads (delete + insert), then resolution and cross-thread carries for their version lines.
 *
 * The statements are pipelined on the connection: the old rows are deleted while the threads are
 * analyzed, and the threads are analyzed in batches whose rows are written while the next batch
 * is analyzed (PostgreSQL works on one core while this process works on another). Statements run
 * in the order they are sent; every one is awaited before this returns.
 */
export async function updateReviews(client: pg.PoolClient, threadIds: number[], timings?: ReviewTimings): Promise<void> {
  if (!threadIds.length) return;
  const lap = stopwatch(timings);
  // every statement goes through `sql`, one at a time, in the order asked for
  const sql = new Serial(client);
  try {
    // threads without a patch or a cover letter (discussions, questions, bug reports) have no review
    const reviewable = await reviewableThreads(sql, threadIds);
    const msgsP = reviewable.length ? loadMessages(sql, reviewable) : Promise.resolve([]);
    const seriesP = reviewable.length ? loadSeries(sql, reviewable) : Promise.resolve([]);
    const series = await seriesP;
    const msgs = await msgsP;
    // patches of these series that live outside these threads (unthreaded postings)
    const inPass = new Set(msgs.map((m) => m.msgid));
    const outside = [...new Set(series.flatMap((s) => s.patches).filter((p) => !inPass.has(p)))];
    const outsideP = outside.length ? sql.query(`SELECT id, msgid FROM message WHERE msgid = ANY($1::text[])`, [outside]) : null;
    // the patches of their version lines (asked for before the deletes, so not waiting for them)
    const lines = [...new Set(series.map((s) => s.version_line_id).filter((x): x is number => x !== null))];
    const linesP = linePatchesOf(sql, lines);
    // the threads' old rows go while the threads are read
    clearRows(sql, threadIds);
    const outsideIds = new Map<string, number>();
    if (outsideP) for (const r of (await outsideP).rows) outsideIds.set(r.msgid, r.id);
    const linePatches = await linesP;
    lap("load");
    const texts = await patchTexts(sql, msgs);
    const ctx = lineContext(linePatches, texts);
    lap("parse");

    const byThread = new Map<number, MsgRow[]>();
    for (const m of msgs) (byThread.get(m.thread_id) ?? byThread.set(m.thread_id, []).get(m.thread_id)!).push(m);
    // the series each message belongs to (as a patch or as the cover letter), in load order
    const seriesOf = new Map<string, number[]>();
    series.forEach((s, i) => {
      for (const p of s.cover !== null ? [...s.patches, s.cover] : s.patches) {
        const l = seriesOf.get(p);
        if (!l) seriesOf.set(p, [i]);
        else if (l[l.length - 1] !== i) l.push(i);
      }
    });
    const msgById = new Map(msgs.map((m) => [m.id, m]));

    /** a batch analyzed: its rows (local ids), their ids and the next versions' texts on their way */
    interface Batch {
      rows: Rows;
      discussions: DiscussionToResolve[];
      ids: Promise<Record<IdTable, number[]>>;
      texts: Promise<PatchTextRow[]> | null;
    }
    const finish = async (b: Batch) => {
      await receiveTexts(sql, ctx, b.texts);
      lap("parse");
      // the new discussions resolved before they are written (as resolveDiscussions would resolve them once written)
      b.rows.resolutions = b.discussions.map((d) => resolveOne(ctx, d));
      lap("resolve");
      assignIds(b.rows, await b.ids);
      lap("write");
      insertRows(sql, b.rows);
      lap("write");
    };
    let pending: Batch | null = null;
    const threads = [...byThread];
    for (let i = 0; i < threads.length; ) {
      // the next batch: whole threads, about BATCH_MESSAGES messages
      const works: ThreadWork[] = [];
      for (let n = 0; i < threads.length && (n === 0 || n + threads[i][1].length <= BATCH_MESSAGES); i++) {
        const [threadId, ms] = threads[i];
        n += ms.length;
        const inputs: ThreadMessageInput[] = ms.map((m) => {
          const t = texts.get(m.id);
          return {
            msgid: m.msgid, inReplyTo: m.in_reply_to, references: m.references, subject: m.subject,
            from: { name: m.from_name, address: m.from_address }, date: m.date ? m.date.toISOString() : null, body: m.body,
            patch: t ? { body: t.body, diff: t.diff, patchId: m.patch_id, version: m.patch_version } : null,
          };
        });
        // the series with a patch or the cover letter in the thread, in load order
        const hit = new Set<number>();
        for (const m of ms) for (const k of seriesOf.get(m.msgid) ?? []) hit.add(k);
        const ss = [...hit].sort((a, b) => a - b).map((k) => series[k]);
        const result = analyzeThread(inputs, ss.map((s) => ({ id: String(s.id), cover: s.cover, patches: s.patches })));
        works.push({ threadId, msgs: ms, inputs, series: ss, result, patchIdOutside: outsideIds });
      }
      const ids = new Ids();
      const rows: Rows = { trailers: [], applied: [], reviews: [], discussions: [], comments: [], resolutions: [] };
      for (const w of works) threadRows(w, ids, rows);
      const discussions = threadDiscussions(rows, msgById);
      lap("analyze");
      // the batch before is written (its insert runs while this batch's ids and texts are asked for and the next batch is analyzed)
      if (pending) await finish(pending);
      // ids drawn in batch order: the n-th row made in the chunk gets the n-th smallest id, as when drawn at once
      pending = { rows, discussions, ids: ids.draw(sql), texts: requestTexts(sql, ctx, discussions) };
      pending.ids.catch(() => {});
      pending.texts?.catch(() => {});
    }
    if (pending) await finish(pending);
    await sql.done();
    await carryAcrossVersions(sql, lines);
    lap("write");
    // the discussions of other threads in these version lines (a new version changes them)
    await resolveStored(sql, ctx, threadIds, true, timings);
  } catch (e) {
    // a statement sent earlier failed first (what failed after it failed for that): its error is the one to see
    throw (await sql.firstFailure()) ?? e;
  } finally {
    // nothing left running on the connection, whatever happened
    await sql.settled();
  }
}
