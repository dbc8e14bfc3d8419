// /series/?list=<list>&page=N: a list's series (postings), newest first. Without ?list=, the
// lists to choose from.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listLists } from "@/lib/views/messages";
import { getDb } from "../db";
import { Crumbs, NoDatabase, Pager } from "../_components/chrome";
import { Completeness, VersionBadges } from "../_components/SeriesBits";
import { cleanText, personName, shortDate } from "../_lib/format";
import { loadSeriesList } from "../_lib/data";
import { listUrl, pageParam, seriesIndexUrl, seriesUrl, versionLineUrl } from "../_lib/urls";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const list = first((await searchParams).list);
  return { title: list ? `series · ${list}` : "series" };
}

export default async function SeriesIndex({ searchParams }: Props) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const sp = await searchParams;
  const list = first(sp.list);
  if (!list) {
    const lists = await listLists(db);
    return (
      <>
        <Crumbs items={[{ href: "/", label: "lists" }, { label: "series" }]} />
        <h1 className="page-title">Series</h1>
        {lists.length ? (
          <ul className="plain list-choice">
            {lists.map((l) => (
              <li key={l.name}>
                <a href={seriesIndexUrl(l.name)}>{l.name}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="notice">The archive is empty.</p>
        )}
      </>
    );
  }
  const page = pageParam(sp.page);
  const series = await loadSeriesList(list, page, PAGE_SIZE);
  if (!series) notFound();
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { href: listUrl(list), label: list }, { label: "series" }]} />
      <h1 className="page-title">
        Series in {list} <span className="count">({series.total.toLocaleString("en-US")})</span>
      </h1>
      <p className="dim small">
        <a href={listUrl(list)}>threads</a> · series
      </p>
      {series.items.length === 0 ? (
        <p className="notice">{series.total ? "No series on this page." : "No patch series in this list yet."}</p>
      ) : (
        <table className="grid series-list">
          <thead>
            <tr>
              <th>series</th>
              <th>author</th>
              <th className="num">patches</th>
              <th>versions</th>
              <th>date (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {series.items.map((s) => (
              <tr key={s.key}>
                <td className="subject">
                  <VersionBadges s={s} /> <a href={seriesUrl(s.key)}>{cleanText(s.title)}</a>
                </td>
                <td className="from">{personName(s.authorName ?? "", s.author)}</td>
                <td className="num">
                  {s.total} <Completeness s={s} />
                </td>
                <td>{s.versionLine !== null ? <a href={versionLineUrl(s.versionLine)}>version line</a> : <span className="dim">—</span>}</td>
                <td className="mono date">{shortDate(s.date)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={series.page} pageSize={series.pageSize} total={series.total} href={(p) => seriesIndexUrl(list, p)} />
    </>
  );
}
