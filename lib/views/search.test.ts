// Search end to end on a small corpus written for it: real mails ingested by the real ingester
// into a test database, then every prefix and operator of the language, quoted-vs-unquoted diff
// terms, identifiers, ordering, threads, paging, snippets, the outputs and the errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mboxrd } from "../export/mbox";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { DEMO_MBOX } from "../../ingest/serve";
import { search, searchMbox, SearchError, explainSearch } from "./search";
import { reindexSearch } from "../passes/reindex";
import { getPatchReview, getSeriesReview } from "./review";
import { handleApi } from "../api/router";
import { MAX_QUERY_LENGTH } from "../search/query";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let db: TestDb;
let dir: string;

const NOW = new Date("2023-06-15T12:00:00Z");

interface Spec {
  id: string;
  from?: string;
  to?: string;
  cc?: string;
  subject: string;
  date: string;
  refs?: string[];
  body: string;
  headers?: string[];
  /** a complete MIME body with its Content-Type header (replaces body) */
  mime?: { contentType: string; body: string };
}

function mail(s: Spec): string {
  const h = [
    `From: ${s.from ?? "Ann Author <ann@example.org>"}`,
    `To: ${s.to ?? "Test List <test@lists.example.org>"}`,
    ...(s.cc ? [`Cc: ${s.cc}`] : []),
    `Subject: ${s.subject}`,
    `Date: ${s.date}`,
    `Message-ID: <${s.id}>`,
    ...(s.refs?.length ? [`In-Reply-To: <${s.refs[s.refs.length - 1]}>`, `References: ${s.refs.map((r) => `<${r}>`).join(" ")}`] : []),
    "List-Id: Test list <test.lists.example.org>",
    ...(s.headers ?? []),
  ];
  if (s.mime) return [...h, "MIME-Version: 1.0", `Content-Type: ${s.mime.contentType}`].join("\n") + "\n\n" + s.mime.body;
  return h.join("\n") + "\n\n" + s.body;
}

function writeMbox(name: string, mails: string[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, mboxrd(mails.map((m) => Buffer.from(m))));
  return p;
}

const DIFF_MEMORY = `diff --git a/mm/memory.c b/mm/memory.c
index 3a4b5c6d7e8f..9f8e7d6c5b4a 100644
--- a/mm/memory.c
+++ b/mm/memory.c
@@ -10,7 +10,8 @@ static vm_fault_t do_wp_page(struct vm_fault *vmf)
 	spin_lock(&vmf->ptl);
-	old_call(vma);
+	vm_write_begin(vma);
+	flags |= __GFP_NOWARN;
 	spin_unlock(&vmf->ptl);
`;

const DIFF_MM_H = `diff --git a/include/linux/mm.h b/include/linux/mm.h
index 1111111aaaa..2222222bbbb 100644
--- a/include/linux/mm.h
+++ b/include/linux/mm.h
@@ -20,6 +20,7 @@ struct page *follow_page(struct vm_area_struct *vma)
 extern int sysctl_max_map_count;
+extern void vm_write_begin(struct vm_area_struct *vma);
 extern unsigned long mmap_min_addr;
`;

function patchBody(msg: string, diff: string, stat: string): string {
  return `${msg}\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n ${stat} | 2 ++\n 1 file changed, 2 insertions(+)\n\n${diff}--\n2.39.0\n`;
}

const quote = (text: string) => text.split("\n").map((l) => (l ? `> ${l}` : ">")).join("\n");

// the corpus, by short name
const M = {
  v1cover: "v1-0@example.org",
  v1p1: "v1-1@example.org",
  cover: "v2-0@example.org",
  p1: "v2-1@example.org",
  p2: "v2-2@example.org",
  review: "review-1@example.com",
  nak: "nak-1@example.com",
  inline: "inline-1@example.net",
  attach: "attach-1@example.net",
  rfc: "rfc-1@example.org",
  codewords: "code-1@example.org",
  old: "old-1@example.org",
  near: "near-1@example.org",
  far: "far-1@example.org",
  html: "weird-1@example.org",
  long: "long-1@example.org",
  other: "other-1@example.org",
} as const;
type Name = keyof typeof M;
const NAME_OF = new Map<string, Name>(Object.entries(M).map(([k, v]) => [v as string, k as Name]));

