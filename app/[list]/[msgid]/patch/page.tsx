// /<list>/<msgid>/patch/: the patch a message carries: commit message, notes, diffstat and the
// diff, highlighted on the server; files (#f<N>) and hunks (#f<N>h<M>) are anchors; the series
// it belongs to with the previous and next patch.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../../db";
import { Body } from "../../../_components/Body";
import { Crumbs, NoDatabase } from "../../../_components/chrome";
import { DiffStat, DiffView } from "../../../_components/DiffView";
import { VersionBadges } from "../../../_components/SeriesBits";
import { UpstreamBadges } from "../../../_components/UpstreamBadge";
import { getCommitsForMsgids } from "@/lib/views/upstream";
import { addressText, cleanText, plural, shortDate, subjectText } from "../../../_lib/format";
import { highlightDiff } from "../../../_lib/highlight";
import { loadMessage, loadPatch, loadSeries } from "../../../_lib/data";
import { formatIndex, versionLabel } from "../../../_lib/series";
import { apiUrl, decodeSegment, encodeSegment, listUrl, messageUrl, nestedThreadUrl, patchUrl, rawUrl, reviewUrl, seriesIndexUrl, seriesUrl } from "../../../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ list: string; msgid: string }> };

async function load(params: Props["params"]) {
  const p = await params;
  const list = decodeSegment(p.list);
  const msgid = decodeSegment(p.msgid);
  const m = await loadMessage(list, msgid);
  const patch = m && !m.ghost ? await loadPatch(msgid) : null;
  return { list, msgid, m, patch };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { patch, list } = await load(params);
  return { title: patch ? `${subjectText(patch.subject || patch.title)} · patch · ${list}` : "not found" };
}

function mismatchText(x: unknown): string {
  if (typeof x === "string") return x;
  if (x && typeof x === "object" && typeof (x as { detail?: unknown }).detail === "string") return (x as { detail: string }).detail;
  return JSON.stringify(x);
}

export default async function PatchPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { list, msgid, m, patch } = await load(params);
  if (!m || !patch) notFound();
  const [series, highlight] = await Promise.all([patch.series ? loadSeries(patch.series.key) : null, highlightDiff(patch.diff.files)]);
  // the upstream commit(s) this patch became (`patchlore commits import`)
  const upstream = (await getCommitsForMsgids(getDb()!, [msgid])).get(msgid) ?? [];
  // previous and next patch of the series (cover letter and missing positions skipped)
  const inSeries = series ? series.patches.filter((p) => !p.isCover && p.patchId) : [];
  const at = inSeries.findIndex((p) => p.msgid === patch.msgid);
  const prev = at > 0 ? inSeries[at - 1] : null;
  const next = at >= 0 && at < inSeries.length - 1 ? inSeries[at + 1] : null;
  const seriesList = series?.list ?? list;
  const hunks = patch.diff.files.reduce((n, f) => n + f.hunks.length, 0);

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          { href: listUrl(list), label: list },
          ...(series ? [{ href: seriesIndexUrl(list), label: "series" }, { href: seriesUrl(series.key), label: versionLabel(series) }] : []),
          { label: patch.counter ? `patch ${formatIndex(patch.counter.index)}/${patch.counter.total}` : "patch" },
        ]}
      />
      <article className="patch">
        <header className="patch-head">
          <h1 className="page-title">
            <VersionBadges s={{ version: patch.version, revision: patch.revision, isRfc: series?.isRfc ?? false, isResend: series?.isResend ?? false }} />{" "}
            {patch.counter ? (
              <span className="badge counter">
                {formatIndex(patch.counter.index)}/{patch.counter.total}
              </span>
            ) : null}{" "}
            {cleanText(patch.title)}
          </h1>
          <dl className="facts">
            <dt>author</dt>
            <dd>{addressText({ name: patch.fromName, address: patch.fromAddress })}</dd>
            <dt>date</dt>
            <dd>
              <time dateTime={patch.date ?? undefined}>{patch.date ? `${shortDate(patch.date)} UTC` : "(no date)"}</time>
            </dd>
            {series ? (
              <>
                <dt>series</dt>
                <dd>
                  <a href={seriesUrl(series.key)}>
                    [{versionLabel(series)}] {cleanText(series.title)}
                  </a>
                </dd>
              </>
            ) : null}
            <dt>changes</dt>
            <dd>
              {plural(patch.diff.files.length, "file")}, {plural(hunks, "hunk")},{" "}
              <span className="mono">
                <span className="plus">+{patch.diff.added}</span> <span className="minus">-{patch.diff.removed}</span>
              </span>
            </dd>
            {patch.patchId ? (
              <>
                <dt>patch-id</dt>
                <dd className="mono small">{patch.patchId}</dd>
              </>
            ) : null}
            {upstream.length ? (
              <>
                <dt>merged</dt>
                <dd>
                  <UpstreamBadges commits={upstream} />
                </dd>
              </>
            ) : null}
          </dl>
          <nav className="msg-links" aria-label="Patch links">
            <a href={messageUrl(list, msgid)}>message</a>
            <a href={reviewUrl(list, msgid)} className="review-link">
              review
            </a>
            <a href={rawUrl(list, msgid)}>raw</a>
            {m.threadId !== null ? <a href={nestedThreadUrl(list, msgid)}>thread</a> : null}
            <a href={apiUrl(`${encodeSegment(list)}/${encodeSegment(msgid)}/patch`)}>JSON</a>
          </nav>
          {series ? (
            <nav className="prevnext" aria-label="Patches of the series">
              {prev ? (
                <a rel="prev" href={patchUrl(seriesList, prev.msgid)}>
                  ← {formatIndex(prev.index)}/{series.total} {subjectText(prev.title ?? prev.subject)}
                </a>
              ) : (
                <span className="off">← first patch</span>
              )}
              <a href={seriesUrl(series.key)} className="up">
                series
              </a>
              {next ? (
                <a rel="next" href={patchUrl(seriesList, next.msgid)}>
                  {formatIndex(next.index)}/{series.total} {subjectText(next.title ?? next.subject)} →
                </a>
              ) : (
                <span className="off">last patch →</span>
              )}
            </nav>
          ) : null}
        </header>

        {patch.damaged.length || (patch.mismatches as unknown[]).length ? (
          <section className="problems" aria-label="Problems">
            <h2 className="section-title">Problems found in this patch</h2>
            <ul>
              {patch.damaged.map((d, i) => (
                <li key={`d${i}`}>damaged diff: {d}</li>
              ))}
              {(patch.mismatches as unknown[]).map((x, i) => (
                <li key={`m${i}`}>the diffstat disagrees with the diff: {mismatchText(x)}</li>
              ))}
            </ul>
          </section>
        ) : null}

        <section className="commit-msg" aria-label="Commit message">
          <h2 className="section-title">Commit message</h2>
          <Body text={patch.commitMessage} />
        </section>
        {patch.notes ? (
          <section className="patch-notes" aria-label="Notes">
            <h2 className="section-title">Notes and changelog (below the ---, not part of the commit)</h2>
            <Body text={patch.notes} />
          </section>
        ) : null}
        {patch.diff.files.length ? (
          <>
            <DiffStat diff={patch.diff} />
            <DiffView diff={patch.diff} highlight={highlight} />
          </>
        ) : (
          <p className="notice">No diff could be read from this message.</p>
        )}
      </article>
    </>
  );
}
