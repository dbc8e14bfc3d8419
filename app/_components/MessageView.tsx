// One message: headers, notes, body, attachments. Used by the message page and the thread pages.
import type { ReactNode } from "react";
import type { MessageDetail } from "@/lib/views/messages";
import type { MessageSeriesInfo } from "@/lib/views/series";
import { addressText, cleanText, formatBytes, senderDate, shortDate, subjectText } from "../_lib/format";
import { flatThreadUrl, messageUrl, nestedThreadUrl, patchUrl, personUrl, rawUrl, reviewUrl, seriesUrl } from "../_lib/urls";
import { formatIndex, versionLabel } from "../_lib/series";
import { Body } from "./Body";

/** Address lists longer than this fold the rest behind a <details>. */
const SHOWN_ADDRESSES = 8;

function Addresses({ list }: { list: { name: string; address: string }[] }) {
  const shown = list.slice(0, SHOWN_ADDRESSES).map(addressText).join(", ");
  const rest = list.slice(SHOWN_ADDRESSES);
  if (!rest.length) return <>{shown}</>;
  return (
    <>
      {shown},{" "}
      <details className="more">
        <summary>{rest.length} more</summary>
        {rest.map(addressText).join(", ")}
      </details>
    </>
  );
}

/** The sender, linked to their person page (every address of theirs on one page). */
function PersonLink({ m }: { m: Pick<MessageDetail, "fromName" | "fromAddress"> }) {
  const text = addressText({ name: m.fromName, address: m.fromAddress });
  return m.fromAddress ? (
    <a href={personUrl(m.fromAddress)} className="person-link">
      {text}
    </a>
  ) : (
    <>{text}</>
  );
}

