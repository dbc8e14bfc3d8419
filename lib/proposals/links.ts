// Links between proposals from what they share without naming each other: the same functions
// changed, and alike titles and cover letters. Never a merge (group.ts decides membership). Pure.
//
// Shared code. Each function ("path::name") weighs its idf over the proposals, ln((1+N)/(1+df))+1,
// so a function every other series touches (sdhci_set_ios on linux-mmc) says little and one that
// only two proposals touch says a lot; functions in more than `maxDfShare` of the proposals are
// left out. overlap = weight of the shared functions / weight of the smaller proposal's functions.
// A link needs at least `minShared` shared functions and overlap >= `minOverlap`, or a single
// shared function that no third proposal touches and that is at least half of the smaller side.
//
// A topic thread has no diff, but it names functions ("shrink_folio_list()"): when it names at
// least `minMentions` functions another proposal changed, and no more than `maxMentionDf`
// proposals changed a function of that name, that is shared code too.
//
// Text. TF-IDF cosine of title + cover text (text.ts). A link needs cosine >= `minCosine`.
// Measured on linux-mmc (2,568 proposals): between 0.3 and 0.4 most pairs share only a platform
// or driver name ("rockchip rk3399", "renesas sdhi": 685 of 1,523 links at 0.3); from 0.4 they
// share the API or the problem (two drivers moved to devm_platform_ioremap_resource, biu_clk
// enable/disable), so 0.4. Shared code at overlap 0.3-0.5 was mostly core functions touched by
// unrelated changes, so 0.5.
//
// Kind, from the dates: the later proposal is the `successor` when it started after the earlier
// one's last message and they change the same code or share an author (text alone is not a
// continuation); overlapping in time, an `alternative` when they change the same functions and
// share no author (two designs for one problem), else `related`.
//
// No cap on links per proposal by default (`maxPerProposal`): a cap depends on every other link of
// both ends, so an incremental run could not reproduce what a full run keeps. The thresholds are
// selective enough: on linux-mmc the most linked proposal has 30 similarity links, 99% have <= 16.

import { buildModel, sharedTerms, similarPairs, vectorize, type TfIdfModel } from "./text";
import type { LinkDraft, LinkKind, ProposalVector } from "./types";

export interface SimilarityOptions {
  minShared: number;
  minOverlap: number;
  minMentions: number;
  maxMentionDf: number;
  minCosine: number;
  maxDfShare: number;
  maxPerProposal: number;
}

export const SIMILARITY_DEFAULTS: SimilarityOptions = { minShared: 2, minOverlap: 0.5, minMentions: 2, maxMentionDf: 3, minCosine: 0.4, maxDfShare: 0.02, maxPerProposal: Infinity };

const time = (d: string | null) => (d ? Date.parse(d) : NaN);
const round = (x: number) => Math.round(x * 1000) / 1000;

interface Scored {
  a: string;
  b: string;
  code: { shared: string[]; overlap: number; mentions?: boolean } | null;
  text: { cosine: number; terms: string[] } | null;
}

function kindOf(a: ProposalVector, b: ProposalVector, sameCode: boolean): { from: string; to: string; kind: LinkKind } {
  const [early, late] = !(time(b.firstDate) < time(a.firstDate)) ? [a, b] : [b, a];
  const shareAuthor = early.authors.some((x) => late.authors.includes(x));
  if (time(late.firstDate) > time(early.lastDate)) return { from: early.key, to: late.key, kind: sameCode || shareAuthor ? "successor" : "related" };
  return { from: early.key, to: late.key, kind: sameCode && !shareAuthor ? "alternative" : "related" };
}

/** Function weights over every proposal given. */
export function codeModel(all: ProposalVector[], maxDfShare: number): TfIdfModel {
  return buildModel(all.map((p) => Object.fromEntries(p.functions.map((f) => [f, 1]))), maxDfShare, 3);
}

/**
 * Similarity links between `scope` (the proposals this run re-derived) and `all` (every proposal,
 * scope included; the statistics come from it). Pairs inside `exclude` (already linked by explicit
 * evidence, "a\nb" either order) are left out.
 */
