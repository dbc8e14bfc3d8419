// The /ideas/ and /decisions/ pages: the knowledge lib/knowledge found across the archive, newest
// message first, filtered by kind, person (every address of their identity) and list; each row
// with when, who, the kind, how sure, the quote, and a link to its message. The same data as
// /api/ideas and /api/decisions. Mail text is rendered as text (React escapes it) and cleaned of
// control characters. The page around it (breadcrumbs, pager) is KnowledgeListPage.tsx; this part
// imports nothing server-only, so tests render it.
import type { Db } from "@/lib/db/client";
import { DECISION_KINDS, IDEA_KINDS, listDecisions, listIdeas, type DecisionView, type IdeaView, type KnowledgePage, type WithMessage } from "@/lib/views/knowledge";
import { listNames } from "@/lib/views/messages";
import { cleanText, shortDate } from "../_lib/format";
import { apiUrl, knowledgeListUrl, messageUrl, pageParam, personUrl, searchUrl, seriesUrl } from "../_lib/urls";
import "../knowledge.css";

/** The summary says nothing the quote does not: the same words, or the quote's beginning cut short. */
function sameText(summary: string, quote: string): boolean {
  const norm = (t: string) => t.replace(/\s+/g, " ").replace(/[.…"“”]+$/u, "").trim();
  const a = norm(summary);
  const b = norm(quote);
  return a === b || b.startsWith(a) || a.startsWith(b);
}

export type KnowledgeWhat = "ideas" | "decisions";

export const KNOWLEDGE_PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

export interface KnowledgeListData {
  what: KnowledgeWhat;
  kind: string | null;
  person: string | null;
  list: string | null;
  lists: string[];
  /** what was asked that could not be used (a kind not known, a person that is no address, a list not there) */
  problem: string | null;
  result: KnowledgePage<IdeaView> | KnowledgePage<DecisionView> | null;
}

const first = (v: string | string[] | undefined) => ((Array.isArray(v) ? v[0] : v) ?? "").trim() || null;

/** Reads the filters from the query string and loads the page: a filter it cannot use is dropped, and said. */
export async function loadKnowledgeList(db: Db, what: KnowledgeWhat, sp: SearchParams): Promise<KnowledgeListData> {
  const kinds: readonly string[] = what === "ideas" ? IDEA_KINDS : DECISION_KINDS;
  let kind = first(sp.kind);
  let person = first(sp.person);
  const list = first(sp.list);
  const problems: string[] = [];
  if (kind && !kinds.includes(kind)) {
    problems.push(`no kind “${kind}”: showing every kind`);
    kind = null;
  }
  if (person && (person.length > 320 || !person.includes("@"))) {
    problems.push(`“${person}” is not an address (name@domain): showing everyone`);
    person = null;
  }
  const f = { kind, person, list, page: pageParam(sp.page), pageSize: KNOWLEDGE_PAGE_SIZE };
  const [result, lists] = await Promise.all([what === "ideas" ? listIdeas(db, f) : listDecisions(db, f), listNames(db)]);
  if (!result) problems.push(`no list named “${list}”`);
  return { what, kind, person, list, lists, problem: problems.length ? problems.join("; ") : null, result };
}

const conf = (c: number) => `${Math.round(c * 100)}%`;
const day = (d: string | null) => (d ? shortDate(d).slice(0, 10) : "");
const linesText = (l: [number, number]) => (l[0] === 0 ? "subject" : l[0] === l[1] ? `line ${l[0]}` : `lines ${l[0]}–${l[1]}`);

/** the address inside "Name <address>" (or a bare address), lower-cased */
function addressOf(s: string | null): string | null {
  const m = s ? /([^<>\s]+@[^<>\s]+)/.exec(s) : null;
  return m ? m[1].toLowerCase() : null;
}
/** the name part of "Name <address>" */
function nameOf(s: string): string {
  const n = s.replace(/<[^>]*>/g, "").replace(/^["'\s]+|["'\s]+$/g, "").trim();
  return n || s.trim();
}

function msgHref(m: { msgid: string; list: string | null }, list: string | null): string {
  const l = m.list ?? list;
  return l ? messageUrl(l, m.msgid) : searchUrl(`mid:${m.msgid}`);
}

function Who({ name, address }: { name: string | null; address: string | null }) {
  const label = cleanText(name || address || "");
  if (!label) return <span className="dim">—</span>;
  return address ? (
    <a href={personUrl(address)} title={address}>
      {label}
    </a>
  ) : (
    <span>{label}</span>
  );
}

function IdeaRow({ i, list }: { i: WithMessage<IdeaView>; list: string | null }) {
  const href = msgHref(i.message, list);
  const summary = i.title && i.kind === "rfc" ? `${i.title}: ${i.summary}` : i.summary;
  return (
    <tr data-id={i.id}>
      <td className="mono date">{day(i.message.date)}</td>
      <td>
        <span className={`tag k-idea k-${i.kind}`}>{i.kind}</span>
        {i.status !== "detected" ? <span className="tag">{i.status}</span> : null}
      </td>
      <td className="num" title={`found by ${i.method}`}>
        {conf(i.confidence)}
      </td>
      <td className="k-quote">
        <q>{cleanText(i.quote)}</q>
        {summary && !sameText(summary, i.quote) ? <div className="small">{cleanText(summary)}</div> : null}
        <div className="small dim">
          in <a href={href}>{cleanText(i.message.subject || "(no subject)")}</a> · {linesText(i.lines)} · {i.method}
        </div>
      </td>
      <td className="from">
        <Who name={i.message.fromName} address={i.message.fromAddress ? i.message.fromAddress.toLowerCase() : null} />
      </td>
    </tr>
  );
}

function DecisionRow({ d, list }: { d: WithMessage<DecisionView>; list: string | null }) {
  const href = msgHref(d.message, list);
  const actorAddress = addressOf(d.actor);
  return (
    <tr data-id={d.id}>
      <td className="mono date">{day(d.message.date)}</td>
      <td>
        <span className={`tag k-decision k-${d.kind}`}>{d.kind}</span>
        {d.status !== "detected" ? <span className="tag">{d.status}</span> : null}
      </td>
      <td className="num" title={`found by ${d.method}`}>
        {conf(d.confidence)}
      </td>
      <td className="k-quote">
        <q>{cleanText(d.quote)}</q>
        {d.target || d.patch || d.series ? (
          <div className="small">
            {d.target ? <strong>{cleanText(d.target)}</strong> : null}
            {d.patch || d.series ? (
              <>
                {d.target ? " · " : ""}decides {d.patch ? <a href={msgHref({ msgid: d.patch.msgid, list: null }, d.message.list ?? list)}>{cleanText(d.patch.subject)}</a> : null}
                {d.patch && d.series ? " of " : null}
                {d.series ? (
                  <a href={seriesUrl(d.series.key)}>
                    {d.series.isRfc ? "RFC " : ""}v{d.series.revision || d.series.version} {cleanText(d.series.title)}
                  </a>
                ) : null}
              </>
            ) : null}
          </div>
        ) : null}
        {d.reason ? <div className="small k-reason">{cleanText(d.reason)}</div> : null}
        <div className="small dim">
          in <a href={href}>{cleanText(d.message.subject || "(no subject)")}</a> · {linesText(d.lines)} · {d.method}
        </div>
      </td>
      <td className="from">
        {d.actor ? (
          <Who name={nameOf(d.actor)} address={actorAddress} />
        ) : (
          <Who name={d.message.fromName} address={d.message.fromAddress ? d.message.fromAddress.toLowerCase() : null} />
        )}
      </td>
    </tr>
  );
}

const TEXT: Record<KnowledgeWhat, { title: string; one: string; intro: string; none: string }> = {
  ideas: {
    title: "Ideas",
    one: "idea",
    intro:
      "Design ideas found in the messages: proposals, alternatives, objections, questions, concerns and RFCs, each with the lines it was read from and how sure the reading is.",
    none: "No ideas yet: ingest an archive with design discussion.",
  },
  decisions: {
    title: "Decisions",
    one: "decision",
    intro:
      "Decisions found in the messages: applied, queued, merged, NAKs, changes requested, deferred, superseded, withdrawn and rejected, with what each decides and how sure the reading is.",
    none: "No decisions yet: ingest an archive with maintainer replies.",
  },
};

export function KnowledgeListView({ data }: { data: KnowledgeListData }) {
  const { what, kind, person, list, lists, problem, result: r } = data;
  const t = TEXT[what];
  const kinds = what === "ideas" ? IDEA_KINDS : DECISION_KINDS;
  const total = r?.total ?? 0;
  const apiQuery = new URLSearchParams();
  if (kind) apiQuery.set("kind", kind);
  if (person) apiQuery.set("person", person);
  if (list && r) apiQuery.set("list", list);
  const aq = apiQuery.toString();
  return (
    <>
      <h1 className="page-title">
        {t.title} <span className="count">({total.toLocaleString("en-US")})</span>
      </h1>
      <p className="dim small">
        {t.intro} As JSON: <a href={apiUrl(`${what}${aq ? `?${aq}` : ""}`)}>/api/{what}</a>.
      </p>
      <form className="k-filter" method="get" action={`/${what}/`}>
        <label>
          kind{" "}
          <select name="kind" defaultValue={kind ?? ""}>
            <option value="">any</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          person <input type="text" name="person" defaultValue={person ?? ""} maxLength={320} placeholder="name@example.org" inputMode="email" />
        </label>
        <label>
          list{" "}
          <select name="list" defaultValue={list ?? ""}>
            <option value="">all lists</option>
            {list && !lists.includes(list) ? <option value={list}>{list}</option> : null}
            {lists.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
        {kind || person || list ? <a href={knowledgeListUrl(what)}>clear</a> : null}
      </form>
      {problem ? <p className="notice error" role="status">{problem}</p> : null}
      {r?.person ? (
        <p className="dim small k-person">
          {t.title.toLowerCase()} of <a href={personUrl(r.person.address)}>{r.person.address}</a>
          {r.person.addresses.length > 1 ? <> (also as {r.person.addresses.filter((a) => a !== r.person!.address).join(", ")})</> : null}
        </p>
      ) : null}
      {!r ? null : r.items.length === 0 ? (
        <p className="notice">{r.total ? `No ${what} on this page.` : kind || person || list ? `No ${t.one} matches.` : t.none}</p>
      ) : (
        <table className={`grid k-list k-${what}`}>
          <thead>
            <tr>
              <th>when</th>
              <th>kind</th>
              <th className="num">sure</th>
              <th>quote</th>
              <th>who</th>
            </tr>
          </thead>
          <tbody>
            {what === "ideas"
              ? (r.items as WithMessage<IdeaView>[]).map((i) => <IdeaRow key={i.id} i={i} list={list} />)
              : (r.items as WithMessage<DecisionView>[]).map((d) => <DecisionRow key={d.id} d={d} list={list} />)}
          </tbody>
        </table>
      )}
    </>
  );
}
