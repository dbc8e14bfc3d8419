// `npm run bench:knowledge`: the knowledge analyzers (lib/knowledge through lib/analyze, as ingest
// runs them) against the blind labels of eval/knowledge (GUIDE.md, PROTOCOL.md): precision and
// recall per category and per kind, on the frozen test split by default.
//
//   npx tsx scripts/bench-knowledge.mts [--split test|train|all] [--errors] [--json]
//   npx tsx scripts/bench-knowledge.mts --cost [--repo <public-inbox epoch>]
//
// --cost: what the knowledge analyzers cost at ingest, over every message of the linux-mmc epoch
// (--repo, else a clone of ../shared/corpora/linux-mmc-0.bundle): each message parsed (not timed),
// then knowledgeOf timed, and the mean CPU-time per message printed (the budget is 0.3 ms).
//
// Matching, one to one and greedy: an idea or a decision matches a label whose body lines overlap
// it (one line of slack either side), of the same kind for the per-kind rows; a human benchmark
// figure matches a label whose lines overlap; a review trailer matches by kind and address; a
// robot table row matches by metric name (either one a suffix of the other) and signed change
// (within 0.15 points; a percent with a percent, an absolute difference with a delta). Labels count raw lines after the header's blank line; the analyzers count
// lines of the decoded body: each found item is moved to the raw line holding the same text (the
// nearest one), which is the identity for plain-text mail.
import fs from "node:fs";
import path from "node:path";
import { parseMail } from "../lib/mail/parse";
import { analyzeMessage } from "../lib/analyze/message";
import { collectTrailers, isReviewTrailer } from "../lib/review/trailers";
import { normalizeAddress } from "../lib/mail/address";
import { projectRoot } from "../ingest/postgres/migrate";
import { arg, flag } from "./args";

const DIR = path.join(projectRoot(), "eval", "knowledge");

if (flag("cost")) {
  const { ensureRepo, readMessages } = await import("./oracle/oracle-lib");
  const { knowledgeOf } = await import("../lib/analyze/message");
  const repo = ensureRepo(arg("repo"));
  let n = 0;
  let us = 0;
  let found = 0;
  for await (const m of readMessages(repo)) {
    let parsed;
    try {
      parsed = await parseMail(m.raw);
    } catch {
      continue;
    }
    const t0 = process.cpuUsage();
    const k = knowledgeOf(parsed);
    const d = process.cpuUsage(t0);
    us += d.user + d.system;
    n++;
    found += k.ideas.length + k.decisions.length + k.benchmarks.length;
  }
  process.stdout.write(`knowledge analyzers over ${n} messages of ${repo}: ${(us / 1000 / n).toFixed(3)} ms/message CPU (${found} ideas, decisions and figures)\n`);
  process.exit(0);
}
const SPLIT = arg("split", "test")!;

interface LabelFile {
  msgid: string;
  ideas: { kind: string; lines: [number, number]; text: string }[];
  decisions: { kind: string; lines: [number, number]; text: string }[];
  trailers: { kind: string; person: string }[];
  benchmarks: { lines: [number, number]; metric: string }[];
  robot_rows: { metric: string; change: string | null }[];
}
interface Item { kind: string; lines: [number, number]; text: string; key?: string; change?: number | null }
interface Tally { tp: number; fp: number; fn: number }
const tally = new Map<string, Tally>();
const errors: string[] = [];
const t = (k: string) => tally.get(k) ?? (tally.set(k, { tp: 0, fp: 0, fn: 0 }), tally.get(k)!);

const overlaps = (a: [number, number], b: [number, number]) => a[0] <= b[1] + 1 && b[0] <= a[1] + 1;

