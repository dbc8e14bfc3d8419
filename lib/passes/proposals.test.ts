// Proposals on a real (throwaway) PostgreSQL, from the demo corpus (ingest/demo/demo.mbox: RFC →
// v1 (NAKed) → v2 → v3 applied, an LKP report, a follow-up fix a year later closing a bug report
// that is not in the archive, an LSF/MM topic revisiting the design), ingested by the real
// pipeline; then later mail, incremental derivation, and curation surviving re-derivation.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mboxrd } from "../export/mbox";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { deriveProposals } from "./proposals";
import { getProposal, listProposals, type ProposalDetail } from "../views/proposals";
import { mergeProposals, removeMember, renameProposal } from "../db/curation";
import { handleApi } from "../api/router";

const DEMO = path.resolve(import.meta.dirname, "../../ingest/demo/demo.mbox");
const RFC = "20230412081500.48213-1-mira@kernel.example";
const V1 = "20230620071000.91127-1-mira@kernel.example";
const V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const FIX = "20250114093000.11842-1-priya.raman@example.com";
const LSF = "Z6CqN3xT1bVh8Rk2@kernel.example";
const BUG = "CAJ8vXk2Rm5Qn0pL7tH3wE9yB4cZ6uF1dA8s@mail.example.com";
const LKP = "202403051432.7c1d9e0f-lkp@intel.example";

let db: Awaited<ReturnType<typeof createTestDb>>;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "proposals-test-"));
  const r = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(r.inserted).toBe(58);
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const q = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;
const idOfKey = async (key: string) => (await q(`SELECT id FROM proposal WHERE key = $1`, [key]))[0]?.id as number | undefined;
const detail = async (id: number) => {
  const p = await getProposal(db, id);
  if (!p || "redirect" in p) throw new Error(`no proposal ${id}`);
  return p as ProposalDetail;
};
/** every proposal as key -> sorted "ref role method state" (ids of members are stable refs) */
async function snapshot(): Promise<Record<string, string[]>> {
  const rows = await q(
    `SELECT p.key, pm.ref, pm.role, pm.method, pm.state, pm.series_id, s.key AS skey FROM proposal p JOIN proposal_member pm ON pm.proposal_id = p.id
     LEFT JOIN series s ON s.id = pm.series_id ORDER BY p.key, pm.ref`,
  );
  const out: Record<string, string[]> = {};
  for (const r of rows) (out[r.key] ??= []).push(`${r.skey ?? r.ref} ${r.role} ${r.method} ${r.state}`);
  for (const k of Object.keys(out)) out[k].sort();
  return out;
}

function mail(h: Record<string, string>, body: string): string {
  return [...Object.entries(h).map(([k, v]) => `${k}: ${v}`), "List-Id: <demo.lists.patchlore.example>", "", body].join("\n");
}
function mbox(name: string, mails: string[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, mboxrd(mails.map((m) => Buffer.from(m))));
  return p;
}

