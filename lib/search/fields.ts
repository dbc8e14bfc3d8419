// The search prefixes: lore's (public-inbox's lib/PublicInbox/Search.pm, checked against
// public-inbox 1.9.0 as packaged by Debian and the 2.x sources) and patchlore's own.
// query.ts parses with this table, help.ts documents from it, and the SQL compile step maps
// each field to its columns from it: one table so they cannot drift apart.

/** Fields matched as text: words are split by tokenize.ts, case-insensitive, phrases and
 * trailing-`*` wildcards allowed (lore's "probabilistic" prefixes, Xapian add_prefix). */
export type TextField =
  | "s" // Subject
  | "f" // From
  | "t" // To
  | "c" // Cc
  | "tc" // To + Cc
  | "a" // To + Cc + From
  | "b" // body: unquoted text, quoted text and diffs
  | "bs" // Subject + body
  | "nq" // unquoted text (includes the diff of a patch)
  | "q" // quoted text ("> ..." lines)
  | "n" // attachment file name
  | "l" // List-Id, partial
  | "m" // Message-ID, partial (its words)
  | "dfn" // file name in a diff
  | "dfa" // removed (-) lines of a diff
  | "dfb" // added (+) lines of a diff
  | "dfhh" // hunk header context (usually the function)
  | "dfctx" // diff context lines
  | "by" // patchlore: author of the series (From of its patches and cover letter)
  | "reviewer"; // patchlore: gave Reviewed-by/Acked-by/Tested-by or commented on a patch

/** Fields matched exactly, case-sensitively unless said otherwise (lore's "boolean"
 * prefixes, Xapian add_boolean_prefix): no stemming, no wildcards, no phrases. */
export type ExactField =
  | "mid" // Message-ID, whole (without <>)
  | "lid" // List-Id, whole (inside <>), lower-cased like lore indexes it
  | "references" // a Message-ID listed in References: (2.x)
  | "thread" // every message of the thread holding that Message-ID (2.x xap_helper)
  | "dfpre" // git blob id of the pre-image; any abbreviation of at least 7 hex digits
  | "dfpost" // git blob id of the post-image; same
  | "dfblob" // either of the two
  | "patchid"; // `git patch-id --stable` of the message's diff, full

export type FieldName = TextField | ExactField;

export type RangeField = "d" | "rt";

export type FieldKind = "text" | "exact" | "range" | "facet" | "version";

export interface PrefixInfo {
  /** what is typed before the colon */
  prefix: string;
  kind: FieldKind;
  /** the field of the AST the prefix yields (for an alias, the field it stands for) */
  field: FieldName | RangeField | "is" | "has" | "v";
  /** lore (public-inbox) accepts this prefix with this meaning */
  lore: boolean;
  /** lore's internal Xapian term prefixes it searches: documentation only */
  xapian?: string;
  /** short human label used by describeQuery: "subject contains ..." */
  label: string;
  /** one line for the help page */
  meaning: string;
  example: string;
  /** this prefix is another name for `aliasOf` */
  aliasOf?: string;
  /** not in lore's help text (lore accepts it but does not document it) */
  undocumentedInLore?: boolean;
}

// lore's default (no prefix) search: Search.pm's %prob_prefix{''} =
// 'XM S A XQUOT XFN ' . $NON_QUOTED_BODY — Message-ID words, Subject, From, quoted text,
// attachment names and the unquoted body with every diff term.
export const DEFAULT_FIELDS: readonly TextField[] = ["m", "s", "f", "q", "n", "nq"];

const NQ = "XNQ XDFN XDFA XDFB XDFHH XDFCTX XDFPRE XDFPOST XDFID";

