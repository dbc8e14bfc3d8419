// /interdiff/<from msgid>/<to msgid>/: what changed between two versions of one patch, as a diff
// of the two diffs (range-diff style). Two levels of markers: the outer one says whether a patch
// line was dropped (-), added (+) or kept (space) by the new version; the inner one is the patch
// line's own marker (+ added by the patch, - removed by it, space context).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { InterdiffFile, InterdiffLine } from "@/lib/patch/interdiff";
import { getDb } from "../../../db";
import { Crumbs, NoDatabase } from "../../../_components/chrome";
import { cleanText, plural } from "../../../_lib/format";
import { loadInterdiff, loadSeriesInfo } from "../../../_lib/data";
import { versionLabel } from "../../../_lib/series";
import { apiUrl, decodeSegment, encodeSegment, interdiffUrl, listUrl, patchUrl, seriesUrl, versionLineUrl } from "../../../_lib/urls";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ from: string; to: string }> };

async function load(params: Props["params"]) {
  const p = await params;
  const from = decodeSegment(p.from);
  const to = decodeSegment(p.to);
  return { from, to, d: await loadInterdiff(from, to) };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { d } = await load(params);
  return { title: d ? `interdiff v${d.from.version} → v${d.to.version}: ${cleanText(d.to.title)}` : "not found" };
}

const OUTER = { "=": "eq", "-": "del", "+": "add" } as const;

function innerClass(text: string): string {
  const c = text[0];
  if (c === "+") return "i-add";
  if (c === "-") return "i-del";
  if (c === "@") return "i-hunk";
  if (c === "\\") return "i-note";
  return "i-ctx";
}

function Line({ l }: { l: InterdiffLine }) {
  const inner = l.text.slice(0, 1);
  const rest = l.text.slice(1);
  return (
    <tr className={`il o-${OUTER[l.op]} ${innerClass(l.text)}`}>
      <td className="ln" data-n={l.a ? l.a.source + 1 : undefined} title={l.a ? "line in the old version's mail" : undefined} />
      <td className="ln" data-n={l.b ? l.b.source + 1 : undefined} title={l.b ? "line in the new version's mail" : undefined} />
      <td className="om" aria-label={l.op === "=" ? "kept" : l.op === "+" ? "added by the new version" : "dropped by the new version"}>
        {l.op === "=" ? " " : l.op}
      </td>
      <td className="im">{inner}</td>
      <td className="src">{rest}</td>
    </tr>
  );
}

