// Shapes shared by the archive-page parsers in lib/archive-pages/.
//
// An archive page is a text rendering of one or more mails (a lore thread page saved as text,
// mail-archive.com, an LWN article, an lkml.iu.edu hypermail page, a raw message whose newlines
// were collapsed). A page parser recovers, per message, what the page still holds: headers, the
// body with its line structure restored as far as possible, and the thread position. Everything
// that could not be made exact is listed in `damaged`, everything that was deduced rather than
// read is listed in `inferred`. synthesize.ts then turns each PageMessage into RFC 822 bytes so
// the rest of the pipeline treats it as mail.

export type PageFormat = "lore-flat" | "mail-archive" | "article-table" | "hypermail" | "collapsed-rfc822";

export const PAGE_FORMATS: readonly PageFormat[] = ["lore-flat", "mail-archive", "article-table", "hypermail", "collapsed-rfc822"];

export interface PagePerson {
  /** display name as shown on the page ("" when the page shows none) */
  name: string;
  /** a real address, lower-cased; null when the page hides it */
  address: string | null;
  /** the address as the archive obfuscated it ("surenb@xxxxxxxxxx"), when it did */
  obfuscated?: string | null;
  /** how `address` was obtained when it is not printed next to this name in this header:
   * e.g. "page:Signed-off-by", "page:attribution", "page:signature" */
  addressFrom?: string;
}

/** A message that exists only as quoted text inside another message ("On ..., X wrote:" + `>` lines). */
export interface QuotedAncestor {
  /** quote depth: 1 = quoted by the page message directly (its parent), 2 = quoted inside that, ... */
  depth: number;
  author: PagePerson;
  /** ISO 8601 UTC instant, null when the attribution gives no usable date */
  date: string | null;
  /** the writer's UTC offset when the attribution states a zone, else null */
  tzOffsetMinutes: number | null;
  /** how precise `date` is: the attribution may give a day, a minute or a second; zone-less times are read as UTC */
  datePrecision: DatePrecision;
  /** the quoted text with `depth` levels of quoting removed (deeper quotes keep their remaining `>`) */
  text: string;
  /** the "On ..., X wrote:" line that introduces this quote (joined when it was wrapped) */
  attributionLine: string;
  /** 1-based inclusive line range in the page: the attribution line through the last quoted line */
  lines: [number, number];
  /** subject the reconstructed message most likely had (the page subject, "Re: " stripped for the deepest) */
  subject: string;
  /** a real Message-ID (without brackets) assigned from the quoting message's References when the
   * chain lines up (depth d = the d-th id from the end); null when unknown */
  msgid: string | null;
  /** what could not be made exact in this reconstruction */
  damaged: string[];
  inferred: string[];
}

import type { DatePrecision } from "../mail/written-dates";

export type { DatePrecision };

export interface PageMessage {
  /** Message-ID without brackets when the page shows one, else null (synthesize makes a stable one) */
  msgid: string | null;
  inReplyTo: string | null;
  /** References ids (without brackets), oldest first, as the page shows them */
  references: string[];
  from: PagePerson;
  to: PagePerson[];
  cc: PagePerson[];
  subject: string;
  /** ISO 8601 UTC instant, null when the page gives no date */
  date: string | null;
  /** the sender's UTC offset in minutes when known (a real Date header); null when the page only
   * shows an archive-local or UTC rendering */
  tzOffsetMinutes: number | null;
  datePrecision: DatePrecision;
  /** the body, line structure restored ("\n" line ends, no trailing newline) */
  body: string;
  /** index (in PageParse.messages) of the parent message, from the page's thread structure or
   * deduced from quotes; null for a root or when unknown */
  parentIndex: number | null;
  /** 1-based inclusive line range of this message in the page */
  lines: [number, number];
  /** what could not be made exact (short sentences, one per problem) */
  damaged: string[];
  /** facts deduced rather than read (parent from an attribution line, address from elsewhere on the page, ...) */
  inferred: string[];
  /** messages that exist here only as quotes, nearest (depth 1) first */
  quoted: QuotedAncestor[];
  /** a complete RFC 822 message recovered as such (collapsed-rfc822): synthesize emits it as is
   * (plus provenance headers) instead of building one from the fields above */
  raw?: string;
}

export interface PageParse {
  format: PageFormat;
  messages: PageMessage[];
  /** page-level observations (what was skipped, how the tree was matched, ...) */
  notes: string[];
  /** the mailing list the page names, when it names one ("linux-mm") */
  listName: string | null;
}

export interface PageDetection {
  format: PageFormat;
  /** 0..1: how sure the detector is */
  confidence: number;
  /** why: the markers that were found */
  evidence: string[];
}
