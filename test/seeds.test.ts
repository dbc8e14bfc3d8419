// The five seed documents (../shared/seeds) go through `ingest` like any archive and come out as
// the bar says: messages, threads, ghosts rebuilt from quotes, patches, series.
// Skipped with a message where ../shared is absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { createTestDb } from "./db";
import { projectRoot } from "../lib/db/migrate";
import { ingestSource } from "../ingest/pipeline";
import { getThread } from "../lib/db/queries";

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

  it("re-ingesting the seeds changes nothing", async () => {
    for (const p of ["000_", "001_", "002_", "003_", "004_"]) {
      const s = await ingestSource(db, seed(p), { list: "seeds", workers: 0 });
      expect(s.inserted + s.filledGhosts + s.duplicates).toBe(0);
    }
  });
});
