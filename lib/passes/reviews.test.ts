// Reviews into the database, end to end: two postings of a series (test/fixtures-reviews, mails
// modeled on lkml-gerrit-bridge's threads and b4's trailer samples) go through `ingest`; the derive
// pass stores trailers, where they apply, verdicts, discussions and comments; the queries and the
// API give the review views; the search facets answer from them; reindex rebuilds the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { getPatchReview, getSeriesReview } from "../views/review";
import { handleApi } from "../api/router";
import { reindex } from "./reindex";
import { search } from "../views/search";
import type { DiffAnchor } from "../review/anchor";
import { anchoredCode, diffPlacer } from "../review/placement";
import { parseDiff } from "../patch/diff";
import { splitPatchMail } from "../patch/split";
import { patchTexts } from "./reviews";

type TestDb = Awaited<ReturnType<typeof createTestDb>>;
let db: TestDb;

const fixtures = path.join(import.meta.dirname, "../../test/fixtures-reviews");
const V1 = { cover: "20230307101200.1000-0-ada@example.org", p1: "20230307101200.1000-1-ada@example.org", p2: "20230307101200.1000-2-ada@example.org" };
const V2 = { cover: "20230310090000.2000-0-ada@example.org", p1: "20230310090000.2000-1-ada@example.org", p2: "20230310090000.2000-2-ada@example.org" };

beforeAll(async () => {
  db = await createTestDb();
  await ingestSource(db, path.join(fixtures, "widget-v1.mbox"), { list: "widget", workers: 0 });
  await ingestSource(db, path.join(fixtures, "widget-v2.mbox"), { list: "widget", workers: 0 });
});
afterAll(async () => db?.drop());

const keys = (ts: { kind: string; value: string }[]) => ts.map((t) => `${t.kind}: ${t.value}`);

async function snapshot() {
  const q = async (sql: string) => (await db.pool.query(sql)).rows;
  return {
    trailers: await q(`SELECT m.msgid, t.source, t.kind, t.value, t.person_address, t.person_id IS NOT NULL AS known, t.line, t.end_line, t.mismatch
                       FROM trailer t JOIN message m ON m.id = t.message_id ORDER BY m.msgid, t.line`),
    applied: await q(`SELECT s.key, pm.msgid AS patch, tm.msgid AS given_in, t.kind, pt.via FROM patch_trailer pt JOIN series s ON s.id = pt.series_id
                      JOIN message pm ON pm.id = pt.patch_message_id JOIN trailer t ON t.id = pt.trailer_id JOIN message tm ON tm.id = t.message_id
                      ORDER BY 1, 2, 3, 4`),
    reviews: await q(`SELECT m.msgid, pm.msgid AS patch, r.kind, r.verdict, r.verdict_line, r.verdict_text, r.comment_count FROM review r
                      JOIN message m ON m.id = r.message_id LEFT JOIN message pm ON pm.id = r.patch_message_id ORDER BY 1`),
    discussions: await q(`SELECT pm.msgid AS patch, d.part, d.file, d.line_number, d.side, d.heading, d.patch_line, d.status, d.resolved_how,
                            nm.msgid AS next, d.carried_anchor IS NOT NULL AS carried,
                            (SELECT array_agg(cm.msgid || '#' || c.position || ':' || c.method ORDER BY cm.date, c.position)
                             FROM review_comment c JOIN message cm ON cm.id = c.message_id WHERE c.discussion_id = d.id) AS comments
                          FROM discussion d JOIN message pm ON pm.id = d.patch_message_id LEFT JOIN message nm ON nm.id = d.next_patch_message_id
                          ORDER BY 1, d.patch_line NULLS LAST, 2`),
  };
}

