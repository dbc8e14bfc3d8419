// The status of a piece of work (a patch, a series posting, a proposal), from the decisions seen
// on it (lib/knowledge/decisions.ts), upstream commits, later versions and its last activity.
// One function (workStatus) computes it for the proposals pass (lib/passes/proposals/write.ts),
// the read models (lib/views/status.ts: series and patches) and so every page, the API and the
// /proposals/ status filter. Pure; no I/O.
//
// The statuses, strongest evidence first:
//   merged             found upstream (patch_commit), or a "merged"/pulled decision;
//   applied / queued   a maintainer applied or queued it;
//   nak                NAKed;
//   rejected           a maintainer refused it;
//   withdrawn          the author withdrew it;
//   superseded         the author said a later version replaces it, or (a posting) a later
//                      version of its line was posted and no decision was made on this one;
//   changes-requested  the last word on the latest posting asked the author for changes;
//   open               no decision (or a deferral, or a decision on an earlier version that a
//                      later one answered), and activity within the last QUIET_DAYS days;
//   no-decision        "no decision seen": no decision and no activity for more than QUIET_DAYS
//                      days before the archive's newest message (asOf). A maintainer's patch from
//                      years ago that nobody answered and nobody applied is not "open": it may
//                      have gone in by another route, or been dropped; the archive does not say.
//
// asOf is the date of the newest message of the archive, not the wall clock: an archive imported
// years after the fact reads the same as a live mirror did, and a re-run gives the same answer.

/** asOf from the database: the archive's newest message (a message dated in the future, a wrong clock, left out) */
export const AS_OF_SQL = `SELECT max(date) AS as_of FROM message WHERE date <= now() + interval '1 day'`;

export const WORK_STATUSES = ["open", "changes-requested", "applied", "queued", "merged", "nak", "superseded", "withdrawn", "rejected", "no-decision"] as const;
export type WorkStatus = (typeof WORK_STATUSES)[number];

/** What pages write for a status. */
export const STATUS_LABEL: Record<WorkStatus, string> = {
  open: "open",
  "changes-requested": "changes requested",
  applied: "applied",
  queued: "queued",
  merged: "merged",
  nak: "NAKed",
  superseded: "superseded",
  withdrawn: "withdrawn",
  rejected: "rejected",
  "no-decision": "no decision seen",
};

/** a status label for any stored string (an unknown one as it is) */
export const statusLabel = (s: string): string => STATUS_LABEL[s as WorkStatus] ?? s;

/** Work without a decision is "open" while something happened on it in this many days (before asOf), else "no-decision". */
export const QUIET_DAYS = 90;
const DAY = 86_400_000;

/** A decision on the work, newest last or in any order (sorted here). */
export interface StatusDecision {
  kind: string;
  series_id: number | null;
  message_id: number | null;
  thread_id: number | null;
  date: Date | string | null;
}

export interface StatusPosting {
  id: number;
  date: string | null;
  threadIds: number[];
}

export interface StatusInput {
  /** the postings (series) of the work; a single patch or series is one posting */
  postings: StatusPosting[];
  decisions: StatusDecision[];
  /** found upstream */
  merged: boolean;
  /** a later version of the (latest) posting exists outside the work (a series page: the next posting of its line) */
  laterVersion?: boolean;
  /** the last message on the work (postings and replies) */
  lastActivity?: Date | string | null;
  /** the archive's newest message date ("now" for this archive) */
  asOf?: Date | string | null;
}

export interface StatusResult {
  status: WorkStatus;
  because: Record<string, unknown> | null;
}

const DECISION_RANK: Record<string, number> = { merged: 7, applied: 6, queued: 5, nak: 4, rejected: 3, withdrawn: 2, superseded: 1 };
const ms = (d: Date | string | null | undefined): number => (d ? (d instanceof Date ? d.getTime() : Date.parse(d)) || 0 : 0);
const FINAL = new Set<string>(["merged", "applied", "queued", "nak", "rejected", "withdrawn", "superseded"]);

/**
 * The status of a piece of work (see the top of this file). The decision that counts is the last
 * one on the latest posting (a decision the message names no posting of counts for the latest);
 * decisions on earlier postings only count when they took the work in (applied, queued, merged).
 */
export function workStatus(input: StatusInput): StatusResult {
  const { postings, decisions, merged } = input;
  if (merged) return { status: "merged", because: { upstream: true } };
  const sorted = [...postings].sort((a, b) => ms(a.date) - ms(b.date));
  const latest = sorted[sorted.length - 1];
  const postingOf = (d: StatusDecision): number | null => {
    if (d.series_id !== null && postings.some((p) => p.id === d.series_id)) return d.series_id;
    let owner: number | null = null;
    for (const p of sorted) if (d.thread_id !== null && p.threadIds.includes(d.thread_id) && ms(p.date) <= (ms(d.date) || Infinity)) owner = p.id;
    return owner;
  };
  const ordered = [...decisions].sort((a, b) => ms(a.date) - ms(b.date) || (DECISION_RANK[a.kind] ?? 0) - (DECISION_RANK[b.kind] ?? 0));
  const onLatest = ordered.filter((d) => !latest || postingOf(d) === latest.id || postingOf(d) === null);
  const pick = onLatest.length ? onLatest[onLatest.length - 1] : null;
  const why = (d: StatusDecision) => ({ messageId: d.message_id, seriesId: d.series_id ?? postingOf(d) });
  if (pick && FINAL.has(pick.kind)) return { status: pick.kind as WorkStatus, because: why(pick) };
  // decisions on earlier postings only: taken in stands; a NAK or a superseded version that a later one answered does not
  const last = ordered[ordered.length - 1];
  if (!pick && last && ["applied", "queued", "merged"].includes(last.kind)) return { status: last.kind as WorkStatus, because: { messageId: last.message_id, seriesId: postingOf(last) } };
  // a later version replaced this posting, no decision having been made on it
  if (input.laterVersion) return { status: "superseded", because: { laterVersion: true, ...(pick ? { pending: pick.kind } : {}) } };
  // the last word asked for changes: its own status, until a new version (or a decision) answers it
  if (pick?.kind === "changes-requested") return { status: "changes-requested", because: why(pick) };
  // put off ("once -rc1 is out"): still open, waiting
  if (pick?.kind === "deferred") return { status: "open", because: { pending: "deferred", ...why(pick) } };
  const earlier = !pick && last ? { earlier: last.kind, messageId: last.message_id } : null;
  // no decision: open while there is activity, "no decision seen" after QUIET_DAYS days of silence
  const lastAt = ms(input.lastActivity);
  const asOf = ms(input.asOf);
  if (lastAt && asOf && asOf - lastAt > QUIET_DAYS * DAY) {
    return { status: "no-decision", because: { ...earlier, quietDays: Math.floor((asOf - lastAt) / DAY), lastActivity: new Date(lastAt).toISOString() } };
  }
  return { status: "open", because: earlier };
}
