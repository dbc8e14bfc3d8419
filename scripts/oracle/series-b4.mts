// Oracle: series grouping (lib/series groupSeries) against `b4 am` (Debian package b4) on a
// public-inbox epoch (linux-mmc by default).
//
//   npx tsx scripts/oracle/series-b4.mts [--repo /tmp/mmc.git] [--bundle path] [--threads 300]
//        [--all] [--jobs 2] [--json out.json] [--verbose]
//
// 1. Reads every message of the epoch (git log --raw + git cat-file --batch), parses it with
//    lib/mail parseMail, and groups messages into threads (union-find over Message-ID,
//    In-Reply-To and References).
// 2. Takes a deterministic sample of threads that contain at least one patch (non-reply with a
//    diff): threads ordered by sha1 of their smallest Message-ID, the first --threads of them.
// 3. Per thread: writes the thread as an mbox, runs groupSeries on the same messages, and runs
//    `b4 --offline-mode am -m thread.mbox -v N <msgid>` (local file only, no network, no cache,
//    no trailers, attestation off) for every version either side sees; b4's am-ready mbox and
//    .cover give the Message-IDs b4 put in the series.
// 4. Compares, per version, b4's set with ours (cover + patches + patches inherited by a partial
//    reroll). A thread agrees when every version agrees. Prints the agreement and every
//    disagreement with the messages each side has alone and a reason.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { classifyMessages, groupSeries, type SeriesGroup } from "../../lib/series/group";
import { parseSubject } from "../../lib/series/subject";
import { b4Mbox, DIFF_RE, epochRepo, loadEpoch, threadsOf, type Msg } from "./series-corpus";
import { arg, flag } from "../args";

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// arguments


const BUNDLE = arg("bundle", "/work/shared/corpora/linux-mmc-0.bundle")!;
const N_THREADS = Number(arg("threads", "300"));
const ALL = flag("all");
const JOBS = Number(arg("jobs", "2"));
const VERBOSE = flag("verbose");
const JSON_OUT = arg("json");
/** debug: only the thread containing this Message-ID; keeps its work directory and prints b4's stderr */
const ONLY = arg("only");

const REPO = epochRepo(arg("repo"), BUNDLE);

// ---------------------------------------------------------------------------------------------
// b4

function headerMsgids(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "latin1");
  const out: string[] = [];
  // messages in b4's am mbox start with "From git@z ..." or "From <sha> ..."; the .cover file is one message
  const msgs = text.split(/^From [^\n]*\d{4}\n/m);
  for (const m of msgs) {
    const headEnd = m.search(/\n\n/);
    const head = (headEnd >= 0 ? m.slice(0, headEnd) : m).replace(/\n[ \t]+/g, " ");
    const mm = /^Message-Id:\s*<([^>]+)>/im.exec(head);
    if (mm) out.push(mm[1].trim());
  }
  return out;
}

interface B4Result {
  ok: boolean;
  msgids: string[];
  cover: string | null;
  stderr: string;
}

