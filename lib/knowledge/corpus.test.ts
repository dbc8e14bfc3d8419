// lib/knowledge on real-shaped data: the demo corpus (ingest/demo/demo.mbox, written for
// patchlore, always present) and the seed documents in ../shared/seeds (archive pages the product
// was created from; skipped with a message when absent).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMail } from "../mail/parse";
import type { ParsedMail } from "../mail/types";
import { parsePage, synthesizePage } from "../archive-pages/index";
import { parseSubject } from "../series/subject";
import { analyzeKnowledge, type KnowledgeResult } from "./index";

const DEMO = path.resolve(import.meta.dirname, "../../ingest/demo/demo.mbox");

function splitMboxrd(buf: Buffer): Buffer[] {
  return buf
    .toString("latin1")
    .split(/^From [^\n]*\n/m)
    .filter((m) => m.trim().length > 0)
    .map((m) => Buffer.from(m.replace(/^>(>*From )/gm, "$1"), "latin1"));
}

function analyze(m: ParsedMail): KnowledgeResult {
  const s = parseSubject(m.subject);
  return analyzeKnowledge({ subject: m.subject, from: m.from, body: m.text, isCover: s.isCoverSubject, isRfc: s.isRfc });
}

describe("demo corpus", () => {
  let mails: ParsedMail[] = [];
  let results: KnowledgeResult[] = [];
  /** message #n of the demo README (1-based) */
  const at = (n: number) => ({ m: mails[n - 1], k: results[n - 1] });
  beforeAll(async () => {
    mails = await Promise.all(splitMboxrd(readFileSync(DEMO)).map((raw) => parseMail(raw)));
    results = mails.map(analyze);
  });

  it("reads the 58 messages", () => {
    expect(mails).toHaveLength(58);
  });

  it("#1 the RFC cover letter is an rfc idea, with its open questions", () => {
    const { m, k } = at(1);
    expect(m.subject).toMatch(/^\[RFC PATCH 0\/2\]/);
    const rfc = k.ideas.find((i) => i.kind === "rfc")!;
    expect(rfc.summary).toBe("This is an early RFC for something that came out of looking at lru_lock contention on a 4-socket machine running a file-heavy streaming workload.");
    expect(rfc.title).toBe("batch LRU rotation with a per-node rotation queue");
    expect(rfc.text).toContain("This series adds a per-node \"rotation queue\".");
    expect(rfc.text).not.toContain("base-commit");
    expect(rfc.text).not.toContain("mm/rotation.c");
    expect(rfc.keywords).toEqual(expect.arrayContaining(["lru_lock", "shrink_folio_list", "lruvec", "kswapd"]));
    const questions = k.ideas.filter((i) => i.kind === "question").map((i) => i.summary);
    expect(questions).toEqual(expect.arrayContaining(["Per-node vs. per-lruvec.", "Who drains."]));
  });

  it("#4 Hideo: the per-lruvec alternative and the memcg-offline question", () => {
    const { m, k } = at(4);
    expect(m.from.name).toBe("Hideo Tanabe");
    const alt = k.ideas.find((i) => i.kind === "alternative")!;
    expect(alt).toMatchObject({ method: "cue:how-about", summary: "How about hanging the queue off the lruvec instead?" });
    expect(alt.keywords).toEqual(expect.arrayContaining(["lruvec", "list_head", "spinlock"]));
    const q = k.ideas.find((i) => i.method === "cue:what-happens")!;
    expect(q.kind).toBe("question");
    expect(q.text).toMatch(/memcg is being offlined/);
    // Mira's cover letter, quoted at the top, gives nothing
    expect(k.ideas.every((i) => !/Things I'm not sure about/.test(i.text))).toBe(true);
  });

  it("#6 Greta: the objection and the on-stack folio_batch alternative", () => {
    const { k } = at(6);
    expect(k.ideas.map((i) => i.kind)).toEqual(["objection", "objection", "alternative"]);
    expect(k.ideas[0].text).toMatch(/^I have a more basic objection[\s\S]*PG_lru/);
    expect(k.ideas[2].summary).toMatch(/^How about a folio_batch on the stack of shrink_folio_list\(\)/);
  });

  it("#11 Daniel: drain in shrink_inactive_list() instead", () => {
    const alt = at(11).k.ideas.find((i) => i.kind === "alternative")!;
    expect(alt.keywords).toContain("shrink_inactive_list");
  });

  it("the NAK (#19, Greta, with its reason), and no NAK from the messages that only talk about it", () => {
    const naks = results.flatMap((k, i) => k.decisions.filter((d) => d.kind === "nak").map((d) => ({ n: i + 1, d })));
    expect(naks).toHaveLength(1);
    expect(naks[0].n).toBe(19);
    expect(naks[0].d).toMatchObject({ actor: "Greta Lindqvist <greta@kernel.example>", method: "trailer:nacked-by", reason: "Until the accounting is at least honestly described and the unevictable case is fixed" });
    expect(at(19).m.text.split("\n")[naks[0].d.lines[0] - 1]).toBe("Nacked-by: Greta Lindqvist <greta@kernel.example>");
  });

  it("'Applied to mm-unstable, thanks' (#45) and the hotfix (#54), the reviewer's 'Please remove it in this patch' (#11); nothing else decides", () => {
    const all = results.flatMap((k, i) => k.decisions.map((d) => ({ n: i + 1, d })));
    expect(all.map(({ n, d }) => [n, d.kind, d.tree])).toEqual([
      [11, "changes-requested", undefined],
      [19, "nak", undefined],
      [45, "applied", "mm-unstable"],
      [45, "queued", "mm-hotfixes-unstable"],
      [54, "applied", "mm-hotfixes-unstable"],
    ]);
    const applied = all.find(({ n }) => n === 45)!.d;
    expect(applied).toMatchObject({ actor: "Daniel Okafor <dokafor@example.org>", method: "applied", quote: "Applied to mm-unstable, thanks.", confidence: 0.9 });
    expect(at(45).m.text.split("\n")[applied.lines[0] - 1]).toBe("Applied to mm-unstable, thanks.");
  });

  it("#46 the LKP report: the commit it names, the headline and the table rows", () => {
    const { k } = at(46);
    expect(k.report).toMatchObject({
      kind: "performance",
      commit: "3f2a1b9c8d7e4f60a1b2c3d4e5f6a7b8c9d0e1f2",
      commitTitle: "mm/vmscan: batch LRU rotation through the rotation queue",
      tree: "linux-next:master",
      suite: "vm-scalability",
      metric: "throughput",
      change: 12.4,
      direction: "improvement",
      reportId: "202403051432.7c1d9e0f-lkp@intel.example",
    });
    expect(k.ideas).toEqual([]);
    expect(k.decisions).toEqual([]);
    const h = k.benchmarks.find((b) => b.role === "headline")!;
    expect(h).toMatchObject({
      suite: "vm-scalability",
      metric: "throughput",
      test: "lru-file-readtwice",
      change: 12.4,
      direction: "improvement",
      baseline: 41235812,
      value: 46349273,
      baselineStddev: 2,
      commitBase: "b5c4d3e2f1a09182",
      commitNew: "3f2a1b9c8d7e4f60a1b2c3d4e5f6a7b8c9d0e1f2",
      method: "lkp-subject",
    });
    expect(h.machine).toMatch(/^224 threads 4 sockets .* with 192G memory$/);
    expect(h.config).toMatchObject({ runtime: "300s", size: "512G", test: "lru-file-readtwice", cpufreq_governor: "performance", tbox_group: "lkp-cpl-4sp2" });
    const rows = k.benchmarks.filter((b) => b.method === "lkp-table");
    expect(rows).toHaveLength(11);
    expect(rows.map((r) => `${r.suite}.${r.metric}`)).toEqual([
      "vm-scalability.throughput",
      "vm-scalability.median",
      "vm-scalability.time.elapsed_time",
      "vm-scalability.time.elapsed_time.max",
      "vm-scalability.time.system_time",
      "vm-scalability.time.involuntary_context_switches",
      "proc-vmstat.pgrotated",
      "lock_stat.&lruvec->lru_lock.contentions",
      "perf-profile.calltrace.cycles-pp.native_queued_spin_lock_slowpath._raw_spin_lock_irq.folio_lruvec_lock_irq.shrink_folio_list",
      "perf-profile.calltrace.cycles-pp.rotate_batch.rotation_queue_drain.shrink_inactive_list",
      "perf-profile.self.cycles-pp.native_queued_spin_lock_slowpath",
    ]);
    expect(rows[4]).toMatchObject({ change: -16.2, direction: "improvement", role: "result" });
    expect(rows[7]).toMatchObject({ baseline: 18203117, baselineStddev: 4, value: 2402811, stddev: 6, change: -86.8, role: "monitor" });
    expect(rows[8]).toMatchObject({ baseline: 38.72, value: 6.15, delta: -32.6 });
    for (const r of rows) expect(at(46).m.text.split("\n")[r.lines[0] - 1].trim()).toBe(r.quote);
  });

  it("#47 the prose claim citing the report; the replies do not restate the subject", () => {
    const { k } = at(47);
    expect(k.report).toBeNull();
    expect(k.benchmarks.some((b) => b.role === "headline")).toBe(false);
    const c = k.benchmarks.find((b) => b.method === "prose:pct")!;
    expect(c).toMatchObject({ suite: "vm-scalability", test: "lru-file-readtwice", change: 12.4, direction: "improvement" });
    expect(c.quote).toMatch(/this gives 12\.4% improvement on vm-scalability \(lru-file-readtwice\)/);
    expect(k.benchmarks.find((b) => b.metric === "system time")).toMatchObject({ change: -16, direction: "improvement" });
    for (const n of [48, 55]) {
      const b = at(n).k.benchmarks.find((x) => x.cites === "lkp")!;
      expect(b, `#${n}`).toMatchObject({ suite: "vm-scalability", metric: "throughput", change: 12.4, direction: "improvement" });
    }
  });

  it("#13 the v1 cover letter's comparison table", () => {
    const t = at(13).k.benchmarks.filter((b) => b.method === "table");
    const q = t.find((b) => b.metric === "throughput" && b.variant === "rotation queue")!;
    expect(q).toMatchObject({ suite: "vm-scalability", test: "lru-file-readtwice", baseline: 41210, value: 46020, change: 11.7, unit: "MB/s", baselineVariant: "base", direction: "improvement" });
  });
});

// ---------------------------------------------------------------------------------------------

const SEEDS = path.resolve(import.meta.dirname, "../../../shared/seeds");
const haveSeeds = existsSync(SEEDS);
if (!haveSeeds) console.warn(`lib/knowledge/corpus.test.ts: ${SEEDS} is absent: the seed checks are skipped`);

async function seed(name: string): Promise<{ m: ParsedMail; k: KnowledgeResult; ghost: boolean }[]> {
  const page = parsePage(readFileSync(path.join(SEEDS, name), "utf8"))!;
  const syn = synthesizePage(page);
  const mails = await Promise.all(syn.map((s) => parseMail(s.raw)));
  return mails.map((m, i) => ({ m, k: analyze(m), ghost: syn[i].reconstructed }));
}

describe.skipIf(!haveSeeds)(haveSeeds ? "seed documents (../shared/seeds)" : `seed documents: SKIPPED, ${SEEDS} is absent`, () => {
  it("000: Andrea Arcangeli's contention-triggered speculation", async () => {
    const msgs = await seed("000_9c97366a8c12c225.txt");
    const andrea = msgs.filter((x) => x.m.from.name === "Andrea Arcangeli");
    expect(andrea).toHaveLength(2);
    const ideas = andrea.flatMap((x) => x.k.ideas);
    const spec = ideas.filter((i) => /contention/.test(i.text) && /speculative/.test(i.text));
    expect(spec.length).toBeGreaterThanOrEqual(2);
    expect(spec.every((i) => i.kind === "proposal" || i.kind === "alternative")).toBe(true);
    // in the first mail: go speculative only on "detected" runtime contention
    expect(spec.some((i) => /go speculative only when there's "detected" runtime contention/.test(i.text) && i.keywords.includes("mmap_sem"))).toBe(true);
    // in the second: how to detect contention (mmap_sem_contention_jiffies)
    expect(spec.some((i) => i.keywords.includes("mmap_sem_contention_jiffies"))).toBe(true);
    // and his numbered requests ("Could you check if: 1. … 2. …")
    expect(ideas.filter((i) => i.method === "numbered-list")).toHaveLength(2);
    // Laurent's replies quote Andrea: none of Andrea's ideas is attributed to Laurent
    const laurent = msgs.filter((x) => x.m.from.name === "Laurent Dufour").flatMap((x) => x.k.ideas);
    expect(laurent.some((i) => /mmap_sem_contention_jiffies|detected" runtime contention/.test(i.text))).toBe(false);
  });

  it("002: Peter Zijlstra's SRCU / dead-vma idea", async () => {
    const [x] = await seed("002_5f7137928973666e.txt");
    expect(x.m.from.name).toBe("Peter Zijlstra");
    const rfc = x.k.ideas.find((i) => i.kind === "rfc")!;
    expect(rfc.title).toBe("another crazy idea to get rid of mmap_sem in faults");
    expect(rfc.text).toMatch(/marking a\s+vma 'dead'/);
    expect(rfc.text).not.toContain("diff --git");
    expect(rfc.keywords).toEqual(expect.arrayContaining(["SRCU", "vma", "mmap_sem", "call_srcu"]));
    const idea = x.k.ideas.find((i) => i.kind === "proposal")!;
    expect(idea).toMatchObject({ method: "cue:idea", summary: "While pondering the page_fault retry stuff, I came up with the following idea." });
    expect(idea.text).toMatch(/'dead'/);
  });

  it("004: Mateusz Guzik's lock-in-the-struct request for benchmarking, and the pft-threads time(1) figures", async () => {
    const msgs = await seed("004_b0bcf468c8c829d1.txt");
    const rfcMail = msgs.find((x) => x.m.subject.startsWith("[RFC PATCH]"))!;
    expect(rfcMail.m.from.name).toBe("Mateusz Guzik");
    const rfc = rfcMail.k.ideas.find((i) => i.kind === "rfc")!;
    expect(rfc.title).toBe("align vma allocation and move the lock back into the struct");
    expect(rfc.summary).toBe("ACHTUNG: this is more of a request for benchmarking than a patch proposal at this stage");
    expect(rfc.keywords).toEqual(expect.arrayContaining(["vma", "HWCACHE_ALIGN", "CONFIG_PER_VMA_LOCK"]));
    const asks = rfcMail.k.ideas.filter((i) => i.method === "cue:request-for-benchmarking");
    expect(asks.map((i) => i.summary)).toEqual([
      "ACHTUNG: this is more of a request for benchmarking than a patch proposal at this stage",
      "There is 0 urgency on my end, but it would be nice if you could try this out with your test rig.",
    ]);
    // his reply asks for time(1) and shows his own: the figures are his, in the reconstructed message
    const reply = msgs.find((x) => x.m.from.name === "Mateusz Guzik" && x.m.subject.startsWith("Re:"))!;
    expect(reply.k.ideas.find((i) => /time\(1\)/.test(i.text))?.kind).toBe("proposal");
    const t = reply.k.benchmarks;
    expect(t.map((b) => [b.suite, b.test, b.metric, b.value, b.unit, b.method])).toEqual([
      ["mmtests", "pft-threads", "user", 39.35, "s", "time"],
      ["mmtests", "pft-threads", "system", 445.45, "s", "time"],
      ["mmtests", "pft-threads", "cpu", 390, "%", "time"],
      ["mmtests", "pft-threads", "elapsed", 124.04, "s", "time"],
    ]);
    expect(t[0].config).toEqual({ command: "./run-mmtests.sh --no-monitor --config configs/config-workload-pft-threads" });
    expect(t[0].quote).toBe("39.35s user 445.45s system 390% cpu 124.04s (2:04.04) total");
    // Suren's real reply only quotes them
    const suren = msgs.find((x) => !x.ghost)!;
    expect(suren.m.from.name).toBe("Suren Baghdasaryan");
    expect(suren.k.benchmarks).toEqual([]);
  });

  it("003: Linus cites the kernel test robot's 31.4% vm-scalability improvement", async () => {
    const msgs = await seed("003_5e583eaf19bbf35a.txt");
    const claims = msgs.flatMap((x) => x.k.benchmarks.map((b) => ({ who: x.m.from.name, b })));
    const linus = claims.find(({ who, b }) => who === "Linus Torvalds" && b.change === 31.4)!;
    expect(linus.b).toMatchObject({ suite: "vm-scalability", metric: "throughput", direction: "improvement", cites: "lkp" });
  });
});
