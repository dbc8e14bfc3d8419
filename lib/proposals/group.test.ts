import { describe, expect, it } from "vitest";
import { cleanSubject, groupProposals, seedReason, titleWordCosine } from "./group";
import { changedFunctions, isCodePath } from "./code";
import { classifyRefs, fixesTrailers, normalizeTitle } from "./refs";
import { similarityLinks } from "./links";
import { buildModel, cosine, mentionedIdentifiers, proseOf, termCounts, tokenize, vectorize } from "./text";
import type { ProposalInput, SeriesUnit, ThreadUnit, UnitReference } from "./types";

let nextId = 1;
function series(over: Partial<SeriesUnit> & { title: string; date: string }): SeriesUnit {
  const id = over.id ?? nextId++;
  return {
    ref: `series:${id}`, id, key: `s${id}@x`, versionLineId: null, versionLink: null, threadIds: [id * 10], author: "ann@example.org",
    lastDate: over.date, isRfc: false, version: 1, patchTitles: [], functions: [], files: [], terms: {}, lists: ["l"], ...over,
  };
}
function thread(over: Partial<ThreadUnit> & { id: number; subject: string; date: string }): ThreadUnit {
  return { ref: `thread:${over.id}`, rootMsgid: `t${over.id}@x`, author: "bob@example.org", lastDate: over.date, seed: null, report: false, terms: {}, lists: ["l"], ...over };
}
function ref(from: string, to: string, over: Partial<UnitReference> = {}): UnitReference {
  return { from, to, method: "body-ref", trailer: null, fromMsgid: `${from}@m`, toMsgid: `${to}@m`, byAuthor: true, inPosting: true, basedOn: false, line: 3, text: "see", ...over };
}
const input = (p: Partial<ProposalInput>): ProposalInput => ({ series: [], threads: [], references: [], fixes: [], reports: [], ...p });
const membersOf = (r: ReturnType<typeof groupProposals>, key: string) => r.proposals.find((p) => p.key === key)!.members.map((m) => [m.ref, m.role, m.method]);

