// Text similarity between proposals: TF-IDF vectors of a proposal's title and cover text, compared
// by cosine. Pure.
//
// What a proposal's text is: its title three times (a title is short and says what the work is;
// repeating it weighs it like a paragraph) plus the author's prose of the cover letter, or of the
// first patch's commit message when there is no cover, or of a topic thread's first message.
// Quoted lines, trailers, diffstats, diffs, b4 footers and signatures are dropped: they are the
// same boilerplate in every posting and would make unrelated proposals look alike.
//
// Weights: sublinear tf (1 + ln tf) times smoothed idf, ln((1 + N) / (1 + df)) + 1, the vectors
// normalised to length 1, so the cosine is a dot product. Terms that occur in more than
// `maxDfShare` of the proposals (mmc, sdhci, host, patch on linux-mmc) say nothing about which two
// belong together and are dropped from the comparison.
//
// Vectors are kept as raw term counts (`TermCounts`, the top terms only) so idf can be computed
// again over the whole set on each run: a proposal's stored counts stay valid when others change.

import { startsDiff } from "../patch/diff";

export type TermCounts = Record<string, number>;

const STOP = new Set(
  (
    "the and for are but not you all any can had her was one our out day get has him his how man new now old see two way who boy did its let put say she too use " +
    "that with this from have they will would there their what about which when make like time just know take into year your good some could them than then look " +
    "only come over think also back after work first well even want because these give most been were said each where much does done here such being those " +
    "should since while still both same other more very many before through again between without under while within upon onto via per " +
    "patch patches series version cover letter thanks thank regards hi hello please changes change changed since v1 v2 v3 v4 v5 v6 " +
    "signed off reviewed acked tested reported suggested link closes fixes cc stable kernel org com net www https http lore " +
    "add adds added adding use uses used using remove removes removed removing fix fixed fixing update updated updates support supports " +
    "instead need needs needed currently current case cases already way also able allow allows make makes made set sets let lets"
  ).split(/\s+/),
);

/** Lines that are not the author's prose about the design. */
const SKIP_LINE = [
  /^\s*>/, // quoted
  /^\s*[A-Za-z][\w-]*-by:\s/i, // trailers
  /^\s*(?:link|closes|fixes|cc|message-id|change-id|base-commit|prerequisite-[\w-]+):/i,
  /^\s*\S+\s+\|\s+\d+/, // diffstat
  /^\s*\d+ files? changed/,
  /^\s*(?:create|delete) mode \d+/,
  /^-- ?$/, // signature separator (handled below)
];

/** The prose of a cover letter / commit message / topic mail: no quotes, trailers, diffstat, diff, signature. */
export function proseOf(body: string): string {
  const out: string[] = [];
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    if (startsDiff(line, { gitPaths: true })) break; // the diff
    if (/^-- ?$/.test(line)) break; // the signature
    if (SKIP_LINE.some((re) => re.test(line))) continue;
    out.push(line);
  }
  return out.join("\n");
}

/** Words of a text as similarity terms: lower case, identifiers kept whole, stop words and numbers dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z_][a-z0-9_]*/g)) {
    const w = m[0].replace(/^_+|_+$/g, "");
    if (w.length < 3 || w.length > 40) continue;
    if (STOP.has(w)) continue;
    if (/^[0-9a-f]{7,}$/.test(w) && /\d/.test(w)) continue; // commit ids
    out.push(w);
  }
  return out;
}

/** The term counts of a proposal: title (three times) + prose, at most `max` terms (the most frequent). */
export function termCounts(title: string, body: string, max = 60): TermCounts {
  const counts = new Map<string, number>();
  const add = (w: string, n: number) => counts.set(w, (counts.get(w) ?? 0) + n);
  for (const w of tokenize(title)) add(w, 3);
  for (const w of tokenize(proseOf(body))) add(w, 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max);
  return Object.fromEntries(top);
}

export interface TfIdfModel {
  /** documents the model was built from */
  n: number;
  df: Map<string, number>;
  /** terms in more than this many documents are ignored */
  maxDf: number;
}

export function buildModel(docs: Iterable<TermCounts>, maxDfShare = 0.05, minMaxDf = 3): TfIdfModel {
  const df = new Map<string, number>();
  let n = 0;
  for (const d of docs) {
    n++;
    for (const t of Object.keys(d)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return { n, df, maxDf: Math.max(minMaxDf, Math.floor(n * maxDfShare)) };
}

export function idf(model: TfIdfModel, term: string): number {
  const df = model.df.get(term) ?? 0;
  return Math.log((1 + model.n) / (1 + df)) + 1;
}

/** The unit-length TF-IDF vector of one document (common terms dropped). */
export function vectorize(model: TfIdfModel, doc: TermCounts): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [t, c] of Object.entries(doc)) {
    if ((model.df.get(t) ?? 0) > model.maxDf) continue;
    const w = (1 + Math.log(c)) * idf(model, t);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const o = big.get(t);
    if (o !== undefined) dot += w * o;
  }
  return dot;
}

/** The terms two vectors share, strongest first (evidence for a link). */
export function sharedTerms(a: Map<string, number>, b: Map<string, number>, max = 8): string[] {
  const out: [string, number][] = [];
  for (const [t, w] of a) {
    const o = b.get(t);
    if (o !== undefined) out.push([t, w * o]);
  }
  return out.sort((x, y) => y[1] - x[1]).slice(0, max).map((x) => x[0]);
}

/**
 * Every pair (query, candidate) with cosine >= threshold, through an inverted index over the
 * candidates (only documents sharing a term are ever compared).
 */
export function similarPairs(
  queries: { id: string; vector: Map<string, number> }[],
  candidates: { id: string; vector: Map<string, number> }[],
  threshold: number,
): { a: string; b: string; score: number }[] {
  const index = new Map<string, { id: string; w: number }[]>();
  for (const c of candidates) for (const [t, w] of c.vector) {
    let l = index.get(t);
    if (!l) index.set(t, (l = []));
    l.push({ id: c.id, w });
  }
  const out: { a: string; b: string; score: number }[] = [];
  for (const q of queries) {
    const acc = new Map<string, number>();
    for (const [t, w] of q.vector) for (const p of index.get(t) ?? []) if (p.id !== q.id) acc.set(p.id, (acc.get(p.id) ?? 0) + w * p.w);
    for (const [id, s] of acc) if (s >= threshold) out.push({ a: q.id, b: id, score: s });
  }
  return out;
}

/**
 * Identifiers a text names the way people name functions in mail: "shrink_folio_list()",
 * "rotate_batch()", or snake_case words with an underscore ("lru_lock"). Lower case, unique,
 * at most `max`. Quoted lines and the diff are left out (proseOf).
 */
export function mentionedIdentifiers(body: string, max = 80): string[] {
  const out = new Set<string>();
  const text = proseOf(body);
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]{2,63})\s?\(\)/g)) out.add(m[1].toLowerCase());
  for (const m of text.matchAll(/\b([a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9])\b/g)) out.add(m[1]);
  return [...out].slice(0, max);
}
