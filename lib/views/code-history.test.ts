// Code history on the demo corpus (ingest/demo/README.md): files, functions, hunks anchored like the
// patch page, review comments at those lines, series grouped by proposal, decisions, and the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { getCode, getCodeDirectory, getCodeHistory, resolveCode, type CodeHistory } from "./code-history";
import { getPatch } from "./series";
import { handleApi, splitApiPath } from "../api/router";

const DEMO = path.join(import.meta.dirname, "..", "..", "ingest", "demo", "demo.mbox");
const RFC = (n: number) => `20230412081500.48213-${n}-mira@kernel.example`;
const V1 = (n: number) => `20230620071000.91127-${n}-mira@kernel.example`;
const v2 = (n: number) => `20230412-rotation-queue-v2-${n}-6a1f0c2e9d3b@kernel.example`;
const v3 = (n: number) => `20230412-rotation-queue-v3-${n}-b18e4f7a2c90@kernel.example`;

let db: Awaited<ReturnType<typeof createTestDb>>;

beforeAll(async () => {
  db = await createTestDb();
  const s = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(s.inserted).toBe(58);
});
afterAll(async () => {
  await db?.drop();
});

const patchesOf = (h: CodeHistory) => h.groups.flatMap((g) => g.series.flatMap((s) => s.patches));
const api = async (p: string) => {
  const { segments, query } = splitApiPath(p);
  return handleApi(db, segments, query) as Promise<{ status: number; json: any }>;
};

