// The shape every later stage consumes. Produced by parseMail() in lib/mail/parse.ts from raw
// RFC 822 bytes; pure data (structured-clone safe) so worker threads can hand it back.

export interface Address {
  /** lower-cased addr-spec, e.g. "jane@example.org"; "" when the header had no usable address */
  address: string;
  /** display name as decoded (RFC 2047), "" when absent */
  name: string;
}

export interface AttachmentInfo {
  filename: string | null;
  contentType: string;
  /** decoded size in bytes */
  size: number;
  /** sha256 hex of the decoded content */
  sha256: string;
  /** inline text/x-patch or text/x-diff parts: their decoded text (capped), so patch parsing can see them */
  text: string | null;
  /** Content-Disposition: inline | attachment | null */
  disposition: string | null;
}

export interface ParseProblem {
  /** machine-readable: "missing-message-id", "bad-message-id", "bad-date", "bad-charset", "nul-bytes", ... */
  code: string;
  detail: string;
}

export interface ParsedMail {
  /** Message-ID without angle brackets, as sent (case preserved); synthetic when missing/broken */
  msgid: string;
  /** true when msgid was derived from the bytes because the header was missing or unusable */
  syntheticMsgid: boolean;
  subject: string;
  /** subject with Re:/Fwd:/Aw:/[PATCH ...] style prefixes and list tags removed, whitespace collapsed, lower-cased: used for subject threading */
  threadSubject: string;
  /** true when the subject starts with a reply marker (Re:, Aw:, Sv:, ...) */
  isReply: boolean;
  from: Address;
  to: Address[];
  cc: Address[];
  /** the Date header as an absolute instant (ISO 8601 UTC), null when absent or unparseable */
  date: string | null;
  /** the sender's UTC offset in minutes from the Date header (e.g. -300 for -0500), null when unknown */
  tzOffsetMinutes: number | null;
  dateHeader: string | null;
  inReplyTo: string | null;
  /** References then In-Reply-To ids (without brackets), oldest first, deduplicated, self removed */
  references: string[];
  listId: string | null;
  /** every header in order as [name lower-cased, decoded value] */
  headers: [string, string][];
  /** the text/plain body (or text derived from HTML when there is no plain part), NUL bytes removed */
  text: string;
  /** true when text came from an HTML part */
  textFromHtml: boolean;
  attachments: AttachmentInfo[];
  /** stable hash over identity headers + body, sha256 hex: same message from two sources => same hash */
  contentHash: string;
  /** raw size in bytes */
  size: number;
  problems: ParseProblem[];
}
