// Proposal pages in a real browser (Debian's chromium through playwright-core), served by
// `next start` against a test database seeded by the real ingester from the demo corpus
// (ingest/demo/demo.mbox: RFC → v1 NAKed → v2 → v3 applied, an LKP report, a fix a year later,
// an LSF/MM topic), plus the demo's simulator run (ingest/demo/run.json) when it is there, and a
// series whose subjects carry markup (e2e/fixtures/series-hostile.mbox).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { mergeProposals } from "../lib/db/curation";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO = path.join(import.meta.dirname, "..", "ingest", "demo", "demo.mbox");
const DEMO_RUN = path.join(import.meta.dirname, "..", "ingest", "demo", "run.json");
const HOSTILE = path.join(import.meta.dirname, "fixtures", "series-hostile.mbox");

const RFC = "20230412081500.48213-1-mira@kernel.example";
const V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example";
const FIX = "20250114093000.11842-1-priya.raman@example.com";
const LSF = "Z6CqN3xT1bVh8Rk2@kernel.example";

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
let runs = 0;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDb();
  expect((await ingestSource(db, DEMO, { list: "demo", workers: 0 })).inserted).toBe(58);
  expect((await ingestSource(db, HOSTILE, { list: "lab", workers: 0 })).inserted).toBe(4);
  // the demo run, as `npm start` imports it (runs import is another part of patchlore)
  if (fs.existsSync(DEMO_RUN)) {
    const { importDemoRuns } = await import("../ingest/runs-cli");
    runs = await importDemoRuns(db);
  }
  for (const r of (await db.pool.query(`SELECT id, key FROM proposal`)).rows) ids[r.key] = r.id;
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string) => fetch(app.url + p, { redirect: "manual" });

