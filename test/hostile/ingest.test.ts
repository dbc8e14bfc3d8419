// Issue 8, ingest part: every hostile or broken mail is either stored or recorded with a reason,
// the run never crashes, the messages around it are unaffected, and the size limit is reported.
//
// Input sets:
//   generated   test/hostile/generate.ts (always runs), on the main thread and on worker threads
//   100 MB      one message with a 100 MB attachment, written to disk in chunks (slow: ~15 s)
//   fixtures    ../shared/fixtures: patchwork fuzz + mail, patchew, b4 samples (skipped with a
//               message when shared/ is not there)
// A summary table (input set -> read / stored / unchanged / duplicates / skipped by reason) is
// printed at the end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../db";
import { ingestSource, DEFAULT_MAX_MESSAGE_BYTES, type IngestOptions, type IngestSummary } from "../../ingest/pipeline";
import { openSource, SourceError } from "../../ingest/sources";
import { checkDatabase } from "../../lib/views/check";
import { getStats } from "../../lib/views/messages";
import { MBOXRD_FROM_LINE, mboxrdEntry, mboxrdEscape } from "../../lib/export/mbox";
import {
  canary,
  CORPUS_MAX_MESSAGE_BYTES,
  expectedRawAfterMbox,
  generateCorpus,
  writeHugeAttachmentMbox,
  writeInterleavedMbox,
  type Canary,
  type HostileMail,
} from "./generate";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

const FIXTURES = process.env.PATCHLORE_FIXTURES ?? path.resolve(import.meta.dirname, "../../../shared/fixtures");
const HAVE_FIXTURES = fs.existsSync(FIXTURES);

let dir: string;
const dbs: TestDb[] = [];
async function freshDb(): Promise<TestDb> {
  const db = await createTestDb();
  dbs.push(db);
  return db;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-ingest-"));
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  printSummary();
});

// ---------------------------------------------------------------------------------------------
// accounting and the summary table

interface Row {
  set: string;
  files: number;
  read: number;
  stored: number;
  unchanged: number;
  duplicates: number;
  skipped: number;
  reasons: Record<string, number>;
  seconds: number;
}
const table: Row[] = [];

function printSummary() {
  if (!table.length) return;
  const head = ["input set", "files", "read", "stored", "unchanged", "dupes", "skipped", "skipped by reason", "s"];
  const rows = table.map((r) => [
    r.set, String(r.files), String(r.read), String(r.stored), String(r.unchanged), String(r.duplicates), String(r.skipped),
    Object.entries(r.reasons).map(([k, v]) => `${k}=${v}`).join(", ") || "-", r.seconds.toFixed(1),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 1 && i <= 6 ? c.padStart(w[i]) : c.padEnd(w[i]))).join("  ");
  console.log(["", "hostile ingest summary:", line(head), w.map((n) => "-".repeat(n)).join("  "), ...rows.map(line), ""].join("\n"));
}

/** read == stored + unchanged + duplicates + skipped, for one ingest run. */
function expectAccounted(s: IngestSummary, what: string) {
  const sum = s.inserted + s.filledGhosts + s.unchanged + s.duplicates + s.skipped;
  expect(sum, `${what}: read ${s.read}, stored ${s.inserted}+${s.filledGhosts}, unchanged ${s.unchanged}, duplicates ${s.duplicates}, skipped ${s.skipped}`).toBe(s.read);
}

async function skippedReasons(db: TestDb, list: string): Promise<Record<string, number>> {
  const { rows } = await db.pool.query(
    `SELECT s.reason, count(*)::int AS n FROM skipped_message s JOIN list l ON l.id = s.list_id WHERE l.name = $1 GROUP BY 1 ORDER BY 1`,
    [list],
  );
  return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
}

/** Every skipped row of the list has a reason and a human-readable detail. */
async function expectReasonsRecorded(db: TestDb, list: string) {
  const { rows } = await db.pool.query(
    `SELECT s.source_ref, s.reason, s.detail FROM skipped_message s JOIN list l ON l.id = s.list_id
     WHERE l.name = $1 AND (coalesce(s.reason, '') = '' OR coalesce(s.detail, '') = '')`,
    [list],
  );
  expect(rows, "skipped messages without a reason or detail").toEqual([]);
}