export const PREFIXES: readonly PrefixInfo[] = [
  { prefix: "s", kind: "text", field: "s", lore: true, xapian: "S", label: "subject", meaning: "match within the Subject", example: 's:"a quick brown fox"' },
  { prefix: "f", kind: "text", field: "f", lore: true, xapian: "A", label: "From", meaning: "match within the From header (name and address)", example: "f:akpm@linux-foundation.org" },
  { prefix: "t", kind: "text", field: "t", lore: true, xapian: "XTO", label: "To", meaning: "match within the To header", example: "t:linux-mm@kvack.org" },
  { prefix: "c", kind: "text", field: "c", lore: true, xapian: "XCC", label: "Cc", meaning: "match within the Cc header", example: "c:stable@vger.kernel.org" },
  { prefix: "tc", kind: "text", field: "tc", lore: true, xapian: "XTO XCC", label: "To or Cc", meaning: "match within the To and Cc headers", example: "tc:linux-mmc@vger.kernel.org" },
  { prefix: "a", kind: "text", field: "a", lore: true, xapian: "XTO XCC A", label: "To, Cc or From", meaning: "match within the To, Cc and From headers", example: "a:ulf.hansson@linaro.org" },
  { prefix: "tcf", kind: "text", field: "a", lore: true, xapian: "XTO XCC A", label: "To, Cc or From", meaning: "same as a:", example: "tcf:ulf.hansson", aliasOf: "a", undocumentedInLore: true },
  { prefix: "b", kind: "text", field: "b", lore: true, xapian: `${NQ} XQUOT`, label: "body", meaning: "match within the message body: unquoted and quoted text and diffs, text attachments included", example: "b:regression" },
  { prefix: "bs", kind: "text", field: "bs", lore: true, xapian: `${NQ} XQUOT S`, label: "subject or body", meaning: "match within the Subject and body", example: 'bs:"use after free"' },
  { prefix: "nq", kind: "text", field: "nq", lore: true, xapian: NQ, label: "unquoted text", meaning: "match text the sender wrote (not quoted), diffs included", example: "nq:NAK" },
  { prefix: "q", kind: "text", field: "q", lore: true, xapian: "XQUOT", label: "quoted text", meaning: "match quoted text (lines starting with >)", example: "q:vm_write_begin" },
  { prefix: "n", kind: "text", field: "n", lore: true, xapian: "XFN", label: "attachment name", meaning: "match the file name of attachments", example: "n:config.gz" },
  { prefix: "l", kind: "text", field: "l", lore: true, xapian: "XL", label: "List-Id", meaning: "match within the List-Id header (partial)", example: "l:linux-mmc" },
  { prefix: "m", kind: "text", field: "m", lore: true, xapian: "XM", label: "Message-ID", meaning: "match words of the Message-ID (partial)", example: "m:20230101120000.12345", undocumentedInLore: true },
  { prefix: "mid", kind: "exact", field: "mid", lore: true, xapian: "Q", label: "Message-ID", meaning: "match a whole Message-ID exactly (without < >)", example: "mid:20230101120000.12345-1-someone@example.com", undocumentedInLore: true },
  { prefix: "lid", kind: "exact", field: "lid", lore: true, xapian: "G", label: "List-Id", meaning: "match a whole List-Id exactly (the part inside < >)", example: "lid:linux-mmc.vger.kernel.org", undocumentedInLore: true },
  { prefix: "references", kind: "exact", field: "references", lore: true, xapian: "XRF", label: "References", meaning: "match messages whose References header lists this Message-ID", example: "references:20230101120000.12345-1-someone@example.com", undocumentedInLore: true },
  { prefix: "refs", kind: "exact", field: "references", lore: false, label: "References", meaning: "same as references:", example: "refs:20230101120000.12345-1-someone@example.com", aliasOf: "references" },
  { prefix: "thread", kind: "exact", field: "thread", lore: true, label: "thread", meaning: "match every message of the thread that holds this Message-ID", example: "thread:20230101120000.12345-1-someone@example.com", undocumentedInLore: true },
  { prefix: "dfn", kind: "text", field: "dfn", lore: true, xapian: "XDFN", label: "diff file name", meaning: "match a file name in a diff", example: "dfn:mm/memory.c" },
  { prefix: "file", kind: "text", field: "dfn", lore: false, label: "diff file name", meaning: "same as dfn:", example: "file:drivers/mmc/core/block.c", aliasOf: "dfn" },
  { prefix: "dfa", kind: "text", field: "dfa", lore: true, xapian: "XDFA", label: "removed lines", meaning: "match diff removed (-) lines", example: "dfa:__GFP_NOWARN" },
  { prefix: "dfb", kind: "text", field: "dfb", lore: true, xapian: "XDFB", label: "added lines", meaning: "match diff added (+) lines", example: "dfb:vm_write_begin" },
  { prefix: "dfhh", kind: "text", field: "dfhh", lore: true, xapian: "XDFHH", label: "hunk header", meaning: "match diff hunk header context (usually a function name)", example: "dfhh:do_wp_page" },
  { prefix: "func", kind: "text", field: "dfhh", lore: false, label: "hunk header", meaning: "same as dfhh:", example: "func:mmc_blk_issue_rq", aliasOf: "dfhh" },
  { prefix: "dfctx", kind: "text", field: "dfctx", lore: true, xapian: "XDFCTX", label: "diff context", meaning: "match diff context lines", example: "dfctx:spin_lock" },
  { prefix: "dfpre", kind: "exact", field: "dfpre", lore: true, xapian: "XDFPRE", label: "pre-image blob", meaning: "match pre-image git blob ID (7 or more hex digits)", example: "dfpre:3a4b5c6d" },
  { prefix: "dfpost", kind: "exact", field: "dfpost", lore: true, xapian: "XDFPOST", label: "post-image blob", meaning: "match post-image git blob ID (7 or more hex digits)", example: "dfpost:3a4b5c6d" },
  { prefix: "dfblob", kind: "exact", field: "dfblob", lore: true, xapian: "XDFPRE XDFPOST", label: "pre- or post-image blob", meaning: "match either pre or post-image git blob ID", example: "dfblob:3a4b5c6d" },
  { prefix: "patchid", kind: "exact", field: "patchid", lore: true, xapian: "XDFID", label: "patch-id", meaning: "match `git patch-id --stable` output (all 40 hex digits)", example: "patchid:0123456789abcdef0123456789abcdef01234567" },
  { prefix: "d", kind: "range", field: "d", lore: true, label: "date", meaning: 'match date-time range (the Date header, UTC), git "approxidate" formats supported; open-ended ranges such as d:last.week.. and d:..2.days.ago are supported', example: "d:2023-01-01..2023-02-01" },
  { prefix: "dt", kind: "range", field: "d", lore: true, label: "date", meaning: "like d:, to the second (YYYYMMDDHHMMSS)", example: "dt:20230101120000..20230101180000", aliasOf: "d", undocumentedInLore: true },
  { prefix: "rt", kind: "range", field: "rt", lore: true, label: "received", meaning: "match received time, like d: if sender's clock was correct", example: "rt:2.days.ago.." },
  { prefix: "is", kind: "facet", field: "is", lore: false, label: "is", meaning: "what a message is: patch, cover, reply, rfc, reviewed, acked, nacked, merged, applied, changes-requested, superseded, latest, decision", example: "is:patch" },
  { prefix: "has", kind: "facet", field: "has", lore: false, label: "has", meaning: "what a message has: benchmark, comments, run, attachment, diff", example: "has:benchmark" },
  { prefix: "v", kind: "version", field: "v", lore: false, label: "version", meaning: "version N of a patch series (v:1 is the first posting)", example: "v:3" },
  { prefix: "by", kind: "text", field: "by", lore: false, label: "series author", meaning: "author of the series (name or address)", example: "by:ulf.hansson@linaro.org" },
  { prefix: "reviewer", kind: "text", field: "reviewer", lore: false, label: "reviewer", meaning: "someone who reviewed, acked, tested or commented on it (name or address)", example: 'reviewer:"Adrian Hunter"' },
];

