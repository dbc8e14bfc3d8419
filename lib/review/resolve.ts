// Is a review discussion resolved? Pure heuristics over the next version's diff and the patch
// author's answers, each with a confidence:
//
//  * the code changed: the next version's diff of the same file no longer has the anchored line
//    (same marker, same text with whitespace collapsed), or the run of changed lines around it
//    changed, or the file is no longer in the patch;
//  * the author says so: "done", "fixed in v3", "will fix", "good point, will do", … (a reply by
//    the patch's author; answers that disagree — "no", "I'd rather keep it", "won't" — do not
//    count);
//  * otherwise the discussion is carried to the next version the way Gerrit ports comments: the
//    same line is looked up in the next version's diff (same text, the most similar neighbours,
//    the nearest line number) and the anchor moves there; null when it is gone.

import type { DiffLine, FileDiff, ParsedDiff } from "../patch/diff";
import type { Anchor, DiffAnchor, MessageAnchor } from "./anchor";
import { collapseSpace } from "./norm";

/** whitespace collapsed to one space, trimmed */
const norm = collapseSpace;

export type PortReason =
  /** the next version no longer touches the file */
  | "file-dropped"
  /** the anchored line is not in the next version's diff of the file */
  | "line-gone"
  /** the line is there, the changed lines around it are not the same */
  | "context-changed"
  /** the line and the lines around it are the same */
  | "unchanged";

export interface PortResult {
  /** the anchor in the next version; null when the line is gone */
  anchor: DiffAnchor | null;
  /** the anchored lines changed in the next version */
  changed: boolean;
  reason: PortReason;
  /** how sure the port (or the verdict "changed") is, 0..1 */
  confidence: number;
}

function findFile(next: ParsedDiff, prev: FileDiff | undefined, path: string): { file: FileDiff; index: number } | null {
  for (let i = 0; i < next.files.length; i++) {
    const f = next.files[i];
    if (f.path === path) return { file: f, index: i };
  }
  if (prev) {
    for (let i = 0; i < next.files.length; i++) {
      const f = next.files[i];
      if ((prev.newPath && f.newPath === prev.newPath) || (prev.oldPath && f.oldPath === prev.oldPath)) return { file: f, index: i };
    }
  }
  return null;
}

const key = (l: DiffLine) => `${l.kind}${norm(l.text)}`;

// the keys of a hunk's lines, made once per hunk (a next version's diff is searched for every
// discussion of the version before it)
const keysCache = new WeakMap<DiffLine[], string[]>();
function keysOf(lines: DiffLine[]): string[] {
  let ks = keysCache.get(lines);
  if (!ks) keysCache.set(lines, (ks = lines.map(key)));
  return ks;
}

/** the run of "+"/"-" lines holding index i (just i for a context line) */
function changeRun(lines: DiffLine[], i: number): [number, number] {
  const k = lines[i]?.kind;
  if (k !== "+" && k !== "-") return [i, i];
  let a = i;
  let b = i;
  while (a > 0 && (lines[a - 1].kind === "+" || lines[a - 1].kind === "-")) a--;
  while (b + 1 < lines.length && (lines[b + 1].kind === "+" || lines[b + 1].kind === "-")) b++;
  return [a, b];
}

function neighbours(lines: DiffLine[], i: number, n: number): string[] {
  const ks = keysOf(lines);
  const out: string[] = [];
  for (let d = -n; d <= n; d++) if (d !== 0) out.push(lines[i + d] ? ks[i + d] : "");
  return out;
}

/**
 * The anchored line in the next version's diff (Gerrit-style comment porting). `prev` is the diff
 * the anchor was made on (for the lines around it).
 */