async function expectConsistent(db: TestDb) {
  const check = await checkDatabase(db);
  expect(check.checks.filter((c) => c.problems > 0), "checkDatabase").toEqual([]);
  expect(check.ok).toBe(true);
}

/** Ingests files one by one into `list`; a throw is collected (and fails the test), not fatal. */
async function ingestAll(db: TestDb, set: string, list: string, files: string[], opts: IngestOptions = {}): Promise<Row> {
  const row: Row = { set, files: files.length, read: 0, stored: 0, unchanged: 0, duplicates: 0, skipped: 0, reasons: {}, seconds: 0 };
  const crashes: string[] = [];
  const t0 = Date.now();
  for (const f of files) {
    let s: IngestSummary;
    try {
      s = await ingestSource(db, f, { list, workers: 0, ...opts });
    } catch (e) {
      crashes.push(`${path.basename(f)}: ${(e as Error)?.stack ?? e}`);
      continue;
    }
    expectAccounted(s, path.basename(f));
    row.read += s.read;
    row.stored += s.inserted + s.filledGhosts;
    row.unchanged += s.unchanged;
    row.duplicates += s.duplicates;
    row.skipped += s.skipped;
  }
  row.seconds = (Date.now() - t0) / 1000;
  row.reasons = await skippedReasons(db, list);
  table.push(row);
  expect(crashes, "ingest runs that threw").toEqual([]);
  expect(Object.values(row.reasons).reduce((a, b) => a + b, 0)).toBe(row.skipped);
  await expectReasonsRecorded(db, list);
  return row;
}