export const PREFIX_BY_NAME: ReadonlyMap<string, PrefixInfo> = new Map(PREFIXES.map((p) => [p.prefix, p]));

/** true for a text field's own name (not an alias's prefix) */
export function isTextField(f: string): f is TextField {
  const p = PREFIX_BY_NAME.get(f);
  return p !== undefined && p.kind === "text" && p.field === f;
}

/** Prefixes lore knows that patchlore refuses, with the reason shown to the user. */
export const UNSUPPORTED_PREFIXES: ReadonlyMap<string, string> = new Map([
  ["z", "z: (message size in bytes) is an IMAP/lei search in lore and is not supported here"],
  ["uid", "uid: (an inbox's article number) is internal to each lore inbox and is not supported here"],
  ["kw", "kw: (keywords) exists only in lei, for local mail, and is not supported here"],
]);

export const IS_VALUES = ["patch", "cover", "reply", "rfc", "reviewed", "acked", "nacked", "merged", "applied", "changes-requested", "superseded", "latest", "decision"] as const;
export type IsValue = (typeof IS_VALUES)[number];
export const HAS_VALUES = ["benchmark", "comments", "run", "attachment", "diff"] as const;
export type HasValue = (typeof HAS_VALUES)[number];

export const FACET_MEANINGS: Readonly<Record<IsValue | HasValue, string>> = {
  patch: "a patch (a message carrying a diff, posted as [PATCH])",
  cover: "a cover letter ([PATCH 0/N])",
  reply: "a reply (neither a patch nor a cover letter)",
  rfc: "part of an RFC series",
  reviewed: "a patch with a Reviewed-by",
  acked: "a patch with an Acked-by",
  nacked: "a patch whose verdict is a NAK: someone NAKed it (in a reply to it or to its cover letter) and did not take it back with a later Ack or Reviewed-by",
  merged: "a patch found upstream (merged), or a patch, series or pull request decided merged",
  applied: "a message announcing that a patch or series was applied, or the patch or series (cover letter and patches) an applied decision decides",
  "changes-requested": "a message asking for changes to a patch or series (a changes-requested decision: \"please fix ... and send a v2\", \"please drop this line\")",
  superseded: "a patch or series a later version replaced",
  latest: "a patch or series in the latest version of its series",
  decision: "a message recording a decision (applied, queued, merged, NAK, changes requested, deferred, superseded, withdrawn, rejected)",
  benchmark: "benchmark figures (LKP report, mmtests table, a claimed improvement...)",
  comments: "review comments: a reply commenting on lines of a patch, or a patch (or cover letter) under discussion",
  run: "imported benchmark or simulator runs attached",
  attachment: "attachments",
  diff: "a diff (in the unquoted text)",
};

