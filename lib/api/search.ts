// GET /api/search?q=...&o=&l=&r=1&t=1&x=A|m|t: the results as JSON (default), Atom (x=A),
// mbox.gz of the results (x=m) or of their whole threads (x=t, or x=m&t=1).
import type { Db } from "../db/client";
import { search, searchMbox, SearchError, type SearchResponse } from "../views/search";
import { searchQueryString, searchRequestFrom } from "../search/params";
import { plainText } from "../search/snippet";
import { atomFeed, midIri } from "../export/atom";
import type { ApiResponse } from "./router";

function errorResponse(e: SearchError): ApiResponse {
  const error = e.status === 413 ? "query too long" : e.status === 504 ? "search timed out" : "bad query";
  return { status: e.status, json: { error, detail: e.message, position: e.position, length: e.length } };
}

function fileName(q: string, suffix: string): string {
  const stem = q.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "search";
  return `${stem}${suffix}`;
}

export function atomOf(r: SearchResponse): string {
  const qs = searchQueryString({ q: r.query, offset: r.offset, limit: r.limit, relevance: r.relevance, threads: r.threads });
  return atomFeed({
    title: `patchlore search: ${r.query}`,
    id: `urn:patchlore:search:${encodeURIComponent(r.query)}`,
    self: `/api/search?${qs}&x=A`,
    alternate: `/search?${qs}`,
    updated: r.hits.reduce((m, h) => (h.date && h.date > m ? h.date : m), "1970-01-01T00:00:00.000Z"),
    entries: r.hits.map((h) => ({
      title: h.subject,
      authorName: h.fromName,
      authorEmail: h.fromAddress,
      updated: h.date,
      id: midIri(h.msgid),
      link: h.url ?? `/search?${searchQueryString({ q: `mid:${h.msgid}` })}`,
      summary: plainText(h.snippet),
    })),
  });
}

export async function searchApi(db: Db, query: URLSearchParams): Promise<ApiResponse> {
  const req = searchRequestFrom((n) => query.get(n));
  if (!req.q.trim()) {
    return { status: 400, json: { error: "bad request", detail: "give a query: /api/search?q=... (syntax: /search/help)" } };
  }
  try {
    if (req.x === "m" || req.x === "t") {
      const wholeThreads = req.x === "t" || req.threads;
      const { gz } = await searchMbox(db, { q: req.q, relevance: req.relevance, wholeThreads });
      return {
        status: 200,
        body: gz,
        contentType: "application/gzip",
        headers: { "Content-Disposition": `attachment; filename="${fileName(req.q, wholeThreads ? "-threads.mbox.gz" : ".mbox.gz")}"` },
      };
    }
    const r = await search(db, { q: req.q, offset: req.offset, limit: req.limit, relevance: req.relevance, threads: req.threads });
    if (req.x === "A") return { status: 200, body: Buffer.from(atomOf(r), "utf8"), contentType: "application/atom+xml; charset=utf-8" };
    return { status: 200, json: r };
  } catch (e) {
    if (e instanceof SearchError) return errorResponse(e);
    throw e;
  }
}
