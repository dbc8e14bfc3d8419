// Server rendering of the runs' plots and tables, and of the curation forms (no database).
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { parseRunFile } from "@/lib/runs/parse";
import type { CurationView } from "@/lib/views/curation";
import { RunPlots, type PlotRun } from "./RunPlots";
import { CurationForms, describeAudit } from "./CurationForms";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The demo's run file as listRuns would answer it. */
function demoRuns(): PlotRun[] {
  return parseRunFile(fs.readFileSync(path.join(root, "ingest/demo/run.json"), "utf8"), { name: "run.json" }).map((r, i) => ({
    id: i + 1,
    label: r.label,
    tool: r.tool,
    toolVersion: r.toolVersion,
    series: r.series,
    metrics: r.metrics,
    parameters: r.parameters,
    attachments: r.attachments,
    description: r.description,
    date: r.date,
    machine: r.machine,
    proposalId: 4,
    createdBy: null,
    createdAt: "2024-02-10T09:00:00.000Z",
  }));
}

const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe("RunPlots", () => {
  it("draws one SVG per metric against a parameter, one line per label, with axes, units, legend and an accessible title", () => {
    const html = renderToStaticMarkup(createElement(RunPlots, { runs: demoRuns() }));
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    const [tput, hold] = svgs as [string, string];
    // one line (a path) per label, its points as markers with a tooltip each
    expect(count(tput, /<path class="line-path"/g)).toBe(3);
    expect([...tput.matchAll(/<g class="line s\d" data-label="([^"]+)"/g)].map((m) => m[1])).toEqual(["baseline", "RFC", "v3"]);
    expect(count(tput, /<title>v3: /g)).toBe(7);
    expect(tput).toContain("<title>v3: 64 threads → 24.6 GB/s</title>");
    // accessible name and description
    expect(tput).toMatch(/<svg[^>]* role="img" aria-labelledby="runs-p0-t runs-p0-d"/);
    expect(tput).toContain('<title id="runs-p0-t">reclaim throughput (GB/s) against threads</title>');
    expect(tput).toMatch(/<desc id="runs-p0-d">Line plot, one line per label: baseline, RFC, v3\. x axis: threads \(logarithmic\), from 1 to 64\. y axis: reclaim throughput \(GB\/s\), from 0 to 25\. Higher is better\./);
    // axes: labels with units, ticks at the thread counts (log scale) and round throughput values
    expect(tput).toMatch(/<text class="axis-label"[^>]*>threads · log scale<\/text>/);
    expect(tput).toMatch(/<text class="axis-label" transform="translate\(16 [\d.]+\) rotate\(-90\)"[^>]*>reclaim throughput \(GB\/s\)<\/text>/);
    for (const t of ["1", "2", "4", "8", "16", "32", "64"]) expect(tput).toMatch(new RegExp(`<text x="[\\d.]+" y="[\\d.]+" text-anchor="middle">${t}</text>`));
    for (const t of ["0", "5", "10", "15", "20", "25"]) expect(tput).toMatch(new RegExp(`<text x="56" y="[\\d.]+" text-anchor="end">${t}</text>`));
    // legend: the three labels
    const legend = tput.match(/<g class="legend"[\s\S]*<\/g>/)![0];
    expect([...legend.matchAll(/<text x="34" y="12">([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(["baseline", "RFC", "v3"]);
    expect(hold).toContain("lruvec lock hold time (us) against threads");
    expect(hold).toContain("Lower is better.");
    // a higher value is drawn higher: v3's point at 64 threads is above baseline's
    const y64 = (label: string) => Number(new RegExp(`data-label="${label}"><path class="line-path" d="[^"]*L[\\d.]+ ([\\d.]+)"`).exec(tput)![1]);
    expect(y64("v3")).toBeLessThan(y64("baseline"));
  });

  it("puts the numbers in side-by-side tables: rows = parameter values, columns = labels, best marked, change against the first", () => {
    const html = renderToStaticMarkup(createElement(RunPlots, { runs: demoRuns() }));
    const table = html.match(/<table class="grid run-table" aria-labelledby="runs-p0-c">[\s\S]*?<\/table>/)![0];
    expect([...table.matchAll(/<th scope="col"[^>]*>(?:<bdi>)?([^<]+)/g)].map((m) => m[1])).toEqual(["threads", "baseline", "RFC", "v3"]);
    expect([...table.matchAll(/<th scope="row" class="num">([^<]+)<\/th>/g)].map((m) => m[1])).toEqual(["1", "2", "4", "8", "16", "32", "64"]);
    expect(table).toContain('<td class="num best"><strong>24.6</strong><span class="change dim small"> (+63%)</span></td>');
    const figures = html.match(/<figure class="run-figures">[\s\S]*?<\/figure>/)![0];
    expect(figures).toContain("lruvec lock contentions");
    expect(figures).toContain("<strong>2,402,811</strong>");
    expect(html).toContain("rotsim 0.4.1");
    expect(html).toContain("sha256:8e6dbc70be48…");
  });

  it("escapes what the run file says and renders nothing without runs", () => {
    const evil: PlotRun = {
      id: 9,
      label: '<script>alert(1)</script>"\u202Egnp.exe',
      tool: "<b>x</b>",
      toolVersion: null,
      metrics: {},
      series: [{ parameter: "a<b", metric: 'm"&', unit: "<u>", points: [[1, 1], [2, 2]] }],
      attachments: [{ name: "x", url: "javascript:alert(1)", contentType: "text/html" }],
    };
    const html = renderToStaticMarkup(createElement(RunPlots, { runs: [evil] }));
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>x</b>");
    expect(html).not.toContain("<u>");
    expect(html).not.toContain("\u202E");
    expect(html).toContain("‹U+202E›");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain('href="javascript:');
    expect(renderToStaticMarkup(createElement(RunPlots, { runs: [] }))).toBe("");
  });
});

const view: CurationView = {
  proposal: { id: 3, key: "k@x", title: "mm: rotation queue", customTitle: null, status: "applied", mergedIntoId: null },
  members: [
    { ref: "series:1", title: "mm/vmscan: batch LRU rotation", role: "rfc", method: "version-line", state: "auto", key: "a@x", version: 1 },
    { ref: "series:4", title: "mm/vmscan: batch <LRU> rotation", role: "version", method: "version-line", state: "auto", key: "b@x", version: 3 },
    { ref: "thread:9", title: "[LSF/MM] topic", role: "discussion", method: "body-ref", state: "removed", key: "c@x", version: null },
  ],
  ideas: [{ id: 11, kind: "alternative", text: "How about a per-cpu queue?", status: "detected", msgid: "i@x", curatedBy: null, curatedAt: null }],
  decisions: [{ id: 21, kind: "applied", text: "mm-unstable", status: "confirmed", msgid: "d@x", curatedBy: "Ann", curatedAt: "2024-03-01T10:00:00.000Z" }],
  audit: [
    { id: 2, action: "member.remove", targetKind: "proposal", targetId: "3", user: { id: 1, name: "Ann" }, before: { ref: "thread:9", state: "auto" }, after: { ref: "thread:9", state: "removed" }, createdAt: "2024-03-01T10:00:00.000Z" },
    { id: 1, action: "proposal.rename", targetKind: "proposal", targetId: "3", user: null, before: { title: "a", customTitle: null }, after: { title: "a", customTitle: "b" }, createdAt: "2024-03-01T09:00:00.000Z" },
  ],
};

describe("CurationForms", () => {
  it("signed in: plain forms posting to /curate/... with the CSRF token and the page to come back to", () => {
    const html = renderToStaticMarkup(createElement(CurationForms, { view, csrf: "tok123", back: "/proposals/3/", notice: "rename" }));
    const forms = [...html.matchAll(/<form [^>]*action="([^"]+)" method="post"/g)].map((m) => m[1]);
    expect(forms).toEqual([
      "/curate/proposals/3/rename",
      "/curate/proposals/3/members",
      "/curate/proposals/3/members",
      "/curate/proposals/3/members",
      "/curate/proposals/3/members",
      "/curate/proposals/3/split",
      "/curate/proposals/3/merge",
      "/curate/ideas/11/status",
      "/curate/ideas/11/status",
      "/curate/decisions/21/status",
    ]);
    expect(count(html, /<input type="hidden" name="csrf" value="tok123"\/>/g)).toBe(forms.length);
    expect(count(html, /<input type="hidden" name="back" value="\/proposals\/3\/"\/>/g)).toBe(forms.length);
    expect(html).toMatch(/<input type="text"[^>]* name="title" value="mm: rotation queue"\/>/);
    expect(html).toContain("add back"); // the removed thread
    expect(html).toContain("The proposal was renamed.");
    expect(html).toContain("mm/vmscan: batch &lt;LRU&gt; rotation");
    expect(html).not.toContain("<script");
    // the history
    expect(html).toContain("removed thread:9 (was auto)");
    expect(html).toContain("title “a” → “b”");
  });

  it("signed out: no forms, a sign-in link, and the history; unknown notices are not shown", () => {
    const html = renderToStaticMarkup(createElement(CurationForms, { view, csrf: null, back: "/proposals/3/", notice: "<b>hi</b>" }));
    expect(html).not.toContain("<form");
    expect(html).toContain('href="/login?next=%2Fproposals%2F3%2F"');
    expect(html).not.toContain("hi</b>");
    expect(html).toContain("member.remove");
    expect(describeAudit({ ...view.audit[0], action: "run.import", after: { runs: [{ id: 1, label: "v3" }], source: "run.json" } })).toBe("imported 1 run (v3) from run.json");
  });
});
