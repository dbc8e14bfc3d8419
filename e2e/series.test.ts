// Series, patch, version-line and interdiff pages in a real browser (Debian's chromium through
// playwright-core), served by `next start` against a test database seeded by the real ingester
// from the demo corpus (ingest/demo/demo.mbox: RFC, v1, v2, v3 of one series, linked by
// change-id) and e2e/fixtures/series-hostile.mbox (markup in a cover letter, commit message and
// diff lines; a missing patch; a damaged hunk).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO = path.join(import.meta.dirname, "..", "ingest", "demo", "demo.mbox");
const HOSTILE = path.join(import.meta.dirname, "fixtures", "series-hostile.mbox");

// the demo corpus (see ingest/demo/README.md)
const RFC = "20230412081500.48213-1-mira@kernel.example";
const V1 = "20230620071000.91127-1-mira@kernel.example";
const V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const v2patch = (n: number) => `20230412-rotation-queue-v2-${n}-6a1f0c2e9d3b@kernel.example`;
const v3patch = (n: number) => `20230412-rotation-queue-v3-${n}-b18e4f7a2c90@kernel.example`;
// the hostile series
const H_COVER = "hostile-v2-0@example.org";
const H_1 = "hostile-v2-1@example.org";
const H_3 = "hostile-v2-3@example.org";


let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  const demo = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(demo.inserted).toBe(58);
  const lab = await ingestSource(db, HOSTILE, { list: "lab", workers: 0 });
  expect(lab.inserted).toBe(4);
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string, init?: RequestInit) => fetch(app.url + p, { redirect: "manual", ...init });