function corpus(): string[] {
  return [
    mail({
      id: M.v1cover,
      subject: "[PATCH 0/1] mm: fix vm_write_begin races",
      date: "Thu, 01 Dec 2022 10:00:00 +0000",
      body: "First try at fixing the races.\n",
    }),
    mail({
      id: M.v1p1,
      subject: "[PATCH 1/1] mm: add vm_write_begin helper",
      date: "Thu, 01 Dec 2022 10:00:01 +0000",
      refs: [M.v1cover],
      body: patchBody("Add the helper, first version.", DIFF_MEMORY, "mm/memory.c"),
    }),
    mail({
      id: M.cover,
      subject: "[PATCH v2 0/2] mm: fix vm_write_begin races",
      date: "Tue, 10 Jan 2023 10:00:00 +0000",
      cc: "Andrew Morton <akpm@linux-foundation.org>",
      body: "This series fixes a use after free in the fault path.\n\nChanges since v1:\n- split the header change\n",
    }),
    mail({
      id: M.p1,
      subject: "[PATCH v2 1/2] mm: add vm_write_begin helper",
      date: "Tue, 10 Jan 2023 10:00:01 +0000",
      cc: "Andrew Morton <akpm@linux-foundation.org>",
      refs: [M.cover],
      body: patchBody("Add the helper that marks the start of a write.", DIFF_MEMORY, "mm/memory.c"),
    }),
    mail({
      id: M.p2,
      subject: "[PATCH v2 2/2] mm: declare vm_write_begin",
      date: "Tue, 10 Jan 2023 10:00:02 +0000",
      cc: "Andrew Morton <akpm@linux-foundation.org>",
      refs: [M.cover],
      body: patchBody("Declare it in the header.", DIFF_MM_H, "include/linux/mm.h"),
    }),
    mail({
      id: M.review,
      from: "Bob Reviewer <bob@example.com>",
      subject: "Re: [PATCH v2 1/2] mm: add vm_write_begin helper",
      date: "Wed, 11 Jan 2023 09:00:00 +0000",
      refs: [M.cover, M.p1],
      body: `On Tue, Jan 10, 2023, Ann Author wrote:\n${quote(DIFF_MEMORY)}\n\nThe tuning of the lock looks right; no timeout concerns here.\n\nReviewed-by: Bob Reviewer <bob@example.com>\n`,
    }),
    mail({
      id: M.nak,
      from: "Carl Critic <carl@example.com>",
      subject: "Re: [PATCH v2 0/2] mm: fix vm_write_begin races",
      date: "Wed, 11 Jan 2023 11:00:00 +0000",
      refs: [M.cover],
      body: "> This series fixes a use after free in the fault path.\n\nNAK, the naming is confusing.\n",
    }),
    mail({
      id: M.inline,
      from: "Dana Dev <dana@example.net>",
      subject: "Re: [PATCH v2 2/2] mm: declare vm_write_begin",
      date: "Thu, 12 Jan 2023 08:00:00 +0000",
      refs: [M.cover, M.p2],
      body: `> Declare it in the header.\n\nSomething like this instead:\n\ndiff --git a/mm/rmap.c b/mm/rmap.c\n--- a/mm/rmap.c\n+++ b/mm/rmap.c\n@@ -5,6 +5,7 @@ static void page_remove_rmap(struct page *page)\n \tatomic_dec(&page->_mapcount);\n+\trmap_walk_locked(page);\n \treturn;\n`,
    }),
    mail({
      id: M.attach,
      from: "Erin Ops <erin@example.net>",
      cc: "stable@vger.kernel.org",
      subject: "boot failure with config",
      date: "Fri, 13 Jan 2023 08:00:00 +0000",
      headers: ["Received: from mx.example.net by lists.example.org; Fri, 13 Jan 2023 09:30:00 +0000"],
      body: "",
      mime: {
        contentType: 'multipart/mixed; boundary="BOUND"',
        body: `--BOUND\nContent-Type: text/plain; charset=utf-8\n\nAttached my kernel config.\n--BOUND\nContent-Type: application/gzip\nContent-Disposition: attachment; filename="config.gz"\nContent-Transfer-Encoding: base64\n\nH4sIAAAAAAAAA0vOzytJzSvhAgBK9t5vBwAAAA==\n--BOUND--\n`,
      },
    }),
    mail({
      id: M.rfc,
      subject: "[RFC PATCH] block: rework the request timeout",
      date: "Mon, 16 Jan 2023 08:00:00 +0000",
      body: patchBody("Rework it.", DIFF_MM_H.replace(/include\/linux\/mm\.h/g, "block/blk-core.c"), "block/blk-core.c"),
    }),
    mail({
      id: M.codewords,
      from: "Ann Author <ann@example.org>",
      subject: "question about __GFP_NOWARN",
      date: "Tue, 17 Jan 2023 08:00:00 +0000",
      body: "Why does x86_64 set the 0x1f mask since v5.10? See mm/memory.c and do_wp_page().\n",
    }),
    mail({
      id: M.old,
      from: "Old Timer <old@example.org>",
      subject: "an old discussion about regressions",
      date: "Wed, 10 Mar 2021 08:00:00 +0000",
      body: "The regression appeared in 2021.\n",
    }),
    mail({
      id: M.near,
      subject: "tuning notes",
      date: "Wed, 18 Jan 2023 08:00:00 +0000",
      body: "The tuning procedure hit a timeout on slow cards.\n",
    }),
    mail({
      id: M.far,
      subject: "more notes",
      date: "Wed, 18 Jan 2023 09:00:00 +0000",
      body: "The timeout was long, and after one two three four five six seven eight nine ten eleven twelve words we did tuning.\n",
    }),
    mail({
      id: M.long,
      from: "Zed Logger <zed@example.org>",
      subject: "long log",
      date: "Sat, 21 Jan 2023 08:00:00 +0000",
      body: Array.from({ length: 3000 }, (_, i) => `filler ${i}`).join("\n") + "\nthe deepneedle is here\n" + "tail\n".repeat(10),
    }),
    mail({
      id: M.html,
      from: '"<script>alert(1)</script>" <x@example.org>',
      subject: "<b>bold</b> & ]]> \u0001 strange",
      date: "Thu, 19 Jan 2023 08:00:00 +0000",
      body: "a & b < c > d \"quoted\" 'single' strange\n",
    }),
  ];
}

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "search-test-"));
  const s = await ingestSource(db, writeMbox("test.mbox", corpus()), { list: "test", workers: 0 });
  expect(s.inserted).toBe(corpus().length);
  await ingestSource(
    db,
    writeMbox("other.mbox", [
      mail({ id: M.other, subject: "on another list entirely", date: "Fri, 20 Jan 2023 08:00:00 +0000", body: "unrelated vm_write_begin chatter\n" }).replace(
        "List-Id: Test list <test.lists.example.org>",
        "List-Id: Other list <other.lists.example.org>",
      ),
    ]),
    { list: "other", workers: 0 },
  );
});

afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function names(q: string, extra: { threads?: boolean; relevance?: boolean } = {}): Promise<Name[]> {
  const r = await search(db, { q, limit: 200, now: NOW, ...extra });
  return r.hits.map((h) => NAME_OF.get(h.msgid)!).sort();
}
const set = (...xs: Name[]) => [...xs].sort();

async function fails(q: string): Promise<SearchError> {
  try {
    await search(db, { q, now: NOW });
  } catch (e) {
    if (e instanceof SearchError) return e;
    throw e;
  }
  throw new Error(`${q}: no error`);
}

describe("text prefixes", () => {
  it("s: subject, f: From, t: To, c: Cc, tc:, a:/tcf:", async () => {
    expect(await names("s:vm_write_begin")).toEqual(set("v1cover", "v1p1", "cover", "p1", "p2", "review", "nak", "inline"));
    expect(await names("s:declare")).toEqual(set("p2", "inline"));
    expect(await names("f:bob@example.com")).toEqual(set("review"));
    expect(await names('f:"Bob Reviewer"')).toEqual(set("review"));
    expect(await names("f:reviewer")).toEqual(set("review"));
    expect(await names("t:test@lists.example.org s:declare")).toEqual(set("p2", "inline"));
    expect(await names("c:akpm@linux-foundation.org")).toEqual(set("cover", "p1", "p2"));
    expect(await names("c:stable")).toEqual(set("attach"));
    expect(await names("tc:stable")).toEqual(set("attach"));
    expect(await names("tc:akpm")).toEqual(set("cover", "p1", "p2"));
    expect(await names("a:erin@example.net")).toEqual(set("attach"));
    expect(await names("tcf:akpm")).toEqual(set("cover", "p1", "p2"));
    expect(await names("a:akpm OR a:erin")).toEqual(set("cover", "p1", "p2", "attach"));
  });

  it("b: body (quoted, unquoted, diffs), bs: subject + body, nq: unquoted, q: quoted", async () => {
    expect(await names('b:"use after free"')).toEqual(set("cover", "nak"));
    expect(await names('nq:"use after free"')).toEqual(set("cover"));
    expect(await names('q:"use after free"')).toEqual(set("nak"));
    expect(await names("b:naming")).toEqual(set("nak"));
    expect(await names("bs:regression*")).toEqual(set("old"));
    expect(await names("bs:notes")).toEqual(set("near", "far"));
    expect(await names("b:notes")).toEqual([]);
    // nq: includes the message's own diff, as lore's XNQ prefix set does
    expect(await names("nq:old_call")).toEqual(set("v1p1", "p1"));
  });

  it("n: attachment names, has:attachment", async () => {
    expect(await names("n:config.gz")).toEqual(set("attach"));
    expect(await names("n:config")).toEqual(set("attach"));
    expect(await names("has:attachment")).toEqual(set("attach"));
  });

  it("m: Message-ID words, mid: exact, references:/refs:, thread:", async () => {
    expect(await names("m:review")).toEqual(set("review"));
    expect(await names(`mid:${M.p1}`)).toEqual(set("p1"));
    expect(await names(`mid:<${M.p1}>`)).toEqual(set("p1"));
    expect(await names(`mid:V2-1@example.org`)).toEqual([]); // exact: case matters
    expect(await names(`references:${M.cover}`)).toEqual(set("p1", "p2", "review", "nak", "inline"));
    expect(await names(`refs:${M.p2}`)).toEqual(set("inline"));
    expect(await names(`thread:${M.nak}`)).toEqual(set("cover", "p1", "p2", "review", "nak", "inline"));
    expect(await names(`mid:${M.p1} mid:${M.p2}`)).toEqual(set("p1", "p2")); // lore: same boolean prefix ORs
  });

  it("l: List-Id words, lid: exact List-Id", async () => {
    expect(await names("l:other vm_write_begin")).toEqual(set("other"));
    expect(await names("lid:other.lists.example.org")).toEqual(set("other"));
    expect(await names("lid:test.lists.example.org s:declare")).toEqual(set("p2", "inline"));
    expect(await names("l:nosuchlist s:declare")).toEqual([]);
    expect(await names("l:lists s:declare")).toEqual(set("p2", "inline")); // every list
  });
});

