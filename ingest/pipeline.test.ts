// The ingester end to end on a real (throwaway) PostgreSQL: storage, identity, duplicates,
// ghosts, threading, incremental public-inbox runs, and the API on top.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mboxrd } from "../lib/export/mbox";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../test/db";
import { ingestSource } from "./pipeline";
import { getStats, getThread, listThreads } from "../lib/views/messages";
import { handleApi } from "../lib/api/router";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

let db: TestDb;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-test-"));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface MailSpec {
  id?: string | null;
  from?: string;
  subject: string;
  date?: string;
  inReplyTo?: string;
  references?: string[];
  body?: string;
  extraHeaders?: string[];
}

function mail(m: MailSpec): string {
  const h = [
    `From: ${m.from ?? "Ann Author <ann@example.org>"}`,
    `To: demo@lists.example.org`,
    `Subject: ${m.subject}`,
    `Date: ${m.date ?? "Tue, 07 Mar 2023 10:12:00 +0100"}`,
  ];
  if (m.id !== null) h.push(`Message-ID: <${m.id ?? "x@example.org"}>`);
  if (m.inReplyTo) h.push(`In-Reply-To: <${m.inReplyTo}>`);
  if (m.references?.length) h.push(`References: ${m.references.map((r) => `<${r}>`).join(" ")}`);
  h.push("List-Id: Test list <test.lists.example.org>", ...(m.extraHeaders ?? []));
  return h.join("\n") + "\n\n" + (m.body ?? `Body of ${m.subject}\n`);
}

function mbox(name: string, mails: string[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, mboxrd(mails.map((m) => Buffer.from(m))));
  return p;
}

async function threadOf(msgid: string) {
  const { rows } = await db.pool.query(`SELECT m.thread_id, p.msgid AS parent, m.ghost, m.thread_method FROM message m LEFT JOIN message p ON p.id = m.parent_id WHERE m.msgid = $1`, [msgid]);
  return rows[0];
}

