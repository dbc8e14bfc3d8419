// /series/<key>/: one posting of a series: title and badges, author, date, list, completeness,
// the versions of its line, downloads, the cover letter, and the patches in order.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../db";
import { Body } from "../../_components/Body";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { Completeness, VersionBadges, VersionBar } from "../../_components/SeriesBits";
import { UpstreamBadges } from "../../_components/UpstreamBadge";
import { getCommitsForMsgids } from "@/lib/views/upstream";
import { proposalOfSeries } from "@/lib/views/proposals";
import { cleanText, personName, plural, shortDate, subjectText } from "../../_lib/format";
import { loadSeries } from "../../_lib/data";
import { StatusBadge } from "../../_components/ProposalBits";
import { QUIET_DAYS } from "@/lib/knowledge/status";
import "../../proposals.css";
import { formatIndex, linkText, versionLabel } from "../../_lib/series";
import { apiUrl, decodeSegment, encodeSegment, listUrl, messageUrl, nestedThreadUrl, patchUrl, rawUrl, seriesIndexUrl, seriesMboxUrl, seriesReviewUrl, seriesUrl } from "../../_lib/urls";

export const dynamic = "force-dynamic";

/** Cover letters longer than this many lines are folded (the first paragraph stays visible). */
const FOLD_COVER_LINES = 30;
/** Files listed under a patch before the rest fold. */
const SHOWN_FILES = 6;

type Props = { params: Promise<{ key: string }> };