describe("the derive pass stores reviews", () => {
  it("trailers as written, with provenance lines, people known by address, mismatches flagged", async () => {
    const { trailers } = await snapshot();
    const row = (msgid: string) => trailers.filter((t) => t.msgid === msgid);
    expect(row(V1.p1)).toEqual([
      { msgid: V1.p1, source: "commit-message", kind: "Signed-off-by", value: "Ada Author <ada@example.org>", person_address: "ada@example.org", known: true, line: 2, end_line: 3, mismatch: false },
    ]);
    expect(row("ivo-1@example.org")).toMatchObject([{ source: "reply", kind: "Reviewed-by", person_address: "ivo@example.org", known: true, line: 5, mismatch: false }]);
    // Carol never wrote to the list: no person row; Bob sent it: a mismatch
    expect(row("bob-1@example.org")).toMatchObject([{ source: "reply", kind: "Acked-by", person_address: "carol@example.org", known: false, mismatch: true }]);
    expect(row("tess-1@example.org")).toMatchObject([{ kind: "Tested-by", line: 0 }]);
  });

  it("reply trailers apply to their patch, cover trailers to every patch, by patch-id to the next version across threads", async () => {
    const { applied } = await snapshot();
    const of = (patch: string) => applied.filter((a) => a.patch === patch && a.given_in !== "bob-1@example.org").map((a) => `${a.kind} ${a.via} ${a.given_in}`);
    expect(of(V1.p1)).toEqual(["Reviewed-by cover ivo-1@example.org"]);
    expect(of(V1.p2)).toEqual(["Reviewed-by cover ivo-1@example.org", "Tested-by reply tess-1@example.org"]);
    // v2 patch 1 changed: nothing carries; v2 patch 2 has v1's patch-id: v1's trailers carry
    expect(of(V2.p1)).toEqual(["Acked-by cover mo-1@example.org"]);
    expect(of(V2.p2)).toEqual(["Reviewed-by patch-id ivo-1@example.org", "Acked-by cover mo-1@example.org", "Tested-by patch-id tess-1@example.org"]);
    // the mismatched trailer is written where it would apply, flagged by the trailer
    expect(applied.filter((a) => a.given_in === "bob-1@example.org")).toEqual([{ key: V1.cover, patch: V1.p1, given_in: "bob-1@example.org", kind: "Acked-by", via: "reply" }]);
  });

  it("one review row per reply: the patch it answers (or the cover), the verdict and its line", async () => {
    const { reviews } = await snapshot();
    const by = new Map(reviews.map((r) => [r.msgid, r]));
    expect(by.get("ivo-1@example.org")).toMatchObject({ patch: V1.cover, kind: "reply", verdict: "review", verdict_line: 5 });
    expect(by.get("nora-1@example.org")).toMatchObject({ patch: V1.p2, verdict: "nak", verdict_line: 3, verdict_text: "NAK. This belongs in the kernel-doc comment of frob_start()." });
    expect(by.get("rae-1@example.org")).toMatchObject({ patch: V1.p1, verdict: null, comment_count: 2 });
    expect(by.get("ada-2@example.org")).toMatchObject({ patch: V1.p1, verdict: null, comment_count: 1 });
    expect(by.get("mo-1@example.org")).toMatchObject({ patch: V2.cover, verdict: "ack" });
    // a relayed Acked-by naming someone else is not the sender's verdict
    expect(by.get("bob-1@example.org")).toMatchObject({ patch: V1.p1, verdict: null, comment_count: 1 });
    // patches are not reviews
    expect(by.has(V1.p1)).toBe(false);
  });

  it("discussions: one per anchored line, the author's answer joins it; resolved by v2's code, the other one open and carried", async () => {
    const { discussions } = await snapshot();
    const p1 = discussions.filter((d) => d.patch === V1.p1);
    expect(p1).toEqual([
      {
        patch: V1.p1, part: "diff", file: "drivers/widget/frob.c", line_number: 15, side: "new", heading: "static int frob_probe(struct widget *w)",
        patch_line: 18, status: "resolved", resolved_how: "code-changed", next: V2.p1, carried: false,
        comments: ["rae-1@example.org#0:exact", "ada-2@example.org#0:thread"],
      },
      {
        patch: V1.p1, part: "diff", file: "drivers/widget/frob.c", line_number: 17, side: "new", heading: "static int frob_probe(struct widget *w)",
        patch_line: 20, status: "open", resolved_how: null, next: V2.p1, carried: true, comments: ["rae-1@example.org#1:exact"],
      },
      { patch: V1.p1, part: "general", file: null, line_number: null, side: null, heading: null, patch_line: null, status: "open", resolved_how: null, next: V2.p1, carried: false, comments: ["bob-1@example.org#0:general"] },
    ]);
    expect(discussions.filter((d) => d.patch === V1.p2).map((d) => [d.part, d.comments])).toEqual([["message", ["nora-1@example.org#0:exact"]]]);
  });
});

