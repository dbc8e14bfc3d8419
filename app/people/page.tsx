import type { Metadata } from "next";
import { listPeople } from "@/lib/views/people";
import { getDb } from "../db";
import { Crumbs, NoDatabase, Pager } from "../_components/chrome";
import { cleanText, shortDate } from "../_lib/format";
import { pageParam, peopleUrl, personUrl } from "../_lib/urls";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "People" };

const PAGE_SIZE = 100;

export default async function People({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const page = pageParam((await searchParams).page);
  const people = await listPeople(db, page, PAGE_SIZE);
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: "people" }]} />
      <h1 className="page-title">
        People <span className="count">({people.total.toLocaleString("en-US")})</span>
      </h1>
      {people.items.length === 0 ? (
        <p className="notice">{people.total ? "No people on this page." : "Nobody yet: ingest a list first."}</p>
      ) : (
        <table className="grid people">
          <thead>
            <tr>
              <th>name</th>
              <th>address</th>
              <th className="num">messages</th>
              <th>first seen</th>
              <th>last seen</th>
            </tr>
          </thead>
          <tbody>
            {people.items.map((p) => (
              <tr key={p.address}>
                <td>
                  {cleanText(p.names[0] ?? "")}
                  {p.names.length > 1 ? <span className="dim" title={cleanText(p.names.slice(1).join(", "))}> +{p.names.length - 1} names</span> : null}
                </td>
                <td className="mono">
                  <a href={personUrl(p.address)}>{cleanText(p.address)}</a>
                </td>
                <td className="num">{p.messages.toLocaleString("en-US")}</td>
                <td className="mono">{shortDate(p.firstSeen).slice(0, 10)}</td>
                <td className="mono">{shortDate(p.lastSeen).slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={people.page} pageSize={people.pageSize} total={people.total} href={peopleUrl} />
    </>
  );
}