describe("diff prefixes: the message's own unquoted diff only", () => {
  it("dfn:/file: a file in the diff, not in a quoted diff", async () => {
    expect(await names("dfn:mm/memory.c")).toEqual(set("v1p1", "p1"));
    expect(await names("file:mm/memory.c")).toEqual(set("v1p1", "p1"));
    expect(await names("dfn:memory.c")).toEqual(set("v1p1", "p1"));
    expect(await names("dfn:mm/rmap.c")).toEqual(set("inline")); // an unquoted diff in a reply counts
    expect(await names("q:vm_write_begin")).toEqual(set("review")); // the quoting reply: quoted text
    expect(await names("b:do_wp_page")).toEqual(set("v1p1", "p1", "review", "codewords"));
  });

  it("dfhh:/func: the function of a hunk, dfa: removed, dfb: added, dfctx: context", async () => {
    expect(await names("dfhh:do_wp_page")).toEqual(set("v1p1", "p1"));
    expect(await names("func:do_wp_page()")).toEqual(set("v1p1", "p1"));
    expect(await names("dfhh:follow_page")).toEqual(set("p2", "rfc"));
    expect(await names("dfa:old_call")).toEqual(set("v1p1", "p1"));
    expect(await names("dfb:old_call")).toEqual([]);
    expect(await names("dfb:vm_write_begin")).toEqual(set("v1p1", "p1", "p2", "rfc"));
    expect(await names("dfb:rmap_walk_locked")).toEqual(set("inline"));
    expect(await names("dfctx:spin_lock")).toEqual(set("v1p1", "p1"));
    expect(await names("dfctx:vm_write_begin")).toEqual([]);
    expect(await names('dfb:"flags |= __GFP_NOWARN"')).toEqual(set("v1p1", "p1"));
  });

  it("dfpre:, dfpost:, dfblob: blob ids (any abbreviation of 7+ digits), patchid:", async () => {
    expect(await names("dfpre:3a4b5c6")).toEqual(set("v1p1", "p1"));
    expect(await names("dfpre:3a4b5c6d7e8f")).toEqual(set("v1p1", "p1"));
    expect(await names("dfpost:9f8e7d6")).toEqual(set("v1p1", "p1"));
    expect(await names("dfpre:9f8e7d6")).toEqual([]);
    expect(await names("dfblob:9f8e7d6")).toEqual(set("v1p1", "p1"));
    expect(await names("3a4b5c6d")).toEqual(set("v1p1", "p1")); // lore's default search has the blob ids
    const { rows } = await db.pool.query(`SELECT p.patch_id FROM patch p JOIN message m ON m.id = p.message_id WHERE m.msgid = $1`, [M.p1]);
    expect(rows[0].patch_id).toMatch(/^[0-9a-f]{40}$/);
    // v1 and v2 carry the same diff: the same patch-id
    expect(await names(`patchid:${rows[0].patch_id}`)).toEqual(set("v1p1", "p1"));
  });
});

describe("identifiers", () => {
  it("code words are whole words; paths and addresses are phrases of their parts", async () => {
    expect(await names("__GFP_NOWARN")).toEqual(set("v1p1", "p1", "review", "codewords")); // review quotes it
    expect(await names("nq:__GFP_NOWARN")).toEqual(set("v1p1", "p1"));
    expect(await names("gfp")).toEqual([]);
    expect(await names("0x1f")).toEqual(set("codewords"));
    expect(await names("x86_64")).toEqual(set("codewords"));
    expect(await names("v5.10")).toEqual(set("codewords"));
    expect(await names("nq:mm/memory.c")).toEqual(set("v1p1", "p1", "codewords"));
    expect(await names("nq:do_wp_page()")).toEqual(set("v1p1", "p1", "codewords"));
    expect(await names("vm_write_begin")).toEqual(set("v1cover", "v1p1", "cover", "p1", "p2", "review", "nak", "inline", "rfc", "other"));
    expect(await names("vm_write")).toEqual([]);
    expect(await names("vm_write*")).toEqual(set("v1cover", "v1p1", "cover", "p1", "p2", "review", "nak", "inline", "rfc", "other"));
    expect(await names("dfhh:do_wp*")).toEqual(set("v1p1", "p1"));
  });
});

describe("operators", () => {
  it("AND (and juxtaposition), OR, NOT, -, +, XOR, parentheses", async () => {
    expect(await names("s:declare AND f:dana")).toEqual(set("inline"));
    expect(await names("s:declare f:dana")).toEqual(set("inline"));
    expect(await names("s:declare OR s:tuning")).toEqual(set("p2", "inline", "near"));
    expect(await names("s:declare NOT f:dana")).toEqual(set("p2"));
    expect(await names("s:declare -f:dana")).toEqual(set("p2"));
    expect(await names("+s:declare +f:dana")).toEqual(set("inline"));
    expect(await names("s:declare XOR f:ann")).toEqual(set("inline", "v1cover", "v1p1", "cover", "p1", "codewords", "rfc", "near", "far", "other"));
    expect(await names("(s:declare OR s:tuning) -f:dana")).toEqual(set("p2", "near"));
    expect(await names("s:(declare OR tuning)")).toEqual(set("p2", "inline", "near"));
    // negations that cannot join a tsquery: a facet or a date under NOT
    expect(await names("s:vm_write_begin -is:reply -d:..2023-01-01")).toEqual(set("cover", "p1", "p2"));
    expect(await names("s:vm_write_begin NOT (is:patch OR is:cover)")).toEqual(set("review", "nak", "inline"));
  });

  it('"phrases" keep order and adjacency; a trailing * is a prefix', async () => {
    expect(await names('"use after free"')).toEqual(set("cover", "nak"));
    expect(await names('"free after use"')).toEqual([]);
    expect(await names('s:"add vm_write_begin"')).toEqual(set("v1p1", "p1", "review"));
    expect(await names("s:regress*")).toEqual(set("old"));
  });

  it("NEAR and ADJ: within N words, ADJ in order", async () => {
    expect(await names("tuning NEAR timeout")).toEqual(set("near", "review"));
    expect(await names("tuning NEAR/20 timeout")).toEqual(set("near", "far", "review"));
    expect(await names("timeout ADJ/20 tuning")).toEqual(set("far"));
    expect(await names("tuning ADJ/4 timeout")).toEqual(set("near")); // "tuning procedure hit a timeout"
    expect(await names("tuning ADJ/3 timeout")).toEqual([]);
    expect(await names("b:tuning NEAR/2 b:procedure")).toEqual(set("near"));
    expect(await names("s:tuning NEAR/2 s:procedure")).toEqual([]);
  });

  it("refuses a query of only exclusions, as lore does, pointing at it", async () => {
    const e = await fails("-s:declare");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/only exclusions/);
    expect(e.position).toBe(0);
  });
});