async function load(params: Props["params"]) {
  const key = decodeSegment((await params).key);
  return { key, s: await loadSeries(key) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { s } = await load(params);
  return { title: s ? `[${versionLabel(s)}] ${cleanText(s.title)}` : "not found" };
}

function firstParagraph(body: string): string {
  const lines = body.split("\n");
  const out: string[] = [];
  for (const l of lines) {
    if (!l.trim()) {
      if (out.length) break;
      continue;
    }
    out.push(l);
    if (out.length >= 4) break;
  }
  const text = out.join(" ").replace(/\s+/g, " ");
  return text.length > 300 ? `${text.slice(0, 300)}…` : `${text} …`;
}

export default async function SeriesPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { s } = await load(params);
  if (!s) notFound();
  const list = s.list;
  const patches = s.patches.filter((p) => !p.isCover);
  // patches found upstream (`patchlore commits import`)
  const upstream = await getCommitsForMsgids(getDb()!, patches.map((p) => p.msgid));
  // the line of design work it is part of (lib/passes/proposals)
  const proposal = await proposalOfSeries(getDb()!, s.key);
  const byIndex = new Map<number, typeof patches>();
  for (const p of patches) byIndex.set(p.index, [...(byIndex.get(p.index) ?? []), p]);
  // the rows: every expected position 1..N, present or missing, then extras (fractional, > N)
  const positions = [...new Set([...Array.from({ length: s.total }, (_, i) => i + 1), ...patches.map((p) => p.index)])].sort((a, b) => a - b);
  const incoming = s.links.filter((l) => l.to === s.key);
  const versions = s.versions.length ? s.versions : [s];
  const coverLines = s.cover ? s.cover.body.split("\n").length : 0;
  const totals = patches.reduce((t, p) => ({ added: t.added + p.added, removed: t.removed + p.removed }), { added: 0, removed: 0 });
  const linkFor = (msgid: string) => (list ? messageUrl(list, msgid) : null);

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          ...(list ? [{ href: listUrl(list), label: list }, { href: seriesIndexUrl(list), label: "series" }] : []),
          { label: versionLabel(s) },
        ]}
      />
      <header className="series-head">
        <h1 className="page-title">
          <VersionBadges s={s} /> {cleanText(s.title)}
        </h1>
        <dl className="facts series-facts">
          <dt>author</dt>
          <dd>
            {personName(s.authorName ?? "", s.author)}
            {s.authorName ? <span className="dim"> &lt;{s.author}&gt;</span> : null}
          </dd>
          <dt>date</dt>
          <dd>
            <time dateTime={s.date ?? undefined}>{s.date ? `${shortDate(s.date)} UTC` : "(no date)"}</time>
          </dd>
          {list ? (
            <>
              <dt>list</dt>
              <dd>
                <a href={listUrl(list)}>{list}</a>
                {" · "}
                <a href={seriesIndexUrl(list)}>its series</a>
              </dd>
            </>
          ) : null}
          <dt>patches</dt>
          <dd>
            {plural(patches.length, "patch", "patches")} of {s.total}, <Completeness s={s} />
            {patches.length ? (
              <span className="dim mono">
                {" "}
                (<span className="plus">+{totals.added}</span> <span className="minus">-{totals.removed}</span>)
              </span>
            ) : null}
          </dd>
          <dt>status</dt>
          <dd className="series-status">
            <StatusBadge status={s.status.status} />
            {s.status.status === "no-decision" ? <span className="dim"> — no decision in its threads and no activity for {QUIET_DAYS}+ days</span> : null}
          </dd>
          {proposal ? (
            <>
              <dt>proposal</dt>
              <dd>
                <a href={`/proposals/${proposal.id}/`} className="proposal-link">
                  {cleanText(proposal.title)}
                </a>{" "}
                <StatusBadge status={proposal.status} />
              </dd>
            </>
          ) : null}
          {incoming.length ? (
            <>
              <dt>previous version</dt>
              <dd>
                {incoming.map((l, i) => {
                  const prev = versions.find((v) => v.key === l.from);
                  return (
                    <span key={i}>
                      {i ? "; " : ""}
                      <a href={seriesUrl(l.from)}>{prev ? versionLabel(prev) : l.from}</a> <span className="dim">({linkText(l)})</span>
                    </span>
                  );
                })}
              </dd>
            </>
          ) : null}
        </dl>
        <VersionBar versions={versions} current={s.key} versionLine={s.versionLine} />
        <nav className="downloads" aria-label="Downloads">
          <a href={seriesMboxUrl(s.key)} download>
            mbox for git am
          </a>
          <a href={seriesReviewUrl(s.key)} className="review-link">
            review
          </a>
          {s.coverMsgid && list ? <a href={nestedThreadUrl(list, s.coverMsgid)}>thread</a> : null}
          <a href={apiUrl(`series/${encodeSegment(s.key)}/`)}>JSON</a>
        </nav>
      </header>

      {s.cover ? (
        <section className="cover msg" aria-label="Cover letter">
          <header className="msg-head">
            <h2 className="msg-subject">
              {linkFor(s.cover.msgid) ? <a href={linkFor(s.cover.msgid)!}>{subjectText(s.cover.subject)}</a> : subjectText(s.cover.subject)}
            </h2>
            <nav className="msg-links">
              {list ? <a href={rawUrl(list, s.cover.msgid)}>raw</a> : null}
              <span className="dim">{plural(s.patches.find((p) => p.isCover)?.replies ?? 0, "reply", "replies")}</span>
            </nav>
          </header>
          {coverLines > FOLD_COVER_LINES ? (
            <details className="cover-fold">
              <summary>
                <span className="cover-preview">{firstParagraph(s.cover.body)}</span>
                <span className="cover-more">
                  {" "}
                  cover letter, {plural(coverLines, "line")}: show all
                </span>
              </summary>
              <Body text={s.cover.body} />
            </details>
          ) : (
            <Body text={s.cover.body} />
          )}
        </section>
      ) : (
        <p className="dim">No cover letter.</p>
      )}

      <section className="series-patches" aria-label="Patches">
        <h2 className="section-title">Patches</h2>
        <table className="grid patches">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>patch</th>
              <th className="num">files</th>
              <th className="num">+/-</th>
              <th className="num">replies</th>
              <th>links</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((pos) => {
              const here = byIndex.get(pos);
              if (!here) {
                return (
                  <tr key={`missing-${pos}`} className="missing">
                    <td className="num">{formatIndex(pos)}</td>
                    <td colSpan={5} className="dim">
                      (missing: patch {formatIndex(pos)}/{s.total} is not in the archive)
                    </td>
                  </tr>
                );
              }
              return here.map((p, k) => (
                <tr key={`${pos}-${k}`} className={p.inherited ? "inherited" : undefined}>
                  <td className="num">{formatIndex(pos)}</td>
                  <td className="ptitle">
                    {list && p.patchId ? <a href={patchUrl(list, p.msgid)}>{subjectText(p.title ?? p.subject)}</a> : <span>{subjectText(p.title ?? p.subject)}</span>}
                    {p.inherited ? <span className="tag" title="carried over from an earlier posting of this series">inherited</span> : null}
                    {k > 0 ? <span className="tag warn">duplicate</span> : null}
                    <UpstreamBadges commits={upstream.get(p.msgid)} />
                    {p.diffstat.length ? (
                      p.diffstat.length <= SHOWN_FILES ? (
                        <ul className="pfiles">
                          {p.diffstat.map((f, i) => (
                            <li key={i}>
                              <span className="mono">{f.path}</span> <span className="plus">+{f.added}</span> <span className="minus">-{f.removed}</span>
                              {f.status !== "modified" ? <span className="dim"> ({f.status})</span> : null}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <details className="pfiles-fold">
                          <summary>{plural(p.diffstat.length, "file")}</summary>
                          <ul className="pfiles">
                            {p.diffstat.map((f, i) => (
                              <li key={i}>
                                <span className="mono">{f.path}</span> <span className="plus">+{f.added}</span> <span className="minus">-{f.removed}</span>
                              </li>
                            ))}
                          </ul>
                        </details>
                      )
                    ) : null}
                  </td>
                  <td className="num">{p.files}</td>
                  <td className="num mono">
                    <span className="plus">+{p.added}</span> <span className="minus">-{p.removed}</span>
                  </td>
                  <td className="num">{p.replies}</td>
                  <td className="links">
                    {list && p.patchId ? <a href={patchUrl(list, p.msgid)}>patch</a> : null}
                    {list ? <a href={messageUrl(list, p.msgid)}>message</a> : null}
                    {list ? <a href={rawUrl(list, p.msgid)}>raw</a> : null}
                  </td>
                </tr>
              ));
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
