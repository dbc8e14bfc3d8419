// The timeline of a proposal across years: RFC → versions → reviews → robot reports → decision,
// and the threads around it, grouped by year. Each item links to what it is: a posting to its
// series page (and review view), a verdict to the patch's review view, a report, a decision or a
// discussion to its message.
import type { TimelineItem } from "@/lib/views/proposals";
import { messageUrl, nestedThreadUrl, reviewUrl, seriesReviewUrl, seriesUrl } from "../_lib/urls";
import { cleanText } from "../_lib/format";
import { Person } from "./ProposalBits";

const KIND_TEXT: Record<string, string> = {
  rfc: "RFC",
  version: "version",
  review: "review",
  report: "report",
  decision: "decision",
  discussion: "discussion",
  reference: "reference",
  benchmark: "benchmark",
};

const VERDICT_TEXT: Record<string, string> = { nak: "NAK", ack: "Acked", review: "Reviewed", test: "Tested" };

function hrefOf(t: TimelineItem): string | null {
  if ((t.kind === "rfc" || t.kind === "version") && t.seriesKey) return seriesUrl(t.seriesKey);
  if (!t.list || !t.msgid) return null;
  if (t.kind === "discussion" || t.kind === "reference") return nestedThreadUrl(t.list, t.msgid);
  return messageUrl(t.list, t.msgid);
}

export function ProposalTimeline({ items }: { items: TimelineItem[] }) {
  if (!items.length) return <p className="dim">Nothing dated yet.</p>;
  const years = new Map<string, TimelineItem[]>();
  for (const t of items) {
    const y = t.date ? t.date.slice(0, 4) : "undated";
    years.set(y, [...(years.get(y) ?? []), t]);
  }
  return (
    <div className="pp-timeline">
      {[...years].map(([year, list]) => (
        <section key={year} className="pp-year" aria-label={year}>
          <h3 className="pp-year-head">{year}</h3>
          <ol className="pp-items">
            {list.map((t, i) => {
              const href = hrefOf(t);
              const tag = t.kind === "review" && t.tag ? (VERDICT_TEXT[t.tag] ?? t.tag) : t.tag;
              return (
                <li key={i} className={`pp-item pp-k-${t.kind}${t.kind === "review" && t.tag === "nak" ? " pp-nak" : ""}`}>
                  <time className="mono pp-date" dateTime={t.date ?? undefined}>
                    {t.date ? t.date.slice(5, 10) : "—"}
                  </time>
                  <span className="pp-kind">{KIND_TEXT[t.kind] ?? t.kind}</span>
                  {tag ? <span className={`pp-tag pp-tag-${t.kind}`}>{tag}</span> : null}
                  <span className="pp-what">
                    {href ? <a href={href}>{cleanText(t.title) || "(no subject)"}</a> : cleanText(t.title) || "(no subject)"}
                    {t.who ? (
                      <>
                        {" "}
                        <span className="dim">by</span> <Person p={t.who} />
                      </>
                    ) : null}
                    {t.detail ? <span className="dim pp-detail"> — {cleanText(t.detail)}</span> : null}
                    {(t.kind === "rfc" || t.kind === "version") && t.seriesKey ? (
                      <>
                        {" "}
                        <a className="pp-aux" href={seriesReviewUrl(t.seriesKey)}>
                          review
                        </a>
                      </>
                    ) : null}
                    {t.kind === "review" && t.list && t.patchMsgid ? (
                      <>
                        {" "}
                        <a className="pp-aux" href={reviewUrl(t.list, t.patchMsgid)}>
                          patch review
                        </a>
                      </>
                    ) : null}
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      ))}
    </div>
  );
}
