// `related` on a real database: the demo corpus (ingest/demo: the rotation-queue series, RFC to
// v3, reviews and a NAK) plus competitors written here — a later patch on another function of
// mm/vmscan.c, a patch on another file with a function of the same name, a reviewer's inline
// diff — then the API (POST /api/related, ?format=md on messages and reviews) and the CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mboxrd } from "../export/mbox";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { findRelated } from "./related";
import { handleApi } from "../api/router";
import { relatedApi } from "../api/related";
import { parseMarkdown } from "../markdown/stringify";
import { mdCommand, relatedCommand, type Io } from "../../ingest/markdown-cli";

const DEMO = path.join(import.meta.dirname, "..", "..", "ingest", "demo", "demo.mbox");
const BASE = "https://pl.example";
const V1 = "20230620071000.91127-1-mira@kernel.example";
const V1_2 = "20230620071000.91127-3-mira@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const V3_3 = "20230412-rotation-queue-v3-3-b18e4f7a2c90@kernel.example";
const NAK = "20230622064519.GB31877@kernel.example";

let db: Awaited<ReturnType<typeof createTestDb>>;
let dir: string;

/** One mbox entry (lib/export/mbox). */
const mail = (h: Record<string, string>, body: string) =>
  mboxrd([Buffer.from(Object.entries(h).map(([k, v]) => `${k}: ${v}`).join("\n") + "\n\n" + body)]).toString();

const OTHER_FUNCTION = mail(
  { From: "Olaf Other <olaf@example.org>", Date: "Mon, 3 Mar 2025 10:00:00 +0000", "Message-ID": "<shrink-node-1@example.org>", Subject: "[PATCH] mm/vmscan: count skipped nodes in shrink_node" },
  `Count them.

Signed-off-by: Olaf Other <olaf@example.org>
---
 mm/vmscan.c | 1 +
 1 file changed, 1 insertion(+)

diff --git a/mm/vmscan.c b/mm/vmscan.c
index 1111111..2222222 100644
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -400,6 +400,7 @@ static void shrink_node(pg_data_t *pgdat, struct scan_control *sc)
 	unsigned long nr_reclaimed;
 	bool reclaimable = false;
 
+	sc->nr_skipped++;
 	memset(&sc->nr, 0, sizeof(sc->nr));
 	nr_reclaimed = sc->nr_reclaimed;
 	target_lruvec = mem_cgroup_lruvec(sc->target_mem_cgroup, pgdat);
-- 
2.39.2
`,
);
const OTHER_FILE = mail(
  { From: "Olaf Other <olaf@example.org>", Date: "Tue, 4 Mar 2025 10:00:00 +0000", "Message-ID": "<compaction-1@example.org>", Subject: "[PATCH] mm/compaction: a shrink_folio_list of its own" },
  `Same name, other file.

Signed-off-by: Olaf Other <olaf@example.org>
---
diff --git a/mm/compaction.c b/mm/compaction.c
index 3333333..4444444 100644
--- a/mm/compaction.c
+++ b/mm/compaction.c
@@ -70,6 +70,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,
 	list_for_each_entry_safe(folio, next, folio_list, lru) {
 		if (folio_needs_rotation(folio, sc)) {
 			list_del(&folio->lru);
+			sc->nr_rotated += folio_nr_pages(folio);
 			continue;
 		}
 	}
-- 
2.39.2
`,
);

