// Runs and curation in the running app: the demo's proposal page shows the demo run as plots and
// tables; runs are imported over HTTP with a token; a signed-in user renames the proposal and
// removes a member with the page's forms (no client JavaScript involved, the CSP intact) and sees
// the change and its audit entry; a cross-site curation post is refused.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestDb } from "../test/db";
import { projectRoot } from "../ingest/postgres/migrate";
import { ingestSource } from "../ingest/pipeline";
import { DEMO_MBOX } from "../ingest/serve";
import { importDemoRuns } from "../ingest/runs-cli";
import { runCli } from "./cli";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium } from "./browser";

const EMAIL = "ann@example.org";
const PASSWORD = "correct horse battery";
const V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example";

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
let token: string;
let proposalId: number;

/** `patchlore <args>` against the test database */
const cli = (args: string[], input?: string) => runCli(db.url, args, input);

beforeAll(async () => {
  db = await createTestDb();
  await ingestSource(db, DEMO_MBOX, { list: "demo", workers: 0 });
  // what `npm start` does after the demo ingest
  expect(await importDemoRuns(db)).toBe(3);
  expect(await importDemoRuns(db)).toBe(0);
  const p = await db.pool.query(`SELECT DISTINCT proposal_id FROM run`);
  expect(p.rows).toHaveLength(1);
  proposalId = p.rows[0].proposal_id;
  expect(proposalId).toBeTypeOf("number");
  expect((await cli(["users", "add", EMAIL, "--name", "Ann Example", "--password-stdin"], PASSWORD + "\n")).status).toBe(0);
  const t = await cli(["tokens", "create", EMAIL, "--scope", "runs:write", "--name", "bench"]);
  expect(t.status).toBe(0);
  token = t.stdout.trim();
  app = await startApp(db.url);
}, 1_200_000);

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const api = (p: string, init: RequestInit = {}) => fetch(app.url + p, { redirect: "manual", ...init });