/** Each canary is stored exactly as written: raw bytes, subject, sender, body, no problems. */
async function expectCanariesIntact(db: TestDb, canaries: Canary[]) {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m.ghost, m.subject, m.from_address, m.body, m.problems, m.parent_id, m.thread_id, r.raw
     FROM message m LEFT JOIN raw_message r ON r.message_id = m.id WHERE m.msgid = ANY($1::text[])`,
    [canaries.map((c) => c.msgid)],
  );
  const byId = new Map(rows.map((r) => [r.msgid as string, r]));
  const broken: string[] = [];
  for (const c of canaries) {
    const r = byId.get(c.msgid);
    const why = !r ? "missing"
      : r.ghost ? "ghost"
      : r.subject !== c.subject ? `subject ${JSON.stringify(r.subject)}`
      : r.from_address !== c.from ? `from ${r.from_address}`
      : r.body !== c.text ? `body ${JSON.stringify(String(r.body).slice(0, 200))}`
      : r.problems.length ? `problems ${JSON.stringify(r.problems)}`
      : !r.raw || !Buffer.from(r.raw).equals(c.raw) ? "raw bytes differ"
      : r.parent_id !== null ? "has a parent"
      : r.thread_id === null ? "no thread"
      : null;
    if (why) broken.push(`${c.subject}: ${why}`);
  }
  expect(broken, "canaries not stored intact").toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// (b) the generated corpus

const corpus = generateCorpus();

/** Checks the fate of every hostile message by its source ref: stored (under the expected id,
 * with the expected problems, raw bytes intact), duplicate, or skipped with the expected reason. */
async function expectCorpusOutcomes(db: TestDb, file: string, offsets: number[], list: string) {
  const refs = offsets.map((o) => `mbox:${file}#${o}`);
  const { rows: stored } = await db.pool.query(
    `SELECT lm.source_ref, m.msgid, m.synthetic_msgid, m.problems, r.raw FROM list_message lm
     JOIN list l ON l.id = lm.list_id JOIN message m ON m.id = lm.message_id LEFT JOIN raw_message r ON r.message_id = m.id
     WHERE l.name = $1 AND lm.source_ref = ANY($2::text[])`,
    [list, refs],
  );
  const { rows: dupes } = await db.pool.query(`SELECT source_ref FROM duplicate_message WHERE source_ref = ANY($1::text[])`, [refs]);
  const { rows: skipped } = await db.pool.query(`SELECT source_ref, reason, detail, size FROM skipped_message WHERE source_ref = ANY($1::text[])`, [refs]);
  const storedBy = new Map(stored.map((r) => [r.source_ref as string, r]));
  const dupeRefs = new Set(dupes.map((r) => r.source_ref as string));
  const skippedBy = new Map(skipped.map((r) => [r.source_ref as string, r]));
  const { rows: msgids } = await db.pool.query(`SELECT msgid FROM message WHERE NOT ghost AND msgid = ANY($1::text[])`, [
    corpus.filter((m) => m.msgid).map((m) => m.msgid!),
  ]);
  const present = new Set(msgids.map((r) => r.msgid as string));

  const wrong: string[] = [];
  corpus.forEach((m: HostileMail, i) => {
    const ref = refs[i];
    const st = storedBy.get(ref), sk = skippedBy.get(ref), dup = dupeRefs.has(ref);
    const fate = st ? "stored" : sk ? `skipped (${sk.reason})` : dup ? "duplicate" : "nowhere";
    const bad = (why: string) => wrong.push(`${m.name} [${m.group}]: ${why}; fate: ${fate}`);
    switch (m.expect) {
      case "stored": {
        if (!st) return bad("expected to be stored");
        if (m.msgid === null && !st.synthetic_msgid) bad(`expected a synthetic Message-ID, got ${JSON.stringify(String(st.msgid).slice(0, 80))}`);
        if (m.msgid && st.msgid !== m.msgid) bad(`stored as ${JSON.stringify(String(st.msgid).slice(0, 80))}`);
        const codes = new Set((st.problems as { code: string }[]).map((p) => p.code));
        for (const p of m.problems ?? []) if (!codes.has(p)) bad(`problem ${p} not reported (got ${[...codes].join(",") || "none"})`);
        if (!st.raw || !Buffer.from(st.raw).equals(expectedRawAfterMbox(m.raw))) bad("raw bytes differ from the input");
        return;
      }
      case "duplicate":
        if (!dup) bad("expected to be kept as a duplicate");
        return;
      case "unchanged":
        if (st || sk || dup || !present.has(m.msgid!)) bad("expected to be an identical repeat of a stored message");
        return;
      case "skipped":
        if (!sk) return bad("expected to be skipped");
        if (m.reason && sk.reason !== m.reason) bad(`skipped as ${sk.reason}, expected ${m.reason}`);
        if (!sk.detail) bad("skipped without a detail");
        if (sk.size !== expectedRawAfterMbox(m.raw).length) bad(`recorded size ${sk.size}`);
        return;
    }
  });
  expect(wrong, "hostile messages with an unexpected outcome").toEqual([]);
}

