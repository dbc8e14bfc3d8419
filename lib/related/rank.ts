// Ranking for `related`: how close each stored patch is to the input diff, with the reasons,
// then patches gathered into series (one item per version line: its postings are versions of
// the same work) and proposals. Pure: the database layer (lib/views/related.ts) fetches the
// candidates and the review summaries, this decides.
//
// Weights (per distinct match): the same change (patch-id) 20, the same function 5, an input
// hunk whose lines overlap one of theirs 3, identifiers of the input's changed lines that their
// changed lines mention 1 (at most 3 per file), the same file 1. Then tie-breakers, together
// below one file's weight: recency (up to 0.4, halving every two years), a decision that the
// work was applied/merged/queued or an upstream commit (0.3), review activity (up to 0.2).

import { describeDefinition, functionFromHeading } from "../code/functions";
import { hunkLabel } from "./query";
import type { Links } from "../markdown/links";
import type {
  Candidate, CandidateSeries, QueryFile, RelatedItem, RelatedQuery, RelatedReason, ReviewSummary, ScoredPatch,
} from "./types";

export const WEIGHTS = { sameChange: 20, function: 5, lines: 3, mention: 1, maxMentions: 3, file: 1 } as const;
export const TIE = { recency: 0.4, recencyHalfLifeYears: 2, decided: 0.3, reviews: 0.2 } as const;

const overlaps = (a0: number, an: number, b0: number, bn: number) => an > 0 && bn > 0 && a0 < b0 + bn && b0 < a0 + an;

/** How one stored patch matches the query; null when it shares nothing. */
export function scorePatch(q: RelatedQuery, c: Candidate): ScoredPatch | null {
  const reasons: RelatedReason[] = [];
  let match = 0;
  if (q.patchId && c.patchId && q.patchId === c.patchId) {
    match += WEIGHTS.sameChange;
    reasons.push({ kind: "same-change", file: c.files[0]?.path ?? "", msgid: c.msgid, text: `the same change (git patch-id ${q.patchId.slice(0, 12)})` });
  }
  for (const cf of c.files) {
    const qf: QueryFile | undefined = q.files.find((f) => f.path === cf.path || f.oldPath === cf.path);
    if (!qf) continue;
    match += WEIGHTS.file;
    const fileReason: RelatedReason = { kind: "file", file: cf.path, msgid: c.msgid, text: `same file ${cf.path}` };
    // functions: their hunks' headings and the definitions their changed lines hold
    const theirs = new Set<string>();
    for (const h of cf.hunks) {
      const f = functionFromHeading(h.heading, cf.path);
      if (f) theirs.add(f);
      for (const d of h.defines) theirs.add(d);
    }
    const shared = qf.functions.filter((f) => theirs.has(f));
    const headings = [...qf.hunks, ...cf.hunks].map((h) => h.heading);
    for (const f of shared) {
      match += WEIGHTS.function;
      reasons.push({ kind: "function", file: cf.path, function: f, msgid: c.msgid, text: `same function ${describeDefinition(f, headings)} in ${cf.path}` });
    }
    // lines: each input hunk overlapping one of theirs (their old side, or their new side: the
    // file as it was after their change, which is what the input changes when it was applied)
    for (const qh of qf.hunks) {
      const ch = cf.hunks.find(
        (h) => overlaps(qh.oldStart, qh.oldLines, h.oldStart, h.oldLines) || overlaps(qh.oldStart, qh.oldLines, h.newStart, h.newLines),
      );
      if (!ch) continue;
      match += WEIGHTS.lines;
      const yours = hunkLabel(qh);
      const them = hunkLabel(ch);
      reasons.push({
        kind: "lines", file: cf.path, yours, theirs: them, msgid: c.msgid,
        text: `overlapping lines in ${cf.path}: your hunk ${yours}, theirs ${them}`,
      });
    }
    // identifiers the input's changed lines use that their changed lines mention
    const wanted = new Set([...qf.functions, ...qf.called]);
    const mentioned = new Set<string>();
    for (const h of cf.hunks) for (const m of h.mentions) if (wanted.has(m) && !shared.includes(m)) mentioned.add(m);
    if (mentioned.size) {
      const ids = [...mentioned].sort();
      match += WEIGHTS.mention * Math.min(WEIGHTS.maxMentions, ids.length);
      const shown = ids.slice(0, 5).map((id) => describeDefinition(id)).join(", ") + (ids.length > 5 ? `, … (${ids.length})` : "");
      reasons.push({ kind: "mentions", file: cf.path, identifiers: ids, msgid: c.msgid, text: `changes lines using ${shown} in ${cf.path}` });
    }
    reasons.push(fileReason);
  }
  if (match <= 0) return null;
  return { candidate: c, match, reasons: sortReasons(reasons) };
}

