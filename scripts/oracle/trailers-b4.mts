// Oracle: trailers collected per patch (lib/review) against `b4 am` (Debian package b4), which
// writes the trailers it collected into the commit messages of its am-ready mbox.
//
//   npx tsx scripts/oracle/trailers-b4.mts [--repo /tmp/mmc.git] [--bundle path] [--series 200]
//        [--jobs 2] [--json out.json] [--verbose] [--only <msgid>]
//
// 1. Reads every message of the epoch (scripts/oracle/series-corpus: git log --raw + cat-file,
//    lib/mail parseMail), threads them (union-find over Message-ID / In-Reply-To / References) and
//    groups each thread's patches into series (lib/series groupSeries).
// 2. Takes a deterministic sample of series: all series with at least one patch, ordered by sha1
//    of their id, the first --series of them.
// 3. Per series: writes its thread as an mbox and runs
//      b4 --offline-mode am -C -t -m thread.mbox -v <version> <series id>
//    (local file only, no network, no cache, cover-letter trailers applied to every patch (-t),
//    attestation off, no user config). b4's .mbx holds one message per patch, trailers included.
// 4. Per patch of our series that b4 also put out (same Message-ID): b4's trailer set (the last
//    paragraph of the commit message, b4's own rule) against ours: the patch's commit-message
//    trailers (collectTrailers "commit-message") + the reply trailers attributeTrailers applies to
//    it (replies below it, the cover letter, the same patch in an earlier version by patch-id),
//    mismatched trailers left out as b4 leaves them out. Trailers compare as b4 compares them:
//    "key: value" lower-cased.
// Prints the agreement and every disagreement with who is right.
//
// --db (npm run bench:trailers): the trailers compared are the ones the DATABASE path produced:
// the sampled threads are written to an mbox, ingested into a scratch embedded PostgreSQL with
// ingest/pipeline.ts (parse, store, derive: lib/passes/reviews), and read back per patch with
// lib/views/review.ts getPatchReview (commit-message + applied trailers, mismatches left
// out). Trailers carried from an earlier version posted in ANOTHER thread (same patch-id, along
// the version line) are counted apart: b4 is given one thread and cannot see them. The library
// path (above) is still computed, to explain disagreements and to check that both paths agree.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { mboxrd } from "../../lib/export/mbox";
import { patchId } from "../../lib/patch/patchid";
import { parseDiff } from "../../lib/patch/diff";
import { groupSeries, type SeriesGroup } from "../../lib/series/group";
import { attributeTrailers, collectTrailersDetailed, isTrailerReply, trailerKey, type AppliedTrailer, type RejectedTrailer, type Trailer, type TrailerMessage } from "../../lib/review/trailers";
import { b4Mbox, DIFF_RE, epochRepo, loadEpoch, threadsOf, type Msg } from "./series-corpus";
import pg from "pg";
import { connect, type Db } from "../../lib/db/client";
import { startEmbedded, withDatabase, type EmbeddedServer } from "../../ingest/postgres/embedded";
import { ensureMigrated } from "../../ingest/postgres/open";
import { ingestSource } from "../../ingest/pipeline";
import { getPatchReview } from "../../lib/views/review";
import { arg, flag } from "../args";

const run = promisify(execFile);


const BUNDLE = arg("bundle", "/work/shared/corpora/linux-mmc-0.bundle")!;
const N_SERIES = Number(arg("series", "200"));
const JOBS = Number(arg("jobs", "2"));
const VERBOSE = flag("verbose");
const JSON_OUT = arg("json");
const ONLY = arg("only");
const REPO = epochRepo(arg("repo"), BUNDLE);
const DB_MODE = flag("db");

// ---------------------------------------------------------------------------------------------
// b4

interface B4Patch {
  msgid: string;
  body: string;
}

