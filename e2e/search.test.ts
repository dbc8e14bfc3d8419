// The search page in a real browser (Debian's chromium through playwright-core), served by
// `next start` against a test database seeded by the real ingester from the demo corpus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { DEMO_MBOX } from "../ingest/serve";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  await ingestSource(db, DEMO_MBOX, { list: "demo", workers: 0 });
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string) => fetch(app.url + p, { redirect: "manual" });

describe("search over HTTP", () => {
  it("/api/search answers JSON, Atom and mbox.gz, and errors with their status", async () => {
    const r = await get("/api/search?q=" + encodeURIComponent("dfn:mm/vmscan.c"));
    expect(r.status).toBe(200);
    const j = (await r.json()) as { total: number; hits: { url: string; snippet: { text: string; match: boolean }[] }[] };
    expect(j.total).toBeGreaterThanOrEqual(4);
    expect(j.hits[0].url).toMatch(/^\/demo\//);

    const atom = await get("/api/search?q=rotation&x=A");
    expect(atom.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(await atom.text()).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);

    const mbox = await get("/api/search?q=" + encodeURIComponent("s:rotation is:cover") + "&x=m");
    expect(mbox.status).toBe(200);
    expect(mbox.headers.get("content-type")).toBe("application/gzip");
    expect(mbox.headers.get("content-disposition")).toMatch(/^attachment; filename="s_rotation_is_cover\.mbox\.gz"$/);

    const bad = await get("/api/search?q=" + encodeURIComponent("s:(rotation"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "bad query", position: 2 });
    // review facets are answered from the stored reviews (the demo's v2/v3 patches carry Reviewed-by)
    const reviewed = await get("/api/search?q=" + encodeURIComponent("rotation is:reviewed"));
    expect(reviewed.status).toBe(200);
    expect(((await reviewed.json()) as { total: number }).total).toBeGreaterThan(0);
    const long = await get("/api/search?q=" + "a".repeat(1001));
    expect(long.status).toBe(413);

    // lore's x=A on the search page itself goes to the API
    const redirect = await get("/search?q=rotation&x=A");
    expect([303, 307, 308]).toContain(redirect.status);
    expect(redirect.headers.get("location")).toMatch(/\/api\/search\?q=rotation&x=A$/);
  });
});

describe.skipIf(!hasChromium)("the search page in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it("the header's search box leads to results with the matches marked", async () => {
    const page = await open("/");
    await page.fill("header.site input[name=q]", "dfhh:shrink_folio_list");
    await Promise.all([page.waitForURL(/\/search\?q=dfhh%3Ashrink_folio_list$/), page.press("header.site input[name=q]", "Enter")]);
    expect(await page.locator(".search-summary").innerText()).toMatch(/^\d+ messages match: hunk header contains "shrink_folio_list"/);
    const hits = page.locator("li.hit");
    expect(await hits.count()).toBeGreaterThanOrEqual(4);
    // every hit is a patch, none a reply that only quotes the hunk
    for (const s of await page.locator("li.hit .hit-subject").allInnerTexts()) expect(s).not.toMatch(/^Re:/);
    const marks = await page.locator("li.hit pre.snippet mark").allInnerTexts();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m).toBe("shrink_folio_list");
    // the snippet shows the hunk header line it matched in
    expect(await page.locator("li.hit pre.snippet").first().innerText()).toMatch(/@@ .* @@ static unsigned int shrink_folio_list\(/);
    // a result links to its message page
    const href = await page.locator("li.hit a.hit-subject").first().getAttribute("href");
    expect(href).toMatch(/^\/demo\/.+\/$/);
    await page.close();
  });

  it("newest first, by relevance on request, threads collapsed, paged", async () => {
    const page = await open("/search?q=rotation&l=5");
    const dates = await page.locator("li.hit .hit-meta .mono").allInnerTexts();
    expect(dates).toEqual([...dates].sort().reverse());
    expect(await page.locator("nav.pager .where").innerText()).toMatch(/^1–5 of \d+$/);
    await Promise.all([page.waitForURL(/o=5/), page.click("nav.pager a[rel=next]")]);
    expect(await page.locator("nav.pager .where").innerText()).toMatch(/^6–10 of \d+$/);
    await page.close();

    const t = await open("/search?q=rotation&t=1");
    expect(await t.locator(".search-summary").innerText()).toMatch(/^\d+ threads \(\d+ messages\) match/);
    expect(await t.locator("li.hit .hit-meta", { hasText: "thread:" }).count()).toBe(await t.locator("li.hit").count());
    await t.close();

    const r = await open("/search?q=" + encodeURIComponent("s:rotation") + "&r=1");
    expect(await r.locator(".search-summary").innerText()).toContain("by relevance");
    expect(await r.locator("input[name=r]").isChecked()).toBe(true);
    await r.close();
  });

  it("a query that cannot be parsed shows where", async () => {
    const page = await open("/search?q=" + encodeURIComponent("s:rotation fron:mira"));
    const box = page.locator(".search-error");
    expect(await box.locator(".search-error-message").innerText()).toMatch(/unknown prefix "fron:"/);
    expect(await box.locator(".bad").innerText()).toBe("fron:");
    expect(await box.locator(".caret").innerText()).toBe(" ".repeat("s:rotation ".length) + "^^^^^");
    expect(await page.locator("li.hit").count()).toBe(0);
    await page.close();
  });

  it("mail text is text: hostile subjects are escaped in results and snippets", async () => {
    const page = await open("/search?q=" + encodeURIComponent('"rotation queue"'));
    expect(await page.locator("li.hit mark").count()).toBeGreaterThan(0);
    expect(await page.locator("li.hit script, li.hit img, li.hit iframe").count()).toBe(0);
    await page.close();
  });

  it("the syntax help lists every prefix with a working example", async () => {
    const page = await open("/search/help");
    const text = await page.locator("main").innerText();
    for (const p of ["s:", "f:", "dfn:", "dfhh:", "dfb:", "d:", "is:", "v:", "by:", "NEAR, ADJ"]) expect(text).toContain(p);
    expect(text).toMatch(/is:reviewed\s+a patch with a Reviewed-by/);
    expect(text).not.toMatch(/not available yet/);
    await Promise.all([page.waitForURL(/\/search\?q=dfhh%3Ado_wp_page/), page.click("a:text-is('dfhh:do_wp_page')")]);
    expect(await page.locator(".search-summary").innerText()).toMatch(/match: hunk header contains "do_wp_page"/);
    await page.close();
  });
});
