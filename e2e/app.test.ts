// The web app in a real browser (Debian's chromium through playwright-core), served by
// `next start` against a test database seeded by the real ingester from e2e/fixtures/demo.mbox.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium, PageOpener } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "demo.mbox");

const COVER = "20240101100000.0-cover@example.org";
const PATCH = "20240101100000.1-patch@example.org";
const REVIEW = "Zb0b.review@example.org";
const WEIRD = "a/b+c%d=e$f@weird.example";
const LITERAL_PCT = "x%41y@weird.example";
const XSS = "xss-1@example.org";
const HTML_ONLY = "html-1@example.org";


let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;

beforeAll(async () => {
  db = await createTestDb();
  const s = await ingestSource(db, FIXTURE, { list: "demo", workers: 0 });
  expect(s.inserted).toBe(8);
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string, init?: RequestInit) => fetch(app.url + p, { redirect: "manual", ...init });

describe("HTTP", () => {
  it("sends the security headers on pages, API, raw, 404s and static assets", async () => {
    const home = await get("/");
    const html = await home.text();
    const asset = /\/_next\/static\/[^"]+\.(?:js|css)/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    for (const p of ["/", "/demo/", "/api/lists", `/demo/${seg(REVIEW)}/raw`, "/no-such-list/", asset!]) {
      const r = await get(p);
      await r.arrayBuffer();
      expect(r.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(r.headers.get("referrer-policy"), p).toBe("same-origin");
    }
    const csp = home.headers.get("content-security-policy")!;
    for (const d of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "img-src 'self' data:", "connect-src 'self'"]) expect(csp).toContain(d);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(csp).not.toContain("unsafe-inline");
    // every script Next emitted carries this request's nonce
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    // and the nonce is fresh per request
    const again = (await get("/")).headers.get("content-security-policy")!;
    expect(again).not.toBe(csp);
  });

  it("serves raw messages as text/plain, inline, byte for byte", async () => {
    const r = await get(`/demo/${seg(REVIEW)}/raw`);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(r.headers.get("content-disposition")).toBe("inline");
    const text = await r.text();
    expect(text).toContain(`Message-ID: <${REVIEW}>`);
    expect(text).toContain("> -\tret = foo_init(dev);");
    const weird = await get(`/demo/${seg(WEIRD)}/raw`);
    expect(weird.status).toBe(200);
    expect(await weird.text()).toContain(`Message-ID: <${WEIRD}>`);
    expect((await get(`/demo/nothing@here/raw`)).status).toBe(404);
  });

  it("answers the JSON API, with /api listing the routes", async () => {
    const lists = await get("/api/lists");
    expect(lists.headers.get("content-type")).toContain("application/json");
    const body = await lists.json();
    expect(body).toEqual([expect.objectContaining({ name: "demo", messages: 8 })]);
    const routes = await (await get("/api")).json();
    expect(routes.routes.map((r: { pattern: string }) => r.pattern)).toContain("/api/lists");
    const msg = await (await get(`/api/demo/${seg(WEIRD)}/`)).json();
    expect(msg.msgid).toBe(WEIRD);
    expect((await get("/api/no-such-list/")).status).toBe(404);
  });

  it("decodes Message-IDs in URLs exactly once", async () => {
    const r = await get(`/demo/${seg(LITERAL_PCT)}/`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain("must not be decoded twice");
    // decoding twice would have turned %41 into "A"
    expect((await get(`/demo/xAy@weird.example/`)).status).toBe(404);
    // "@" may come encoded or not
    expect((await get(`/demo/${encodeURIComponent(PATCH)}/`)).status).toBe(200);
    // with or without the trailing slash, no redirect (Message-IDs contain dots)
    expect((await get(`/demo/${seg(PATCH)}`)).status).toBe(200);
    expect((await get(`/demo`)).status).toBe(200);
    // malformed escapes are a client error, not a server error
    expect((await get(`/demo/%ZZ/`)).status).toBe(400);
  });

  it("paginates the list page with ?page=N and ignores a malformed page", async () => {
    const p2 = await get("/demo/?page=2");
    expect(p2.status).toBe(200);
    expect(await p2.text()).toContain("No threads on this page.");
    const bad = await (await get("/demo/?page=abc")).text();
    expect(bad).toContain("HTML only");
    expect((await get("/people/?page=-3")).status).toBe(200);
  });

  it("says how to start the app when DATABASE_URL is not set", async () => {
    const bare = await startApp(null, { skipBuild: true });
    try {
      const r = await fetch(bare.url + "/");
      expect(await r.text()).toContain("DATABASE_URL is not set: start the app with `npm start`");
      const api = await fetch(bare.url + "/api/lists");
      expect(api.status).toBe(503);
      expect(await api.text()).toContain("DATABASE_URL is not set");
    } finally {
      await bare.stop();
    }
  });

  it("answers 404 for unknown lists, messages and views", async () => {
    for (const p of ["/no-such-list/", "/no-such-list/x@y/", `/demo/missing@example.org/`, `/demo/${seg(PATCH)}/X/`, "/a/b/c/d/e/"]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(await r.text(), p).toContain("Not found");
    }
    // a message exists, but not in that list
    const other = await get(`/otherlist/${seg(PATCH)}/`);
    expect(other.status).toBe(404);
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const { open, dialogs, consoleErrors } = new PageOpener({ context: () => ctx, baseUrl: () => app.url });

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("home lists the list with its counts and links to people", async () => {
    const page = await open("/");
    const row = page.locator("table.lists tbody tr", { hasText: "demo" });
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator("td").allInnerTexts();
    expect(cells[1]).toBe("8");
    expect(Number(cells[2])).toBeGreaterThanOrEqual(4);
    expect(cells[3]).toMatch(/^2024-01-05 13:00$/);
    await Promise.all([page.waitForURL(/\/people\/$/), page.click("p.more-links >> text=People")]);
    expect(await page.locator("table.people").innerText()).toContain("jane@example.org");
    await page.close();
  });

  it("the list page shows threads, newest activity first, linking to the nested thread", async () => {
    const page = await open("/demo/");
    const subjects = await page.locator("table.threads td.subject a").allInnerTexts();
    expect(subjects[0]).toBe("HTML only");
    expect(subjects).toContain('<script>alert("subject")</script> hostile markup');
    expect(subjects).toContain("[PATCH 0/2] foo: fix the probe error path");
    const patchRow = page.locator("table.threads tbody tr", { hasText: "[PATCH 0/2]" });
    expect(await patchRow.locator(".tag.ghost").innerText()).toBe("1 missing");
    expect(await patchRow.locator("td.num").innerText()).toBe("4");
    await Promise.all([page.waitForURL((u) => u.pathname === `/demo/${COVER}/t/`), patchRow.locator("td.subject a").click()]);
    expect(await page.locator("h1").innerText()).toBe("[PATCH 0/2] foo: fix the probe error path");
    await page.close();
  });

  it("the nested thread shows the tree with the ghost as missing, then the messages", async () => {
    const page = await open(`/demo/${seg(COVER)}/t/`);
    const nodes = page.locator(".tree .tn");
    const texts = await nodes.allInnerTexts();
    expect(texts).toHaveLength(5);
    const ghost = page.locator(".tree .tn.ghost");
    expect(await ghost.innerText()).toContain("[message not in the archive: <lost-reply@example.org>]");
    expect(await ghost.locator("a").count()).toBe(0);
    // tree order and depth: cover, patch, review (under the patch), ghost, Carol (under the ghost)
    const indents = await page.locator(".tree .tn .tindent").allInnerTexts();
    const depth = (s: string) => (s.indexOf("`") < 0 ? 0 : s.indexOf("`") / 2);
    expect(indents.map(depth)).toEqual([0, 1, 2, 1, 2]);
    expect(texts[2]).toContain("Bob Reviewer");
    expect(texts[4]).toContain("Carol Tester");
    // the tree links to the messages on this page
    const anchor = await page.locator(".tree .tn a", { hasText: "Bob Reviewer" }).getAttribute("href");
    expect(anchor).toMatch(/^#m\d+$/);
    await expect(page.locator(`article${anchor}`).count()).resolves.toBe(1);
    expect(await page.locator("article.msg").count()).toBe(4);
    await page.close();
  });

  it("the flat thread lists every message in date order with the overview", async () => {
    const page = await open(`/demo/${seg(PATCH)}/T/`);
    const subjects = await page.locator("article.msg h2").allInnerTexts();
    expect(subjects.map((s) => s.replace(/^#\s*/, ""))).toEqual([
      "[PATCH 0/2] foo: fix the probe error path",
      "[PATCH 1/2] foo: free the buffer when probe fails",
      "Re: [PATCH 1/2] foo: free the buffer when probe fails",
      "Re: [PATCH 0/2] foo: fix the probe error path",
    ]);
    expect(await page.locator("#overview .tn").count()).toBe(5);
    expect(await page.locator(".tn.current").innerText()).toContain("[PATCH 1/2]");
    await page.close();
  });

  it("a message page shows headers, the body with the quote folded, and the thread", async () => {
    const page = await open(`/demo/${seg(REVIEW)}/`);
    const hdrs = await page.locator("dl.hdrs").innerText();
    expect(hdrs).toContain("Bob Reviewer <bob@example.org>");
    expect(hdrs).toContain("2024-01-02 09:00:00 -0500"); // the sender's own time zone
    expect(hdrs).toContain(`<${REVIEW}>`);
    // In-Reply-To links to the parent
    await expect(page.locator("dl.hdrs a.msgid", { hasText: PATCH }).getAttribute("href")).resolves.toBe(`/demo/${PATCH}/`);
    // the attribution stays in the text; the quote is folded with a summary
    expect(await page.locator(".body pre.text").first().innerText()).toBe("On Mon, Jan 01, 2024 at 10:00:01AM +0100, Jane Doe wrote:");
    const quote = page.locator(".body details.quote");
    expect(await quote.count()).toBe(1);
    expect(await quote.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await quote.locator("summary").innerText()).toMatch(/^quoted \d+ lines from Jane Doe$/);
    const quotedDiff = quote.locator("pre.diff");
    expect(await quotedDiff.isVisible()).toBe(false);
    await quote.locator("summary").click();
    expect(await quotedDiff.isVisible()).toBe(true);
    // the reply itself is visible prose
    expect(await page.locator(".body > pre.text", { hasText: "goto-based unwind" }).isVisible()).toBe(true);
    // links: raw, both thread views; provenance
    for (const l of ["raw", "thread (flat)", "thread (nested)"]) expect(await page.locator(".msg-links a", { hasText: l }).count()).toBe(1);
    expect(await page.locator(".provenance").innerText()).toContain("demo.mbox");
    // the thread overview below marks this message
    expect(await page.locator(".tree .tn.current").innerText()).toContain("this message");
    await page.close();
  });

  it("diffs are monospace with coloured +/- lines; diffstat and signature are recognised", async () => {
    const page = await open(`/demo/${seg(PATCH)}/`);
    const diff = page.locator(".body pre.diff");
    expect(await diff.count()).toBe(1);
    const font = await diff.evaluate((e) => getComputedStyle(e).fontFamily);
    expect(font).toMatch(/monospace/);
    const add = page.locator("pre.diff .dl.add").first();
    const del = page.locator("pre.diff .dl.del").first();
    expect((await add.innerText()).trimEnd()).toBe("+\tret = foo_init(dev, buf);");
    expect((await del.innerText()).trimEnd()).toBe("-\tret = foo_init(dev);");
    const bg = (l: typeof add) => l.evaluate((e) => getComputedStyle(e).backgroundColor);
    const [addBg, delBg, ctxBg] = [await bg(add), await bg(del), await bg(page.locator("pre.diff .dl.ctx").first())];
    expect(new Set([addBg, delBg, ctxBg]).size).toBe(3);
    expect(await page.locator("pre.diff .dl.hunk").innerText()).toContain("@@ -10,7 +10,11 @@");
    expect(await page.locator("pre.diffstat").innerText()).toContain("1 file changed, 5 insertions(+), 1 deletion(-)");
    expect(await page.locator("pre.signature").innerText()).toContain("2.43.0");
    // diffs scroll rather than wrap
    expect(await diff.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe("pre");
    expect(await page.locator("pre.text").first().evaluate((e) => getComputedStyle(e).whiteSpace)).toBe("pre-wrap");
    await page.close();
  });

  it("a Message-ID with / + % = $ works from link to page, with its attachment listed", async () => {
    const list = await open("/demo/");
    await Promise.all([list.waitForURL(/\/t\/$/), list.locator("table.threads td.subject a", { hasText: "Odd Message-IDs" }).click()]);
    const link = list.locator(".tree .tn a").first();
    await link.click();
    await list.locator("article.msg").first().waitFor();
    await Promise.all([
      list.waitForURL((u) => u.pathname === `/demo/${seg(WEIRD)}/`),
      list.locator(".msg-links a", { hasText: "permalink" }).first().click(),
    ]);
    expect(await list.locator("dl.hdrs").innerText()).toContain(`<${WEIRD}>`);
    expect(await list.locator("dl.hdrs").innerText()).toContain("2024-01-04 12:00:00 +0530");
    const att = await list.locator(".attachments tbody tr").allInnerTexts();
    expect(att).toHaveLength(1);
    expect(att[0]).toContain("trace.bin");
    expect(att[0]).toContain("application/octet-stream");
    expect(att[0]).toContain("1.0 KiB");
    // the http link in the prose is clickable, and only that
    await expect(list.locator(".body pre.text a").getAttribute("href")).resolves.toBe("https://example.org/docs/foo?x=1&y=2");
    await list.close();
  });

  it("hostile markup in subjects, names and bodies stays inert text", async () => {
    const page = await open(`/demo/${seg(XSS)}/`);
    expect(await page.locator("h1").innerText()).toBe('<script>alert("subject")</script> hostile markup');
    expect(await page.locator("dl.hdrs").innerText()).toContain("<b>Mallory</b> <mallory@example.org>");
    const body = await page.locator(".body").innerText();
    expect(body).toContain('<script>alert("body")</script>');
    expect(body).toContain(`<img src=x onerror="window.__pwned = 'img'; alert('img')">`);
    expect(body).toContain('</pre></div><script>alert("breakout")</script>');
    // nothing of it became markup
    expect(await page.locator("main script, main img, main iframe, main b, main [onerror]").count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    // the HTML-only message: converted to text, noted, inert
    const html = await open(`/demo/${seg(HTML_ONLY)}/`);
    expect(await html.locator(".notes").innerText()).toContain("converted from its HTML");
    expect(await html.locator("main script").count()).toBe(0);
    await html.goto(`${app.url}/demo/${seg(XSS)}/T/`, { waitUntil: "networkidle" });
    await html.goto(`${app.url}/demo/`, { waitUntil: "networkidle" });
    expect(dialogs).toEqual([]);
    await page.close();
    await html.close();
  });

  it("unknown lists and messages are 404 pages", async () => {
    const page = await ctx.newPage();
    const r = await page.goto(`${app.url}/no-such-list/`);
    expect(r?.status()).toBe(404);
    expect(await page.locator("h1").innerText()).toBe("Not found");
    const m = await page.goto(`${app.url}/demo/nobody@nowhere/`);
    expect(m?.status()).toBe(404);
    await page.close();
  });

  it("/api/lists is JSON in the browser too; raw is plain text", async () => {
    const page = await ctx.newPage();
    const r = await page.goto(`${app.url}/api/lists`);
    expect(r?.headers()["content-type"]).toContain("application/json");
    expect(JSON.parse(await r!.text())[0].name).toBe("demo");
    const raw = await page.goto(`${app.url}/demo/${seg(XSS)}/raw`);
    expect(raw?.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    // shown as text: the script tag is visible characters, not an element
    expect(await page.locator("body").innerText()).toContain('<script>alert("body")</script>');
    expect(await page.evaluate(() => document.querySelectorAll("script").length)).toBe(0);
    await page.close();
  });

  it("logged no errors (no CSP violations, no hydration errors) and raised no dialogs", () => {
    expect(consoleErrors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
