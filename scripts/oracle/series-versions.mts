// Version lines over a whole public-inbox epoch (linux-mmc by default): groups every thread with
// groupSeries, regroups unthreaded single pieces per sender (as the database layer does per author
// and time window), links all postings with linkVersions, and prints what was linked and how.
// There is no external oracle for version lines; this prints figures and samples to read:
//   * how many postings labelled v2+ found an earlier version (a recall proxy);
//   * the evidence behind every link (method histogram, confidence);
//   * guards that must hold: no title/changelog link spans more than 365 days, no link goes
//     backwards in time beyond clock skew unless the evidence is explicit;
//   * a deterministic sample of multi-version lines, to eyeball.
//
//   npx tsx scripts/oracle/series-versions.mts [--repo /tmp/mmc.git] [--samples 25] [--json out.json]
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { groupSeries, type SeriesGroup, type SeriesInput } from "../../lib/series/group";
import { linkVersions, type VersionLine } from "../../lib/series/versions";
import { epochRepo, loadEpoch, threadsOf } from "./series-corpus";

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string | null = null): string | null => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? dflt : (argv[i + 1] ?? dflt);
};
const REPO = epochRepo(arg("repo"));
const SAMPLES = Number(arg("samples", "25"));
const JSON_OUT = arg("json");
/** person key: the display name (what a person table merges addresses by), else the address; --by-address to use addresses only */
const BY_NAME = !argv.includes("--by-address");
const DAY = 86_400_000;

const t0 = Date.now();
const { msgs, byId } = await loadEpoch(REPO);
const { threads } = threadsOf(msgs);
if (BY_NAME) for (const m of msgs) m.input.authorKey = m.mail.from.name.trim().toLowerCase().replace(/\s+/g, " ") || null;
console.error(`parsed ${msgs.length} messages, ${threads.size} threads in ${((Date.now() - t0) / 1000).toFixed(0)}s`);

// 1. per thread
const series: SeriesGroup[] = [];
const unthreadedPieces: SeriesGroup[] = [];
for (const ms of threads.values()) {
  const inputs = ms.map((m) => m.input);
  for (const s of groupSeries(inputs)) {
    const lonely = s.facts.headerRefs.length === 0 && s.method === "single" && s.total > 1;
    (lonely ? unthreadedPieces : series).push(s);
  }
}
// 2. unthreaded pieces of one sender, regrouped together (each piece is a thread of its own)
const bySender = new Map<string, SeriesInput[]>();
for (const s of unthreadedPieces) {
  for (const id of s.facts.msgids) {
    const m = byId.get(id);
    if (!m) continue;
    const k = s.authorKey;
    if (!bySender.has(k)) bySender.set(k, []);
    bySender.get(k)!.push(m.input);
  }
}
let regrouped = 0;
for (const inputs of bySender.values()) {
  for (const s of groupSeries(inputs)) {
    if (s.method === "unthreaded-window") regrouped++;
    series.push(s);
  }
}
console.error(`${series.length} postings (${unthreadedPieces.length} unthreaded pieces -> ${regrouped} merged postings)`);

// 3. version lines
const t1 = Date.now();
const lines = linkVersions(series);
const linkMs = Date.now() - t1;
const byIdSeries = new Map(series.map((s) => [s.id, s]));

const multi = lines.filter((l) => l.series.length > 1);
const methods = new Map<string, number>();
const kinds = new Map<string, number>();
const conf = new Map<string, number>();
let backwards = 0;
let longTitle = 0;
const suspicious: string[] = [];
for (const l of lines) {
  for (const k of l.links) {
    methods.set(k.method, (methods.get(k.method) ?? 0) + 1);
    kinds.set(k.kind, (kinds.get(k.kind) ?? 0) + 1);
    const b = k.confidence >= 0.9 ? ">=0.9" : k.confidence >= 0.75 ? "0.75-0.9" : "0.5-0.75";
    conf.set(b, (conf.get(b) ?? 0) + 1);
    const a = byIdSeries.get(k.from)!;
    const c = byIdSeries.get(k.to)!;
    const dt = Date.parse(c.date ?? "") - Date.parse(a.date ?? "");
    if (dt < -2 * DAY) {
      backwards++;
      if (k.method === "title" || k.method === "changelog") suspicious.push(`backwards ${k.method}: ${k.from} -> ${k.to}`);
    }
    if ((k.method === "title" || k.method === "changelog") && Math.abs(dt) > 365 * DAY) {
      longTitle++;
      suspicious.push(`long ${k.method}: ${k.from} -> ${k.to}`);
    }
  }
}
// recall proxy: postings labelled v2 or later that found a predecessor
const hasPred = new Set(lines.flatMap((l) => l.links.map((k) => k.to)));
const labelled = series.filter((s) => s.versionExplicit && s.version >= 2 && !s.isResend);
const found = labelled.filter((s) => hasPred.has(s.id));

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : "n/a");
console.log(`person key: ${BY_NAME ? "display name, else address" : "address"}`);
console.log(`version lines on ${REPO}: ${series.length} postings, ${lines.length} lines, ${multi.length} with 2+ postings (linking took ${linkMs} ms)`);
console.log(`postings labelled v2+ that found an earlier version: ${found.length}/${labelled.length} = ${pct(found.length, labelled.length)}`);
console.log(`links by method: ${[...methods].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`);
console.log(`links by kind: ${[...kinds].map(([k, v]) => `${k} ${v}`).join(", ")}`);
console.log(`links by confidence: ${[...conf].map(([k, v]) => `${k} ${v}`).join(", ")}`);
console.log(`guards: title/changelog links over 365 days: ${longTitle}; links going back more than 2 days: ${backwards} (title/changelog among them: ${suspicious.filter((s) => s.startsWith("backwards")).length})`);
for (const s of suspicious.slice(0, 20)) console.log(`  ! ${s}`);

function show(l: VersionLine): string {
  const rows = l.series.map((id, i) => {
    const s = byIdSeries.get(id)!;
    const link = i === 0 ? "" : ` <- ${l.links[i - 1].method} ${l.links[i - 1].confidence}`;
    return `    ${(s.isRfc ? "RFC " : "") + "v" + s.revision}${s.isResend ? " RESEND" : ""} ${s.date?.slice(0, 10)} ${JSON.stringify(s.title)} [${s.patches.length}/${s.total}]${link}`;
  });
  return `  line ${l.id} (${l.author})\n${rows.join("\n")}`;
}
const sampled = [...multi].sort((a, b) => {
  const ha = createHash("sha1").update(a.id).digest("hex");
  const hb = createHash("sha1").update(b.id).digest("hex");
  return ha < hb ? -1 : 1;
});
console.log(`\nsample of ${Math.min(SAMPLES, sampled.length)} multi-version lines:`);
for (const l of sampled.slice(0, SAMPLES)) console.log(show(l));

// labelled v2+ postings without predecessor: a sample, to see what is missed and why
const missed = labelled.filter((s) => !hasPred.has(s.id));
console.log(`\nsample of labelled v2+ postings without an earlier version (${missed.length}):`);
for (const s of missed.slice(0, SAMPLES)) console.log(`    v${s.revision} ${s.date?.slice(0, 10)} ${s.author} ${JSON.stringify(s.title)} <${s.id}>`);

if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ postings: series.length, lines, labelled: labelled.length, found: found.length }, null, 1));
console.error(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
