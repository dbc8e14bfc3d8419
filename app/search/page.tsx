import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { search, SearchError, type SearchHit, type SearchResponse } from "@/lib/views/search";
import { searchQueryString, searchRequestFrom, type SearchRequest } from "@/lib/search/params";
import { getDb } from "../db";
import { Crumbs, NoDatabase } from "../_components/chrome";
import { Marks, QueryError, SearchBox } from "../_components/SearchBits";
import { plural, shortDate } from "../_lib/format";
import { nestedThreadUrl, searchHelpUrl, searchUrl } from "../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

async function requestOf(props: Props): Promise<SearchRequest> {
  const sp = await props.searchParams;
  return searchRequestFrom((n) => first(sp[n]));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const req = await requestOf(props);
  if (!req.q.trim()) return { title: "Search" };
  return {
    title: `search: ${req.q.slice(0, 80)}`,
    alternates: { types: { "application/atom+xml": `/api/search?${searchQueryString({ ...req, offset: 0, x: "A" })}` } },
    robots: { index: false },
  };
}

const KIND_LABEL: Record<string, string> = { cover: "cover letter", patch: "patch", reply: "reply" };

function Hit({ h }: { h: SearchHit }) {
  const threadHref = h.thread && h.list && h.thread.rootMsgid ? nestedThreadUrl(h.list, h.thread.rootMsgid) : null;
  return (
    <li className="hit">
      <div className="hit-head">
        {h.url ? (
          <a href={h.url} className="hit-subject">
            <Marks segments={h.subjectMarks} />
          </a>
        ) : (
          <span className="hit-subject">
            <Marks segments={h.subjectMarks} />
          </span>
        )}
        {h.kind && KIND_LABEL[h.kind] ? <span className="tag">{KIND_LABEL[h.kind]}</span> : null}
      </div>
      <div className="hit-meta">
        <span className="hit-from">{h.fromName || h.fromAddress || "(unknown)"}</span>
        <span className="mono">{h.date ? shortDate(h.date) : "(no date)"}</span>
        {h.list ? <span className="dim">{h.list}</span> : null}
        {h.thread ? (
          <span>
            {threadHref ? <a href={threadHref}>thread</a> : "thread"}: {h.thread.matches} of {plural(h.thread.messages, "message")} match
          </span>
        ) : null}
      </div>
      {h.snippet.length ? (
        <pre className="snippet">
          <Marks segments={h.snippet} />
        </pre>
      ) : null}
    </li>
  );
}

function Paging({ r }: { r: SearchResponse }) {
  const of = r.threads ? (r.threadTotal ?? 0) : r.total;
  if (of <= r.limit && r.offset === 0) return null;
  const base = { relevance: r.relevance, threads: r.threads, limit: r.limit === 50 ? undefined : r.limit };
  const prev = r.offset > 0 ? searchUrl(r.query, { ...base, offset: Math.max(0, r.offset - r.limit) }) : null;
  const next = r.offset + r.limit < of ? searchUrl(r.query, { ...base, offset: r.offset + r.limit }) : null;
  return (
    <nav className="pager" aria-label="Result pages">
      {prev ? (
        <a rel="prev" href={prev}>
          ← previous
        </a>
      ) : (
        <span className="off">← previous</span>
      )}
      <span className="where">
        {r.hits.length ? `${(r.offset + 1).toLocaleString("en-US")}–${(r.offset + r.hits.length).toLocaleString("en-US")}` : "none"} of{" "}
        {of.toLocaleString("en-US")}
      </span>
      {next ? (
        <a rel="next" href={next}>
          next →
        </a>
      ) : (
        <span className="off">next →</span>
      )}
    </nav>
  );
}

export default async function SearchPage(props: Props) {
  const req = await requestOf(props);
  // lore's x=A / x=m / x=t on the search URL: the same request from the API, which answers them
  if (req.x) redirect(`/api/search?${searchQueryString(req)}`);
  const db = getDb();
  if (!db) return <NoDatabase />;
  const crumbs = <Crumbs items={[{ href: "/", label: "lists" }, { label: "search" }]} />;
  if (!req.q.trim()) {
    return (
      <>
        {crumbs}
        <h1 className="page-title">Search</h1>
        <SearchBox big />
        <p className="dim">
          lore&apos;s query language: <code>s:</code> subject, <code>f:</code> from, <code>dfn:</code> file in a diff, <code>dfhh:</code> function,{" "}
          <code>d:</code> dates, <code>&quot;phrases&quot;</code>, AND/OR/NOT… and patchlore&apos;s <code>is:</code>, <code>v:</code>, <code>by:</code>. See the{" "}
          <a href={searchHelpUrl()}>syntax help</a>.
        </p>
      </>
    );
  }
  let r: SearchResponse | null = null;
  let err: SearchError | null = null;
  try {
    r = await search(db, { q: req.q, offset: req.offset, limit: req.limit, relevance: req.relevance, threads: req.threads });
  } catch (e) {
    if (e instanceof SearchError) err = e;
    else throw e;
  }
  const qs = searchQueryString({ ...req, x: null });
  return (
    <>
      {crumbs}
      <h1 className="page-title">Search</h1>
      <SearchBox big q={req.q} relevance={req.relevance} threads={req.threads} />
      {err ? (
        <QueryError query={req.q} message={err.message} position={err.position} length={err.length} />
      ) : r ? (
        <>
          <p className="search-summary">
            <strong>{r.threads ? `${plural(r.threadTotal ?? 0, "thread")} (${plural(r.total, "message")})` : plural(r.total, "message")}</strong>{" "}
            {r.total === 1 ? "matches" : "match"}: <span className="dim">{r.description}</span>{" "}
            <span className="dim small">
              · {r.relevance ? "by relevance" : "newest first"} · {r.tookMs} ms
            </span>
          </p>
          {r.warnings.length ? (
            <ul className="search-warnings">
              {r.warnings.map((w, i) => (
                <li key={i}>{w.message}</li>
              ))}
            </ul>
          ) : null}
          {r.indexEmpty ? (
            <p className="notice">
              The search index is empty while the archive has messages (it was ingested before search existed). Build it with{" "}
              <code>npx patchlore reindex --search</code>.
            </p>
          ) : null}
          {r.hits.length ? (
            <ol className="hits" start={r.offset + 1}>
              {r.hits.map((h) => (
                <Hit key={h.msgid} h={h} />
              ))}
            </ol>
          ) : (
            <p className="notice">{r.total ? "No results on this page." : "Nothing matches."}</p>
          )}
          <Paging r={r} />
          <p className="more-links search-outputs">
            <a href={`/api/search?${qs}&x=A`}>Atom feed</a> · <a href={`/api/search?${searchQueryString({ q: req.q, relevance: req.relevance, x: "m" })}`}>mbox.gz of the results</a> ·{" "}
            <a href={`/api/search?${searchQueryString({ q: req.q, relevance: req.relevance, x: "t" })}`}>mbox.gz of their threads</a> · <a href={`/api/search?${qs}`}>JSON</a>
          </p>
        </>
      ) : null}
    </>
  );
}