/** The messages of b4's am-ready mbox: Message-Id and body (8bit utf-8, as b4 writes them). */
function readAm(file: string): B4Patch[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  const out: B4Patch[] = [];
  for (const m of text.split(/^From [^\n]*\d{4}\n/m)) {
    const headEnd = m.indexOf("\n\n");
    if (headEnd < 0) continue;
    const head = m.slice(0, headEnd).replace(/\n[ \t]+/g, " ");
    const id = /^Message-Id:\s*<([^>]+)>/im.exec(head);
    if (!id) continue;
    let body = m.slice(headEnd + 2);
    if (/^Content-Transfer-Encoding:\s*quoted-printable/im.test(head)) {
      body = Buffer.from(
        body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      ).toString("utf8");
    } else if (/^Content-Transfer-Encoding:\s*base64/im.test(head)) body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    out.push({ msgid: id[1].trim(), body: body.replace(/\r\n/g, "\n") });
  }
  return out;
}

/** b4's own reading of a commit message's trailers (get_body_parts + find_trailers), "key: value" lower-cased. */
function b4Trailers(body: string): string[] {
  let b = body.replace(/\r/g, "").replace(/^\n+|\n+$/g, "");
  const sig = b.lastIndexOf("\n-- \n");
  if (sig >= 0) b = b.slice(0, sig);
  let msg: string;
  const sep = /^---\n/m.exec(b);
  if (sep) msg = b.slice(0, sep.index);
  else if (b.indexOf("\ndiff ") >= 0) msg = b.slice(0, b.indexOf("\ndiff "));
  else msg = b;
  const paras = msg.replace(/^\n+|\n+$/g, "").split("\n\n");
  let last = paras[paras.length - 1];
  last = last.replace(/^(\S+:\s+[\da-f]+\s+\([^)]+)\n([^\n]+\))/gm, "$1 $2").replace(/^(\S+:\s+[^<]+)\n(<[^>]+>)$/gm, "$1 $2");
  const out: string[] = [];
  let others = 0;
  for (const line of last.split("\n")) {
    const m = /^\s*([\p{L}\p{N}_]\S+?):\s+(\S.*)$/u.exec(line);
    if (!m) {
      if (line.trim()) others++;
      continue;
    }
    const lname = m[1].toLowerCase();
    if (["phone", "email", "prerequisite-message-id"].includes(lname)) continue;
    if (others && ["subject", "date", "from"].includes(lname)) continue;
    const v = m[2].replace(/(.*\S)\s+#[^#]+$/, "$1");
    out.push(`${lname}: ${v.trim().toLowerCase()}`);
  }
  return out;
}

