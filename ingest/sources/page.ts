// Archive pages saved as text (lore thread view, mail-archive.com, an LWN article, an lkml.iu.edu
// hypermail page, a raw message with its newlines collapsed): lib/archive-pages detects the format,
// recovers the messages and rebuilds each one as RFC 822 bytes. This Source yields them:
//   ref        "page:<abs path>#L<start>-<end>" (the lines of the page the message came from)
//   recovery   "page:<format>" for messages on the page, "quote" for messages rebuilt from quotes
//   reconstructed  true for the latter: they are to be stored as ghosts with content and must
//              never overwrite a real message with the same Message-ID.
// A page is small: it is read whole. openPage() returns null for anything that is not a page
// (a real mbox or .eml included), so openSource can fall through to the other readers.

import { open, readFile, stat } from "node:fs/promises";
import { detectPage, looksLikeRealMail, PARSERS, type PageDetection, type PageParse } from "../../lib/archive-pages";
import { synthesizePage, type SynthesizedMessage } from "../../lib/archive-pages/synthesize";
import { pageLines } from "../../lib/archive-pages/util";
import { SourceError, type Source, type SourceItem } from "./types";
import { sanitizeListName } from "./util";

/** Pages larger than this are not pages (archives are handled by the other readers). */
export const MAX_PAGE_BYTES = 32 * 1024 * 1024;
const SNIFF = 256 * 1024;

export class PageSource implements Source {
  readonly kind = "page" as const;
  private messages: SynthesizedMessage[] | null = null;
  private parsed: PageParse | null = null;

  constructor(
    readonly location: string,
    readonly detection: PageDetection,
    private readonly text: string,
  ) {}

  /** The page as parsed (formats, notes, messages with their damage reports). */
  page(): PageParse {
    if (!this.parsed) this.parsed = PARSERS[this.detection.format](this.text);
    return this.parsed;
  }

  private synthesized(): SynthesizedMessage[] {
    if (!this.messages) this.messages = synthesizePage(this.page());
    return this.messages;
  }

  async count(): Promise<number | null> {
    return this.synthesized().length;
  }

  suggestedListName(): string | null {
    return sanitizeListName(this.page().listName);
  }

  async *items(_state: Record<string, string> = {}, signal?: AbortSignal): AsyncGenerator<SourceItem> {
    for (const m of this.synthesized()) {
      signal?.throwIfAborted();
      yield {
        raw: m.raw,
        ref: `page:${this.location}#L${m.lines[0]}-${m.lines[1]}`,
        recovery: m.recovery,
        ...(m.reconstructed ? { reconstructed: true } : {}),
      };
    }
  }
}

function isGzip(buf: Buffer): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/**
 * Open `path` (absolute) as an archive page, or return null when it is not one: not a regular
 * file, too large, binary or compressed, a real mbox / RFC 822 message, or no page format found.
 */
export async function openPage(path: string): Promise<PageSource | null> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    throw new SourceError(`cannot access ${path}: ${(err as Error).message}`);
  }
  if (!st.isFile() || st.size === 0 || st.size > MAX_PAGE_BYTES) return null;
  const fh = await open(path, "r");
  let head: Buffer;
  try {
    const buf = Buffer.alloc(Math.min(SNIFF, st.size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (isGzip(head) || head.subarray(0, 8192).includes(0)) return null;
  // cheap exit for real mail: an mbox "From " line or header lines, then a line break
  if (looksLikeRealMail(pageLines(head.toString("utf8")).slice(0, 400))) return null;
  const text = st.size <= SNIFF ? head.toString("utf8") : await readFile(path, "utf8");
  const det = detectPage(text);
  return det ? new PageSource(path, det, text) : null;
}