describe("HTTP", () => {
  it("serves the list and each proposal as pages and JSON; unknown ids are 404", async () => {
    expect((await get("/proposals/")).status).toBe(200);
    const api = await (await get("/api/proposals?q=rotation")).json();
    expect(api.items.map((p: { key: string }) => p.key).sort()).toEqual([FIX, LSF, RFC].sort());
    const one = await (await get(`/api/proposals/${ids[RFC]}/`)).json();
    expect(one).toMatchObject({ key: RFC, status: "applied", postings: 4 });
    for (const p of ["/proposals/999999/", "/proposals/abc/", "/proposals/1.5/"]) expect((await get(p)).status, p).toBe(404);
  });

  it("a proposal merged into another redirects to it", async () => {
    const hostile = (await db.pool.query(`SELECT id FROM proposal WHERE title LIKE 'widget:%'`)).rows[0].id as number;
    const into = (await db.pool.query(`INSERT INTO proposal (key, title) VALUES ('e2e-merge-target@x', 'a target') RETURNING id`)).rows[0].id as number;
    await mergeProposals(db, { userId: null }, into, [hostile]);
    const r = await get(`/proposals/${hostile}/`);
    expect([307, 308]).toContain(r.status);
    expect(new URL(r.headers.get("location")!, app.url).pathname).toBe(`/proposals/${into}/`);
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url, screenshotPrefix: "" });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("the nav leads to /proposals/, which lists the demo's proposals, latest first, and opens the design's page", async () => {
    const home = await open("/", "home");
    await Promise.all([home.waitForURL(/\/proposals\/$/), home.locator("nav.site-nav a", { hasText: "proposals" }).click()]);
    const rows = home.locator("table.pp-list tbody tr");
    const titles = (await rows.locator("td.subject a").allInnerTexts()).filter((t) => /rotation/i.test(t));
    expect(titles).toEqual([
      "Rotation queue: bounding queue time and per-memcg queues",
      "mm/rotation: drain the rotation queue when a node goes offline",
      "mm/vmscan: batch LRU rotation with a per-node rotation queue",
    ]);
    const main = rows.filter({ hasText: "batch LRU rotation" });
    expect(await main.locator(".pp-status").innerText()).toBe("applied");
    expect(await main.locator("td.num").first().innerText()).toBe("4");
    expect(await main.locator("td.date").innerText()).toBe("2023-04-12 → 2024-03-06");
    await Promise.all([home.waitForURL(new RegExp(`/proposals/${ids[RFC]}/$`)), main.locator("td.subject a").click()]);
    expect(await home.locator("h1").innerText()).toBe("mm/vmscan: batch LRU rotation with a per-node rotation queue applied");
  });

  it("the proposal page: timeline across years, versions, people, code, ideas, benchmark, decision, related", async () => {
    const page = await open(`/proposals/${ids[RFC]}/`, "proposal");
    expect(await page.locator("dl.pp-facts").innerText()).toMatch(/2023-04-12 → 2024-03-06 \(10 months\)/);

    // timeline: the years, RFC → v1 → v2 → v3, the NAK, the decision, the report
    const tl = page.locator("#timeline");
    expect(await tl.locator(".pp-year-head").allInnerTexts()).toEqual(["2023", "2024"]);
    const items = await tl.locator(".pp-item").evaluateAll((els) => els.map((e) => [e.className.replace(/^pp-item /, ""), e.querySelector(".pp-tag")?.textContent ?? ""]));
    const postings = items.filter(([k]) => /pp-k-(rfc|version)/.test(k)).map(([, t]) => t);
    expect(postings).toEqual(["RFC", "v1", "v2", "v3"]);
    expect(items).toContainEqual(["pp-k-review pp-nak", "NAK"]);
    expect(items).toContainEqual(["pp-k-decision", "applied"]);
    expect(items).toContainEqual(["pp-k-report", "performance"]);
    // each item links to what it is: a posting to its series page, a verdict to the patch's review view
    expect(await tl.locator(".pp-k-version a").first().getAttribute("href")).toMatch(/^\/series\/.+\/$/);
    expect(await tl.locator(".pp-k-review .pp-aux").first().getAttribute("href")).toMatch(/^\/demo\/.+\/review\/$/);

    // versions
    const versions = page.locator("table.pp-versions tbody tr");
    expect(await versions.locator("td:first-child").allInnerTexts()).toEqual(["RFC", "v1", "v2", "v3"]);
    expect(await versions.nth(2).getAttribute("data-series")).toBe(V2);

    // people: Greta's NAK and her later review are both there
    const greta = page.locator(".pp-reviewers li", { hasText: "Greta Lindqvist" });
    const verdicts = await greta.locator(".pp-verdict").allInnerTexts();
    expect(verdicts.some((v) => v.startsWith("NAK"))).toBe(true);
    expect(verdicts.some((v) => v.startsWith("Reviewed-by"))).toBe(true);

    // code: files → functions → hunks, linked to the patch view and to code history
    const code = page.locator("#code");
    const vmscan = code.locator("li.pp-file", { has: page.locator("a.pp-path", { hasText: "mm/vmscan.c" }) });
    const fn = vmscan.locator(".pp-functions > li", { has: page.locator("a", { hasText: "shrink_folio_list" }) });
    expect(await fn.locator("a.mono").getAttribute("href")).toBe("/code/mm/vmscan.c/shrink_folio_list");
    const hunkHref = await fn.locator(".pp-hunks a").first().getAttribute("href");
    expect(hunkHref).toMatch(/^\/demo\/.+\/patch\/#f\d+h\d+$/);

    // ideas, with Greta's objection from the RFC thread
    const ideas = page.locator("table.pp-ideas tbody tr");
    expect(await ideas.count()).toBeGreaterThan(5);
    const objection = ideas.filter({ has: page.locator(".pp-i-objection") }).filter({ hasText: "Greta Lindqvist" });
    expect(await objection.count()).toBeGreaterThan(0);
    expect(await objection.first().locator("a").first().getAttribute("href")).toBe(`/demo/${seg("20230414090742.GA20581@kernel.example")}/`);

    // the benchmark from the LKP report
    const bench = page.locator("table.pp-bench tbody tr", { hasText: "+12.4%" });
    expect(await bench.first().innerText()).toMatch(/vm-scalability/);
    expect(await bench.first().locator(".pp-dir-improvement").innerText()).toBe("improvement");

    // the decision and its reasons: NAKed v1, applied v3
    const decision = page.locator("#decision");
    expect(await decision.locator(".pp-status").innerText()).toBe("applied");
    const final = decision.locator("li.pp-final");
    expect(await final.innerText()).toContain("Applied to mm-unstable");
    expect(await final.locator("a", { hasText: "v3" }).count()).toBe(1);
    expect(await decision.locator("li", { hasText: "nak" }).locator(".pp-reason").innerText()).toMatch(/^Reason: /);

    // related proposals: the fix (Fixes:) and the topic that revisits the design
    const related = page.locator("table.pp-related tbody tr");
    expect(await related.evaluateAll((rs) => rs.map((r) => [r.querySelector("td")!.textContent, r.querySelector("td:nth-child(2) a")!.textContent]))).toEqual([
      ["successor", "mm/rotation: drain the rotation queue when a node goes offline"],
      ["successor", "Rotation queue: bounding queue time and per-memcg queues"],
    ]);
    expect(await related.first().innerText()).toContain("Fixes: 20f6b5ac6e03");

    // how it was put together: every member with its method
    expect(await page.locator("table.pp-members tbody tr").count()).toBe(5);
    // curation: signed out, a link to sign in
    expect(await page.locator("#curation a", { hasText: "Sign in" }).count()).toBe(1);

    // the demo's simulator run, plotted, when the run import is there
    if (fs.existsSync(DEMO_RUN)) {
      expect(runs).toBeGreaterThan(0);
      expect(await page.locator("section.run-plots svg").count()).toBeGreaterThan(0);
    } else {
      expect(await page.locator("#runs-section").innerText()).toContain("No runs attached");
    }
  });

  it("the series page links to its proposal; the fix's page shows the bug report it closes", async () => {
    const s = await open(`/series/${seg(V2)}/`, "series-v2");
    const link = s.locator("a.proposal-link");
    expect(await link.getAttribute("href")).toBe(`/proposals/${ids[RFC]}/`);
    const fix = await open(`/proposals/${ids[FIX]}/`, "fix");
    const threads = fix.locator(".pp-threads li");
    expect(await threads.innerText()).toMatch(/reference\s+Re: \[BUG\] mm\/rotation: memory offline hangs/);
    expect(await threads.innerText()).toContain("Closes:");
    expect(await fix.locator("table.pp-related tbody tr").first().innerText()).toMatch(/^predecessor/);
  });

  it("markup in subjects stays text", async () => {
    const page = await open("/proposals/?q=widget", "hostile");
    // merged away in the HTTP test: the list leaves it out, the target remains
    const all = await open("/proposals/", "all");
    expect(await all.locator("td.subject", { hasText: "<b>" }).count()).toBe(0);
    const hostile = await (await fetch(`${app.url}/api/proposals/?q=widget`)).json();
    expect(hostile.items).toEqual([]);
    expect(await page.locator("b").count()).toBe(0);
    const target = (await db.pool.query(`SELECT id FROM proposal WHERE key = 'e2e-merge-target@x'`)).rows[0].id;
    const t = await open(`/proposals/${target}/`, "merged-target");
    // the merged series' subject, as text: no <b> element, the markup shown
    expect(await t.locator("table.pp-members").innerText()).toContain("widget: markup <b>in</b> a series");
    expect(await t.locator("table.pp-members b").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