async function runB4(mbox: string, msgid: string, version: number, work: string): Promise<{ patches: B4Patch[]; stderr: string }> {
  const name = `v${version}`;
  const args = ["--offline-mode", "--no-interactive", "--no-stdin", "am", "-C", "-t", "-m", mbox, "-o", work, "-n", name, "-v", String(version), msgid];
  const env = {
    ...process.env,
    HOME: work,
    XDG_CACHE_HOME: path.join(work, ".cache"),
    XDG_CONFIG_HOME: path.join(work, ".config"),
    XDG_DATA_HOME: path.join(work, ".data"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_COUNT: "4",
    GIT_CONFIG_KEY_0: "b4.attestation-policy",
    GIT_CONFIG_VALUE_0: "off",
    GIT_CONFIG_KEY_1: "b4.midmask",
    GIT_CONFIG_VALUE_1: "https://lore.invalid/%s",
    // b4 builds its own Signed-off-by object when it fixes trailers (and fails without a user)
    GIT_CONFIG_KEY_2: "user.name",
    GIT_CONFIG_VALUE_2: "Trailer Oracle",
    GIT_CONFIG_KEY_3: "user.email",
    GIT_CONFIG_VALUE_3: "oracle@patchlore.invalid",
  };
  let stderr = "";
  try {
    const r = await run("b4", args, { env, cwd: work, maxBuffer: 1 << 28, timeout: 180_000 });
    stderr = String(r.stderr);
  } catch (e) {
    stderr = String((e as { stderr?: string }).stderr ?? e);
  }
  return { patches: readAm(path.join(work, `${name}.mbx`)), stderr };
}

// ---------------------------------------------------------------------------------------------
// ours


/** the text b4 reads as a message's body: the text/plain part, or a text/x-patch part holding a diff */
function b4Body(m: Msg): string {
  const diffIn = (t: string) => /^(---.*\n\+\+\+|GIT binary patch|diff --git \w\/\S+ \w\/\S+)/im.test(t);
  if (diffIn(m.mail.text)) return m.mail.text;
  for (const a of m.mail.attachments) if (a.text && /plain|x-patch|x-diff/i.test(a.contentType) && diffIn(a.text)) return a.text;
  return m.mail.text;
}

interface Ours {
  own: Trailer[];
  ownRejected: RejectedTrailer[];
  applied: AppliedTrailer[];
  /** trailers given on a LATER version of the same patch (same patch-id): b4 carries them back, we do not */
  later: AppliedTrailer[];
}

function oursFor(thread: Msg[], s: SeriesGroup, all: SeriesGroup[]): { perPatch: Map<string, Ours>; mismatches: AppliedTrailer[]; replyRejected: Map<string, RejectedTrailer[]> } {
  const replyRejected = new Map<string, RejectedTrailer[]>();
  const msgs: TrailerMessage[] = thread.map((m) => {
    const body = b4Body(m);
    const hasDiff = DIFF_RE.test(body);
    const r = collectTrailersDetailed(m.mail.text, { source: "reply", from: { name: m.mail.from.name, address: m.mail.from.address } });
    const isReply = isTrailerReply({ subject: m.mail.subject, inReplyTo: m.mail.inReplyTo, hasDiff, hasTrailers: r.trailers.some((t) => !t.offered) });
    if (isReply && r.rejected.length) replyRejected.set(m.mail.msgid, r.rejected);
    return { msgid: m.mail.msgid, inReplyTo: m.mail.inReplyTo, references: m.mail.references, isReply, hasDiff, trailers: isReply ? r.trailers : [] };
  });
  const patchIds: Record<string, string | null> = {};
  for (const m of thread) {
    const body = b4Body(m);
    if (DIFF_RE.test(body)) patchIds[m.mail.msgid] = patchId(parseDiff(body));
  }
  const versionOf: Record<string, number> = {};
  for (const g of all) for (const p of g.patches) versionOf[p.msgid] ??= g.version;
  const patches = s.patches.map((p) => p.msgid);
  const { perPatch, mismatches } = attributeTrailers(msgs, { cover: s.cover, patches, patchIds, versionOf });
  const bothWays = attributeTrailers(msgs, { cover: s.cover, patches, patchIds }).perPatch;
  const byId = new Map(thread.map((m) => [m.mail.msgid, m]));
  const out = new Map<string, Ours>();
  for (const p of patches) {
    const m = byId.get(p)!;
    const own = collectTrailersDetailed(b4Body(m), { source: "commit-message" });
    const applied = perPatch.get(p) ?? [];
    const later = (bothWays.get(p) ?? []).filter((t) => t.via === "patch-id" && !applied.some((x) => trailerKey(x) === trailerKey(t)));
    out.set(p, { own: own.trailers, ownRejected: own.rejected, applied, later });
  }
  return { perPatch: out, mismatches, replyRejected };
}

// ---------------------------------------------------------------------------------------------

interface Disagreement {
  series: string;
  patch: string;
  subject: string;
  onlyB4: string[];
  onlyOurs: string[];
  reason: string;
  right: "ours" | "b4" | "unclear";
}

/** the raw header block of a message, unfolded */
function rawHead(m: Msg): string {
  const t = m.raw.toString("latin1").replace(/\r\n/g, "\n");
  const e = t.indexOf("\n\n");
  return (e >= 0 ? t.slice(0, e) : t).replace(/\n[ \t]+/g, " ");
}

/**
 * Why b4 lost a reply from its thread: b4 0.12 reads In-Reply-To and References with
 * email.utils.getaddresses, which Python (>= 3.11.4, strict parsing) turns into nothing for a
 * Gnus-style In-Reply-To with a comment, or for several ids separated by blanks.
 */
function b4LosesReply(m: Msg): string | null {
  const head = rawHead(m);
  const irt = /^In-Reply-To:[ \t]*(.*)$/im.exec(head)?.[1] ?? null;
  if (irt === null) return "it has no In-Reply-To and b4 0.12 cannot read its References (several ids separated by blanks parse to nothing under Python's strict email.utils.getaddresses)";
  if (/[("]/.test(irt)) return `its In-Reply-To carries a comment (${JSON.stringify(irt.slice(0, 80))}) that Python's strict email.utils.getaddresses turns into nothing`;
  return null;
}

function explain(
  d: { onlyB4: string[]; onlyOurs: string[] },
  o: Ours,
  ctx: { mismatches: AppliedTrailer[]; replyRejected: Map<string, RejectedTrailer[]>; thread: Msg[]; duplicateOf: (replyMsgid: string) => string | null },
): { reason: string; right: Disagreement["right"] } {
  const reasons: string[] = [];
  const rights = new Set<Disagreement["right"]>();
  const byId = new Map(ctx.thread.map((m) => [m.mail.msgid, m]));
  for (const k of d.onlyB4) {
    const key = k.slice(0, k.indexOf(":"));
    const rej = o.ownRejected.find((r) => k.startsWith(`${r.key.toLowerCase()}: `));
    if (rej) {
      reasons.push(`b4 keeps ${JSON.stringify(k)} of the commit message; we refuse it (${rej.reason})`);
      rights.add("ours");
      continue;
    }
    const mm = ctx.mismatches.find((t) => trailerKey(t) === k);
    if (mm) {
      reasons.push(`b4 applies ${JSON.stringify(k)} although its sender is ${mm.sender?.name} <${mm.sender?.address}> (b4 adds the raw trailers of the replies it walks through): flagged as a mismatch here`);
      rights.add("ours");
      continue;
    }
    const later = o.later.find((t) => trailerKey(t) === k);
    if (later) {
      reasons.push(`${JSON.stringify(k)} was given on a later version of this same patch (<${later.msgid}>, same patch-id): b4 carries trailers between revisions both ways, we carry them forward only (a review of v3 is not a review of v2, though the code is the same)`);
      rights.add("ours");
      continue;
    }
    if (key === "base-commit") {
      reasons.push(`b4 0.12 takes ${JSON.stringify(k)} from a reply (a patch quoted Outlook-style, without ">"); newer b4 lists base-commit among the reply metadata it refuses, and here the Outlook quote does not count either`);
      rights.add("ours");
      continue;
    }
    // a trailer the writer put right under a quoted line ending in a blank, in a format=flowed mail
    const flowed = ctx.thread.find((m) => {
      if (!/format=flowed/i.test(rawHead(m))) return false;
      return m.mail.text.split("\n").some((l) => /^>/.test(l) && l.toLowerCase().replace(/^[>\s]+/, "").startsWith(k.slice(0, Math.min(k.length, 40))));
    });
    if (flowed) {
      reasons.push(`lib/mail's format=flowed decoding joined the quoted line "> " above ${JSON.stringify(k)} with it in <${flowed.mail.msgid}> (RFC 3676 4.5: lines of different quote depth are never joined), so the trailer reads as quoted here; b4 reads the raw text`);
      rights.add("b4");
      continue;
    }
    const rr = [...ctx.replyRejected.entries()].find(([, rs]) => rs.some((r) => k.startsWith(`${r.key.toLowerCase()}: `)));
    if (rr) {
      const r = rr[1].find((x) => k.startsWith(`${x.key.toLowerCase()}: `))!;
      reasons.push(`b4 applies ${JSON.stringify(k)} from <${rr[0]}>; we refuse it there (${r.reason})`);
      rights.add(r.reason.startsWith("Fixes") ? "ours" : "unclear");
      continue;
    }
    reasons.push(`b4 has ${JSON.stringify(k)}, we do not`);
    rights.add("unclear");
  }
  for (const k of d.onlyOurs) {
    const a = o.applied.find((t) => trailerKey(t) === k);
    const src = a ? byId.get(a.msgid) : undefined;
    const lost = src ? b4LosesReply(src) : null;
    if (a && lost) {
      reasons.push(`b4 never sees <${a.msgid}>, which gives ${JSON.stringify(k)}: ${lost}`);
      rights.add("ours");
    } else if (a && /<[^>]+>\s*\[[^\]]*\]\s*$/.test(a.value)) {
      reasons.push(`${JSON.stringify(k)}: b4 cannot read the address before "[...]" (email.utils.parseaddr fails), calls it a mismatch and drops it; the address is the sender's`);
      rights.add("ours");
    } else if (a && a.via === "patch-id" && ctx.duplicateOf(a.msgid)) {
      reasons.push(`${JSON.stringify(k)} was given on another copy of this patch sent twice in this version (<${ctx.duplicateOf(a.msgid)}>, same patch-id): b4 keeps one copy and loses what was said on the other; the code is identical`);
      rights.add("ours");
    } else if (a && a.via === "patch-id") {
      reasons.push(`we carry ${JSON.stringify(k)} from an earlier version of the same patch (same git patch-id); b4 0.12 carries only when the patchwork hash is identical`);
      rights.add("unclear");
    } else if (a && /^(link|closes|buglink):/.test(k)) {
      reasons.push(`${JSON.stringify(k)} given in a reply: b4 0.12 ignores links in replies, newer b4 (0.13+) takes Link/Closes/BugLink`);
      rights.add("ours");
    } else if (a && a.via === "cover") {
      reasons.push(`${JSON.stringify(k)} on the cover letter <${ctx.thread.find((m) => m.mail.msgid === a.msgid)?.mail.inReplyTo}>: b4 did not take it as this series' cover`);
      rights.add("unclear");
    } else if (a) {
      reasons.push(`we apply ${JSON.stringify(k)} from <${a.msgid}>, b4 does not`);
      rights.add("unclear");
    } else if (o.own.some((t) => trailerKey(t) === k)) {
      reasons.push(`we read ${JSON.stringify(k)} in the commit message, b4 does not`);
      rights.add("unclear");
    } else {
      reasons.push(`we have ${JSON.stringify(k)}, b4 does not`);
      rights.add("unclear");
    }
  }
  const right: Disagreement["right"] = rights.size === 1 ? [...rights][0] : rights.has("unclear") || rights.size === 0 ? "unclear" : "unclear";
  return { reason: reasons.join("; "), right };
}

async function pool<T>(items: T[], n: number, fn: (x: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, n) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// the database path

interface Scratch {
  db: Db;
  server: EmbeddedServer;
  dir: string;
  ingestSeconds: number;
  messages: number;
}

/** The sampled threads, as one mbox, ingested into a fresh embedded PostgreSQL (parse, store, derive). */
async function ingestSample(threads: Msg[][]): Promise<Scratch> {
  const dir = mkdtempSync(path.join(tmpdir(), "trailers-db-"));
  const seen = new Set<string>();
  const raws: Buffer[] = [];
  for (const t of threads) {
    for (const m of t) {
      if (seen.has(m.mail.msgid)) continue;
      seen.add(m.mail.msgid);
      raws.push(m.raw);
    }
  }
  const mbox = path.join(dir, "sample.mbox");
  writeFileSync(mbox, mboxrd(raws));
  const server = await startEmbedded({ dataDir: path.join(dir, "pgdata") });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE oracle`);
  await admin.end();
  const url = withDatabase(server.url, "oracle");
  await ensureMigrated(url);
  const db = connect(url);
  const t0 = Date.now();
  const sum = await ingestSource(db, mbox, { list: "linux-mmc", workers: 0 });
  return { db, server, dir, ingestSeconds: (Date.now() - t0) / 1000, messages: sum.inserted };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  try {
    execFileSync("b4", ["--version"], { stdio: "ignore" });
  } catch {
    console.error("b4 is not installed: apt-get install -y b4");
    process.exit(2);
  }
  const { msgs } = await loadEpoch(REPO);
  console.error(`parsed ${msgs.length} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const { threads } = threadsOf(msgs);
  const all: { thread: Msg[]; s: SeriesGroup; groups: SeriesGroup[]; key: string }[] = [];
  for (const [, ms] of threads) {
    if (!ms.some((m) => m.input.hasDiff)) continue;
    const groups = groupSeries(ms.map((m) => m.input));
    for (const s of groups) {
      if (!s.patches.length || s.isPull) continue;
      all.push({ thread: ms, s, groups, key: createHash("sha1").update(s.id).digest("hex") });
    }
  }
  all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sample = ONLY ? all.filter((x) => x.thread.some((m) => m.mail.msgid === ONLY)) : all.slice(0, N_SERIES);
  console.error(`${all.length} series, sampling ${sample.length}`);

  let scratch: Scratch | null = null;
  if (DB_MODE) {
    scratch = await ingestSample(sample.map((x) => x.thread));
    console.error(`database path: ${scratch.messages} messages of the sampled threads ingested and derived in ${scratch.ingestSeconds.toFixed(1)}s`);
  }
  let dbCompared = 0;
  let dbAgree = 0;
  let dbMissing = 0;
  let dbSameAsLib = 0;
  let crossThreadCarried = 0;
  const dbDisagreements: { patch: string; subject: string; onlyB4: string[]; onlyDb: string[]; lib: "same" | "differs" }[] = [];

  const base = mkdtempSync(path.join(tmpdir(), "trailers-b4-"));
  let patchesCompared = 0;
  let patchesAgree = 0;
  let notComparable = 0;
  let seriesAllAgree = 0;
  let seriesCompared = 0;
  let withFollowups = 0;
  let followupAgree = 0;
  let trailersB4 = 0;
  let trailersOurs = 0;
  const disagreements: Disagreement[] = [];
  const notes: string[] = [];
  const via = { reply: 0, cover: 0, "patch-id": 0 };
  let mismatched = 0;

  await pool(sample, JOBS, async ({ thread, s, groups }, i) => {
    const work = path.join(base, String(i));
    mkdirSync(work, { recursive: true });
    const ms = [...thread].sort((a, b) => (a.mail.date ?? "").localeCompare(b.mail.date ?? "") || a.mail.msgid.localeCompare(b.mail.msgid));
    const mbox = path.join(work, "thread.mbox");
    writeFileSync(mbox, b4Mbox(ms));
    // b4 resolves the thread from a message (its strict thread): give it the thread's root
    const ids = new Set(ms.map((m) => m.mail.msgid));
    const root = ms.find((m) => !(m.mail.inReplyTo && ids.has(m.mail.inReplyTo)) && !m.mail.references.some((r) => ids.has(r))) ?? ms[0];
    const b4 = await runB4(mbox, root.mail.msgid, s.version, work);
    const b4ById = new Map(b4.patches.map((p) => [p.msgid, p]));
    const ours = oursFor(ms, s, groups);
    const subj = new Map(ms.map((m) => [m.mail.msgid, m.mail.subject]));
    mismatched += new Set(ours.mismatches.map((t) => `${t.msgid} ${trailerKey(t)}`)).size;
    let compared = 0;
    let agree = 0;
    for (const p of s.patches) {
      const bp = b4ById.get(p.msgid);
      if (!bp) {
        notComparable++;
        notes.push(`<${p.msgid}> ${JSON.stringify(subj.get(p.msgid))}: not in b4's v${s.version} output (series grouping differs; see series-b4.mts)`);
        continue;
      }
      const o = ours.perPatch.get(p.msgid)!;
      for (const t of o.applied) via[t.via]++;
      const B = new Set(b4Trailers(bp.body));
      const O = new Set([...o.own, ...o.applied].map(trailerKey));
      trailersB4 += B.size;
      trailersOurs += O.size;
      const onlyB4 = [...B].filter((x) => !O.has(x));
      const onlyOurs = [...O].filter((x) => !B.has(x));
      compared++;
      if (scratch) {
        // the database path: what getPatchReview shows for the patch, mismatches left out
        const view = await getPatchReview(scratch.db, p.msgid);
        if (!view) dbMissing++;
        else {
          const inThread = new Set(ms.map((m) => m.mail.msgid));
          const shown = view.trailers.filter((t) => !t.mismatch);
          const across = shown.filter((t) => t.via === "patch-id" && !inThread.has(t.msgid));
          crossThreadCarried += across.length;
          const D = new Set(shown.filter((t) => !across.includes(t)).map((t) => trailerKey(t)));
          const onlyB4d = [...B].filter((x) => !D.has(x));
          const onlyDb = [...D].filter((x) => !B.has(x));
          const sameAsLib = D.size === O.size && [...D].every((x) => O.has(x));
          dbCompared++;
          if (sameAsLib) dbSameAsLib++;
          if (!onlyB4d.length && !onlyDb.length) dbAgree++;
          else dbDisagreements.push({ patch: p.msgid, subject: subj.get(p.msgid) ?? "", onlyB4: onlyB4d, onlyDb, lib: sameAsLib ? "same" : "differs" });
        }
      }
      const ownKeys = new Set(b4Trailers(b4Body(thread.find((m) => m.mail.msgid === p.msgid)!)));
      const b4Added = [...B].filter((x) => !ownKeys.has(x));
      if (b4Added.length || o.applied.length) {
        withFollowups++;
        if (!onlyB4.length && !onlyOurs.length) followupAgree++;
      }
      if (!onlyB4.length && !onlyOurs.length) {
        agree++;
        continue;
      }
      // the patch a reply answers, when it is a dropped second copy of one of this series' patches
      const dropped = new Set(s.duplicates.flatMap((x) => x.dropped));
      const byIdT = new Map(ms.map((m) => [m.mail.msgid, m]));
      const duplicateOf = (reply: string): string | null => {
        let cur = byIdT.get(reply);
        const seen = new Set<string>();
        while (cur && !seen.has(cur.mail.msgid)) {
          seen.add(cur.mail.msgid);
          if (dropped.has(cur.mail.msgid)) return cur.mail.msgid;
          cur = cur.mail.inReplyTo ? byIdT.get(cur.mail.inReplyTo) : undefined;
        }
        return null;
      };
      const ex = explain({ onlyB4, onlyOurs }, o, { mismatches: ours.mismatches, replyRejected: ours.replyRejected, thread: ms, duplicateOf });
      disagreements.push({ series: s.id, patch: p.msgid, subject: subj.get(p.msgid) ?? "", onlyB4, onlyOurs, reason: ex.reason, right: ex.right });
    }
    patchesCompared += compared;
    patchesAgree += agree;
    if (compared) {
      seriesCompared++;
      if (agree === compared) seriesAllAgree++;
    }
    if (ONLY) {
      console.error(`work dir kept: ${work}\n${b4.stderr}`);
      for (const [k, v] of ours.perPatch) console.error(k, JSON.stringify({ own: v.own.map(trailerKey), applied: v.applied.map((t) => [trailerKey(t), t.via, t.msgid]) }));
    } else rmSync(work, { recursive: true, force: true });
    if (VERBOSE) console.error(`[${i + 1}/${sample.length}] ${agree}/${compared} ${s.id}`);
    else if ((i + 1) % 25 === 0) console.error(`${i + 1}/${sample.length} series`);
  });
  if (!ONLY) rmSync(base, { recursive: true, force: true });

  const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);
  console.log(`trailers per patch vs b4 ${execFileSync("b4", ["--version"], { encoding: "utf8" }).trim()} (am -t: cover-letter trailers applied) on ${REPO}`);
  console.log(`series sampled: ${sample.length} (of ${all.length}); series with a comparable patch: ${seriesCompared}`);
  console.log(`patches compared: ${patchesCompared} (not comparable: ${notComparable}, b4 put out another grouping)`);
  console.log(`trailers: b4 ${trailersB4}, ours ${trailersOurs}`);
  console.log(`AGREEMENT (per patch, same trailer set): ${patchesAgree}/${patchesCompared} = ${pct(patchesAgree, patchesCompared)}`);
  console.log(`  patches that got trailers from replies or the cover (either side): ${followupAgree}/${withFollowups} = ${pct(followupAgree, withFollowups)}`);
  console.log(`  series whose every compared patch agrees: ${seriesAllAgree}/${seriesCompared} = ${pct(seriesAllAgree, seriesCompared)}`);
  console.log(`  reply trailers applied by us: ${via.reply} from replies below the patch, ${via.cover} from the cover letter, ${via["patch-id"]} carried by patch-id; ${mismatched} flagged as sender mismatches and not applied`);
  const byRight = { ours: 0, b4: 0, unclear: 0 };
  for (const d of disagreements) byRight[d.right]++;
  console.log(`disagreements: ${disagreements.length} (right: ours ${byRight.ours}, b4 ${byRight.b4}, unclear ${byRight.unclear})`);
  for (const d of disagreements) {
    console.log(`\n- <${d.patch}> ${JSON.stringify(d.subject)} — right: ${d.right}`);
    console.log(`  reason: ${d.reason}`);
    for (const k of d.onlyB4) console.log(`  only b4:   ${k}`);
    for (const k of d.onlyOurs) console.log(`  only ours: ${k}`);
  }
  if (VERBOSE) for (const n of notes) console.log(`  note: ${n}`);
  if (scratch) {
    console.log(`\n== the database path (ingest -> derive -> getPatchReview) ==`);
    console.log(`${scratch.messages} messages ingested and derived in ${scratch.ingestSeconds.toFixed(1)}s; ${dbMissing} compared patches without a review view`);
    console.log(`trailers vs b4 am: ${dbAgree}/${dbCompared} patches (${pct(dbAgree, dbCompared)})`);
    console.log(`  same trailer set as the library path: ${dbSameAsLib}/${dbCompared}; ${crossThreadCarried} trailers carried from an earlier version in another thread (same patch-id) left out of the comparison (b4 sees one thread)`);
    for (const d of dbDisagreements) {
      const libD = disagreements.find((x) => x.patch === d.patch);
      console.log(`\n- [db] <${d.patch}> ${JSON.stringify(d.subject)}${d.lib === "same" ? " (the library path has the same set)" : " (the library path differs)"}`);
      if (libD && d.lib === "same") console.log(`  reason: ${libD.reason} — right: ${libD.right}`);
      for (const k of d.onlyB4) console.log(`  only b4: ${k}`);
      for (const k of d.onlyDb) console.log(`  only db: ${k}`);
    }
    await scratch.db.close();
    await scratch.server.stop();
    rmSync(scratch.dir, { recursive: true, force: true });
  }
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ sample: sample.length, patchesCompared, patchesAgree, notComparable, disagreements, notes }, null, 2));
  console.error(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

await main();
