// "Copy as Markdown" in a real browser (Debian's chromium through playwright-core) against
// `next start` on the demo corpus: the button's script runs under the page's nonce CSP (no
// violation reported), copies what /api/<list>/<msgid>/?format=md answers through the Clipboard
// API, through the execCommand fallback when there is no Clipboard API, and shows the Markdown to
// copy by hand when neither works. Then POST /api/related over HTTP, without signing in.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const DEMO = path.join(import.meta.dirname, "..", "ingest", "demo", "demo.mbox");
const NAK = "20230622064519.GB31877@kernel.example";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";

const DIFF = `diff --git a/mm/vmscan.c b/mm/vmscan.c
--- a/mm/vmscan.c
+++ b/mm/vmscan.c
@@ -70,7 +70,7 @@ static unsigned int shrink_folio_list(struct list_head *folio_list,
 	list_for_each_entry_safe(folio, next, folio_list, lru) {
 		if (folio_needs_rotation(folio, sc)) {
 			list_del(&folio->lru);
-			sc->nr_rotated += folio_nr_pages(folio);
+			sc->nr_rotated += folio_nr_pages(folio) * 2;
 			rotation_queue_add(folio);
 			continue;
 		}
`;

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  expect((await ingestSource(db, DEMO, { list: "demo", workers: 0 })).inserted).toBe(58);
  app = await startApp(db.url);
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string, init?: RequestInit) => fetch(app.url + p, { redirect: "manual", ...init });

describe("Markdown over HTTP", () => {
  it("serves ?format=md as text/markdown with links on the request's origin", async () => {
    const r = await get(`/api/demo/${seg(NAK)}/?format=md`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    const md = await r.text();
    expect(md).toContain(`(${app.url}/demo/${NAK}/)`);
    expect(md).toContain("Nacked-by: Greta Lindqvist");
    const bad = await get(`/api/demo/${seg(NAK)}/?format=docx`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toMatch(/unknown format "docx"/);
  });

  it("POST /api/related needs no sign-in and answers the ranking, or only the Markdown", async () => {
    const r = await get("/api/related", { method: "POST", body: DIFF, headers: { "Content-Type": "text/x-diff" } });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body.items[0]).toMatchObject({ kind: "series", key: V3 });
    expect(body.items[0].reasons[0].text).toBe("same function shrink_folio_list() in mm/vmscan.c");
    const md = await get("/api/related?format=md", { method: "POST", body: DIFF, headers: { "Content-Type": "text/plain" } });
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await md.text()).toContain(`[mm/vmscan: batch LRU rotation with a per-node rotation queue](${app.url}/series/${V3}/)`);
    // what curl sends by default is taken too
    expect((await get("/api/related", { method: "POST", body: DIFF, headers: { "Content-Type": "application/x-www-form-urlencoded" } })).status).toBe(200);
    const empty = await get("/api/related", { method: "POST", body: "", headers: { "Content-Type": "text/x-diff" } });
    expect(empty.status).toBe(400);
    expect((await empty.json()).detail).toMatch(/body is empty/);
    const prose = await get("/api/related", { method: "POST", body: "not a diff", headers: { "Content-Type": "text/plain" } });
    expect([prose.status, (await prose.json()).detail]).toEqual([400, expect.stringMatching(/no diff found/)]);
    expect((await get("/api/related")).status).toBe(405);
    // other POSTs still need a sign-in
    expect((await get("/api/tokens", { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(401);
  });
});

describe.skipIf(!hasChromium)("Copy as Markdown in the browser", () => {
  let browser: Browser;
  // each test makes its own context (their clipboard permissions differ), hence openIn
  const { openIn, consoleErrors: problems } = new PageOpener({ baseUrl: () => app.url });
  let expected = "";

  beforeAll(async () => {
    browser = await launchChromium();
    expected = await (await get(`/api/demo/${seg(NAK)}/?format=md`)).text();
    expect(expected.length).toBeGreaterThan(200);
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page of the message, with CSP violations and console errors collected; `init` runs before the page's scripts. */
  async function open(ctx: BrowserContext, init?: () => void): Promise<Page> {
    await ctx.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    if (init) await ctx.addInitScript(init);
    const { page, response } = await openIn(ctx, `/demo/${seg(NAK)}/`);
    const csp = response!.headers()["content-security-policy"];
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-inline");
    return page;
  }
  const csp = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

  it("copies the message's Markdown through the Clipboard API", async () => {
    const ctx = await browser.newContext();
    await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    const page = await open(ctx);
    const button = page.getByRole("button", { name: "Copy as Markdown" });
    await button.click();
    // the caption changes only when the component's script ran and the copy succeeded
    await page.getByRole("button", { name: "Copied" }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    expect(await page.getByRole("status").innerText()).toBe("Markdown copied to the clipboard");
    // and back after a moment
    await page.getByRole("button", { name: "Copy as Markdown" }).waitFor({ timeout: 10_000 });
    expect(await csp(page)).toEqual([]);
    await ctx.close();
  });

  it("falls back to a selected textarea and execCommand without the Clipboard API", async () => {
    const ctx = await browser.newContext();
    const page = await open(ctx, () => {
      Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true });
      (window as unknown as { __copied: string[] }).__copied = [];
      document.addEventListener("copy", () => {
        const t = document.activeElement as HTMLTextAreaElement | null;
        (window as unknown as { __copied: string[] }).__copied.push(t && "value" in t ? t.value.slice(t.selectionStart, t.selectionEnd) : String(document.getSelection()));
      });
    });
    expect(await page.evaluate(() => typeof navigator.clipboard)).toBe("undefined");
    await page.getByRole("button", { name: "Copy as Markdown" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([expected]);
    // the helper textarea is gone again
    expect(await page.locator("textarea").count()).toBe(0);
    expect(await csp(page)).toEqual([]);
    await ctx.close();
  });

  it("shows the Markdown selected to copy by hand when the browser refuses both", async () => {
    const ctx = await browser.newContext();
    const page = await open(ctx, () => {
      Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined, configurable: true });
      Document.prototype.execCommand = () => false;
    });
    await page.getByRole("button", { name: "Copy as Markdown" }).click();
    const box = page.getByRole("textbox", { name: "Markdown" });
    await box.waitFor({ timeout: 10_000 });
    expect(await box.inputValue()).toBe(expected);
    expect(await box.evaluate((t: HTMLTextAreaElement) => [t.selectionStart, t.selectionEnd])).toEqual([0, expected.length]);
    await page.getByRole("button", { name: "Close" }).click();
    expect(await page.locator("textarea").count()).toBe(0);
    expect(await csp(page)).toEqual([]);
    await ctx.close();
  });

  it("reported no CSP violation and no script error", () => {
    expect(problems).toEqual([]);
  });
});
