// /<list>/<msgid>/review/: a patch's review, as a code-review tool would show it, built from mail:
// the verdicts on top (a NAK as a veto banner), the trailers and where each came from, then the
// commit message and the diff file by file with every discussion right under the line it is
// anchored to (#d-<id>), general comments in their own section, a version switcher across the
// patch's versions, and "Copy as Markdown" for each discussion and for the whole review.
// One query (getPatchReview); valid without JavaScript except the copy buttons.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { getPatchReview } from "@/lib/views/review";
import { parseDiff } from "@/lib/patch/diff";
import { discussionToMarkdown } from "@/lib/markdown";
import type { PatchReviewView } from "@/lib/review/view";
import { getDb } from "../../../db";
import { Crumbs, NoDatabase } from "../../../_components/chrome";
import { CopyMarkdown } from "../../../_components/CopyMarkdown";
import { DiscussionIndex, PatchReviewBody, Trailers, Verdicts, When, Who, discussionCounts, markdownBaseUrl } from "../../../_components/ReviewView";
import { cleanText, plural, subjectText } from "../../../_lib/format";
import { highlightDiff } from "../../../_lib/highlight";
import { formatIndex } from "../../../_lib/series";
import { apiUrl, decodeSegment, discussionAnchor, encodeSegment, listUrl, messageUrl, nestedThreadUrl, patchUrl, reviewUrl, seriesReviewUrl, seriesUrl } from "../../../_lib/urls";
import "../../../review.css";
import "../../../proposals.css";
import { StatusBadge } from "../../../_components/ProposalBits";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ list: string; msgid: string }> };

const loadReview = cache(async (msgid: string) => {
  const db = getDb();
  return db ? getPatchReview(db, msgid) : null;
});

async function load(params: Props["params"]) {
  const p = await params;
  const list = decodeSegment(p.list);
  const msgid = decodeSegment(p.msgid);
  return { list, msgid, view: await loadReview(msgid) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { view, list } = await load(params);
  return { title: view ? `review: ${subjectText(view.subject)} · ${list}` : "not found" };
}

/** The versions of the patch, this one marked; labels tell apart two postings with the same number. */
function VersionSwitch({ view, list }: { view: PatchReviewView; list: string }) {
  if (view.versions.length < 2) return null;
  const seen = new Map<string, number>();
  return (
    <nav className="version-bar" aria-label="Versions of this patch">
      <span className="vb-label">versions:</span>
      <ol>
        {view.versions.map((v) => {
          const label = v.isRfc ? `RFC v${v.version}` : `v${v.version}`;
          const n = (seen.get(label) ?? 0) + 1;
          seen.set(label, n);
          const here = v.msgid === view.msgid;
          return (
            <li key={v.msgid} className={here ? "current" : undefined}>
              <a href={reviewUrl(list, v.msgid)} aria-current={here ? "page" : undefined} title={v.seriesKey}>
                {label}
                {n > 1 ? ` (${n})` : ""}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export default async function PatchReviewPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { list, msgid, view: found } = await load(params);
  if (!found) notFound();
  // links go to messages of the list being browsed
  const view: PatchReviewView = { ...found, list };
  // the diff where the ingester found it (the review pass placed the discussions on the same diff)
  const diff = parseDiff(view.body, view.diffLine === null ? {} : { from: view.diffLine });
  const [highlight, origin] = await Promise.all([highlightDiff(diff.files), markdownBaseUrl()]);
  const mdOpts = { baseUrl: origin };
  const markdown = new Map(view.discussions.map((d) => [d.id, discussionToMarkdown(view, d, mdOpts)]));
  const counts = discussionCounts(view.discussions);
  const s = view.series;
  const apiPath = `${encodeSegment(list)}/${encodeSegment(msgid)}/review`;

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          { href: listUrl(list), label: list },
          ...(s ? [{ href: seriesUrl(s.key), label: `series v${s.version}` }] : []),
          { href: patchUrl(list, msgid), label: s?.index != null ? `patch ${formatIndex(s.index)}/${s.total}` : "patch" },
          { label: "review" },
        ]}
      />
      <article className="review" data-verdict={view.verdict ?? "none"}>
        <header className="review-head">
          <h1 className="page-title">
            {s ? (
              <span className="badges">
                <span className="badge ver">v{s.version}</span>
                {s.index != null ? (
                  <span className="badge counter">
                    {formatIndex(s.index)}/{s.total}
                  </span>
                ) : null}
              </span>
            ) : null}{" "}
            {subjectText(view.subject)}
          </h1>
          <dl className="facts">
            <dt>author</dt>
            <dd>
              <Who p={view.author} />
              {view.author.address ? <span className="dim"> &lt;{cleanText(view.author.address)}&gt;</span> : null}
            </dd>
            <dt>date</dt>
            <dd>
              <When iso={view.date} />
            </dd>
            {view.status ? (
              <>
                <dt>status</dt>
                <dd className="patch-status">
                  <StatusBadge status={view.status.status} />
                </dd>
              </>
            ) : null}
            {s ? (
              <>
                <dt>series</dt>
                <dd>
                  <a href={seriesReviewUrl(s.key)}>
                    [v{s.version}] {cleanText(s.title)}
                  </a>{" "}
                  <span className="dim">
                    (review; <a href={seriesUrl(s.key)}>the series</a>)
                  </span>
                </dd>
              </>
            ) : null}
            <dt>discussions</dt>
            <dd>
              {plural(view.discussions.length, "discussion")}
              {view.discussions.length ? (
                <>
                  : <span className="status open">{counts.open} open</span>, <span className="status resolved">{counts.resolved} resolved</span>
                </>
              ) : null}
            </dd>
          </dl>
          <VersionSwitch view={view} list={list} />
          <nav className="msg-links" aria-label="Review links">
            <a href={messageUrl(list, msgid)}>message</a>
            <a href={patchUrl(list, msgid)}>patch view</a>
            <a href={nestedThreadUrl(list, msgid)}>thread</a>
            <a href={apiUrl(apiPath)}>JSON</a>
            <a href={`${apiUrl(apiPath)}?format=md`}>Markdown</a>
            <CopyMarkdown src={`${apiUrl(apiPath)}?format=md`} label="Copy the review as Markdown" />
          </nav>
        </header>

        {view.reconstructed ? (
          <p className="note warn reconstructed">
            This patch is not in the archive: it was rebuilt from the quotes of the replies to it. Lines no reply quoted are not in it, so the commit message and the diff may be incomplete.
          </p>
        ) : null}

        <Verdicts verdicts={view.verdicts} verdict={view.verdict} list={list} scope="patch" seriesHref={s ? seriesReviewUrl(s.key) : null} />
        <Trailers trailers={view.trailers} list={list} />

        {view.discussions.length ? (
          <details className="review-toc" open={view.discussions.length <= 12}>
            <summary>{plural(view.discussions.length, "discussion")}</summary>
            <DiscussionIndex ds={view.discussions} href={(d) => `#${discussionAnchor(d.id)}`} />
          </details>
        ) : (
          <p className="dim">No review comments on this patch.</p>
        )}

        <PatchReviewBody view={view} diff={diff} highlight={highlight} markdown={markdown} />
      </article>
    </>
  );
}
