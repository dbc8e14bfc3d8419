// What the review pass's phases cost: ReviewTimings (added up over calls, scripts/bench-reviews.mts)
// and the stopwatch that charges them.

export interface ReviewTimings {
  /** SQL reads: messages, series, discussions and comments to resolve */
  load: number;
  /** patch texts re-read and diffs parsed */
  parse: number;
  /** analyzeThread and the rows made from it */
  analyze: number;
  /** resolution against the next version (resolveDiscussion) */
  resolve: number;
  /** SQL writes: ids, deletes, inserts, carries, resolution updates */
  write: number;
}

export const newReviewTimings = (): ReviewTimings => ({ load: 0, parse: 0, analyze: 0, resolve: 0, write: 0 });

/** a stopwatch that charges the time since the last lap to a phase (no-op without timings) */
export function stopwatch(timings?: ReviewTimings) {
  let at = performance.now();
  return (phase: keyof ReviewTimings) => {
    if (!timings) return;
    const now = performance.now();
    timings[phase] += now - at;
    at = now;
  };
}