describe("generated hostile corpus", () => {
  let file: string;
  let written: ReturnType<typeof writeInterleavedMbox>;
  let first: IngestSummary | undefined;
  let firstDb: TestDb | undefined;

  beforeAll(() => {
    file = path.join(dir, "hostile.mbox");
    written = writeInterleavedMbox(file, corpus);
  });

  it("is deterministic", () => {
    const again = generateCorpus();
    expect(again.map((m) => m.name)).toEqual(corpus.map((m) => m.name));
    for (let i = 0; i < corpus.length; i++) expect(again[i].raw.equals(corpus[i].raw), corpus[i].name).toBe(true);
  });

  for (const workers of [0, 2]) {
    // (checkDatabase alone takes ~15 s here: its "parent cycles" query is slow on the 1,000-deep
    // ghost chain of references-2000, see the report of issue 8)
    it(`ingests without crashing, accounts for every message, canaries intact (workers: ${workers})`, { timeout: 180_000 }, async () => {
      const db = await freshDb();
      const list = `hostile-w${workers}`;
      const t0 = Date.now();
      const s = await ingestSource(db, file, { list, workers, maxMessageBytes: CORPUS_MAX_MESSAGE_BYTES, maxSkippedRawBytes: 4096 });
      const seconds = (Date.now() - t0) / 1000;
      expectAccounted(s, "hostile.mbox");
      expect(s.read, "messages read == messages written (hostile + canaries)").toBe(written.count);
      const reasons = await skippedReasons(db, list);
      table.push({
        set: `generated (workers ${workers})`, files: 1, read: s.read, stored: s.inserted + s.filledGhosts, unchanged: s.unchanged,
        duplicates: s.duplicates, skipped: s.skipped, reasons, seconds,
      });
      await expectReasonsRecorded(db, list);
      await expectConsistent(db);
      await expectCanariesIntact(db, written.canaries);
      await expectCorpusOutcomes(db, file, written.offsets, list);

      // the configured limit is in the skip reason; raw bytes are kept only up to maxSkippedRawBytes
      const { rows } = await db.pool.query(`SELECT reason, detail, size, raw IS NOT NULL AS kept FROM skipped_message ORDER BY id`);
      const tooLarge = rows.filter((r) => r.reason === "too-large");
      expect(tooLarge).toHaveLength(1);
      expect(tooLarge[0].detail).toContain(String(CORPUS_MAX_MESSAGE_BYTES));
      expect(tooLarge[0].detail).toContain(String(tooLarge[0].size));
      expect(tooLarge[0].kept).toBe(false);
      for (const r of rows) expect(r.kept, `${r.reason} (${r.size} bytes)`).toBe(r.reason !== "too-large" && r.size <= 4096);

      const stats = await getStats(db);
      expect(stats.skippedByReason).toEqual(reasons);
      if (first) {
        // worker threads give the same result as the main thread
        expect({ ...s, seconds: 0, list: "" }).toEqual({ ...first, seconds: 0, list: "" });
      } else {
        first = s;
        firstDb = db;
      }
    });
  }

  it("a second run over the same file changes nothing", { timeout: 120_000 }, async () => {
    const db = firstDb ?? (await freshDb());
    if (!firstDb) await ingestSource(db, file, { list: "hostile-w0", workers: 0, maxMessageBytes: CORPUS_MAX_MESSAGE_BYTES, maxSkippedRawBytes: 4096 });
    const before = await getStats(db);
    const s = await ingestSource(db, file, { list: "hostile-w0", workers: 0, maxMessageBytes: CORPUS_MAX_MESSAGE_BYTES, maxSkippedRawBytes: 4096 });
    expect(s.read).toBe(written.count);
    expect(s.inserted + s.filledGhosts + s.duplicates).toBe(0);
    expect(await getStats(db)).toEqual(before);
  });

  it("each hostile message alone, between two canaries, in its own run", { timeout: 240_000 }, async () => {
    // no batching effects: a hostile message cannot hide behind its neighbours in a batch
    const db = await freshDb();
    const crashes: string[] = [];
    for (const [i, m] of corpus.entries()) {
      if (m.expect !== "stored" && m.expect !== "skipped") continue;
      const f = path.join(dir, `single-${i}.mbox`);
      const w = writeInterleavedMbox(f, [m], `single-${i}`);
      try {
        const s = await ingestSource(db, f, { list: "single", workers: 0, maxMessageBytes: CORPUS_MAX_MESSAGE_BYTES });
        expectAccounted(s, m.name);
        expect(s.read, m.name).toBe(3);
        await expectCanariesIntact(db, w.canaries);
      } catch (e) {
        crashes.push(`${m.name}: ${(e as Error)?.message ?? e}`);
      } finally {
        fs.rmSync(f, { force: true });
      }
    }
    expect(crashes).toEqual([]);
    await expectConsistent(db);
  });
});

// ---------------------------------------------------------------------------------------------
// mbox framing