export function portAnchor(anchor: DiffAnchor, prev: ParsedDiff, next: ParsedDiff): PortResult {
  const pf = prev.files[anchor.fileIndex];
  const found = findFile(next, pf, anchor.file);
  if (!found) return { anchor: null, changed: true, reason: "file-dropped", confidence: 0.8 };
  const { file: nf, index: nfi } = found;
  const ph = pf?.hunks[anchor.hunkIndex];
  // anchored on a file or hunk header: the hunk of the next version covering the same old lines
  if (!ph || anchor.lineIndexInHunk < 0) {
    if (!ph) return { anchor: { ...anchor, fileIndex: nfi, file: nf.path }, changed: false, reason: "unchanged", confidence: 0.6 };
    let bestH = -1;
    let bestD = Infinity;
    nf.hunks.forEach((h, hi) => {
      const d = Math.abs(h.oldStart - ph.oldStart) + (h.heading === ph.heading ? 0 : 1000);
      if (d < bestD) {
        bestD = d;
        bestH = hi;
      }
    });
    if (bestH < 0) return { anchor: null, changed: true, reason: "line-gone", confidence: 0.7 };
    const nh = nf.hunks[bestH];
    const nks = keysOf(nh.lines);
    const pks = keysOf(ph.lines);
    const same = nh.lines.length === ph.lines.length && nks.every((k, i) => k === pks[i]);
    return {
      anchor: { ...anchor, file: nf.path, fileIndex: nfi, hunkIndex: bestH, oldLine: nh.oldStart, newLine: nh.newStart, heading: nh.heading, patchText: nh.header, patchLine: nh.startLine, method: same ? "exact" : "fuzzy", confidence: same ? 1 : 0.6 },
      changed: !same,
      reason: same ? "unchanged" : "context-changed",
      confidence: same ? 0.9 : 0.6,
    };
  }
  const pl = ph.lines[anchor.lineIndexInHunk];
  const want = keysOf(ph.lines)[anchor.lineIndexInHunk];
  const ctx = neighbours(ph.lines, anchor.lineIndexInHunk, 3);
  const [ra, rb] = changeRun(ph.lines, anchor.lineIndexInHunk);
  const prevRun = keysOf(ph.lines).slice(ra, rb + 1).join("\n");
  const ref = anchor.side === "old" ? (pl.oldLine ?? 0) : (pl.newLine ?? pl.oldLine ?? 0);
  let best: { hi: number; li: number; score: number; dist: number } | null = null;
  nf.hunks.forEach((h, hi) => {
    const ks = keysOf(h.lines);
    h.lines.forEach((l, li) => {
      if (ks[li] !== want) return;
      const nb = neighbours(h.lines, li, 3);
      const score = nb.filter((x, k) => x !== "" && x === ctx[k]).length / Math.max(1, ctx.filter((x) => x !== "").length);
      const at = anchor.side === "old" ? (l.oldLine ?? 0) : (l.newLine ?? l.oldLine ?? 0);
      const dist = Math.abs(at - ref);
      if (!best || score > best.score || (score === best.score && dist < best.dist)) best = { hi, li, score, dist };
    });
  });
  if (!best) return { anchor: null, changed: true, reason: "line-gone", confidence: 0.85 };
  const b = best as { hi: number; li: number; score: number; dist: number };
  const nh = nf.hunks[b.hi];
  const nl = nh.lines[b.li];
  const [na, nb] = changeRun(nh.lines, b.li);
  const nextRun = keysOf(nh.lines).slice(na, nb + 1).join("\n");
  const changed = nextRun !== prevRun;
  let from = b.li;
  if (nl.kind === "+" || nl.kind === "-") while (from > 0 && (nh.lines[from - 1].kind === "+" || nh.lines[from - 1].kind === "-")) from--;
  const confidence = Math.round((0.5 + 0.5 * b.score) * 100) / 100;
  return {
    anchor: {
      ...anchor,
      file: nf.path,
      fileIndex: nfi,
      hunkIndex: b.hi,
      lineIndexInHunk: b.li,
      oldLine: nl.oldLine,
      newLine: nl.newLine,
      heading: nh.heading,
      patchText: nl.kind === "\\" ? `\\ ${nl.text}` : nl.kind + nl.text,
      patchLine: nl.line,
      block: { from, to: b.li },
      method: b.score === 1 ? "exact" : "fuzzy",
      confidence,
    },
    changed,
    reason: changed ? "context-changed" : "unchanged",
    confidence: changed ? 0.7 : confidence,
  };
}

