// /people/<address>/: one person — every address merged into it (and how), the names seen, what
// they proposed (series, patches, proposals; which were merged upstream), the reviews they gave
// (Reviewed-by, Acked-by, Tested-by, Nacked-by trailers and reply verdicts), their NAKs, the review
// discussions they started, and counts per year. Any of the person's addresses shows the same page.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../db";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { UpstreamBadges } from "../../_components/UpstreamBadge";
import { cleanText, plural, shortDate, subjectText } from "../../_lib/format";
import { apiUrl, decodeSegment, encodeSegment, messageUrl, patchUrl, peopleUrl, personUrl, seriesUrl, codeUrl } from "../../_lib/urls";
import { getPersonProfile, type PersonProfile, type PersonReview } from "@/lib/views/people";
import "../../history.css";
import "../../proposals.css";
import { StatusBadge } from "../../_components/ProposalBits";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ address: string }> };

async function load(params: Props["params"]) {
  const address = decodeSegment((await params).address);
  const db = getDb();
  if (!db || !address || address.length > 320) return { address, p: null };
  return { address, p: await getPersonProfile(db, address) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { p } = await load(params);
  return { title: p ? `${cleanText(p.name || p.address)} · people` : "not found" };
}

const day = (iso: string | null) => shortDate(iso).slice(0, 10);

function MethodText({ a }: { a: PersonProfile["addresses"][number] }) {
  if (a.canonical) return <span className="tag ok">canonical</span>;
  return (
    <span title={a.evidence ?? undefined}>
      <span className="tag">{a.method}</span> <span className="dim small">{a.confidence?.toFixed(2)}{a.via ? ` via ${cleanText(a.via)}` : ""}</span>
      {a.evidence ? <div className="dim small">{cleanText(a.evidence)}</div> : null}
    </span>
  );
}

function ReviewRows({ rows }: { rows: PersonReview[] }) {
  return (
    <table className="grid person-reviews">
      <thead>
        <tr>
          <th>date</th>
          <th>given</th>
          <th>on</th>
          <th>reply</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.msgid}>
            <td className="mono">{day(r.date)}</td>
            <td>
              {r.trailers.map((t) => (
                <span key={t} className={`tag ${t === "Nacked-by" ? "warn" : ""}`}>
                  {t}
                </span>
              ))}
              {r.verdict ? <span className={`tag ${r.verdict === "nak" ? "warn" : ""}`} title={r.verdictText ?? undefined}>verdict: {r.verdict}</span> : null}
            </td>
            <td>
              {r.series ? (
                <a href={seriesUrl(r.series.key)} className="dim small">
                  [v{r.series.version}]{" "}
                </a>
              ) : null}
              {r.patch && r.patch.list ? <a href={patchUrl(r.patch.list, r.patch.msgid)}>{subjectText(r.patch.title)}</a> : r.patch ? subjectText(r.patch.title) : <span className="dim">—</span>}
            </td>
            <td>{r.list ? <a href={messageUrl(r.list, r.msgid)}>{subjectText(r.subject)}</a> : subjectText(r.subject)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function YearBars({ years }: { years: PersonProfile["years"] }) {
  const max = Math.max(1, ...years.map((y) => y.messages));
  return (
    <table className="grid person-years">
      <thead>
        <tr>
          <th>year</th>
          <th className="num">messages</th>
          <th className="num">patches</th>
          <th className="num">reviews</th>
          <th className="num">NAKs</th>
          <th aria-hidden="true"></th>
        </tr>
      </thead>
      <tbody>
        {years.map((y) => (
          <tr key={y.year}>
            <td className="mono">{y.year}</td>
            <td className="num">{y.messages}</td>
            <td className="num">{y.patches}</td>
            <td className="num">{y.reviews}</td>
            <td className="num">{y.naks}</td>
            <td className="mono dim" aria-hidden="true">
              {"▇".repeat(Math.max(y.messages ? 1 : 0, Math.round((30 * y.messages) / max)))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function PersonPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { p } = await load(params);
  if (!p) notFound();
  const c = p.counts;
  const credited = Object.entries(c.credited);
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { href: peopleUrl(), label: "people" }, { label: p.name || p.address }]} />
      <h1 className="page-title">
        {cleanText(p.name || p.address)} <span className="count mono">&lt;{cleanText(p.address)}&gt;</span>
      </h1>
      <dl className="facts">
        <dt>activity</dt>
        <dd>
          {plural(c.messages, "message")}, {plural(c.series, "series", "series")}, {plural(c.patches, "patch", "patches")}
          {c.merged ? ` (${c.merged} found upstream)` : ""}, {plural(c.reviews, "review")} given
          {c.reviews ? ` (Reviewed-by ${c.reviewedBy}, Acked-by ${c.ackedBy}, Tested-by ${c.testedBy})` : ""}, {plural(c.nacks, "NAK")},{" "}
          {plural(c.discussionsStarted, "review discussion")} started, {plural(c.threadsStarted, "thread")} started, {plural(c.proposals, "proposal")}
        </dd>
        <dt>seen</dt>
        <dd className="mono">
          {day(p.firstSeen)} … {day(p.lastSeen)}
        </dd>
        {p.names.length > 1 ? (
          <>
            <dt>names</dt>
            <dd>{p.names.map(cleanText).join(" · ")}</dd>
          </>
        ) : null}
        {credited.length ? (
          <>
            <dt>credited in commit messages</dt>
            <dd>{credited.map(([k, n]) => `${k} ×${n}`).join(", ")}</dd>
          </>
        ) : null}
      </dl>
      <nav className="msg-links" aria-label="Person links">
        <a href={apiUrl(`people/${encodeSegment(p.address)}`)}>JSON</a>
      </nav>

      <section className="person-section" aria-label="Addresses">
        <h2 className="section-title">Addresses ({p.addresses.length})</h2>
        <table className="grid person-addresses">
          <thead>
            <tr>
              <th>address</th>
              <th>names</th>
              <th className="num">messages</th>
              <th>seen</th>
              <th>merged</th>
            </tr>
          </thead>
          <tbody>
            {p.addresses.map((a) => (
              <tr key={a.address}>
                <td className="mono">
                  <a href={personUrl(a.address)}>{cleanText(a.address)}</a>
                </td>
                <td>{a.names.map(cleanText).join(", ")}</td>
                <td className="num">{a.messages}</td>
                <td className="mono">
                  {day(a.firstSeen)} … {day(a.lastSeen)}
                </td>
                <td>
                  <MethodText a={a} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {p.years.length ? (
        <section className="person-section" aria-label="Per year">
          <h2 className="section-title">Per year</h2>
          <YearBars years={p.years} />
        </section>
      ) : null}

      {p.series.length ? (
        <section className="person-section" aria-label="Series proposed">
          <h2 className="section-title">Series proposed ({c.series})</h2>
          <table className="grid">
            <thead>
              <tr>
                <th>date</th>
                <th>series</th>
                <th>status</th>
                <th>proposal</th>
                <th className="num">upstream</th>
              </tr>
            </thead>
            <tbody>
              {p.series.map((s) => (
                <tr key={s.key}>
                  <td className="mono">{day(s.date)}</td>
                  <td>
                    <span className="badge ver">{s.isRfc ? "RFC " : ""}v{s.revision}</span> <a href={seriesUrl(s.key)}>{subjectText(s.title)}</a>{" "}
                    <span className="dim small">{plural(s.total, "patch", "patches")}{s.complete ? "" : ", incomplete"}</span>
                  </td>
                  <td className="series-status">
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.proposal ? <span>{cleanText(s.proposal.title)} <StatusBadge status={s.proposal.status} /></span> : <span className="dim">—</span>}</td>
                  <td className="num">{s.merged ? `${s.merged}/${s.total}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {p.patches.length ? (
        <section className="person-section" aria-label="Patches">
          <h2 className="section-title">Patches ({c.patches}{c.patches > p.patches.length ? `, the newest ${p.patches.length}` : ""})</h2>
          <ul className="code-patches">
            {p.patches.map((x) => (
              <li key={x.msgid} className="code-patch">
                <span className="mono dim">{day(x.date)}</span> {x.list ? <a href={patchUrl(x.list, x.msgid)}>{subjectText(x.title)}</a> : subjectText(x.title)}
                <UpstreamBadges commits={x.commits} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {p.naks.length ? (
        <section className="person-section" aria-label="NAKs">
          <h2 className="section-title">NAKs ({c.nacks})</h2>
          <ReviewRows rows={p.naks} />
        </section>
      ) : null}

      {p.reviews.length ? (
        <section className="person-section" aria-label="Reviews given">
          <h2 className="section-title">Reviews given ({c.reviews})</h2>
          <ReviewRows rows={p.reviews} />
        </section>
      ) : null}

      {p.discussions.length ? (
        <section className="person-section" aria-label="Review discussions started">
          <h2 className="section-title">Review discussions started ({c.discussionsStarted})</h2>
          <ul className="code-comments">
            {p.discussions.map((d) => (
              <li key={d.id} className={`code-comment ${d.status}`}>
                <div className="small">
                  <span className="mono dim">{day(d.date)}</span> on {d.patch.list ? <a href={patchUrl(d.patch.list, d.patch.msgid)}>{subjectText(d.patch.subject)}</a> : subjectText(d.patch.subject)}
                  {d.file ? (
                    <>
                      {" "}
                      at{" "}
                      <a className="mono" href={codeUrl(d.file)}>
                        {cleanText(d.file)}
                      </a>
                      {d.line !== null ? `:${d.line}` : ""}
                    </>
                  ) : null}{" "}
                  <span className={`tag ${d.status === "resolved" ? "ok" : ""}`}>{d.status}</span> {d.list ? <a href={messageUrl(d.list, d.msgid)}>message</a> : null}
                </div>
                <blockquote className="code-comment-text">{cleanText(d.text.length > 400 ? `${d.text.slice(0, 400)}…` : d.text)}</blockquote>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {p.proposals.length ? (
        <section className="person-section" aria-label="Proposals">
          <h2 className="section-title">Proposals ({c.proposals})</h2>
          <ul>
            {p.proposals.map((x) => (
              <li key={x.id}>
                {cleanText(x.title)} <StatusBadge status={x.status} /> <span className="dim small">{x.role}, {day(x.firstDate)} … {day(x.lastDate)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {p.threads.length ? (
        <section className="person-section" aria-label="Threads started">
          <h2 className="section-title">Threads started ({c.threadsStarted})</h2>
          <ul>
            {p.threads.map((t) => (
              <li key={t.msgid}>
                <span className="mono dim">{day(t.date)}</span> {t.list ? <a href={messageUrl(t.list, t.msgid)}>{subjectText(t.subject)}</a> : subjectText(t.subject)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