function Header({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="hdr">
      <dt>{name}:</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function MessageHeaders({ m, list }: { m: MessageDetail; list: string }) {
  return (
    <dl className="hdrs">
      <Header name="From">
        <PersonLink m={m} />
      </Header>
      {m.to.length ? (
        <Header name="To">
          <Addresses list={m.to} />
        </Header>
      ) : null}
      {m.cc.length ? (
        <Header name="Cc">
          <Addresses list={m.cc} />
        </Header>
      ) : null}
      <Header name="Date">
        <time dateTime={m.date ?? undefined} title={m.date ? `${shortDate(m.date)} UTC` : undefined}>
          {senderDate(m.date, m.tzOffset)}
        </time>
      </Header>
      <Header name="Subject">{subjectText(m.subject)}</Header>
      <Header name="Message-ID">
        <a href={messageUrl(list, m.msgid)} className="msgid">
          &lt;{m.msgid}&gt;
        </a>
        {m.syntheticMsgid ? <span className="tag warn" title="the message had no usable Message-ID; this one was derived from its bytes">synthetic</span> : null}
      </Header>
      {m.inReplyTo || m.parent ? (
        <Header name="In-Reply-To">
          <a href={messageUrl(list, m.parent ?? m.inReplyTo!)} className="msgid">
            &lt;{m.parent ?? m.inReplyTo}&gt;
          </a>
          {m.parent && m.inReplyTo && m.inReplyTo !== m.parent ? <span className="msgid dim"> (header: &lt;{m.inReplyTo}&gt;)</span> : null}
        </Header>
      ) : null}
    </dl>
  );
}

export function MessageLinks({
  m,
  list,
  inThread,
  parentHref,
  info,
}: {
  m: MessageDetail;
  list: string;
  inThread?: boolean;
  parentHref?: string | null;
  /** its patch view and series, when it has them */
  info?: MessageSeriesInfo;
}) {
  const parent = m.parent ?? m.inReplyTo;
  const s = info?.series;
  return (
    <nav className="msg-links" aria-label="Message links">
      {inThread ? <a href={messageUrl(list, m.msgid)}>permalink</a> : null}
      {info?.patch ? (
        <a href={patchUrl(list, m.msgid)} className="patch-link">
          patch view
        </a>
      ) : null}
      {info?.patch ? (
        <a href={reviewUrl(list, m.msgid)} className="review-link">
          review
        </a>
      ) : null}
      {s ? (
        <a href={seriesUrl(s.key)} className="series-link" title={s.title}>
          series [{versionLabel(s)}
          {s.index > 0 ? ` ${formatIndex(s.index)}/${s.total}` : ` ${s.total} patches`}]
        </a>
      ) : null}
      <a href={rawUrl(list, m.msgid)}>raw</a>
      {m.threadId !== null && !inThread ? (
        <>
          <a href={flatThreadUrl(list, m.msgid)} title="the whole thread, messages in date order">
            thread (flat)
          </a>
          <a href={nestedThreadUrl(list, m.msgid)} title="the whole thread, nested as a tree">
            thread (nested)
          </a>
        </>
      ) : null}
      {parent ? <a href={parentHref ?? messageUrl(list, parent)}>parent</a> : null}
    </nav>
  );
}

export function Attachments({ m }: { m: MessageDetail }) {
  if (!m.attachments.length) return null;
  return (
    <section className="attachments" aria-label="Attachments">
      <h3 className="section-title">Attachments</h3>
      <table className="grid">
        <thead>
          <tr>
            <th>name</th>
            <th>type</th>
            <th className="num">size</th>
          </tr>
        </thead>
        <tbody>
          {m.attachments.map((a, i) => (
            <tr key={i}>
              <td className="mono">{a.filename ? cleanText(a.filename) : "(unnamed)"}</td>
              <td className="mono">{a.contentType}</td>
              <td className="num">{formatBytes(a.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function MessageNotes({ m }: { m: MessageDetail }) {
  const notes: ReactNode[] = [];
  if (m.bodyFromHtml) notes.push(<li key="html">This message had no plain-text part; the text below was converted from its HTML.</li>);
  if (m.recovery && m.recovery !== "raw") notes.push(<li key="rec">Recovered from {m.recovery === "quote" ? "quotations in other messages" : m.recovery}, not from the original bytes.</li>);
  if (!notes.length) return null;
  return <ul className="notes">{notes}</ul>;
}

/** Message-IDs and lore links in the body, resolved against the archive. */
export function References({ m }: { m: MessageDetail }) {
  if (!m.links?.length) return null;
  return (
    <section className="references" aria-label="Referenced messages">
      <h3 className="section-title">Messages this one refers to</h3>
      <ul>
        {m.links.map((l) => (
          <li key={l.msgid}>
            {l.found && l.list ? <a href={messageUrl(l.list, l.msgid)}>{l.subject || l.msgid}</a> : <code>{l.msgid}</code>}
            {!l.found && <span className="muted"> (not in this archive)</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Problems({ m }: { m: MessageDetail }) {
  if (!m.problems.length) return null;
  return (
    <section className="problems" aria-label="Parse problems">
      <h3 className="section-title">Problems noted while parsing</h3>
      <ul>
        {m.problems.map((p, i) => (
          <li key={i}>
            <code>{p.code}</code> {p.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Headers in one line for thread pages: who, when, to whom (folded), the Message-ID. */
function CompactHeaders({ m }: { m: MessageDetail }) {
  const rcpt = [...m.to.map((a) => ["To", a] as const), ...m.cc.map((a) => ["Cc", a] as const)];
  return (
    <div className="hdrs-compact">
      <span className="from">
        <PersonLink m={m} />
      </span>
      <time dateTime={m.date ?? undefined} title={m.date ? `${shortDate(m.date)} UTC` : undefined}>
        {senderDate(m.date, m.tzOffset)}
      </time>
      {rcpt.length ? (
        <details className="more rcpt">
          <summary>{rcpt.length === 1 ? "1 recipient" : `${rcpt.length} recipients`}</summary>
          <dl className="hdrs">
            {m.to.length ? (
              <Header name="To">
                <Addresses list={m.to} />
              </Header>
            ) : null}
            {m.cc.length ? (
              <Header name="Cc">
                <Addresses list={m.cc} />
              </Header>
            ) : null}
          </dl>
        </details>
      ) : null}
      <span className="msgid dim">&lt;{m.msgid}&gt;</span>
    </div>
  );
}

/** A message as shown inside a thread page. */
export function ThreadMessage({
  m,
  list,
  anchor,
  depth,
  parentAnchor,
  info,
}: {
  m: MessageDetail;
  list: string;
  anchor: string;
  depth?: number;
  /** the parent's anchor on this page, when it is on this page */
  parentAnchor?: string | null;
  info?: MessageSeriesInfo;
}) {
  const d = depth === undefined ? "" : ` depth-${Math.min(depth, 12)}`;
  return (
    <article className={`msg in-thread${d}`} id={anchor}>
      <header className="msg-head">
        <h2 className="msg-subject">
          <a href={`#${anchor}`} className="anchor" aria-label="link to this message in the thread">
            #
          </a>{" "}
          {subjectText(m.subject)}
        </h2>
        <CompactHeaders m={m} />
        <MessageLinks m={m} list={list} inThread parentHref={parentAnchor ? `#${parentAnchor}` : null} info={info} />
      </header>
      <MessageNotes m={m} />
      <Problems m={m} />
      <Body text={m.body} />
      <Attachments m={m} />
    </article>
  );
}
