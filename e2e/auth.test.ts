// Accounts in a real browser: sign-in (generic failure, no enumeration), the account page
// (create a token shown once, revoke it), sign-out (POST only, the session ends server-side),
// tokens from the CLI used over HTTP with scopes, and CSRF: forms on another origin are refused.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestDb } from "../test/db";
import { projectRoot } from "../ingest/postgres/migrate";
import { runCli } from "./cli";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium } from "./browser";

const EMAIL = "ann@example.org";
const PASSWORD = "correct horse battery";

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
/** a token made with the CLI: runs:write + tokens:write */
let cliToken: string;

/** `patchlore <args>` against the test database */
const cli = (args: string[], input?: string) => runCli(db.url, args, input);

beforeAll(async () => {
  db = await createTestDb();
  const add = await cli(["users", "add", EMAIL, "--name", "Ann Example", "--password-stdin"], PASSWORD + "\n");
  expect(add.stderr).toBe("");
  expect(add.stdout).toMatch(/^created user \d+ ann@example.org \(Ann Example\)/);
  const dup = await cli(["users", "add", EMAIL.toUpperCase(), "--password-stdin"], PASSWORD + "\n");
  expect(dup.status).toBe(1);
  expect(dup.stderr).toContain("exists");
  const tok = await cli(["tokens", "create", EMAIL, "--scope", "runs:write", "--scope", "tokens:write", "--expires", "30d", "--name", "ci"]);
  expect(tok.status).toBe(0);
  cliToken = tok.stdout.trim();
  expect(cliToken).toMatch(/^plt_[A-Za-z0-9_-]{40}$/);
  expect(tok.stderr).toContain("copy it now, it is not shown again");
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const api = (p: string, init: RequestInit = {}) => fetch(app.url + p, { redirect: "manual", ...init });

describe("the CLI", () => {
  it("lists and revokes tokens; only hashes are stored", async () => {
    const list = await cli(["tokens", "list", EMAIL]);
    expect(list.stdout).toContain(`${cliToken.slice(0, 12)}…  ${EMAIL}  "ci"  runs:write,tokens:write`);
    expect(list.stdout).not.toContain(cliToken.slice(12));
    const { rows } = await db.pool.query(`SELECT * FROM api_token`);
    expect(JSON.stringify(rows)).not.toContain(cliToken.slice(12));
    const users = await cli(["users", "list"]);
    expect(users.stdout).toMatch(/ann@example.org {2}Ann Example {2}created .* {2}tokens 1/);
    const bad = await cli(["tokens", "create", EMAIL, "--scope", "everything"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown scope "everything"');
    const short = await cli(["users", "add", "bob@example.org", "--password-stdin"], "short\n");
    expect(short.status).toBe(1);
    const noTty = await cli(["users", "add", "bob@example.org"], "");
    expect(noTty.stderr).toContain("--password-stdin");
  });
});

describe("API writes over HTTP", () => {
  it("POST /api/tokens with a bearer token: scopes enforced, the new token works, DELETE revokes it", async () => {
    const json = { "content-type": "application/json" };
    const none = await api("/api/tokens", { method: "POST", headers: json, body: "{}" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="patchlore"');
    const made = await api("/api/tokens", { method: "POST", headers: { ...json, authorization: `Bearer ${cliToken}` }, body: JSON.stringify({ name: "child", scopes: ["runs:write"], expires: "7d" }) });
    expect(made.status).toBe(201);
    const child = (await made.json()) as { token: string; id: number; scopes: string[] };
    expect(child.scopes).toEqual(["runs:write"]);
    // the child lacks tokens:write
    const denied = await api("/api/tokens", { method: "POST", headers: { ...json, authorization: `Bearer ${child.token}` }, body: JSON.stringify({ scopes: ["runs:write"] }) });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="tokens:write"');
    // no escalation through a token
    const escalate = await api("/api/tokens", { method: "POST", headers: { ...json, authorization: `Bearer ${cliToken}` }, body: JSON.stringify({ scopes: ["curate"] }) });
    expect(escalate.status).toBe(403);
    const del = await api(`/api/tokens/${child.id}`, { method: "DELETE", headers: { authorization: `Bearer ${cliToken}` } });
    expect(await del.json()).toEqual({ id: child.id, revoked: true });
    const dead = await api("/api/tokens", { method: "POST", headers: { ...json, authorization: `Bearer ${child.token}` }, body: "{}" });
    expect(dead.status).toBe(401);
    expect(await dead.json()).toMatchObject({ detail: "the token was revoked" });
    // not JSON
    const form = await api("/api/tokens", { method: "POST", headers: { "content-type": "text/plain", authorization: `Bearer ${cliToken}` }, body: '{"scopes":["runs:write"]}' });
    expect(form.status).toBe(415);
    // reads stay public
    expect((await api("/api/lists")).status).toBe(200);
  });

  it("GET /logout is not a way to sign out", async () => {
    const r = await api("/logout");
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  let evil: http.Server;
  let evilUrl: string;
  const dialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    ctx.on("page", (p) => p.on("dialog", (d) => void d.dismiss().then(() => dialogs.push(d.message()))));
    // another origin on this machine (same site, other port: cookies with SameSite=Lax still go
    // along, so only the Origin check stands between these forms and the app)
    evil = http.createServer((req, res) => {
      const target = app.url;
      const forms: Record<string, string> = {
        "/api-tokens": `<form method="post" action="${target}/api/tokens" enctype="text/plain"><input name='{"scopes":["runs:write","curate"],"x":"' value='"}'><button id="go">go</button></form>`,
        "/account-tokens": `<form method="post" action="${target}/account/tokens"><input name="name" value="evil"><input name="scope" value="curate"><input name="csrf" value="guess"><button id="go">go</button></form>`,
        "/logout": `<form method="post" action="${target}/logout"><button id="go">go</button></form>`,
        "/login": `<form method="post" action="${target}/login"><input name="email" value="${EMAIL}"><input name="password" value="${PASSWORD}"><button id="go">go</button></form>`,
        "/fetch": `<p id="out">pending</p><button id="go" onclick="fetch('${target}/api/tokens', {method: 'POST', credentials: 'include', headers: {'content-type': 'application/json'}, body: JSON.stringify({scopes: ['curate']})}).then(r => r.status, e => 'blocked: ' + e.message).then(s => document.getElementById('out').textContent = String(s))">go</button>`,
      };
      const body = forms[req.url ?? ""];
      res.writeHead(body ? 200 : 404, { "content-type": "text/html" });
      res.end(body ? `<!doctype html><title>evil</title>${body}` : "");
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => evil?.close(r));
  });

  const countTokens = async () => Number((await db.pool.query(`SELECT count(*) AS n FROM api_token`)).rows[0].n);

  async function signIn(page: Page, email: string, password: string) {
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await Promise.all([page.waitForNavigation(), page.click('form.auth-form button[type="submit"]')]);
  }

  it("the account page asks to sign in; failures say the same thing whatever was wrong", async () => {
    const page = await ctx.newPage();
    await page.goto(`${app.url}/account`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/account");
    expect(await page.locator("header .user-nav").innerText()).toBe("sign in");
    await signIn(page, EMAIL, "wrong password");
    const wrongPassword = await page.locator(".auth-error").innerText();
    await signIn(page, "nobody@example.org", PASSWORD);
    const unknownUser = await page.locator(".auth-error").innerText();
    expect(wrongPassword).toBe(unknownUser);
    expect(wrongPassword).toBe("The e-mail address or the password is not right, or the account is disabled.");
    expect(await page.locator("input[name=email]").inputValue()).toBe(""); // nothing echoed back
    await page.close();
  });

  it("signs in with a session cookie that is HttpOnly and SameSite=Lax, sealed", async () => {
    const page = await ctx.newPage();
    await page.goto(`${app.url}/login?next=%2Faccount`);
    await signIn(page, EMAIL.toUpperCase(), PASSWORD);
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.locator("h1").innerText()).toBe("Account");
    expect(await page.locator("header .user-nav .user-name").innerText()).toBe("Ann Example");
    const cookie = (await ctx.cookies(app.url)).find((c) => c.name === "plt_session")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    expect(cookie.secure).toBe(false); // plain http here; Secure when the request came over https
    expect(cookie.value.split(".")).toHaveLength(5); // a JWE, not a readable id
    expect(await page.evaluate(() => document.cookie)).not.toContain("plt_session");
    // the sign-in page knows
    await page.goto(`${app.url}/login`);
    expect(await page.locator(".note.info").innerText()).toContain("You are signed in as Ann Example");
    await page.close();
  });

  it("creates a token on the account page, shows it once, and revokes it", async () => {
    const page = await ctx.newPage();
    await page.goto(`${app.url}/account`);
    const before = await countTokens();
    await page.fill('form.create-token input[name="name"]', "benchmark bot");
    await page.check('form.create-token input[value="runs:write"]');
    await page.check('form.create-token input[value="curate"]');
    await page.selectOption('form.create-token select[name="expires"]', "30d");
    await Promise.all([page.waitForNavigation(), page.click("form.create-token button")]);
    expect(await countTokens()).toBe(before + 1);
    const token = await page.locator(".new-token code.token").innerText();
    expect(token).toMatch(/^plt_[A-Za-z0-9_-]{40}$/);
    expect(page.url()).not.toContain(token);
    const row = page.locator("table.tokens tr", { hasText: "benchmark bot" });
    expect(await row.locator("td").nth(1).innerText()).toBe(`${token.slice(0, 12)}…`);
    expect(await row.locator("td").nth(2).innerText()).toBe("runs:write curate");
    expect(await row.locator("td.status").innerText()).toBe("active");
    // shown once: a reload no longer has it
    await page.reload();
    expect(await page.locator(".new-token").count()).toBe(0);
    expect(await page.content()).not.toContain(token.slice(12));
    // it works over HTTP with its scopes
    const ok = await api("/api/tokens", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    expect(ok.status).toBe(403); // authenticated, but without tokens:write
    // no scope chosen: a fixed message, nothing made
    await page.fill('form.create-token input[name="name"]', "no scope");
    await Promise.all([page.waitForNavigation(), page.click("form.create-token button")]);
    expect(await page.locator(".note.warn").innerText()).toBe("Choose at least one scope for the token.");
    expect(await countTokens()).toBe(before + 1);
    // revoke
    await Promise.all([page.waitForNavigation(), row.locator("form.revoke button").click()]);
    expect(await page.locator("table.tokens tr", { hasText: "benchmark bot" }).locator("td.status").innerText()).toBe("revoked");
    const gone = await api("/api/tokens", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    expect(gone.status).toBe(401);
    await page.close();
  });

  it("refuses cross-origin form posts and fetches (CSRF), while signed in", async () => {
    const before = await countTokens();
    const page = await ctx.newPage();
    for (const p of ["/api-tokens", "/account-tokens", "/logout", "/login"]) {
      await page.goto(evilUrl + p);
      const [resp] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(app.url) && r.request().method() === "POST"), page.click("#go")]);
      expect(resp.status(), p).toBe(403);
      await page.waitForLoadState();
      expect(await page.locator("body").innerText(), p).toMatch(/Cross-site .*refused/);
    }
    await page.goto(evilUrl + "/fetch");
    await page.click("#go");
    await page.waitForFunction(() => document.getElementById("out")!.textContent !== "pending");
    expect(await page.locator("#out").innerText()).toMatch(/^(blocked|403)/);
    await page.close();
    expect(await countTokens()).toBe(before);
    // and still signed in: the cross-site logout did nothing
    const check = await ctx.newPage();
    await check.goto(`${app.url}/account`);
    expect(new URL(check.url()).pathname).toBe("/account");
    await check.close();
  });

  it("signs out with a POST: the cookie goes and the session ends on the server", async () => {
    const page = await ctx.newPage();
    await page.goto(`${app.url}/account`);
    const old = (await ctx.cookies(app.url)).find((c) => c.name === "plt_session")!.value;
    await Promise.all([page.waitForNavigation(), page.click("header form.logout button")]);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.locator("header .user-nav").innerText()).toBe("sign in");
    expect((await ctx.cookies(app.url)).find((c) => c.name === "plt_session")).toBeUndefined();
    // the old cookie, replayed, is worth nothing
    const replay = await api("/api/tokens", {
      method: "POST",
      headers: { cookie: `plt_session=${old}`, origin: app.url, "content-type": "application/json" },
      body: JSON.stringify({ scopes: ["curate"] }),
    });
    expect(replay.status).toBe(401);
    await page.goto(`${app.url}/account`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });

  it("disabled accounts cannot sign in", async () => {
    expect((await cli(["users", "disable", EMAIL])).status).toBe(0);
    const page = await ctx.newPage();
    await page.goto(`${app.url}/login`);
    await signIn(page, EMAIL, PASSWORD);
    expect(await page.locator(".auth-error").count()).toBe(1);
    expect((await cli(["users", "enable", EMAIL])).status).toBe(0);
    await page.close();
    expect(dialogs).toEqual([]);
  });
});
