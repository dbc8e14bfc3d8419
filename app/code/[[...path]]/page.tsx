// /code/, /code/<dir>/, /code/<file>/ and /code/<file>/<function>: the design history of code.
// A directory lists what is under it with counts; a file (or one function of it) shows, oldest
// first and grouped by proposal and series, every patch that touched it with its hunks (linking to
// the patch page's hunk anchors), the review comments on those lines, the decisions and the
// upstream commits. The path is the URL's segments joined; the longest known file prefix is the
// file and one more segment is a function (lib/code/paths.ts).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "../../db";
import { Crumbs, NoDatabase } from "../../_components/chrome";
import { UpstreamBadges } from "../../_components/UpstreamBadge";
import { cleanText, plural, shortDate, subjectText } from "../../_lib/format";
import { apiUrl, codeUrl, decodeSegment, discussionAnchor, encodeSegment, fileAnchor, hunkAnchor, messageUrl, patchUrl, personUrl, reviewUrl, seriesUrl } from "../../_lib/urls";
import { getCode, type CodeDirectory, type CodeHistory, type CodePatch } from "@/lib/views/code-history";
import { badCodePath, codeSegments, parentDirs } from "@/lib/code/paths";
import "../../history.css";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ path?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function load({ params, searchParams }: Props) {
  const p = await params;
  const q = await searchParams;
  const segments = codeSegments((p.path ?? []).map(decodeSegment));
  const fn = one(q.function)?.trim() || null;
  if (badCodePath(segments.join("/")) || (fn && fn.length > 200)) return { segments, fn, data: null };
  const db = getDb();
  const data = db ? await getCode(db, segments, { function: fn }) : null;
  return { segments, fn, data };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  if (!getDb()) return {};
  const { data } = await load(props);
  if (!data) return { title: "not found" };
  if (data.kind === "dir") return { title: `${data.prefix || "code"} · code history` };
  return { title: `${data.function ? `${data.function}() · ` : ""}${data.path} · code history` };
}

function pathCrumbs(path: string, last: boolean) {
  const dirs = parentDirs(path);
  return [
    { href: "/", label: "lists" },
    { href: codeUrl(""), label: "code" },
    ...dirs.map((d) => ({ href: codeUrl(d), label: d.slice(d.lastIndexOf("/") + 1) })),
    ...(path ? [{ href: last ? undefined : codeUrl(path), label: path.slice(path.lastIndexOf("/") + 1) }] : []),
  ];
}

