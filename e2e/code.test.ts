// Code history, person pages and upstream badges in a real browser (Debian's chromium through
// playwright-core), served by `next start` against a test database with the demo corpus ingested
// and the demo tree's v3 branch imported as "upstream" (ingest/demo/generate.sh keeps the tree the
// demo patches were made from, so its v3 commits have the v3 patches' patch-ids).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { importCommits } from "../ingest/commits";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO_DIR = path.join(import.meta.dirname, "..", "ingest", "demo");

const RFC2 = "20230412081500.48213-3-mira@kernel.example";
const V1_2 = "20230620071000.91127-3-mira@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const v3patch = (n: number) => `20230412-rotation-queue-v3-${n}-b18e4f7a2c90@kernel.example`;

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  const demo = await ingestSource(db, path.join(DEMO_DIR, "demo.mbox"), { list: "demo", workers: 0 });
  expect(demo.inserted).toBe(58);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-code-"));
  execFileSync("bash", [path.join(DEMO_DIR, "generate.sh"), path.join(dir, "demo.mbox")], {
    env: { ...process.env, PATCHLORE_DEMO_KEEP: path.join(dir, "keep") },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const up = await importCommits(db, path.join(dir, "keep", "tree.git"), { rev: ["v3"] });
  expect(up.matches["patch-id"]).toBeGreaterThanOrEqual(4);
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url, screenshotPrefix: "code-" });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    // CSP violations and script errors show up as console errors
    expect(consoleErrors).toEqual([]);
  });

  it("a function's history: /code/mm/vmscan.c/shrink_folio_list, hunks linking to the patch page's hunk anchors", async () => {
    const page = await open("/code/mm/vmscan.c/shrink_folio_list", "function");
    expect(await page.locator("h1").innerText()).toBe("mm/vmscan.c shrink_folio_list()");
    // RFC, v1, v2, v3: one series each, oldest first
    const heads = await page.locator(".code-series-head").allInnerTexts();
    expect(heads.map((h) => h.slice(0, 10))).toEqual(["2023-04-12", "2023-06-20", "2023-10-17", "2024-02-06"]);
    // the RFC 2/2 patch: its 2nd and 3rd hunks are in shrink_folio_list (the 1st is not), and Daniel's two comments
    const rfc = page.locator(`#p-${seg(RFC2).replace(/[@.]/g, (c) => `\\${c}`)}`);
    const hunkLinks = await rfc.locator('.code-hunks a[href*="/patch/#"]').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    expect(hunkLinks).toEqual([
      ["@@ -79,13 +80,9 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,", `/demo/${seg(RFC2)}/patch/#f1h2`],
      ["@@ -104,6 +101,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,", `/demo/${seg(RFC2)}/patch/#f1h3`],
    ]);
    expect(await rfc.locator(".code-comment").count()).toBe(2);
    expect(await rfc.locator(".code-comment").first().innerText()).toContain("Daniel Okafor");
    // the v1 NAK's comment on shrink_inactive_list is not on this page; Greta's on shrink_folio_list is
    const v1 = page.locator(".code-patch").filter({ has: page.locator(`a[href^="/demo/${seg(V1_2)}/patch/"]`) });
    expect(await v1.locator(".code-comment").allInnerTexts()).toEqual([expect.stringContaining("Greta Lindqvist")]);
    // following a hunk lands on that hunk of the patch page
    await rfc.locator('.code-hunks a[href*="/patch/#"]').nth(1).click();
    await page.waitForURL(/\/patch\/#f1h3$/);
    expect(await page.locator("#f1h3").count()).toBe(1);
  });

  it("from the directory view to a file, and from a file to its functions", async () => {
    const page = await open("/code/", "top");
    await page.locator('table.code-dir a[href="/code/mm/"]').click();
    await page.waitForURL(/\/code\/mm\/$/);
    expect(await page.locator("table.code-dir tbody tr").count()).toBe(4);
    await page.locator('table.code-dir a[href="/code/mm/rotation.c/"]').click();
    await page.waitForURL(/\/code\/mm\/rotation\.c\/$/);
    expect(await page.locator("h1").innerText()).toBe("mm/rotation.c");
    const fns = await page.locator(".code-functions a.fn").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(fns).toContain("/code/mm/rotation.c/rotate_one");
    await page.locator('.code-functions a[href="/code/mm/rotation.c/rotate_one"]').click();
    await page.waitForURL(/rotate_one$/);
    expect(await page.locator(".code-patch").count()).toBe(1);
    expect(await page.locator(".code-comment-text").innerText()).toContain("lru_lock");
  });

  it("the patch page links a file to its history and shows the upstream commit", async () => {
    const page = await open(`/demo/${seg(v3patch(1))}/patch/`, "patch");
    expect(await page.locator(".dfile-head a.code-history").getAttribute("href")).toBe("/code/mm/swap.c/");
    const badge = page.locator("dl.facts .upstream");
    expect(await badge.innerText()).toMatch(/upstream [0-9a-f]{12} mm\/swap: don't rotate unevictable folios/);
    expect(await badge.innerText()).toContain("(patch-id)");
    const series = await open(`/series/${seg(V3)}/`, "series");
    expect(await series.locator(".upstream").count()).toBe(4);
  });

  it("a person page: Greta's NAK and reviews; reached from a message's From", async () => {
    const msg = await open(`/demo/${seg("20230622064519.GB31877@kernel.example")}/`, "message");
    await msg.locator("a.person-link").first().click();
    await msg.waitForURL(/\/people\/greta@kernel\.example\/$/);
    expect(await msg.locator("h1").innerText()).toBe("Greta Lindqvist <greta@kernel.example>");
    const naks = msg.locator('section[aria-label="NAKs"]');
    expect(await naks.locator("tbody tr").count()).toBeGreaterThanOrEqual(1);
    expect(await naks.innerText()).toContain("Nacked-by");
    expect(await naks.locator(`a[href="/demo/${seg(V1_2)}/patch/"]`).count()).toBeGreaterThanOrEqual(1);
    const reviews = await msg.locator('section[aria-label="Reviews given"]').innerText();
    expect(reviews).toContain("Reviewed-by");
    // 2023: 5 messages, 0 patches, 3 reviews, 1 NAK (v1 2/3's Nacked-by; "I'll drop the NAK on v2" is not one)
    expect(await msg.locator('section[aria-label="Per year"] tbody tr').allInnerTexts()).toEqual([expect.stringMatching(/^2023\s+5\s+0\s+3\s+1\s/)]);
    // the people list links every address to its page
    const people = await open("/people/", "people");
    expect(await people.locator('a[href="/people/mira@kernel.example/"]').count()).toBe(1);
  });
});