describe("HTTP", () => {
  it("serves a series as an mbox for git am: a download, patches 1..N in order, no cover letter", async () => {
    const r = await get(`/series/${seg(V2)}/mbox`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/mbox");
    expect(r.headers.get("content-disposition")).toMatch(/^attachment; filename=[A-Za-z0-9._-]+\.mbox$/);
    expect(r.headers.get("content-disposition")).toContain("v2_20231017_mira_mm-vmscan-batch-lru-rotation");
    const text = await r.text();
    expect(text.startsWith("From ")).toBe(true);
    const subjects = [...text.matchAll(/^Subject: (.*(?:\n [^\n]*)*)/gm)].map((m) => m[1].replace(/\n /g, " "));
    expect(subjects).toEqual([
      "[PATCH v2 1/4] mm/swap: don't rotate unevictable folios",
      "[PATCH v2 2/4] mm: add a per-node rotation queue",
      "[PATCH v2 3/4] mm/vmscan: batch LRU rotation through the rotation queue",
      "[PATCH v2 4/4] Documentation/admin-guide/mm: document the rotation queue",
    ]);
    expect(text.match(/^From /gm)).toHaveLength(4);
    expect(text).not.toContain("[PATCH v2 0/4]");
    expect(text).toContain("diff --git a/mm/swap.c b/mm/swap.c");
    // git reads it as four mails (mailsplit is what git am runs first)
    const git = (() => {
      try {
        execFileSync("git", ["--version"], { stdio: "ignore" });
        return true;
      } catch {
        return false;
      }
    })();
    if (git) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchlore-mbox-"));
      try {
        fs.writeFileSync(path.join(dir, "s.mbox"), Buffer.from(await (await get(`/series/${seg(V2)}/mbox`)).arrayBuffer()));
        const n = execFileSync("git", ["mailsplit", "-o" + dir, path.join(dir, "s.mbox")], { encoding: "utf8" }).trim();
        expect(n).toBe("4");
        const info = execFileSync("git", ["mailinfo", path.join(dir, "msg"), path.join(dir, "patch")], { input: fs.readFileSync(path.join(dir, "0002")), encoding: "utf8" });
        expect(info).toContain("Subject: mm: add a per-node rotation queue");
        expect(fs.readFileSync(path.join(dir, "patch"), "utf8")).toContain("diff --git a/include/linux/rotation.h b/include/linux/rotation.h");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    expect((await get(`/series/no-such-series@x/mbox`)).status).toBe(404);
  });

  it("keeps /series/, /versions/ and /interdiff/ out of the list URL space", async () => {
    const index = await get("/series/");
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("Series");
    expect((await get("/series/?list=demo")).status).toBe(200);
    expect((await get("/series/?list=no-such-list")).status).toBe(404);
    expect((await get("/series/nothing@here/")).status).toBe(404);
    for (const p of ["/versions/999999/", "/versions/abc/", "/versions/1.5/", "/interdiff/a@b/c@d/"]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(await r.text(), p).toContain("Not found");
    }
    // a message without a patch has no patch page
    expect((await get(`/demo/${seg("ZJLq5cT0vN2hW8aK@kernel.example")}/patch/`)).status).toBe(404);
    // a patch is shown only under a list it is in
    expect((await get(`/lab/${seg(v2patch(1))}/patch/`)).status).toBe(404);
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, screenshot, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url, screenshotPrefix: "" });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("the series page of v2: 4 patches, complete, the version bar RFC/v1/v2/v3 with v2 current", async () => {
    const page = await open(`/series/${seg(V2)}/`, "series-v2");
    expect(await page.locator("h1").innerText()).toBe("v2 mm/vmscan: batch LRU rotation with a per-node rotation queue");
    expect(await page.locator("h1 .badge.ver").innerText()).toBe("v2");
    const facts = await page.locator("dl.series-facts").innerText();
    expect(facts).toContain("Mira Kovacs <mira@kernel.example>");
    expect(facts).toContain("2023-10-17 09:30 UTC");
    expect(facts).toContain("demo");
    expect(facts).toMatch(/4 patches of 4,\s*complete/);
    expect(facts).toMatch(/previous version\s+v1 \(linked by change-id\)/);
    expect(await page.locator(".completeness").innerText()).toBe("complete");
    // the version bar: every version, this one current, and the version line
    const bar = page.locator("nav.version-bar");
    expect(await bar.locator("li a").allInnerTexts()).toEqual(["RFC", "v1", "v2", "v3"]);
    expect(await bar.locator('a[aria-current="page"]').innerText()).toBe("v2");
    expect(await bar.locator("li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(
      [RFC, V1, V2, V3].map((k) => `/series/${k}/`),
    );
    expect(await bar.locator("a.vb-line").getAttribute("href")).toMatch(/^\/versions\/\d+\/$/);
    // the cover letter, folded (it is long), with its first paragraph showing
    const cover = page.locator("section.cover");
    expect(await cover.locator("h2").innerText()).toBe("[PATCH v2 0/4] mm/vmscan: batch LRU rotation with a per-node rotation queue");
    expect(await cover.locator("details.cover-fold").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await cover.locator(".cover-preview").innerText()).toMatch(/^When shrink_folio_list\(\) decides to keep a folio/);
    await cover.locator("details.cover-fold > summary").click();
    expect(await cover.locator(".body").innerText()).toContain("Changes since v1:");
    // the patches in order with diffstat and reply counts
    const rows = page.locator("table.patches tbody tr");
    expect(await rows.count()).toBe(4);
    expect(await page.locator("table.patches tr.missing").count()).toBe(0);
    expect(await rows.locator("td.ptitle > a").allInnerTexts()).toEqual([
      "mm/swap: don't rotate unevictable folios",
      "mm: add a per-node rotation queue",
      "mm/vmscan: batch LRU rotation through the rotation queue",
      "Documentation/admin-guide/mm: document the rotation queue",
    ]);
    const second = await rows.nth(1).locator("td").allInnerTexts();
    expect(second[0]).toBe("2");
    expect(second[1]).toContain("include/linux/rotation.h +33 -0 (added)");
    expect(second[2]).toBe("4");
    expect(second[3]).toBe("+169 -1");
    expect(second[4]).toBe("1");
    expect(await rows.nth(1).locator("td.links a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      `/demo/${v2patch(2)}/patch/`,
      `/demo/${v2patch(2)}/`,
      `/demo/${v2patch(2)}/raw`,
    ]);
    // downloads: the mbox, and each patch raw
    expect(await page.locator("nav.downloads a", { hasText: "mbox for git am" }).getAttribute("href")).toBe(`/series/${V2}/mbox`);
    expect(await page.locator("table.patches td.links a", { hasText: "raw" }).count()).toBe(4);
    await page.close();
  });

  it("an incomplete series says what is missing; its markup stays text", async () => {
    const page = await open(`/series/${seg(H_COVER)}/`, "series-hostile");
    expect(await page.locator("h1").innerText()).toBe("v2 widget: markup <b>in</b> a series");
    expect(await page.locator(".completeness").innerText()).toBe("missing 2 of 3");
    const rows = page.locator("table.patches tbody tr");
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(1).innerText()).toContain("missing: patch 2/3 is not in the archive");
    expect(await page.locator("section.cover .body").innerText()).toContain('This series has <script>alert("cover")</script> markup');
    expect(await page.locator("main script, main b, main img").count()).toBe(0);
    // a single version: the bar has it alone, no version line
    expect(await page.locator("nav.version-bar li").count()).toBe(1);
    expect(await page.locator("nav.version-bar a.vb-line").count()).toBe(0);
    await page.close();
  });

  it("the patch page highlights C on the server, with line numbers, hunk headings and working anchors", async () => {
    const page = await open(`/demo/${seg(v3patch(2))}/patch/`, "patch-v3-2");
    expect(await page.locator("h1").innerText()).toBe("v3 2/4 mm: add a per-node rotation queue");
    expect(await page.locator(".commit-msg").innerText()).toContain("Add a per-node queue that collects such folios.");
    // the file list, anchors #f1..#f4
    const files = page.locator("#files table.files a");
    expect(await files.allInnerTexts()).toEqual(["include/linux/mmzone.h", "include/linux/rotation.h", "mm/Makefile", "mm/rotation.c"]);
    expect(await files.evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["#f1", "#f2", "#f3", "#f4"]);
    // shiki's tokens: coloured spans in the C files (classes, no inline style), plain Makefile lines stay text
    const c = page.locator("#f4 table.code.hl");
    expect(await c.getAttribute("data-lang")).toBe("c");
    expect(await c.locator("td.src span[class^='tl']").count()).toBeGreaterThan(100);
    expect(await page.locator("main [style]").count()).toBe(0);
    const keyword = c.locator("td.src span", { hasText: /^static$/ }).first();
    const colours = await keyword.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el.closest("td")!).color]);
    expect(colours[0]).not.toBe(colours[1]); // the stylesheet is applied: keywords differ from plain text
    expect(await page.locator("#f3 table.code").getAttribute("data-lang")).toBe("make");
    // line numbers in the gutters (old and new), the marker, the code
    const added = page.locator("#f1 tr.l.add").first();
    expect(await added.locator("td.ln").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-n")))).toEqual([null, "11"]);
    expect(await added.locator("td.ln").nth(1).evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"11"');
    const ctx0 = page.locator("#f1 tr.l.ctx").first();
    expect(await ctx0.locator("td.ln").evaluateAll((tds) => tds.map((td) => td.getAttribute("data-n")))).toEqual(["8", "8"]);
    // hunk headers with the function heading, anchored #f<N>h<M>
    const h2 = page.locator("#f1h2");
    expect(await h2.locator(".range").innerText()).toBe("@@ -53,6 +54,9 @@");
    expect(await h2.locator(".fn").innerText()).toBe("typedef struct pglist_data {");
    expect(await page.locator("#f4 tr.hunk-head .fn").count()).toBe(0); // a new file's hunk has no heading
    // anchors: the file list jumps to the file, a hunk link to its hunk, below the sticky header
    await files.nth(3).click();
    await page.waitForFunction(() => location.hash === "#f4");
    expect(await page.locator("#f4").evaluate((el) => el.matches(":target"))).toBe(true);
    expect(await page.locator("#f4 .dfile-head").isVisible()).toBe(true);
    await page.goto(`${app.url}/demo/${seg(v3patch(2))}/patch/#f1h2`, { waitUntil: "networkidle" });
    const box = await h2.boundingBox();
    const head = await page.locator("#f1 .dfile-head").boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(head!.y + head!.height - 1);
    expect(box!.y).toBeLessThan(900);
    expect(await h2.evaluate((el) => el.matches(":target"))).toBe(true);
    // the series, previous and next patch
    const nav = page.locator("nav.prevnext");
    expect(await nav.locator("a[rel=prev]").getAttribute("href")).toBe(`/demo/${v3patch(1)}/patch/`);
    expect(await nav.locator("a[rel=next]").getAttribute("href")).toBe(`/demo/${v3patch(3)}/patch/`);
    expect(await nav.locator("a.up").getAttribute("href")).toBe(`/series/${V3}/`);
    await page.close();
  });

  it("a <script> inside a diff line, a commit message and a title renders as text; damage is flagged", async () => {
    const page = await open(`/lab/${seg(H_1)}/patch/`, "patch-hostile");
    expect(await page.locator("h1").innerText()).toBe('v2 1/3 widget: print markup <script>alert("title")</script>');
    const src = await page.locator("#f1 td.src").allInnerTexts();
    expect(src).toContain(`\tpr_info("<script>alert('diff')</script>\\n");`);
    expect(src).toContain("\tret = widget_init(dev); /* </pre><img src=x onerror=alert(1)> */");
    // highlighted all the same: the string is a coloured token holding the markup as text
    expect(await page.locator("#f1 td.src span", { hasText: "<script>alert('diff')</script>" }).count()).toBe(1);
    expect(await page.locator("#f2 table.code").getAttribute("data-lang")).toBe("python");
    expect(await page.locator("#f2 td.src").allInnerTexts()).toContain(`print("<script>alert('py')</script>")`);
    expect(await page.locator(".commit-msg").innerText()).toContain('The driver now prints a <script>alert("commit")</script> banner.');
    expect(await page.locator(".patch-notes").innerText()).toContain("v2: print it before the init, not after");
    expect(await page.locator("main script, main img, main b, main em, main [onerror]").count()).toBe(0);
    // the next patch is 3/3 (2/3 is missing); its cut hunk is flagged, not guessed
    await Promise.all([page.waitForURL((u) => u.pathname === `/lab/${H_3}/patch/`), page.locator("nav.prevnext a[rel=next]").click()]);
    expect(await page.locator("section.problems").innerText()).toContain("the hunk stops at the signature separator");
    expect(await page.locator("tbody.damaged").count()).toBe(1);
    expect(await page.locator("#f2h1 .tag.warn").innerText()).toBe("damaged");
    expect(await page.locator("#files .tag.warn").innerText()).toBe("damaged");
    expect(await page.locator("#f2 td.src").allInnerTexts()).toContain("New text <em>here</em>.");
    expect(await page.locator("main em").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it("the version line shows the four versions, how they were linked and what changed", async () => {
    const page = await open(`/series/${seg(V3)}/`);
    await Promise.all([page.waitForURL(/\/versions\/\d+\/$/), page.locator("a.vb-line").click()]);
    await screenshot(page, "versions");
    expect(await page.locator("h1").innerText()).toBe("mm/vmscan: batch LRU rotation with a per-node rotation queue");
    const items = page.locator("ol.timeline > li");
    expect(await items.count()).toBe(4);
    expect(await items.locator(".tl-version").allInnerTexts()).toEqual(["RFC", "v1", "v2", "v3"]);
    expect(await items.locator(".tl-meta time").allInnerTexts()).toEqual(["2023-04-12 08:15", "2023-06-20 07:10", "2023-10-17 09:30", "2024-02-06 09:00"]);
    expect(await items.nth(0).locator(".tl-link").innerText()).toBe("first version");
    for (let i = 1; i < 4; i++) {
      expect(await items.nth(i).locator(".tl-link").innerText()).toMatch(/^linked by change-id from (RFC|v1|v2) \(change-id 20230412-rotation-queue-1a2b3c4d5e6f\)$/);
      expect(await items.nth(i).locator(".tl-meta").innerText()).toContain("Mira Kovacs");
    }
    // the steps, as the demo README describes them
    const statuses = async (i: number) => items.nth(i).locator("table.step-table tr").evaluateAll((trs) => trs.map((tr) => tr.className));
    expect(await statuses(1)).toEqual(["st-changed", "st-changed", "st-added"]); // RFC -> v1: the docs patch is new
    expect(await statuses(2)).toEqual(["st-added", "st-changed", "st-unchanged", "st-unchanged"]); // v1 -> v2: new 1/4, queue changed, 3/4 and 4/4 same diff
    expect(await statuses(3)).toEqual(["st-unchanged", "st-unchanged", "st-unchanged", "st-changed"]); // v2 -> v3: only the docs changed
    expect(await items.nth(2).locator(".step h3").innerText()).toBe("v1 → v2: 1 changed, 1 added, 2 unchanged");
    expect(await items.nth(3).locator(".step h3").innerText()).toBe("v2 → v3: 1 changed, 3 unchanged");
    expect(await items.nth(3).locator("tr.st-unchanged").first().innerText()).toContain("same patch-id");
    // every changed pair links to its interdiff; unchanged ones do not
    expect(await page.locator("table.step-table tr.st-changed a", { hasText: "interdiff" }).count()).toBe(4);
    expect(await page.locator("table.step-table tr.st-unchanged a", { hasText: "interdiff" }).count()).toBe(0);
    const docs = items.nth(3).locator("tr.st-changed a", { hasText: "interdiff" });
    expect(await docs.getAttribute("href")).toBe(`/interdiff/${v2patch(4)}/${v3patch(4)}/`);
    await page.close();
  });

  it("the interdiff of the docs patch v2 → v3 shows both levels of markers, coloured", async () => {
    const page = await open(`/interdiff/${seg(v2patch(4))}/${seg(v3patch(4))}/`, "interdiff");
    expect(await page.locator("h1").innerText()).toBe("Interdiff: v2 → v3 of Documentation/admin-guide/mm: document the rotation queue");
    const facts = page.locator("dl.interdiff-facts");
    expect(await facts.locator("a", { hasText: "Documentation" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual([
      `/demo/${v2patch(4)}/patch/`,
      `/demo/${v3patch(4)}/patch/`,
    ]);
    expect(await facts.innerText()).toContain("1 file differs, 1 file the same");
    const file = page.locator("section.idfile");
    expect(await file.count()).toBe(1);
    expect(await file.locator(".path").innerText()).toBe("Documentation/admin-guide/mm/rotation.rst");
    // outer "-", inner "+": a line v2 added that v3 no longer adds; outer "+", inner "+": v3's new line
    const dropped = file.locator("tr.il.o-del", { hasText: "it holds 32 folios, or" });
    expect(await dropped.locator("td.om").innerText()).toBe("-");
    expect(await dropped.locator("td.im").innerText()).toBe("+");
    expect(await dropped.getAttribute("class")).toContain("i-add");
    const added = file.locator("tr.il.o-add", { hasText: "it holds ``vm.rotation_batch`` folios (32 by default), or" });
    expect(await added.locator("td.om").innerText()).toBe("+");
    expect(await added.locator("td.im").innerText()).toBe("+");
    expect(await file.locator("tr.il.o-add").count()).toBe(10);
    expect(await file.locator("tr.il.o-del").count()).toBe(1);
    // colours: the outer marker is the row background, the inner marker the text colour
    const bg = (l: ReturnType<typeof file.locator>) => l.locator("td.src").evaluate((el) => getComputedStyle(el).backgroundColor);
    const kept = file.locator("tr.il.o-eq").first();
    const [bgDel, bgAdd, bgKept] = [await bg(dropped), await bg(added), await bg(kept)];
    expect(new Set([bgDel, bgAdd, bgKept]).size).toBe(3);
    const fg = await added.locator("td.im").evaluate((el) => getComputedStyle(el).color);
    const fgOuter = await added.locator("td.om").evaluate((el) => getComputedStyle(el).color);
    expect(fg).not.toBe(await kept.locator("td.om").evaluate((el) => getComputedStyle(el).color));
    expect(typeof fgOuter).toBe("string");
    // the range-diff text is there to copy
    expect(await page.locator("details.interdiff-text pre").textContent()).toContain("-+* it holds 32 folios, or");
    await page.close();
  });

  it("message and thread pages link the patch view and the series; list and home pages link the series index", async () => {
    const page = await open(`/demo/${seg(v2patch(2))}/`, "message");
    const links = page.locator("nav.msg-links");
    expect(await links.locator("a.patch-link").getAttribute("href")).toBe(`/demo/${v2patch(2)}/patch/`);
    expect(await links.locator("a.series-link").innerText()).toBe("series [v2 2/4]");
    await Promise.all([page.waitForURL((u) => u.pathname === `/demo/${v2patch(2)}/patch/`), links.locator("a.patch-link").click()]);
    expect(await page.locator("h1").innerText()).toBe("v2 2/4 mm: add a per-node rotation queue");
    // a review reply: no patch view, no series
    const go = async (p: string) => expect((await page.goto(app.url + p, { waitUntil: "networkidle" }))?.status(), p).toBe(200);
    await go(`/demo/${seg("ZJLq5cT0vN2hW8aK@kernel.example")}/`);
    expect(await page.locator("nav.msg-links a.patch-link").count()).toBe(0);
    expect(await page.locator("nav.msg-links a.series-link").count()).toBe(0);
    // the thread of v2: the cover and the four patches link their series, the patches their patch view
    await go(`/demo/${seg(V2)}/T/`);
    expect(await page.locator("article.msg a.series-link").count()).toBe(5);
    expect(await page.locator("article.msg a.patch-link").count()).toBe(4);
    expect(await page.locator("article.msg a.series-link").first().innerText()).toBe("series [v2 4 patches]");
    // list page and home page
    await go("/demo/");
    await Promise.all([page.waitForURL((u) => u.pathname === "/series/" && u.search === "?list=demo"), page.locator("nav.list-tabs a", { hasText: "series" }).click()]);
    expect(await page.locator("table.series-list tbody tr").count()).toBe(5);
    expect(await page.locator("table.series-list td.subject").first().innerText()).toBe("v1 mm/rotation: drain the rotation queue when a node goes offline");
    await go("/");
    expect(await page.locator("table.lists tr", { hasText: "demo" }).locator("a.series-link").getAttribute("href")).toBe("/series/?list=demo");
    await page.close();
  });

  it("logged no errors (no CSP violations, no hydration errors) and raised no dialogs", () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