// a change inside shrink_folio_list as v3 left it (v3 3/4 rewrote lines 67-81 of the new file)
const DIFF = `diff --git a/mm/vmscan.c b/mm/vmscan.c
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -70,7 +70,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,
 	list_for_each_entry_safe(folio, next, folio_list, lru) {
 		if (folio_needs_rotation(folio, sc)) {
 			list_del(&folio->lru);
-			sc->nr_rotated += folio_nr_pages(folio);
+			sc->nr_rotated += folio_nr_pages(folio) * 2;
 			rotation_queue_add(folio);
 			continue;
 		}
`;

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "related-test-"));
  const demo = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(demo.inserted).toBe(58);
  fs.writeFileSync(path.join(dir, "extra.mbox"), OTHER_FUNCTION + OTHER_FILE);
  const extra = await ingestSource(db, path.join(dir, "extra.mbox"), { list: "demo", workers: 0 });
  expect(extra.inserted).toBe(2);
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("findRelated on the demo corpus", () => {
  it("ranks the rotation-queue series first for a change inside shrink_folio_list, with its versions and reasons", async () => {
    const r = await findRelated(db, DIFF, { baseUrl: BASE, now: new Date("2025-06-01T00:00:00Z") });
    expect(r.query.files).toEqual([{ path: "mm/vmscan.c", functions: ["shrink_folio_list"], hunks: ["-70,7 +70,7"] }]);
    // every stored patch on mm/vmscan.c: RFC 2/2, v1 2/3, v2 3/4, v3 3/4 and Olaf's
    expect(r.candidates).toBe(5);
    const [top, ...rest] = r.items;
    expect(top.kind).toBe("series");
    expect(top.key).toBe(V3);
    expect(top.title).toBe("mm/vmscan: batch LRU rotation with a per-node rotation queue");
    expect(top.versions!.map((v) => `${v.isRfc ? "RFC " : ""}v${v.version}`)).toEqual(["RFC v1", "v1", "v2", "v3"]);
    expect(top.reasons[0]).toMatchObject({ kind: "function", file: "mm/vmscan.c", function: "shrink_folio_list" });
    expect(top.reasons.map((x) => x.kind)).toContain("lines");
    expect(top.patches!.map((p) => p.msgid)).toContain(V3_3);
    expect(top.urls).toEqual({ page: `${BASE}/series/${V3}/`, review: `${BASE}/series/${V3}/review/`, api: `${BASE}/api/series/${encodeURIComponent(V3)}/` });
    // the reviews it had: v1 NAKed by Greta (a veto), trailers collected along the way
    expect(top.reviews!.naks.some((n) => n.msgid === NAK && n.by.name === "Greta Lindqvist" && n.version === "v1")).toBe(true);
    expect(top.reviews!.trailers.find((t) => t.kind === "Reviewed-by")!.people).toEqual(expect.arrayContaining(["Greta Lindqvist", "Priya Raman"]));
    expect(top.reviews!.discussions).toBeGreaterThan(0);
    // Olaf's later patch on another function of the same file comes after, on the file alone
    const olaf = rest.find((i) => i.title.includes("shrink_node"))!;
    expect(olaf).toMatchObject({ kind: "series" });
    expect(olaf.reasons.map((x) => x.kind)).toEqual(["file"]);
    expect(olaf.score).toBeLessThan(top.score);
    // the same function name in another file is no match
    expect(r.items.some((i) => i.title.includes("compaction"))).toBe(false);
  });

  it("finds the follow-up fix for a change in rotation_queue_add, and the queue's introduction", async () => {
    const d = `--- a/mm/rotation.c
+++ b/mm/rotation.c
@@ -120,4 +120,5 @@ void rotation_queue_add(struct folio *folio)
 	spin_lock(&rq->lock);
 	list_add_tail(&folio->lru, &rq->folios);
+	rq->nr++;
 	spin_unlock(&rq->lock);
`;
    const r = await findRelated(db, d, { baseUrl: BASE });
    const titles = r.items.map((i) => i.title);
    expect(titles).toContain("mm/rotation: drain the rotation queue when a node goes offline");
    expect(titles).toContain("mm/vmscan: batch LRU rotation with a per-node rotation queue");
    const fix = r.items.find((i) => i.title.startsWith("mm/rotation: drain"))!;
    expect(fix.reasons.map((x) => x.text)).toContain("same function rotation_queue_add() in mm/rotation.c");
  });

  it("shows a proposal holding the series, and an applied decision as a tie-breaker", async () => {
    const { rows: [s] } = await db.pool.query(`SELECT id FROM series WHERE key = $1`, [V3]);
    const { rows: [p] } = await db.pool.query(
      `INSERT INTO proposal (key, title, status) VALUES ('rq-proposal', 'Rotation queue', 'merged') RETURNING id`,
    );
    await db.pool.query(`INSERT INTO proposal_member (proposal_id, ref, series_id, role, method, confidence) VALUES ($1, $2, $3, 'version', 'curated', 1)`, [p.id, `series:${s.id}`, s.id]);
    await db.pool.query(`INSERT INTO decision (kind, target, method, confidence, series_id) VALUES ('applied', 'mm-unstable', 'curated', 1, $1)`, [s.id]);
    try {
      const r = await findRelated(db, DIFF, { baseUrl: BASE });
      expect(r.items[0].key).toBe(V3);
      expect(r.items[0].reviews!.decisions).toContainEqual({ kind: "applied", target: "mm-unstable", msgid: null });
      // proposals holding the series follow it (the derive pass may have found one of its own)
      const mine = r.items.findIndex((i) => i.kind === "proposal" && i.id === p.id);
      expect(r.items[mine]).toMatchObject({ title: "Rotation queue", status: "merged", members: [V3], urls: { page: `${BASE}/proposals/${p.id}/` } });
      expect(r.items.slice(1, mine + 1).every((i) => i.kind === "proposal")).toBe(true);
      expect(r.items[mine].score).toBeLessThan(r.items[0].score);
    } finally {
      await db.pool.query(`DELETE FROM decision WHERE series_id = $1`, [s.id]);
      await db.pool.query(`DELETE FROM proposal WHERE id = $1`, [p.id]);
    }
  });
});

