// Runs and curation on a real (throwaway) PostgreSQL with the demo corpus and its derived
// proposals: importing runs through the CLI's function and through the API with a token (the
// guard included), what is stored and audited, and every curation action with its audit entry
// (before/after) and how it survives re-deriving the proposals.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "./db";
import { ingestSource } from "../ingest/pipeline";
import { DEMO_MBOX } from "../ingest/serve";
import { DEMO_RUN, importDemoRuns, runsImportCommand, runsListCommand, type Io } from "../ingest/runs-cli";
import { deriveProposals } from "../lib/passes/proposals";
import { handleApi } from "../lib/api/router";
import { search } from "../lib/views/search";
import { findWriteRoute, type ApiWriteRoute } from "../lib/api/writes";
import { requireWriterWith, type Writer } from "../lib/auth/guard";
import { createToken, createUser, type User } from "../lib/auth/store";
import { listRuns, runsForProposal } from "../lib/views/runs";
import { addMember, CurationError, mergeProposals, removeMember, renameProposal, setDecisionStatus, setIdeaStatus, splitProposal } from "../lib/db/curation";
import { listAudit, loadCurationView } from "../lib/views/curation";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const V3_PATCH2 = "20230412-rotation-queue-v3-2-b18e4f7a2c90@kernel.example";
const RFC = "20230412081500.48213-1-mira@kernel.example";
const FIX = "20250114093000.11842-1-priya.raman@example.com";
const TOPIC = "Z6CqN3xT1bVh8Rk2@kernel.example";
const SECRET = "s".repeat(40);

let db: TestDb;
let dir: string;
let ann: User;
let runsToken: string;
let curateToken: string;
/** proposal ids by key */
const P: Record<string, number> = {};

function io(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (s) => void lines.push(s), err: (s) => void errors.push(s) };
}

async function proposalIds() {
  const { rows } = await db.pool.query(`SELECT id, key FROM proposal`);
  for (const r of rows) P[r.key] = r.id;
}

async function members(id: number): Promise<Record<string, string>> {
  const { rows } = await db.pool.query(`SELECT ref, state FROM proposal_member WHERE proposal_id = $1 ORDER BY id`, [id]);
  return Object.fromEntries(rows.map((r) => [r.ref, r.state]));
}

/** A write through the API as the route handler does it: the guard (token, scope), then the route. */
async function apiWrite(method: string, url: string, token: string | null, body: unknown, contentType = "application/json") {
  const u = new URL(url, "http://patchlore.test");
  const segments = u.pathname.replace(/^\/api\//, "").split("/").filter(Boolean).map(decodeURIComponent);
  const route = findWriteRoute(method, segments);
  if (!route || route === "wrong-method") throw new Error(`no route ${method} ${url}`);
  const req = new Request(u, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const w = await requireWriterWith({ db, secret: SECRET }, req, route.scope);
  if (w instanceof Response) return { status: w.status, json: await w.json() };
  const r = await (route as ApiWriteRoute).handle({ db, writer: w as Writer, segments, body, query: u.searchParams, contentType });
  return { status: r.status, json: "json" in r ? (r.json as any) : null };
}

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "runs-test-"));
  await ingestSource(db, DEMO_MBOX, { list: "demo", workers: 0 });
  await deriveProposals(db.pool);
  await proposalIds();
  ann = await createUser(db, { email: "ann@example.org", name: "Ann Curator", password: "correct horse battery" });
  runsToken = (await createToken(db, ann.id, { name: "bench", scopes: ["runs:write"], expiresInMs: null })).token;
  curateToken = (await createToken(db, ann.id, { name: "curate", scopes: ["curate"], expiresInMs: null })).token;
}, 120_000);

afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("runs import from the command line", () => {
  it("attaches the demo run to the proposal holding the v3 series, audits it, and a second import stores nothing", async () => {
    const rotation = P[RFC];
    expect(rotation).toBeTypeOf("number");
    const o = io();
    expect(await runsImportCommand(db, DEMO_RUN, { proposal: `<${V3}>`, user: "ann@example.org" }, o)).toBe(0);
    expect(o.errors).toEqual([]);
    expect(o.lines).toEqual([expect.stringMatching(new RegExp(`^proposal ${rotation}: stored 3 runs: baseline \\(#\\d+\\), RFC \\(#\\d+\\), v3 \\(#\\d+\\)$`))]);
    const { rows } = await db.pool.query(`SELECT proposal_id, series_id, tool, tool_version, label, created_by, source_name, series->0->>'metric' AS metric FROM run ORDER BY id`);
    expect(rows).toEqual(
      ["baseline", "RFC", "v3"].map((label) => ({ proposal_id: rotation, series_id: null, tool: "rotsim", tool_version: "0.4.1", label, created_by: ann.id, source_name: "run.json", metric: "reclaim throughput" })),
    );
    const audit = await listAudit(db, { targetKind: "proposal", targetId: String(rotation) });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "run.import", user: { id: ann.id, name: "Ann Curator" }, before: null, after: { via: "cli", source: "run.json", unchanged: [] } });
    expect((audit[0].after as any).runs.map((r: any) => r.label)).toEqual(["baseline", "RFC", "v3"]);

    const again = io();
    expect(await runsImportCommand(db, DEMO_RUN, { proposal: String(rotation) }, again)).toBe(0);
    expect(again.lines).toEqual([`proposal ${rotation}: stored 0 runs; 3 already stored (baseline, RFC, v3)`]);
    expect((await listRuns(db)).length).toBe(3);
    expect(await listAudit(db, { targetKind: "proposal", targetId: String(rotation) })).toHaveLength(1);
    // npm start's demo import: the same documents for the same proposal are already there
    expect(await importDemoRuns(db)).toBe(0); // the runs are the same documents for the same proposal: unchanged
    expect(await importDemoRuns(db)).toBe(0);
    expect((await listRuns(db)).length).toBe(3);

    const list = io();
    expect(await runsListCommand(db, { proposal: RFC }, list)).toBe(0);
    expect(list.lines).toHaveLength(3);
    expect(list.lines[2]).toMatch(new RegExp(`^#\\d+  v3  rotsim 0.4.1  proposal ${rotation}  lruvec lock contentions=2402811, reclaim throughput at 64 threads=24.6 GB/s, reclaim throughput vs threads \\(7 points\\), lruvec lock hold time vs threads \\(7 points\\)$`));
  });

  it("CSV to a series and to a patch; the proposal page collects runs of its series and patches", async () => {
    const csv = path.join(dir, "bench.csv");
    fs.writeFileSync(csv, "# tool: will-it-scale\n# version: 2.1\nlabel,threads,ops (Mops/s) [higher]\nv2,1,3.1\nv2,8,20.5\n");
    const o = io();
    expect(await runsImportCommand(db, csv, { series: V3 }, o)).toBe(0);
    expect(o.lines[0]).toMatch(new RegExp(`^series <${V3}>: stored 1 run: v2 \\(#\\d+\\)$`));
    const p = io();
    expect(await runsImportCommand(db, csv, { patch: V3_PATCH2, json: true }, p)).toBe(0);
    const out = JSON.parse(p.lines.join("\n"));
    expect(out[0].target).toEqual({ kind: "patch", id: V3_PATCH2, label: `patch <${V3_PATCH2}>` });
    expect(out[0].runs[0]).toMatchObject({ label: "v2", tool: "will-it-scale", patchMsgid: V3_PATCH2, series: [{ parameter: "threads", metric: "ops", unit: "Mops/s", better: "higher", points: [[1, 3.1], [8, 20.5]] }] });
    const all = await runsForProposal(db, P[RFC]);
    expect(all.map((r) => [r.label, r.proposalId !== null, r.seriesKey, r.patchMsgid])).toEqual([
      ["baseline", true, null, null],
      ["RFC", true, null, null],
      ["v3", true, null, null],
      ["v2", false, V3, null],
      ["v2", false, null, V3_PATCH2],
    ]);
    expect(await runsForProposal(db, P[FIX])).toEqual([]);
    // has:run finds the patches and cover letters runs are attached to (directly, by series, by proposal)
    const found = await search(db, { q: "has:run", limit: 200 });
    const { rows: expected } = await db.pool.query(
      `SELECT m.msgid FROM series_patch sp JOIN message m ON m.id = sp.message_id
        WHERE sp.series_id IN (SELECT series_id FROM proposal_member WHERE proposal_id = $1 AND state <> 'removed')`,
      [P[RFC]],
    );
    expect(found.hits.map((h) => h.msgid).sort()).toEqual(expected.map((r) => r.msgid).sort());
    expect(found.hits.map((h) => h.msgid)).toContain(V3_PATCH2);
    expect((await search(db, { q: "has:run", limit: 200 })).total).toBe(expected.length);
    const audit = await handleApi(db, ["audit"], new URLSearchParams({ target: `series:${V3}` }));
    expect(((audit as any).json).entries.map((e: any) => [e.action, e.user])).toEqual([["run.import", null]]);
  });

  it("exits 2 with one line per problem, and for targets that do not exist", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ tool: "x", label: "", series: [{ parameter: "t", metric: "m", points: [[1, 2], [1, 3]] }], extra: 1 }));
    const o = io();
    expect(await runsImportCommand(db, bad, { proposal: "1" }, o)).toBe(2);
    expect(o.errors).toEqual([`${bad}: label: label must not be empty`, `${bad}: unknown field "extra"`]);
    const cases: [Parameters<typeof runsImportCommand>[2], string][] = [
      [{ proposal: "9999" }, "patchlore: no proposal 9999 (give a proposal id, or a series key or Message-ID of one of its members)"],
      [{ proposal: "nobody@nowhere" }, "patchlore: no proposal nobody@nowhere (give a proposal id, or a series key or Message-ID of one of its members)"],
      [{ series: "nope@x" }, "patchlore: no series nope@x (give a series key: its cover letter's Message-ID, or a patch's)"],
      [{ patch: V3 }, `patchlore: no patch <${V3}> (give the Message-ID of a message that carries a patch)`],
      [{ series: V3, patch: V3_PATCH2 }, "patchlore: give one of --proposal, --series, --patch"],
      [{}, 'patchlore: no target for the run "baseline": give --proposal, --series or --patch (?proposal=, ?series=, ?patch= over the API), or "target" in the file'],
      [{ proposal: "1", user: "nobody@example.org" }, "patchlore: no user nobody@example.org (patchlore users list)"],
    ];
    const noTarget = path.join(dir, "no-target.json");
    fs.writeFileSync(noTarget, JSON.stringify({ tool: "x", label: "baseline", metrics: { m: 1 } }));
    for (const [flags, message] of cases) {
      const e = io();
      expect(await runsImportCommand(db, noTarget, flags, e), message).toBe(2);
      expect(e.errors).toEqual([message]);
    }
    const missing = io();
    expect(await runsImportCommand(db, path.join(dir, "missing.json"), { proposal: "1" }, missing)).toBe(2);
    expect(missing.errors[0]).toMatch(/cannot read .*missing\.json: ENOENT/);
    expect((await listRuns(db)).length).toBe(5);
  });
});

