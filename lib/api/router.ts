// The JSON API, one table of routes shared by the Next.js route handler (app/api/[...path]) and
// the CLI (`patchlore api /api/...`), so both answer the same bytes for the same path.
import type { Db } from "../db/client";
import { getInterdiff, getPatch, getSeries, getVersionLine, listSeries, seriesMbox } from "../views/series";
import { getMessage, getRaw, getStats, getThread, listLists, listThreads } from "../views/messages";
import { MAX_PAGE_SIZE } from "../views/refs";
import { listPeople } from "../views/people";
import { searchApi } from "./search";
import { knowledgeListApi, messageKnowledgeApi } from "./knowledge";
import { proposalsApi } from "./proposals";
import { codeApi, personApi } from "./history";
import { patchReviewApi, seriesReviewApi } from "./reviews";
import { auditApi, runsApi } from "./curation";
import { apiBaseUrl, markdownResponse, requestedFormat, type ApiContext } from "./markdown";
import { messageToMarkdown } from "../markdown/message";

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
  { pattern: "/api/people/<address>", description: "one person, every address merged into it (with how): names, series and patches proposed, reviews given (Reviewed/Acked/Tested/Nacked-by, verdicts), NAKs, discussions started, proposals, counts per year" },
  { pattern: "/api/code/<path>?function=NAME&limit=N", description: "code history: a directory lists the files under it with counts; a file (or /api/code/<file>/<function>, or ?function=NAME) gives every proposal, series, patch, hunk, review comment, decision and upstream commit that touched it, oldest first" },
  { pattern: "/api/<list>/?page=N&l=SIZE", description: "the list's threads, newest activity first" },
  { pattern: "/api/<list>/<msgid>/", description: "one message: headers, addresses, body, attachments, thread links, provenance" },
  { pattern: "/api/<list>/<msgid>/?format=md", description: "the message as GitHub-flavoured Markdown (text/markdown): author, date, permalink, own text, quotes as blockquotes, diffs as ```diff blocks" },
  { pattern: "/api/<list>/<msgid>/T/", description: "the message's thread: nested tree (JWZ, ghosts marked) and the flat message list" },
  { pattern: "/api/<list>/<msgid>/t/", description: "same as /T/" },
  { pattern: "/api/<list>/<msgid>/raw", description: "the raw message as stored (text/plain)" },
  { pattern: "/api/<list>/<msgid>/patch", description: "the patch a message carries: commit message, diffstat, files -> hunks -> lines, patch-id, its series" },
  { pattern: "/api/<list>/<msgid>/review", description: "a patch's review: trailers (commit message, replies, cover letter, carried by patch-id; mismatches flagged), verdicts, discussions anchored to its lines with their code, resolved or open" },
  { pattern: "/api/<list>/<msgid>/knowledge", description: "what the message holds (lib/knowledge): design ideas, decisions (and the series/patch each decides), benchmark figures, the robot report it is (what it reports on, who cites it), the robot reports it cites; each with lines, method and confidence" },
  { pattern: "/api/ideas?kind=K&person=ADDRESS&list=NAME&page=N&l=SIZE", description: "design ideas (kind: proposal, alternative, objection, question, concern, rfc), newest message first, with their message and provenance; person: the ideas of the person an address belongs to (every address merged into them, listed in the answer)" },
  { pattern: "/api/decisions?kind=K&person=ADDRESS&list=NAME&page=N&l=SIZE", description: "decisions (kind: applied, queued, merged, nak, changes-requested, deferred, superseded, withdrawn, rejected), newest first, with the series and patch each decides; person: sent by that person or naming them as the actor (a Nacked-by)" },
  { pattern: "/api/benchmarks?list=NAME&suite=S&page=N&l=SIZE", description: "benchmark figures (suite, test, metric, value, change, direction, machine, commit), newest first, with their message and series" },
  { pattern: "/api/series?list=NAME&page=N&l=SIZE", description: "a list's series (postings), newest first" },
  { pattern: "/api/series/<key>/", description: "one series: cover letter, patches with diffstats and reply counts, completeness, every version and the links between them" },
  { pattern: "/api/series/<key>/mbox", description: "the series as an mbox for git am (application/mbox)" },
  { pattern: "/api/series/<key>/review", description: "the series' review: verdicts on the cover letter, then each patch's review" },
  { pattern: "/api/proposals?list=NAME&q=WORDS&status=S&page=N&l=SIZE", description: "proposals (lines of design work across series, versions and threads), latest activity first: title, status, postings, versions, people, first and last date" },
  { pattern: "/api/proposals/<id>/", description: "one proposal: members with how each was found (method, confidence, evidence), timeline (RFC, versions, reviews, reports, decisions), people and verdicts, code (files, functions, hunks), ideas, benchmarks, runs, decisions, related proposals" },
  { pattern: "/api/versions/<id>/", description: "a version line: every version, and per step which patches were unchanged, changed, added or dropped" },
  { pattern: "/api/interdiff/<from msgid>/<to msgid>/", description: "what changed between two versions of a patch (range-diff style)" },
  { pattern: "/api/search?q=QUERY&o=OFFSET&l=SIZE&r=1&t=1", description: "search with lore's query language (syntax: /search/help): results newest first (r=1: by relevance, t=1: one per thread), counts, snippets with the matches flagged" },
  { pattern: "/api/search?q=QUERY&x=A|m|t", description: "the results as an Atom feed (x=A), an mbox.gz of the results (x=m) or of their whole threads (x=t)" },
  { pattern: "/api/runs?proposal=ID|series=KEY|patch=MSGID", description: "benchmark and simulator runs attached to a proposal (with its series and patches), a series (with its patches) or a patch; none: every run" },
  { pattern: "/api/related", description: "POST a unified diff (text/x-diff): the earlier patches, series with their reviews, and proposals that touched the same files, functions and lines, ranked with reasons, plus a Markdown summary (?format=md: only the Markdown; ?limit=N, up to 100). No sign-in needed" },
  { pattern: "/api/audit?target=proposal:ID", description: "curation changes, newest first: who, when, action, before and after (target=proposal:ID, idea:ID, decision:ID, series:KEY, patch:MSGID; none: every change)" },
];

