// Benchmark and simulator runs on a page (server-rendered, no client JavaScript): for every
// metric measured against a parameter, an SVG line plot (x = the parameter, y = the metric, one
// line per label: design or version; axes with ticks and units; a legend; an accessible title
// and description) followed by the same numbers as a table (rows = parameter values, columns =
// labels, the best per row marked, the change against the first label); then the runs' single
// figures side by side, and what each run was (tool, version, parameters, attachments).
//
// Usage (the proposal page, app/proposals/[id]/page.tsx):
//
//   import { runsForProposal } from "@/lib/views/runs";
//   import { RunPlots } from "../../_components/RunPlots";
//   const runs = await runsForProposal(db, proposal.id);   // the proposal's, its series' and patches'
//   <RunPlots runs={runs} />                                 // renders nothing when there are no runs
//
// Colours, dashes and marker shapes come from classes (app/runs.css): the CSP allows no inline
// styles, and each line differs by dash and marker too, not by colour alone.
import type { ReactNode } from "react";
import type { RunRecord } from "@/lib/views/runs";
import { bestOf, buildFigureTable, buildPlots, change, formatNumber, formatTick, unit, type PlotModel } from "@/lib/runs/plot";
import { cleanText, shortDate } from "../_lib/format";
import "../runs.css";

/** What RunPlots reads of a run: lib/db/runs.ts RunRecord (listRuns, runsForProposal, GET /api/runs). */
export type PlotRun = Pick<RunRecord, "id" | "label" | "tool" | "toolVersion" | "series" | "metrics"> &
  Partial<Pick<RunRecord, "description" | "date" | "machine" | "parameters" | "attachments" | "seriesKey" | "patchMsgid" | "proposalId" | "createdBy" | "createdAt">>;

export interface RunPlotsProps {
  runs: readonly PlotRun[];
  /** prefix of the element ids (give another one when a page shows RunPlots twice) */
  id?: string;
  /** the section heading (an h2); null: none */
  heading?: string | null;
}