describe("dates", () => {
  it("d: ranges with approxidate forms, a single day, open ends", async () => {
    expect(await names("d:2023-01-10")).toEqual(set("cover", "p1", "p2"));
    expect(await names("d:2023-01-10..2023-01-11")).toEqual(set("cover", "p1", "p2", "review", "nak"));
    expect(await names("d:..2022-12-31")).toEqual(set("old", "v1cover", "v1p1"));
    expect(await names("d:2023-01-19.. s:strange")).toEqual(set("html"));
    expect(await names("d:2021")).toEqual(set("old"));
    expect(await names("d:last.year..2022-12-31 s:vm_write_begin")).toEqual(set("v1cover", "v1p1")); // now = 2023-06-15
    expect(await names("dt:20230110100000..20230110100001")).toEqual(set("cover", "p1"));
    expect(await names("d:2021 OR s:declare")).toEqual(set("old", "p2", "inline"));
  });

  it("rt: the Received: time", async () => {
    expect(await names("rt:2023-01-13")).toEqual(set("attach"));
    expect(await names("rt:2023-01-14..")).toEqual([]);
  });

  it("says where a date is wrong", async () => {
    const e = await fails("s:x d:2023-13-45");
    expect(e.status).toBe(400);
    expect(e.position).toBeGreaterThanOrEqual(4);
  });
});

describe("patchlore's prefixes", () => {
  it("is:patch, is:cover, is:reply, is:rfc, has:diff", async () => {
    expect(await names("is:cover")).toEqual(set("v1cover", "cover"));
    expect(await names("is:patch")).toEqual(set("v1p1", "p1", "p2", "rfc"));
    expect(await names("is:reply")).toEqual(set("review", "nak", "inline"));
    expect(await names("is:rfc")).toEqual(set("rfc"));
    expect(await names("has:diff")).toEqual(set("v1p1", "p1", "p2", "inline", "rfc"));
  });

  it("v:N, is:superseded, is:latest from version lines", async () => {
    expect(await names("v:2")).toEqual(set("cover", "p1", "p2"));
    expect(await names("v:1 s:vm_write_begin")).toEqual(set("v1cover", "v1p1"));
    expect(await names("is:superseded")).toEqual(set("v1cover", "v1p1"));
    expect(await names("is:latest s:vm_write_begin")).toEqual(set("cover", "p1", "p2"));
  });

  it("by: the author of the series", async () => {
    expect(await names("by:ann@example.org is:cover")).toEqual(set("v1cover", "cover"));
    expect(await names('by:"Ann Author" v:2')).toEqual(set("cover", "p1", "p2"));
    expect(await names("by:bob")).toEqual([]);
  });
});

describe("results", () => {
  it("newest first, counted, paged", async () => {
    const r = await search(db, { q: "s:vm_write_begin", limit: 3, now: NOW });
    expect(r.total).toBe(8);
    expect(r.hits.map((h) => NAME_OF.get(h.msgid))).toEqual(["inline", "nak", "review"]);
    const r2 = await search(db, { q: "s:vm_write_begin", limit: 3, offset: 6, now: NOW });
    expect(r2.total).toBe(8);
    expect(r2.hits.map((h) => NAME_OF.get(h.msgid))).toEqual(["v1p1", "v1cover"]);
    const r3 = await search(db, { q: "s:vm_write_begin", limit: 3, offset: 30, now: NOW });
    expect(r3).toMatchObject({ total: 8, hits: [] });
    expect(r.hits[0].url).toBe(`/test/${M.inline}/`);
    expect(r.description).toMatch(/subject contains "vm_write_begin"/);
  });

  it("by relevance: a subject match ranks above a body match", async () => {
    const r = await search(db, { q: "declare", relevance: true, now: NOW });
    expect(NAME_OF.get(r.hits[0].msgid)).toMatch(/^(p2|inline)$/);
    expect(r.hits.every((h) => typeof h.rank === "number")).toBe(true);
    expect(r.hits[0].rank!).toBeGreaterThanOrEqual(r.hits[r.hits.length - 1].rank!);
  });

  it("threads collapsed: one result per thread, with its count", async () => {
    const r = await search(db, { q: "s:vm_write_begin", threads: true, now: NOW });
    expect(r.threadTotal).toBe(2);
    expect(r.total).toBe(8);
    expect(r.hits.map((h) => NAME_OF.get(h.msgid))).toEqual(["inline", "v1p1"]);
    expect(r.hits[0].thread).toMatchObject({ matches: 6, messages: 6, rootMsgid: M.cover });
  });

  it("snippets mark the matched words where the field matched", async () => {
    const [q] = (await search(db, { q: "q:vm_write_begin", now: NOW })).hits;
    expect(q.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(["vm_write_begin"]);
    expect(q.snippet.map((s) => s.text).join("")).toContain("> +\tvm_write_begin(vma);");
    const [d] = (await search(db, { q: "dfb:rmap_walk_locked", now: NOW })).hits;
    expect(d.snippet.find((s) => s.match)?.text).toBe("rmap_walk_locked");
    const [p] = (await search(db, { q: '"use after free" f:ann', now: NOW })).hits;
    expect(p.snippet.filter((s) => s.match).map((s) => s.text)).toEqual(["use after free"]);
    const [s] = (await search(db, { q: "s:declare f:ann", now: NOW })).hits;
    expect(s.subjectMarks.filter((x) => x.match).map((x) => x.text)).toEqual(["declare"]);
  });

  it("a match deep in a long body still gets its snippet", async () => {
    const [h] = (await search(db, { q: "deepneedle", now: NOW })).hits;
    expect(h.snippet.filter((x) => x.match).map((x) => x.text)).toEqual(["deepneedle"]);
    expect(h.snippet[0].text.startsWith("…")).toBe(true);
  });

  it("warns about what it ignored", async () => {
    const r = await search(db, { q: "s:declare and f:dana", now: NOW });
    expect(r.warnings.map((w) => w.message).join(" ")).toMatch(/AND in capitals/);
  });
});

describe("safety", () => {
  it("413 for an over-long query, 400 with the position for a parse error", async () => {
    const long = await fails("a ".repeat(MAX_QUERY_LENGTH));
    expect(long.status).toBe(413);
    const e = await fails("s:declare (f:dana");
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/unclosed/);
    expect(e.position).toBe("s:declare ".length);
    const u = await fails("s:x fron:bob");
    expect(u.message).toMatch(/unknown prefix "fron:".*"f:"/);
    expect(u.position).toBe(4);
  });

  it("every value travels as a parameter", async () => {
    const q = `s:"'; DROP TABLE message; --" OR mid:x'y`;
    expect(await names(q)).toEqual([]);
    const { sql, params } = await explainSearch(db, { q, now: NOW });
    expect(sql).not.toContain("DROP");
    expect(sql).not.toContain("x'y");
    expect(JSON.stringify(params)).toContain("mid=x''y");
  });

  it("a search over its statement timeout answers 504", async () => {
    const slow = {
      ...db,
      pool: {
        connect: async () => ({
          query: async (sql: string) => {
            if (/^\s*SELECT/.test(sql) && !/FROM list ORDER/.test(sql)) throw Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" });
            return { rows: [] };
          },
          release() {},
        }),
      },
    } as unknown as TestDb;
    await expect(search(slow, { q: "s:x" })).rejects.toMatchObject({ status: 504, message: expect.stringMatching(/longer than 5 s/) });
  });
});

