// /series/<key>/review/: a series posting's review: the series verdict on top (verdicts given on
// the cover letter apply to every patch; a NAK is a veto banner), the cover letter's comments,
// then one row per patch: its verdict, its trailers counted by kind, its open and resolved
// discussions (each linking to its line on the patch's review view), and a link to that view.
// A version switcher goes across the version line. One query (getSeriesReview).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getSeriesReview } from "@/lib/views/review";
import { discussionToMarkdown } from "@/lib/markdown";
import type { PatchReviewView, SeriesReviewView } from "@/lib/review/view";
import { getDb } from "../../../db";
import { Crumbs, NoDatabase } from "../../../_components/chrome";
import { CopyMarkdown } from "../../../_components/CopyMarkdown";
import { Discussion, DiscussionIndex, VerdictBadge, Verdicts, When, Who, discussionCounts, markdownBaseUrl } from "../../../_components/ReviewView";
import { cleanText, plural, subjectText } from "../../../_lib/format";
import { formatIndex } from "../../../_lib/series";
import { apiUrl, decodeSegment, discussionAnchor, encodeSegment, listUrl, messageUrl, nestedThreadUrl, reviewUrl, seriesIndexUrl, seriesReviewUrl, seriesUrl } from "../../../_lib/urls";
import "../../../review.css";
import "../../../proposals.css";
import { StatusBadge } from "../../../_components/ProposalBits";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ key: string }> };

const loadReview = cache(async (key: string) => {
  const db = getDb();
  return db ? getSeriesReview(db, key) : null;
});

