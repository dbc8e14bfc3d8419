// Is this mailed patch that upstream commit? The PaStA approach (Ramsauer et al., "The list is
// the process", OSS 2019): first the exact keys — the same `git patch-id --stable`, or a Link:/
// Message-Id: trailer naming the mail — then, for what is left, a fuzzy score of how alike the
// commit message and the diff are, among the patches that touch the same files within a date
// window. Pure; the database side is lib/db/upstream.ts, the git side ingest/commits.ts.
//
// Fuzzy score (fuzzyScore), each part 0..1:
//   message = 0.6 × subject + 0.4 × body
//     subject: Dice coefficient of the character trigrams of the subjects, "[PATCH v3 2/4]"
//              prefixes removed, lower-cased
//     body:    Dice coefficient of the word multisets of the commit messages without their trailer
//              block (Signed-off-by:, Reviewed-by:, Link: ... differ between posting and commit)
//   diff    = Dice coefficient of the changed lines, per file: every added line as "+<file>:<line>",
//             every removed line as "-<file>:<line>", whitespace collapsed, compared as multisets
//             (a line moved within a file still counts; the same line in another file does not)
//   files   = Jaccard index of the two sets of paths
//   score   = 0.35 × message + 0.55 × diff + 0.10 × files
// A pair is a fuzzy match when score ≥ FUZZY_THRESHOLD (0.60) AND diff ≥ FUZZY_MIN_DIFF (0.35):
// the code must be largely the same — a reworded message with the same diff scores about 0.8, a
// patch reworked between v2 and the commit (a third of the lines changed) about 0.65, a different
// patch to the same function with the same subject style below 0.5. Through a Link: trailer that
// names a cover letter or a reply (not the patch itself), the patches of that thread need only
// LINK_THRESHOLD (0.45) with the same diff floor: the trailer already says they are related.

export const FUZZY_THRESHOLD = 0.6;
export const FUZZY_MIN_DIFF = 0.35;
export const LINK_THRESHOLD = 0.45;

export interface ChangeText {
  /** subject line (patch title / commit subject) */
  subject: string;
  /** the commit message below the subject (trailers included; they are stripped here) */
  body: string;
  /** per file path: the added and removed lines' text (without the +/- marker) */
  files: Map<string, { added: string[]; removed: string[] }>;
}

export interface FuzzyScore {
  score: number;
  message: number;
  subject: number;
  body: number;
  diff: number;
  files: number;
}

/** "[PATCH v3 2/4] mm: foo" -> "mm: foo", lower-cased, spaces collapsed. */
export function subjectKey(s: string): string {
  let t = s.trim();
  for (;;) {
    const n = t.replace(/^(?:re|fwd?|aw)\s*:\s*/i, "").replace(/^\[[^\]]*\]\s*/, "");
    if (n === t) break;
    t = n;
  }
  return t.toLowerCase().replace(/\s+/g, " ").trim();
}

const TRAILER_LINE = /^[A-Za-z][A-Za-z0-9-]*(?:-[Bb]y|-[Tt]o)?:\s|^(?:Link|Closes|Fixes|Cc|Message-I[dD]|Change-Id|BugLink|Bug|Patchwork-Id):/;

/** The commit message without its last paragraph when that is a trailer block (and without "---" notes). */
export function stripTrailers(body: string): string {
  const lines = body.replace(/\r/g, "").split("\n");
  const cut = lines.findIndex((l) => l === "---");
  const text = cut >= 0 ? lines.slice(0, cut) : lines;
  let end = text.length;
  while (end > 0 && !text[end - 1].trim()) end--;
  let start = end;
  while (start > 0 && text[start - 1].trim() && TRAILER_LINE.test(text[start - 1])) start--;
  // only a whole trailing paragraph of trailers counts
  if (start < end && (start === 0 || !text[start - 1].trim())) return text.slice(0, start).join("\n").trim();
  return text.slice(0, end).join("\n").trim();
}

function trigrams(s: string): Map<string, number> {
  const t = `  ${s} `;
  const m = new Map<string, number>();
  for (let i = 0; i + 3 <= t.length; i++) {
    const g = t.slice(i, i + 3);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

/** Dice coefficient of two multisets: 2·|A∩B| / (|A|+|B|); 1 when both are empty. */
export function multisetDice(a: Map<string, number>, b: Map<string, number>): number {
  let na = 0;
  let nb = 0;
  let both = 0;
  for (const v of a.values()) na += v;
  for (const v of b.values()) nb += v;
  if (!na && !nb) return 1;
  if (!na || !nb) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [k, v] of small) {
    const w = large.get(k);
    if (w) both += Math.min(v, w);
  }
  return (2 * both) / (na + nb);
}

function words(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/**
 * Dice coefficient on character trigrams of the subjects' keys (subjectKey), 1 for equal keys.
 * Its own metric (not the title ones of lib/series, lib/proposals, lib/patch): the upstream
 * matcher's weights and thresholds are tuned on it.
 */
export function subjectTrigramDice(a: string, b: string): number {
  const ka = subjectKey(a);
  const kb = subjectKey(b);
  if (ka === kb) return 1;
  return multisetDice(trigrams(ka), trigrams(kb));
}

export function bodySimilarity(a: string, b: string): number {
  return multisetDice(words(stripTrailers(a)), words(stripTrailers(b)));
}

const norm = (l: string) => l.replace(/\s+/g, " ").trim();

function changedLines(files: ChangeText["files"]): Map<string, number> {
  const m = new Map<string, number>();
  for (const [path, f] of files) {
    for (const l of f.added) {
      const k = `+${path}:${norm(l)}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    for (const l of f.removed) {
      const k = `-${path}:${norm(l)}`;
      m.set(k, (m.get(k) ?? 0) + 1);
    }
  }
  return m;
}

export function diffSimilarity(a: ChangeText["files"], b: ChangeText["files"]): number {
  return multisetDice(changedLines(a), changedLines(b));
}

export function fileSimilarity(a: Iterable<string>, b: Iterable<string>): number {
  const A = new Set(a);
  const B = new Set(b);
  if (!A.size && !B.size) return 1;
  let both = 0;
  for (const x of A) if (B.has(x)) both++;
  return both / (A.size + B.size - both);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function fuzzyScore(patch: ChangeText, commit: ChangeText): FuzzyScore {
  const subject = subjectTrigramDice(patch.subject, commit.subject);
  const body = bodySimilarity(patch.body, commit.body);
  const message = 0.6 * subject + 0.4 * body;
  const diff = diffSimilarity(patch.files, commit.files);
  const files = fileSimilarity(patch.files.keys(), commit.files.keys());
  const score = 0.35 * message + 0.55 * diff + 0.1 * files;
  return { score: round(score), message: round(message), subject: round(subject), body: round(body), diff: round(diff), files: round(files) };
}

/** Does a score make a match? `viaLink`: a Link: trailer named the thread (a lower bar, same diff floor). */
export function isFuzzyMatch(s: FuzzyScore, viaLink = false): boolean {
  return s.diff >= FUZZY_MIN_DIFF && s.score >= (viaLink ? LINK_THRESHOLD : FUZZY_THRESHOLD);
}
