// /<list>/<msgid>/T/ (flat: every message in date order, overview at the bottom) and
// /<list>/<msgid>/t/ (nested: the tree first, then the messages in tree order, indented).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../../db";
import { Crumbs, NoDatabase } from "../../../_components/chrome";
import { ThreadMessage } from "../../../_components/MessageView";
import { ThreadTree } from "../../../_components/ThreadTree";
import { plural, subjectText } from "../../../_lib/format";
import { loadSeriesInfo, loadThread } from "../../../_lib/data";
import { decodeSegment, flatThreadUrl, listUrl, messageAnchor, messageUrl, nestedThreadUrl } from "../../../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ list: string; msgid: string; view: string }> };

async function load(params: Props["params"]) {
  const p = await params;
  if (p.view !== "T" && p.view !== "t") return null;
  const list = decodeSegment(p.list);
  const msgid = decodeSegment(p.msgid);
  const thread = await loadThread(list, msgid);
  return thread ? { list, msgid, thread, nested: p.view === "t" } : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const r = await load(params);
  return { title: r ? `${subjectText(r.thread.subject)} · ${r.list}` : "not found" };
}

export default async function ThreadPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const r = await load(params);
  if (!r) notFound();
  const { list, msgid, thread, nested } = r;
  const info = await loadSeriesInfo(thread.flat.map((m) => m.msgid).join("\n"));
  const byMsgid = new Map(thread.flat.map((m) => [m.msgid, m]));
  const anchorOf = (id: string) => {
    const m = byMsgid.get(id);
    return m ? `#${messageAnchor(m.id)}` : null;
  };
  const parentAnchorOf = (id: string | null) => {
    const p = id ? byMsgid.get(id) : undefined;
    return p ? messageAnchor(p.id) : null;
  };
  const tree = <ThreadTree nodes={thread.tree} current={msgid} hrefFor={(n) => anchorOf(n.msgid)} />;
  // nested view: messages in tree order with their depth; any message the tree missed goes last
  const inTree = new Set(thread.tree.map((n) => n.msgid));
  const ordered = nested
    ? [
        ...thread.tree.filter((n) => byMsgid.has(n.msgid)).map((n) => ({ m: byMsgid.get(n.msgid)!, depth: n.depth })),
        ...thread.flat.filter((m) => !inTree.has(m.msgid)).map((m) => ({ m, depth: 0 })),
      ]
    : thread.flat.map((m) => ({ m, depth: undefined as number | undefined }));
  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          { href: listUrl(list), label: list },
          { href: messageUrl(list, msgid), label: "message" },
          { label: nested ? "thread (nested)" : "thread (flat)" },
        ]}
      />
      <header className="thread-head">
        <h1 className="page-title">{subjectText(thread.subject)}</h1>
        <p className="dim">
          {plural(thread.flat.length, "message")}
          {thread.ghosts ? `, ${plural(thread.ghosts, "message")} not in the archive` : ""} ·{" "}
          {nested ? (
            <>
              nested · <a href={flatThreadUrl(list, msgid)}>flat</a>
            </>
          ) : (
            <>
              <a href={nestedThreadUrl(list, msgid)}>nested</a> · flat · <a href="#overview">overview</a>
            </>
          )}
        </p>
      </header>
      {nested ? tree : null}
      <div className={`thread-messages${nested ? " nested" : ""}`}>
        {ordered.map(({ m, depth }) => (
          <ThreadMessage
            key={m.msgid}
            m={m}
            list={list}
            anchor={messageAnchor(m.id)}
            depth={depth}
            parentAnchor={parentAnchorOf(m.parent ?? m.inReplyTo)}
            info={info.get(m.msgid)}
          />
        ))}
      </div>
      {nested ? null : <div id="overview">{tree}</div>}
    </>
  );
}
