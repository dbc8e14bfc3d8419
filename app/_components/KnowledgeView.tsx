// The message page's "Knowledge" box: what lib/knowledge found in the message (design ideas,
// decisions and what they decide, benchmark figures, the robot report it is and who cites it,
// the reports it cites), each with where it was found (lines, method, confidence). The same data
// as /api/<list>/<msgid>/knowledge. Loaded by KnowledgeBox.tsx.
import type { BenchmarkView, MessageKnowledgeView, SeriesRef } from "@/lib/views/knowledge";
import { apiUrl, encodeSegment, messageUrl, seriesUrl } from "../_lib/urls";
import { cleanText, shortDate } from "../_lib/format";
import "../knowledge.css";

const pct = (c: number | null) => (c === null ? "" : `${c > 0 ? "+" : ""}${Number(c.toFixed(2))}%`);
const conf = (c: number) => `${Math.round(c * 100)}%`;
const linesText = (l: [number, number]) => (l[0] === 0 ? "subject" : l[0] === l[1] ? `line ${l[0]}` : `lines ${l[0]}–${l[1]}`);
const fmt = (v: number | null) => (v === null ? "" : Math.abs(v) >= 1e5 ? v.toExponential(3) : String(Number(v.toPrecision(6))));

function Prov({ p }: { p: { lines: [number, number]; method: string; confidence: number } }) {
  return (
    <span className="k-prov dim small" title={`found by ${p.method}, confidence ${conf(p.confidence)}`}>
      {linesText(p.lines)} · {p.method} · {conf(p.confidence)}
    </span>
  );
}

function SeriesLink({ s }: { s: SeriesRef }) {
  return (
    <a href={seriesUrl(s.key)}>
      {s.isRfc ? "RFC " : ""}v{s.revision || s.version} {cleanText(s.title)}
    </a>
  );
}

