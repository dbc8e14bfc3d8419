// Archive pages: detect the format of a saved web page, recover its messages, rebuild them as
// RFC 822 messages. See types.ts for the shapes and each format's module for what it recovers.
// "Archive pages" are pages of mail archives (a lore thread, mail-archive.com, hypermail, LWN)
// saved as text: the input of ingest, not patchlore's own web pages (app/).

import { parseArticle } from "./article";
import { parseCollapsed } from "./collapsed";
import { detectPage } from "./detect";
import { parseHypermail } from "./hypermail";
import { parseLoreFlat } from "./lore";
import { parseMailArchive } from "./mail-archive";
import type { PageFormat, PageParse } from "./types";

export * from "./types";
export { detectPage, detectPageFormat, looksLikeRealMail } from "./detect";
export { synthesizePage, synthesizeMessage, synthesizeQuoted, pageMessageId, quotedAncestorId, type SynthesizedMessage } from "./synthesize";
export { extractQuotedAncestors, parseAttribution } from "./quotes";
export { parseArticle, parseCollapsed, parseHypermail, parseLoreFlat, parseMailArchive };

export const PARSERS: Record<PageFormat, (text: string) => PageParse> = {
  "lore-flat": parseLoreFlat,
  "mail-archive": parseMailArchive,
  "article-table": parseArticle,
  hypermail: parseHypermail,
  "collapsed-rfc822": parseCollapsed,
};

/** Detect and parse; null when the text is not a page this module knows. */
export function parsePage(text: string, format?: PageFormat): (PageParse & { confidence: number }) | null {
  const det = format ? { format, confidence: 1 } : detectPage(text);
  if (!det) return null;
  const p = PARSERS[det.format](text);
  return { ...p, confidence: det.confidence };
}