async function runB4(mbox: string, msgid: string, version: number | null, work: string): Promise<B4Result> {
  const name = `s${version ?? "default"}`;
  const args = ["--offline-mode", "--no-interactive", "--no-stdin", "am", "-C", "-T", "-m", mbox, "-o", work, "-n", name];
  if (version !== null) args.push("-v", String(version));
  args.push(msgid);
  const env = {
    ...process.env,
    HOME: work, // no user config, no cache
    XDG_CACHE_HOME: path.join(work, ".cache"),
    XDG_CONFIG_HOME: path.join(work, ".config"),
    XDG_DATA_HOME: path.join(work, ".data"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: "b4.attestation-policy",
    GIT_CONFIG_VALUE_0: "off",
    GIT_CONFIG_KEY_1: "b4.midmask",
    GIT_CONFIG_VALUE_1: "https://lore.invalid/%s",
  };
  let stderr = "";
  try {
    const r = await run("b4", args, { env, cwd: work, maxBuffer: 1 << 28, timeout: 120_000 });
    stderr = String(r.stderr);
  } catch (e) {
    const err = e as { stderr?: string };
    stderr = String(err.stderr ?? e);
  }
  const patches = headerMsgids(path.join(work, `${name}.mbx`));
  const cover = headerMsgids(path.join(work, `${name}.cover`));
  return { ok: patches.length > 0, msgids: [...cover, ...patches], cover: cover[0] ?? null, stderr };
}

// ---------------------------------------------------------------------------------------------
// comparison

interface Disagreement {
  thread: string;
  version: number;
  ours: string | null;
  onlyB4: string[];
  onlyOurs: string[];
  reason: string;
  right: "ours" | "b4" | "unclear";
}

function seriesSet(s: SeriesGroup): string[] {
  return [...new Set([...(s.cover ? [s.cover] : []), ...s.patches.map((p) => p.msgid), ...s.inherited.map((i) => i.msgid)])];
}

function explain(
  b4Renumbered: Set<string>,
  b4Covers: Set<string>,
  onlyB4: string[],
  onlyOurs: string[],
  byId: Map<string, Msg>,
  roles: Map<string, string>,
  ours: SeriesGroup | null,
): { reason: string; right: Disagreement["right"] } {
  const subj = (id: string) => byId.get(id)?.mail.subject ?? "";
  const reasons: string[] = [];
  let right: Disagreement["right"] = "unclear";
  const renumbered = [...onlyB4, ...onlyOurs].filter((id) => b4Renumbered.has(subj(id).replace(/\s+/g, " ").trim()));
  if (renumbered.length) {
    reasons.push(
      `b4 'Assuming new revision': it renumbers an unlabeled repost as a new version and shifts the later ones (${renumbered.map((id) => JSON.stringify(subj(id))).join(", ")})`,
    );
    right = "ours";
  }
  const commaPrefix = [...onlyB4, ...onlyOurs].some((id) => /^\s*(?:re:\s*)?\[[^\]]*\w,\s*\w[^\]]*\]/i.test(subj(id)));
  if (commaPrefix) {
    reasons.push("comma-separated prefixes: b4 0.12 reads '[PATCH v2,3/5]' as an unnumbered v1 patch (b4 #31)");
    right = "ours";
  }
  for (const id of onlyOurs) {
    if (ours?.cover === id && ours.coverKind === "naked") {
      reasons.push("naked cover letter (no counter, same sender as the patches): b4 0.12 does not know naked covers");
      right = "ours";
    } else if (ours?.cover === id) {
      reasons.push(`cover ${JSON.stringify(subj(id))}: b4 did not take it as this version's cover`);
    } else if (ours?.inherited.some((i) => i.msgid === id)) {
      reasons.push("partial reroll: we carry over the patch from the earlier version, b4 did not");
    } else if (byId.get(id) && byId.get(id)!.input.hasDiff && !DIFF_RE.test(byId.get(id)!.mail.text)) {
      reasons.push(`the diff is in an attachment (${byId.get(id)!.mail.attachments.map((a) => a.contentType).join(", ")}); b4 reads text/plain and text/x-patch parts only`);
      right = "ours";
    } else if (byId.get(id) && !byId.get(id)!.input.hasDiff) {
      reasons.push(`patch subject without a diff we keep (${JSON.stringify(subj(id))}); b4 needs a diff`);
    } else {
      reasons.push(`we have ${JSON.stringify(subj(id))}, b4 does not`);
    }
  }
  for (const id of onlyB4) {
    const role = roles.get(id) ?? "absent";
    const m = byId.get(id);
    const s = parseSubject(m?.mail.subject ?? "");
    if (b4Covers.has(id) && role !== "cover") {
      reasons.push(
        `b4 takes the message the first patch answers as its cover because it has a diffstat and no diff: ${JSON.stringify(subj(id))} from ${m?.input.from}` +
          (s.isPull ? " (a pull request)" : ""),
      );
      right = "ours";
    } else if (role === "reply") reasons.push(`b4 takes a reply as a patch: ${JSON.stringify(subj(id))}`);
    else if (role === "patch" && ours && m && m.input.from !== ours.author)
      reasons.push(`b4 mixes in another sender's patch ${JSON.stringify(subj(id))} (${m.input.from}); b4 ignores senders`);
    else if (role === "patch") reasons.push(`b4 puts ${JSON.stringify(subj(id))} here; we put it in another posting (v${s.revision})`);
    else if (role === "cover") reasons.push(`b4 uses cover ${JSON.stringify(subj(id))}`);
    else reasons.push(`b4 has ${JSON.stringify(subj(id))} (${role})`);
  }
  return { reason: [...new Set(reasons)].join("; "), right };
}