/** LKP tables carry dozens of monitor rows (perf-profile, vmstat): the headline and results first, the monitors folded. */
function BenchmarkTable({ rows, list }: { rows: BenchmarkView[]; list: string }) {
  const main = rows.filter((b) => b.role !== "monitor");
  const monitors = rows.filter((b) => b.role === "monitor");
  const table = (bs: BenchmarkView[]) => (
    <table className="grid k-bench">
      <thead>
        <tr>
          <th>suite</th>
          <th>test</th>
          <th>metric</th>
          <th className="num">baseline</th>
          <th className="num">value</th>
          <th className="num">change</th>
          <th>where</th>
        </tr>
      </thead>
      <tbody>
        {bs.map((b) => (
          <tr key={b.id} className={b.direction ? `k-${b.direction}` : undefined}>
            <td>{b.suite ?? ""}</td>
            <td>{b.test ?? ""}</td>
            <td className="k-metric" title={b.quote}>
              {b.metric ?? ""}
              {b.role === "headline" ? <span className="tag">headline</span> : null}
              {b.cites ? <span className="tag" title={`cites ${b.cites}`}>cites report</span> : null}
            </td>
            <td className="num">{fmt(b.baseline)}</td>
            <td className="num">
              {fmt(b.value)}
              {b.unit ? <span className="dim"> {b.unit}</span> : null}
            </td>
            <td className="num">
              {b.change !== null ? pct(b.change) : b.delta !== null ? `Δ${fmt(b.delta)}` : ""}
              {b.direction ? <span className="dim small"> {b.direction}</span> : null}
            </td>
            <td>
              <Prov p={b} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const shown = main.slice(0, 40);
  return (
    <>
      {shown.length ? table(shown) : null}
      {main.length > shown.length ? (
        <p className="dim small">
          {main.length - shown.length} more: <a href={apiUrl(`${encodeSegment(list)}/${encodeSegment(rows[0].msgid)}/knowledge`)}>all as JSON</a>
        </p>
      ) : null}
      {monitors.length ? (
        <details className="k-monitors">
          <summary>{monitors.length} monitor rows (perf-profile, vmstat, lock statistics…)</summary>
          {table(monitors.slice(0, 200))}
        </details>
      ) : null}
    </>
  );
}

export function KnowledgeView({ k, list }: { k: MessageKnowledgeView; list: string }) {
  const r = k.report;
  return (
    <section className="knowledge" aria-label="Knowledge">
      <h3 className="section-title">Knowledge</h3>
      {r ? (
        <div className="k-report">
          <span className="tag">{r.robot}</span> <span className="tag">{r.kind}</span>{" "}
          {r.suite ? (
            <strong>
              {r.suite}.{r.metric} {pct(r.change)} {r.direction ?? ""}
            </strong>
          ) : null}
          {r.commit ? (
            <span>
              {" "}
              on commit <span className="mono">{r.commit.slice(0, 12)}</span>
              {r.commitTitle ? <> (“{cleanText(r.commitTitle)}”)</> : null}
            </span>
          ) : null}
          {r.tree ? <span className="dim"> in {r.tree}</span> : null}
          {r.target && r.target.method !== "none" ? (
            <div className="small">
              reports on{" "}
              {r.target.patch ? <a href={messageUrl(list, r.target.patch.msgid)}>{cleanText(r.target.patch.subject)}</a> : null}
              {r.target.patch && r.target.series ? " in " : null}
              {r.target.series ? <SeriesLink s={r.target.series} /> : null}
              {r.target.commit ? <span className="mono"> {r.target.commit.slice(0, 12)}</span> : null}
              <span className="dim"> (by {r.target.method})</span>
            </div>
          ) : null}
          {k.citedBy.length ? (
            <div className="small">
              cited by:{" "}
              {k.citedBy.map((c, i) => (
                <span key={c.msgid}>
                  {i ? ", " : ""}
                  <a href={messageUrl(c.list ?? list, c.msgid)}>{c.fromName || c.fromAddress}</a>
                  <span className="dim"> {c.date ? shortDate(c.date).slice(0, 10) : ""}</span>
                </span>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      {k.decisions.length ? (
        <ul className="plain k-decisions">
          {k.decisions.map((d) => (
            <li key={d.id}>
              <span className={`tag k-decision k-${d.kind}`}>{d.kind}</span> {d.target ? <strong>{d.target}</strong> : null}
              {d.series || d.patch ? (
                <span>
                  {" "}
                  decides {d.patch ? <a href={messageUrl(list, d.patch.msgid)}>{cleanText(d.patch.subject)}</a> : null}
                  {d.patch && d.series ? " of " : null}
                  {d.series ? <SeriesLink s={d.series} /> : null}
                </span>
              ) : null}
              {d.commit ? <span className="mono"> {d.commit.slice(0, 12)}</span> : null}
              {d.actor ? <span className="dim"> by {d.actor}</span> : null}
              {d.reason ? <div className="k-reason small">{cleanText(d.reason)}</div> : null} <Prov p={d} />
              {d.status !== "detected" ? <span className="tag">{d.status}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {k.ideas.length ? (
        <ul className="plain k-ideas">
          {k.ideas.map((i) => (
            <li key={i.id}>
              <span className={`tag k-idea k-${i.kind}`}>{i.kind}</span> {cleanText(i.title && i.kind === "rfc" ? `${i.title}: ${i.summary}` : i.summary)}{" "}
              <Prov p={i} />
              {i.status !== "detected" ? <span className="tag">{i.status}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {k.benchmarks.length ? <BenchmarkTable rows={k.benchmarks} list={list} /> : null}
      {k.citedReports.length ? (
        <div className="small k-cited">
          cites robot reports:{" "}
          {k.citedReports.map((c, i) => (
            <span key={c.msgid}>
              {i ? ", " : ""}
              <a href={messageUrl(c.list ?? list, c.msgid)}>{cleanText(c.subject)}</a>
              <span className="dim"> ({c.kind}{c.suite ? `: ${c.suite}.${c.metric} ${pct(c.change)}` : ""})</span>
            </span>
          ))}
        </div>
      ) : null}
      {k.series && !r && !k.decisions.some((d) => d.series) ? (
        <p className="dim small">
          in series <SeriesLink s={k.series} />
        </p>
      ) : null}
    </section>
  );
}

