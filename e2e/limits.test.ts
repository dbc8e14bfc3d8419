// Limits in a real server: 429 (rate per client and class, with Retry-After), 413 (query strings
// and bodies over the limit) and 504 (a query cancelled by the statement timeout), answered
// clearly as JSON under /api and as a page elsewhere. The server runs with tiny limits set through
// the same environment variables an operator would use.
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { createToken, createUser } from "../lib/auth/store";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium } from "./browser";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "demo.mbox");
const PATCH = "20240101100000.1-patch@example.org";

const ENV: Record<string, string> = {
  PATCHLORE_RATE_HEAVY: "4/60s",
  PATCHLORE_RATE_SEARCH: "3/60s",
  PATCHLORE_RATE_LOGIN: "3/60s",
  PATCHLORE_MAX_QUERY_BYTES: "200",
  PATCHLORE_MAX_BODY_BYTES: "1000",
  PATCHLORE_STATEMENT_TIMEOUT_MS: "400",
};

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
let token: string;

beforeAll(async () => {
  db = await createTestDb();
  await ingestSource(db, FIXTURE, { list: "demo", workers: 0 });
  const u = await createUser(db, { email: "ops@example.org", password: "a fine password" });
  token = (await createToken(db, u.id, { name: "t", scopes: ["tokens:write"], expiresInMs: null })).token;
  app = await startApp(db.url, { env: ENV });
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const get = (p: string, init?: RequestInit) => fetch(app.url + p, { redirect: "manual", ...init });

/** Holds an exclusive lock on a table while fn runs: queries touching it wait, and time out. */
async function withTableLocked<T>(table: string, fn: () => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query("BEGIN");
    await c.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return await fn();
  } finally {
    await c.query("ROLLBACK").catch(() => {});
    await c.end();
  }
}

describe("429: rate limits per client and class", () => {
  it("heavy pages (threads, patches, series mbox, interdiff, versions) and their API", async () => {
    const paths = [`/demo/${PATCH}/T/`, `/api/demo/${PATCH}/T/`, `/demo/${PATCH}/t/`, `/demo/${PATCH}/T/`];
    for (const p of paths) expect((await get(p)).status, p).toBe(200);
    const page = await get(`/demo/${PATCH}/t/`);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(page.headers.get("retry-after"))).toBeLessThanOrEqual(15);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toMatch(/Too many heavy requests from your address; try again in \d+ s\./);
    const json = await get(`/api/demo/${PATCH}/T/`);
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({ error: "too many requests", class: "heavy", retryAfter: expect.any(Number) });
    // light pages are another class and still answer
    expect((await get("/demo/")).status).toBe(200);
    expect((await get(`/demo/${PATCH}/`)).status).toBe(200);
  });

  it("search", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await get(`/api/search?q=foo${i}`);
      await r.arrayBuffer();
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it("sign-in attempts, per address", async () => {
    const form = (pw: string) =>
      get("/login", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: app.url }, body: `email=ops%40example.org&password=${pw}` });
    for (let i = 0; i < 3; i++) expect((await form("wrong" + i)).status).toBe(303);
    const limited = await form("a%20fine%20password");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
  });
});

describe("413: requests too large", () => {
  it("query strings over PATCHLORE_MAX_QUERY_BYTES", async () => {
    const q = "x".repeat(300);
    const page = await get(`/demo/?q=${q}`);
    expect(page.status).toBe(413);
    expect(await page.text()).toContain("The query string has 302 bytes; this server takes at most 200");
    const api = await get(`/api/search?q=${q}`);
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: "request too large", limit: 200 });
    expect((await get(`/demo/?page=${"1".repeat(10)}`)).status).toBe(200);
  });

  it("bodies over PATCHLORE_MAX_BODY_BYTES, declared or streamed", async () => {
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const big = JSON.stringify({ name: "x".repeat(2000), scopes: ["tokens:write"] });
    const declared = await get("/api/tokens", { method: "POST", headers, body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: "request too large" });
    // no Content-Length: the handler stops reading at the limit
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode(" ".repeat(500)));
        c.close();
      },
    });
    const chunked = await get("/api/tokens", { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = await get("/api/tokens", { method: "POST", headers, body: JSON.stringify({ scopes: ["tokens:write"] }) });
    expect(small.status).toBe(201);
  });
});

describe("504: the statement timeout", () => {
  it("the API answers 504 JSON when a query is cancelled", async () => {
    const r = await withTableLocked("list", () => get("/api/lists"));
    expect(r.status).toBe(504);
    expect(await r.json()).toMatchObject({ error: "timed out", detail: expect.stringContaining("statement timeout") });
    // and the server is fine afterwards
    expect((await get("/api/lists")).status).toBe(200);
  });

  it("pages are sent to a 504 page that says what happened and links back", async () => {
    const r = await withTableLocked("list", () => get("/demo/?page=1"));
    expect(r.status).toBe(307);
    expect(r.headers.get("location")).toBe("/timeout?from=%2Fdemo%2F%3Fpage%3D1");
    const t = await get(r.headers.get("location")!);
    expect(t.status).toBe(504);
    const html = await t.text();
    expect(html).toContain("<h1>Timed out</h1>");
    expect(html).toContain("The database did not finish the page /demo/?page=1 within 0.4 s (PATCHLORE_STATEMENT_TIMEOUT_MS)");
    expect(html).toContain('<a href="/demo/?page=1">try again</a>');
    // never a link off the site
    const off = await (await get("/timeout?from=%2F%2Fevil.example%2F")).text();
    expect(off).not.toContain("evil.example");
  });

  it.skipIf(!hasChromium)("in the browser: 429, 413 and 504 pages", async () => {
    const browser: Browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // use up the heavy class (it refills one request per 15 s)
      for (let i = 0; i < 10 && (await get(`/demo/${PATCH}/T/`)).status !== 429; i++);
      const limited = await page.goto(`${app.url}/demo/${PATCH}/T/`);
      expect(limited?.status()).toBe(429);
      expect(await page.locator("h1").innerText()).toBe("Too many requests");
      const big = await page.goto(`${app.url}/demo/?x=${"y".repeat(400)}`);
      expect(big?.status()).toBe(413);
      expect(await page.locator("h1").innerText()).toBe("Request too large");
      const slow = await withTableLocked("message", () => page.goto(`${app.url}/demo/${PATCH}/`));
      expect(slow?.status()).toBe(504);
      expect(new URL(page.url()).pathname).toBe("/timeout");
      expect(await page.locator("h1").innerText()).toBe("Timed out");
      await Promise.all([page.waitForNavigation(), page.click("a:text-is(\"try again\")")]);
      expect(new URL(page.url()).pathname).toBe(`/demo/${PATCH}/`);
      expect(await page.locator("h1.msg-subject").count()).toBe(1);
    } finally {
      await browser.close();
    }
  });
});
