// The search request in lore's URL parameters, shared by the page (/search) and the API
// (/api/search): q the query, o the offset, l the page size (up to 200), r=1 relevance order,
// t=1 one result per thread, x=A Atom, x=m mbox.gz of the results, x=t mbox.gz of their threads.

export const SEARCH_DEFAULT_LIMIT = 50;
export const SEARCH_MAX_LIMIT = 200;

export type SearchOutput = "A" | "m" | "t";

export interface SearchRequest {
  q: string;
  offset: number;
  limit: number;
  relevance: boolean;
  threads: boolean;
  /** another output than the page/JSON: Atom, mbox.gz of the results, mbox.gz of their threads */
  x: SearchOutput | null;
}

const truthy = (v: string | null) => v !== null && /^(?:1|true|yes|on)$/i.test(v.trim());

function int(v: string | null, lo: number, hi: number, dflt: number): number {
  if (v === null || v.trim() === "") return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) return dflt;
  return Math.min(hi, Math.max(lo, Math.floor(n)));
}

/** From URL parameters (a getter, so both URLSearchParams and Next's searchParams work). */
export function searchRequestFrom(get: (name: string) => string | null | undefined): SearchRequest {
  const g = (n: string) => {
    const v = get(n);
    return v === undefined ? null : v;
  };
  const x = g("x");
  return {
    q: g("q") ?? "",
    offset: int(g("o"), 0, 1_000_000, 0),
    limit: int(g("l"), 1, SEARCH_MAX_LIMIT, SEARCH_DEFAULT_LIMIT),
    relevance: truthy(g("r")),
    threads: truthy(g("t")),
    x: x === "A" || x === "m" || x === "t" ? x : null,
  };
}

/** The query string of a request (defaults left out), e.g. "q=s%3Afoo&o=50&r=1". */
export function searchQueryString(r: Partial<SearchRequest> & { q: string }): string {
  const p = new URLSearchParams();
  p.set("q", r.q);
  if (r.offset) p.set("o", String(r.offset));
  if (r.limit && r.limit !== SEARCH_DEFAULT_LIMIT) p.set("l", String(r.limit));
  if (r.relevance) p.set("r", "1");
  if (r.threads) p.set("t", "1");
  if (r.x) p.set("x", r.x);
  return p.toString();
}