/** one-to-one greedy matching; counts per category and per kind */
function score(cat: string, idx: string, found: Item[], labels: Item[], same: (f: Item, l: Item) => boolean, byKind: boolean) {
  const used = new Set<number>();
  const usedKind = new Set<number>();
  for (const f of found) {
    const i = labels.findIndex((l, j) => !used.has(j) && same(f, l));
    if (i >= 0) {
      used.add(i);
      t(cat).tp++;
    } else {
      t(cat).fp++;
      errors.push(`${idx} ${cat} FP  ${f.kind} ${f.lines?.join("-") ?? ""} ${f.text.slice(0, 100)}`);
    }
    if (byKind) {
      const k = labels.findIndex((l, j) => !usedKind.has(j) && l.kind === f.kind && same(f, l));
      if (k >= 0) (usedKind.add(k), t(`${cat}/${f.kind}`).tp++);
      else t(`${cat}/${f.kind}`).fp++;
    }
  }
  labels.forEach((l, j) => {
    if (!used.has(j)) {
      t(cat).fn++;
      errors.push(`${idx} ${cat} FN  ${l.kind} ${l.lines?.join("-") ?? ""} ${l.text.slice(0, 100)}`);
    }
    if (byKind && !usedKind.has(j)) t(`${cat}/${l.kind}`).fn++;
  });
}

/** the raw body (after the header's blank line), as lines */
function rawBodyLines(raw: Buffer): string[] {
  const s = raw.toString("latin1");
  const m = /\r?\n\r?\n/.exec(s);
  return (m ? s.slice(m.index + m[0].length) : "").split(/\r?\n/);
}

/** A raw line as text: quoted-printable soft breaks and escapes undone (enough to compare). */
const rawText = (l: string) => l.replace(/=$/, "").replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))).trim();

/**
 * decoded body line n (1-based) -> the raw line holding the same text, nearest first: the same
 * line, else the raw line a decoded line starts with (format=flowed and quoted-printable join
 * raw lines into one decoded line), else n.
 */
function toRaw(rawLines: string[], textLines: string[], n: number): number {
  if (n <= 0) return n;
  const want = (textLines[n - 1] ?? "").trim();
  if (!want) return n;
  const nearest = (ok: (raw: string) => boolean) => {
    let best = -1;
    for (let i = 0; i < rawLines.length; i++) {
      if (ok(rawText(rawLines[i])) && (best < 0 || Math.abs(i + 1 - n) < Math.abs(best - n))) best = i + 1;
    }
    return best;
  };
  const exact = nearest((r) => r === want);
  if (exact > 0) return exact;
  const head = want.slice(0, 40);
  const start = nearest((r) => r.length >= 12 && (want.startsWith(r) || r.startsWith(head)));
  return start > 0 ? start : n;
}

