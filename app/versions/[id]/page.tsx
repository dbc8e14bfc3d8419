// /versions/<id>/: a version line: every posting (RFC → v1 → … → vN) on a timeline with its date
// and author, how each was linked to the one before, and what changed per patch between them.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../db";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { Completeness } from "../../_components/SeriesBits";
import { cleanText, personName, plural, shortDate } from "../../_lib/format";
import { loadVersionLine } from "../../_lib/data";
import { linkText, pairText, versionLabel } from "../../_lib/series";
import { apiUrl, interdiffUrl, listUrl, patchUrl, seriesIndexUrl, seriesUrl } from "../../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

async function load(params: Props["params"]) {
  const raw = (await params).id;
  const id = /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
  return id === null ? null : await loadVersionLine(id);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const v = await load(params);
  return { title: v ? `versions of ${cleanText(v.title)}` : "not found" };
}

const STATUS_ORDER = ["changed", "added", "dropped", "unchanged"] as const;

function daysBetween(a: string | null, b: string | null): string | null {
  if (!a || !b) return null;
  const d = Math.round((new Date(b).getTime() - new Date(a).getTime()) / 86_400_000);
  if (!Number.isFinite(d) || d < 0) return null;
  if (d < 60) return `${d} ${d === 1 ? "day" : "days"} later`;
  return `${Math.round(d / 30.4)} months later`;
}

export default async function VersionLinePage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const v = await load(params);
  if (!v) notFound();
  const byKey = new Map(v.versions.map((s) => [s.key, s]));
  const list = v.versions.find((s) => s.list)?.list ?? null;
  const first = v.versions[0];
  const last = v.versions[v.versions.length - 1];

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          ...(list ? [{ href: listUrl(list), label: list }, { href: seriesIndexUrl(list), label: "series" }] : []),
          { label: "version line" },
        ]}
      />
      <h1 className="page-title">{cleanText(v.title)}</h1>
      <p className="dim">
        {plural(v.versions.length, "version")}
        {first && last && first !== last ? ` from ${shortDate(first.date).slice(0, 10)} to ${shortDate(last.date).slice(0, 10)}` : ""}
        {" · "}
        <a href={apiUrl(`versions/${v.id}/`)}>JSON</a>
      </p>
      <ol className="timeline">
        {v.versions.map((s, i) => {
          const step = i > 0 ? v.steps.find((st) => st.to === s.key) : undefined;
          const links = v.links.filter((l) => l.to === s.key);
          const prev = i > 0 ? v.versions[i - 1] : null;
          const patchList = s.list ?? list;
          const counts = step
            ? STATUS_ORDER.map((st) => [st, step.patches.filter((p) => p.status === st).length] as const).filter(([, n]) => n > 0)
            : [];
          return (
            <li key={s.key} className="tl-item" id={`v-${i + 1}`}>
              <div className="tl-marker" aria-hidden="true" />
              <div className="tl-body">
                <h2 className="tl-title">
                  <a href={seriesUrl(s.key)} className="tl-version">
                    {versionLabel(s)}
                  </a>
                  {s.isResend ? <span className="badge resend">RESEND</span> : null} <a href={seriesUrl(s.key)}>{cleanText(s.title)}</a>
                </h2>
                <p className="tl-meta">
                  <time dateTime={s.date ?? undefined}>{shortDate(s.date) || "(no date)"}</time>
                  {prev ? <span className="dim"> · {daysBetween(prev.date, s.date)}</span> : null}
                  {" · "}
                  {personName(s.authorName ?? "", s.author)}
                  {" · "}
                  {plural(s.patches.filter((p) => !p.isCover).length, "patch", "patches")} of {s.total}, <Completeness s={s} />
                </p>
                {links.length ? (
                  <p className="tl-link">
                    {links.map((l, k) => (
                      <span key={k}>
                        {k ? "; " : ""}
                        {linkText(l)}
                        {byKey.get(l.from) ? ` from ${versionLabel(byKey.get(l.from)!)}` : ""}
                        {evidenceText(l.evidence) ? <span className="dim"> ({evidenceText(l.evidence)})</span> : null}
                      </span>
                    ))}
                  </p>
                ) : i > 0 ? (
                  <p className="tl-link dim">no recorded link to the previous version</p>
                ) : (
                  <p className="tl-link dim">first version</p>
                )}
                {step && prev ? (
                  <section className="step" aria-label={`changes from ${versionLabel(prev)} to ${versionLabel(s)}`}>
                    <h3 className="section-title">
                      {versionLabel(prev)} → {versionLabel(s)}:{" "}
                      {counts.map(([st, n], k) => (
                        <span key={st} className={`st st-${st}`}>
                          {k ? ", " : ""}
                          {n} {st}
                        </span>
                      ))}
                    </h3>
                    <table className="grid step-table">
                      <tbody>
                        {step.patches.map((p, k) => (
                          <tr key={k} className={`st-${p.status}`}>
                            <td className="status">
                              <span className={`badge st-${p.status}`}>{p.status}</span>
                            </td>
                            <td className="ptitle">
                              {p.to && patchList ? (
                                <a href={patchUrl(patchList, p.to)}>{cleanText(p.title)}</a>
                              ) : p.from && (prev.list ?? list) ? (
                                <a href={patchUrl((prev.list ?? list)!, p.from)}>{cleanText(p.title)}</a>
                              ) : (
                                cleanText(p.title)
                              )}
                              {p.method && p.status !== "added" && p.status !== "dropped" ? <span className="dim small"> · {pairText(p.method)}</span> : null}
                            </td>
                            <td className="links">
                              {p.status === "changed" && p.from && p.to ? <a href={interdiffUrl(p.from, p.to)}>interdiff</a> : null}
                              {p.from && (prev.list ?? list) ? <a href={patchUrl((prev.list ?? list)!, p.from)}>{versionLabel(prev)}</a> : null}
                              {p.to && patchList ? <a href={patchUrl(patchList, p.to)}>{versionLabel(s)}</a> : null}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </section>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </>
  );
}

function evidenceText(e: unknown): string | null {
  if (!e || typeof e !== "object") return null;
  const t = (e as { text?: unknown }).text;
  return typeof t === "string" && t ? t : null;
}
