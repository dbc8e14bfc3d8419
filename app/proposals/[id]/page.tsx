// /proposals/<id>/: one line of design work across threads and years: the timeline (RFC →
// versions → reviews → reports → decision), the versions, the people and their verdicts, the
// code it touched, the ideas raised, benchmarks and runs, the decision and its reasons, related
// proposals, how each member was found, and curation. A proposal merged into another redirects.
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getProposal, type ProposalDetail } from "@/lib/views/proposals";
import { loadCurationView } from "@/lib/views/curation";
import { getDb } from "../../db";
import { currentUser } from "../../_lib/auth";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { CurationForms } from "../../_components/CurationForms";
import { RunPlots } from "../../_components/RunPlots";
import { ProposalTimeline } from "../../_components/ProposalTimeline";
import { ProposalCode } from "../../_components/ProposalCode";
import { MsgLink, Person, Provenance, StatusBadge, day, evidenceText, methodText, proposalUrl, proposalsUrl, relationText, spanText } from "../../_components/ProposalBits";
import { cleanText, plural } from "../../_lib/format";
import { apiUrl, messageUrl, nestedThreadUrl, reviewUrl, seriesReviewUrl, seriesUrl, versionLineUrl } from "../../_lib/urls";
import "../../proposals.css";
import { QUIET_DAYS } from "@/lib/knowledge/status";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const load = cache(async (raw: string) => {
  const db = getDb();
  if (!db || !/^\d{1,9}$/.test(raw)) return null;
  return getProposal(db, Number(raw));
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const p = await load((await params).id);
  return { title: p && !("redirect" in p) ? `${cleanText(p.title)} · proposal ${p.id}` : "proposal" };
}

const VERDICT_TEXT: Record<string, string> = { nak: "NAK", ack: "Acked-by", review: "Reviewed-by", test: "Tested-by" };
const fmtNum = (v: number | null) => (v === null ? "" : Math.abs(v) >= 1e5 ? v.toLocaleString("en-US") : String(v));

function Decision({ p }: { p: ProposalDetail }) {
  const active = p.decisions.filter((d) => d.status !== "rejected");
  const because = p.statusBecause as { messageId?: number; upstream?: boolean; earlier?: string; pending?: string; quietDays?: number; laterVersion?: boolean } | null;
  const last = active[active.length - 1];
  return (
    <section className="pp-decision" aria-labelledby="decision-h" id="decision">
      <h2 className="section-title" id="decision-h">
        Decision
      </h2>
      <p>
        Status: <StatusBadge status={p.status} />
        {because?.upstream ? <span className="dim"> — its patches are in the upstream tree.</span> : null}
        {because?.earlier ? <span className="dim"> — an earlier version was {because.earlier === "nak" ? "NAKed" : because.earlier}; a later one answered it.</span> : null}
        {because?.pending === "deferred" ? <span className="dim"> — put off for later, not refused.</span> : null}
        {p.status === "changes-requested" ? <span className="dim"> — the last word on its latest version asked for changes.</span> : null}
        {p.status === "no-decision" ? (
          <span className="dim"> — no decision seen, and nothing happened on it for {because?.quietDays ?? QUIET_DAYS} days before the archive&apos;s newest message.</span>
        ) : null}
        {!active.length && !because?.upstream && p.status !== "no-decision" ? <span className="dim"> — no decision found in its threads yet.</span> : null}
      </p>
      {active.length ? (
        <ol className="pp-decisions">
          {active.map((d) => (
            <li key={d.id} className={d === last ? "pp-final" : undefined}>
              <span className={`pp-tag pp-tag-decision pp-d-${d.kind}`}>{d.kind}</span> <span className="mono dim">{day(d.date)}</span> <Person p={d.who} />
              {d.series ? (
                <>
                  {" "}
                  <span className="dim">on</span> <a href={seriesUrl(d.series.key)}>{d.series.label}</a>
                </>
              ) : null}
              {d.target ? (
                <>
                  {" "}
                  <span className="dim">to</span> <span className="mono">{cleanText(d.target)}</span>
                </>
              ) : null}
              {d.quote ? (
                <blockquote className="pp-quote">
                  <MsgLink list={d.list} msgid={d.msgid}>
                    {cleanText(d.quote)}
                  </MsgLink>
                </blockquote>
              ) : null}
              {d.reason ? <p className="pp-reason">Reason: {cleanText(d.reason)}</p> : null}
              <p className="dim small">
                lines {d.firstLine}–{d.lastLine} · <Provenance method={d.method} confidence={d.confidence} />
                {d.status !== "detected" ? ` · ${d.status}` : ""}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

export default async function ProposalPage({ params, searchParams }: Props) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const p = await load((await params).id);
  if (!p) notFound();
  if ("redirect" in p) redirect(proposalUrl(p.redirect));
  const sp = await searchParams;
  const [view, me] = await Promise.all([loadCurationView(db, p.id), currentUser()]);
  const versions = p.members.filter((m) => m.series && m.state !== "removed");
  const lines = [...new Set(versions.map((v) => v.series!.versionLine).filter((x): x is number => x !== null))];
  const threads = p.members.filter((m) => m.thread && m.state !== "removed" && m.role !== "rfc");
  const listOfMsg = new Map<string, string>();
  for (const x of [...p.ideas, ...p.benchmarks]) if (x.list) listOfMsg.set(x.msgid, x.list);
  for (const d of p.decisions) if (d.list && d.msgid) listOfMsg.set(d.msgid, d.list);

  return (
    <>
      <Crumbs items={[{ href: proposalsUrl(), label: "proposals" }, { label: `#${p.id}` }]} />
      <header className="pp-head">
        <h1 className="page-title">
          {cleanText(p.title)} <StatusBadge status={p.status} />
        </h1>
        <dl className="facts pp-facts">
          <dt>when</dt>
          <dd>{spanText(p.firstDate, p.lastDate)}</dd>
          <dt>postings</dt>
          <dd>
            {plural(p.postings, "posting")}, {plural(p.versions, "version")}
            {lines.map((l) => (
              <span key={l}>
                {" "}
                · <a href={versionLineUrl(l)}>version line</a>
              </span>
            ))}
          </dd>
          <dt>people</dt>
          <dd>
            {plural(p.people, "person", "people")}, {plural(p.messages, "message")}
          </dd>
          {p.lists.length ? (
            <>
              <dt>lists</dt>
              <dd>{p.lists.join(", ")}</dd>
            </>
          ) : null}
          <dt>key</dt>
          <dd className="mono small">{p.key}</dd>
        </dl>
        <nav className="downloads" aria-label="Links">
          <a href={apiUrl(`proposals/${p.id}/`)}>JSON</a>
          <a href="#timeline">timeline</a>
          <a href="#code">code</a>
          <a href="#ideas">ideas</a>
          <a href="#benchmarks">benchmarks</a>
          <a href="#decision">decision</a>
          <a href="#related">related</a>
        </nav>
      </header>

      <section className="pp-section" id="timeline" aria-labelledby="timeline-h">
        <h2 className="section-title" id="timeline-h">
          Timeline
        </h2>
        <ProposalTimeline items={p.timeline} />
      </section>

      <section className="pp-section" id="versions" aria-labelledby="versions-h">
        <h2 className="section-title" id="versions-h">
          Versions
        </h2>
        {versions.length ? (
          <table className="grid pp-versions">
            <thead>
              <tr>
                <th>version</th>
                <th>title</th>
                <th>author</th>
                <th>date</th>
                <th className="num">patches</th>
                <th>found by</th>
                <th>links</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const s = v.series!;
                const label = s.isRfc ? (s.revision === "1" ? "RFC" : `RFC v${s.revision}`) : `v${s.revision || s.version}`;
                return (
                  <tr key={v.ref} data-series={s.key}>
                    <td>
                      <span className={`badge ${s.isRfc ? "rfc" : "ver"}`}>{label}</span>
                      {s.isResend ? <span className="badge resend">RESEND</span> : null}
                    </td>
                    <td>
                      <a href={seriesUrl(s.key)}>{cleanText(v.label)}</a>
                    </td>
                    <td>
                      <Person p={{ name: s.authorName ?? "", address: s.author }} />
                    </td>
                    <td className="mono">{day(v.date)}</td>
                    <td className="num">{s.total}</td>
                    <td className="small">
                      <Provenance method={v.method} confidence={v.confidence} evidence={v.evidence} />
                    </td>
                    <td className="links">
                      <a href={seriesReviewUrl(s.key)}>review</a>
                      {v.list && v.msgid ? <a href={nestedThreadUrl(v.list, v.msgid)}>thread</a> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="dim">No patch series: a topic or design thread.</p>
        )}
        {threads.length ? (
          <>
            <h3>Threads around it</h3>
            <ul className="pp-threads">
              {threads.map((t) => (
                <li key={t.ref}>
                  <span className="pp-tag">{t.role}</span> {t.list && t.msgid ? <a href={nestedThreadUrl(t.list, t.msgid)}>{cleanText(t.label)}</a> : cleanText(t.label)}{" "}
                  <span className="mono dim">{day(t.date)}</span> <span className="dim small">{plural(t.thread!.messages, "message")}</span> ·{" "}
                  <span className="small">
                    <Provenance method={t.method} confidence={t.confidence} evidence={t.evidence} />
                  </span>
                  {evidenceText(t.method, t.evidence) ? <div className="dim small pp-ev">{evidenceText(t.method, t.evidence)}</div> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="pp-section" id="people" aria-labelledby="people-h">
        <h2 className="section-title" id="people-h">
          People
        </h2>
        <div className="pp-people">
          <div>
            <h3>Proposed by</h3>
            <ul className="plain">
              {p.contributors.proposers.map((x) => (
                <li key={x.address}>
                  <Person p={x} /> <span className="dim small">{plural(x.postings, "posting")}</span>
                </li>
              ))}
              {!p.contributors.proposers.length ? <li className="dim">—</li> : null}
            </ul>
          </div>
          <div>
            <h3>Reviewers</h3>
            {p.contributors.reviewers.length ? (
              <ul className="plain pp-reviewers">
                {p.contributors.reviewers.map((x) => (
                  <li key={x.address}>
                    <Person p={x} />{" "}
                    {x.verdicts.map((v, i) => (
                      <a
                        key={i}
                        className={`pp-verdict pp-v-${v.verdict}`}
                        href={v.list && v.patchMsgid ? reviewUrl(v.list, v.patchMsgid) : v.list ? messageUrl(v.list, v.msgid) : "#"}
                        title={`${v.via}${v.patchTitle ? ` on ${v.patchTitle}` : ""} (${day(v.date)})`}
                      >
                        {VERDICT_TEXT[v.verdict] ?? v.verdict}
                        {v.version ? ` ${v.version}` : ""}
                      </a>
                    ))}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="dim">No verdicts found yet.</p>
            )}
          </div>
          <div>
            <h3>Also in the discussion</h3>
            <ul className="plain">
              {p.contributors.participants.slice(0, 30).map((x) => (
                <li key={x.address}>
                  <Person p={x} /> <span className="dim small">{plural(x.messages, "message")}</span>
                </li>
              ))}
              {!p.contributors.participants.length ? <li className="dim">—</li> : null}
            </ul>
          </div>
        </div>
      </section>

      <section className="pp-section" id="code" aria-labelledby="code-h">
        <h2 className="section-title" id="code-h">
          Code <span className="count">({plural(p.code.files.length, "file")}, {plural(p.code.functions, "function")}, {plural(p.code.hunks, "hunk")})</span>
        </h2>
        <ProposalCode files={p.code.files} />
      </section>

      <section className="pp-section" id="ideas" aria-labelledby="ideas-h">
        <h2 className="section-title" id="ideas-h">
          Design ideas <span className="count">({p.ideas.length})</span>
        </h2>
        {p.ideas.length ? (
          <table className="grid pp-ideas">
            <thead>
              <tr>
                <th>kind</th>
                <th>idea</th>
                <th>who</th>
                <th>date</th>
                <th className="num">confidence</th>
                <th>status</th>
              </tr>
            </thead>
            <tbody>
              {p.ideas.map((i) => (
                <tr key={i.id}>
                  <td>
                    <span className={`pp-tag pp-i-${i.kind}`}>{i.kind}</span>
                  </td>
                  <td>
                    <MsgLink list={i.list} msgid={i.msgid}>
                      {cleanText(i.summary)}
                    </MsgLink>{" "}
                    <span className="dim small">
                      (lines {i.firstLine}–{i.lastLine}, {methodText(i.method)})
                    </span>
                  </td>
                  <td>
                    <Person p={i.who} />
                  </td>
                  <td className="mono">{day(i.date)}</td>
                  <td className="num">{i.confidence.toFixed(2)}</td>
                  <td className="small">{i.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="dim">No design ideas found in its threads.</p>
        )}
      </section>

      <section className="pp-section" id="benchmarks" aria-labelledby="benchmarks-h">
        <h2 className="section-title" id="benchmarks-h">
          Benchmarks <span className="count">({p.benchmarks.length})</span>
        </h2>
        {p.benchmarks.length ? (
          <table className="grid pp-bench">
            <thead>
              <tr>
                <th>suite</th>
                <th>test</th>
                <th>metric</th>
                <th className="num">value</th>
                <th className="num">change</th>
                <th>direction</th>
                <th>from</th>
              </tr>
            </thead>
            <tbody>
              {p.benchmarks.map((b) => (
                <tr key={b.id}>
                  <td>{b.suite ? cleanText(b.suite) : <span className="dim">—</span>}</td>
                  <td>{b.test ? cleanText(b.test) : <span className="dim">—</span>}</td>
                  <td className="mono">{cleanText(b.metric)}</td>
                  <td className="num mono">
                    {fmtNum(b.value)}
                    {b.unit ? ` ${cleanText(b.unit)}` : ""}
                  </td>
                  <td className="num mono">{b.change === null ? "" : `${b.change > 0 ? "+" : ""}${Math.round(b.change * 10) / 10}%`}</td>
                  <td className={b.direction ? `pp-dir-${b.direction}` : undefined}>{b.direction ?? ""}</td>
                  <td className="small">
                    <MsgLink list={b.list} msgid={b.msgid}>
                      {day(b.date)}
                    </MsgLink>{" "}
                    <Person p={b.who} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="dim">No benchmark figures found in its threads.</p>
        )}
        {p.reports.length ? (
          <>
            <h3>Robot reports</h3>
            <ul className="pp-reports">
              {p.reports.map((r) => (
                <li key={r.msgid}>
                  <span className="pp-tag">{r.kind}</span>{" "}
                  <MsgLink list={r.list} msgid={r.msgid}>
                    {cleanText(r.subject)}
                  </MsgLink>{" "}
                  <span className="mono dim">{day(r.date)}</span> <span className="dim small">{cleanText(r.robot)}</span>
                  {r.commit ? <span className="mono dim small"> commit {cleanText(r.commit)}</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section className="pp-section" id="runs-section" aria-label="Runs">
        {p.runs.length ? <RunPlots runs={p.runs} /> : null}
        {!p.runs.length ? (
          <>
            <h2 className="section-title">Benchmark and simulator runs</h2>
            <p className="dim">No runs attached (`patchlore runs import`).</p>
          </>
        ) : null}
      </section>

      <Decision p={p} />

      <section className="pp-section" id="related" aria-labelledby="related-h">
        <h2 className="section-title" id="related-h">
          Related proposals
        </h2>
        {p.related.length ? (
          <table className="grid pp-related">
            <thead>
              <tr>
                <th>relation</th>
                <th>proposal</th>
                <th>status</th>
                <th>when</th>
                <th>found by</th>
              </tr>
            </thead>
            <tbody>
              {p.related.map((r) => (
                <tr key={`${r.id}-${r.relation}`}>
                  <td title={relationText(r.relation)}>{r.relation}</td>
                  <td>
                    <a href={proposalUrl(r.id)}>{cleanText(r.title)}</a>
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="mono small">{spanText(r.firstDate, r.lastDate)}</td>
                  <td className="small">
                    <Provenance method={r.method} confidence={r.confidence} evidence={r.evidence} />
                    {evidenceText(r.method, r.evidence) ? <div className="dim pp-ev">{evidenceText(r.method, r.evidence)}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="dim">None found.</p>
        )}
      </section>

      <section className="pp-section" id="members" aria-labelledby="members-h">
        <h2 className="section-title" id="members-h">
          How it was put together
        </h2>
        <table className="grid pp-members">
          <thead>
            <tr>
              <th>member</th>
              <th>role</th>
              <th>found by</th>
              <th>evidence</th>
            </tr>
          </thead>
          <tbody>
            {p.members.map((m) => (
              <tr key={m.ref} className={m.state === "removed" ? "pp-removed" : undefined}>
                <td>
                  {m.series ? <a href={seriesUrl(m.series.key)}>{cleanText(m.label)}</a> : <MsgLink list={m.list} msgid={m.msgid}>{cleanText(m.label)}</MsgLink>}
                  <div className="mono dim small">
                    {m.ref}
                    {m.state !== "auto" ? ` [${m.state}]` : ""}
                  </div>
                </td>
                <td>{m.role}</td>
                <td className="small">
                  <Provenance method={m.method} confidence={m.confidence} evidence={m.evidence} />
                </td>
                <td className="small dim">{evidenceText(m.method, m.evidence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {view ? (
        <CurationForms
          view={view}
          csrf={me?.csrf ?? null}
          back={proposalUrl(p.id)}
          notice={sp.curated}
          messageHref={(msgid) => (listOfMsg.has(msgid) ? messageUrl(listOfMsg.get(msgid)!, msgid) : null)}
        />
      ) : null}
    </>
  );
}
