import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../db";
import { Crumbs, NoDatabase, Pager } from "../_components/chrome";
import { cleanText, plural, shortDate, subjectText } from "../_lib/format";
import { loadList, loadThreads } from "../_lib/data";
import { decodeSegment, listUrl, nestedThreadUrl, pageParam, seriesIndexUrl } from "../_lib/urls";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;

type Props = {
  params: Promise<{ list: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeSegment((await params).list) };
}

export default async function ListPage({ params, searchParams }: Props) {
  if (!getDb()) return <NoDatabase />;
  const list = decodeSegment((await params).list);
  const page = pageParam((await searchParams).page);
  const [summary, threads] = await Promise.all([loadList(list), loadThreads(list, page, PAGE_SIZE)]);
  if (!summary || !threads) notFound();
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: list }]} />
      <h1 className="page-title">
        {list}{" "}
        <span className="count">
          ({plural(summary.messages, "message")} in {plural(summary.threads, "thread")})
        </span>
      </h1>
      <nav className="list-tabs" aria-label="Views of the list">
        <span aria-current="page">threads</span>
        <a href={seriesIndexUrl(list)}>series</a>
      </nav>
      {summary.description || summary.listId ? (
        <p className="dim">
          {summary.description}
          {summary.description && summary.listId ? " · " : null}
          {summary.listId ? <span className="mono">{summary.listId}</span> : null}
        </p>
      ) : null}
      {threads.items.length === 0 ? (
        <p className="notice">{threads.total ? "No threads on this page." : "No threads in this list yet."}</p>
      ) : (
        <table className="grid threads">
          <thead>
            <tr>
              <th>thread</th>
              <th>from</th>
              <th className="num">msgs</th>
              <th>last activity (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {threads.items.map((t) => {
              const rootId = t.root?.msgid;
              const author = t.root && !t.root.ghost ? t.root.fromName || t.root.fromAddress : t.participants[0] ?? "";
              const others = t.participants.filter((p) => p !== author).length;
              return (
                <tr key={t.threadId}>
                  <td className="subject">
                    {rootId ? <a href={nestedThreadUrl(list, rootId)}>{subjectText(t.subject)}</a> : <span>{subjectText(t.subject)}</span>}
                    {t.ghosts > 0 ? (
                      <span
                        className="tag ghost"
                        title={`${plural(t.ghosts, "message")} this thread refers to ${t.ghosts === 1 ? "is" : "are"} not in the archive${t.root?.ghost ? ", its first message among them" : ""}`}
                      >
                        {t.root?.ghost ? (t.ghosts > 1 ? `root + ${t.ghosts - 1} missing` : "root missing") : `${t.ghosts} missing`}
                      </span>
                    ) : null}
                  </td>
                  <td className="from">
                    {cleanText(author)}
                    {others > 0 ? <span className="dim"> +{others}</span> : null}
                  </td>
                  <td className="num">{t.messages}</td>
                  <td className="mono date">{shortDate(t.lastDate)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager page={threads.page} pageSize={threads.pageSize} total={threads.total} href={(p) => listUrl(list, p)} />
    </>
  );
}