describe("the demo corpus", () => {
  it("is one proposal from the RFC to v3, keyed by the RFC, applied, with the LKP report in it", async () => {
    const id = await idOfKey(RFC);
    expect(id).toBeDefined();
    const members = await q(
      `SELECT pm.ref, pm.role, pm.method, pm.confidence, pm.evidence, s.key FROM proposal_member pm LEFT JOIN series s ON s.id = pm.series_id
       WHERE pm.proposal_id = $1 ORDER BY s.date NULLS LAST, pm.ref`,
      [id],
    );
    expect(members.filter((m) => m.key).map((m) => [m.key, m.role, m.method])).toEqual([
      [RFC, "rfc", "version-line"],
      [V1, "version", "version-line"],
      [V2, "version", "version-line"],
      [V3, "version", "version-line"],
    ]);
    // every later version says how it joined: the change-id version link
    expect(members.filter((m) => m.key && m.key !== RFC).map((m) => m.evidence.link)).toEqual(["change-id", "change-id", "change-id"]);
    const report = members.find((m) => m.role === "report");
    expect(report).toMatchObject({ method: "in-thread", evidence: { msgid: LKP } });
    // no other series: the fix and the topic are proposals of their own
    expect(members).toHaveLength(5);
    const [p] = await q(`SELECT title, status, first_date, last_date, details FROM proposal WHERE id = $1`, [id]);
    expect(p.title).toBe("mm/vmscan: batch LRU rotation with a per-node rotation queue");
    expect(p.status).toBe("applied");
    expect(p.first_date.toISOString()).toBe("2023-04-12T08:15:00.000Z");
    // the last mail of its threads: Daniel's answer to the report
    expect(p.last_date.toISOString()).toBe("2024-03-06T02:04:51.000Z");
    expect(p.details).toMatchObject({ postings: 4, versions: 3, seed: "series", lists: ["demo"] });
  });

  it("the follow-up fix is its own proposal: the bug report it Closes: is in it, and it succeeds the feature by its Fixes:", async () => {
    const fix = await idOfKey(FIX);
    const main = await idOfKey(RFC);
    const members = await q(`SELECT ref, role, method, evidence FROM proposal_member WHERE proposal_id = $1 ORDER BY ref`, [fix]);
    expect(members.map((m) => [m.ref.split(":")[0], m.role, m.method])).toEqual([
      ["series", "version", "version-line"],
      ["thread", "reference", "link-trailer"],
    ]);
    expect(members[1].evidence).toMatchObject({ trailer: "Closes", rootMsgid: BUG, fromMsgid: FIX });
    const [link] = await q(`SELECT kind, method, confidence, evidence FROM proposal_link WHERE from_id = $1 AND to_id = $2`, [main, fix]);
    expect(link).toMatchObject({ kind: "successor", method: "fixes", confidence: 0.75 });
    expect(link.evidence).toMatchObject({ commit: "20f6b5ac6e03", subject: "mm: add a per-node rotation queue", matchedBy: "subject" });
    // the same functions changed: more evidence on the same link
    expect(link.evidence.similarity.functions).toEqual(["mm/rotation.c::rotation_queue_add", "mm/rotation.c::rotation_queue_setup"]);
    expect((await q(`SELECT status FROM proposal WHERE id = $1`, [fix]))[0].status).toBe("applied");
  });

  it("the LSF/MM topic is a topic proposal, the successor of the design by the functions it names", async () => {
    const topic = await idOfKey(LSF);
    const main = await idOfKey(RFC);
    const [p] = await q(`SELECT title, status, details FROM proposal WHERE id = $1`, [topic]);
    expect(p).toMatchObject({ title: "Rotation queue: bounding queue time and per-memcg queues", status: "open" });
    expect(p.details.seed).toBe("thread");
    const [link] = await q(`SELECT kind, method, evidence FROM proposal_link WHERE from_id = $1 AND to_id = $2`, [main, topic]);
    expect(link).toMatchObject({ kind: "successor", method: "shared-code" });
    expect(link.evidence).toMatchObject({ mentioned: true, functions: ["shrink_folio_list", "folio_rotate_reclaimable"] });
    expect(await q(`SELECT count(*)::int AS n FROM proposal`)).toEqual([{ n: 3 }]);
  });

  it("the proposal's page data: timeline across years, versions, people, code, ideas, benchmarks, decision, related", async () => {
    const p = await detail((await idOfKey(RFC))!);
    // RFC → versions → reviews → decision → report, in date order
    const kinds = p.timeline.map((t) => `${t.date!.slice(0, 4)} ${t.kind} ${t.tag}`);
    expect(kinds.filter((k) => / (rfc|version) /.test(k))).toEqual(["2023 rfc RFC", "2023 version v1", "2023 version v2", "2024 version v3"]);
    expect(kinds).toContain("2023 review nak");
    expect(kinds).toContain("2024 decision applied");
    expect(kinds).toContain("2024 report performance");
    expect(kinds.indexOf("2024 decision applied")).toBeGreaterThan(kinds.indexOf("2024 version v3"));
    expect(p.timeline.map((t) => t.date)).toEqual([...p.timeline.map((t) => t.date)].sort());
    expect(p.contributors.proposers).toEqual([{ name: "Mira Kovacs", address: "mira@kernel.example", postings: 4 }]);
    const greta = p.contributors.reviewers.find((r) => r.address === "greta@kernel.example")!;
    expect(greta.verdicts.map((v) => v.verdict)).toContain("nak");
    expect(greta.verdicts.map((v) => v.verdict)).toContain("review");
    // code: files -> functions -> hunks, with the versions that changed them
    const vmscan = p.code.files.find((f) => f.path === "mm/vmscan.c")!;
    expect(vmscan.versions).toEqual(["RFC", "v1", "v2", "v3"]);
    const sfl = vmscan.functions.find((f) => f.name === "shrink_folio_list")!;
    expect(sfl.hunks.map((h) => h.version)).toEqual(expect.arrayContaining(["RFC", "v1", "v2", "v3"]));
    expect(sfl.hunks[0]).toMatchObject({ list: "demo", file: expect.any(Number), hunk: expect.any(Number) });
    expect(p.code.files.find((f) => f.path === "mm/swap.c")!.functions.map((f) => f.name)).toEqual(["folio_rotate_reclaimable"]);
    // ideas: the RFC discussion's, what the patches propose and the problems they state, with where they were said
    expect(new Set(p.ideas.map((i) => i.kind))).toEqual(new Set(["rfc", "question", "alternative", "objection", "proposal", "concern"]));
    const objection = p.ideas.find((i) => i.kind === "objection" && i.who.address === "greta@kernel.example")!;
    expect(objection.msgid).toBe("20230414090742.GA20581@kernel.example");
    expect(objection.firstLine).toBeGreaterThan(0);
    // the benchmark from the LKP report
    const tput = p.benchmarks.find((b) => b.msgid === LKP && b.change === 12.4)!;
    expect(tput).toMatchObject({ suite: "vm-scalability", direction: "improvement" });
    expect(p.reports).toEqual([expect.objectContaining({ msgid: LKP, kind: "performance", change: 12.4 })]);
    // the decision and its reasons
    const applied = p.decisions.find((d) => d.kind === "applied")!;
    expect(applied).toMatchObject({ msgid: "20240220164218.9c3e1b7a5d2f8e40@example.org", series: { key: V3, label: "v3" } });
    expect(applied.quote).toContain("Applied to mm-unstable");
    const nak = p.decisions.find((d) => d.kind === "nak")!;
    expect(nak.series).toEqual({ key: V1, label: "v1" });
    expect(nak.reason).toBeTruthy();
    expect(p.statusBecause).toMatchObject({ messageId: expect.any(Number) });
    expect(p.related.map((r) => [r.relation, r.title, r.method])).toEqual([
      ["successor", "mm/rotation: drain the rotation queue when a node goes offline", "fixes"],
      ["successor", "Rotation queue: bounding queue time and per-memcg queues", "shared-code"],
    ]);
    // the fix sees the feature as its predecessor
    const fix = await detail((await idOfKey(FIX))!);
    expect(fix.related.map((r) => [r.relation, r.id])).toEqual([["predecessor", p.id]]);
    expect(fix.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(["reference", "version", "decision"]));
  });

  it("lists and serves them: /api/proposals and /api/proposals/<id>/", async () => {
    const all = await listProposals(db, {});
    expect(all.total).toBe(3);
    expect(all.items.map((p) => p.key)).toEqual([LSF, FIX, RFC]); // latest activity first
    expect((await listProposals(db, { q: "rotation per-node" })).items.map((p) => p.key)).toEqual([RFC]);
    expect((await listProposals(db, { status: "applied" })).total).toBe(2);
    expect((await listProposals(db, { list: "nope" })).total).toBe(0);
    const main = all.items.find((p) => p.key === RFC)!;
    expect(main).toMatchObject({ status: "applied", postings: 4, versions: 3, authors: [{ name: "Mira Kovacs", address: "mira@kernel.example" }] });
    const r = await handleApi(db, ["proposals"], new URLSearchParams("q=drain"));
    expect(r.status).toBe(200);
    expect((r as { json: { items: { key: string }[] } }).json.items.map((p) => p.key)).toEqual([FIX]);
    const one = await handleApi(db, ["proposals", String(main.id)], new URLSearchParams());
    expect(one.status).toBe(200);
    expect((one as { json: ProposalDetail }).json.timeline.length).toBeGreaterThan(10);
    expect((await handleApi(db, ["proposals", "999999"], new URLSearchParams())).status).toBe(404);
    expect((await handleApi(db, ["proposals", "abc"], new URLSearchParams())).status).toBe(404);
  });

  it("re-deriving changes nothing: same rows, same ids", async () => {
    const before = await q(`SELECT id, key, title, status FROM proposal ORDER BY id`);
    const snap = await snapshot();
    const r = await deriveProposals(db.pool);
    expect(r).toMatchObject({ mode: "full", proposals: 3, created: 0, deleted: 0 });
    expect(await q(`SELECT id, key, title, status FROM proposal ORDER BY id`)).toEqual(before);
    expect(await snapshot()).toEqual(snap);
  });
});