describe("runs through the API", () => {
  it("POST /api/runs with a runs:write token: JSON or CSV, 201, audited with the user; GET /api/runs answers them", async () => {
    const r = await apiWrite("POST", `/api/runs?proposal=${P[FIX]}`, runsToken, { tool: "fio", label: "fix", metrics: { iops: { value: 12000, better: "higher" } } });
    expect(r.status).toBe(201);
    expect(r.json.imported[0].target).toEqual({ kind: "proposal", id: String(P[FIX]), label: `proposal ${P[FIX]}` });
    expect(r.json.imported[0].runs[0]).toMatchObject({ label: "fix", tool: "fio", createdBy: { id: ann.id, name: "Ann Curator" } });
    const csv = await apiWrite("POST", `/api/runs?patch=${encodeURIComponent(FIX)}&name=ci.csv`, runsToken, "# tool: t\nlabel,x,y\na,1,2\n", "text/csv");
    expect(csv.status).toBe(201);
    expect(csv.json.imported[0].runs[0].sourceName).toBe("ci.csv");
    const again = await apiWrite("POST", `/api/runs?patch=${encodeURIComponent(FIX)}`, runsToken, "# tool: t\nlabel,x,y\na,1,2\n", "text/csv");
    expect(again.status).toBe(200);
    expect(again.json.imported[0].runs).toEqual([]);
    expect(again.json.imported[0].unchanged).toHaveLength(1);
    const got = await handleApi(db, ["runs"], new URLSearchParams({ proposal: String(P[FIX]) }));
    expect(got.status).toBe(200);
    expect(((got as any).json).runs.map((x: any) => x.label)).toEqual(["fix", "a"]);
    const audit = await handleApi(db, ["audit"], new URLSearchParams({ target: `proposal:${P[FIX]}` }));
    expect(((audit as any).json).entries[0]).toMatchObject({ action: "run.import", user: { id: ann.id }, after: { via: "api-token" } });
  });

  it("refuses: no token (401), a token without runs:write (403), a bad document (400 listing the problems), a missing target (404)", async () => {
    expect((await apiWrite("POST", "/api/runs?proposal=1", null, {})).status).toBe(401);
    const wrongScope = await apiWrite("POST", "/api/runs?proposal=1", curateToken, {});
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.json.detail).toMatch(/runs:write/);
    const bad = await apiWrite("POST", "/api/runs?proposal=1", runsToken, { tool: "x", label: "l", metrics: { m: "fast" }, series: [{ parameter: "t", metric: "m", points: [[1]] }] });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      error: "bad request",
      detail: "the run file has 2 problems",
      problems: [
        { path: "metrics.m", message: 'a metric is a number or {"value": N, "unit": "...", "better": "higher"|"lower"}' },
        { path: "series[0].points[0]", message: "a point is [x, y]: two numbers" },
      ],
    });
    const badCsv = await apiWrite("POST", "/api/runs?proposal=1", runsToken, "# tool: t\nlabel,x,y\na,one,2\n", "text/csv");
    expect(badCsv.json.problems).toEqual([{ path: 'line 3, column "x"', message: '"one" is not a number' }]);
    expect((await apiWrite("POST", "/api/runs?proposal=1&series=x", runsToken, { tool: "x", label: "l", metrics: { m: 1 } })).json.detail).toBe("give one of proposal=, series=, patch=");
    const missing = await apiWrite("POST", "/api/runs?series=nope%40x", runsToken, { tool: "x", label: "l", metrics: { m: 1 } });
    expect(missing).toEqual({ status: 404, json: { error: "not found", detail: "no series nope@x (give a series key: its cover letter's Message-ID, or a patch's)" } });
    expect((await apiWrite("POST", "/api/runs?series=x", runsToken, undefined)).status).toBe(400);
    expect((await handleApi(db, ["runs"], new URLSearchParams({ proposal: "9999" }))).status).toBe(404);
    expect((await handleApi(db, ["audit"], new URLSearchParams({ target: "everything" }))).status).toBe(400);
  });
});

