// The caps parseMail() keeps to: each one protects a later stage (PostgreSQL index entry sizes,
// html-to-text's recursion, memory) from one absurd message.

export const LIMITS = {
  maxHeaders: 2000,
  maxHeaderValueChars: 64 * 1024,
  maxReferences: 1000,
  /** UTF-8 bytes (RFC 5322 lines are at most 998 bytes); also keeps ids well under PostgreSQL's
   * btree entry limit (2704 bytes) of the unique index on message.msgid */
  maxMsgidLength: 995,
  /** characters; longer subjects are cut (the full value stays in `headers`, up to maxHeaderValueChars) */
  maxSubjectChars: 1000,
  /** UTF-8 bytes of threadSubject: it is btree-indexed (thread.thread_subject), max entry 2704 bytes */
  maxThreadSubjectBytes: 1000,
  /** characters of an addr-spec (RFC 5321: 254); longer ones are unusable. person.address is
   * btree-indexed (unique), max entry 2704 bytes */
  maxAddressChars: 254,
  /** HTML nested deeper than this (open elements) is not given to html-to-text, which recurses per
   * level: it overflows the stack at a few thousand levels and takes seconds doing so */
  maxHtmlDepth: 1000,
  /** dates after this year are dropped (PostgreSQL cannot read JavaScript's +YYYYYY years) */
  maxDateYear: 9999,
  maxAttachmentTextBytes: 5 * 1024 * 1024,
  /** no header line within this many bytes => not a message */
  headerScanBytes: 64 * 1024,
  /** HTML bodies larger than this (characters) are not converted to text */
  maxHtmlToText: 4 * 1024 * 1024,
  /** absurd-date: more than this far in the future */
  futureSlackMs: 24 * 60 * 60 * 1000,
} as const;