/** The commit-message line of a message anchor in the next version's body; null when it changed. */
export function portMessageAnchor(anchor: MessageAnchor, nextBody: string): MessageAnchor | null {
  const want = norm(anchor.patchText);
  if (!want) return null;
  const lines = nextBody.replace(/\r\n?/g, "\n").split("\n");
  let best = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("diff --git ") || lines[i] === "---") break;
    if (norm(lines[i]) === want && (best < 0 || Math.abs(i - anchor.line) < Math.abs(best - anchor.line))) best = i;
  }
  return best < 0 ? null : { ...anchor, line: best, patchText: lines[best] };
}

// ---------------------------------------------------------------------------------------------
// the author's answer

export type AnswerKind = "done" | "will-fix" | "agree" | "disagree";

export interface AnswerSignal {
  kind: AnswerKind | null;
  confidence: number;
  /** the sentence that says it */
  evidence: string | null;
}

const VERBS = "fix|fixed|do|change|changed|update|updated|drop|dropped|remove|removed|address|addressed|rework|reworked|rename|renamed|move|moved|add|added|use|switch|correct|corrected|squash|fold|split|take care|incorporate|respin|clean|cleaned|rewrite|rewrote|document|simplify|adjust|handle";
const DONE = [
  /\b(?:fixed|done|addressed|changed|updated|removed|dropped|reworked|rewritten|renamed|moved|squashed|folded|corrected|handled|taken care of|incorporated)\b[^.?!]{0,60}\b(?:in|for|with|by)\s+(?:v\d+|the (?:next|new|latest|updated) (?:version|revision|iteration|spin|series|posting)|next (?:version|revision|iteration|spin)|my (?:tree|branch)|the (?:next|new) one)\b/i,
  /\bv\d+\s+(?:has|does|fixes|addresses|drops|removes)\b/i,
  /^(?:done|fixed|addressed|changed|updated|removed|dropped)\b[.!,]?(?:\s+thanks?\b.*)?$/i,
  /\b(?:I(?:'ve| have)|we(?:'ve| have))\s+(?:now\s+)?(?:fixed|changed|updated|removed|dropped|addressed|reworked|renamed|moved|squashed|folded)\b/i,
];
const WILL = new RegExp(`\\b(?:(?:I|we)(?:'ll|\\s+will|\\s+am going to|\\s+can)|will|let me|going to|gonna|I'd)\\s+(?:\\w+\\s+){0,2}?(?:${VERBS})\\b|\\bwill do\\b|\\bwill fix\\b|\\bwill be (?:fixed|changed|removed|addressed|updated|dropped)\\b`, "i");
const AGREE = /^(?:good (?:point|catch|idea|suggestion|find)|you(?:'re| are) (?:right|correct)|agreed|makes sense|indeed|true|correct|ack(?:ed)?|sure|ok(?:ay)?|right|yes|yep|oops|thanks?,? (?:will|I'll))\b/i;
const DISAGREE = /\b(?:won't|will not|wouldn't|don't think|do not think|disagree|not sure|I'd rather (?:not|keep)|prefer (?:to keep|not to)|intentional(?:ly)?|on purpose|deliberate(?:ly)?|not needed|unnecessary|no need)\b|^no\b[,.!]?/i;
const QUESTION = /\?\s*$/;