describe("mbox framing edge cases", () => {
  it("unescaped (mboxo) From_ lines split a message: every piece is accounted for, the canaries around it are intact", async () => {
    const db = await freshDb();
    const file = path.join(dir, "mboxo.mbox");
    const c0 = canary(0, "mboxo (before)", "mboxo"), c1 = canary(1, "mboxo (after)", "mboxo");
    const hostile = Buffer.from(
      "From: Old Writer <old@example.org>\nSubject: mboxo body\nMessage-ID: <mboxo-writer@gen.patchlore.test>\n\n" +
        "a body line\n>From quoted (ambiguous in mboxo)\n\nFrom someone@example.org Wed Mar  8 09:00:00 2023\nthis looks like a new message\n",
    );
    fs.writeFileSync(file, Buffer.concat([mboxrdEntry(c0.raw), Buffer.from(MBOXRD_FROM_LINE), hostile, Buffer.from("\n"), mboxrdEntry(c1.raw)]));
    const s = await ingestSource(db, file, { list: "mboxo", workers: 0 });
    expectAccounted(s, "mboxo.mbox");
    expect(s.read).toBe(4); // the unescaped From_ line after an empty line starts a message
    expect(s.skipped).toBe(1); // "this looks like a new message": no header
    await expectReasonsRecorded(db, "mboxo");
    await expectCanariesIntact(db, [c0, c1]);
    await expectConsistent(db);
  });

  it("an mbox written with CRLF line ends throughout", async () => {
    const db = await freshDb();
    const file = path.join(dir, "crlf.mbox");
    const canaries: Canary[] = [];
    const parts: Buffer[] = [];
    for (let i = 0; i < 20; i++) {
      const c = canary(i, "crlf mbox", "crlf");
      const raw = Buffer.from(c.raw.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
      canaries.push({ ...c, raw });
      // the From_ line and the blank line with CRLF too: a file converted as a whole
      parts.push(Buffer.from(MBOXRD_FROM_LINE.replace("\n", "\r\n")), mboxrdEscape(raw), Buffer.from("\r\n"));
    }
    fs.writeFileSync(file, Buffer.concat(parts));
    const s = await ingestSource(db, file, { list: "crlf", workers: 0 });
    expectAccounted(s, "crlf.mbox");
    expect(s).toMatchObject({ read: 20, inserted: 20 });
    await expectCanariesIntact(db, canaries);
  });
});

// ---------------------------------------------------------------------------------------------
// 100 MB attachment (slow, but measured at 13-15 s on 2 cores, also with other test files running:
// under the 60 s bar, so it stays in the suite)

describe("a 100 MB attachment (slow: ~15 s)", () => {
  it("is skipped with the limit in the reason by default, and stored when the limit allows it", { timeout: 120_000 }, async () => {
    const db = await freshDb();
    const file = path.join(dir, "huge.mbox");
    const t0 = Date.now();
    const huge = writeHugeAttachmentMbox(file, 100);
    expect(huge.size).toBeGreaterThan(100 * 1024 * 1024 - 200);
    expect(huge.size).toBeLessThan(DEFAULT_MAX_MESSAGE_BYTES * 2);

    // default limit (64 MB): skipped, the limit and the size in the reason, bytes not kept
    const s1 = await ingestSource(db, file, { list: "huge-default", workers: 0 });
    expectAccounted(s1, "huge.mbox");
    expect(s1).toMatchObject({ read: 3, inserted: 2, skipped: 1 });
    const { rows } = await db.pool.query(`SELECT reason, detail, size, raw IS NULL AS dropped FROM skipped_message`);
    expect(rows).toEqual([{ reason: "too-large", detail: expect.stringContaining(String(DEFAULT_MAX_MESSAGE_BYTES)), size: huge.size, dropped: true }]);
    expect(rows[0].detail).toContain(String(huge.size));
    await expectCanariesIntact(db, huge.canaries);

    await expectConsistent(db);

    // a configured limit above it: stored, attachment described, raw bytes kept. (A fresh
    // database: the same canaries in a second list would hit the list_thread bug in
    // lib/db/store.ts, see the report of issue 8.)
    const db2 = await freshDb();
    const s2 = await ingestSource(db2, file, { list: "huge-allowed", workers: 0, maxMessageBytes: 128 * 1024 * 1024 });
    expectAccounted(s2, "huge.mbox (128 MB limit)");
    expect(s2).toMatchObject({ read: 3, inserted: 3, skipped: 0 });
    const { rows: m } = await db2.pool.query(
      `SELECT m.size, m.attachments, m.body, octet_length(r.raw) AS raw_len FROM message m JOIN raw_message r ON r.message_id = m.id WHERE m.msgid = $1`,
      [huge.msgid],
    );
    expect(m[0].size).toBe(huge.size);
    expect(Number(m[0].raw_len)).toBe(huge.size);
    expect(m[0].body).toContain("The firmware is attached.");
    expect(m[0].attachments).toHaveLength(1);
    expect(m[0].attachments[0]).toMatchObject({ filename: "firmware.bin", contentType: "application/octet-stream" });
    expect(m[0].attachments[0].size).toBeGreaterThan(70 * 1024 * 1024);
    await expectCanariesIntact(db2, huge.canaries);
    await expectConsistent(db2);
    const seconds = (Date.now() - t0) / 1000;
    table.push({ set: "100 MB attachment (2 runs)", files: 1, read: s1.read + s2.read, stored: s1.inserted + s2.inserted, unchanged: s1.unchanged + s2.unchanged, duplicates: 0, skipped: s1.skipped + s2.skipped, reasons: { "too-large": 1 }, seconds });
    fs.rmSync(file, { force: true });
    expect(seconds, "the 100 MB test must stay under 60 s to stay in the suite").toBeLessThan(60);
  });
});

// ---------------------------------------------------------------------------------------------
// (a) the shared fixtures

/** The fixture files of a set that open as a mail source (others, e.g. gpg output, are listed). */
async function mailFiles(files: string[]): Promise<{ ok: string[]; notMail: string[] }> {
  const ok: string[] = [];
  const notMail: string[] = [];
  for (const f of files) {
    try {
      await openSource(f);
      ok.push(f);
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      notMail.push(path.basename(f));
    }
  }
  return { ok, notMail };
}

const ls = (d: string, re: RegExp) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => re.test(f)).sort().map((f) => path.join(d, f)) : []);

