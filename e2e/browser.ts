// The one way the browser tests start chromium: Debian's /usr/bin/chromium through playwright-core
// (never a downloaded browser), headless, with nothing that reaches the network on its own.
import fs from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
/** browser tests are skipped, saying why, when chromium is absent (apt-get install chromium) */
export const hasChromium = fs.existsSync(CHROMIUM);

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