describe("review views", () => {
  it("getPatchReview: trailers (commit message, applied, mismatch flagged), verdicts, discussions with their code", async () => {
    const v = (await getPatchReview(db, V1.p1))!;
    expect(v).toMatchObject({
      list: "widget", msgid: V1.p1, subject: "[PATCH 1/2] widget: check the frob_start() return value", author: { name: "Ada Author", address: "ada@example.org" },
      reconstructed: false, series: { key: V1.cover, version: 1, index: 1, total: 2 }, verdict: "review",
    });
    expect(v.versions.map((x) => [x.version, x.msgid])).toEqual([[1, V1.p1], [2, V2.p1]]);
    expect(v.trailers.map((t) => [t.kind, t.value, t.via, t.mismatch, t.msgid])).toEqual([
      ["Signed-off-by", "Ada Author <ada@example.org>", "commit-message", false, V1.p1],
      ["Reviewed-by", "Ivo Reviewer <ivo@example.org>", "cover", false, "ivo-1@example.org"],
      ["Acked-by", "Carol Other <carol@example.org>", "reply", true, "bob-1@example.org"],
    ]);
    // no reply to patch 1 gives a verdict (Bob's relayed Acked-by is not his): the cover's Reviewed-by gives the patch's
    expect(v.verdicts).toEqual([]);
    const [d1, d2, general] = v.discussions;
    expect(d1).toMatchObject({ part: "diff", file: "drivers/widget/frob.c", line: 15, side: "new", status: "resolved", resolvedHow: "code-changed", carriedTo: null });
    expect(d1.code).toEqual(["\tstruct frob *f = w->frob;", "\tint ret;", "", "-\tfrob_start(w);", "+\tret = frob_start(w);", "+\tif (ret)", "+\t\treturn ret;"].map((l, i) => (i < 3 ? ` ${l}` : l)));
    expect(d1.comments.map((c) => [c.msgid, c.text, c.byPatchAuthor, c.method])).toEqual([
      ["rae-1@example.org", "Please use dev_err_probe() here, a bare return loses the reason.", false, "exact"],
      ["ada-2@example.org", "Done in v2.", true, "thread"],
    ]);
    expect(d1.comments[1].inReplyTo).toBe(d1.comments[0].id);
    expect(d1.comments[0].lines).toEqual([12, 12]);
    expect(d2).toMatchObject({ line: 17, status: "open", carriedTo: { patchMsgid: V2.p1, anchor: { part: "diff", newLine: 17, patchText: "\treturn 0;".replace(/^/, " ") } } });
    expect(d2.code.at(-1)).toBe(" \treturn 0;");
    expect(general).toMatchObject({ part: "general", anchor: null, code: [], comments: [{ msgid: "bob-1@example.org", text: "Carol asked me to pass this on:" }] });
    // the body is the patch mail's: anchors index its lines
    const a = d1.anchor as DiffAnchor;
    expect(v.body.split("\n")[a.patchLine]).toBe("+\t\treturn ret;");
  });

  it("a NAK makes the patch's verdict nak; the next version shows the open discussion carried from v1 and the carried trailers", async () => {
    const p2 = (await getPatchReview(db, V1.p2))!;
    expect(p2.verdict).toBe("nak");
    expect(p2.verdicts).toMatchObject([
      { verdict: "nak", by: { name: "Nora Nak" }, msgid: "nora-1@example.org", evidence: "NAK. This belongs in the kernel-doc comment of frob_start()." },
      { verdict: "test", by: { name: "Tess Tester" }, msgid: "tess-1@example.org", evidence: "Tested-by: Tess Tester <tess@example.org>" },
    ]);
    const n1 = (await getPatchReview(db, V2.p1))!;
    expect(n1.verdict).toBe("ack");
    const carried = n1.discussions.filter((d) => d.carriedFrom);
    expect(carried).toHaveLength(1);
    expect(carried[0]).toMatchObject({ status: "open", line: 17, carriedFrom: { patchMsgid: V1.p1 }, comments: [{ msgid: "rae-1@example.org" }] });
    expect(carried[0].code.at(-1)).toBe(" \treturn 0;");
    expect(n1.body.split("\n")[(carried[0].anchor as DiffAnchor).patchLine]).toBe(" \treturn 0;");
    const n2 = (await getPatchReview(db, V2.p2))!;
    expect(keys(n2.trailers)).toEqual(["Signed-off-by: Ada Author <ada@example.org>", "Acked-by: Mo Maintainer <mo@example.org>", "Reviewed-by: Ivo Reviewer <ivo@example.org>", "Tested-by: Tess Tester <tess@example.org>"]);
    expect(n2.trailers.map((t) => t.via)).toEqual(["commit-message", "cover", "patch-id", "patch-id"]);
  });

  it("the code and the place of each discussion are read as the pass stored them: what splitting the patch again would give", async () => {
    let placed = 0;
    for (const msgid of [V1.p1, V1.p2, V2.p1, V2.p2]) {
      const view = (await getPatchReview(db, msgid))!;
      const { rows } = await db.pool.query(`SELECT m.id, m.subject, m.body, p.kind AS patch_kind FROM message m JOIN patch p ON p.message_id = m.id WHERE m.msgid = $1`, [msgid]);
      const text = (await patchTexts(db.pool, rows)).get(rows[0].id);
      expect(view.body).toBe(text?.body ?? rows[0].body);
      // the diff the page used to split out of the body, and the one it now parses where the ingester found it
      const split = splitPatchMail({ subject: view.subject, body: view.body });
      const before = split.diff?.files.length ? split.diff : parseDiff(view.body);
      expect(parseDiff(view.body, view.diffLine === null ? {} : { from: view.diffLine })).toEqual(before);
      const place = diffPlacer(before);
      for (const d of view.discussions) {
        expect(d.code).toEqual(anchoredCode(d.anchor, text));
        expect(d.place).toEqual(d.part === "diff" ? place(d.anchor) : null);
        if (d.place) placed++;
      }
    }
    expect(placed).toBeGreaterThan(2);
  });

  it("getSeriesReview: the cover's verdicts on top, then every patch; the series verdict is theirs and the patches' (a NAK on one is the series')", async () => {
    const s = (await getSeriesReview(db, V1.cover))!;
    expect(s).toMatchObject({ key: V1.cover, version: 1, list: "widget", verdict: "nak", coverVerdict: "review", patchesWithVerdict: 2, cover: { msgid: V1.cover, author: { address: "ada@example.org" } } });
    expect(s.verdicts.map((v) => [v.verdict, v.by.address])).toEqual([["review", "ivo@example.org"]]);
    expect(s.patches.map((p) => [p.msgid, p.verdict])).toEqual([[V1.p1, "review"], [V1.p2, "nak"]]);
    expect(await getSeriesReview(db, "no-such-series@example.org")).toBeNull();
    expect(await getPatchReview(db, "ivo-1@example.org")).toBeNull();
  });

  it("the API: /api/<list>/<msgid>/review and /api/series/<key>/review, 404 with a reason otherwise", async () => {
    const r = await handleApi(db, ["widget", V1.p1, "review"], new URLSearchParams());
    expect(r.status).toBe(200);
    expect(JSON.parse(JSON.stringify((r as { json: unknown }).json))).toEqual(JSON.parse(JSON.stringify(await getPatchReview(db, V1.p1))));
    const s = await handleApi(db, ["series", V1.cover, "review"], new URLSearchParams());
    expect(s.status).toBe(200);
    expect((s as { json: { patches: unknown[] } }).json.patches).toHaveLength(2);
    const notPatch = await handleApi(db, ["widget", "ivo-1@example.org", "review"], new URLSearchParams());
    expect(notPatch).toMatchObject({ status: 404, json: { error: "not found" } });
    expect((notPatch as { json: { detail: string } }).json.detail).toMatch(/not a patch/);
    expect(await handleApi(db, ["other-list", V1.p1, "review"], new URLSearchParams())).toMatchObject({ status: 404 });
    expect(await handleApi(db, ["series", "nope@x", "review"], new URLSearchParams())).toMatchObject({ status: 404, json: { detail: expect.stringMatching(/no series/) } });
  });
});