describe("groupProposals", () => {
  it("a version line is one proposal keyed by its first posting, titled by its last", () => {
    const rfc = series({ title: "mm: queue", date: "2023-01-01T00:00:00Z", isRfc: true, versionLineId: 7 });
    const v2 = series({ title: "mm: the queue", date: "2023-05-01T00:00:00Z", version: 2, versionLineId: 7, versionLink: { from: rfc.key, method: "change-id", confidence: 1 } });
    const other = series({ title: "mmc: unrelated", date: "2023-02-01T00:00:00Z" });
    const r = groupProposals(input({ series: [v2, other, rfc] }));
    expect(r.proposals).toHaveLength(2);
    const p = r.proposals.find((x) => x.key === rfc.key)!;
    expect(p.title).toBe("mm: the queue");
    expect(p.firstDate).toBe("2023-01-01T00:00:00Z");
    expect(membersOf(r, rfc.key)).toEqual([
      [rfc.ref, "rfc", "version-line"],
      [v2.ref, "version", "version-line"],
    ]);
    expect(p.members[1].evidence).toMatchObject({ link: "change-id", from: rfc.key });
  });

  it("an explicit reference joins postings of one author with alike titles; otherwise it links them", () => {
    const a = series({ title: "mm: rotation queue for reclaim", date: "2023-01-01T00:00:00Z", isRfc: true });
    const b = series({ title: "mm: per-node rotation queue for reclaim", date: "2023-06-01T00:00:00Z" });
    const c = series({ title: "block: something else entirely", date: "2023-07-01T00:00:00Z" });
    const d = series({ title: "mm: rotation queue for reclaim fix", date: "2023-08-01T00:00:00Z", author: "carl@example.org" });
    const r = groupProposals(input({
      series: [a, b, c, d],
      references: [
        ref(b.ref, a.ref, { method: "footnote", text: "[1] https://lore.kernel.org/r/a" }),
        ref(c.ref, a.ref), // same author, unrelated title: a link
        ref(d.ref, b.ref, { method: "link-trailer", trailer: "Link" }), // another author: a link
      ],
    }));
    expect(r.proposals.map((p) => p.units.length).sort()).toEqual([1, 1, 2]);
    expect(membersOf(r, a.key)).toEqual([
      [a.ref, "rfc", "version-line"],
      [b.ref, "version", "footnote"],
    ]);
    expect(r.links.map((l) => [l.from, l.to, l.kind, l.method]).sort()).toEqual([
      [a.key, c.key, "successor", "body-ref"],
      [a.key, d.key, "successor", "link-trailer"],
    ]);
  });

  it("a dependency is a related proposal, never the same one", () => {
    const base = series({ title: "mm: rotation queue", date: "2023-01-01T00:00:00Z" });
    const dep = series({ title: "mm: rotation queue users", date: "2023-01-03T00:00:00Z" });
    const r = groupProposals(input({ series: [base, dep], references: [ref(dep.ref, base.ref, { basedOn: true })] }));
    expect(r.proposals).toHaveLength(2);
    expect(r.links).toEqual([expect.objectContaining({ from: base.key, to: dep.key, kind: "related", evidence: expect.objectContaining({ dependency: true }) })]);
  });

  it("threads without patches join every proposal they reference or that references them", () => {
    const s = series({ title: "mm: queue", date: "2024-01-01T00:00:00Z" });
    const s2 = series({ title: "block: other", date: "2024-01-02T00:00:00Z", author: "zed@example.org" });
    const bug = thread({ id: 900, subject: "[BUG] hang", date: "2023-12-01T00:00:00Z" });
    const talk = thread({ id: 901, subject: "Re: why the queue?", date: "2024-02-01T00:00:00Z" });
    const robot = thread({ id: 902, subject: "[linux-next] perf report", date: "2024-03-01T00:00:00Z", report: true });
    const r = groupProposals(input({
      series: [s, s2], threads: [bug, talk, robot],
      references: [
        ref(s.ref, bug.ref, { method: "link-trailer", trailer: "Closes" }),
        ref(talk.ref, s.ref, { byAuthor: false, inPosting: false }),
        ref(talk.ref, s2.ref, { byAuthor: false, inPosting: false }),
        ref(robot.ref, s.ref, { method: "robot-report", byAuthor: false, inPosting: false }),
      ],
      reports: [{ messageId: 55, msgid: "lkp@x", threadId: s.threadIds[0] }],
    }));
    // the discussion that names two proposals is in both, and does not make them one
    expect(r.proposals).toHaveLength(2);
    expect(membersOf(r, s.key)).toEqual([
      [s.ref, "version", "version-line"],
      [bug.ref, "reference", "link-trailer"],
      [talk.ref, "discussion", "body-ref"],
      [robot.ref, "report", "robot-report"],
      ["message:55", "report", "in-thread"],
    ]);
    expect(membersOf(r, s2.key)).toEqual([
      [s2.ref, "version", "version-line"],
      [talk.ref, "discussion", "body-ref"],
    ]);
    // the member threads widen the dates
    expect(r.proposals.find((p) => p.key === s.key)!.firstDate).toBe("2023-12-01T00:00:00Z");
    expect(r.links).toEqual([]);
  });

  it("a topic thread is a proposal of its own; its author's reference from a posting joins them", () => {
    const topic = thread({ id: 700, subject: "[RFC] a rotation queue?", date: "2022-12-01T00:00:00Z", author: "ann@example.org", seed: "subject tag [RFC]" });
    const lsf = thread({ id: 701, subject: "[LSF/MM TOPIC] queues", date: "2025-01-01T00:00:00Z", author: "ann@example.org", seed: "subject tag [LSF/MM TOPIC]" });
    const s = series({ title: "mm: rotation queue", date: "2023-01-01T00:00:00Z" });
    const r = groupProposals(input({ series: [s], threads: [topic, lsf], references: [ref(s.ref, topic.ref)] }));
    expect(r.proposals.map((p) => p.key).sort()).toEqual([lsf.rootMsgid, s.key].sort());
    expect(membersOf(r, s.key)).toEqual([
      [s.ref, "version", "body-ref"],
      [topic.ref, "rfc", "root"],
    ]);
    expect(r.proposals.find((p) => p.key === lsf.rootMsgid)).toMatchObject({ seed: "thread", title: "queues", postings: 0 });
  });

  it("Fixes: links the fixed proposal to the fix: by upstream commit, else by the subject of an earlier patch", () => {
    const feature = series({ title: "mm: rotation queue", date: "2023-01-01T00:00:00Z", patchTitles: [normalizeTitle("mm: add a per-node rotation queue")] });
    const fix = series({ title: "mm/rotation: drain on offline", date: "2025-01-01T00:00:00Z", author: "priya@example.com" });
    const other = series({ title: "x: y", date: "2024-01-01T00:00:00Z", author: "q@example.com" });
    const later = series({ title: "x: z", date: "2026-01-01T00:00:00Z", author: "r@example.com" });
    const r = groupProposals(input({
      series: [feature, fix, other, later],
      fixes: [
        { from: fix.ref, fromMsgid: "fix@x", commit: "20f6b5ac6e03", subject: "mm: add a per-node rotation queue", commitTargets: [], line: 9, text: 'Fixes: 20f6b5ac6e03 ("mm: add a per-node rotation queue")' },
        { from: later.ref, fromMsgid: "later@x", commit: "abcdef123456", subject: "unknown subject", commitTargets: [{ ref: other.ref, msgid: "o@x" }], line: 4, text: "Fixes: abcdef123456" },
        // a subject nothing earlier carries: no link
        { from: other.ref, fromMsgid: "o@x", commit: "1234567", subject: "never posted", commitTargets: [], line: 4, text: "Fixes: 1234567" },
      ],
    }));
    expect(r.proposals).toHaveLength(4);
    expect(r.links.map((l) => [l.from, l.to, l.kind, l.method, l.confidence, l.evidence.matchedBy]).sort()).toEqual([
      [feature.key, fix.key, "successor", "fixes", 0.75, "subject"],
      [other.key, later.key, "successor", "fixes", 0.95, "upstream commit"],
    ]);
  });

  it("an orphan later version of the same author changing the same functions joins the earlier line", () => {
    const fns = ["drivers/mmc/host/foo.c::foo_probe", "drivers/mmc/host/foo.c::foo_set_clock", "drivers/mmc/host/foo.c::foo_reset"];
    const v1 = series({ title: "mmc: foo: new clock handling", date: "2023-01-01T00:00:00Z", functions: fns });
    const v3 = series({ title: "mmc: foo: rework clocks", date: "2023-03-01T00:00:00Z", version: 3, functions: fns.slice(0, 2) });
    const v1b = series({ title: "mmc: foo: another v1", date: "2023-04-01T00:00:00Z", functions: fns }); // a v1: new work, not joined
    const stranger = series({ title: "mmc: foo: rework clocks", date: "2023-03-02T00:00:00Z", version: 2, author: "x@example.org", functions: fns });
    const r = groupProposals(input({ series: [v1, v3, v1b, stranger] }));
    expect(r.proposals).toHaveLength(3);
    expect(membersOf(r, v1.key)).toEqual([
      [v1.ref, "version", "version-line"],
      [v3.ref, "version", "shared-code"],
    ]);
    const m = r.proposals.find((p) => p.key === v1.key)!.members[1];
    expect(m.confidence).toBe(0.7);
    expect(m.evidence).toMatchObject({ jaccard: 0.67, functions: fns.slice(0, 2).sort() });
  });

  it("is deterministic whatever the input order", () => {
    const a = series({ title: "mm: a queue", date: "2023-01-01T00:00:00Z", versionLineId: 3 });
    const b = series({ title: "mm: a queue", date: "2023-02-01T00:00:00Z", version: 2, versionLineId: 3, versionLink: { from: a.key, method: "title", confidence: 0.6 } });
    const t = thread({ id: 99, subject: "Re: a", date: "2023-03-01T00:00:00Z" });
    const refs = [ref(t.ref, b.ref, { byAuthor: false, inPosting: false })];
    const one = groupProposals(input({ series: [a, b], threads: [t], references: refs }));
    const two = groupProposals(input({ series: [b, a], threads: [t], references: refs }));
    expect(two).toEqual(one);
    expect(one.proposals[0].members[1]).toMatchObject({ method: "version-line", confidence: 0.6 });
  });
});

