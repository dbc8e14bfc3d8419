import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../db";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { Attachments, MessageHeaders, MessageLinks, MessageNotes, Problems, References } from "../../_components/MessageView";
import { ThreadTree } from "../../_components/ThreadTree";
import { Body } from "../../_components/Body";
import { KnowledgeBox } from "../../_components/KnowledgeBox";
import { CopyMarkdown } from "../../_components/CopyMarkdown";
import { plural, subjectText } from "../../_lib/format";
import { loadMessage, loadSeriesInfo, loadThreadTree } from "../../_lib/data";
import { apiUrl, decodeSegment, encodeSegment, flatThreadUrl, listUrl, messageUrl, nestedThreadUrl } from "../../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ list: string; msgid: string }> };

async function load(params: Props["params"]) {
  const p = await params;
  const list = decodeSegment(p.list);
  const msgid = decodeSegment(p.msgid);
  return { list, msgid, m: await loadMessage(list, msgid) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { m, list } = await load(params);
  return { title: m ? `${m.ghost ? "missing message" : subjectText(m.subject)} · ${list}` : "not found" };
}

export default async function MessagePage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { list, msgid, m } = await load(params);
  if (!m) notFound();
  const [tree, info] = await Promise.all([m.threadId !== null ? loadThreadTree(m.threadId) : [], m.ghost ? null : loadSeriesInfo(m.msgid)]);
  const crumbs = [
    { href: "/", label: "lists" },
    { href: listUrl(list), label: list },
    ...(m.threadId !== null ? [{ href: nestedThreadUrl(list, msgid), label: "thread" }] : []),
    { label: m.ghost ? "missing message" : "message" },
  ];
  return (
    <>
      <Crumbs items={crumbs} />
      {m.ghost ? (
        <article className="msg ghost-msg">
          <h1 className="msg-subject">[message not in the archive: &lt;{m.msgid}&gt;]</h1>
          <p>Other messages refer to this Message-ID, but the message itself is not in the archive (yet).</p>
          {m.threadId !== null ? (
            <nav className="msg-links">
              <a href={flatThreadUrl(list, msgid)}>thread (flat)</a>
              <a href={nestedThreadUrl(list, msgid)}>thread (nested)</a>
            </nav>
          ) : null}
        </article>
      ) : (
        <article className="msg single" id="m">
          <header className="msg-head">
            <h1 className="msg-subject">{subjectText(m.subject)}</h1>
            <MessageHeaders m={m} list={list} />
            <MessageLinks m={m} list={list} info={info?.get(m.msgid)} />
            <p className="msg-copy">
              <CopyMarkdown src={`${apiUrl(`${encodeSegment(list)}/${encodeSegment(m.msgid)}/`)}?format=md`} label="Copy as Markdown" />
            </p>
          </header>
          <MessageNotes m={m} />
          <Body text={m.body} />
          <Attachments m={m} />
          <References m={m} />
          <Problems m={m} />
          <KnowledgeBox list={list} msgid={m.msgid} />
          <section className="provenance" aria-label="Provenance">
            <h3 className="section-title">Provenance</h3>
            <dl className="facts">
              <dt>lists</dt>
              <dd>
                {m.lists.map((l, i) => (
                  <span key={l}>
                    {i ? ", " : ""}
                    <a href={messageUrl(l, m.msgid)}>{l}</a>
                  </span>
                ))}
              </dd>
              <dt>read from</dt>
              <dd>
                {m.sources.length ? (
                  <ul className="plain">
                    {m.sources.map((s, i) => (
                      <li key={i}>
                        {s.list}: <span className="mono">{s.ref ?? "(no position recorded)"}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  "(not recorded)"
                )}
              </dd>
              {m.threadMethod ? (
                <>
                  <dt>threaded by</dt>
                  <dd>{m.threadMethod}</dd>
                </>
              ) : null}
              <dt>duplicates</dt>
              <dd>
                {m.duplicates
                  ? `${plural(m.duplicates, "other message")} arrived with this Message-ID and different content; kept, not merged`
                  : "none"}
              </dd>
            </dl>
            <details className="all-headers">
              <summary>all headers ({m.headers.length})</summary>
              <table className="grid headers">
                <tbody>
                  {m.headers.map(([k, v], i) => (
                    <tr key={i}>
                      <th className="mono">{k}</th>
                      <td className="mono">{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
        </article>
      )}
      {tree.length > 1 ? (
        <ThreadTree nodes={tree} current={m.msgid} hrefFor={(n) => (n.ghost ? null : messageUrl(list, n.msgid))} />
      ) : null}
    </>
  );
}
