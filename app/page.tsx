import { listLists } from "@/lib/views/messages";
import { getDb } from "./db";
import { Crumbs, NoDatabase } from "./_components/chrome";
import { plural, shortDate } from "./_lib/format";
import { listUrl, seriesIndexUrl } from "./_lib/urls";

export const dynamic = "force-dynamic";

export default async function Home() {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const lists = await listLists(db);
  return (
    <>
      <Crumbs items={[{ label: "lists" }]} />
      <h1 className="page-title">Lists</h1>
      {lists.length === 0 ? (
        <section className="notice empty-state">
          <p>The archive is empty. Ingest a mailing list archive (an mbox file, a maildir or a public-inbox git repository):</p>
          <pre className="cmd">npx patchlore ingest &lt;mbox|maildir|public-inbox repo&gt; --list NAME</pre>
          <p>then reload this page.</p>
        </section>
      ) : (
        <table className="grid lists">
          <thead>
            <tr>
              <th>list</th>
              <th className="num">messages</th>
              <th className="num">threads</th>
              <th>last activity (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.name}>
                <td>
                  <a href={listUrl(l.name)} className="list-name">
                    {l.name}
                  </a>
                  <a href={seriesIndexUrl(l.name)} className="series-link small">
                    series
                  </a>
                  {l.description ? <span className="dim"> — {l.description}</span> : null}
                  {l.listId ? <div className="dim mono small">{l.listId}</div> : null}
                </td>
                <td className="num">{l.messages.toLocaleString("en-US")}</td>
                <td className="num">{l.threads.toLocaleString("en-US")}</td>
                <td className="mono">{shortDate(l.lastDate) || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="more-links">
        <a href="/people/">People</a> · <a href="/proposals/">Proposals</a> · <a href="/ideas/">Ideas</a> · <a href="/decisions/">Decisions</a> · {plural(lists.length, "list")} · <a href="/api">JSON API</a>
      </p>
    </>
  );
}