describe("seeds, subjects, titles", () => {
  it("topic and RFC threads without patches are seeds; replies and patches are not", () => {
    expect(seedReason("[LSF/MM/BPF TOPIC] Rotation queue: bounding queue time")).toBe("subject tag [LSF/MM/BPF TOPIC]");
    expect(seedReason("[RFC] mm: should we batch rotation?")).toBe("subject tag [RFC]");
    expect(seedReason("[PATCH RFC 1/2] mm: x")).toBeNull();
    expect(seedReason("Re: [RFC] mm: x")).toBeNull();
    expect(seedReason("[BUG] hang on offline")).toBeNull();
    expect(seedReason("mmc: question")).toBeNull();
    expect(cleanSubject("Re: [LSF/MM/BPF TOPIC] Rotation queue")).toBe("Rotation queue");
    expect(titleWordCosine("mm/vmscan: batch LRU rotation", "mm: batch lru rotation")).toBeGreaterThan(0.6);
    expect(titleWordCosine("mm: a", "block: b")).toBe(0);
  });
});

describe("code", () => {
  it("names the functions hunk headings and changed definitions name, qualified by file", () => {
    expect(isCodePath("mm/rotation.c")).toBe(true);
    expect(isCodePath("Documentation/admin-guide/mm/rotation.rst")).toBe(false);
    const fns = changedFunctions([
      { path: "mm/rotation.c", heading: "void rotation_queue_add(struct folio *folio)", addedText: "static int rotation_queue_memory_callback(struct notifier_block *self,\n\tif (x)\n\t\treturn foo(1);\nint bar(void);", removedText: "" },
      { path: "Documentation/mm/rotation.rst", heading: "int looks_like_code(void)", addedText: "", removedText: "" },
      { path: "include/linux/mmzone.h", heading: "typedef struct pglist_data {", addedText: "", removedText: "" },
      { path: "mm/vmscan.c", heading: "", addedText: "", removedText: "static void old_helper(void)\n{" },
      { path: "mm/vmscan.c", heading: "management code that an administrator may want to look at.", addedText: "", removedText: "" },
    ]);
    expect(fns).toEqual([
      "include/linux/mmzone.h::pglist_data",
      "mm/rotation.c::rotation_queue_add",
      "mm/rotation.c::rotation_queue_memory_callback",
      "mm/vmscan.c::old_helper",
    ]);
  });
});

