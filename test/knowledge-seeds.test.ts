// The seed documents (../shared/seeds) through `ingest` into the database: the design ideas they
// contain become idea rows on the right message (by author), with their lines, method and
// confidence, and 004's pft-threads / time(1) figures become benchmark rows. Skipped with a
// message where ../shared is absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { createTestDb } from "./db";
import { projectRoot } from "../ingest/postgres/migrate";
import { ingestSource } from "../ingest/pipeline";
import { getMessageKnowledge } from "../lib/views/knowledge";

const dir = path.join(projectRoot(), "..", "shared", "seeds");
const have = fs.existsSync(dir);
if (!have) console.warn(`test/knowledge-seeds.test.ts: ${dir} is absent (../shared not beside the project): seed knowledge checks skipped`);

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let db: TestDb;
const seed = (prefix: string) => path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(prefix))!);

interface IdeaRow {
  msgid: string;
  from_name: string;
  ghost: boolean;
  recovery: string;
  kind: string;
  summary: string;
  quote: string;
  first_line: number;
  last_line: number;
  method: string;
  confidence: number;
  details: { text: string; keywords: string[]; title?: string };
  body: string;
}

async function ideasBy(location: string, author: string): Promise<IdeaRow[]> {
  const { rows } = await db.pool.query(
    `SELECT m.msgid, m.from_name, m.ghost, m.recovery, m.body, i.kind, i.summary, i.quote, i.first_line, i.last_line, i.method, i.confidence, i.details
     FROM idea i JOIN message m ON m.id = i.message_id
     WHERE m.from_name = $2 AND (EXISTS (SELECT 1 FROM list_message lm JOIN source s ON s.id = lm.source_id WHERE lm.message_id = m.id AND s.location LIKE $1)
            OR m.thread_id IN (SELECT m2.thread_id FROM message m2 JOIN list_message lm ON lm.message_id = m2.id JOIN source s ON s.id = lm.source_id WHERE s.location LIKE $1))
     ORDER BY m.date, i.first_line`,
    [`%${location}%`, author],
  );
  return rows;
}

/** the idea's lines are in the message body and its quote is written there */
function expectProvenance(i: IdeaRow) {
  const lines = i.body.split("\n");
  expect(i.first_line).toBeGreaterThan(0);
  expect(i.last_line).toBeGreaterThanOrEqual(i.first_line);
  expect(i.last_line).toBeLessThanOrEqual(lines.length);
  const span = lines.slice(i.first_line - 1, i.last_line).join(" ").replace(/\s+/g, " ");
  expect(span).toContain(i.quote.replace(/\s+/g, " ").slice(0, 40));
  expect(i.confidence).toBeGreaterThan(0);
  expect(i.confidence).toBeLessThanOrEqual(1);
}

