// /proposals/?list=&q=&status=&page=: proposals (lines of design work across series, versions
// and threads), latest activity first: title, status, versions, people, first → last date.
import type { Metadata } from "next";
import { listProposals, PROPOSAL_STATUSES } from "@/lib/views/proposals";
import { statusLabel } from "@/lib/knowledge/status";
import { getDb } from "../db";
import { Crumbs, NoDatabase, Pager } from "../_components/chrome";
import { Person, StatusBadge, day, proposalUrl, proposalsUrl } from "../_components/ProposalBits";
import { cleanText } from "../_lib/format";
import { pageParam } from "../_lib/urls";
import "../proposals.css";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? null;

export async function generateMetadata(): Promise<Metadata> {
  return { title: "proposals" };
}

export default async function ProposalsIndex({ searchParams }: Props) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const sp = await searchParams;
  const list = first(sp.list);
  const q = first(sp.q);
  const status = first(sp.status);
  const page = pageParam(sp.page);
  const r = await listProposals(db, { list, q, status: status && (PROPOSAL_STATUSES as readonly string[]).includes(status) ? status : null, page, pageSize: PAGE_SIZE });
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: "proposals" }]} />
      <h1 className="page-title">
        Proposals <span className="count">({r.total.toLocaleString("en-US")})</span>
      </h1>
      <p className="dim small">
        A proposal is a line of design work: an RFC, the versions of its series, and the threads that discuss it, found from version links,
        references (Message-IDs, lore links, Link:/Closes:, footnotes), Fixes: trailers and shared code.
      </p>
      <form className="pp-filter" method="get" action="/proposals/">
        <label>
          title <input type="search" name="q" defaultValue={q ?? ""} maxLength={200} />
        </label>
        <label>
          status{" "}
          <select name="status" defaultValue={r.status ?? ""}>
            <option value="">any</option>
            {PROPOSAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        {list ? <input type="hidden" name="list" value={list} /> : null}
        <button type="submit">Filter</button>
        {list ? (
          <span className="dim small">
            in {list} · <a href={proposalsUrl({ q, status: r.status })}>all lists</a>
          </span>
        ) : null}
      </form>
      {r.items.length === 0 ? (
        <p className="notice">{r.total ? "No proposals on this page." : q || r.status || list ? "No proposal matches." : "No proposals yet: ingest an archive with patches."}</p>
      ) : (
        <table className="grid pp-list">
          <thead>
            <tr>
              <th>proposal</th>
              <th>status</th>
              <th className="num">versions</th>
              <th>proposed by</th>
              <th className="num">people</th>
              <th>first → last</th>
            </tr>
          </thead>
          <tbody>
            {r.items.map((p) => (
              <tr key={p.id} data-proposal={p.id}>
                <td className="subject">
                  <a href={proposalUrl(p.id)}>{cleanText(p.title)}</a>
                  {p.seed === "thread" ? <span className="tag">topic</span> : null}
                </td>
                <td>
                  <StatusBadge status={p.status} />
                </td>
                <td className="num">{p.postings}</td>
                <td className="from">
                  {p.authors.slice(0, 2).map((a, i) => (
                    <span key={a.address}>
                      {i ? ", " : ""}
                      <Person p={a} />
                    </span>
                  ))}
                </td>
                <td className="num">{p.people}</td>
                <td className="mono date">
                  {day(p.firstDate)} → {day(p.lastDate)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={r.page} pageSize={r.pageSize} total={r.total} href={(n) => proposalsUrl({ list, q, status: r.status, page: n })} />
    </>
  );
}
