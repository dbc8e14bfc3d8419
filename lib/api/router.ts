// The JSON API, one table of routes shared by the Next.js route handler (app/api/[...path]) and
// the CLI (`patchlore api /api/...`), so both answer the same bytes for the same path.
import type { Db } from "../db/client";
import { getInterdiff, getPatch, getSeries, getVersionLine, listSeries, seriesMbox } from "../db/series-queries";
import { getMessage, getRaw, getStats, getThread, listLists, listPeople, listThreads, MAX_PAGE_SIZE } from "../db/queries";
import { searchApi } from "./search";

export type ApiResponse =
  | { status: number; json: unknown }
  | { status: number; body: Buffer; contentType: string; headers?: Record<string, string> };

export interface ApiRoute {
  pattern: string;
  description: string;
}

/** Documented in the README; keep both in step. */
export const API_ROUTES: ApiRoute[] = [
  { pattern: "/api/lists", description: "every list with message and thread counts" },
  { pattern: "/api/stats", description: "counts: messages, threads, ghosts, lists, people, duplicates, parseErrors, skipped by reason" },
  { pattern: "/api/people?page=N&l=SIZE", description: "people (one per address) with the names seen and message counts" },
  { pattern: "/api/<list>/?page=N&l=SIZE", description: "the list's threads, newest activity first" },
  { pattern: "/api/<list>/<msgid>/", description: "one message: headers, addresses, body, attachments, thread links, provenance" },
  { pattern: "/api/<list>/<msgid>/T/", description: "the message's thread: nested tree (JWZ, ghosts marked) and the flat message list" },
  { pattern: "/api/<list>/<msgid>/t/", description: "same as /T/" },
  { pattern: "/api/<list>/<msgid>/raw", description: "the raw message as stored (text/plain)" },
  { pattern: "/api/<list>/<msgid>/patch", description: "the patch a message carries: commit message, diffstat, files -> hunks -> lines, patch-id, its series" },
  { pattern: "/api/series?list=NAME&page=N&l=SIZE", description: "a list's series (postings), newest first" },
  { pattern: "/api/series/<key>/", description: "one series: cover letter, patches with diffstats and reply counts, completeness, every version and the links between them" },
  { pattern: "/api/series/<key>/mbox", description: "the series as an mbox for git am (application/mbox)" },
  { pattern: "/api/versions/<id>/", description: "a version line: every version, and per step which patches were unchanged, changed, added or dropped" },
  { pattern: "/api/interdiff/<from msgid>/<to msgid>/", description: "what changed between two versions of a patch (range-diff style)" },
  { pattern: "/api/search?q=QUERY&o=OFFSET&l=SIZE&r=1&t=1", description: "search with lore's query language (syntax: /search/help): results newest first (r=1: by relevance, t=1: one per thread), counts, snippets with the matches flagged" },
  { pattern: "/api/search?q=QUERY&x=A|m|t", description: "the results as an Atom feed (x=A), an mbox.gz of the results (x=m) or of their whole threads (x=t)" },
];

const notFound = (what: string): ApiResponse => ({ status: 404, json: { error: "not found", detail: what } });

function intParam(q: URLSearchParams, name: string, dflt: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = q.get(name);
  if (v === null) return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : dflt;
}

/** segments: the path after /api/, already percent-decoded, without empty segments. */
export async function handleApi(db: Db, segments: string[], query: URLSearchParams): Promise<ApiResponse> {
  const [a, b, c, ...rest] = segments;
  if (!a) return { status: 200, json: { routes: API_ROUTES } };
  if (a === "series") {
    if (!b) {
      const list = query.get("list");
      if (!list) return { status: 400, json: { error: "bad request", detail: "give the list: /api/series?list=NAME" } };
      const page = await listSeries(db, list, intParam(query, "page", 1), intParam(query, "l", 50, MAX_PAGE_SIZE));
      return page ? { status: 200, json: { list, series: page } } : notFound(`no list named ${list}`);
    }
    if (!c) {
      const s = await getSeries(db, b);
      return s ? { status: 200, json: s } : notFound(`no series ${b}`);
    }
    if (c === "mbox" && !rest.length) {
      const mbox = await seriesMbox(db, b);
      return mbox ? { status: 200, body: mbox, contentType: "application/mbox" } : notFound(`no patches in series ${b}`);
    }
    return notFound(segments.join("/"));
  }
  if (a === "search" && !b) return searchApi(db, query);
  if (a === "versions" && b && !c) {
    const id = Number(b);
    const v = Number.isInteger(id) ? await getVersionLine(db, id) : null;
    return v ? { status: 200, json: v } : notFound(`no version line ${b}`);
  }
  if (a === "interdiff" && b && c && !rest.length) {
    const d = await getInterdiff(db, b, c);
    return d ? { status: 200, json: d } : notFound(`no patch <${b}> or <${c}>`);
  }
  if (segments.length === 1) {
    if (a === "lists") return { status: 200, json: await listLists(db) };
    if (a === "stats") return { status: 200, json: await getStats(db) };
    if (a === "people") return { status: 200, json: await listPeople(db, intParam(query, "page", 1), intParam(query, "l", 100, MAX_PAGE_SIZE)) };
    const page = await listThreads(db, a, intParam(query, "page", 1), intParam(query, "l", 50, MAX_PAGE_SIZE));
    return page ? { status: 200, json: { list: a, threads: page } } : notFound(`no list named ${a}`);
  }
  if (rest.length) return notFound(segments.join("/"));
  if (!c) {
    const m = await getMessage(db, a, b);
    return m ? { status: 200, json: m } : notFound(`no message <${b}> in ${a}`);
  }
  if (c === "T" || c === "t") {
    const t = await getThread(db, a, b);
    return t ? { status: 200, json: t } : notFound(`no message <${b}> in ${a}`);
  }
  if (c === "patch") {
    const m = await getMessage(db, a, b);
    const p = m ? await getPatch(db, b) : null;
    return p ? { status: 200, json: p } : notFound(`no patch in <${b}> in ${a}`);
  }
  if (c === "raw") {
    const raw = await getRaw(db, a, b);
    if (!raw) return notFound(`no raw message <${b}> in ${a}`);
    // the bytes as stored; declare UTF-8 only when they are, so nothing is re-encoded
    const utf8 = (() => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(raw);
        return true;
      } catch {
        return false;
      }
    })();
    return { status: 200, body: raw, contentType: utf8 ? "text/plain; charset=utf-8" : "text/plain" };
  }
  return notFound(segments.join("/"));
}

/** "/api/linux-mm/abc%40x/T/?page=2" -> segments and query, for the CLI. */
export function splitApiPath(p: string): { segments: string[]; query: URLSearchParams } {
  const u = new URL(p, "http://patchlore.invalid");
  let path = u.pathname;
  if (path.startsWith("/api")) path = path.slice(4);
  const segments = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  return { segments, query: u.searchParams };
}
