// The review views in a real browser (Debian's chromium through playwright-core), served by
// `next start` against a test database seeded by the real ingester from the demo corpus
// (ingest/demo/demo.mbox; its README lists the inline reviews and the NAK). What is expected
// comes from the review data itself (getPatchReview, and the JSON API), never hard-coded line
// numbers: a discussion must sit right under the diff line it is anchored to, and its "Copy as
// Markdown" button must put the author, a permalink and a ```diff block with that line on the
// clipboard.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { getPatchReview, getSeriesReview } from "../lib/views/review";
import type { DiscussionView, PatchReviewView } from "../lib/review/view";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener, SCREENSHOT_DIR } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO = path.join(import.meta.dirname, "..", "ingest", "demo", "demo.mbox");

// the demo corpus (ingest/demo/README.md, "Inline review" and "NAK")
/** v2 1/4, reviewed inline by #29 on the one hunk of mm/swap.c */
const V2P1 = "20230412-rotation-queue-v2-1-6a1f0c2e9d3b@kernel.example";
const V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example";
/** v1 2/3, NAKed by Greta Lindqvist in #19 */
const V1P2 = "20230620071000.91127-3-mira@kernel.example";
const NAK_MSG = "20230622064519.GB31877@kernel.example";

/** ../shared/seeds: 004 holds an RFC patch that survives only in quotes (rebuilt, reviewable) */
const SEEDS = path.join(import.meta.dirname, "..", "..", "shared", "seeds");
const seed004 = fs.existsSync(SEEDS) ? fs.readdirSync(SEEDS).find((f) => f.startsWith("004_")) : undefined;
const RECONSTRUCTED_SUBJECT = "[RFC PATCH] vm: align vma allocation and move the lock back into the struct";

const reviewPath = (msgid: string) => `/demo/${seg(msgid)}/review/`;

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  const demo = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(demo.inserted).toBe(58);
  if (seed004) await ingestSource(db, path.join(SEEDS, seed004), { list: "seeds", workers: 0 });
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

/** A discussion on a diff line of the patch, with a line number and the code it is on. */
function lineDiscussion(view: PatchReviewView, file?: string): DiscussionView {
  const d = view.discussions.find((x) => x.part === "diff" && x.line !== null && x.side !== null && x.code.length > 0 && x.comments.length > 0 && (!file || x.file === file));
  if (!d) throw new Error(`no discussion on a diff line of ${view.msgid}${file ? ` in ${file}` : ""}: ${JSON.stringify(view.discussions.map((x) => [x.part, x.file, x.line]))}`);
  return d;
}

