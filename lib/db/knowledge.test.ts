// Knowledge through the database: the demo corpus (ingest/demo/demo.mbox, its story in
// ingest/demo/README.md) ingested by the real pipeline, then ideas, decisions, benchmarks and the
// robot report read back with their provenance and links; reruns, reindex, curation surviving a
// reindex, the API routes, stats and the search facets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { DEMO_MBOX } from "../../ingest/serve";
import { reindex } from "../passes/reindex";
import { getMessageKnowledge, listBenchmarks, listDecisions, listIdeas } from "../views/knowledge";
import { reindexKnowledge } from "../passes/reindex";
import { linkKnowledge } from "../passes/knowledge-links";
import { getStats } from "../views/messages";
import { search } from "../views/search";
import { handleApi, API_ROUTES } from "../api/router";
import { parseMail } from "../mail/parse";
import { runKnowledgeList, knowledgeQuery } from "../../ingest/knowledge-cli";
import { buildProgram } from "../../ingest/cli";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let db: TestDb;

// messages of the demo story (ingest/demo/README.md, "All messages")
const RFC_COVER = "20230412081500.48213-1-mira@kernel.example"; // #1
const RFC_ASK = "20230418155503.4f1c2a8e7b9d3c61@example.org"; // #11, Daniel on RFC 2/2: "Please remove it in this patch."
const V1_2_3 = "20230620071000.91127-3-mira@kernel.example"; // #15
const NAK = "20230622064519.GB31877@kernel.example"; // #19, Greta on v1 2/3
const V3_COVER = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example"; // #38
const V3_1_4 = "20230412-rotation-queue-v3-1-b18e4f7a2c90@kernel.example"; // #39
const V3_3_4 = "20230412-rotation-queue-v3-3-b18e4f7a2c90@kernel.example"; // #41
const APPLIED_V3 = "20240220164218.9c3e1b7a5d2f8e40@example.org"; // #45
const LKP = "202403051432.7c1d9e0f-lkp@intel.example"; // #46
const CLAIM = "ZebvR2kN7qX4mT1c@kernel.example"; // #47, Mira citing the report's figure
const CITES = "20240305180451.e27b4c9d1f6a3058@example.org"; // #48, names the report's lore link
const FIX = "20250114093000.11842-1-priya.raman@example.com"; // #51
const APPLIED_FIX = "20250121171005.5a8d2e6c0b3f9174@example.org"; // #54

async function snapshot() {
  const q = async (sql: string) => (await db.pool.query(sql)).rows.map((r) => JSON.stringify(r)).sort();
  return {
    ideas: await q(`SELECT m.msgid, i.kind, i.first_line, i.last_line, i.method, i.confidence, i.summary FROM idea i JOIN message m ON m.id = i.message_id`),
    decisions: await q(
      `SELECT m.msgid, d.kind, d.target, d.first_line, d.method, s.key AS series, p.msgid AS patch
       FROM decision d JOIN message m ON m.id = d.message_id LEFT JOIN series s ON s.id = d.series_id LEFT JOIN message p ON p.id = d.patch_message_id`,
    ),
    benchmarks: await q(`SELECT m.msgid, b.suite, b.metric, b.value, b.change, b.first_line, b.method FROM benchmark b JOIN message m ON m.id = b.message_id`),
    reports: await q(`SELECT m.msgid, r.kind, r.commit, r.details->'link'->>'method' AS link FROM robot_report r JOIN message m ON m.id = r.message_id`),
  };
}

const msgidsOf = async (q: string) => (await search(db, { q, limit: 200 })).hits.map((h) => h.msgid).sort();

