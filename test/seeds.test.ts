// The five seed documents (../shared/seeds) go through `ingest` like any archive and come out as
// the bar says: messages, threads, ghosts rebuilt from quotes, patches, series.
// Skipped with a message where ../shared is absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { createTestDb } from "./db";
import { projectRoot } from "../ingest/postgres/migrate";
import { ingestSource } from "../ingest/pipeline";
import { getThread } from "../lib/views/messages";
import { getPatchReview } from "../lib/views/review";
import type { DiffAnchor } from "../lib/review/anchor";
import type { DiscussionView } from "../lib/review/view";

const dir = path.join(projectRoot(), "..", "shared", "seeds");
const have = fs.existsSync(dir);
if (!have) console.warn(`test/seeds.test.ts: ${dir} is absent (../shared not beside the project): seed ingest checks skipped`);

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let db: TestDb;
const seed = (prefix: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(prefix))!);

async function threadRows(threadOf: string) {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m.ghost, m.recovery, m.from_name, m.date, m.in_reply_to, m."references", m.body
     FROM message m WHERE m.thread_id = (SELECT thread_id FROM message WHERE msgid = $1) ORDER BY m.date, m.id`,
    [threadOf],
  );
  return rows;
}

describe.skipIf(!have)("seed documents ingest (../shared/seeds)", () => {
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => db?.drop());

  it("000 mail-archive: 6 messages in one thread with author and day; the first is a patch naming 9 files", async () => {
    const s = await ingestSource(db, seed("000_"), { list: "seeds", workers: 0 });
    expect(s.inserted).toBe(6);
    const { rows } = await db.pool.query(
      `SELECT m.msgid, m.from_name, to_char(m.date, 'YYYY-MM-DD') AS day, m.thread_id, m.recovery FROM message m
       JOIN list_message lm ON lm.message_id = m.id JOIN source src ON src.id = lm.source_id
       WHERE src.location LIKE '%000_%' ORDER BY m.date`,
    );
    expect(rows.map((r) => [r.from_name, r.day])).toEqual([
      ["Laurent Dufour", "2017-10-11"], ["Andrea Arcangeli", "2017-10-26"], ["Laurent Dufour", "2017-11-02"],
      ["Laurent Dufour", "2017-11-02"], ["Andrea Arcangeli", "2017-11-02"], ["Laurent Dufour", "2017-11-06"],
    ]);
    expect(new Set(rows.map((r) => r.thread_id)).size).toBe(1);
    expect(rows.every((r) => r.recovery === "page:mail-archive")).toBe(true);
    const { rows: [p] } = await db.pool.query(`SELECT diffstat FROM patch WHERE message_id = (SELECT id FROM message WHERE msgid = $1)`, [rows[0].msgid]);
    expect(p.diffstat.entries.map((e: { path: string }) => e.path)).toEqual([
      "fs/proc/task_mmu.c", "fs/userfaultfd.c", "mm/khugepaged.c", "mm/madvise.c", "mm/mempolicy.c",
      "mm/mlock.c", "mm/mmap.c", "mm/mprotect.c", "mm/mremap.c",
    ]);
    const view = await getThread(db, "seeds", rows[0].msgid);
    expect(view!.flat).toHaveLength(6);
  });

  it("001 collapsed RFC 822: real Message-ID, In-Reply-To, 5 References (absent ones as ghosts), Jérôme Glisse, 14:17:54 UTC", async () => {
    await ingestSource(db, seed("001_"), { list: "seeds", workers: 0 });
    const rows = await threadRows("20191209141754.GA6841@redhat.com");
    const msg = rows.find((r) => r.msgid === "20191209141754.GA6841@redhat.com")!;
    expect(msg.ghost).toBe(false);
    expect(msg.from_name).toMatch(/^J[ée]r[ôo]me Glisse$/);
    expect(msg.date.toISOString()).toBe("2019-12-09T14:17:54.000Z");
    expect(msg.in_reply_to).toBe("20191209033335.GC32169@bombadil.infradead.org");
    expect(msg.references).toHaveLength(5);
    expect(msg.body).toMatch(/é/);
    const ghosts = rows.filter((r) => r.ghost);
    expect(ghosts.map((g) => g.msgid).sort()).toEqual([...msg.references].sort());
    expect(ghosts.every((g) => g.recovery === "quote")).toBe(true);
  });

  it("002 article page: <1227886959.4454.4421.camel@twins> from Peter Zijlstra, a patch over 6 files with hunks", async () => {
    await ingestSource(db, seed("002_"), { list: "seeds", workers: 0 });
    const { rows: [m] } = await db.pool.query(`SELECT id, from_name FROM message WHERE msgid = '1227886959.4454.4421.camel@twins'`);
    expect(m.from_name).toBe("Peter Zijlstra");
    const { rows: files } = await db.pool.query(
      `SELECT f.path, (SELECT count(*) FROM hunk h WHERE h.file_id = f.id) AS hunks FROM patch_file f WHERE f.message_id = $1 ORDER BY position`,
      [m.id],
    );
    expect(files).toHaveLength(6);
    expect(files.every((f) => f.hunks > 0)).toBe(true);
  });

  it("003 lore thread page: 90 messages in one thread whose tree follows the overview; 4 patches with their cover", async () => {
    const s = await ingestSource(db, seed("003_"), { list: "seeds", workers: 0 });
    expect(s.inserted).toBe(90);
    const { rows } = await db.pool.query(
      `SELECT count(DISTINCT m.thread_id) AS threads, count(*) AS n FROM message m JOIN list_message lm ON lm.message_id = m.id
       JOIN source src ON src.id = lm.source_id WHERE src.location LIKE '%003_%'`,
    );
    expect(rows[0]).toEqual({ threads: 1, n: 90 });
    const { rows: series } = await db.pool.query(
      `SELECT s.total, s.complete, s.cover_id IS NOT NULL AS has_cover, (SELECT count(*) FROM series_patch sp WHERE sp.series_id = s.id AND sp.index > 0) AS patches
       FROM series s JOIN message c ON c.id = s.cover_id JOIN list_message lm ON lm.message_id = c.id JOIN source src ON src.id = lm.source_id
       WHERE src.location LIKE '%003_%'`,
    );
    expect(series).toEqual([{ total: 4, complete: true, has_cover: true, patches: 4 }]);
  });

  it("003 reviews in the database: the replies on patch 1/4 anchor to mm/memory.c in do_wp_page(), answers join their discussions", async () => {
    // 003 was ingested by the test above (each seed is ingested once, in order)
    const { rows: [p1] } = await db.pool.query(
      `SELECT m.msgid, m.body FROM message m JOIN patch p ON p.message_id = m.id WHERE m.subject LIKE '[PATCH 1/4] mm: Trial do_wp_page() simplification%'`,
    );
    const v = (await getPatchReview(db, p1.msgid))!;
    expect(v.series).toMatchObject({ index: 1, total: 4 });
    const diff = v.discussions.filter((d) => d.part === "diff");
    const opener = (d: DiscussionView) => d.comments[0].author.name;
    expect([...new Set(diff.map(opener))].sort()).toEqual(["Kirill Tkhai", "Oleg Nesterov"]);
    for (const d of diff) {
      expect(d).toMatchObject({ file: "mm/memory.c", heading: "static vm_fault_t do_wp_page(struct vm_fault *vmf)" });
      const a = d.anchor as DiffAnchor;
      // the stored anchor points at that line of the patch mail, and the code shown ends on it
      expect(v.body.split("\n")[a.patchLine]).toBe(a.patchText);
      expect(d.code.at(-1)).toBe(a.patchText);
      expect(d.code.length).toBeLessThanOrEqual(7);
    }
    const kirill = diff.find((d) => opener(d) === "Kirill Tkhai")!;
    expect(kirill).toMatchObject({ side: "new", line: 2932 });
    expect(kirill.comments[0].text).toMatch(/^No, this is wrong\. PageKSM\(\) always raises refcount\./);
    // Jan Kara answers Kirill, Kirill answers Jan: one discussion
    const who = kirill.comments.map((c) => c.author.name);
    expect(who.slice(0, 2)).toEqual(["Kirill Tkhai", "Jan Kara"]);
    expect(who.filter((w) => w === "Kirill Tkhai").length).toBeGreaterThanOrEqual(2);
    expect(kirill.comments[1].inReplyTo).toBe(kirill.comments[0].id);
    const oleg = diff.find((d) => opener(d) === "Oleg Nesterov")!;
    expect(oleg).toMatchObject({ side: "old", line: 2958 });
    expect(oleg.comments.some((c) => c.author.name === "Peter Xu")).toBe(true);
    // Jason Gunthorpe's regression report quotes only the commit message
    expect(v.discussions.some((d) => d.part === "message" && opener(d) === "Jason Gunthorpe")).toBe(true);
  });

  it("004 hypermail: Suren Baghdasaryan's reply, its 3 quoted ancestors as reconstructed ghosts, the RFC patch rebuilt (4 files, +19 -62)", async () => {
    await ingestSource(db, seed("004_"), { list: "seeds", workers: 0 });
    const { rows: [reply] } = await db.pool.query(
      `SELECT m.msgid FROM message m JOIN list_message lm ON lm.message_id = m.id JOIN source src ON src.id = lm.source_id
       WHERE src.location LIKE '%004_%' AND NOT m.ghost`,
    );
    const rows = await threadRows(reply.msgid);
    expect(rows.filter((r) => !r.ghost).map((r) => r.from_name)).toEqual(["Suren Baghdasaryan"]);
    const ghosts = rows.filter((r) => r.ghost);
    expect(ghosts).toHaveLength(3);
    expect(ghosts.every((g) => g.recovery === "quote")).toBe(true);
    const { rows: [p] } = await db.pool.query(
      `SELECT p.files_changed, p.added, p.removed FROM patch p JOIN message m ON m.id = p.message_id
       WHERE m.msgid = ANY($1::text[])`,
      [ghosts.map((g) => g.msgid)],
    );
    expect(p).toEqual({ files_changed: 4, added: 19, removed: 62 });
    // the thread page shows the reconstructed messages like others, marked
    const view = await getThread(db, "seeds", reply.msgid);
    expect(view!.flat).toHaveLength(4);
    expect(view!.tree.filter((n) => n.reconstructed)).toHaveLength(3);
  });

  it("004 reviews: the RFC patch rebuilt from quotes is reviewable, marked reconstructed; Suren's answer sits on its commit message", async () => {
    const { rows: [rfc] } = await db.pool.query(
      `SELECT m.msgid FROM message m JOIN patch p ON p.message_id = m.id WHERE m.ghost AND m.subject = '[RFC PATCH] vm: align vma allocation and move the lock back into the struct'`,
    );
    const v = (await getPatchReview(db, rfc.msgid))!;
    expect(v.reconstructed).toBe(true);
    const suren = v.discussions.find((d) => d.comments[0].author.name === "Suren Baghdasaryan")!;
    expect(suren).toMatchObject({ part: "message", anchor: { patchText: "this out with your test rig.", method: "exact" } });
    expect(suren.comments[0].text).toMatch(/^Sure, I'll give it a spin/);
    expect(suren.code.at(-1)).toBe("this out with your test rig.");
  });

  it("re-ingesting the seeds changes nothing", async () => {
    for (const p of ["000_", "001_", "002_", "003_", "004_"]) {
      const s = await ingestSource(db, seed(p), { list: "seeds", workers: 0 });
      expect(s.inserted + s.filledGhosts + s.duplicates).toBe(0);
    }
  });
});