describe("later mail", () => {
  it("a v4 joins the line and a thread naming v3 joins as a discussion; incremental derivation rebuilds what they touch", async () => {
    const v4 = "20240601-rotation-queue-v4-0-c0ffee000000@kernel.example";
    const talk = "talk-1@example.net";
    const file = mbox("later.mbox", [
      mail(
        { From: "Mira Kovacs <mira@kernel.example>", Subject: "[PATCH v4 0/1] mm/vmscan: batch LRU rotation with a per-node rotation queue", Date: "Sat, 1 Jun 2024 10:00:00 +0200", "Message-ID": `<${v4}>` },
        "A small follow-up of v3.\n\nChanges in v4:\n- rotate_batch() takes the lock once\n\n---\nchange-id: 20230412-rotation-queue-1a2b3c4d5e6f\n",
      ),
      mail(
        {
          From: "Mira Kovacs <mira@kernel.example>", Subject: "[PATCH v4 1/1] mm/rotation: take the lock once per batch", Date: "Sat, 1 Jun 2024 10:00:01 +0200",
          "Message-ID": "<20240601-rotation-queue-v4-1-c0ffee000000@kernel.example>", "In-Reply-To": `<${v4}>`, References: `<${v4}>`,
        },
        "Take it once.\n\nSigned-off-by: Mira Kovacs <mira@kernel.example>\n---\n mm/rotation.c | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n" +
          "diff --git a/mm/rotation.c b/mm/rotation.c\nindex 1111111..2222222 100644\n--- a/mm/rotation.c\n+++ b/mm/rotation.c\n@@ -10,3 +10,3 @@ static void rotate_batch(struct list_head *batch)\n {\n-\tlock();\n+\tlock_once();\n }\n",
      ),
      mail(
        { From: "Sam Reader <sam@example.net>", Subject: "Question about the rotation queue on big machines", Date: "Mon, 3 Jun 2024 09:00:00 +0000", "Message-ID": `<${talk}>` },
        `Hi,\n\nafter the series at https://lore.kernel.org/r/${V3} we see more kswapd time.\nIs that expected?\n\nSam\n`,
      ),
    ]);
    const main = (await idOfKey(RFC))!;
    const r = await ingestSource(db, file, { list: "demo", workers: 0 });
    expect(r.inserted).toBe(3);
    // the same proposal (same id), one more version, and the thread that talks about it
    const p = await detail(main);
    expect(p.members.filter((m) => m.series).map((m) => m.series!.key)).toEqual([RFC, V1, V2, V3, v4]);
    const t = p.members.find((m) => m.role === "discussion")!;
    expect(t).toMatchObject({ method: "body-ref", msgid: talk, evidence: { toMsgid: V3 } });
    expect(p.timeline.map((x) => x.kind)).toContain("discussion");
    expect(p.lastDate).toBe("2024-06-03T09:00:00.000Z");
    expect((await q(`SELECT count(*)::int AS n FROM proposal`))[0].n).toBe(3);

    // incremental: drop the proposal, then derive only from the talk thread: its closure rebuilds it
    const full = await snapshot();
    await q(`DELETE FROM proposal WHERE id = $1`, [main]);
    const [{ thread_id }] = await q(`SELECT thread_id FROM message WHERE msgid = $1`, [talk]);
    const inc = await deriveProposals(db.pool, { threadIds: [thread_id], fullShare: 1 });
    expect(inc.mode).toBe("incremental");
    expect(inc.created).toBe(1);
    expect(await snapshot()).toEqual(full);
    // and its links to the others came back
    const back = await detail((await idOfKey(RFC))!);
    expect(back.related.map((x) => x.method).sort()).toEqual(["fixes", "shared-code"]);
    // a thread that changes nothing rebuilds nothing new
    const again = await deriveProposals(db.pool, { threadIds: [thread_id], fullShare: 1 });
    expect(again).toMatchObject({ mode: "incremental", created: 0, deleted: 0 });
    expect(await snapshot()).toEqual(full);
  });
});