const changeOf = (s: string | null | undefined): number | null => {
  const m = /([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*%?/.exec(String(s ?? ""));
  return m ? Number(m[1]) : null;
};
const metricKey = (s: string) => s.toLowerCase().replace(/\s+/g, "");

const sample = JSON.parse(fs.readFileSync(path.join(DIR, "sample.json"), "utf8")) as { messages: { index: number; msgid: string; split: string }[] };
let read = 0;
let missing = 0;
let ms = 0;
for (const m of sample.messages) {
  if (SPLIT !== "all" && m.split !== SPLIT) continue;
  const idx = String(m.index).padStart(3, "0");
  const labelPath = path.join(DIR, "labels", `${idx}.json`);
  if (!fs.existsSync(labelPath)) {
    missing++;
    continue;
  }
  const label = JSON.parse(fs.readFileSync(labelPath, "utf8")) as LabelFile;
  const raw = fs.readFileSync(path.join(DIR, "mail", `${idx}.eml`));
  const t0 = performance.now();
  const parsed = await parseMail(raw);
  const a = analyzeMessage(parsed);
  ms += performance.now() - t0;
  read++;
  const rawLines = rawBodyLines(raw);
  const textLines = parsed.text.split("\n");
  const at = (l: [number, number]): [number, number] => [toRaw(rawLines, textLines, l[0]), toRaw(rawLines, textLines, l[1])];
  const k = a.knowledge;

  score("ideas", idx, k.ideas.map((i) => ({ kind: i.kind, lines: at(i.lines), text: i.quote })),
    label.ideas.map((l) => ({ kind: l.kind, lines: l.lines, text: l.text })), (f, l) => overlaps(f.lines, l.lines), true);
  score("decisions", idx, k.decisions.map((d) => ({ kind: d.kind, lines: at(d.lines), text: d.quote })),
    label.decisions.map((l) => ({ kind: l.kind, lines: l.lines, text: l.text })), (f, l) => f.lines[0] === 0 || overlaps(f.lines, l.lines), true);

  // review trailers the sender gives (Cc: is not one): a patch's commit message, else the reply's own lines, a robot's tag box included
  const trailers = a.patch && a.patch.kind !== "inline"
    ? collectTrailers(a.patch.commitMessage ?? "", { source: "commit-message" })
    : collectTrailers(parsed.text, { source: "reply", from: parsed.from });
  const addr = (p: string) => normalizeAddress(/<([^>]+)>/.exec(p)?.[1] ?? p);
  score("trailers", idx, trailers.filter(isReviewTrailer).map((x) => ({ kind: x.kind, lines: [x.line + 1, x.line + 1], text: `${x.kind}: ${x.value}`, key: `${x.kind.toLowerCase()} ${normalizeAddress(x.person!.address)}` })),
    label.trailers.map((l) => ({ kind: l.kind, lines: [0, 0], text: `${l.kind}: ${l.person}`, key: `${l.kind.toLowerCase()} ${addr(l.person)}` })), (f, l) => f.key === l.key, false);

  if (k.report) {
    // a row's change is its percent, or (perf-profile and percentage-point rows) the absolute
    // difference printed without "%": a figure's delta then, compared as a "d" kind of change
    score("robot_rows", idx, k.benchmarks.filter((b) => b.change != null || b.delta != null).map((b) => ({ kind: b.change != null ? "row" : "row-d", lines: b.lines, text: `${b.suite ?? ""}.${b.metric ?? ""} ${b.change ?? b.delta}`, key: metricKey(`${b.suite ? b.suite + "." : ""}${b.metric ?? ""}`), change: b.change ?? b.delta })),
      label.robot_rows.map((l) => ({ kind: /%/.test(String(l.change ?? "")) ? "row" : "row-d", lines: [0, 0], text: `${l.metric} ${l.change}`, key: metricKey(l.metric), change: changeOf(l.change) })),
      (f, l) => f.kind === l.kind && (f.key!.endsWith(l.key!) || l.key!.endsWith(f.key!)) && f.change != null && l.change != null && Math.abs(f.change - l.change) <= 0.15, false);
  } else {
    score("benchmarks", idx, k.benchmarks.map((b) => ({ kind: "figure", lines: at(b.lines), text: b.quote })),
      label.benchmarks.map((l) => ({ kind: "figure", lines: l.lines, text: l.metric })), (f, l) => overlaps(f.lines, l.lines), false);
  }
}

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "  - ");
const rows = [...tally].sort(([a], [b]) => a.localeCompare(b)).map(([name, v]) => ({
  name, ...v, precision: v.tp / (v.tp + v.fp), recall: v.tp / (v.tp + v.fn),
}));
if (flag("json")) {
  process.stdout.write(JSON.stringify({ split: SPLIT, messages: read, unlabeled: missing, msPerMessage: ms / read, rows }, null, 2) + "\n");
} else {
  process.stdout.write(`split ${SPLIT}: ${read} labeled messages (${missing} not labeled yet), analysis ${(ms / Math.max(1, read)).toFixed(2)} ms/message (parse included)\n\n`);
  process.stdout.write(`${"category/kind".padEnd(28)} ${"found".padStart(6)} ${"labels".padStart(6)} ${"TP".padStart(5)}  precision  recall\n`);
  for (const r of rows) {
    process.stdout.write(`${r.name.padEnd(28)} ${String(r.tp + r.fp).padStart(6)} ${String(r.tp + r.fn).padStart(6)} ${String(r.tp).padStart(5)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(6)}\n`);
  }
  if (flag("errors")) process.stdout.write("\n" + errors.join("\n") + "\n");
}