describe("runs over HTTP", () => {
  it("POST /api/runs takes CSV with a runs:write token, refuses without one, and GET /api/runs answers the proposal's runs", async () => {
    const csv = "# tool: will-it-scale\n# version: 2.1\nlabel,threads,ops (Mops/s) [higher]\nv3,1,3.1\nv3,8,20.5\n";
    const none = await api(`/api/runs?series=${encodeURIComponent(V3)}`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(none.status).toBe(401);
    const made = await api(`/api/runs?series=${encodeURIComponent(V3)}`, { method: "POST", headers: { "content-type": "text/csv", authorization: `Bearer ${token}` }, body: csv });
    expect(made.status).toBe(201);
    const body = (await made.json()) as { imported: { target: { kind: string }; runs: { label: string; seriesKey: string }[] }[] };
    expect(body.imported[0].target.kind).toBe("series");
    expect(body.imported[0].runs[0]).toMatchObject({ label: "v3", seriesKey: V3 });
    const bad = await api(`/api/runs?series=${encodeURIComponent(V3)}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: '{"tool": "x", "label": "y"}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ problems: [{ path: "", message: "a run needs metrics or series (nothing was measured)" }] });
    const xml = await api(`/api/runs?series=${encodeURIComponent(V3)}`, { method: "POST", headers: { "content-type": "text/xml", authorization: `Bearer ${token}` }, body: "<run/>" });
    expect(xml.status).toBe(415);
    const got = await api(`/api/runs?proposal=${proposalId}`);
    expect(got.status).toBe(200);
    const runs = ((await got.json()) as { runs: { label: string; tool: string }[] }).runs;
    expect(runs.map((r) => `${r.tool}:${r.label}`).slice(0, 4)).toEqual(["rotsim:baseline", "rotsim:RFC", "rotsim:v3", "will-it-scale:v3"]);
  });
});

describe("runs on the command line", () => {
  it("patchlore runs import exits 2 with one line per problem; runs list prints the proposal's runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runs-e2e-"));
    try {
      const bad = path.join(dir, "bad.csv");
      fs.writeFileSync(bad, "# tool: t\nlabel,threads,x\na,one,1\na,2,two\n");
      const r = await cli(["runs", "import", bad, "--proposal", String(proposalId)]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toEqual([`${bad}: line 3, column "threads": "one" is not a number`, `${bad}: line 4, column "x": "two" is not a number`]);
      const missing = await cli(["runs", "import", bad, "--series", "nope@example.org"]);
      expect(missing.status).toBe(2);
      const ok = path.join(dir, "ok.json");
      fs.writeFileSync(ok, JSON.stringify({ tool: "fio", label: "v3", metrics: { iops: 1000 } }));
      const stored = await cli(["runs", "import", ok, "--proposal", V3, "--user", EMAIL]);
      expect(stored.status).toBe(0);
      expect(stored.stdout).toMatch(new RegExp(`^proposal ${proposalId}: stored 1 run: v3 \\(#\\d+\\)\n$`));
      const list = await cli(["runs", "list", "--proposal", String(proposalId), "--json"]);
      expect(list.status).toBe(0);
      const runs = JSON.parse(list.stdout) as { tool: string; label: string; createdBy: { name: string } | null }[];
      expect(runs.map((x) => `${x.tool}:${x.label}`)).toContain("fio:v3");
      expect(runs.find((x) => x.tool === "fio")!.createdBy).toEqual({ id: expect.any(Number), name: "Ann Example" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasChromium)("in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const cspErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    ctx.on("page", (p) => p.on("console", (m) => (/Content.Security.Policy|Refused to/i.test(m.text()) ? cspErrors.push(m.text()) : undefined)));
  });

  afterAll(async () => {
    await browser?.close();
  });

  const page = async (): Promise<Page> => ctx.newPage();

  it("the proposal page plots the demo run: one SVG per metric, one line per label, and the tables", async () => {
    const p = await page();
    await p.goto(`${app.url}/proposals/${proposalId}/`);
    const svgs = p.locator("svg.run-svg");
    expect(await svgs.count()).toBe(3); // throughput and lock hold time (rotsim), ops (will-it-scale)
    const first = svgs.nth(0);
    expect(await first.locator("title").first().textContent()).toBe("reclaim throughput (GB/s) against threads");
    expect(await first.locator("g.lines path.line-path").count()).toBe(3);
    expect(await first.locator("g.legend text").allTextContents()).toEqual(["baseline", "RFC", "v3"]);
    // the plot is drawn with its stylesheet: a line has a stroke colour and no fill
    const stroke = await first.locator("g.lines path.line-path").first().evaluate((el) => getComputedStyle(el).stroke);
    expect(stroke).toMatch(/^rgb/);
    expect(await first.locator("g.lines path.line-path").first().evaluate((el) => getComputedStyle(el).fill)).toBe("none");
    const table = p.locator('table.run-table[aria-labelledby$="-p0-c"]');
    expect(await table.locator("thead th").allTextContents()).toEqual(["threads", "baseline", "RFC", "v3"]);
    expect(await table.locator("tbody tr").count()).toBe(7);
    expect(await table.locator("tbody tr").last().locator("td.best").textContent()).toBe("24.6 (+63%)");
    // signed out: no curation forms, a way to sign in
    expect(await p.locator("form[action^='/curate/']").count()).toBe(0);
    expect(await p.locator("#curation a[href^='/login']").count()).toBe(1);
    await p.close();
  });

  it("signs in, renames the proposal with the form, and sees the new title and the audit entry", async () => {
    const p = await page();
    await p.goto(`${app.url}/login?next=${encodeURIComponent(`/proposals/${proposalId}/`)}`);
    await p.fill('input[name="email"]', EMAIL);
    await p.fill('input[name="password"]', PASSWORD);
    await Promise.all([p.waitForNavigation(), p.click('form.auth-form button[type="submit"]')]);
    expect(new URL(p.url()).pathname).toBe(`/proposals/${proposalId}/`);
    const form = p.locator("form.curate.rename");
    expect(await form.count()).toBe(1);
    await form.locator('input[name="title"]').fill("Per-node rotation queue for LRU reclaim");
    await Promise.all([p.waitForNavigation(), form.locator("button[type=submit]").click()]);
    const u = new URL(p.url());
    expect(u.pathname).toBe(`/proposals/${proposalId}/`);
    expect(u.searchParams.get("curated")).toBe("rename");
    expect(await p.locator("h1.page-title").innerText()).toContain("Per-node rotation queue for LRU reclaim");
    expect(await p.locator(".curation-notice").innerText()).toBe("The proposal was renamed.");
    const row = p.locator("table.audit-log tbody tr").first();
    expect(await row.getAttribute("data-action")).toBe("proposal.rename");
    expect(await row.locator("td").nth(1).innerText()).toBe("Ann Example");
    expect(await row.locator("td.change").innerText()).toBe("title “mm/vmscan: batch LRU rotation with a per-node rotation queue” → “Per-node rotation queue for LRU reclaim”");
    const audit = (await (await api(`/api/audit?target=proposal:${proposalId}`)).json()) as { entries: { action: string; user: { name: string } | null; after: { customTitle: string } }[] };
    expect(audit.entries[0]).toMatchObject({ action: "proposal.rename", user: { name: "Ann Example" }, after: { customTitle: "Per-node rotation queue for LRU reclaim" } });
    expect(audit.entries.at(-1)!.action).toBe("run.import");
    await p.close();
  });

  it("removes a member with its button (kept as removed, can be added back)", async () => {
    const p = await page();
    await p.goto(`${app.url}/proposals/${proposalId}/`);
    const row = p.locator("table.curate-members tr[data-ref^='message:']");
    const ref = await row.getAttribute("data-ref");
    await Promise.all([p.waitForNavigation(), row.locator("button").click()]);
    expect(new URL(p.url()).searchParams.get("curated")).toBe("member-remove");
    const after = p.locator(`table.curate-members tr[data-ref='${ref}']`);
    expect(await after.getAttribute("class")).toBe("state-removed");
    expect(await after.locator("button").innerText()).toBe("add back");
    const { rows } = await db.pool.query(`SELECT state FROM proposal_member WHERE proposal_id = $1 AND ref = $2`, [proposalId, ref]);
    expect(rows[0].state).toBe("removed");
    expect(await p.locator("table.audit-log tbody tr").first().getAttribute("data-action")).toBe("member.remove");
    // a bad input: an error page saying what, with a way back
    const add = p.locator("form.add-member");
    await add.locator('input[name="ref"]').fill("no-such-message@example.org");
    const [resp] = await Promise.all([p.waitForNavigation(), add.locator("button").click()]);
    expect(resp!.status()).toBe(404);
    expect(await p.locator("body").innerText()).toContain("no series or message <no-such-message@example.org>");
    await p.close();
  });

  it("refuses a curation post from another site, even with the session cookie", async () => {
    const cookie = (await ctx.cookies(app.url)).find((c) => c.name === "plt_session")!;
    const r = await api(`/curate/proposals/${proposalId}/rename`, {
      method: "POST",
      headers: { cookie: `plt_session=${cookie.value}`, origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "title=pwned&csrf=guess",
    });
    expect(r.status).toBe(403);
    const same = await api(`/curate/proposals/${proposalId}/rename`, {
      method: "POST",
      headers: { cookie: `plt_session=${cookie.value}`, origin: app.url, "content-type": "application/x-www-form-urlencoded" },
      body: "title=pwned&csrf=guess",
    });
    expect(same.status).toBe(403); // the right origin, but no valid CSRF token
    expect((await db.pool.query(`SELECT custom_title FROM proposal WHERE id = $1`, [proposalId])).rows[0].custom_title).toBe("Per-node rotation queue for LRU reclaim");
    expect(cspErrors).toEqual([]);
  });
});