function Directory({ d }: { d: CodeDirectory }) {
  return (
    <>
      <Crumbs items={pathCrumbs(d.prefix, true)} />
      <h1 className="page-title">
        Code history{d.prefix ? <>: <span className="mono">{cleanText(d.prefix)}/</span></> : null}{" "}
        <span className="count">
          ({plural(d.totals.files, "file")}, {plural(d.totals.patches, "patch", "patches")})
        </span>
      </h1>
      <p className="dim small">
        Every path a patch touched. <a href={apiUrl(`code/${d.prefix.split("/").map(encodeSegment).join("/")}`)}>JSON</a>
      </p>
      <table className="grid code-dir">
        <thead>
          <tr>
            <th>path</th>
            <th className="num">patches</th>
            <th className="num">files</th>
            <th className="num">hunks</th>
            <th className="num">review comments</th>
            <th>first</th>
            <th>last</th>
          </tr>
        </thead>
        <tbody>
          {d.entries.map((e) => (
            <tr key={`${e.kind}:${e.name}`}>
              <td className="mono path">
                <a href={codeUrl(e.path)}>{cleanText(e.name)}{e.kind === "dir" ? "/" : ""}</a>
              </td>
              <td className="num">{e.patches}</td>
              <td className="num">{e.kind === "dir" ? e.files : ""}</td>
              <td className="num">{e.hunks}</td>
              <td className="num">{e.comments}</td>
              <td className="mono">{shortDate(e.firstDate).slice(0, 10)}</td>
              <td className="mono">{shortDate(e.lastDate).slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function PatchEntry({ p, path }: { p: CodePatch; path: string }) {
  const list = p.list ?? "";
  return (
    <li className="code-patch" id={`p-${encodeSegment(p.msgid)}`}>
      <div className="code-patch-head">
        <time className="mono dim" dateTime={p.date ?? undefined}>
          {shortDate(p.date).slice(0, 10)}
        </time>{" "}
        {list ? <a href={`${patchUrl(list, p.msgid)}#${fileAnchor(p.hunks[0]?.file ?? 1)}`}>{subjectText(p.title)}</a> : <span>{subjectText(p.title)}</span>}
        {p.counter ? <span className="tag">{p.counter.index}/{p.counter.total}</span> : null}
        {p.kind === "inline" ? <span className="tag">diff in a reply</span> : null}
        {p.status !== "modified" ? <span className={`tag st-${p.status}`}>{p.status}</span> : null}
        {p.oldPath && p.oldPath !== p.path ? <span className="dim small"> {p.oldPath === path ? `renamed to ${cleanText(p.path)}` : `renamed from ${cleanText(p.oldPath)}`}</span> : null}{" "}
        <span className="mono small">
          <span className="plus">+{p.added}</span> <span className="minus">-{p.removed}</span>
        </span>{" "}
        <span className="dim small">
          by <a href={personUrl(p.by.address)}>{cleanText(p.by.name || p.by.address)}</a>
        </span>
        <UpstreamBadges commits={p.commits} />
      </div>
      {p.hunks.length ? (
        <ul className="code-hunks">
          {p.hunks.map((h) => (
            <li key={`${h.file}.${h.hunk}`}>
              {list ? (
                <a className="mono small" href={`${patchUrl(list, p.msgid)}#${hunkAnchor(h.file, h.hunk)}`}>
                  {cleanText(h.header)}
                </a>
              ) : (
                <span className="mono small">{cleanText(h.header)}</span>
              )}{" "}
              <span className="mono small">
                <span className="plus">+{h.added}</span> <span className="minus">-{h.removed}</span>
              </span>
              {h.functions.length ? (
                <span className="code-fns">
                  {h.functions.map((f) => (
                    <a key={f} className="fn mono" href={codeUrl(path, f)} title={`changes ${f} (found from the ${h.functionsMethod === "hunk-lines" ? "hunk's lines" : "hunk heading and definitions"})`}>
                      {cleanText(f)}
                    </a>
                  ))}
                </span>
              ) : null}
              {h.damaged ? <span className="tag warn">damaged</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {p.comments.length ? (
        <ul className="code-comments">
          {p.comments.map((c) => (
            <li key={c.discussionId} className={`code-comment ${c.status}`}>
              <div className="small">
                <a href={personUrl(c.by.address)}>{cleanText(c.by.name || c.by.address)}</a>{" "}
                <span className="dim">
                  on {c.line !== null ? `${c.side === "old" ? "old " : ""}line ${c.line}` : "the file"}
                  {c.function ? <> in <a className="mono" href={codeUrl(path, c.function)}>{cleanText(c.function)}</a></> : null}
                  {c.date ? `, ${shortDate(c.date).slice(0, 10)}` : null}
                </span>{" "}
                <span className={`tag ${c.status === "resolved" ? "ok" : ""}`} title={c.resolvedHow ?? undefined}>
                  {c.status}
                  {c.resolvedHow ? `: ${c.resolvedHow}` : ""}
                </span>
                {c.replies ? <span className="dim"> {plural(c.replies, "reply", "replies")}</span> : null}{" "}
                <span className="dim" title="how the comment was anchored to the line, and how sure">
                  ({c.method}, {c.confidence.toFixed(2)})
                </span>{" "}
                {c.list ? <a href={messageUrl(c.list, c.msgid)}>message</a> : null}
                {list ? <> · <a href={`${reviewUrl(list, p.msgid)}#${discussionAnchor(c.discussionId)}`}>review</a></> : null}
              </div>
              <blockquote className="code-comment-text">{cleanText(c.text.length > 600 ? `${c.text.slice(0, 600)}…` : c.text)}</blockquote>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function History({ h }: { h: CodeHistory }) {
  const c = h.counts;
  const api = apiUrl(`code/${h.path.split("/").map(encodeSegment).join("/")}${h.function ? `?function=${encodeURIComponent(h.function)}` : ""}`);
  return (
    <>
      <Crumbs items={[...pathCrumbs(h.path, !h.function), ...(h.function ? [{ label: `${h.function}()` }] : [])]} />
      <h1 className="page-title">
        <span className="mono">{cleanText(h.path)}</span>
        {h.function ? (
          <>
            {" "}
            <span className="mono fn-title">{cleanText(h.function)}()</span>
          </>
        ) : null}
      </h1>
      <dl className="facts">
        <dt>history</dt>
        <dd>
          {plural(c.patches, "patch", "patches")} in {plural(c.series, "series", "series")}
          {c.proposals ? `, ${plural(c.proposals, "proposal")}` : ""}, {plural(c.hunks, "hunk")}, {plural(c.comments, "review comment")},{" "}
          {plural(c.decisions, "decision")}, {plural(c.commits, "upstream commit")}
        </dd>
        <dt>span</dt>
        <dd className="mono">
          {shortDate(h.firstDate).slice(0, 10)} … {shortDate(h.lastDate).slice(0, 10)}
        </dd>
        {h.function ? (
          <>
            <dt>file</dt>
            <dd>
              <a className="mono" href={codeUrl(h.path)}>
                {cleanText(h.path)}
              </a>{" "}
              (every function)
            </dd>
          </>
        ) : null}
      </dl>
      <nav className="msg-links" aria-label="Code history links">
        <a href={api}>JSON</a>
      </nav>
      {h.truncated ? <p className="note warn">Only the newest patches are shown.</p> : null}
      {h.function && !c.patches ? <p className="notice">No hunk of this file changes {cleanText(h.function)}.</p> : null}
      {!h.function && h.functions.length ? (
        <section className="code-functions" aria-label="Functions">
          <h2 className="section-title">Functions changed</h2>
          <p className="code-fns">
            {h.functions.map((f) => (
              <a key={f.name} className="fn mono" href={codeUrl(h.path, f.name)}>
                {cleanText(f.name)} <span className="dim">{f.hunks}</span>
              </a>
            ))}
          </p>
        </section>
      ) : null}
      {h.function && h.functions.length > 1 ? (
        <p className="small dim">
          Other functions of this file:{" "}
          {h.functions
            .filter((f) => f.name !== h.function)
            .slice(0, 20)
            .map((f, i) => (
              <span key={f.name}>
                {i ? ", " : ""}
                <a className="mono" href={codeUrl(h.path, f.name)}>
                  {cleanText(f.name)}
                </a>
              </span>
            ))}
        </p>
      ) : null}
      <ol className="code-timeline">
        {h.groups.map((g, gi) => (
          <li key={gi} className="code-group">
            {g.proposal ? (
              <h2 className="code-proposal">
                proposal <span className="tag">{g.proposal.status}</span> {cleanText(g.proposal.title)}{" "}
                <span className="dim small" title="how its series were tied to the proposal">
                  ({g.proposal.method}, {g.proposal.confidence.toFixed(2)})
                </span>
              </h2>
            ) : null}
            {g.series.map((s, si) => (
              <section key={si} className="code-series" aria-label={s.title}>
                <h3 className="code-series-head">
                  <time className="mono dim" dateTime={s.date ?? undefined}>
                    {shortDate(s.date).slice(0, 10)}
                  </time>{" "}
                  {s.key ? (
                    <>
                      <span className="badge ver">{s.isRfc ? "RFC " : ""}v{s.revision}</span>{" "}
                      <a href={seriesUrl(s.key)}>{subjectText(s.title)}</a>
                    </>
                  ) : (
                    <span className="dim">a patch outside any series</span>
                  )}
                </h3>
                {s.decisions.length ? (
                  <ul className="code-decisions">
                    {s.decisions.map((d, di) => (
                      <li key={di}>
                        <span className={`tag decision-${d.kind}`}>{d.kind}</span>
                        {d.target ? <span className="mono small"> {cleanText(d.target)}</span> : null}
                        {d.quote ? <> <q className="small">{cleanText(d.quote.slice(0, 200))}</q></> : null}{" "}
                        <span className="dim small">
                          ({d.method}, {d.confidence.toFixed(2)}){d.date ? ` ${shortDate(d.date).slice(0, 10)}` : ""}
                        </span>{" "}
                        {d.msgid && d.list ? <a className="small" href={messageUrl(d.list, d.msgid)}>message</a> : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <ul className="code-patches">
                  {s.patches.map((p) => (
                    <PatchEntry key={p.msgid} p={p} path={h.path} />
                  ))}
                </ul>
              </section>
            ))}
          </li>
        ))}
      </ol>
    </>
  );
}

export default async function CodePage(props: Props) {
  if (!getDb()) return <NoDatabase />;
  const { data } = await load(props);
  if (!data) notFound();
  return data.kind === "dir" ? <Directory d={data} /> : <History h={data} />;
}