export const MAX_VERSION = 999;

/** every prefix name a user may type (for suggestions) */
export function knownPrefixNames(): string[] {
  return PREFIXES.map((p) => p.prefix);
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions: dnf -> dfn
 * is one edit), for short strings */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/** the closest candidates to `word` (ties kept in table order), or [] when nothing is close */
export function nearest(word: string, candidates: readonly string[], maxDistance?: number): string[] {
  const w = word.toLowerCase();
  const limit = maxDistance ?? Math.max(1, Math.min(3, Math.ceil(w.length / 2)));
  let best = Infinity;
  let out: string[] = [];
  for (const c of candidates) {
    let d = editDistance(w, c);
    // an abbreviation of a longer name is close ("refer" for "references")
    if (w.length >= 3 && c.startsWith(w)) d = Math.min(d, 1);
    if (d < best) {
      best = d;
      out = [c];
    } else if (d === best) out.push(c);
  }
  return best <= limit ? out : [];
}

/** Names people try from other search engines, mapped to the prefix they mean (suggestions) */
export const PREFIX_SYNONYMS: Readonly<Record<string, string>> = {
  subject: "s",
  subj: "s",
  from: "f",
  to: "t",
  cc: "c",
  body: "b",
  date: "d",
  since: "d",
  until: "d",
  before: "d",
  after: "d",
  received: "rt",
  list: "l",
  listid: "lid",
  msgid: "mid",
  messageid: "mid",
  id: "mid",
  filename: "dfn",
  path: "dfn",
  files: "dfn",
  function: "dfhh",
  fn: "dfhh",
  author: "by",
  reviewed: "reviewer",
  reviewedby: "reviewer",
  version: "v",
  ver: "v",
  attachment: "n",
  quoted: "q",
  patch: "is",
  blob: "dfblob",
  ref: "references",
};