describe("curation survives derivation", () => {
  it("a custom title, a removed member and a merge stay as the curator left them", async () => {
    const actor = { userId: null };
    const main = (await idOfKey(RFC))!;
    const topic = (await idOfKey(LSF))!;
    const fix = (await idOfKey(FIX))!;
    await renameProposal(db, actor, main, "Per-node rotation queue");
    const [v1] = await q(`SELECT ref FROM proposal_member pm JOIN series s ON s.id = pm.series_id WHERE pm.proposal_id = $1 AND s.key = $2`, [main, V1]);
    await removeMember(db, actor, main, v1.ref);
    await mergeProposals(db, actor, main, [topic]);

    await deriveProposals(db.pool);
    await deriveProposals(db.pool, { threadIds: (await q(`SELECT id FROM thread`)).map((r) => r.id), fullShare: 1 });

    const [p] = await q(`SELECT title, custom_title FROM proposal WHERE id = $1`, [main]);
    expect(p).toEqual({ title: "mm/vmscan: batch LRU rotation with a per-node rotation queue", custom_title: "Per-node rotation queue" });
    const states = await q(`SELECT ref, state FROM proposal_member WHERE proposal_id = $1 ORDER BY ref`, [main]);
    expect(states.find((m) => m.ref === v1.ref)!.state).toBe("removed");
    // the topic stays merged: its thread is in the proposal it was merged into, its page redirects
    expect((await q(`SELECT merged_into_id FROM proposal WHERE id = $1`, [topic]))[0].merged_into_id).toBe(main);
    const topicThread = states.find((m) => m.ref.startsWith("thread:") && m.state === "added");
    expect(topicThread).toBeDefined();
    expect(await getProposal(db, topic)).toEqual({ redirect: main });
    expect((await q(`SELECT state FROM proposal_member WHERE proposal_id = $1`, [topic])).map((m) => m.state)).toEqual(["removed"]);
    // the list shows the custom title and leaves the merged-away proposal out
    const list = await listProposals(db, {});
    expect(list.items.map((x) => [x.id, x.title])).toEqual([
      [main, "Per-node rotation queue"],
      [fix, "mm/rotation: drain the rotation queue when a node goes offline"],
    ]);
  });
});