describe("ingest an mbox", () => {
  it("stores messages with their raw bytes and threads replies under their parents", async () => {
    const file = mbox("basic.mbox", [
      mail({ id: "a@x", subject: "[PATCH] mm: a thing" }),
      mail({ id: "b@x", subject: "Re: [PATCH] mm: a thing", inReplyTo: "a@x", references: ["a@x"], from: "Bob <BOB@Example.org>" }),
      mail({ id: "c@x", subject: "Re: [PATCH] mm: a thing", inReplyTo: "b@x", references: ["a@x", "b@x"], body: "From the top\n>From quoted\n" }),
    ]);
    const s = await ingestSource(db, file, { list: "basic", workers: 0 });
    expect(s).toMatchObject({ read: 3, inserted: 3, unchanged: 0, duplicates: 0, skipped: 0 });
    const a = await threadOf("a@x"), b = await threadOf("b@x"), c = await threadOf("c@x");
    expect(b.thread_id).toBe(a.thread_id);
    expect(c.thread_id).toBe(a.thread_id);
    expect(a.parent).toBeNull();
    expect(b.parent).toBe("a@x");
    expect(c.parent).toBe("b@x");
    const { rows } = await db.pool.query(`SELECT r.raw FROM raw_message r JOIN message m ON m.id = r.message_id WHERE m.msgid = 'c@x'`);
    expect(rows[0].raw.toString()).toContain("From the top\n>From quoted\n"); // mboxrd quoting undone once
    const { rows: people } = await db.pool.query(`SELECT address, names FROM person WHERE address = 'bob@example.org'`);
    expect(people[0].names).toEqual(["Bob"]);
    const { rows: lists } = await db.pool.query(`SELECT list_id FROM list WHERE name = 'basic'`);
    expect(lists[0].list_id).toBe("test.lists.example.org");
  });

  it("is a no-op when the same messages come again", async () => {
    const before = await getStats(db);
    const s = await ingestSource(db, path.join(dir, "basic.mbox"), { list: "basic", workers: 0 });
    expect(s).toMatchObject({ read: 3, inserted: 0, unchanged: 3, duplicates: 0 });
    expect(await getStats(db)).toEqual(before);
  });

  it("keeps a different message with a taken Message-ID as a duplicate, once", async () => {
    const file = mbox("dupe.mbox", [mail({ id: "a@x", subject: "[PATCH] mm: a thing", body: "a different body\n" })]);
    const s1 = await ingestSource(db, file, { list: "basic", workers: 0 });
    expect(s1.duplicates).toBe(1);
    const s2 = await ingestSource(db, file, { list: "basic", workers: 0 });
    expect(s2.duplicates).toBe(0);
    expect((await getStats(db)).duplicates).toBe(1);
  });

  it("gives a message without Message-ID a stable synthetic one", async () => {
    const file = mbox("noid.mbox", [mail({ id: null, subject: "no id here" })]);
    await ingestSource(db, file, { list: "basic", workers: 0 });
    await ingestSource(db, file, { list: "basic", workers: 0 });
    const { rows } = await db.pool.query(`SELECT msgid, synthetic_msgid FROM message WHERE subject = 'no id here'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].synthetic_msgid).toBe(true);
    expect(rows[0].msgid).toMatch(/@synthetic\.invalid$/);
  });

  it("records a message it cannot parse with the reason, and goes on", async () => {
    const file = path.join(dir, "bad.mbox");
    fs.writeFileSync(
      file,
      `From x Thu Jan  1 00:00:00 1970\n\n\n\u0000\u0001 not a message\n\nFrom x Thu Jan  1 00:00:00 1970\n` + mail({ id: "after-bad@x", subject: "fine" }) + "\n",
    );
    const s = await ingestSource(db, file, { list: "basic", workers: 0 });
    expect(s.inserted).toBe(1);
    expect(s.skipped).toBe(1);
    const st = await getStats(db);
    expect(st.parseErrors).toBe(1);
    expect(Object.keys(st.skippedByReason)).toHaveLength(1);
  });

  it("skips (and records) messages over the size limit", async () => {
    const file = mbox("big.mbox", [mail({ id: "big@x", subject: "big", body: "x".repeat(5000) + "\n" }), mail({ id: "small@x", subject: "small" })]);
    const s = await ingestSource(db, file, { list: "basic", workers: 0, maxMessageBytes: 2000 });
    expect(s).toMatchObject({ inserted: 1, skipped: 1 });
    expect((await getStats(db)).skippedByReason["too-large"]).toBe(1);
  });
});

describe("faults in the input", () => {
  it("keeps what a truncated .gz held before the cut, and records why it stopped", async () => {
    const { gzipSync } = await import("node:zlib");
    const mails = Array.from({ length: 60 }, (_, i) => mail({ id: `gz${i}@x`, subject: `gz ${i}`, body: `message ${i} `.repeat(40) + "\n" }));
    const whole = gzipSync(Buffer.from(mails.map((m) => `From x Thu Jan  1 00:00:00 1970\n${m}\n`).join("")));
    const file = path.join(dir, "cut.mbox.gz");
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const s = await ingestSource(db, file, { list: "faults", workers: 0, batchSize: 10 });
    expect(s.sourceError).toBeTruthy();
    expect(s.inserted).toBeGreaterThan(10);
    expect(s.inserted).toBeLessThan(60);
    expect((await getStats(db)).skippedByReason["source-error"]).toBe(1);
  });

  it("counts a message skipped again on a rerun as unchanged, so the summary adds up", async () => {
    const file = path.join(dir, "rerun-bad.mbox");
    fs.writeFileSync(file, `From x Thu Jan  1 00:00:00 1970\n\n\n\u0000 junk\n\nFrom x Thu Jan  1 00:00:00 1970\n` + mail({ id: "rerun-good@x", subject: "good" }) + "\n");
    await ingestSource(db, file, { list: "faults", workers: 0 });
    const again = await ingestSource(db, file, { list: "faults", workers: 0 });
    expect(again.read).toBe(again.inserted + again.unchanged + again.duplicates + again.skipped);
    expect(again.unchanged).toBe(2);
  });

  it("puts a known message read for another list into that list's threads", async () => {
    const file = mbox("two-lists.mbox", [mail({ id: "both@x", subject: "cross-posted" })]);
    await ingestSource(db, file, { list: "list-a", workers: 0 });
    await ingestSource(db, file, { list: "list-b", workers: 0 });
    const b = await listThreads(db, "list-b");
    expect(b!.items.map((t) => t.root?.msgid)).toEqual(["both@x"]);
    const { checkDatabase } = await import("../lib/views/check");
    const check = await checkDatabase(db);
    expect(check.checks.find((c) => c.name === "list thread rows out of date")!.problems).toBe(0);
  });
});

describe("patches", () => {
  it("stores a patch mail's diff as patch, files and hunks, with line ranges into the body", async () => {
    const body = [
      "The rotation queue is drained on node offline.",
      "",
      "Signed-off-by: Ann Author <ann@example.org>",
      "---",
      " mm/rotation.c | 3 ++-",
      " 1 file changed, 2 insertions(+), 1 deletion(-)",
      "",
      "diff --git a/mm/rotation.c b/mm/rotation.c",
      "index 1111111..2222222 100644",
      "--- a/mm/rotation.c",
      "+++ b/mm/rotation.c",
      "@@ -10,3 +10,4 @@ static void drain_queue(struct rq *q)",
      " \tspin_lock(&q->lock);",
      "-\tlist_del(&q->head);",
      "+\tlist_del_init(&q->head);",
      "+\tq->len = 0;",
      " \tspin_unlock(&q->lock);",
      "-- ",
      "2.40.0",
      "",
    ].join("\n").replaceAll("\\t", "\t");
    await ingestSource(db, mbox("patch.mbox", [mail({ id: "p1@x", subject: "[PATCH v2 1/1] mm/rotation: drain on offline", body })]), { list: "patches", workers: 0 });
    const { rows: [p] } = await db.pool.query(`SELECT p.* FROM patch p JOIN message m ON m.id = p.message_id WHERE m.msgid = 'p1@x'`);
    expect(p).toMatchObject({ kind: "patch", version: 2, counter_index: 1, counter_total: 1, added: 2, removed: 1, files_changed: 1, subsystem: "mm/rotation" });
    expect(p.patch_id).toMatch(/^[0-9a-f]{40}$/);
    const { rows: files } = await db.pool.query(`SELECT path, status, added, removed FROM patch_file WHERE message_id = $1`, [p.message_id]);
    expect(files).toEqual([{ path: "mm/rotation.c", status: "modified", added: 2, removed: 1 }]);
    const { rows: hunks } = await db.pool.query(`SELECT h.* FROM hunk h JOIN patch_file f ON f.id = h.file_id WHERE f.message_id = $1`, [p.message_id]);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]).toMatchObject({ heading: "static void drain_queue(struct rq *q)", old_start: 10, new_lines: 4, added_text: "\tlist_del_init(&q->head);\n\tq->len = 0;" });
    const lines = body.split("\n");
    expect(lines[hunks[0].start_line]).toMatch(/^@@ -10,3/);
    const { rows: [m] } = await db.pool.query(`SELECT facts FROM message WHERE msgid = 'p1@x'`);
    expect(m.facts).toHaveProperty("changeId", null);
  });
});

describe("threading", () => {
  it("creates ghosts for absent parents and fills them in place when they arrive", async () => {
    await ingestSource(db, mbox("late1.mbox", [mail({ id: "r3@t", subject: "Re: topic", references: ["r1@t", "r2@t"], inReplyTo: "r2@t" })]), { list: "threads", workers: 0 });
    const ghost = await threadOf("r1@t");
    expect(ghost.ghost).toBe(true);
    expect((await threadOf("r2@t")).parent).toBe("r1@t"); // the ghost chain follows References
    const { rows: [{ id: ghostRowId }] } = await db.pool.query(`SELECT id FROM message WHERE msgid = 'r1@t'`);
    const s = await ingestSource(db, mbox("late2.mbox", [mail({ id: "r1@t", subject: "topic" })]), { list: "threads", workers: 0 });
    expect(s.filledGhosts).toBe(1);
    const filled = await threadOf("r1@t");
    expect(filled.ghost).toBe(false);
    expect(filled.thread_id).toBe(ghost.thread_id);
    const { rows: [{ id }] } = await db.pool.query(`SELECT id FROM message WHERE msgid = 'r1@t'`);
    expect(id).toBe(ghostRowId);
    const view = await getThread(db, "threads", "r3@t");
    expect(view!.tree.map((n) => [n.msgid, n.depth, n.ghost])).toEqual([
      ["r1@t", 0, false],
      ["r2@t", 1, true],
      ["r3@t", 2, false],
    ]);
  });

  it("merges two threads when a message references both", async () => {
    await ingestSource(db, mbox("m1.mbox", [mail({ id: "p@m", subject: "one" }), mail({ id: "q@m", subject: "two" })]), { list: "threads", workers: 0 });
    expect((await threadOf("p@m")).thread_id).not.toBe((await threadOf("q@m")).thread_id);
    await ingestSource(db, mbox("m2.mbox", [mail({ id: "pq@m", subject: "Re: both", references: ["p@m", "q@m"] })]), { list: "threads", workers: 0 });
    const t = (await threadOf("p@m")).thread_id;
    expect((await threadOf("q@m")).thread_id).toBe(t);
    expect((await threadOf("pq@m")).thread_id).toBe(t);
    const { rows } = await db.pool.query(`SELECT count(*) AS n FROM thread t WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.thread_id = t.id)`);
    expect(rows[0].n).toBe(0); // merged-away threads are gone
  });

  it("threads a reply without references by subject, and says so", async () => {
    await ingestSource(
      db,
      mbox("subj.mbox", [
        mail({ id: "orig@s", subject: "[RFC PATCH 0/2] mm: rotation queue", date: "Mon, 06 Mar 2023 10:00:00 +0000" }),
        mail({ id: "lost@s", subject: "Re: [RFC PATCH 0/2] mm: rotation queue", date: "Tue, 07 Mar 2023 10:00:00 +0000" }),
        mail({ id: "other@s", subject: "Re: something never seen", date: "Tue, 07 Mar 2023 11:00:00 +0000" }),
      ]),
      { list: "threads", workers: 0 },
    );
    const lost = await threadOf("lost@s");
    expect(lost.thread_id).toBe((await threadOf("orig@s")).thread_id);
    expect(lost.thread_method).toBe("subject");
    expect(lost.parent).toBe("orig@s");
    expect((await threadOf("other@s")).thread_method).toBe("none");
  });

  it("survives reference cycles and self-references", async () => {
    await ingestSource(
      db,
      mbox("cycle.mbox", [
        mail({ id: "x@c", subject: "Re: loop", references: ["y@c", "x@c"] }),
        mail({ id: "y@c", subject: "Re: loop", references: ["x@c"] }),
        mail({ id: "z@c", subject: "Re: loop", references: ["z@c", "y@c", "x@c", "y@c"] }),
      ]),
      { list: "threads", workers: 0 },
    );
    const t = (await threadOf("x@c")).thread_id;
    expect((await threadOf("y@c")).thread_id).toBe(t);
    const view = await getThread(db, "threads", "x@c");
    expect(view!.tree.filter((n) => !n.ghost).map((n) => n.msgid).sort()).toEqual(["x@c", "y@c", "z@c"]);
  });

  it("lists threads newest activity first", async () => {
    const page = await listThreads(db, "threads", 1, 50);
    const dates = page!.items.map((t) => t.lastDate ?? "");
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(page!.total).toBe(page!.items.length);
  });
});

describe("public-inbox", () => {
  const git = (cwd: string, args: string[], input?: string) => execFileSync("git", args, { cwd, input, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, GIT_AUTHOR_NAME: "a", GIT_AUTHOR_EMAIL: "a@x", GIT_COMMITTER_NAME: "a", GIT_COMMITTER_EMAIL: "a@x" } }).toString().trim();
  function commitBlob(repo: string, file: "m" | "d", content: string) {
    const blob = git(repo, ["hash-object", "-w", "--stdin"], content);
    const tree = git(repo, ["mktree"], `100644 blob ${blob}\t${file}\n`);
    let parent: string[] = [];
    try {
      parent = ["-p", git(repo, ["rev-parse", "refs/heads/master"])];
    } catch {
      // first commit
    }
    const commit = git(repo, ["commit-tree", tree, ...parent, "-m", "msg"]);
    git(repo, ["update-ref", "refs/heads/master", commit]);
  }

  it("takes every m blob, remembers the last commit per epoch, and a rerun takes only new commits", async () => {
    const repo = path.join(dir, "inbox", "git", "0.git");
    fs.mkdirSync(repo, { recursive: true });
    git(repo, ["init", "--bare", "-q", "-b", "master"]);
    for (let i = 0; i < 5; i++) commitBlob(repo, "m", mail({ id: `pi${i}@x`, subject: `msg ${i}`, references: i ? [`pi${i - 1}@x`] : [] }));
    const s1 = await ingestSource(db, repo, { list: "pi", workers: 0 });
    expect(s1).toMatchObject({ read: 5, inserted: 5 });
    const s2 = await ingestSource(db, repo, { list: "pi", workers: 0 });
    expect(s2.read).toBe(0);
    commitBlob(repo, "m", mail({ id: "pi5@x", subject: "msg 5", references: ["pi4@x"] }));
    commitBlob(repo, "d", mail({ id: "pi2@x", subject: "msg 2", references: ["pi1@x"] }));
    const s3 = await ingestSource(db, repo, { list: "pi", workers: 0 });
    expect(s3).toMatchObject({ read: 2, inserted: 1, deleted: 1 });
    const { rows } = await db.pool.query(`SELECT count(*) AS n FROM list_message lm JOIN list l ON l.id = lm.list_id WHERE l.name = 'pi'`);
    expect(rows[0].n).toBe(5);
    expect((await getStats(db)).deletions).toBe(1);
  });

  it("parses on worker threads with the same result", async () => {
    const repo = path.join(dir, "inbox2.git");
    fs.mkdirSync(repo, { recursive: true });
    git(repo, ["init", "--bare", "-q", "-b", "master"]);
    for (let i = 0; i < 30; i++) commitBlob(repo, "m", mail({ id: `w${i}@x`, subject: `w ${i}`, references: i ? [`w${i - 1}@x`] : [] }));
    const s = await ingestSource(db, repo, { list: "workers", workers: 2, batchSize: 7 });
    expect(s).toMatchObject({ read: 30, inserted: 30 });
    const { rows } = await db.pool.query(`SELECT count(DISTINCT thread_id) AS n FROM message WHERE msgid LIKE 'w%@x'`);
    expect(rows[0].n).toBe(1);
  });
});

describe("references in bodies", () => {
  it("keeps Message-IDs and lore links named in a body, resolved once the target is in the database", async () => {
    const body = "As discussed in https://lore.kernel.org/linux-mm/target-1@x/ and <target-2@x>, v2 follows.\n";
    await ingestSource(db, mbox("refs.mbox", [mail({ id: "citing@x", subject: "[PATCH v2] mm: cite", body })]), { list: "refs", workers: 0 });
    const { getMessage } = await import("../lib/views/messages");
    const before = await getMessage(db, "refs", "citing@x");
    expect(before!.links.map((l) => [l.msgid, l.found])).toEqual([["target-1@x", false], ["target-2@x", false]]);
    await ingestSource(db, mbox("refs-target.mbox", [mail({ id: "target-1@x", subject: "[PATCH] mm: the first" })]), { list: "refs", workers: 0 });
    const after = await getMessage(db, "refs", "citing@x");
    expect(after!.links[0]).toMatchObject({ msgid: "target-1@x", found: true, list: "refs", subject: "[PATCH] mm: the first" });
    expect(after!.links[1].found).toBe(false);
  });
});

describe("API", () => {
  it("answers lists, messages, threads and raw", async () => {
    const lists = await handleApi(db, ["lists"], new URLSearchParams());
    expect(lists.status).toBe(200);
    expect((lists as { json: { name: string }[] }).json.map((l) => l.name)).toContain("basic");
    const msg = await handleApi(db, ["basic", "b@x"], new URLSearchParams());
    expect(msg).toMatchObject({ status: 200, json: { msgid: "b@x", fromAddress: "bob@example.org", parent: "a@x" } });
    const thread = await handleApi(db, ["basic", "c@x", "T"], new URLSearchParams());
    expect((thread as { json: { flat: unknown[] } }).json.flat).toHaveLength(3);
    const raw = await handleApi(db, ["basic", "a@x", "raw"], new URLSearchParams());
    expect(raw).toMatchObject({ status: 200, contentType: "text/plain; charset=utf-8" });
    expect((await handleApi(db, ["nolist"], new URLSearchParams())).status).toBe(404);
    expect((await handleApi(db, ["threads", "a@x"], new URLSearchParams())).status).toBe(404); // not in that list
    const stats = await handleApi(db, ["stats"], new URLSearchParams());
    expect(Object.keys((stats as { json: object }).json)).toEqual(
      expect.arrayContaining(["messages", "threads", "ghosts", "lists", "people", "duplicates", "parseErrors"]),
    );
  });
});