describe("the demo corpus in the database", () => {
  let first: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    db = await createTestDb();
    await ingestSource(db, DEMO_MBOX, { list: "demo", workers: 0 });
    first = await snapshot();
  });
  afterAll(async () => db?.drop());

  it("the RFC cover letter yields the rfc idea and its open questions, with lines that point into the body", async () => {
    const k = (await getMessageKnowledge(db, "demo", RFC_COVER))!;
    const rfc = k.ideas.find((i) => i.kind === "rfc")!;
    expect(rfc).toMatchObject({ msgid: RFC_COVER, method: "rfc-cover", title: "batch LRU rotation with a per-node rotation queue" });
    expect(rfc.keywords).toEqual(expect.arrayContaining(["lru_lock", "lruvec"]));
    const questions = k.ideas.filter((i) => i.kind === "question");
    expect(questions.length).toBeGreaterThanOrEqual(2);
    const { rows: [m] } = await db.pool.query(`SELECT body FROM message WHERE msgid = $1`, [RFC_COVER]);
    const lines = (m.body as string).split("\n");
    for (const i of k.ideas) {
      expect(i.lines[0]).toBeGreaterThan(0);
      expect(i.lines[1]).toBeGreaterThanOrEqual(i.lines[0]);
      // the quote is the text of its first line (trimmed), or starts there for a multi-line sentence
      expect(lines[i.lines[0] - 1].trim().length).toBeGreaterThan(0);
      expect(i.quote.replace(/\s+/g, " ").startsWith(lines[i.lines[0] - 1].trim().replace(/\s+/g, " ").slice(0, 20))).toBe(true);
    }
    // the RFC thread's replies: Hideo's per-lruvec alternative (#4), Greta's objection (#6)
    const ideas = await listIdeas(db, { list: "demo", pageSize: 200 });
    const by = (name: string, kind: string) => ideas!.items.filter((i) => i.message.fromName === name && i.kind === kind);
    expect(by("Hideo Tanabe", "alternative").map((i) => i.summary)).toContain("How about hanging the queue off the lruvec instead?");
    expect(by("Greta Lindqvist", "objection").some((i) => /more basic objection/.test(i.summary))).toBe(true);
  });

  it("'Applied … thanks' and the NAK are decisions, linked to the series and patch they decide", async () => {
    const nak = (await getMessageKnowledge(db, "demo", NAK))!.decisions;
    expect(nak).toHaveLength(1);
    expect(nak[0]).toMatchObject({ kind: "nak", method: "trailer:nacked-by", actor: "Greta Lindqvist <greta@kernel.example>", linkMethod: "in-reply-to" });
    expect(nak[0].patch?.msgid).toBe(V1_2_3);
    expect(nak[0].series).toMatchObject({ version: 1, title: "mm/vmscan: batch LRU rotation with a per-node rotation queue" });

    const applied = (await getMessageKnowledge(db, "demo", APPLIED_V3))!.decisions;
    const a = applied.find((d) => d.kind === "applied")!;
    expect(a).toMatchObject({ target: "mm-unstable", quote: "Applied to mm-unstable, thanks.", patch: null });
    expect(a.series).toMatchObject({ key: V3_COVER, version: 3 });
    // "Patch 1 is also queued for mm-hotfixes-unstable": the cover's patch 1
    const q = applied.find((d) => d.kind === "queued")!;
    expect(q.target).toBe("mm-hotfixes-unstable");
    expect(q.patch?.msgid).toBe(V3_1_4);

    const fix = (await getMessageKnowledge(db, "demo", APPLIED_FIX))!.decisions;
    expect(fix.map((d) => [d.kind, d.target, d.patch?.msgid, d.series?.key])).toEqual([["applied", "mm-hotfixes-unstable", FIX, FIX]]);

    const naks = await listDecisions(db, { list: "demo", kind: "nak" });
    expect(naks!.items.map((d) => d.message.msgid)).toEqual([NAK]);
    // the proposal pass reads decisions by series: every decision here was linked
    const { rows } = await db.pool.query(`SELECT count(*) FILTER (WHERE series_id IS NULL) AS unlinked, count(*) AS n FROM decision`);
    expect(rows[0]).toEqual({ unlinked: 0, n: 5 });
  });

  it("the LKP report (#46) is a performance robot report on v3 3/4 and yields benchmarks with suite, metric and change", async () => {
    const k = (await getMessageKnowledge(db, "demo", LKP))!;
    expect(k.report).toMatchObject({
      kind: "performance", robot: "kernel test robot", commit: "3f2a1b9c8d7e4f60a1b2c3d4e5f6a7b8c9d0e1f2", suite: "vm-scalability",
      metric: "throughput", change: 12.4, direction: "improvement", reportId: LKP,
    });
    expect(k.report!.target).toMatchObject({ method: "in-reply-to", patch: { msgid: V3_3_4 }, series: { key: V3_COVER } });
    expect(k.ideas).toEqual([]);
    expect(k.decisions).toEqual([]);
    // the 11 table rows (README): a %change column gives a change, perf-profile rows print an absolute difference
    const rows = k.benchmarks.filter((b) => b.method === "lkp-table");
    expect(rows).toHaveLength(11);
    for (const b of rows) {
      expect(b.suite && b.metric, b.quote).toBeTruthy();
      if (/\s[+-]\d+(?:\.\d+)?%\s/.test(b.quote)) expect(b.change, b.quote).not.toBeNull();
      else expect(b.delta, b.quote).not.toBeNull();
    }
    const head = k.benchmarks.find((b) => b.role === "headline")!;
    expect(head).toMatchObject({ suite: "vm-scalability", metric: "throughput", baseline: 41235812, value: 46349273, change: 12.4, direction: "improvement", test: "lru-file-readtwice" });
    const sys = k.benchmarks.find((b) => b.metric === "time.system_time")!;
    expect(sys).toMatchObject({ baseline: 21406, value: 17938, change: -16.2, method: "lkp-table" });
    // every table row's quote is its body line
    const { rows: [m] } = await db.pool.query(`SELECT body FROM message WHERE msgid = $1`, [LKP]);
    const lines = (m.body as string).split("\n");
    for (const b of k.benchmarks.filter((x) => x.method === "lkp-table")) expect(lines[b.lines[0] - 1].trim()).toBe(b.quote);
    // the benchmarks' series, through their message
    const page = await listBenchmarks(db, { list: "demo", suite: "vm-scalability", pageSize: 200 });
    const mine = page!.items.filter((b) => b.message.msgid === LKP);
    expect(mine.length).toBe(k.benchmarks.filter((b) => b.suite === "vm-scalability").length);
    expect(mine.every((b) => b.series?.key === V3_COVER)).toBe(true);
  });

  it("a report cited by Message-ID is linked both ways; the claim replying to it is a benchmark citing it", async () => {
    const citing = (await getMessageKnowledge(db, "demo", CITES))!;
    expect(citing.citedReports.map((r) => [r.msgid, r.kind, r.suite, r.change])).toEqual([[LKP, "performance", "vm-scalability", 12.4]]);
    const report = (await getMessageKnowledge(db, "demo", LKP))!;
    expect(report.citedBy.map((c) => c.msgid)).toEqual([CITES]);
    const claim = (await getMessageKnowledge(db, "demo", CLAIM))!;
    expect(claim.benchmarks.find((b) => b.method === "prose:pct")).toMatchObject({ suite: "vm-scalability", test: "lru-file-readtwice", change: 12.4 });
    expect(claim.report).toBeNull();
  });

  it("a rerun stores nothing twice; reindex and reindex --knowledge give the same rows and links", async () => {
    const again = await ingestSource(db, DEMO_MBOX, { list: "demo", workers: 0 });
    expect(again.inserted).toBe(0);
    expect(await snapshot()).toEqual(first);
    await reindex(db);
    expect(await snapshot()).toEqual(first);
    const r = await reindexKnowledge(db);
    expect(r).toMatchObject({ messages: 58, ideas: first.ideas.length, decisions: first.decisions.length, benchmarks: first.benchmarks.length, robotReports: 1 });
    expect(await snapshot()).toEqual(first);
  });

  it("a curated decision keeps its id and status through a reindex; a rejected one leaves the views", async () => {
    const { rows: [d] } = await db.pool.query(`SELECT d.id FROM decision d JOIN message m ON m.id = d.message_id WHERE m.msgid = $1`, [NAK]);
    await db.pool.query(`UPDATE decision SET status = 'confirmed', curated_at = now() WHERE id = $1`, [d.id]);
    const { rows: [i] } = await db.pool.query(`SELECT i.id FROM idea i JOIN message m ON m.id = i.message_id WHERE m.msgid = $1 AND i.kind = 'rfc'`, [RFC_COVER]);
    await db.pool.query(`UPDATE idea SET status = 'rejected' WHERE id = $1`, [i.id]);
    await reindexKnowledge(db);
    const { rows } = await db.pool.query(`SELECT d.id, d.status, d.series_id FROM decision d JOIN message m ON m.id = d.message_id WHERE m.msgid = $1`, [NAK]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: d.id, status: "confirmed" });
    expect(rows[0].series_id).not.toBeNull();
    const { rows: ideas } = await db.pool.query(`SELECT id, status FROM idea WHERE id = $1`, [i.id]);
    expect(ideas).toEqual([{ id: i.id, status: "rejected" }]);
    const k = (await getMessageKnowledge(db, "demo", RFC_COVER))!;
    expect(k.ideas.some((x) => x.kind === "rfc")).toBe(false);
    expect(await snapshot()).toEqual(first);
    await db.pool.query(`UPDATE idea SET status = 'detected' WHERE id = $1`, [i.id]);
  });

  it("rows lost their links (a run stopped before the link pass): the next pass links them again", async () => {
    await db.pool.query(`UPDATE decision SET series_id = NULL, patch_message_id = NULL, details = details - 'link'`);
    await db.pool.query(`UPDATE robot_report SET details = details - 'link'`);
    const s = await linkKnowledge(db.pool);
    expect(s).toMatchObject({ decisions: 5, decisionsLinked: 5, reports: 1, reportsLinked: 1 });
    expect(await snapshot()).toEqual(first);
  });

  it("the API routes: /api/<list>/<msgid>/knowledge, /api/ideas, /api/decisions, /api/benchmarks", async () => {
    for (const p of ["/api/<list>/<msgid>/knowledge", "/api/ideas?", "/api/decisions?", "/api/benchmarks?"]) {
      expect(API_ROUTES.some((r) => r.pattern.startsWith(p.replace(/\?$/, "")))).toBe(true);
    }
    const k = await handleApi(db, ["demo", LKP, "knowledge"], new URLSearchParams());
    expect(k.status).toBe(200);
    expect((k as { json: { report: { kind: string } } }).json.report.kind).toBe("performance");
    expect((await handleApi(db, ["demo", "nope@x", "knowledge"], new URLSearchParams())).status).toBe(404);
    expect((await handleApi(db, ["other", LKP, "knowledge"], new URLSearchParams())).status).toBe(404);

    const ideas = await handleApi(db, ["ideas"], new URLSearchParams("list=demo&kind=rfc"));
    expect(ideas.status).toBe(200);
    const ij = (ideas as { json: { ideas: { total: number; items: { kind: string; message: { msgid: string } }[] } } }).json.ideas;
    expect(ij.items.map((i) => i.message.msgid)).toContain(RFC_COVER);
    expect(ij.items.every((i) => i.kind === "rfc")).toBe(true);
    expect((await handleApi(db, ["ideas"], new URLSearchParams("kind=wish"))).status).toBe(400);
    expect((await handleApi(db, ["decisions"], new URLSearchParams("list=nosuchlist"))).status).toBe(404);

    const dec = await handleApi(db, ["decisions"], new URLSearchParams("list=demo&kind=applied"));
    const dj = (dec as { json: { decisions: { total: number; items: { target: string }[] } } }).json.decisions;
    expect(dj.items.map((d) => d.target).sort()).toEqual(["mm-hotfixes-unstable", "mm-unstable"]);

    const b1 = await handleApi(db, ["benchmarks"], new URLSearchParams("suite=vm-scalability&l=5&page=2"));
    const bj = (b1 as { json: { benchmarks: { total: number; page: number; pageSize: number; items: { suite: string }[] } } }).json.benchmarks;
    const { rows: [{ n }] } = await db.pool.query(`SELECT count(*) AS n FROM benchmark WHERE suite = 'vm-scalability'`);
    expect(bj).toMatchObject({ total: n, page: 2, pageSize: 5 });
    expect(bj.items).toHaveLength(Math.min(5, n - 5));
    expect(bj.items.every((b) => b.suite === "vm-scalability")).toBe(true);
  });

  it("/api/ideas and /api/decisions filter by kind and by person, through the person's identity", async () => {
    type Item = { id: number; kind: string; actor?: string | null; message: { msgid: string; fromAddress: string } };
    type Answer = { list: string | null; kind: string | null; person: { address: string; addresses: string[] } | null } & Record<string, { total: number; page: number; pageSize: number; items: Item[] }>;
    const api = async (what: "ideas" | "decisions", q: string) => {
      const r = await handleApi(db, [what], new URLSearchParams(q));
      return { status: r.status, json: (r as { json: Answer }).json };
    };
    const count = async (sql: string, params: unknown[] = []) => Number((await db.pool.query(sql, params)).rows[0].n);
    for (const p of ["/api/ideas?kind=K&person=ADDRESS", "/api/decisions?kind=K&person=ADDRESS"]) expect(API_ROUTES.some((r) => r.pattern.startsWith(p))).toBe(true);

    // Daniel, the maintainer: the two "applied", the "queued" and the change he asked for on the RFC
    const daniel = await api("decisions", "person=dokafor@example.org");
    expect(daniel.status).toBe(200);
    expect(daniel.json.person).toEqual({ address: "dokafor@example.org", addresses: ["dokafor@example.org"] });
    expect(daniel.json.decisions.items.map((d) => [d.kind, d.message.msgid]).sort()).toEqual(
      [["applied", APPLIED_V3], ["queued", APPLIED_V3], ["applied", APPLIED_FIX], ["changes-requested", RFC_ASK]].sort(),
    );
    // the address is matched whatever its case and spelling; kind and person together
    const asked = await api("decisions", "person=%3CDOKAFOR@Example.ORG%3E&kind=changes-requested&list=demo");
    expect(asked.json.decisions.items.map((d) => d.message.msgid)).toEqual([RFC_ASK]);
    expect(asked.json).toMatchObject({ list: "demo", kind: "changes-requested", person: { address: "dokafor@example.org" } });
    expect((await api("decisions", "kind=deferred")).json.decisions.total).toBe(0);

    // ideas by sender: all of Mira's, newest first, paged
    const mira = await count(`SELECT count(*) AS n FROM idea i JOIN message m ON m.id = i.message_id WHERE m.from_address = 'mira@kernel.example' AND i.status <> 'rejected'`);
    expect(mira).toBeGreaterThan(2);
    const all = await api("ideas", "person=mira@kernel.example&l=200");
    expect(all.json.ideas.total).toBe(mira);
    expect(all.json.ideas.items.every((i) => i.message.fromAddress === "mira@kernel.example")).toBe(true);
    const p2 = await api("ideas", "person=mira@kernel.example&l=2&page=2");
    expect(p2.json.ideas).toMatchObject({ total: mira, page: 2, pageSize: 2 });
    expect(p2.json.ideas.items.map((i) => i.id)).toEqual(all.json.ideas.items.slice(2, 4).map((i) => i.id));
    const rfcQuestions = await api("ideas", "person=mira@kernel.example&kind=question");
    expect(rfcQuestions.json.ideas.items.every((i) => i.kind === "question")).toBe(true);
    expect(rfcQuestions.json.ideas.total).toBe(
      await count(`SELECT count(*) AS n FROM idea i JOIN message m ON m.id = i.message_id WHERE m.from_address = 'mira@kernel.example' AND i.kind = 'question' AND i.status <> 'rejected'`),
    );

    // someone never seen: nothing, not an error; a person that is no address, a kind not known: 400
    expect((await api("ideas", "person=nobody@nowhere.example")).json).toMatchObject({ person: { addresses: ["nobody@nowhere.example"] }, ideas: { total: 0 } });
    expect((await api("ideas", "person=mira")).status).toBe(400);
    expect((await api("decisions", `person=${"a".repeat(400)}@x.org`)).status).toBe(400);
    expect((await api("decisions", "kind=approved")).status).toBe(400);
    expect((await api("decisions", "person=dokafor@example.org&list=nosuchlist")).status).toBe(404);

    // one person, two addresses (lib/passes/people merged them): either address finds both
    await db.pool.query(`UPDATE person SET canonical_id = (SELECT id FROM person WHERE address = 'dokafor@example.org') WHERE address = 'greta@kernel.example'`);
    try {
      for (const a of ["greta@kernel.example", "dokafor@example.org"]) {
        const both = await api("decisions", `person=${a}`);
        expect(both.json.person!.addresses.sort()).toEqual(["dokafor@example.org", "greta@kernel.example"]);
        expect(both.json.decisions.items.map((d) => d.message.msgid).sort()).toEqual([APPLIED_FIX, APPLIED_V3, APPLIED_V3, NAK, RFC_ASK].sort());
      }
    } finally {
      await db.pool.query(`UPDATE person SET canonical_id = NULL WHERE address = 'greta@kernel.example'`);
    }

    // a decision is also its actor's: a Nacked-by naming Wei, sent by Mira
    const { rows: [ins] } = await db.pool.query(
      `INSERT INTO decision (message_id, kind, method, confidence, details) SELECT id, 'nak', 'test', 0.95, '{"actor": "Wei Zhang <Wei.Zhang@example.com>"}'::jsonb FROM message WHERE msgid = $1 RETURNING id`,
      [V3_COVER],
    );
    try {
      const wei = await api("decisions", "person=wei.zhang@example.com");
      expect(wei.json.decisions.items.map((d) => [d.id, d.actor])).toEqual([[ins.id, "Wei Zhang <Wei.Zhang@example.com>"]]);
      expect((await api("decisions", "person=mira@kernel.example")).json.decisions.items.map((d) => d.id)).toContain(ins.id);
      // a decision curated away leaves the lists
      await db.pool.query(`UPDATE decision SET status = 'rejected' WHERE id = $1`, [ins.id]);
      expect((await api("decisions", "person=wei.zhang@example.com")).json.decisions.total).toBe(0);
    } finally {
      await db.pool.query(`DELETE FROM decision WHERE id = $1`, [ins.id]);
    }
  });

  it("patchlore ideas / decisions print what the API answers (--json), or one row per line", async () => {
    const cmds = new Map(buildProgram().commands.map((c) => [c.name(), c]));
    for (const name of ["ideas", "decisions"]) {
      const flags = cmds.get(name)!.options.map((o) => o.long);
      expect(flags).toEqual(["--kind", "--person", "--list", "--page", "--limit", "--json"]);
    }
    expect(knowledgeQuery({ kind: "nak", person: "a@b.c", list: "demo", page: 2, limit: 10 }).toString()).toBe("kind=nak&person=a%40b.c&list=demo&page=2&l=10");
    const run = async (what: "ideas" | "decisions", o: Parameters<typeof runKnowledgeList>[2]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runKnowledgeList(db, what, o, { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    const json = await run("decisions", { person: "dokafor@example.org", kind: "applied", list: "demo", json: true, page: 1, limit: 50 });
    expect(json.code).toBe(0);
    const api = await handleApi(db, ["decisions"], new URLSearchParams("person=dokafor@example.org&kind=applied&list=demo"));
    expect(JSON.parse(json.out)).toEqual((api as { json: unknown }).json);

    const text = await run("decisions", { kind: "nak", page: 1, limit: 50 });
    expect(text.code).toBe(0);
    expect(text.out.split("\n")).toEqual([
      "2023-06-22  nak               0.95  Greta Lindqvist               Nacked-by: Greta Lindqvist <greta@kernel.example>",
      `            <${NAK}> in demo on [PATCH 2/3] mm/vmscan: batch LRU rotation through the rotat…`,
    ]);
    expect(text.err).toBe("1 decision, page 1 of 1");
    const ideas = await run("ideas", { person: "mira@kernel.example", limit: 2, page: 2 });
    expect(ideas.out.split("\n")).toHaveLength(4);
    expect(ideas.err).toMatch(/^\d+ ideas, page 2 of \d+$/);

    const bad = await run("ideas", { kind: "wish" });
    expect(bad).toMatchObject({ code: 1, out: "" });
    expect(bad.err).toMatch(/^patchlore: kind must be one of proposal, alternative/);
    expect((await run("decisions", { list: "nosuchlist" })).err).toBe("patchlore: no list named nosuchlist");
  });

  it("the /ideas/ and /decisions/ pages: filter form, rows linking to their message, everything escaped", async () => {
    const { createElement } = await import("react");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { KnowledgeListView, loadKnowledgeList } = await import("../../app/_components/KnowledgeList");
    const page = async (what: "ideas" | "decisions", sp: Record<string, string>) => renderToStaticMarkup(createElement(KnowledgeListView, { data: await loadKnowledgeList(db, what, sp) }));

    const naks = await page("decisions", { kind: "nak" });
    expect(naks).toContain(`<form class="k-filter" action="/decisions/" method="get">`);
    expect(naks).toContain(`line 60 · trailer:nacked-by`);
    expect(naks).toMatch(/<option value="nak" selected="">nak<\/option>/);
    expect(naks).toContain(`<option value="changes-requested">changes-requested</option>`);
    expect(naks).toContain(`<option value="demo">demo</option>`);
    expect(naks).toMatch(/Decisions <span class="count">\(1\)<\/span>/);
    expect(naks).toMatch(/<span class="tag k-decision k-nak">nak<\/span>/);
    expect(naks).toContain(">95%<");
    expect(naks).toContain(`href="/demo/${NAK}/"`);
    expect(naks).toContain(`href="/demo/${V1_2_3}/"`);
    expect(naks).toContain(`href="/people/greta@kernel.example/"`);
    expect(naks).toContain(">2023-06-22<");
    expect(naks).toContain(`href="/api/decisions?kind=nak"`);

    const mira = await page("ideas", { person: "Mira@Kernel.example", list: "demo" });
    expect(mira).toContain(`value="Mira@Kernel.example"`);
    expect(mira).toMatch(/<option value="demo" selected="">demo<\/option>/);
    expect(mira).toContain(`ideas of <a href="/people/mira@kernel.example/">mira@kernel.example</a>`);
    expect(mira).not.toContain("greta@kernel.example");
    const rows = mira.match(/<tr data-id=/g) ?? [];
    expect(rows.length).toBe(Math.min(50, (await listIdeas(db, { person: "mira@kernel.example" }))!.total));

    // the pager's links keep the filters
    const { knowledgeListUrl } = await import("../../app/_lib/urls");
    expect(knowledgeListUrl("ideas", { kind: "rfc", person: "mira@kernel.example", list: "demo", page: 2 })).toBe("/ideas/?kind=rfc&person=mira%40kernel.example&list=demo&page=2");
    expect(knowledgeListUrl("decisions", { page: 1 })).toBe("/decisions/");
    const second = await loadKnowledgeList(db, "ideas", { person: "mira@kernel.example", page: "2" });
    expect(second.result).toMatchObject({ page: 2, pageSize: 50 });

    // what is typed comes back as text; a filter that cannot be used is said and dropped
    const hostile = await page("ideas", { person: `"><script>alert(1)</script>`, kind: "<b>x</b>", list: "demo" });
    expect(hostile).not.toMatch(/<script|<b>x/);
    expect(hostile).toContain("&lt;script&gt;");
    expect(hostile).toMatch(/is not an address/);
    expect(hostile).toMatch(/no kind “&lt;b&gt;x&lt;\/b&gt;”/);
    expect(await page("decisions", { list: "nosuchlist" })).toContain("no list named “nosuchlist”");

    // mail text is escaped: a quote carrying markup
    const { rows: [idea] } = await db.pool.query(`SELECT i.id, i.quote FROM idea i JOIN message m ON m.id = i.message_id WHERE m.msgid = $1 ORDER BY i.id LIMIT 1`, [RFC_COVER]);
    await db.pool.query(`UPDATE idea SET quote = $2 WHERE id = $1`, [idea.id, `<img src=x onerror=alert(1)> & "quoted"`]);
    try {
      const html = await page("ideas", { person: "mira@kernel.example", kind: "rfc" });
      expect(html).not.toContain("<img");
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;");
      expect(html).toContain(`href="/demo/${RFC_COVER}/"`);
    } finally {
      await db.pool.query(`UPDATE idea SET quote = $2 WHERE id = $1`, [idea.id, idea.quote]);
    }
  });

  it("the message page's Knowledge box shows the report, what it reports on, its figures and who cites it; the NAK and what it decides", async () => {
    const { createElement } = await import("react");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { KnowledgeView } = await import("../../app/_components/KnowledgeView");
    const html = async (msgid: string) => renderToStaticMarkup(createElement(KnowledgeView, { k: (await getMessageKnowledge(db, "demo", msgid))!, list: "demo" }));
    const report = await html(LKP);
    expect(report).toContain("vm-scalability.throughput +12.4% improvement");
    expect(report).toContain(`href="/demo/${V3_3_4}/"`);
    expect(report).toContain(`href="/series/${V3_COVER}/"`);
    expect(report).toContain(`href="/demo/${CITES}/"`);
    expect(report).toMatch(/<details class="k-monitors"><summary>\d+ monitor rows/);
    expect(report).toContain("lkp-subject · 95%");
    const nak = await html(NAK);
    expect(nak).toMatch(/<span class="tag k-decision k-nak">nak<\/span>/);
    expect(nak).toContain(`href="/demo/${V1_2_3}/"`);
    expect(nak).toContain("trailer:nacked-by");
    const rfc = await html(RFC_COVER);
    expect(rfc).toMatch(/<span class="tag k-idea k-rfc">rfc<\/span> batch LRU rotation with a per-node rotation queue: /);
  });

  it("stats count ideas, decisions, benchmarks, robot reports, proposals and runs", async () => {
    const s = await getStats(db);
    const count = async (t: string) => (await db.pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n;
    expect(s).toMatchObject({
      ideas: await count("idea"), decisions: await count("decision"), benchmarks: await count("benchmark"),
      robotReports: await count("robot_report"), proposals: await count("proposal"), runs: await count("run"),
    });
    expect(s.ideas).toBe(first.ideas.length);
    expect(s.robotReports).toBe(1);
  });

  it("search: is:decision, has:benchmark, is:merged", async () => {
    const decided = (await db.pool.query(`SELECT DISTINCT m.msgid FROM decision d JOIN message m ON m.id = d.message_id ORDER BY 1`)).rows.map((r) => r.msgid);
    expect(decided.sort()).toEqual([APPLIED_FIX, APPLIED_V3, NAK, RFC_ASK].sort());
    expect(await msgidsOf("is:decision")).toEqual(decided.sort());
    expect(await msgidsOf("is:decision f:greta")).toEqual([NAK]);

    const measured = (await db.pool.query(`SELECT DISTINCT m.msgid FROM benchmark b JOIN message m ON m.id = b.message_id`)).rows.map((r) => r.msgid).sort();
    expect(measured).toEqual(expect.arrayContaining([LKP, CLAIM, CITES]));
    expect(await msgidsOf("has:benchmark")).toEqual(measured);
    expect((await msgidsOf("has:benchmark -is:decision")).length).toBe(measured.length);

    // nothing is merged in the demo story until an upstream commit is matched to the fix
    expect(await msgidsOf("is:merged")).toEqual([]);
    const { rows: [fix] } = await db.pool.query(`SELECT id FROM message WHERE msgid = $1`, [FIX]);
    await db.pool.query(`INSERT INTO patch_commit (message_id, sha, method, score) VALUES ($1, '0123456789abcdef0123456789abcdef01234567', 'patch-id', 1)`, [fix.id]);
    expect(await msgidsOf("is:merged")).toEqual([FIX]);
    // a pr-tracker-bot style "merged" decision on the v3 series marks its posting merged
    const { rows: [v3] } = await db.pool.query(`SELECT id FROM series WHERE key = $1`, [V3_COVER]);
    await db.pool.query(`INSERT INTO decision (message_id, kind, method, confidence, series_id) SELECT id, 'merged', 'test', 1, $2 FROM message WHERE msgid = $1`, [APPLIED_V3, v3.id]);
    const v3msgs = (await db.pool.query(`SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id WHERE sp.series_id = $1 AND NOT sp.inherited`, [v3.id])).rows.map((r) => r.msgid);
    expect(await msgidsOf("is:merged")).toEqual([FIX, ...v3msgs].sort());
    await db.pool.query(`DELETE FROM decision WHERE kind = 'merged'`);
    await db.pool.query(`DELETE FROM patch_commit`);
  });
});

describe("a message rebuilt from quotes, then the real one", () => {
  let db2: TestDb;
  beforeAll(async () => {
    db2 = await createTestDb();
  });
  afterAll(async () => db2?.drop());

  it("keeps the knowledge of the real message only", async () => {
    const { storeBatch } = await import("./store");
    const { rows: [l] } = await db2.pool.query(`INSERT INTO list (name) VALUES ('t') RETURNING id`);
    const mk = (body: string) =>
      Buffer.from(`From: Ann <ann@example.org>\nSubject: Re: [PATCH] mm: foo\nMessage-ID: <r1@example.org>\nIn-Reply-To: <p1@example.org>\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\n${body}`);
    const ghost = mk("How about doing this in the caller instead?\n");
    await storeBatch(db2, { listId: l.id, sourceId: null }, { messages: [{ parsed: await parseMail(ghost), raw: ghost, ref: "q", recovery: "quote", reconstructed: true }] });
    const ideas = async () => (await db2.pool.query(`SELECT i.kind, i.summary FROM idea i JOIN message m ON m.id = i.message_id WHERE m.msgid = 'r1@example.org'`)).rows;
    expect(await ideas()).toEqual([{ kind: "alternative", summary: "How about doing this in the caller instead?" }]);
    const real = mk("Applied to mm-unstable, thanks.\n");
    await storeBatch(db2, { listId: l.id, sourceId: null }, { messages: [{ parsed: await parseMail(real), raw: real, ref: "r" }] });
    expect(await ideas()).toEqual([]);
    const { rows } = await db2.pool.query(`SELECT d.kind, d.target FROM decision d JOIN message m ON m.id = d.message_id WHERE m.msgid = 'r1@example.org'`);
    expect(rows).toEqual([{ kind: "applied", target: "mm-unstable" }]);
  });

  it("a robot report outside the patch's thread is linked by its 'patch link:', or by the commit it names", async () => {
    const { storeBatch } = await import("./store");
    const { rows: [l] } = await db2.pool.query(`SELECT id FROM list WHERE name = 't'`);
    const msg = (headers: string, body: string) => Buffer.from(`${headers}\nDate: Tue, 2 Jan 2024 10:00:00 +0000\n\n${body}`);
    const patch = (id: string, title: string) =>
      msg(
        `From: Ann <ann@example.org>\nSubject: [PATCH] ${title}\nMessage-ID: <${id}>`,
        `Fix it.\n\nSigned-off-by: Ann <ann@example.org>\n---\n drivers/mmc/foo.c | 1 +\n 1 file changed, 1 insertion(+)\n\ndiff --git a/drivers/mmc/foo.c b/drivers/mmc/foo.c\nindex 1111111..2222222 100644\n--- a/drivers/mmc/foo.c\n+++ b/drivers/mmc/foo.c\n@@ -1,2 +1,3 @@\n a\n+b\n c\n`,
      );
    const build = msg(
      `From: kernel test robot <lkp@intel.com>\nSubject: drivers/mmc/foo.c:2:5: warning: unused variable 'x'\nMessage-ID: <202401021000.abc-lkp@intel.com>`,
      `Hi Ann,\n\nkernel test robot noticed the following build warnings:\n\n[auto build test WARNING on linus/master]\n\nbase:   linus/master\npatch link:    https://lore.kernel.org/r/p1%40example.org\npatch subject: [PATCH] mmc: foo: fix bar\n\nAll warnings (new ones prefixed by >>):\n\n>> drivers/mmc/foo.c:2:5: warning: unused variable 'x'\n`,
    );
    const perf = msg(
      `From: kernel test robot <oliver.sang@intel.com>\nSubject: [linux-next:master] [mmc]  0123456789: fio.read_iops 12.0% improvement\nMessage-ID: <202401021100.def-lkp@intel.com>`,
      `Hello,\n\nkernel test robot noticed a 12.0% improvement of fio.read_iops on:\n\ncommit: 0123456789abcdef0123456789abcdef01234567 ("mmc: foo: speed up")\n`,
    );
    const items = [["p1@example.org", patch("p1@example.org", "mmc: foo: fix bar")], ["p2@example.org", patch("p2@example.org", "mmc: foo: speed up")], ["b", build], ["f", perf]] as const;
    for (const [ref, raw] of items) await storeBatch(db2, { listId: l.id, sourceId: null }, { messages: [{ parsed: await parseMail(raw), raw, ref }] });
    const { dirtyThreads, runPasses } = await import("../passes/index");
    await runPasses(db2, { threadIds: await dirtyThreads(db2) });
    await linkKnowledge(db2.pool);
    const link = async (msgid: string) => (await getMessageKnowledge(db2, "t", msgid))!.report!;
    const b = await link("202401021000.abc-lkp@intel.com");
    expect(b).toMatchObject({ kind: "build-warning", patchMsgid: "p1@example.org" });
    expect(b.target).toMatchObject({ method: "patch-link", patch: { msgid: "p1@example.org" }, series: { key: "p1@example.org" } });
    const f = await link("202401021100.def-lkp@intel.com");
    expect(f).toMatchObject({ kind: "performance", suite: "fio", metric: "read_iops", change: 12 });
    expect(f.target).toMatchObject({ method: "none" });
    // `commits import` matched p2 to the commit the report names: the next link pass finds it
    await db2.pool.query(
      `INSERT INTO patch_commit (message_id, sha, method, score) SELECT id, '0123456789abcdef0123456789abcdef01234567', 'patch-id', 1 FROM message WHERE msgid = 'p2@example.org'`,
    );
    await linkKnowledge(db2.pool, { all: true });
    expect((await link("202401021100.def-lkp@intel.com")).target).toMatchObject({ method: "commit", commit: "0123456789abcdef0123456789abcdef01234567", patch: { msgid: "p2@example.org" }, series: { key: "p2@example.org" } });
  });
});