describe("outputs", () => {
  it("JSON, Atom and mbox.gz through /api/search", async () => {
    const json = await handleApi(db, ["search"], new URLSearchParams({ q: "s:declare" }));
    expect(json.status).toBe(200);
    expect((json as { json: { total: number } }).json.total).toBe(2);

    const atom = await handleApi(db, ["search"], new URLSearchParams({ q: "strange", x: "A" }));
    expect(atom.status).toBe(200);
    if (!("body" in atom)) throw new Error("no body");
    expect(atom.contentType).toBe("application/atom+xml; charset=utf-8");
    const xml = atom.body.toString("utf8");
    expect(xml).toContain("&lt;b&gt;bold&lt;/b&gt; &amp; ]]&gt;  strange");
    expect(xml).not.toContain("<b>");
    expect(xml).not.toContain("<script>");
    expect(xml).not.toContain("\u0001");
    expect(xml).toContain(`<id>mid:${encodeURIComponent(M.html)}</id>`);

    const mbox = await handleApi(db, ["search"], new URLSearchParams({ q: "s:declare", x: "m" }));
    if (!("body" in mbox)) throw new Error("no body");
    expect(mbox.contentType).toBe("application/gzip");
    expect(mbox.headers?.["Content-Disposition"]).toMatch(/attachment; filename=".*\.mbox\.gz"/);
    const text = zlib.gunzipSync(mbox.body).toString("utf8");
    expect(text.match(/^From mboxrd@z /gm)).toHaveLength(2);
    expect(text).toContain(`Message-ID: <${M.inline}>`);

    const threads = await handleApi(db, ["search"], new URLSearchParams({ q: "f:dana", x: "t" }));
    if (!("body" in threads)) throw new Error("no body");
    expect(zlib.gunzipSync(threads.body).toString("utf8").match(/^From mboxrd@z /gm)).toHaveLength(6);

    const bad = await handleApi(db, ["search"], new URLSearchParams({ q: "s:(" }));
    expect(bad.status).toBe(400);
    expect((bad as { json: { position: number } }).json.position).toBe(2);
    const none = await handleApi(db, ["search"], new URLSearchParams({}));
    expect(none.status).toBe(400);
  });

  it("searchMbox of whole threads keeps thread order", async () => {
    const { messages } = await searchMbox(db, { q: "s:tuning OR s:declare", wholeThreads: true, now: NOW });
    expect(messages).toBe(7);
  });
});

describe("the index stays in step", () => {
  it("reindex --search rebuilds the same documents", async () => {
    const before = await names("dfhh:do_wp_page");
    const { rows: [a] } = await db.pool.query(`SELECT count(*) AS n, md5(string_agg(head_tsv::text || body_tsv::text, '' ORDER BY message_id)) AS h FROM search_doc`);
    const r = await reindexSearch(db);
    expect(r.failed).toBe(0);
    const { rows: [b] } = await db.pool.query(`SELECT count(*) AS n, md5(string_agg(head_tsv::text || body_tsv::text, '' ORDER BY message_id)) AS h FROM search_doc`);
    expect(b).toEqual(a);
    expect(await names("dfhh:do_wp_page")).toEqual(before);
  });

  it("a message a list deleted is no result", async () => {
    await db.pool.query(`INSERT INTO deletion (msgid, list_id) SELECT $1, id FROM list WHERE name = 'other'`, [M.other]);
    await db.pool.query(`DELETE FROM list_message WHERE message_id = (SELECT id FROM message WHERE msgid = $1)`, [M.other]);
    expect(await names("l:other vm_write_begin")).toEqual([]);
    expect(await names("unrelated")).toEqual([]);
  });
});