describe("search facets from reviews", () => {
  const names = async (q: string) => {
    const r = await search(db, { q, limit: 200 });
    return r.hits.map((x) => x.msgid).sort();
  };
  it("is:reviewed, is:acked, is:nacked, has:comments, reviewer:", async () => {
    expect(await names("is:reviewed")).toEqual([V1.p1, V1.p2, V2.p2].sort());
    expect(await names("is:acked")).toEqual([V2.p1, V2.p2].sort());
    expect(await names("is:nacked")).toEqual([V1.p2]);
    // the patches under discussion (the cover too: "For the series:" above Ivo's trailer), the replies commenting on lines
    expect(await names("has:comments")).toEqual([V1.cover, V1.p1, V1.p2, "ada-2@example.org", "nora-1@example.org", "rae-1@example.org"].sort());
    // Ivo's Reviewed-by applies to v1's patches and carries to v2's patch 2; he commented on the cover
    expect(await names("reviewer:ivo@example.org")).toEqual([V1.cover, V1.p1, V1.p2, V2.p2].sort());
    expect(await names('reviewer:"Tess Tester"')).toEqual([V1.p2, V2.p2].sort());
    expect(await names("reviewer:rae")).toEqual([V1.p1]);
    // the mismatched Acked-by names Carol but was not given by her
    expect(await names("reviewer:carol")).toEqual([]);
    expect(await names("is:reviewed -is:nacked")).toEqual([V1.p1, V2.p2].sort());
    expect(await names("is:nacked OR is:acked")).toEqual([V1.p2, V2.p1, V2.p2].sort());
  });
});

