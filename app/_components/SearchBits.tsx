// Search furniture: the header's search box, matched words marked, the parse-error box.
// Text from mail only ever becomes text nodes: a match is a <mark> around a text node.
import type { Segment } from "@/lib/search/snippet";
import { searchHelpUrl } from "../_lib/urls";

export function SearchBox({ q = "", big = false, relevance = false, threads = false }: { q?: string; big?: boolean; relevance?: boolean; threads?: boolean }) {
  return (
    <form action="/search" method="get" role="search" className={big ? "search-form big" : "search-form"}>
      <input
        type="search"
        name="q"
        defaultValue={q}
        placeholder={big ? 's:mmc dfn:drivers/mmc/core/block.c d:2024-01-01..' : "search (lore syntax)"}
        aria-label="Search query"
        maxLength={1000}
        spellCheck={false}
        autoComplete="off"
      />
      {big ? (
        <>
          <label>
            <input type="checkbox" name="r" value="1" defaultChecked={relevance} /> by relevance
          </label>
          <label>
            <input type="checkbox" name="t" value="1" defaultChecked={threads} /> one per thread
          </label>
        </>
      ) : null}
      <button type="submit">search</button>
      {big ? (
        <a href={searchHelpUrl()} className="small">
          syntax help
        </a>
      ) : null}
    </form>
  );
}

export function Marks({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </>
  );
}

/** The query with the spot a parse error points at, and the message. */
export function QueryError({ query, message, position, length }: { query: string; message: string; position: number | null; length: number | null }) {
  const at = position === null ? null : Math.max(0, Math.min(position, query.length));
  const len = at === null ? 0 : Math.max(0, Math.min(length ?? 0, query.length - at));
  return (
    <section className="notice error search-error" role="alert">
      <p className="search-error-message">{message}</p>
      {at !== null ? (
        <pre className="search-error-query" aria-label={`at character ${at + 1}`}>
          <span>{query.slice(0, at)}</span>
          <span className="bad">{len ? query.slice(at, at + len) : " "}</span>
          <span>{query.slice(at + len)}</span>
          {"\n"}
          <span className="caret">{" ".repeat(at) + "^".repeat(Math.max(1, len))}</span>
        </pre>
      ) : null}
      <p className="small">
        See the <a href={searchHelpUrl()}>search syntax</a>.
      </p>
    </section>
  );
}