describe("paths", () => {
  it("resolves the longest known file prefix, then one function segment", async () => {
    expect(await resolveCode(db, ["mm", "vmscan.c"])).toEqual({ kind: "file", path: "mm/vmscan.c", function: null });
    expect(await resolveCode(db, ["mm", "vmscan.c", "shrink_folio_list"])).toEqual({ kind: "file", path: "mm/vmscan.c", function: "shrink_folio_list" });
    expect(await resolveCode(db, ["Documentation", "admin-guide"])).toEqual({ kind: "dir", prefix: "Documentation/admin-guide" });
    expect(await resolveCode(db, ["mm", "vmscan.c", "a", "b"])).toBeNull();
  });

  it("lists directories with counts", async () => {
    const top = await getCodeDirectory(db, "");
    expect(top!.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(["dir:Documentation", "dir:include", "dir:mm"]);
    expect(top!.totals).toEqual({ files: 8, patches: 14 });
    const mm = await getCodeDirectory(db, "mm");
    expect(mm!.entries.map((e) => e.name)).toEqual(["Makefile", "rotation.c", "swap.c", "vmscan.c"]);
    const vmscan = mm!.entries.find((e) => e.name === "vmscan.c")!;
    // RFC 2/2, v1 2/3, v2 3/4, v3 3/4
    expect(vmscan).toMatchObject({ kind: "file", path: "mm/vmscan.c", patches: 4, files: 1 });
    expect(vmscan.comments).toBeGreaterThanOrEqual(4); // #11 (2 hunks) and #19 (2 hunks)
    expect(await getCodeDirectory(db, "nope")).toBeNull();
  });
});

describe("a file", () => {
  it("gives every patch that touched it, oldest series first, hunks anchored like the patch page", async () => {
    const h = (await getCodeHistory(db, "mm/vmscan.c"))!;
    expect(patchesOf(h).map((p) => p.msgid)).toEqual([RFC(3), V1(3), v2(3), v3(3)]);
    expect(h.counts).toMatchObject({ patches: 4, series: 4 });
    const dates = h.groups.map((g) => g.firstDate!);
    expect([...dates].sort()).toEqual(dates);
    // the anchors point at the same file and hunk on the patch page
    for (const p of patchesOf(h)) {
      const view = (await getPatch(db, p.msgid))!;
      for (const hk of p.hunks) {
        const f = view.diff.files[hk.file - 1];
        expect(f.path).toBe("mm/vmscan.c");
        expect(f.hunks[hk.hunk - 1]).toMatchObject({ oldStart: hk.oldStart, newStart: hk.newStart, heading: hk.heading });
      }
    }
    expect(h.functions.map((f) => f.name)).toEqual(expect.arrayContaining(["shrink_folio_list", "shrink_inactive_list"]));
  });

  it("finds functions defined inside added text (a new file has no hunk headings)", async () => {
    const h = (await getCodeHistory(db, "mm/rotation.c"))!;
    const rfc = patchesOf(h).find((p) => p.msgid === RFC(2))!;
    expect(rfc.status).toBe("added");
    expect(rfc.hunks[0].heading).toBe("");
    expect(rfc.hunks[0].functions).toEqual(expect.arrayContaining(["rotation_queue_init", "rotate_one", "rotation_queue_add"]));
  });
});

describe("a function", () => {
  it("keeps the hunks and review comments in that function only", async () => {
    const h = (await getCode(db, ["mm", "vmscan.c", "shrink_folio_list"])) as CodeHistory;
    expect(h.function).toBe("shrink_folio_list");
    const ps = patchesOf(h);
    expect(ps.map((p) => p.msgid)).toEqual([RFC(3), V1(3), v2(3), v3(3)]);
    // RFC 2/2: both hunks are in shrink_folio_list, and #11 comments on both
    const rfc = ps[0];
    expect(rfc.hunks.map((x) => x.header)).toEqual([
      "@@ -79,13 +80,9 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,",
      "@@ -104,6 +101,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,",
    ]);
    expect(rfc.comments.map((c) => c.by.name)).toEqual(["Daniel Okafor", "Daniel Okafor"]);
    for (const c of ps.flatMap((p) => p.comments)) expect(c.function).toBe("shrink_folio_list");
    // v1 2/3: the NAK's comment on shrink_inactive_list is not here
    expect(ps[1].hunks.map((x) => x.oldStart)).toEqual([79]);
    expect(ps[1].comments.map((c) => c.by.name)).toEqual(["Greta Lindqvist"]);

    const other = (await getCodeHistory(db, "mm/vmscan.c", { function: "shrink_inactive_list" }))!;
    const v1 = patchesOf(other).find((p) => p.msgid === V1(3))!;
    expect(v1.hunks.map((x) => x.oldStart)).toEqual([154]);
    expect(v1.comments).toHaveLength(1);
    expect(v1.comments[0]).toMatchObject({ function: "shrink_inactive_list", by: { address: "greta@kernel.example" }, hunk: v1.hunks[0].hunk });
    expect(v1.comments[0].confidence).toBeGreaterThan(0);
  });

  it("finds a function that only one version had, with the comment on it", async () => {
    const h = (await getCodeHistory(db, "mm/rotation.c", { function: "rotate_one" }))!;
    expect(patchesOf(h).map((p) => p.msgid)).toEqual([RFC(2)]);
    const comments = patchesOf(h)[0].comments;
    expect(comments).toHaveLength(1);
    expect(comments[0].text).toMatch(/lru_lock/);
  });

  it("groups series of one proposal together and shows their decisions", async () => {
    // a proposal over the RFC and v1, and a NAK decision on v1 2/3 (as the proposals and decisions passes write them)
    await db.pool.query(`DELETE FROM proposal_member; DELETE FROM proposal; DELETE FROM decision`);
    const { rows: [p] } = await db.pool.query(`INSERT INTO proposal (key, title, status) VALUES ('test-rotq', 'rotation queue', 'open') RETURNING id`);
    await db.pool.query(
      `INSERT INTO proposal_member (proposal_id, ref, series_id, role, method, confidence)
       SELECT $1, 'series:' || s.id, s.id, 'version', 'version-line', 0.9 FROM series s WHERE s.key = ANY($2::text[])`,
      [p.id, [RFC(1), V1(1)]],
    );
    await db.pool.query(
      `INSERT INTO decision (message_id, kind, quote, method, confidence, series_id, patch_message_id)
       SELECT m.id, 'nak', 'Nacked-by: Greta Lindqvist', 'trailer', 1, s.id, pm.id
       FROM message m, series s, message pm WHERE m.msgid = '20230622064519.GB31877@kernel.example' AND s.key = $1 AND pm.msgid = $2`,
      [V1(1), V1(3)],
    );
    const h = (await getCodeHistory(db, "mm/vmscan.c"))!;
    expect(h.groups[0].proposal).toMatchObject({ id: p.id, title: "rotation queue", method: "version-line", confidence: 0.9 });
    expect(h.groups[0].series.map((s) => s.key)).toEqual([RFC(1), V1(1)]);
    expect(h.groups[0].series[1].decisions).toEqual([expect.objectContaining({ kind: "nak", method: "trailer", confidence: 1, patchMsgid: V1(3) })]);
    expect(h.groups.slice(1).every((g) => g.proposal === null)).toBe(true);
    expect(h.counts).toMatchObject({ proposals: 1, decisions: 1 });
  });
});

describe("API", () => {
  it("answers /api/code/<file>/<function>, ?function=, directories, and 404s", async () => {
    const a = await api("/api/code/mm/vmscan.c/shrink_folio_list");
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ kind: "file", path: "mm/vmscan.c", function: "shrink_folio_list" });
    const b = await api("/api/code/mm/vmscan.c?function=shrink_folio_list");
    expect(b.json).toEqual(a.json);
    const d = await api("/api/code/mm");
    expect(d.json).toMatchObject({ kind: "dir", prefix: "mm" });
    expect((await api("/api/code/")).json).toMatchObject({ kind: "dir", prefix: "" });
    const none = await api("/api/code/mm/vmscan.c/no_such_function");
    expect(none.status).toBe(404);
    expect(none.json.functions).toContain("shrink_folio_list");
    expect((await api("/api/code/no/such/dir")).status).toBe(404);
    expect((await api("/api/code/mm/vmscan.c/a/b")).status).toBe(404);
    // (a URL normalizes ".." away; the segments as the route handler could still receive them)
    expect((await handleApi(db, ["code", "mm", "..", "etc"], new URLSearchParams())).status).toBe(400);
    expect((await api("/api/code/?function=x")).status).toBe(400);
  });
});