describe("HTTP", () => {
  it("serves the review view as HTML with every discussion in it (no JavaScript needed to read it)", async () => {
    const view = await getPatchReview(db, V2P1);
    expect(view).not.toBeNull();
    const r = await fetch(app.url + reviewPath(V2P1));
    expect(r.status).toBe(200);
    const html = await r.text();
    for (const d of view!.discussions) expect(html).toContain(`id="d-${d.id}"`);
    expect(view!.discussions.length).toBeGreaterThan(0);
    // an unknown message is a 404, not an empty review
    expect((await fetch(app.url + reviewPath("no-such-patch@example.org"))).status).toBe(404);
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url, screenshotPrefix: "review-" });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("shows a comment right under its anchored diff line, and copies it as Markdown", async () => {
    // what the API says about the discussion
    const api = await fetch(`${app.url}/api/demo/${seg(V2P1)}/review`);
    expect(api.status).toBe(200);
    const fromApi = (await api.json()) as PatchReviewView;
    const d = lineDiscussion(fromApi, "mm/swap.c");
    const comment = d.comments[0];
    const anchoredCode = d.code[d.code.length - 1];

    const page = await open(reviewPath(V2P1), "patch-review");
    const box = page.locator(`#d-${d.id}`);
    expect(await box.count()).toBe(1);
    expect(await box.isVisible()).toBe(true);
    // the discussion's row comes right after the anchored line's row, in the file's table
    const at = await box.evaluate((el) => {
      const row = el.closest("tr.discussion-row");
      const line = row?.previousElementSibling as HTMLTableRowElement | null;
      const file = el.closest("section.dfile");
      const cells = line ? [...line.querySelectorAll("td")] : [];
      return {
        inRow: !!row,
        lineClass: line?.className ?? null,
        oldN: cells[0]?.getAttribute("data-n") ?? null,
        newN: cells[1]?.getAttribute("data-n") ?? null,
        marker: cells[2]?.textContent ?? null,
        src: cells[3]?.textContent ?? null,
        file: file?.querySelector(".dfile-head .path")?.textContent ?? null,
      };
    });
    expect(at.inRow).toBe(true);
    expect(at.lineClass).toMatch(/\banchored\b/);
    expect(at.file).toBe(d.file);
    expect(Number(d.side === "old" ? at.oldN : at.newN)).toBe(d.line);
    expect(`${at.marker}${at.src}`).toBe(anchoredCode);
    // file, line and side are written on the discussion; the comment with its author and message
    expect(await box.locator(".discussion-head .where").innerText()).toContain(`${d.file}:${d.line}`);
    const first = box.locator("li.comment").first();
    expect(await first.locator(".comment-head .who").first().innerText()).toBe(comment.author.name);
    expect(await first.locator(".comment-head a").first().getAttribute("href")).toBe(`/demo/${seg(comment.msgid)}/`);
    const firstWords = comment.text.split("\n").find((l) => l.trim())!.trim();
    expect(await first.locator(".comment-text").innerText()).toContain(firstWords);
    expect(await first.locator(".method").innerText()).toMatch(/^(?:exact match|fuzzy match|placed by order|in the thread), \d\.\d\d$/);

    // copy it
    await page.evaluate(() => navigator.clipboard.writeText(""));
    await box.getByRole("button", { name: /copy as markdown/i }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), { timeout: 10_000 }).not.toBe("");
    const md = await page.evaluate(() => navigator.clipboard.readText());
    if (SCREENSHOT_DIR) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, "review-copied-discussion.md"), md);
    }
    expect(md).toContain(comment.author.name);
    // permalinks: absolute links to the discussion on this server, and to the comment's message
    expect(md).toContain(`(${app.url}${reviewPath(V2P1)}#d-${d.id})`);
    expect(md).toContain(`(${app.url}/demo/${seg(comment.msgid)}/)`);
    // a ```diff block holding the anchored line
    const block = /```diff\n([\s\S]*?)\n```/.exec(md);
    expect(block, md).not.toBeNull();
    expect(block![1].split("\n")).toContain(anchoredCode);
    await page.close();
  });

  it("a NAK is a red veto banner naming who gave it and linking the message", async () => {
    const view = await getPatchReview(db, V1P2);
    expect(view?.verdict).toBe("nak");
    const nak = view!.verdicts.find((v) => v.verdict === "nak")!;
    expect(nak.msgid).toBe(NAK_MSG);
    const page = await open(reviewPath(V1P2), "nak");
    const veto = page.locator(".verdicts .veto");
    expect(await veto.count()).toBeGreaterThan(0);
    expect(await veto.first().innerText()).toContain(nak.by.name);
    expect(await veto.first().locator("a").getAttribute("href")).toBe(`/demo/${seg(NAK_MSG)}/`);
    // red: the banner's border is the veto colour, not the page's
    const colour = await veto.first().evaluate((el) => getComputedStyle(el).borderLeftColor);
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
    await page.close();
  });

  it("the series review lists each patch with its verdict and discussions, linking to its review view", async () => {
    const view = await getSeriesReview(db, V2);
    expect(view).not.toBeNull();
    const page = await open(`/series/${seg(V2)}/review/`, "series-review");
    const rows = page.locator("table.review-patches tbody tr");
    expect(await rows.count()).toBe(view!.patches.length);
    expect(view!.patches.length).toBe(4);
    for (let i = 0; i < view!.patches.length; i++) {
      const p = view!.patches[i];
      const row = rows.nth(i);
      expect(await row.locator("td.links a").getAttribute("href")).toBe(reviewPath(p.msgid));
      const open = p.discussions.filter((d) => d.status === "open").length;
      expect(Number(await row.locator("td.num").nth(1).innerText())).toBe(open);
      expect(Number(await row.locator("td.num").nth(2).innerText())).toBe(p.discussions.length - open);
    }
    // from the series review to a patch's review view, then to another version of that patch
    await Promise.all([page.waitForURL((u) => u.pathname === reviewPath(V2P1)), rows.nth(0).locator("td.links a").click()]);
    const patch = (await getPatchReview(db, V2P1))!;
    const others = patch.versions.filter((v) => v.msgid !== V2P1);
    expect(await page.locator('nav[aria-label="Versions of this patch"] a[aria-current="page"]').innerText()).toMatch(/^v2/);
    if (others.length) expect(await page.locator('nav[aria-label="Versions of this patch"] a').count()).toBe(patch.versions.length);
    await page.close();
  });

  it.skipIf(!seed004)("a patch rebuilt from quotes says so, and a comment on its commit message sits under that line", async () => {
    const { rows } = await db.pool.query(`SELECT m.msgid FROM message m JOIN patch p ON p.message_id = m.id WHERE m.ghost AND m.subject = $1`, [RECONSTRUCTED_SUBJECT]);
    expect(rows).toHaveLength(1);
    const msgid: string = rows[0].msgid;
    const view = (await getPatchReview(db, msgid))!;
    expect(view.reconstructed).toBe(true);
    const d = view.discussions.find((x) => x.part === "message" && x.anchor?.part === "message");
    expect(d, JSON.stringify(view.discussions.map((x) => [x.part, x.line]))).toBeDefined();
    const page = await open(`/seeds/${seg(msgid)}/review/`, "reconstructed");
    expect(await page.locator(".note.reconstructed").innerText()).toMatch(/rebuilt from the quotes/);
    const at = await page.locator(`#d-${d!.id}`).evaluate((el) => {
      const row = el.closest("tr.discussion-row");
      const line = row?.previousElementSibling;
      return { table: row?.closest("table")?.className ?? null, anchored: line?.classList.contains("anchored") ?? false, text: line?.querySelector("td.src")?.textContent ?? null };
    });
    expect(at).toEqual({ table: "msgtext", anchored: true, text: d!.anchor!.patchText });
    await page.close();
  });

  it("is linked from the patch page, the message page and the series page", async () => {
    const page = await open(`/demo/${seg(V2P1)}/patch/`, "patch");
    expect(await page.locator("nav.msg-links a.review-link").getAttribute("href")).toBe(reviewPath(V2P1));
    await page.goto(`${app.url}/demo/${seg(V2P1)}/`, { waitUntil: "networkidle" });
    expect(await page.locator("nav.msg-links a.review-link").first().getAttribute("href")).toBe(reviewPath(V2P1));
    await page.goto(`${app.url}/series/${seg(V2)}/`, { waitUntil: "networkidle" });
    expect(await page.locator("nav.downloads a.review-link").getAttribute("href")).toBe(`/series/${seg(V2)}/review/`);
    await page.close();
  });

  it("logged no errors (no CSP violations, no hydration errors) and raised no dialogs", () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