// ---------------------------------------------------------------------------------------------

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

async function main(): Promise<void> {
  const t0 = Date.now();
  try {
    execFileSync("b4", ["--version"], { stdio: "ignore" });
  } catch {
    console.error("b4 is not installed: apt-get install -y b4");
    process.exit(2);
  }
  const { msgs, byId } = await loadEpoch(REPO);
  console.error(`parsed ${msgs.length} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const { uf, threads } = threadsOf(msgs);
  const withPatches = [...threads.entries()].filter(([, ms]) => ms.some((m) => m.input.hasDiff && !parseSubject(m.mail.subject).isReply));
  const keyed = withPatches
    .map(([root, ms]) => {
      const minId = ms.map((m) => m.mail.msgid).sort()[0];
      return { root, ms, key: createHash("sha1").update(minId).digest("hex") };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const onlyRoot = ONLY ? uf.find(ONLY) : null;
  const sample = onlyRoot ? keyed.filter((k) => k.root === onlyRoot) : ALL ? keyed : keyed.slice(0, N_THREADS);
  console.error(`${threads.size} threads, ${withPatches.length} with patches, sampling ${sample.length}`);

  const base = mkdtempSync(path.join(tmpdir(), "series-b4-"));
  const disagreements: Disagreement[] = [];
  let agreeThreads = 0;
  let comparisons = 0;
  let agreeComparisons = 0;
  let notComparable = 0;
  const notes: string[] = [];
  const b4Covers = new Set<string>();
  const b4Crashes: string[] = [];
  const b4Renumbered = new Set<string>();

  await pool(sample, JOBS, async (th, i) => {
    const work = path.join(base, String(i));
    mkdirSync(work, { recursive: true });
    // messages in date order, as an archive would give them
    const ms = [...th.ms].sort((a, b) => (a.mail.date ?? "").localeCompare(b.mail.date ?? "") || a.mail.msgid.localeCompare(b.mail.msgid));
    const mbox = path.join(work, "thread.mbox");
    writeFileSync(mbox, b4Mbox(ms));
    const inputs = ms.map((m) => m.input);
    const ours = groupSeries(inputs);
    const roles = new Map(classifyMessages(inputs).map((c) => [c.msgid, c.role]));
    const idsInThread = new Set(ms.map((m) => m.mail.msgid));
    // b4 resolves the thread from a message: the earliest message without a parent in the thread
    const rootMsg = ms.find((m) => !(m.mail.inReplyTo && idsInThread.has(m.mail.inReplyTo)) && !m.mail.references.some((r) => idsInThread.has(r))) ?? ms[0];
    const versions = new Set<number>(ours.map((s) => s.version));
    const def = await runB4(mbox, rootMsg.mail.msgid, null, work);
    const b4ByVersion = new Map<number, string[]>();
    for (const v of versions) {
      const r = await runB4(mbox, rootMsg.mail.msgid, v, work);
      if (r.ok) b4ByVersion.set(v, r.msgids);
      if (r.cover) b4Covers.add(r.cover);
      if (/Traceback/.test(r.stderr)) b4Crashes.push(`${th.root} v${v}: ${r.stderr.trim().split("\n").pop()}`);
    }
    if (def.cover) b4Covers.add(def.cover);
    for (const mm of def.stderr.matchAll(/Assuming new revision: v\d+ \((.*)\)/g)) b4Renumbered.add(mm[1].trim());
    // a default result that is none of our versions: b4 sees a version we do not
    if (def.ok && ![...b4ByVersion.values()].some((x) => x.join() === def.msgids.join())) {
      const vs = def.msgids.map((id) => parseSubject(byId.get(id)?.mail.subject ?? "").version);
      const v = Math.max(...vs);
      if (!b4ByVersion.has(v)) b4ByVersion.set(v, def.msgids);
    }
    let threadOk = true;
    const vAll = new Set<number>([...versions, ...b4ByVersion.keys()]);
    for (const v of [...vAll].sort((a, b) => a - b)) {
      const B = b4ByVersion.get(v) ?? [];
      const mine = ours.filter((s) => s.version === v);
      const Bset = new Set(B);
      comparisons++;
      if (B.length === 0) {
        // b4 has no series for this version
        const s = mine[0];
        const onlyOurs = seriesSet(s);
        const ex = explain(b4Renumbered, b4Covers, [], onlyOurs, byId, roles, s);
        disagreements.push({ thread: th.root, version: v, ours: s.id, onlyB4: [], onlyOurs, reason: `b4 found no v${v} series: ${ex.reason}`, right: ex.right });
        threadOk = false;
        continue;
      }
      let best: SeriesGroup | null = null;
      let bestOverlap = -1;
      for (const s of mine) {
        const o = seriesSet(s).filter((x) => Bset.has(x)).length;
        if (o > bestOverlap) {
          best = s;
          bestOverlap = o;
        }
      }
      const M = best ? seriesSet(best) : [];
      const Mset = new Set(M);
      const onlyB4 = B.filter((x) => !Mset.has(x));
      const onlyOurs = M.filter((x) => !Bset.has(x));
      for (const s of mine) if (s !== best) notComparable++, notes.push(`${th.root}: our other v${v} posting ${s.id} (${s.patches.length} patch(es)) has no b4 counterpart (b4 keeps one series per version)`);
      if (onlyB4.length === 0 && onlyOurs.length === 0) {
        agreeComparisons++;
        continue;
      }
      threadOk = false;
      const ex = explain(b4Renumbered, b4Covers, onlyB4, onlyOurs, byId, roles, best);
      disagreements.push({ thread: th.root, version: v, ours: best?.id ?? null, onlyB4, onlyOurs, reason: ex.reason, right: ex.right });
    }
    if (threadOk) agreeThreads++;
    if (ONLY) {
      console.error(`work dir kept: ${work}\nb4 (default) stderr:\n${def.stderr}`);
      for (const s of ours) console.error(JSON.stringify({ id: s.id, v: s.revision, cover: s.cover, patches: s.patches.map((p) => [p.index, p.msgid]), inherited: s.inherited, notes: s.notes }));
      for (const m of ms) console.error(`  ${roles.get(m.mail.msgid)?.padEnd(6)} diff=${m.input.hasDiff ? 1 : 0} <${m.mail.msgid}> ${m.mail.subject} | irt=${m.mail.inReplyTo}`);
    } else rmSync(work, { recursive: true, force: true });
    if (VERBOSE) console.error(`[${i + 1}/${sample.length}] ${threadOk ? "ok " : "DIFF"} ${th.root}`);
    else if ((i + 1) % 25 === 0) console.error(`${i + 1}/${sample.length} threads`);
  });
  if (!ONLY) rmSync(base, { recursive: true, force: true });

  const pct = (a: number, b: number) => (b === 0 ? "n/a" : `${((100 * a) / b).toFixed(1)}%`);
  console.log(`series grouping vs b4 ${execFileSync("b4", ["--version"], { encoding: "utf8" }).trim()} on ${REPO}`);
  console.log(`threads sampled: ${sample.length} (of ${withPatches.length} with patches)`);
  console.log(`threads where every series agrees: ${agreeThreads}/${sample.length} = ${pct(agreeThreads, sample.length)}`);
  console.log(`series comparisons agreeing: ${agreeComparisons}/${comparisons} = ${pct(agreeComparisons, comparisons)}`);
  console.log(`our extra postings of a version b4 folds away (not counted): ${notComparable}`);
  console.log(`disagreements: ${disagreements.length}`);
  for (const d of disagreements) {
    console.log(`\n- thread <${d.thread}> v${d.version} (ours: ${d.ours ?? "none"}) — right: ${d.right}`);
    console.log(`  reason: ${d.reason}`);
    for (const id of d.onlyB4) console.log(`  only b4:   <${id}> ${JSON.stringify(byId.get(id)?.mail.subject ?? "?")} from ${byId.get(id)?.input.from ?? "?"}`);
    for (const id of d.onlyOurs) console.log(`  only ours: <${id}> ${JSON.stringify(byId.get(id)?.mail.subject ?? "?")} from ${byId.get(id)?.input.from ?? "?"}`);
  }
  if (b4Crashes.length) console.log(`\nb4 crashed (python traceback) on ${b4Crashes.length} run(s):\n  ${b4Crashes.join("\n  ")}`);
  if (VERBOSE) for (const n of notes) console.log(`  note: ${n}`);
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ sample: sample.length, agreeThreads, comparisons, agreeComparisons, disagreements, notes }, null, 2));
  console.error(`done in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
}

await main();