describe("refs", () => {
  it("classifies references by how they are written, skipping quotes and the diff", () => {
    const body = [
      "This is v2.",
      "",
      "[1] https://lore.kernel.org/r/20230412081500.48213-1-mira@kernel.example",
      "> quoted <quoted@x>",
      "As discussed in <abc@def>.",
      "Link: https://lore.kernel.org/all/link%40x/",
      "Closes: https://lore.kernel.org/r/closes@x",
      "Reviewed-by: Ann <ann@example.org>",
      "diff --git a/x b/x",
      "+ <indiff@x>",
    ].join("\n");
    expect(classifyRefs(body).map((r) => [r.msgid, r.method, r.trailer, r.line])).toEqual([
      ["20230412081500.48213-1-mira@kernel.example", "footnote", null, 3],
      ["abc@def", "body-ref", null, 5],
      ["link@x", "link-trailer", "Link", 6],
      ["closes@x", "link-trailer", "Closes", 7],
    ]);
  });

  it("reads Fixes: trailers with and without a subject", () => {
    expect(fixesTrailers('x\nFixes: 20f6b5ac6e03 ("mm: add a per-node rotation queue")\nFixes: ABCDEF1\n  Fixes: nothing')).toEqual([
      { commit: "20f6b5ac6e03", subject: "mm: add a per-node rotation queue", line: 2, text: 'Fixes: 20f6b5ac6e03 ("mm: add a per-node rotation queue")' },
      { commit: "abcdef1", subject: null, line: 3, text: "Fixes: ABCDEF1" },
    ]);
    expect(normalizeTitle("[PATCH v2 3/4]  mm: Add  a queue")).toBe("mm: add a queue");
  });
});