describe("API", () => {
  const q = (o: Record<string, string> = {}) => new URLSearchParams(o);

  it("POST /api/related: JSON with a Markdown summary, or only the Markdown", async () => {
    const r = await relatedApi(db, Buffer.from(DIFF), "text/x-diff", q(), { origin: "http://127.0.0.1:3000" });
    expect(r.status).toBe(200);
    const body = (r as { json: { items: { key?: string }[]; markdown: string } }).json;
    expect(body.items[0].key).toBe(V3);
    expect(body.markdown).toContain("### Related earlier work");
    const md = await relatedApi(db, Buffer.from(DIFF), "text/plain; charset=utf-8", q({ format: "md", limit: "1" }), { origin: "http://127.0.0.1:3000" });
    expect(md).toMatchObject({ status: 200, contentType: "text/markdown; charset=utf-8" });
    const text = (md as { body: Buffer }).body.toString("utf8");
    const table = parseMarkdown(text).children.find((n) => n.type === "table") as { children: unknown[] };
    expect(table.children).toHaveLength(2); // the header and the one item asked for
    expect(text).toContain(`(http://127.0.0.1:3000/series/${V3}/)`);
  });

  it("POST /api/related: clear 400s and 415s", async () => {
    const err = async (body: string, type: string | null, query = q()) => {
      const r = await relatedApi(db, Buffer.from(body), type, query);
      return [r.status, (r as { json: { detail: string } }).json.detail] as const;
    };
    expect(await err("", "text/x-diff")).toEqual([400, expect.stringMatching(/body is empty/)]);
    expect(await err("hello, this is prose", "text/plain")).toEqual([400, expect.stringMatching(/no diff found/)]);
    expect(await err(DIFF, "application/json")).toEqual([415, expect.stringMatching(/text\/x-diff/)]);
    expect(await err(DIFF, "text/x-diff", q({ limit: "0" }))).toEqual([400, expect.stringMatching(/limit/)]);
    expect(await err(DIFF, "text/x-diff", q({ format: "xml" }))).toEqual([400, expect.stringMatching(/unknown format "xml"/)]);
    expect((await handleApi(db, ["related"], q())).status).toBe(405);
  });

  it("?format=md on a message, a patch review and a series review", async () => {
    const m = await handleApi(db, ["demo", NAK], q({ format: "md" }), { origin: "https://x.example" });
    expect(m).toMatchObject({ status: 200, contentType: "text/markdown; charset=utf-8" });
    const md = (m as { body: Buffer }).body.toString("utf8");
    expect(md).toContain("### Re: \\[PATCH 2/3] mm/vmscan: batch LRU rotation through the rotation");
    expect(md).toContain(`[\`<${NAK}>\`](https://x.example/demo/${NAK}/)`);
    expect(md).toMatch(/^> /m);
    expect(md).toContain("Nacked-by: Greta Lindqvist");
    expect((await handleApi(db, ["demo", NAK], q({ format: "pdf" }))).status).toBe(400);
    expect((await handleApi(db, ["demo", NAK], q())) as { json: { msgid: string } }).toMatchObject({ status: 200, json: { msgid: NAK } });

    const pr = await handleApi(db, ["demo", V1_2, "review"], q({ format: "md" }), { origin: "https://x.example" });
    expect(pr).toMatchObject({ status: 200, contentType: "text/markdown; charset=utf-8" });
    const prMd = (pr as { body: Buffer }).body.toString("utf8");
    expect(prMd).toContain("**Verdict:** ❌ **NAK** by Greta Lindqvist — a NAK is a veto");
    expect(prMd).toContain("```diff");
    const sr = await handleApi(db, ["series", V1, "review"], q({ format: "md" }), { origin: "https://x.example" });
    expect((sr as { body: Buffer }).body.toString("utf8")).toContain(`## Review: [mm/vmscan: batch LRU rotation with a per-node rotation queue (v1)](https://x.example/series/${V1}/review/)`);
  });
});