describe("incremental", () => {
  it("a late reply on v1 re-derives v1's thread only, and its trailer still carries to v2 across threads", async () => {
    const file = path.join(os.tmpdir(), `reviews-late-${process.pid}.mbox`);
    fs.writeFileSync(
      file,
      [
        "From mboxrd@z Thu Jan  1 00:00:00 1970",
        "From: Zed Late <zed@example.org>",
        "To: widget@lists.example.org",
        "Subject: Re: [PATCH 2/2] widget: document frob_start()",
        "Date: Mon, 13 Mar 2023 09:00:00 +0100",
        "Message-ID: <zed-1@example.org>",
        `In-Reply-To: <${V1.p2}>`,
        `References: <${V1.cover}> <${V1.p2}>`,
        "",
        "Reviewed-by: Zed Late <zed@example.org>",
        "",
      ].join("\n"),
    );
    try {
      const before = await getPatchReview(db, V2.p2);
      const s = await ingestSource(db, file, { list: "widget", workers: 0 });
      expect(s.threadsDerived).toBe(1);
      const after = (await getPatchReview(db, V2.p2))!;
      expect(keys(after.trailers)).toEqual([...keys(before!.trailers), "Reviewed-by: Zed Late <zed@example.org>"]);
      expect(after.trailers.at(-1)).toMatchObject({ via: "patch-id", msgid: "zed-1@example.org" });
      // v1's discussions were re-derived and resolved against v2 again
      const v1 = (await getPatchReview(db, V1.p1))!;
      expect(v1.discussions.map((d) => d.status)).toEqual(["resolved", "open", "open"]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe("comments that are comments", () => {
  it("pings, link-only fragments and attachment markers open nothing; a comment keeps the quote it answers (view and API)", async () => {
    const file = path.join(os.tmpdir(), `reviews-pings-${process.pid}.mbox`);
    const quotedPatch = [
      "> Say what frob_start() returns, in the widget documentation.",
      ">",
      "> Signed-off-by: Ada Author <ada@example.org>",
      "> ---",
      ">  Documentation/widget.rst | 2 ++",
      ">  1 file changed, 2 insertions(+)",
      ">",
      "> diff --git a/Documentation/widget.rst b/Documentation/widget.rst",
      "> index 4444444..5555555 100644",
      "> --- a/Documentation/widget.rst",
      "> +++ b/Documentation/widget.rst",
      "> @@ -1,3 +1,5 @@",
      ">  Widgets",
      ">  =======",
      "> +",
      "> +frob_start() returns 0 or a negative errno.",
    ];
    const mail = (from: string, id: string, date: string, parent: string, body: string[]) => [
      "From mboxrd@z Thu Jan  1 00:00:00 1970",
      `From: ${from}`,
      "To: widget@lists.example.org",
      "Subject: Re: [PATCH v2 2/2] widget: document frob_start()",
      `Date: ${date}`,
      `Message-ID: <${id}>`,
      `In-Reply-To: <${parent}>`,
      `References: <${V2.cover}> <${V2.p2}>${parent === V2.p2 ? "" : ` <${parent}>`}`,
      "",
      ...body,
      "",
    ];
    fs.writeFileSync(
      file,
      [
        // the author's pings: top-posted, and under the whole patch with mutt's attachment lines
        ...mail("Ada Author <ada@example.org>", "ada-ping-1@example.org", "Mon, 20 Mar 2023 09:00:00 +0100", V2.p2, [
          "Gentle ping.", "", "On Fri, 10 Mar 2023 09:00:00 +0100, Ada Author wrote:", ...quotedPatch, ">  The end.",
        ]),
        ...mail("Ada Author <ada@example.org>", "ada-ping-2@example.org", "Mon, 27 Mar 2023 09:00:00 +0100", V2.p2, [
          "[-- Attachment #1: Type: text/plain, Encoding: 7bit, Size: 1.1K --]", "",
          "On Fri, 10 Mar 2023 09:00:00 +0100, Ada Author wrote:", ...quotedPatch, ">  The end.", "",
          "Any comments on this?", "", "[-- Attachment #2: signature.asc --]", "[-- Type: application/pgp-signature, Size: 488 bytes --]",
        ]),
        // a review: a bare link under the commit message, a comment under the added line
        ...mail("Lou Linker <lou@example.org>", "lou-1@example.org", "Tue, 28 Mar 2023 09:00:00 +0100", V2.p2, [
          "On Fri, 10 Mar 2023 09:00:00 +0100, Ada Author wrote:", ...quotedPatch.slice(0, 1), "",
          "https://lore.kernel.org/widget/20230307101200.1000-2-ada@example.org/", "",
          ...quotedPatch.slice(1), "", "It can return 1 too, when the widget is already running.",
        ]),
        // the author's answer: a fragment that needs the quote above it
        ...mail("Ada Author <ada@example.org>", "ada-3@example.org", "Wed, 29 Mar 2023 09:00:00 +0100", "lou-1@example.org", [
          "On Tue, 28 Mar 2023 09:00:00 +0100, Lou Linker wrote:", "> > +frob_start() returns 0 or a negative errno.", ">",
          "> It can return 1 too, when the widget is already running.", "", "That doesn't work today anyhow.",
        ]),
      ].join("\n"),
    );
    try {
      await ingestSource(db, file, { list: "widget", workers: 0 });
      const { discussions, reviews } = await snapshot();
      expect(discussions.filter((d) => d.patch === V2.p2).map((d) => [d.part, d.line_number, d.comments])).toEqual([
        ["diff", 4, ["lou-1@example.org#0:exact", "ada-3@example.org#0:thread"]],
      ]);
      const by = new Map(reviews.map((r) => [r.msgid, r]));
      expect([by.get("ada-ping-1@example.org")?.comment_count, by.get("ada-ping-2@example.org")?.comment_count, by.get("lou-1@example.org")?.comment_count]).toEqual([0, 0, 1]);
      const v = (await getPatchReview(db, V2.p2))!;
      const [d] = v.discussions;
      expect(d.comments.map((c) => [c.msgid, c.text, c.quote])).toEqual([
        ["lou-1@example.org", "It can return 1 too, when the widget is already running.", [" Widgets", " =======", "+", "+frob_start() returns 0 or a negative errno."]],
        ["ada-3@example.org", "That doesn't work today anyhow.", ["It can return 1 too, when the widget is already running."]],
      ]);
      const r = await handleApi(db, ["widget", V2.p2, "review"], new URLSearchParams());
      const api = JSON.parse(JSON.stringify((r as { json: unknown }).json)) as typeof v;
      expect(api.discussions[0].comments[1].quote).toEqual(["It can return 1 too, when the widget is already running."]);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});

describe("reindex", () => {
  it("rebuilds the same reviews", async () => {
    const before = await snapshot();
    await reindex(db);
    expect(await snapshot()).toEqual(before);
  });
});