export function similarityLinks(scope: ProposalVector[], all: ProposalVector[], opts: Partial<SimilarityOptions> = {}): LinkDraft[] {
  const o = { ...SIMILARITY_DEFAULTS, ...opts };
  const byKey = new Map(all.map((p) => [p.key, p]));
  for (const p of scope) byKey.set(p.key, p);
  const everything = [...byKey.values()];
  const pairs = new Map<string, Scored>();
  const pairOf = (a: string, b: string) => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const id = `${x}\n${y}`;
    let s = pairs.get(id);
    if (!s) pairs.set(id, (s = { a: x, b: y, code: null, text: null }));
    return s;
  };

  // shared code
  const cm = codeModel(everything, o.maxDfShare);
  const weight = (f: string) => Math.log((1 + cm.n) / (1 + (cm.df.get(f) ?? 0))) + 1;
  const usable = (f: string) => (cm.df.get(f) ?? 0) <= cm.maxDf;
  const index = new Map<string, string[]>();
  for (const p of everything) for (const f of p.functions) if (usable(f)) {
    let l = index.get(f);
    if (!l) index.set(f, (l = []));
    l.push(p.key);
  }
  const total = (p: ProposalVector) => p.functions.filter(usable).reduce((t, f) => t + weight(f), 0);
  for (const p of scope) {
    const shared = new Map<string, string[]>();
    for (const f of p.functions) if (usable(f)) for (const k of index.get(f) ?? []) if (k !== p.key) shared.set(k, [...(shared.get(k) ?? []), f]);
    const tp = total(p);
    for (const [k, fs] of shared) {
      const q = byKey.get(k)!;
      const w = fs.reduce((t, f) => t + weight(f), 0);
      const overlap = w / Math.max(1e-9, Math.min(tp, total(q)));
      const rareSingle = fs.length === 1 && (cm.df.get(fs[0]) ?? 0) <= 2 && overlap >= 0.5;
      if ((fs.length >= o.minShared && overlap >= o.minOverlap) || rareSingle) {
        pairOf(p.key, k).code = { shared: fs.sort((a, b) => weight(b) - weight(a)).slice(0, 12), overlap: Math.min(1, overlap) };
      }
    }
  }

  // topic threads naming functions others changed
  const byName = new Map<string, Set<string>>();
  for (const p of everything) for (const f of p.functions) {
    const name = f.slice(f.lastIndexOf("::") + 2).toLowerCase();
    let s = byName.get(name);
    if (!s) byName.set(name, (s = new Set()));
    s.add(p.key);
  }
  const scopeKeys = new Set(scope.map((p) => p.key));
  for (const p of everything) {
    if (!p.mentions?.length) continue;
    const hits = new Map<string, string[]>();
    for (const m of p.mentions) {
      const owners = byName.get(m);
      if (!owners || owners.size > o.maxMentionDf) continue;
      for (const k of owners) if (k !== p.key && (scopeKeys.has(p.key) || scopeKeys.has(k))) hits.set(k, [...(hits.get(k) ?? []), m]);
    }
    for (const [k, names] of hits) {
      if (names.length < o.minMentions) continue;
      const s = pairOf(p.key, k);
      // named, not changed: weaker than changing them (0.6 for two names, up to 0.8)
      const overlap = Math.min(0.8, 0.4 + 0.1 * names.length);
      if (!s.code) s.code = { shared: names.slice(0, 12), overlap, mentions: true };
    }
  }

  // text
  const tm = buildModel(everything.map((p) => p.terms), 0.05, 3);
  const vec = new Map<string, Map<string, number>>();
  const vectorOf = (p: ProposalVector) => {
    let v = vec.get(p.key);
    if (!v) vec.set(p.key, (v = vectorize(tm, p.terms)));
    return v;
  };
  for (const hit of similarPairs(scope.map((p) => ({ id: p.key, vector: vectorOf(p) })), everything.map((p) => ({ id: p.key, vector: vectorOf(p) })), o.minCosine)) {
    pairOf(hit.a, hit.b).text = { cosine: hit.score, terms: sharedTerms(vectorOf(byKey.get(hit.a)!), vectorOf(byKey.get(hit.b)!)) };
  }

  // to links, strongest per proposal first
  const scored: LinkDraft[] = [];
  for (const s of pairs.values()) {
    const a = byKey.get(s.a)!;
    const b = byKey.get(s.b)!;
    const { from, to, kind } = kindOf(a, b, !!s.code);
    const codeConf = s.code ? (s.code.mentions ? s.code.overlap : Math.min(0.9, 0.4 + 0.5 * s.code.overlap)) : 0;
    const textConf = s.text ? Math.min(0.85, 0.2 + s.text.cosine * 0.8) : 0;
    // both kinds of evidence together are worth more than either
    const confidence = s.code && s.text ? Math.min(0.95, Math.max(codeConf, textConf) + 0.1) : Math.max(codeConf, textConf);
    scored.push({
      from, to, kind,
      method: codeConf >= textConf ? "shared-code" : "text-similarity",
      confidence: round(confidence),
      evidence: {
        ...(s.code ? { functions: s.code.shared, overlap: round(s.code.overlap), ...(s.code.mentions ? { mentioned: true } : {}) } : {}),
        ...(s.text ? { cosine: round(s.text.cosine), terms: s.text.terms } : {}),
      },
    });
  }
  scored.sort((x, y) => y.confidence - x.confidence || (x.from + x.to < y.from + y.to ? -1 : 1));
  const count = new Map<string, number>();
  const out: LinkDraft[] = [];
  for (const l of scored) {
    if ((count.get(l.from) ?? 0) >= o.maxPerProposal || (count.get(l.to) ?? 0) >= o.maxPerProposal) continue;
    count.set(l.from, (count.get(l.from) ?? 0) + 1);
    count.set(l.to, (count.get(l.to) ?? 0) + 1);
    out.push(l);
  }
  return out;
}