const REASON_ORDER: Record<RelatedReason["kind"], number> = { "same-change": 0, function: 1, lines: 2, mentions: 3, file: 4 };
function sortReasons(r: RelatedReason[]): RelatedReason[] {
  return [...r].sort((a, b) => REASON_ORDER[a.kind] - REASON_ORDER[b.kind]);
}

/** The reasons of several patches, one per distinct text, strongest kinds first. */
export function mergeReasons(rs: RelatedReason[][]): RelatedReason[] {
  const seen = new Set<string>();
  const out: RelatedReason[] = [];
  for (const r of sortReasons(rs.flat())) {
    if (seen.has(r.text)) continue;
    seen.add(r.text);
    out.push(r);
  }
  return out;
}

/** A group before review summaries: a version line (or a lone posting), or a patch outside any series. */
export interface ItemDraft {
  kind: "series" | "patch";
  /** "line:<id>", "series:<id>" or "patch:<message id>" */
  groupKey: string;
  match: number;
  patches: ScoredPatch[];
  /** series: the postings that matched, newest version last */
  postings: CandidateSeries[];
}

/** Patches into items: one per version line (or posting without one), one per patch outside any series. */
export function groupPatches(scored: ScoredPatch[]): ItemDraft[] {
  const groups = new Map<string, ItemDraft>();
  const postingPatches = new Map<number, ScoredPatch[]>();
  for (const sp of scored) {
    const own = sp.candidate.series;
    if (!own.length) {
      groups.set(`patch:${sp.candidate.messageId}`, { kind: "patch", groupKey: `patch:${sp.candidate.messageId}`, match: sp.match, patches: [sp], postings: [] });
      continue;
    }
    for (const s of own) {
      const key = s.versionLine !== null ? `line:${s.versionLine}` : `series:${s.id}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { kind: "series", groupKey: key, match: 0, patches: [], postings: [] }));
      if (!g.postings.some((p) => p.id === s.id)) g.postings.push(s);
      if (!g.patches.includes(sp)) g.patches.push(sp);
      const list = postingPatches.get(s.id) ?? [];
      list.push(sp);
      postingPatches.set(s.id, list);
    }
  }
  for (const g of groups.values()) {
    if (g.kind !== "series") continue;
    // a posting scores its best patch, plus a quarter of its other matching patches (at most as much again)
    for (const s of g.postings) {
      const ms = (postingPatches.get(s.id) ?? []).map((p) => p.match).sort((a, b) => b - a);
      const best = ms[0] ?? 0;
      const rest = ms.slice(1).reduce((a, b) => a + b, 0);
      g.match = Math.max(g.match, best + Math.min(best, rest / 4));
    }
    g.postings.sort((a, b) => a.version - b.version || Number(b.isRfc) - Number(a.isRfc) || (a.date ?? "").localeCompare(b.date ?? ""));
    g.patches.sort((a, b) => b.match - a.match || (b.candidate.date ?? "").localeCompare(a.candidate.date ?? ""));
  }
  return [...groups.values()].sort((a, b) => b.match - a.match);
}

export function recencyBonus(date: string | null, now: Date): number {
  if (!date) return 0;
  const t = Date.parse(date);
  if (Number.isNaN(t)) return 0;
  const years = Math.max(0, (now.getTime() - t) / (365.25 * 86_400_000));
  return TIE.recency * Math.pow(0.5, years / TIE.recencyHalfLifeYears);
}

/** The `n` drafts with the best match plus recency (the tie-breaker known without the database). */
export function shortlistDrafts(drafts: ItemDraft[], n: number, now: Date): ItemDraft[] {
  const latestDate = (d: ItemDraft) => (d.kind === "series" ? latest(d.postings).date : d.patches[0].candidate.date);
  return drafts
    .map((d) => ({ d, s: d.match + recencyBonus(latestDate(d), now) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, n)
    .map((x) => x.d);
}

export function emptyReviewSummary(): ReviewSummary {
  return {
    reviews: 0, discussions: 0, comments: 0, openDiscussions: 0, verdicts: { nak: 0, ack: 0, review: 0, test: 0 },
    naks: [], trailers: [], decisions: [], commits: [],
  };
}

const DECIDED = new Set(["applied", "merged", "queued"]);

export function tieBreak(date: string | null, reviews: ReviewSummary | null, now: Date): number {
  let t = recencyBonus(date, now);
  if (reviews) {
    if (reviews.commits.length || reviews.decisions.some((d) => DECIDED.has(d.kind))) t += TIE.decided;
    const activity = reviews.reviews + reviews.discussions + reviews.trailers.reduce((n, x) => n + x.people.length, 0);
    t += TIE.reviews * (1 - Math.pow(0.5, activity / 3));
  }
  return t;
}

export interface ProposalInfo {
  id: number;
  key: string;
  title: string;
  status: string;
  firstDate: string | null;
  lastDate: string | null;
  /** series ids it holds */
  seriesIds: number[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The latest posting of a group (highest version; the newest on a tie). */
function latest(postings: CandidateSeries[]): CandidateSeries {
  return postings[postings.length - 1];
}

/**
 * Drafts, their review summaries (by groupKey; absent: unknown) and the proposals holding their
 * series -> ranked items, best first, at most `limit` (proposals come with the series they hold).
 */
export function finalizeItems(
  drafts: ItemDraft[],
  reviews: Map<string, ReviewSummary>,
  proposals: ProposalInfo[],
  links: Links,
  opts: { now: Date; limit: number },
): RelatedItem[] {
  const items: RelatedItem[] = [];
  const bySeriesId = new Map<number, RelatedItem>();
  for (const d of drafts) {
    const r = reviews.get(d.groupKey) ?? null;
    if (d.kind === "patch") {
      const c = d.patches[0].candidate;
      items.push({
        kind: "patch", msgid: c.msgid, title: c.subject || c.title, date: c.date, author: c.author, list: c.list,
        score: round2(d.match + tieBreak(c.date, r, opts.now)),
        reasons: d.patches[0].reasons, reviews: r,
        urls: {
          page: links.message(c.list, c.msgid),
          ...(c.patchKind === "inline" ? {} : { review: links.review(c.list, c.msgid) }),
          api: links.api(`${encodeURIComponent(c.list)}/${encodeURIComponent(c.msgid)}/patch`),
        },
      });
      continue;
    }
    const top = latest(d.postings);
    const item: RelatedItem = {
      kind: "series", key: top.key, title: top.title, date: top.date, author: top.author, list: top.list,
      score: round2(d.match + tieBreak(top.date, r, opts.now)),
      reasons: mergeReasons(d.patches.map((p) => p.reasons)),
      reviews: r,
      urls: { page: links.series(top.key), review: links.seriesReview(top.key), api: links.api(`series/${encodeURIComponent(top.key)}/`) },
      patches: d.patches.map((p) => ({ msgid: p.candidate.msgid, title: p.candidate.subject || p.candidate.title, score: round2(p.match), reasons: p.reasons })),
      versions: d.postings.map((s) => ({ key: s.key, version: s.version, isRfc: s.isRfc, date: s.date, url: links.series(s.key) })),
    };
    items.push(item);
    for (const s of d.postings) bySeriesId.set(s.id, item);
  }
  for (const p of proposals) {
    const held = [...new Set(p.seriesIds.map((id) => bySeriesId.get(id)).filter((x): x is RelatedItem => !!x))];
    if (!held.length) continue;
    const best = held.reduce((a, b) => (b.score > a.score ? b : a));
    items.push({
      kind: "proposal", id: p.id, key: p.key, title: p.title, status: p.status, date: p.lastDate, author: null, list: best.list,
      // just below the best series it holds, so it follows it in the list
      score: round2(best.score * 0.95),
      reasons: [{ kind: best.reasons[0]?.kind ?? "file", file: best.reasons[0]?.file ?? "", msgid: best.reasons[0]?.msgid ?? "", text: `holds ${held.map((h) => `“${h.title}”`).join(", ")}` }],
      reviews: null,
      urls: { page: links.proposal(p.id) },
      members: held.map((h) => h.key ?? h.msgid ?? ""),
    });
  }
  const kindOrder = { series: 0, patch: 1, proposal: 2 };
  items.sort((a, b) => b.score - a.score || kindOrder[a.kind] - kindOrder[b.kind] || (b.date ?? "").localeCompare(a.date ?? ""));
  return items.slice(0, opts.limit);
}