describe("is:nacked and the review page agree on a NAK taken back", () => {
  let rdb: TestDb;
  const W = { cover: "w-0@example.org", p1: "w-1@example.org", p2: "w-2@example.org" };
  beforeAll(async () => {
    rdb = await createTestDb();
    const mails = [
      mail({ id: W.cover, subject: "[PATCH 0/2] mm: widen the fault window", date: "Tue, 10 Jan 2023 10:00:00 +0000", body: "Two patches.\n" }),
      mail({ id: W.p1, subject: "[PATCH 1/2] mm: add vm_write_begin helper", date: "Tue, 10 Jan 2023 10:00:01 +0000", refs: [W.cover], body: patchBody("Add it.", DIFF_MEMORY, "mm/memory.c") }),
      mail({ id: W.p2, subject: "[PATCH 2/2] mm: declare vm_write_begin", date: "Tue, 10 Jan 2023 10:00:02 +0000", refs: [W.cover], body: patchBody("Declare it.", DIFF_MM_H, "include/linux/mm.h") }),
      // Carl NAKs patch 1, then takes it back with his Reviewed-by
      mail({ id: "w-carl-1@example.com", from: "Carl Critic <carl@example.com>", subject: "Re: [PATCH 1/2] mm: add vm_write_begin helper", date: "Wed, 11 Jan 2023 09:00:00 +0000", refs: [W.cover, W.p1], body: "NAK, this breaks the fault path.\n" }),
      mail({ id: "w-carl-2@example.com", from: "Carl Critic <carl@example.com>", subject: "Re: [PATCH 1/2] mm: add vm_write_begin helper", date: "Thu, 12 Jan 2023 09:00:00 +0000", refs: [W.cover, W.p1, "w-carl-1@example.com"], body: "I misread the locking, sorry.\n\nReviewed-by: Carl Critic <carl@example.com>\n" }),
      // Erin NAKs the series on its cover letter, then reviews patch 1: her NAK still stands for patch 2
      mail({ id: "w-erin-1@example.net", from: "Erin Ops <erin@example.net>", subject: "Re: [PATCH 0/2] mm: widen the fault window", date: "Wed, 11 Jan 2023 10:00:00 +0000", refs: [W.cover], body: "NAK, the window is wide enough.\n" }),
      mail({ id: "w-erin-2@example.net", from: "Erin Ops <erin@example.net>", subject: "Re: [PATCH 1/2] mm: add vm_write_begin helper", date: "Fri, 13 Jan 2023 09:00:00 +0000", refs: [W.cover, W.p1], body: "This one is fine on its own.\n\nReviewed-by: Erin Ops <erin@example.net>\n" }),
    ];
    await ingestSource(rdb, writeMbox("withdrawn.mbox", mails), { list: "test", workers: 0 });
  });
  afterAll(async () => rdb?.drop());

  it("a NAK its author withdrew does not match is:nacked, and the page calls it withdrawn", async () => {
    const hits = (await search(rdb, { q: "is:nacked", limit: 50, now: NOW })).hits.map((h) => h.msgid).sort();
    expect(hits).toEqual([W.cover, W.p2].sort());
    const p1 = (await getPatchReview(rdb, W.p1))!;
    expect(p1.verdict).toBe("review");
    expect(p1.verdicts.map((v) => [v.by.address, v.verdict, !!v.withdrawn])).toEqual([
      ["carl@example.com", "nak", true],
      ["carl@example.com", "review", false],
      ["erin@example.net", "review", false],
    ]);
    expect((await getPatchReview(rdb, W.p2))!.verdict).toBe("nak");
    const series = (await getSeriesReview(rdb, W.cover))!;
    expect(series.verdict).toBe("nak");
    // the facet matches exactly the messages whose page verdict is a NAK
    expect([series.verdict === "nak" ? W.cover : null, ...series.patches.filter((p) => p.verdict === "nak").map((p) => p.msgid)].filter(Boolean).sort()).toEqual(hits);
  });
});