function FileBlock({ f, n }: { f: InterdiffFile; n: number }) {
  const path = f.aPath && f.bPath && f.aPath !== f.bPath ? `${f.aPath} → ${f.bPath}` : f.bPath ?? f.aPath ?? "(unknown)";
  return (
    <section className={`idfile st-${f.status}`} id={`f${n}`} aria-label={`file ${n}: ${path}`}>
      <header className="dfile-head">
        <a href={`#f${n}`} className="anchor" aria-label={`link to file ${n}`}>
          #
        </a>
        <span className="mono path">{path}</span>
        <span className={`badge st-${f.status}`}>{f.status === "removed" ? "no longer touched" : f.status === "added" ? "newly touched" : f.status}</span>
        {f.matchedBy === "rename" ? <span className="dim small">paired through a rename</span> : null}
      </header>
      {f.headerChanges.length ? (
        <ul className="header-changes">
          {f.headerChanges.map((h, i) => (
            <li key={i}>{h}</li>
          ))}
        </ul>
      ) : null}
      {f.hunks.length ? (
        <div className="code-wrap">
          <table className="code interdiff">
            {f.hunks.map((h, hi) => (
              <tbody key={hi}>
                <tr className="hunk-head" id={`f${n}h${hi + 1}`}>
                  <td className="ln hunk-link" colSpan={2}>
                    <a href={`#f${n}h${hi + 1}`} aria-label={`link to hunk ${hi + 1} of file ${n}`}>
                      ¶
                    </a>
                  </td>
                  <td className="hunk-text" colSpan={3}>
                    <span className="range">
                      @@ -{h.aStart},{h.aLines} +{h.bStart},{h.bLines} @@
                    </span>
                  </td>
                </tr>
                {h.lines.map((l, li) => (
                  <Line key={li} l={l} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      ) : f.status === "unchanged" ? null : (
        <p className="dfile-note dim">no line-level differences</p>
      )}
    </section>
  );
}

export default async function InterdiffPage({ params }: Props) {
  if (!getDb()) return <NoDatabase />;
  const { from, to, d } = await load(params);
  if (!d) notFound();
  const info = await loadSeriesInfo([from, to].join("\n"));
  const a = info.get(from);
  const b = info.get(to);
  const aList = a?.lists[0] ?? null;
  const bList = b?.lists[0] ?? null;
  const label = (x: typeof a, version: string) => (x?.series ? versionLabel(x.series) : `v${version}`);
  const changed = d.files.filter((f) => f.status !== "unchanged");
  const unchanged = d.files.filter((f) => f.status === "unchanged");
  const line = b?.series?.versionLine ?? a?.series?.versionLine ?? null;

  return (
    <>
      <Crumbs
        items={[
          { href: "/", label: "lists" },
          ...(bList ? [{ href: listUrl(bList), label: bList }] : []),
          ...(line !== null ? [{ href: versionLineUrl(line), label: "version line" }] : []),
          { label: "interdiff" },
        ]}
      />
      <h1 className="page-title">
        Interdiff: {label(a, d.from.version)} → {label(b, d.to.version)} <span className="dim">of</span> {cleanText(d.to.title)}
      </h1>
      <dl className="facts interdiff-facts">
        <dt>{label(a, d.from.version)}</dt>
        <dd>
          {aList ? <a href={patchUrl(aList, d.from.msgid)}>{cleanText(d.from.title)}</a> : cleanText(d.from.title)}
          {a?.series ? (
            <span className="dim">
              {" "}
              · <a href={seriesUrl(a.series.key)}>series</a>
            </span>
          ) : null}
          <span className="msgid dim"> &lt;{d.from.msgid}&gt;</span>
        </dd>
        <dt>{label(b, d.to.version)}</dt>
        <dd>
          {bList ? <a href={patchUrl(bList, d.to.msgid)}>{cleanText(d.to.title)}</a> : cleanText(d.to.title)}
          {b?.series ? (
            <span className="dim">
              {" "}
              · <a href={seriesUrl(b.series.key)}>series</a>
            </span>
          ) : null}
          <span className="msgid dim"> &lt;{d.to.msgid}&gt;</span>
        </dd>
        <dt>files</dt>
        <dd>
          {plural(changed.length, "file")} differ{changed.length === 1 ? "s" : ""}
          {unchanged.length ? `, ${plural(unchanged.length, "file")} the same` : ""}
          {" · "}
          <a href={interdiffUrl(to, from)}>reverse</a>
          {" · "}
          <a href={apiUrl(`interdiff/${encodeSegment(from)}/${encodeSegment(to)}/`)}>JSON</a>
        </dd>
      </dl>
      <p className="legend small">
        <span className="legend-item o-add">
          <b>+</b>x
        </span>{" "}
        line the new version adds to the patch ·{" "}
        <span className="legend-item o-del">
          <b>-</b>x
        </span>{" "}
        line the new version drops · second column: the patch line&apos;s own marker (
        <span className="i-add">+</span> added by the patch, <span className="i-del">-</span> removed by it, space: context)
      </p>
      {changed.length === 0 ? <p className="notice">The two versions make the same changes{unchanged.length ? "" : " (no files)"}.</p> : null}
      {d.files.map((f, i) => (f.status === "unchanged" ? null : <FileBlock key={i} f={f} n={i + 1} />))}
      {unchanged.length ? (
        <section className="unchanged-files">
          <h2 className="section-title">Unchanged</h2>
          <ul className="plain mono small">
            {unchanged.map((f, i) => (
              <li key={i}>{f.bPath ?? f.aPath}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.text ? (
        <details className="interdiff-text">
          <summary>as text</summary>
          <pre className="diff">{d.text}</pre>
        </details>
      ) : null}
    </>
  );
}