describe.skipIf(!have)("seed documents: ideas and benchmarks in the database (../shared/seeds)", () => {
  beforeAll(async () => {
    db = await createTestDb();
    for (const s of ["000_", "002_", "004_"]) await ingestSource(db, seed(s), { list: "seeds", workers: 0 });
  });
  afterAll(async () => db?.drop());

  it("000: Andrea Arcangeli's contention-triggered speculation, on his two messages", async () => {
    const ideas = await ideasBy("000_", "Andrea Arcangeli");
    expect(new Set(ideas.map((i) => i.msgid)).size).toBe(2);
    const spec = ideas.filter((i) => /contention/.test(i.details.text) && /speculative/.test(i.details.text));
    expect(spec.length).toBeGreaterThanOrEqual(2);
    expect(spec.every((i) => i.kind === "proposal" || i.kind === "alternative")).toBe(true);
    expect(spec.some((i) => /go speculative only when there's "detected" runtime contention/.test(i.details.text) && i.details.keywords.includes("mmap_sem"))).toBe(true);
    expect(spec.some((i) => i.details.keywords.includes("mmap_sem_contention_jiffies"))).toBe(true);
    expect(ideas.filter((i) => i.method === "numbered-list")).toHaveLength(2);
    for (const i of ideas) expectProvenance(i);
    // the archive page's messages: recovered from the page, not rebuilt
    expect(ideas.every((i) => i.recovery.startsWith("page:"))).toBe(true);
    // Laurent quotes Andrea: the idea is not his
    const laurent = await ideasBy("000_", "Laurent Dufour");
    expect(laurent.some((i) => /mmap_sem_contention_jiffies|detected" runtime contention/.test(i.details.text))).toBe(false);
  });

  it("002: Peter Zijlstra's SRCU / dead-vma idea", async () => {
    const ideas = await ideasBy("002_", "Peter Zijlstra");
    expect(ideas.every((i) => i.msgid === "1227886959.4454.4421.camel@twins")).toBe(true);
    const rfc = ideas.find((i) => i.kind === "rfc")!;
    expect(rfc).toMatchObject({ method: "rfc-cover" });
    expect(rfc.details.title).toBe("another crazy idea to get rid of mmap_sem in faults");
    expect(rfc.details.keywords).toEqual(expect.arrayContaining(["SRCU", "vma", "mmap_sem", "call_srcu"]));
    const idea = ideas.find((i) => i.kind === "proposal" && i.method === "cue:idea")!;
    expect(idea.summary).toBe("While pondering the page_fault retry stuff, I came up with the following idea.");
    expect(idea.details.text).toMatch(/'dead'/);
    for (const i of ideas) expectProvenance(i);
    const k = (await getMessageKnowledge(db, "seeds", "1227886959.4454.4421.camel@twins"))!;
    expect(k.ideas.map((i) => i.method)).toEqual(expect.arrayContaining(["rfc-cover", "cue:idea"]));
  });

  it("004: Mateusz Guzik's lock-in-the-struct request for benchmarking, and his pft-threads time(1) figures", async () => {
    const ideas = await ideasBy("004_", "Mateusz Guzik");
    const rfc = ideas.find((i) => i.kind === "rfc")!;
    expect(rfc.details.title).toBe("align vma allocation and move the lock back into the struct");
    expect(rfc.details.keywords).toEqual(expect.arrayContaining(["vma", "HWCACHE_ALIGN", "CONFIG_PER_VMA_LOCK"]));
    const asks = ideas.filter((i) => i.method === "cue:request-for-benchmarking");
    expect(asks.map((i) => i.summary)).toEqual([
      "ACHTUNG: this is more of a request for benchmarking than a patch proposal at this stage",
      "There is 0 urgency on my end, but it would be nice if you could try this out with your test rig.",
    ]);
    expect(new Set(asks.map((i) => i.msgid)).size).toBe(1);
    for (const i of ideas) expectProvenance(i);
    // his reply survives only in Suren's quotes: rebuilt, analyzed like any message
    const { rows } = await db.pool.query(
      `SELECT m.msgid, m.ghost, m.recovery, b.suite, b.test, b.metric, b.value, b.unit, b.method, b.first_line, b.last_line, b.quote, b.config, m.body
       FROM benchmark b JOIN message m ON m.id = b.message_id WHERE m.from_name = 'Mateusz Guzik' ORDER BY b.first_line, b.id`,
    );
    expect(rows.map((b) => [b.suite, b.test, b.metric, b.value, b.unit, b.method])).toEqual([
      ["mmtests", "pft-threads", "user", 39.35, "s", "time"],
      ["mmtests", "pft-threads", "system", 445.45, "s", "time"],
      ["mmtests", "pft-threads", "cpu", 390, "%", "time"],
      ["mmtests", "pft-threads", "elapsed", 124.04, "s", "time"],
    ]);
    expect(rows.every((b) => b.recovery === "quote" && b.ghost)).toBe(true);
    expect(rows[0].config).toEqual({ command: "./run-mmtests.sh --no-monitor --config configs/config-workload-pft-threads" });
    const lines = (rows[0].body as string).split("\n");
    expect(lines[rows[0].first_line - 1].trim()).toBe("39.35s user 445.45s system 390% cpu 124.04s (2:04.04) total");
    // Suren's real reply only quotes them
    const { rows: suren } = await db.pool.query(`SELECT count(*) AS n FROM benchmark b JOIN message m ON m.id = b.message_id WHERE m.from_name = 'Suren Baghdasaryan'`);
    expect(suren[0].n).toBe(0);
  });
});
