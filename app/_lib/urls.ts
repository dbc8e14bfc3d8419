// URLs in lore's shape. Message-IDs go in one path segment, percent-encoded; "@" stays as it
// is (it is allowed in a path segment and keeps URLs readable, as on lore).

export function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%40/g, "@");
}

/**
 * A dynamic route parameter back to the string it encodes. Next 16 hands page params over
 * percent-ENCODED (it decodes the path, then re-encodes each param with encodeURIComponent:
 * "/demo/a%2Fb+c@x/" gives msgid "a%2Fb%2Bc%40x"), so decode exactly once; decoding twice would
 * turn a literal "%41" in a Message-ID into "A". Checked by e2e/app.test.ts.
 */
export function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const homeUrl = () => "/";
export const peopleUrl = (page = 1) => (page > 1 ? `/people/?page=${page}` : "/people/");
/** A person (every address merged into it): /people/<address>/ */
export const personUrl = (address: string) => `/people/${encodeSegment(address.toLowerCase())}/`;
/** Code history of a directory, a file, or a function of a file: /code/<path>/, /code/<path>/<function> (lib/code/paths.ts) */
export { codeHref as codeUrl } from "@/lib/code/paths";
export const listUrl = (list: string, page = 1) => `/${encodeSegment(list)}/${page > 1 ? `?page=${page}` : ""}`;
export const messageUrl = (list: string, msgid: string) => `/${encodeSegment(list)}/${encodeSegment(msgid)}/`;
export const flatThreadUrl = (list: string, msgid: string) => `${messageUrl(list, msgid)}T/`;
export const nestedThreadUrl = (list: string, msgid: string) => `${messageUrl(list, msgid)}t/`;
export const rawUrl = (list: string, msgid: string) => `${messageUrl(list, msgid)}raw`;
export const apiUrl = (path: string) => `/api/${path}`;

/** The patch view of a message that carries one: /<list>/<msgid>/patch/ */
export const patchUrl = (list: string, msgid: string) => `${messageUrl(list, msgid)}patch/`;
/** A list's series, newest first: /series/?list=<list> (lists own /<list>/<msgid>/, so not /<list>/series/). */
export const seriesIndexUrl = (list?: string | null, page = 1) => {
  const q = [list ? `list=${encodeURIComponent(list)}` : "", page > 1 ? `page=${page}` : ""].filter(Boolean).join("&");
  return `/series/${q ? `?${q}` : ""}`;
};
/** One posting of a series; its key is a Message-ID (the cover letter's, else the first patch's). */
export const seriesUrl = (key: string) => `/series/${encodeSegment(key)}/`;
export const seriesMboxUrl = (key: string) => `${seriesUrl(key)}mbox`;
export const versionLineUrl = (id: number) => `/versions/${id}/`;
export const interdiffUrl = (fromMsgid: string, toMsgid: string) => `/interdiff/${encodeSegment(fromMsgid)}/${encodeSegment(toMsgid)}/`;
/** The review view of a patch (its diff with the reviewers' comments at their lines): /<list>/<msgid>/review/ */
export const reviewUrl = (list: string, msgid: string) => `${messageUrl(list, msgid)}review/`;
/** The review view of a series posting: /series/<key>/review/ */
export const seriesReviewUrl = (key: string) => `${seriesUrl(key)}review/`;
/** In-page anchor of a discussion on the review views. */
export const discussionAnchor = (id: string) => `d-${id}`;

/** In-page anchors of the patch view: file N, hunk M of file N (both 1-based). */
export const fileAnchor = (file: number) => `f${file}`;
export const hunkAnchor = (file: number, hunk: number) => `f${file}h${hunk}`;

/** In-page anchor of a message on thread pages. */
export const messageAnchor = (id: number) => `m${id}`;

/** ?page=N as a positive integer (1 when absent or malformed). */
export function pageParam(v: string | string[] | undefined): number {
  const s = Array.isArray(v) ? v[0] : v;
  const n = Number(s);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/** The search page: /search?q=... (lore's parameters: o, l, r, t). */
export const searchUrl = (q: string, extra: { offset?: number; limit?: number; relevance?: boolean; threads?: boolean } = {}) => {
  const p = new URLSearchParams({ q });
  if (extra.offset) p.set("o", String(extra.offset));
  if (extra.limit) p.set("l", String(extra.limit));
  if (extra.relevance) p.set("r", "1");
  if (extra.threads) p.set("t", "1");
  return `/search?${p.toString()}`;
};
export const searchHelpUrl = () => "/search/help";

/** A list page's URL with its filters: empty ones left out, and page only past the first. */
export function withQuery(path: string, params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === "" || (k === "page" && Number(v) <= 1)) continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return `${path}${s ? `?${s}` : ""}`;
}

/** The ideas and decisions lists: /ideas/?kind=&person=&list=&page=, /decisions/?... */
export const knowledgeListUrl = (what: "ideas" | "decisions", o: { kind?: string | null; person?: string | null; list?: string | null; page?: number } = {}) =>
  withQuery(`/${what}/`, { kind: o.kind, person: o.person, list: o.list, page: o.page });
