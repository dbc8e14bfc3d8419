// Verdicts and status, one truth on every page (a real browser: Debian's chromium through
// playwright-core, `next start` against a test database seeded by the real ingester from the demo
// corpus, ingest/demo/demo.mbox). What is expected comes from the views themselves
// (getSeriesReview, getPatchReview, seriesStatuses), checked against what the pages show:
//  * a series' verdict agrees with its patch rows (never "no verdict" beside a Reviewed patch),
//    and the verdict line has one badge;
//  * a Reviewed-by the author carried into v3's commit message counts as a verdict;
//  * a person page shows no "open" for work that was applied.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { getPatchReview, getSeriesReview } from "../lib/views/review";
import { seriesStatuses } from "../lib/views/status";
import { seriesVerdict, type Verdict } from "../lib/review/trailers";
import { STATUS_LABEL } from "../lib/knowledge/status";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO = path.join(import.meta.dirname, "..", "ingest", "demo", "demo.mbox");

// the demo corpus (ingest/demo/README.md): v2 has Reviewed-by replies on its patches and none on
// its cover letter; v3's patches carry the collected trailers in their commit messages, and its
// cover letter was answered "Applied to mm-unstable, thanks."
const V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";
const V3P1 = "20230412-rotation-queue-v3-1-b18e4f7a2c90@kernel.example";
const AUTHOR = "mira@kernel.example";

const LABEL: Record<Verdict, string> = { nak: "NAKed", ack: "Acked", review: "Reviewed", test: "Tested" };

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  const demo = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(demo.inserted).toBe(58);
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

describe("the views", () => {
  it("count a Reviewed-by carried into v3's commit message as a verdict (source commit-message)", async () => {
    const p = (await getPatchReview(db, V3P1))!;
    const carried = p.verdicts.filter((v) => v.source === "commit-message");
    expect(carried.map((v) => v.verdict)).toContain("review");
    expect(carried.every((v) => v.msgid === V3P1)).toBe(true);
    expect(p.verdict).not.toBeNull();
    expect(p.trailers.some((t) => t.via === "commit-message" && t.kind === "Reviewed-by")).toBe(true);
  });

  it("derive the series verdict from the patches' by the one rule", async () => {
    for (const key of [V2, V3]) {
      const s = (await getSeriesReview(db, key))!;
      expect(s.patches.some((p) => p.verdict)).toBe(true);
      expect(s.verdict).toBe(seriesVerdict(s.coverVerdict, s.patches.map((p) => p.verdict)));
      expect(s.patchesWithVerdict).toBe(s.patches.filter((p) => p.verdict).length);
    }
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url, screenshotPrefix: "status-" });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a series review's verdict agrees with its patch rows, in one badge", async () => {
    for (const key of [V2, V3]) {
      const view = (await getSeriesReview(db, key))!;
      const page = await open(`/series/${seg(key)}/review/`, `series-review-${view.version}`);
      // one badge on the verdict line: the series' verdict
      const line = page.locator(".verdicts .verdict-line");
      expect(await line.locator(".verdict").count()).toBe(1);
      const seriesBadge = (await line.locator(".verdict").innerText()).trim();
      // the patch rows, as the page shows them
      const rows = page.locator("table.review-patches tbody tr");
      expect(await rows.count()).toBe(view.patches.length);
      const rowBadges = (await rows.locator("td .verdict").allInnerTexts()).map((t) => t.trim());
      expect(rowBadges).toEqual(view.patches.map((p) => (p.verdict ? LABEL[p.verdict] : "no verdict")));
      // never "no verdict" beside a patch that has one; the series badge is the strongest row's (or the cover letter's)
      expect(rowBadges.some((b) => b !== "no verdict")).toBe(true);
      expect(seriesBadge).not.toBe("no verdict");
      const strongest = seriesVerdict(view.coverVerdict, view.patches.map((p) => p.verdict))!;
      expect(seriesBadge).toBe(LABEL[strongest]);
      if (rowBadges.includes("NAKed")) expect(seriesBadge).toBe("NAKed");
      await page.close();
    }
  });

  it("the v3 patch whose commit message carries Reviewed-by shows reviewed, and names the carried trailer", async () => {
    const page = await open(`/demo/${seg(V3P1)}/review/`, "v3-patch");
    const line = page.locator(".verdicts .verdict-line");
    expect(await line.locator(".verdict").count()).toBe(1);
    expect(await line.locator(".verdict").innerText()).not.toBe("no verdict");
    expect(await line.innerText()).toContain("carried in the patch");
    // its status, by the rule the series has: v3 was applied
    const view = (await getPatchReview(db, V3P1))!;
    expect(view.status?.status).toBe("applied");
    expect(await page.locator(".patch-status .pp-status").getAttribute("data-status")).toBe(view.status!.status);
    await page.close();
  });

  it("the series page and the person page give the status by the same rule: no 'open' for applied work", async () => {
    const { rows } = await db.pool.query(`SELECT id, key FROM series WHERE key = ANY($1::text[])`, [[V2, V3]]);
    const statuses = await seriesStatuses(db, rows.map((r) => r.id));
    const statusOf = new Map(rows.map((r) => [r.key as string, statuses.get(r.id)!.status]));
    expect(statusOf.get(V3)).toBe("applied");
    expect(statusOf.get(V2)).toBe("superseded");

    const sp = await open(`/series/${seg(V3)}/`, "series-v3");
    expect(await sp.locator(".series-status .pp-status").innerText()).toBe(STATUS_LABEL.applied);
    await sp.close();

    const page = await open(`/people/${seg(AUTHOR)}/`, "person");
    const table = page.locator('section[aria-label="Series proposed"] table tbody tr');
    const n = await table.count();
    expect(n).toBeGreaterThan(0);
    let applied = 0;
    for (let i = 0; i < n; i++) {
      const row = table.nth(i);
      const href = await row.locator(`a[href^="/series/"]`).first().getAttribute("href");
      const key = decodeURIComponent(href!.replace(/^\/series\//, "").replace(/\/$/, ""));
      const shown = (await row.locator(".series-status .pp-status").getAttribute("data-status"))!;
      const { rows: [r] } = await db.pool.query(`SELECT id FROM series WHERE key = $1`, [key]);
      // the person page says what the series page and the view say
      expect(shown, key).toBe((await seriesStatuses(db, [r.id])).get(r.id)!.status);
      const badges = await row.locator(".pp-status").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
      if (shown === "applied" || shown === "merged" || shown === "queued") {
        applied++;
        // work that went in says so everywhere in its row, the proposal too: nothing "open"
        expect(badges, key).not.toContain("open");
      }
    }
    expect(applied).toBeGreaterThan(0);
    await page.close();
  });

  it("logged no errors and raised no dialogs", () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