describe("text and similarity links", () => {
  it("keeps the author's prose: no quotes, trailers, diffstat, diff or signature", () => {
    const body = "Batch the rotation.\n> quoted words\nSigned-off-by: A <a@b>\n mm/x.c | 3 ++\n 1 file changed\nbase-commit: abc\n-- \nsig words\n";
    expect(proseOf(body).trim()).toBe("Batch the rotation.");
    expect(tokenize("The lru_lock is taken 1234 times by shrink_folio_list() for 3f2a1b9c8d")).toEqual(["lru_lock", "taken", "times", "shrink_folio_list"]);
    expect(termCounts("rotation queue", "rotation of folios")).toEqual({ rotation: 4, queue: 3, folios: 1 });
  });

  it("links proposals by shared functions and by text, with kinds from the dates", () => {
    const base = { authors: ["a"], terms: {} };
    const docs = Array.from({ length: 40 }, (_, i) => ({ ...base, key: `n${i}`, firstDate: "2020-01-01T00:00:00Z", lastDate: "2020-01-02T00:00:00Z", functions: [`f${i}.c::g${i}`, "common.c::everyone"], terms: { [`word${i}`]: 2 } }));
    const p = { key: "p", firstDate: "2023-01-01T00:00:00Z", lastDate: "2023-06-01T00:00:00Z", authors: ["a"], functions: ["mm/r.c::add", "mm/r.c::drain", "common.c::everyone"], terms: { rotation: 5, queue: 5, folio: 2 } };
    const alt = { key: "alt", firstDate: "2023-03-01T00:00:00Z", lastDate: "2023-04-01T00:00:00Z", authors: ["b"], functions: ["mm/r.c::add", "mm/r.c::drain"], terms: { lock: 3 } };
    const topic = { key: "topic", firstDate: "2025-01-01T00:00:00Z", lastDate: "2025-01-02T00:00:00Z", authors: ["a"], functions: [], terms: { rotation: 3, queue: 4, memcg: 2 } };
    const all = [...docs, p, alt, topic];
    const links = similarityLinks([p], all);
    expect(links.map((l) => [l.from, l.to, l.kind, l.method])).toEqual([
      ["p", "alt", "alternative", "shared-code"],
      ["p", "topic", "successor", "text-similarity"],
    ]);
    // the function every proposal changes is no evidence
    expect(links[0].evidence.functions).toEqual(["mm/r.c::add", "mm/r.c::drain"]);
    const m = buildModel(all.map((d) => d.terms));
    expect(cosine(vectorize(m, p.terms), vectorize(m, topic.terms))).toBeGreaterThan(0.5);
    expect(similarityLinks([docs[0]], all)).toEqual([]);
    // alike text without shared code or author is related, not a continuation
    const stranger = { ...topic, key: "stranger", authors: ["z"] };
    expect(similarityLinks([stranger], [...docs, p, stranger]).map((l) => [l.from, l.to, l.kind])).toEqual([["p", "stranger", "related"]]);
  });

  it("a topic thread naming functions a proposal changed is linked to it", () => {
    expect(mentionedIdentifiers("most of the lru_lock spinning in shrink_folio_list() is gone\n> quoted_thing()\nfolio_rotate_reclaimable() too")).toEqual([
      "shrink_folio_list", "folio_rotate_reclaimable", "lru_lock",
    ]);
    const p = { key: "p", firstDate: "2023-01-01T00:00:00Z", lastDate: "2024-03-01T00:00:00Z", authors: ["mira"], functions: ["mm/vmscan.c::shrink_folio_list", "mm/swap.c::folio_rotate_reclaimable", "mm/rotation.c::rotate_batch"], terms: { a: 1 } };
    const topic = { key: "t", firstDate: "2025-02-03T00:00:00Z", lastDate: "2025-02-04T00:00:00Z", authors: ["mira"], functions: [], terms: { b: 1 }, mentions: ["shrink_folio_list", "folio_rotate_reclaimable", "lru_lock"] };
    const once = { ...topic, key: "once", mentions: ["rotate_batch"] };
    const links = similarityLinks([p], [p, topic, once]);
    expect(links.map((l) => [l.from, l.to, l.kind, l.method, l.confidence])).toEqual([["p", "t", "successor", "shared-code", 0.6]]);
    expect(links[0].evidence).toMatchObject({ functions: ["shrink_folio_list", "folio_rotate_reclaimable"], mentioned: true });
  });
});