function sentences(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .flatMap((p) => p.replace(/\s*\n\s*/g, " ").split(/(?<=[.!?])\s+(?=[A-Z"'(])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What the patch author's answer to a review comment says: done, will fix, agreed, or disagree. */
export function authorAnswer(text: string): AnswerSignal {
  let best: AnswerSignal = { kind: null, confidence: 0, evidence: null };
  const offer = (kind: AnswerKind, confidence: number, evidence: string) => {
    if (confidence > best.confidence) best = { kind, confidence, evidence };
  };
  for (const s of sentences(text)) {
    const neg = DISAGREE.test(s);
    const q = QUESTION.test(s);
    if (DONE.some((re) => re.test(s)) && !neg) offer("done", q ? 0.5 : 0.9, s);
    else if (WILL.test(s) && !neg) offer("will-fix", q ? 0.4 : 0.75, s);
    else if (AGREE.test(s) && !neg && !q) offer("agree", 0.55, s);
    else if (neg && !q && !best.kind) offer("disagree", 0.6, s);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// a discussion

export interface DiscussionInput {
  /** where the discussion sits (the review comment's anchor) */
  anchor: Anchor | null;
  /** the answers after the review comment, in order; byPatchAuthor: written by the patch's author */
  replies: { text: string; byPatchAuthor: boolean }[];
  /** the diff the anchor was made on (needed to port a diff anchor) */
  diff?: ParsedDiff | null;
  /** the next version's diff of the patch, when there is a next version */
  nextDiff?: ParsedDiff | null;
  /** the next version's body (to port a commit-message anchor) */
  nextBody?: string | null;
}

export type ResolvedHow = "code-changed" | "author-done" | "author-will-fix" | "author-agreed";

export interface Resolution {
  resolved: boolean;
  how: ResolvedHow | null;
  confidence: number;
  evidence: string | null;
  /** the anchor in the next version: where an open discussion is carried (null when there is no next version or the line is gone) */
  carried: Anchor | null;
  port: PortResult | null;
}

/** Resolved by the next version's code, by the author's word, or open and carried forward. */
export function resolveDiscussion(input: DiscussionInput): Resolution {
  let port: PortResult | null = null;
  let carried: Anchor | null = null;
  let codeChanged = false;
  let codeConfidence = 0;
  let codeEvidence: string | null = null;
  const a = input.anchor;
  if (a && a.part === "diff" && input.diff && input.nextDiff) {
    port = portAnchor(a, input.diff, input.nextDiff);
    carried = port.anchor;
    if (port.changed) {
      codeChanged = true;
      codeConfidence = port.confidence;
      codeEvidence = port.reason === "file-dropped" ? `the next version no longer changes ${a.file}` : port.reason === "line-gone" ? `the next version no longer has ${JSON.stringify(a.patchText)}` : `the next version changes the lines around ${JSON.stringify(a.patchText)}`;
    }
  } else if (a && a.part === "message" && input.nextBody != null) {
    const m = portMessageAnchor(a, input.nextBody);
    carried = m;
    if (!m) {
      codeChanged = true;
      codeConfidence = 0.7;
      codeEvidence = `the next version's commit message no longer has ${JSON.stringify(a.patchText)}`;
    }
  }
  // the author's answers: the last clear one decides (a later "no, actually…" overrides)
  let said: AnswerSignal = { kind: null, confidence: 0, evidence: null };
  for (const r of input.replies) {
    if (!r.byPatchAuthor) continue;
    const s = authorAnswer(r.text);
    if (s.kind) said = s;
  }
  const hasNext = !!(input.nextDiff || input.nextBody != null);
  const byWord: Record<AnswerKind, ResolvedHow | null> = { done: "author-done", "will-fix": "author-will-fix", agree: "author-agreed", disagree: null };
  if (codeChanged) {
    // the author's word on top of the code change raises the confidence
    const boost = said.kind && said.kind !== "disagree" ? 0.1 : 0;
    return { resolved: true, how: "code-changed", confidence: Math.min(1, codeConfidence + boost), evidence: codeEvidence, carried, port };
  }
  const how = said.kind ? byWord[said.kind] : null;
  if (how) {
    // a promise the next version does not keep (the line is there, unchanged) counts for less
    const kept = hasNext && port && !port.changed ? 0.6 : 1;
    return { resolved: true, how, confidence: Math.round(said.confidence * kept * 100) / 100, evidence: said.evidence, carried, port };
  }
  return { resolved: false, how: null, confidence: said.kind === "disagree" ? said.confidence : 0.5, evidence: said.evidence, carried, port };
}