async function load(params: Props["params"]) {
  const key = decodeSegment((await params).key);
  return { key, view: await loadReview(key) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { view } = await load(params);
  return { title: view ? `review: [v${view.version}] ${cleanText(view.title)}` : "not found" };
}

/** The postings of the version line, from the versions of the patches (no second query). */
function seriesVersions(view: SeriesReviewView): { version: number; key: string }[] {
  const byKey = new Map<string, number>([[view.key, view.version]]);
  for (const p of view.patches) for (const v of p.versions) if (!byKey.has(v.seriesKey)) byKey.set(v.seriesKey, v.version);
  return [...byKey].map(([key, version]) => ({ key, version })).sort((a, b) => a.version - b.version || (a.key === view.key ? 0 : a.key < b.key ? -1 : 1));
}

function VersionSwitch({ view }: { view: SeriesReviewView }) {
  const versions = seriesVersions(view);
  if (versions.length < 2) return null;
  const seen = new Map<number, number>();
  return (
    <nav className="version-bar" aria-label="Versions of this series">
      <span className="vb-label">versions:</span>
      <ol>
        {versions.map((v) => {
          const n = (seen.get(v.version) ?? 0) + 1;
          seen.set(v.version, n);
          const here = v.key === view.key;
          return (
            <li key={v.key} className={here ? "current" : undefined}>
              <a href={seriesReviewUrl(v.key)} aria-current={here ? "page" : undefined} title={v.key}>
                v{v.version}
                {n > 1 ? ` (${n})` : ""}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

/** "Reviewed-by 2 · Acked-by 1": trailers given to the patch by others (Signed-off-by left out). */
function trailerCounts(p: PatchReviewView): [string, number][] {
  const m = new Map<string, number>();
  for (const t of p.trailers) {
    if (t.mismatch || /^signed-off-by$/i.test(t.kind)) continue;
    m.set(t.kind, (m.get(t.kind) ?? 0) + 1);
  }
  return [...m];
}

function PatchRow({ p, list }: { p: PatchReviewView; list: string | null }) {
  const c = discussionCounts(p.discussions);
  const counts = trailerCounts(p);
  const href = list ? reviewUrl(list, p.msgid) : null;
  const naks = p.verdicts.filter((v) => v.verdict === "nak");
  return (
    <tr className={`v-${p.verdict ?? "none"}`}>
      <td className="num">{p.series?.index != null ? formatIndex(p.series.index) : ""}</td>
      <td className="ptitle">
        {href ? <a href={href}>{subjectText(p.subject)}</a> : subjectText(p.subject)}
        {p.reconstructed ? (
          <span className="tag warn" title="rebuilt from the quotes of replies: the original is not in the archive">
            reconstructed
          </span>
        ) : null}
        {naks.length ? (
          <div className="veto small">
            NAK by{" "}
            {naks.map((v, i) => (
              <span key={i}>
                {i ? ", " : ""}
                {list ? (
                  <a href={messageUrl(list, v.msgid)}>
                    <Who p={v.by} />
                  </a>
                ) : (
                  <Who p={v.by} />
                )}
              </span>
            ))}
          </div>
        ) : null}
        {href && p.discussions.some((d) => d.status === "open") ? (
          <details className="open-discussions">
            <summary>{plural(c.open, "open discussion")}</summary>
            <DiscussionIndex ds={p.discussions.filter((d) => d.status === "open")} href={(d) => `${href}#${discussionAnchor(d.id)}`} />
          </details>
        ) : null}
      </td>
      <td>
        <VerdictBadge v={p.verdict} />
      </td>
      <td className="trailer-counts">
        {counts.length ? (
          counts.map(([k, n]) => (
            <span key={k} className="tc">
              {cleanText(k)} {n}
            </span>
          ))
        ) : (
          <span className="dim">none</span>
        )}
      </td>
      <td className="num">
        <span className={c.open ? "status open" : "dim"}>{c.open}</span>
      </td>
      <td className="num">
        <span className={c.resolved ? "status resolved" : "dim"}>{c.resolved}</span>
      </td>
      <td className="links">{href ? <a href={href}>review</a> : null}</td>
    </tr>
  );
}

export default async function SeriesReviewPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { key, view } = await load(params);
  if (!view) notFound();
  const list = view.list;
  const origin = await markdownBaseUrl();
  const mdOpts = { baseUrl: origin };
  const coverMd = new Map(view.discussions.map((d) => [d.id, discussionToMarkdown(view, d, mdOpts)]));
  const all = view.patches.flatMap((p) => p.discussions);
  const counts = discussionCounts(all);
  const apiPath = `series/${encodeSegment(key)}/review`;

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          ...(list ? [{ href: listUrl(list), label: list }, { href: seriesIndexUrl(list), label: "series" }] : []),
          { href: seriesUrl(view.key), label: `v${view.version}` },
          { label: "review" },
        ]}
      />
      <article className="review series-review" data-verdict={view.verdict ?? "none"}>
        <header className="review-head">
          <h1 className="page-title">
            <span className="badges">
              <span className="badge ver">v{view.version}</span>
            </span>{" "}
            {cleanText(view.title)}
          </h1>
          <dl className="facts">
            {view.cover ? (
              <>
                <dt>author</dt>
                <dd>
                  <Who p={view.cover.author} />
                  {view.cover.author.address ? <span className="dim"> &lt;{cleanText(view.cover.author.address)}&gt;</span> : null}
                </dd>
                <dt>date</dt>
                <dd>
                  <When iso={view.cover.date} />
                </dd>
                <dt>cover letter</dt>
                <dd>{list ? <a href={messageUrl(list, view.cover.msgid)}>{subjectText(view.cover.subject)}</a> : subjectText(view.cover.subject)}</dd>
              </>
            ) : (
              <>
                <dt>cover letter</dt>
                <dd className="dim">none</dd>
              </>
            )}
            {view.status ? (
              <>
                <dt>status</dt>
                <dd className="series-status">
                  <StatusBadge status={view.status.status} />
                </dd>
              </>
            ) : null}
            <dt>patches</dt>
            <dd>{plural(view.patches.length, "patch", "patches")}</dd>
            <dt>discussions</dt>
            <dd>
              {plural(all.length, "discussion")} on the patches
              {all.length ? (
                <>
                  {" "}
                  (<span className="status open">{counts.open} open</span>, <span className="status resolved">{counts.resolved} resolved</span>)
                </>
              ) : null}
              {view.discussions.length ? `, ${plural(view.discussions.length, "comment")} on the cover letter` : null}
            </dd>
          </dl>
          <VersionSwitch view={view} />
          <nav className="msg-links" aria-label="Review links">
            <a href={seriesUrl(view.key)}>the series</a>
            {view.cover && list ? <a href={nestedThreadUrl(list, view.cover.msgid)}>thread</a> : null}
            <a href={apiUrl(apiPath)}>JSON</a>
            <a href={`${apiUrl(apiPath)}?format=md`}>Markdown</a>
            <CopyMarkdown src={`${apiUrl(apiPath)}?format=md`} label="Copy the review as Markdown" />
          </nav>
        </header>

        <Verdicts verdicts={view.verdicts} verdict={view.verdict} list={list} scope="series" fromPatches={{ with: view.patchesWithVerdict, of: view.patches.length }} />

        <section className="series-patches" aria-label="Patches">
          <h2 className="section-title">Patches</h2>
          {view.patches.length ? (
            <table className="grid patches review-patches">
              <thead>
                <tr>
                  <th className="num">#</th>
                  <th>patch</th>
                  <th>verdict</th>
                  <th>trailers</th>
                  <th className="num">open</th>
                  <th className="num">resolved</th>
                  <th>links</th>
                </tr>
              </thead>
              <tbody>
                {view.patches.map((p) => (
                  <PatchRow key={p.msgid} p={p} list={list} />
                ))}
              </tbody>
            </table>
          ) : (
            <p className="dim">No patches of this posting are in the archive.</p>
          )}
        </section>

        {view.discussions.length ? (
          <section className="review-general" aria-label="Comments on the cover letter">
            <h2 className="section-title">Comments on the cover letter</h2>
            <div className="discussions">
              {view.discussions.map((d) => (
                <Discussion key={d.id} d={d} list={list} markdown={coverMd.get(d.id) ?? ""} showCode />
              ))}
            </div>
          </section>
        ) : null}
      </article>
    </>
  );
}