const FIXTURE_SETS: { set: string; files: () => string[] }[] = [
  { set: "patchwork fuzz", files: () => ls(path.join(FIXTURES, "patchwork/data/fuzz"), /\.mbox$/) },
  { set: "patchwork mail", files: () => ls(path.join(FIXTURES, "patchwork/data/mail"), /\.mbox$/) },
  { set: "patchew", files: () => ls(path.join(FIXTURES, "patchew/data"), /\.mbox\.gz$/) },
  { set: "b4 samples", files: () => ls(path.join(FIXTURES, "b4/samples"), /\.(mbox|txt|verify|eml)$/) },
];

describe.skipIf(!HAVE_FIXTURES)("shared fixtures", () => {
  for (const { set, files } of FIXTURE_SETS) {
    it(`${set}: every message stored or skipped with a reason, canaries intact`, async () => {
      const { ok, notMail } = await mailFiles(files());
      expect(ok.length, `${set}: no mail files found`).toBeGreaterThan(0);
      if (notMail.length) console.log(`${set}: not mail, left out: ${notMail.join(", ")}`);
      const db = await freshDb();
      const list = set.replace(/\W+/g, "-");
      await ingestAll(db, set, list, ok);
      await expectConsistent(db);

      // the same messages again, each followed by a canary, in one file per fixture
      const canaries: Canary[] = [];
      const files2: string[] = [];
      for (const [i, f] of ok.entries()) {
        const src = await openSource(f);
        const mails: { name: string; raw: Buffer }[] = [];
        for await (const item of src.items({})) mails.push({ name: `${path.basename(f)}#${mails.length}`, raw: item.raw });
        const out = path.join(dir, `${list}-${i}.mbox`);
        const w = writeInterleavedMbox(out, mails, `${list}-${i}`);
        canaries.push(...w.canaries);
        files2.push(out);
      }
      // (a fresh database: the same messages in a second list would hit the list_thread bug in
      // lib/db/store.ts, see the report of issue 8)
      const db2 = await freshDb();
      const row = await ingestAll(db2, `${set} + canaries`, `${list}-interleaved`, files2);
      expect(row.read).toBe(canaries.length * 2 - files2.length);
      await expectCanariesIntact(db2, canaries);
      await expectConsistent(db2);
    });
  }
});

if (!HAVE_FIXTURES) {
  describe("shared fixtures", () => {
    it.skip(`skipped: ${FIXTURES} is absent (the patchwork, patchew and b4 corpora live in ../shared/fixtures)`, () => {});
  });
  console.warn(`test/hostile/ingest.test.ts: ${FIXTURES} not found, the fixture input sets are skipped`);
}