const W = 680;
const H = 330;
const M = { left: 64, right: 170, top: 14, bottom: 58 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;
const STYLES = 8;

const r2 = (v: number) => Math.round(v * 100) / 100;
const withUnit = (name: string, u: string | null | undefined) => (u ? `${name} (${u})` : name);

function Marker({ shape, x, y, className, children }: { shape: number; x: number; y: number; className: string; children?: ReactNode }) {
  const s = 3.6;
  switch (shape % 4) {
    case 1:
      return (
        <rect x={r2(x - s)} y={r2(y - s)} width={r2(2 * s)} height={r2(2 * s)} className={className}>
          {children}
        </rect>
      );
    case 2:
      return (
        <polygon points={`${r2(x)},${r2(y - s * 1.2)} ${r2(x + s * 1.1)},${r2(y + s * 0.8)} ${r2(x - s * 1.1)},${r2(y + s * 0.8)}`} className={className}>
          {children}
        </polygon>
      );
    case 3:
      return (
        <polygon points={`${r2(x)},${r2(y - s * 1.3)} ${r2(x + s * 1.3)},${r2(y)} ${r2(x)},${r2(y + s * 1.3)} ${r2(x - s * 1.3)},${r2(y)}`} className={className}>
          {children}
        </polygon>
      );
    default:
      return (
        <circle cx={r2(x)} cy={r2(y)} r={s} className={className}>
          {children}
        </circle>
      );
  }
}

function PlotSvg({ p, id }: { p: PlotModel; id: string }) {
  const px = (x: number) => M.left + unit(p.x, x) * PW;
  const py = (y: number) => M.top + (1 - unit(p.y, y)) * PH;
  const xName = withUnit(cleanText(p.parameter), p.parameterUnit && cleanText(p.parameterUnit));
  const yName = withUnit(cleanText(p.metric), p.unit && cleanText(p.unit));
  const title = `${yName} against ${xName}`;
  const better = p.better ? ` ${p.better === "higher" ? "Higher" : "Lower"} is better.` : "";
  const desc =
    `Line plot, one line per label: ${p.lines.map((l) => cleanText(l.name)).join(", ")}. ` +
    `x axis: ${xName}${p.x.log ? " (logarithmic)" : ""}, from ${formatNumber(p.x.min)} to ${formatNumber(p.x.max)}. ` +
    `y axis: ${yName}, from ${formatNumber(p.y.min)} to ${formatNumber(p.y.max)}.${better} The table below has the numbers.`;
  return (
    <svg className="run-svg" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby={`${id}-t ${id}-d`} xmlns="http://www.w3.org/2000/svg">
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      <g className="grid" aria-hidden="true">
        {p.y.ticks.map((t) => (
          <line key={`gy${t}`} x1={M.left} x2={M.left + PW} y1={r2(py(t))} y2={r2(py(t))} />
        ))}
      </g>
      <g className="axis x-axis" aria-hidden="true">
        <line x1={M.left} x2={M.left + PW} y1={M.top + PH} y2={M.top + PH} />
        {p.x.ticks.map((t) => (
          <g key={`x${t}`} className="tick">
            <line x1={r2(px(t))} x2={r2(px(t))} y1={M.top + PH} y2={M.top + PH + 5} />
            <text x={r2(px(t))} y={M.top + PH + 18} textAnchor="middle">
              {formatTick(t)}
            </text>
          </g>
        ))}
        <text className="axis-label" x={M.left + PW / 2} y={H - 12} textAnchor="middle">
          {xName}
          {p.x.log ? " · log scale" : ""}
        </text>
      </g>
      <g className="axis y-axis" aria-hidden="true">
        <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + PH} />
        {p.y.ticks.map((t) => (
          <g key={`y${t}`} className="tick">
            <line x1={M.left - 5} x2={M.left} y1={r2(py(t))} y2={r2(py(t))} />
            <text x={M.left - 8} y={r2(py(t) + 4)} textAnchor="end">
              {formatTick(t)}
            </text>
          </g>
        ))}
        <text className="axis-label" transform={`translate(16 ${M.top + PH / 2}) rotate(-90)`} textAnchor="middle">
          {yName}
        </text>
      </g>
      <g className="lines">
        {p.lines.map((l, i) => (
          <g key={l.runId + ":" + i} className={`line s${i % STYLES}`} data-label={cleanText(l.name)}>
            <path className="line-path" d={l.points.map((pt, j) => `${j ? "L" : "M"}${r2(px(pt[0]))} ${r2(py(pt[1]))}`).join(" ")} />
            {l.points.map((pt) => (
              <Marker key={pt[0]} shape={i} x={px(pt[0])} y={py(pt[1])} className="marker">
                <title>{`${cleanText(l.name)}: ${formatNumber(pt[0])}${p.parameterUnit ? ` ${cleanText(p.parameterUnit)}` : ""} ${cleanText(p.parameter)} → ${formatNumber(pt[1])}${p.unit ? ` ${cleanText(p.unit)}` : ""}`}</title>
              </Marker>
            ))}
          </g>
        ))}
      </g>
      <g className="legend" aria-hidden="true" transform={`translate(${M.left + PW + 18} ${M.top + 4})`}>
        {p.lines.map((l, i) => (
          <g key={`lg${i}`} className={`line s${i % STYLES}`} transform={`translate(0 ${i * 20})`}>
            <line className="line-path" x1={0} x2={26} y1={8} y2={8} />
            <Marker shape={i} x={13} y={8} className="marker" />
            <text x={34} y={12}>
              {cleanText(l.name).length > 18 ? cleanText(l.name).slice(0, 17) + "…" : cleanText(l.name)}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}

/** One row's values side by side: the best marked, each after the first with its change against the first. */
function ValueCells({ cells, best }: { cells: (number | null)[]; best: number[] }) {
  return (
    <>
      {cells.map((c, i) => (
        <td key={i} className={`num${best.includes(i) ? " best" : ""}`}>
          {c === null ? <span className="dim">–</span> : best.includes(i) ? <strong>{formatNumber(c)}</strong> : formatNumber(c)}
          {i > 0 ? <Change pct={change(cells[0], c)} /> : null}
        </td>
      ))}
    </>
  );
}

function Change({ pct }: { pct: number | null }) {
  if (pct === null || !Number.isFinite(pct)) return null;
  const s = `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct) < 10 ? Math.abs(pct).toFixed(1) : Math.round(Math.abs(pct))}%`;
  return <span className="change dim small"> ({s})</span>;
}

function PlotTable({ p, id }: { p: PlotModel; id: string }) {
  return (
    <table className="grid run-table" aria-labelledby={`${id}-c`}>
      <thead>
        <tr>
          <th scope="col">{withUnit(cleanText(p.parameter), p.parameterUnit && cleanText(p.parameterUnit))}</th>
          {p.lines.map((l, i) => (
            <th key={i} scope="col" className={`label s${i % STYLES}`}>
              <bdi>{cleanText(l.name)}</bdi>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => {
          const best = bestOf(row.cells, p.better);
          return (
            <tr key={row.x}>
              <th scope="row" className="num">
                {formatNumber(row.x)}
              </th>
              <ValueCells cells={row.cells} best={best} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function attachedTo(r: PlotRun): string | null {
  if (r.proposalId != null) return `proposal ${r.proposalId}`;
  if (r.seriesKey) return `series <${r.seriesKey}>`;
  if (r.patchMsgid) return `patch <${r.patchMsgid}>`;
  return null;
}

function RunList({ runs }: { runs: readonly PlotRun[] }) {
  return (
    <table className="grid run-list">
      <thead>
        <tr>
          <th scope="col">label</th>
          <th scope="col">tool</th>
          <th scope="col">parameters</th>
          <th scope="col">run</th>
          <th scope="col">files</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r, i) => (
          <tr key={r.id} id={`run-${r.id}`}>
            <td>
              <bdi>{cleanText(r.label)}</bdi>
            </td>
            <td className="mono small">
              {cleanText(r.tool)}
              {r.toolVersion ? ` ${cleanText(r.toolVersion)}` : ""}
            </td>
            <td className="mono small">
              {Object.entries(r.parameters ?? {})
                .map(([k, v]) => `${cleanText(k)}=${cleanText(String(v))}`)
                .join(" ") || <span className="dim">–</span>}
            </td>
            <td className="small">
              {r.date ? <span className="mono">{cleanText(r.date)}</span> : null}
              {r.machine ? <span> {cleanText(r.machine)}</span> : null}
              {/* a group's runs share their description: once */}
              {r.description && r.description !== runs[i - 1]?.description ? <p className="run-description">{cleanText(r.description)}</p> : null}
              <span className="dim">
                {" "}
                #{r.id}
                {attachedTo(r) ? <> · {cleanText(attachedTo(r)!)}</> : null}
                {r.createdBy ? <> · imported by {cleanText(r.createdBy.name)}</> : null}
                {r.createdAt ? <> · {shortDate(r.createdAt)}</> : null}
              </span>
            </td>
            <td className="small">
              {(r.attachments ?? []).map((a, i) => (
                <div key={i}>
                  {a.url && /^https?:\/\//i.test(a.url) ? (
                    <a href={a.url} rel="nofollow noopener noreferrer">
                      {cleanText(a.name)}
                    </a>
                  ) : (
                    <span>{cleanText(a.name)}</span>
                  )}{" "}
                  <span className="dim">{cleanText(a.contentType)}</span>
                  {a.sha256 ? <span className="mono dim"> sha256:{a.sha256.slice(0, 12)}…</span> : null}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The runs as plots and tables; nothing when `runs` is empty. */
export function RunPlots({ runs, id = "runs", heading = "Benchmark and simulator runs" }: RunPlotsProps) {
  if (!runs.length) return null;
  const plots = buildPlots(runs);
  const figures = buildFigureTable(runs);
  return (
    <section className="run-plots" id={id} aria-label={heading ? undefined : "runs"} aria-labelledby={heading ? `${id}-h` : undefined}>
      {heading ? (
        <h2 className="section-title" id={`${id}-h`}>
          {heading}
        </h2>
      ) : null}
      {plots.map((p, i) => {
        const pid = `${id}-p${i}`;
        return (
          <figure key={p.key} className="run-plot" id={pid}>
            <figcaption id={`${pid}-c`}>
              <strong>{withUnit(cleanText(p.metric), p.unit && cleanText(p.unit))}</strong> against {withUnit(cleanText(p.parameter), p.parameterUnit && cleanText(p.parameterUnit))}
              {p.better ? <span className="dim small"> · {p.better} is better</span> : null}
            </figcaption>
            <PlotSvg p={p} id={pid} />
            <PlotTable p={p} id={pid} />
          </figure>
        );
      })}
      {figures ? (
        <figure className="run-figures">
          <figcaption id={`${id}-f`}>Figures per label</figcaption>
          <table className="grid run-table" aria-labelledby={`${id}-f`}>
            <thead>
              <tr>
                <th scope="col">metric</th>
                {figures.labels.map((l, i) => (
                  <th key={i} scope="col">
                    <bdi>{cleanText(l)}</bdi>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {figures.rows.map((row) => {
                const best = bestOf(row.cells, row.better);
                return (
                  <tr key={row.metric}>
                    <th scope="row">
                      {withUnit(cleanText(row.metric), row.unit && cleanText(row.unit))}
                      {row.better ? <span className="dim small"> ({row.better} is better)</span> : null}
                    </th>
                    <ValueCells cells={row.cells} best={best} />
                  </tr>
                );
              })}
            </tbody>
          </table>
        </figure>
      ) : null}
      <RunList runs={runs} />
    </section>
  );
}