describe("CLI", () => {
  const io = () => {
    const o = { out: "", err: [] as string[] };
    const x: Io = { out: (s) => void (o.out += s), err: (s) => void o.err.push(s) };
    return { o, x };
  };
  const withDb = <T,>(fn: (d: typeof db) => Promise<T>) => fn(db);

  it("patchlore md: a message, a review, clear errors", async () => {
    const a = io();
    expect(await mdCommand(db, `<${NAK}>`, { baseUrl: BASE }, a.x)).toBe(0);
    expect(a.o.out).toContain(`(${BASE}/demo/${NAK}/)`);
    const b = io();
    expect(await mdCommand(db, V1, { review: true, baseUrl: BASE }, b.x)).toBe(0);
    expect(b.o.out).toContain("## Review: [mm/vmscan: batch LRU rotation with a per-node rotation queue (v1)]");
    const c = io();
    expect(await mdCommand(db, "nope@example.org", {}, c.x)).toBe(2);
    expect(c.o.err).toEqual(["patchlore md: no message <nope@example.org>"]);
    const d = io();
    expect(await mdCommand(db, NAK, { baseUrl: "ftp://x" }, d.x)).toBe(2);
    expect(d.o.err[0]).toMatch(/^patchlore md: not an http\(s\) URL/);
  });

  it("patchlore related: text, --md, --json; exit 2 with one line for bad input", async () => {
    const file = path.join(dir, "change.diff");
    fs.writeFileSync(file, DIFF);
    const t = io();
    expect(await relatedCommand(withDb, file, { baseUrl: BASE }, t.x)).toBe(0);
    expect(t.o.out).toMatch(/^ 1\. +\d+\.\d\d {2}series: mm\/vmscan: batch LRU rotation with a per-node rotation queue \[RFC v1, v1, v2, v3\]$/m);
    expect(t.o.out).toContain("- same function shrink_folio_list() in mm/vmscan.c");
    const m = io();
    expect(await relatedCommand(withDb, "-", { md: true, baseUrl: BASE, limit: "2" }, m.x, () => Buffer.from(DIFF))).toBe(0);
    expect(m.o.out.startsWith("### Related earlier work\n")).toBe(true);
    const j = io();
    expect(await relatedCommand(withDb, file, { json: true, baseUrl: BASE }, j.x)).toBe(0);
    expect(JSON.parse(j.o.out).items[0].key).toBe(V3);
    for (const [f, flags, msg] of [
      [path.join(dir, "missing.diff"), {}, /^patchlore related: cannot read .*missing\.diff: ENOENT$/],
      [dir, {}, /is a directory/],
      [DEMO, { limit: "x" }, /^patchlore related: --limit must be a whole number from 1 to 100/],
    ] as const) {
      const e = io();
      expect(await relatedCommand(withDb, f, flags, e.x)).toBe(2);
      expect(e.o.err).toHaveLength(1);
      expect(e.o.err[0]).toMatch(msg);
    }
    fs.writeFileSync(path.join(dir, "prose.txt"), "no diff here\n");
    const p = io();
    expect(await relatedCommand(withDb, path.join(dir, "prose.txt"), {}, p.x)).toBe(2);
    expect(p.o.err).toEqual(["patchlore related: no diff found in the input: expected a unified diff (`diff --git` or `---`/`+++` lines followed by `@@` hunks)"]);
  });
});