describe("curation", () => {
  const me = () => ({ userId: ann.id });

  it("renames: custom title set, derived title kept, audited with before and after; an empty title goes back", async () => {
    const id = P[RFC];
    const r = await apiWrite("POST", `/api/proposals/${id}/rename`, curateToken, { title: "  Rotation\nqueue for LRU reclaim " });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ changed: true, proposal: { id, customTitle: "Rotation queue for LRU reclaim", title: "mm/vmscan: batch LRU rotation with a per-node rotation queue" } });
    const [e] = await listAudit(db, { targetKind: "proposal", targetId: String(id), limit: 1 });
    expect(e).toMatchObject({
      action: "proposal.rename",
      user: { id: ann.id, name: "Ann Curator" },
      before: { title: "mm/vmscan: batch LRU rotation with a per-node rotation queue", customTitle: null },
      after: { customTitle: "Rotation queue for LRU reclaim" },
    });
    expect(Date.now() - Date.parse(e.createdAt)).toBeLessThan(60_000);
    expect((await renameProposal(db, me(), id, "Rotation queue for LRU reclaim")).changed).toBe(false);
    // re-deriving keeps the curated title
    await deriveProposals(db.pool);
    expect((await db.pool.query(`SELECT custom_title FROM proposal WHERE id = $1`, [id])).rows[0].custom_title).toBe("Rotation queue for LRU reclaim");
    expect((await apiWrite("POST", `/api/proposals/${id}/rename`, curateToken, { title: "x".repeat(301) })).json.detail).toBe("the title is longer than 300 characters");
    expect((await apiWrite("POST", `/api/proposals/${id}/rename`, curateToken, { name: "x" })).json.detail).toMatch(/unknown field "name"/);
    expect((await apiWrite("POST", `/api/proposals/9999/rename`, curateToken, { title: "x" })).status).toBe(404);
    expect((await apiWrite("POST", `/api/proposals/${id}/rename`, runsToken, { title: "x" })).status).toBe(403);
  });

  it("removes a member (kept as removed: re-deriving does not add it back) and adds it back", async () => {
    const id = P[RFC];
    const lkp = Object.keys(await members(id)).find((r) => r.startsWith("message:"))!;
    expect(lkp).toBeDefined();
    const r = await apiWrite("POST", `/api/proposals/${id}/members`, curateToken, { remove: lkp });
    expect(r).toEqual({ status: 200, json: { proposal: id, ref: lkp, state: "removed" } });
    await deriveProposals(db.pool);
    expect((await members(id))[lkp]).toBe("removed");
    const [e] = await listAudit(db, { targetKind: "proposal", targetId: String(id), limit: 1 });
    expect(e).toMatchObject({ action: "member.remove", before: { ref: lkp, state: "auto", role: "report" }, after: { ref: lkp, state: "removed" } });
    expect((await apiWrite("POST", `/api/proposals/${id}/members`, curateToken, { remove: lkp })).status).toBe(404);
    // back, by Message-ID (the LKP report is no series and no thread root: a message member)
    const back = await addMember(db, me(), id, "<202403051432.7c1d9e0f-lkp@intel.example>");
    expect(back).toEqual({ ref: lkp, state: "added" });
    expect((await members(id))[lkp]).toBe("added");
    await expect(addMember(db, me(), id, lkp)).rejects.toMatchObject({ status: 409 });
    expect((await apiWrite("POST", `/api/proposals/${id}/members`, curateToken, { add: "x", remove: "y" })).status).toBe(400);
    expect((await apiWrite("POST", `/api/proposals/${id}/members`, curateToken, { add: "no-such@x" })).json.detail).toBe("no series or message <no-such@x>");
  });

  it("merges: members, runs and links move; the merged proposal points to the other; both audited; re-deriving keeps it", async () => {
    const into = P[RFC];
    const from = P[TOPIC];
    const fromMembers = await members(from);
    expect(Object.keys(fromMembers)).toEqual(["thread:7"]);
    await db.pool.query(`INSERT INTO run (proposal_id, tool, label, document) VALUES ($1, 'x', 'topic', '{}')`, [from]);
    const r = await apiWrite("POST", `/api/proposals/${into}/merge`, curateToken, { from: [from] });
    expect(r.status).toBe(200);
    expect(r.json.merged).toEqual([from]);
    expect((await members(into))["thread:7"]).toBe("added");
    expect(await members(from)).toEqual({ "thread:7": "removed" });
    expect((await db.pool.query(`SELECT merged_into_id FROM proposal WHERE id = $1`, [from])).rows[0].merged_into_id).toBe(into);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM run WHERE proposal_id = $1`, [from])).rows[0].n).toBe(0);
    const [e] = await listAudit(db, { targetKind: "proposal", targetId: String(into), limit: 1 });
    expect(e.action).toBe("proposal.merge");
    expect((e.before as any).from[0]).toMatchObject({ id: from, members: [{ ref: "thread:7", state: "auto" }] });
    expect((e.after as any).into.members.map((m: any) => m.ref)).toContain("thread:7");
    const [f] = await listAudit(db, { targetKind: "proposal", targetId: String(from), limit: 1 });
    expect(f).toMatchObject({ action: "proposal.merge", after: { mergedInto: into } });
    // a run imported for the merged proposal goes to the one it was merged into
    const o = io();
    expect(await runsImportCommand(db, DEMO_RUN, { proposal: String(from) }, o)).toBe(0);
    expect(o.lines[0]).toMatch(new RegExp(`^proposal ${into}: stored 0 runs; 3 already stored`));
    await deriveProposals(db.pool);
    expect((await db.pool.query(`SELECT merged_into_id FROM proposal WHERE id = $1`, [from])).rows[0].merged_into_id).toBe(into);
    expect((await members(into))["thread:7"]).toBe("added");
    expect(await members(from)).toEqual({ "thread:7": "removed" });
    // refusals
    await expect(mergeProposals(db, me(), into, [from])).rejects.toMatchObject({ status: 409 });
    await expect(mergeProposals(db, me(), into, [into])).rejects.toMatchObject({ status: 400 });
    expect((await apiWrite("POST", `/api/proposals/${into}/merge`, curateToken, { from: ["a"] })).json.detail).toBe('from holds proposal ids (positive integers), not "a"');
    await expect(renameProposal(db, me(), from, "x")).rejects.toThrow(`proposal ${from} was merged into proposal ${into}; curate that one`);
  });

  it("splits members off into a new proposal, audited on both; re-deriving leaves them there", async () => {
    const id = P[RFC];
    const before = await members(id);
    const r = await apiWrite("POST", `/api/proposals/${id}/split`, curateToken, { members: ["thread:7", `<${RFC}>`], title: "The RFC and the topic" });
    expect(r.status).toBe(201);
    const created = r.json.created.id as number;
    expect(await members(created)).toEqual({ "thread:7": "added", "series:1": "added" });
    const after = await members(id);
    expect(after["thread:7"]).toBe("removed");
    expect(after["series:1"]).toBe("removed");
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const p = (await db.pool.query(`SELECT title, custom_title, first_date, details FROM proposal WHERE id = $1`, [created])).rows[0];
    expect(p).toMatchObject({ title: "The RFC and the topic", custom_title: "The RFC and the topic", details: { splitFrom: id, curated: true } });
    expect(p.first_date.toISOString()).toBe("2023-04-12T08:15:00.000Z");
    const [e] = await listAudit(db, { targetKind: "proposal", targetId: String(id), limit: 1 });
    expect(e).toMatchObject({ action: "proposal.split", after: { splitInto: { id: created, title: "The RFC and the topic", members: ["series:1", "thread:7"].sort() } } });
    expect((e.before as any).members.map((m: any) => m.ref)).toContain("series:1");
    const [n] = await listAudit(db, { targetKind: "proposal", targetId: String(created) });
    expect(n).toMatchObject({ action: "proposal.split", before: null, after: { splitFrom: id } });
    await deriveProposals(db.pool);
    expect(await members(created)).toEqual({ "thread:7": "added", "series:1": "added" });
    expect((await members(id))["series:1"]).toBe("removed");
    // refusals: not a member, nothing left behind, no title
    expect((await apiWrite("POST", `/api/proposals/${id}/split`, curateToken, { members: ["series:5"], title: "x" })).json).toEqual({ error: "not found", detail: `series:5 is not a member of proposal ${id}` });
    expect((await apiWrite("POST", `/api/proposals/${created}/split`, curateToken, { members: ["series:1", "thread:7"], title: "x" })).status).toBe(400);
    expect((await apiWrite("POST", `/api/proposals/${id}/split`, curateToken, { members: [] })).json.problems).toHaveLength(2);
  });

  it("confirms and rejects ideas and decisions: status, curated_by, curated_at, audited; the curation view shows them", async () => {
    const msg = (await db.pool.query(`SELECT id FROM message WHERE msgid = 'ZDf2k9Qm1Rt7vXbN@kernel.example'`)).rows[0].id;
    const idea = (await db.pool.query(`INSERT INTO idea (message_id, kind, summary, quote, first_line, last_line, method, confidence) VALUES ($1, 'alternative', 'a per-cpu queue', 'How about', 9999, 9999, 'test', 0.6) RETURNING id`, [msg])).rows[0].id;
    const dec = (await db.pool.query(`INSERT INTO decision (message_id, kind, target, method, confidence, series_id) VALUES (NULL, 'applied', 'mm-unstable', 'reply', 0.9, 4) RETURNING id`)).rows[0].id;
    const r = await apiWrite("POST", `/api/ideas/${idea}/status`, curateToken, { status: "rejected" });
    expect(r).toEqual({ status: 200, json: { id: idea, status: "rejected", changed: true } });
    const row = (await db.pool.query(`SELECT status, curated_by, curated_at FROM idea WHERE id = $1`, [idea])).rows[0];
    expect(row.status).toBe("rejected");
    expect(row.curated_by).toBe(ann.id);
    expect(Date.now() - row.curated_at.getTime()).toBeLessThan(60_000);
    const [e] = await listAudit(db, { targetKind: "idea", targetId: String(idea) });
    expect(e).toMatchObject({ action: "idea.reject", before: { status: "detected", curatedBy: null }, after: { status: "rejected", curatedBy: ann.id } });
    expect(await setIdeaStatus(db, me(), idea, "rejected")).toEqual({ id: idea, status: "rejected", changed: false });
    expect(await setDecisionStatus(db, me(), dec, "confirmed")).toEqual({ id: dec, status: "confirmed", changed: true });
    expect((await listAudit(db, { targetKind: "decision", targetId: String(dec) }))[0].action).toBe("decision.confirm");
    expect((await apiWrite("POST", `/api/decisions/${dec}/status`, curateToken, { status: "maybe" })).json.detail).toBe("status is one of confirmed, rejected");
    expect((await apiWrite("POST", `/api/ideas/99999/status`, curateToken, { status: "confirmed" })).status).toBe(404);
    await expect(setIdeaStatus(db, me(), idea, "detected")).rejects.toBeInstanceOf(CurationError);

    // the RFC thread's idea is the split-off proposal's now; the v3 decision stays with the rotation proposal
    const split = (await db.pool.query(`SELECT id FROM proposal WHERE details ? 'splitFrom'`)).rows[0].id;
    const v = (await loadCurationView(db, split))!;
    // (the ingest may have detected ideas and decisions of its own: ours are found among them)
    expect(v.ideas.find((i) => i.id === idea)).toEqual({ id: idea, kind: "alternative", text: "a per-cpu queue", status: "rejected", msgid: "ZDf2k9Qm1Rt7vXbN@kernel.example", curatedBy: "Ann Curator", curatedAt: expect.any(String) });
    expect(v.audit.map((a) => a.action)).toEqual(["idea.reject", "proposal.split"]);
    const rot = (await loadCurationView(db, P[RFC]))!;
    const mine = rot.decisions.find((d) => d.id === dec)!;
    expect([mine.status, mine.text, mine.curatedBy]).toEqual(["confirmed", "mm-unstable", "Ann Curator"]);
    expect(rot.ideas.some((i) => i.id === idea)).toBe(false);
    expect(rot.members.at(-1)!.state).toBe("removed"); // removed ones listed last
    expect(rot.audit.map((a) => a.action)).toEqual(["decision.confirm", "proposal.split", "proposal.merge", "member.add", "member.remove", "proposal.rename", "run.import"]);
    const api = await handleApi(db, ["audit"], new URLSearchParams({ target: `proposal:${P[RFC]}`, l: "2" }));
    expect(((api as any).json).entries.map((x: any) => x.action)).toEqual(["proposal.split", "proposal.merge"]);
  });
});