describe("the demo corpus", () => {
  let demo: TestDb;
  beforeAll(async () => {
    demo = await createTestDb();
    await ingestSource(demo, DEMO_MBOX, { list: "demo", workers: 0 });
  });
  afterAll(async () => demo?.drop());

  /** messages of the demo mbox whose body has a line matching `re` */
  function demoMessagesWith(re: RegExp): string[] {
    const text = fs.readFileSync(DEMO_MBOX, "utf8");
    return text
      .split(/^From MAILER-DAEMON .*\n/m)
      .filter((m) => m.split("\n").some((l) => re.test(l)))
      .map((m) => /^Message-ID: <([^>]+)>/im.exec(m)![1])
      .sort();
  }

  it("dfn: and dfhh: find the patches that touched a file and a function, not the replies quoting them", async () => {
    const ids = async (q: string) => (await search(demo, { q, limit: 200 })).hits.map((h) => h.msgid).sort();
    const touched = demoMessagesWith(/^diff --git a\/mm\/vmscan\.c /);
    // the replies that quote those patches' hunks (and no diff of their own)
    const quoting = demoMessagesWith(/^>+ ?@@ .* @@ static unsigned int shrink_folio_list\(/);
    expect(touched.length).toBeGreaterThanOrEqual(4);
    expect(quoting.length).toBeGreaterThanOrEqual(2);
    const dfn = await ids("dfn:mm/vmscan.c");
    expect(dfn).toEqual(touched);
    for (const q of quoting) expect(dfn).not.toContain(q);
    const hunks = demoMessagesWith(/^@@ .* @@ static unsigned int shrink_folio_list\(/);
    const dfhh = await ids("dfhh:shrink_folio_list");
    expect(dfhh).toEqual(hunks);
    expect(await ids("func:shrink_folio_list()")).toEqual(hunks);
    for (const q of quoting) expect(dfhh).not.toContain(q);
    // an added line the replies quote: only the patches that add it
    const adds = demoMessagesWith(/^\+\s*rotation_queue_drain\(pgdat\);/);
    expect(adds.length).toBeGreaterThanOrEqual(1);
    expect(await ids("dfb:rotation_queue_drain")).toEqual(demoMessagesWith(/^\+.*\brotation_queue_drain\b/));
    for (const q of quoting) expect(await ids("dfb:rotation_queue_drain")).not.toContain(q);
    const quotedHunks = quoting;
    // the replies are found by what they quote
    const q = await ids("q:shrink_folio_list");
    for (const m of quotedHunks) expect(q).toContain(m);
  });
  it("the decision facets: is:decision, is:applied, is:changes-requested, is:nacked", async () => {
    const ids = async (q: string) => (await search(demo, { q, limit: 200 })).hits.map((h) => h.msgid).sort();
    const sorted = (...xs: string[]) => [...new Set(xs)].sort();
    // the demo story (ingest/demo/README.md): Daniel applies v3 (#45, queueing its 1/4 for hotfixes) and
    // the fix (#54); Greta NAKs v1 2/3 (#19); Daniel asks for a change on RFC 2/2 (#11)
    const V3_COVER = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
    const APPLIED_V3 = "20240220164218.9c3e1b7a5d2f8e40@example.org";
    const FIX = "20250114093000.11842-1-priya.raman@example.com";
    const APPLIED_FIX = "20250121171005.5a8d2e6c0b3f9174@example.org";
    const NAK = "20230622064519.GB31877@kernel.example";
    const RFC_ASK = "20230418155503.4f1c2a8e7b9d3c61@example.org";
    const { rows } = await demo.pool.query(
      `SELECT m.msgid, d.kind FROM decision d JOIN message m ON m.id = d.message_id WHERE d.status <> 'rejected' ORDER BY 1, 2`,
    );
    expect(rows.map((r) => [r.msgid, r.kind])).toEqual(
      [[APPLIED_V3, "applied"], [APPLIED_V3, "queued"], [APPLIED_FIX, "applied"], [NAK, "nak"], [RFC_ASK, "changes-requested"]].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1)),
    );
    expect(await ids("is:decision")).toEqual(sorted(APPLIED_V3, APPLIED_FIX, NAK, RFC_ASK));

    // applied: the two announcements, the fix they answer, and every posting of v3 (cover and its own patches)
    const v3 = (
      await demo.pool.query(
        `SELECT m.msgid FROM series_patch sp JOIN series s ON s.id = sp.series_id JOIN message m ON m.id = sp.message_id WHERE s.key = $1 AND NOT sp.inherited`,
        [V3_COVER],
      )
    ).rows.map((r) => r.msgid);
    expect(v3).toContain(V3_COVER);
    expect(v3).toHaveLength(5);
    const applied = sorted(APPLIED_V3, APPLIED_FIX, FIX, ...v3);
    expect(await ids("is:applied")).toEqual(applied);
    expect(await ids("is:applied is:patch")).toEqual(sorted(FIX, ...v3.filter((m) => m !== V3_COVER)));
    expect(await ids("is:applied is:cover")).toEqual([V3_COVER]);
    expect(await ids("is:applied is:decision")).toEqual(sorted(APPLIED_V3, APPLIED_FIX));
    expect(await ids("is:applied -is:decision")).toEqual(sorted(FIX, ...v3));
    // nothing was merged upstream in the story: applied is not merged
    expect(await ids("is:merged")).toEqual([]);

    expect(await ids("is:changes-requested")).toEqual([RFC_ASK]);
    expect(await ids("is:changes-requested OR is:nacked")).toEqual(sorted(RFC_ASK, ...(await ids("is:nacked"))));
    expect(await ids("is:decision -is:changes-requested -is:applied")).toEqual([NAK]);
    // the NAK's verdict stands on the patch it answers; the NAK message itself is a decision, not NAKed
    const nacked = await ids("is:nacked");
    expect(nacked).toContain("20230620071000.91127-3-mira@kernel.example");
    expect(nacked).not.toContain(NAK);

    // a decision curated away (status rejected) leaves every facet
    await demo.pool.query(`UPDATE decision SET status = 'rejected' WHERE kind IN ('applied', 'changes-requested')`);
    try {
      expect(await ids("is:applied")).toEqual([]);
      expect(await ids("is:changes-requested")).toEqual([]);
      expect(await ids("is:decision")).toEqual(sorted(APPLIED_V3, NAK));
    } finally {
      await demo.pool.query(`UPDATE decision SET status = 'detected' WHERE kind IN ('applied', 'changes-requested')`);
    }
  });
});
