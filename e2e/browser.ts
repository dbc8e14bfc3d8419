// The one way the browser tests start chromium: Debian's /usr/bin/chromium through playwright-core
// (never a downloaded browser), headless, with nothing that reaches the network on its own; and
// the one way they open the app's pages (PageOpener).
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { expect } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
/** browser tests are skipped, saying why, when chromium is absent (apt-get install chromium) */
export const hasChromium = fs.existsSync(CHROMIUM);

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** E2E_SCREENSHOTS=<dir>: keep a full-page screenshot of each page a browser test looks at */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOTS;

export interface PageOpenerOptions {
  /** the browser context `open` opens pages in (a function: it is made in beforeAll); absent
   * when each test makes its own and uses openIn */
  context?: () => BrowserContext;
  /** the app's address (a function: the server starts in beforeAll) */
  baseUrl: () => string;
  /** with E2E_SCREENSHOTS, keep screenshots named <prefix><counter>-<name>.png; none when absent */
  screenshotPrefix?: string;
}

/** Opens pages of the app the way every browser test does. Each dialog a page raises is dismissed
 * and recorded, and each console error or uncaught exception recorded as "<path>: <message>"
 * (CSP violations and hydration errors show up there), so a test file can end by expecting none.
 * The methods are bound: `const { open, dialogs, consoleErrors } = new PageOpener(...)`. */
export class PageOpener {
  readonly dialogs: string[] = [];
  readonly consoleErrors: string[] = [];
  private shots = 0;

  constructor(private readonly opts: PageOpenerOptions) {}

  /** Records what `page` raises, under `label` (its path). */
  watch = (page: Page, label: string): void => {
    page.on("dialog", (d) => {
      this.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error") this.consoleErrors.push(`${label}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.consoleErrors.push(`${label}: ${e.message}`));
  };

  /** A new page at path `p` of the app, loaded (network idle) with status 200. */
  open = async (p: string, name = "page"): Promise<Page> => {
    if (!this.opts.context) throw new Error("this PageOpener has no context of its own: use openIn");
    return (await this.openIn(this.opts.context(), p, name)).page;
  };

  /** As open, in a context of the caller's, with the response (for its headers). */
  openIn = async (ctx: BrowserContext, p: string, name = "page"): Promise<{ page: Page; response: Response | null }> => {
    const page = await ctx.newPage();
    this.watch(page, p);
    const response = await page.goto(this.opts.baseUrl() + p, { waitUntil: "networkidle" });
    expect(response?.status(), p).toBe(200);
    await this.screenshot(page, name);
    return { page, response };
  };

  /** Keeps a screenshot of the page, when E2E_SCREENSHOTS is set and this opener takes them. */
  screenshot = async (page: Page, name: string): Promise<void> => {
    if (!SCREENSHOT_DIR || this.opts.screenshotPrefix === undefined) return;
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = `${this.opts.screenshotPrefix}${String(++this.shots).padStart(2, "0")}-${name}.png`;
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage: true });
  };
}