const notFound = (what: string): ApiResponse => ({ status: 404, json: { error: "not found", detail: what } });

function intParam(q: URLSearchParams, name: string, dflt: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = q.get(name);
  if (v === null) return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : dflt;
}

/** segments: the path after /api/, already percent-decoded, without empty segments. */
/** ctx: where the request came to (absolute links in ?format=md answers). */
export async function handleApi(db: Db, segments: string[], query: URLSearchParams, ctx: ApiContext = {}): Promise<ApiResponse> {
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
    if (c === "review" && !rest.length) return seriesReviewApi(db, b, query, ctx);
    if (c === "mbox" && !rest.length) {
      const mbox = await seriesMbox(db, b);
      return mbox ? { status: 200, body: mbox, contentType: "application/mbox" } : notFound(`no patches in series ${b}`);
    }
    return notFound(segments.join("/"));
  }
  if (a === "search" && !b) return searchApi(db, query);
  if ((a === "ideas" || a === "decisions" || a === "benchmarks") && !b) return knowledgeListApi(db, a, query);
  if (a === "proposals") return proposalsApi(db, segments.slice(1), query);
  if (a === "related" && !b) return { status: 405, json: { error: "method not allowed", detail: "POST a unified diff to /api/related (e.g. git diff | curl --data-binary @- -H 'Content-Type: text/x-diff' .../api/related)" } };
  if (a === "code") return codeApi(db, segments.slice(1), query);
  if (a === "people" && b && !c) return personApi(db, b);
  if (a === "runs" && !b) return runsApi(db, query);
  if (a === "audit" && !b) return auditApi(db, query);
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
    const format = requestedFormat(query);
    if (typeof format !== "string") return format;
    const m = await getMessage(db, a, b);
    if (!m) return notFound(`no message <${b}> in ${a}`);
    if (format === "md" && m.ghost) return notFound(`<${b}> is only referenced: the message is not in the archive`);
    if (format === "md") return markdownResponse(messageToMarkdown({ ...m, list: a }, { baseUrl: apiBaseUrl(ctx) }));
    return { status: 200, json: m };
  }
  if (c === "knowledge") return messageKnowledgeApi(db, a, b);
  if (c === "T" || c === "t") {
    const t = await getThread(db, a, b);
    return t ? { status: 200, json: t } : notFound(`no message <${b}> in ${a}`);
  }
  if (c === "review") return patchReviewApi(db, a, b, query, ctx);
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
