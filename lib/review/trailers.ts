// Trailers ("Reviewed-by: Jane Doe <jane@x.org>") collected the way b4 collects them (b4
// LoreMessage.find_trailers / get_body_parts / get_trailers, LoreMailbox.get_series), plus the
// verdict of a message (NAK is a verdict of its own).
//
//  * commit-message trailers: the last paragraph of the message above the "---" line (or the
//    diff), every "Key: value" line of it (b4 get_body_parts);
//  * reply trailers: every "Key: value" line the replier wrote (quoted lines never count, and
//    here the quote tree also keeps out text quoted without ">" under an Outlook header block),
//    above the first "-- " signature; person trailers need an address, other keys must be known
//    non-person keys (Fixes, Link, Closes, …), links only under link keys, and From:/Cc:/To:/…
//    are message metadata, not trailers (b4's badtrailers);
//  * Fixes needs a hex commit id (7 to 40 digits) and may carry ("subject");
//  * "Fixes: abcd (subject\n wrapped)" and "Signed-off-by: Long Name\n<addr>" are joined (b4's
//    copypasta fixes); "# comment" at the end and a "[comment]" line below belong to the trailer
//    (b4's extinfo), and so do indented continuation lines (git interpret-trailers);
//  * a person trailer in a reply whose address is not the sender's (b4 email_eq: equal, equal
//    without "+ext", or one domain a subdomain of the other) and whose name is not the sender's
//    is flagged `mismatch: true` with the sender, not applied (b4: "trailers ignored due to
//    from/email mismatches").
//  * a reply's tag box, "| Reported-by: …" lines right below a line that speaks of tags ("kindly add
//    following tags"), is read as trailers `offered`: the kernel test robot gives them this way for
//    the author to add to a separate fix, boxed so that b4 does not take them for the patch
//    answered; they are the sender's trailers, but never applied to that patch;
//  * isReviewTrailer: the trailers that credit a person with a part in the change (Reviewed-by,
//    Signed-off-by, Reported-by, …); Cc:/To: name people too, but only to address them.
//
// Line numbers: 0-based indexes of body lines; [line, endLine) half-open, like lib/patch TrailerLine.

import { parseBody, flatLines, type BodyRoot } from "../body/tree";
import { parseNameAddress } from "../mail/address";

export type TrailerSource = "commit-message" | "reply";

export interface TrailerPerson {
  name: string;
  address: string;
}

export interface Trailer {
  /** the key in its canonical case ("Reviewed-by", "Signed-off-by", "Fixes", "Cc", "Message-ID") */
  kind: string;
  /** the key as written */
  key: string;
  /** the value as written (copypasta wraps joined, "# comment" removed, HTML mailto junk cleaned) */
  value: string;
  /** person trailers: who */
  person?: TrailerPerson;
  /** Fixes: the commit id (lower case) */
  commit?: string;
  /** Fixes: the subject in ("…") */
  subject?: string;
  /** Link / Closes / BugLink: the URL */
  url?: string;
  /** "# comment" after the value, "[comment]" or indented continuation lines below it */
  comment?: string;
  line: number;
  /** exclusive */
  endLine: number;
  inQuote: false;
  /** a reply's person trailer naming someone other than the sender */
  mismatch: boolean;
  /** the sender, when mismatch */
  sender?: TrailerPerson;
  source: TrailerSource;
  /** a tag offered for a separate fix (a "| Reported-by: …" box under "kindly add following tags"): never applied */
  offered?: true;
}

export interface RejectedTrailer {
  key: string;
  value: string;
  line: number;
  reason: string;
}

export interface CollectOptions {
  source: TrailerSource;
  /** the sender (From:), for the mismatch check of reply trailers */
  from?: { name: string; address: string } | null;
  /** a quote tree of the body already built (replies) */
  tree?: BodyRoot;
}

// ---------------------------------------------------------------------------------------------

const CANONICAL: Record<string, string> = {};
for (const k of [
  "Signed-off-by", "Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by", "Nacked-by", "Co-developed-by",
  "Reported-and-tested-by", "Requested-by", "Debugged-by", "Analyzed-by", "Originally-by", "Helped-by", "Inspired-by",
  "Bisected-by", "Regression-tested-by", "Build-tested-by", "Compile-tested-by", "Cc", "To", "From", "Fixes", "Link",
  "Closes", "BugLink", "Message-ID", "Change-Id", "Obsoleted-by", "Based-on", "Base-commit", "Cherry-picked-from",
]) CANONICAL[k.toLowerCase()] = k;
CANONICAL["message-id"] = "Message-ID";

/** "reviewed-BY" -> "Reviewed-by"; unknown keys: first letter up, the rest as written lower-cased */
export function canonicalKind(key: string): string {
  const l = key.toLowerCase();
  return CANONICAL[l] ?? l.charAt(0).toUpperCase() + l.slice(1);
}

/** keys that name no person (b4 nonperson), allowed in replies without an address */
const LINK_KEYS = new Set(["link", "buglink", "closes"]);
const NONPERSON = new Set([...LINK_KEYS, "fixes", "subject", "date", "obsoleted-by", "change-id", "base-commit"]);
/** b4 LoreTrailer._utility: never checked against the sender */
const UTILITY = new Set(["fixes", "link", "buglink", "closes", "obsoleted-by", "message-id", "change-id", "base-commit", "based-on"]);
/** message metadata, not trailers, when they appear in a reply (b4 badtrailers) */
const REPLY_BAD = new Set(["from", "author", "cc", "to", "date", "subject", "subscribe", "unsubscribe", "base-commit", "change-id"]);
const IGNORED = new Set(["phone", "email", "prerequisite-message-id"]);
const HEADERS = new Set(["subject", "date", "from"]);

/** b4: ^\s*(\w\S+):\s+(\S.*) */
const TRAILER_RE = /^\s*([\p{L}\p{N}_]\S+?):\s+(\S.*)$/u;
const PERSON_RE = /\S+@\S+\.\S+/;
const FIXES_RE = /^(?:commit\s+)?([0-9a-f]{7,40})\b(?:\s*\(\s*["“]?(.*?)["”]?\s*\))?/i;

interface RawLine {
  /** body line index */
  at: number;
  text: string;
  /** a line of a tag box, its "| " taken off */
  offered?: true;
}

/** "| Reported-by: kernel test robot <lkp@intel.com>" */
const BOXED_RE = /^\|[ \t]+(\S.*)$/;
/** the line above a tag box: "kindly add following tags", "please add the following tag:" */
const TAG_LEAD_RE = /\btags?\b/i;

/**
 * Tag boxes of a reply taken out of their box: a run of "| Key: value" lines, each one a trailer
 * line, right below a line that speaks of tags. Other "|" lines (a table, text quoted with "|")
 * stay as they are.
 */
function unboxTags(lines: RawLine[]): RawLine[] {
  const out = lines.slice();
  for (let i = 0; i < lines.length; ) {
    const prev = lines[i - 1];
    if (!prev || prev.at !== lines[i].at - 1 || !TAG_LEAD_RE.test(prev.text) || !BOXED_RE.test(lines[i].text)) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].at === lines[i].at + (j - i) && BOXED_RE.test(lines[j].text)) j++;
    const inner = lines.slice(i, j).map((l) => BOXED_RE.exec(l.text)![1]);
    if (inner.every((t) => TRAILER_RE.test(t))) for (let k = i; k < j; k++) out[k] = { at: lines[k].at, text: inner[k - i], offered: true };
    i = j;
  }
  return out;
}

function cleanValue(v: string): string {
  // HTML-to-text junk: "Jane <jane@x.org<mailto:jane@x.org>>"
  return v.replace(/<([^<>\s]+@[^<>\s]+)<mailto:[^<>]*>>/gi, "<$1>").replace(/([^\s<>]+@[^\s<>]+)<mailto:[^<>]*>/gi, "$1");
}

/** b4 find_trailers over lines (their body indexes kept); `followup` applies the reply rules. */
function findTrailers(lines: RawLine[], source: TrailerSource, rejected: RejectedTrailer[]): Omit<Trailer, "mismatch" | "inQuote">[] {
  // b4's copypasta fixes: "Fixes: abcd (foo\nbar)" and "Signed-off-by: Name\n<addr>"
  const joined: { at: number; end: number; text: string; offered?: true }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const cur = lines[i];
    const next = lines[i + 1];
    if (next && next.at === cur.at + 1) {
      if (/^\S+:\s+[\da-f]+\s+\([^)]+$/i.test(cur.text) && /\)/.test(next.text)) {
        joined.push({ at: cur.at, end: next.at + 1, text: `${cur.text} ${next.text.trim()}` });
        i++;
        continue;
      }
      if (/^\S+:\s+[^<]+$/.test(cur.text) && /^<[^>]+>$/.test(next.text.trim()) && next.text.trim() === next.text) {
        joined.push({ at: cur.at, end: next.at + 1, text: `${cur.text} ${next.text}` });
        i++;
        continue;
      }
    }
    joined.push(cur.offered ? { at: cur.at, end: cur.at + 1, text: cur.text, offered: true } : { at: cur.at, end: cur.at + 1, text: cur.text });
  }
  const out: Omit<Trailer, "mismatch" | "inQuote">[] = [];
  let others = 0;
  let wasTrailer = false;
  let prevEnd = -1;
  for (const l of joined) {
    const line = l.text.replace(/\r$/, "");
    const m = TRAILER_RE.exec(line);
    const last = out[out.length - 1];
    if (m) {
      const key = m[1];
      let value = m[2];
      const lname = key.toLowerCase();
      if (IGNORED.has(lname)) continue;
      if (others && HEADERS.has(lname)) continue;
      if (source === "reply") {
        // eslint-disable-next-line no-control-regex
        if (!/^[\x00-\x7f]+$/.test(lname)) {
          rejected.push({ key, value, line: l.at, reason: "non-ASCII key" });
          continue;
        }
        // (b4 skips these lines altogether: they neither end a trailer nor count as prose)
        if (!PERSON_RE.test(value) && !NONPERSON.has(lname)) {
          rejected.push({ key, value, line: l.at, reason: "no address and not a known non-person trailer" });
          continue;
        }
        if (/https?:\/\//.test(value) && !LINK_KEYS.has(lname)) {
          rejected.push({ key, value, line: l.at, reason: "a link under a key that is not a link trailer" });
          continue;
        }
      }
      let comment: string | undefined;
      const ext = /^(.*\S)(\s+#[^#]+)$/.exec(value);
      if (ext) {
        value = ext[1];
        comment = ext[2].trim();
      }
      value = cleanValue(value.trim());
      out.push({ kind: canonicalKind(key), key, value, comment, line: l.at, endLine: l.end, source, ...(l.offered ? { offered: true as const } : {}) });
      wasTrailer = true;
      prevEnd = l.end;
      continue;
    }
    // "[for the foo bits]" right below a trailer
    if (line.length > 2 && wasTrailer && last && l.at === prevEnd && /^\s*\[[^\]]+\]\s*$/.test(line)) {
      last.comment = last.comment ? `${last.comment} ${line.trim()}` : line.trim();
      last.endLine = l.end;
      prevEnd = l.end;
      wasTrailer = false;
      continue;
    }
    // an indented continuation line (git interpret-trailers)
    if (last && l.at === prevEnd && /^[ \t]+\S/.test(line)) {
      last.comment = last.comment ? `${last.comment} ${line.trim()}` : line.trim();
      last.endLine = l.end;
      prevEnd = l.end;
      continue;
    }
    wasTrailer = false;
    if (line.trim() !== "") others++;
  }
  return out;
}

/** Person, commit and URL of a trailer; null with a reason when the trailer is not valid. */
function interpret(t: Omit<Trailer, "mismatch" | "inQuote">): string | null {
  const lname = t.kind.toLowerCase();
  if (lname === "fixes") {
    const m = FIXES_RE.exec(t.value);
    if (!m) return "Fixes without a hex commit id";
    t.commit = m[1].toLowerCase();
    if (m[2]) t.subject = m[2];
    return null;
  }
  const url = /https?:\/\/\S+/.exec(t.value);
  if (url) t.url = url[0].replace(/[>)\].,;]+$/, "");
  if (!UTILITY.has(lname) && !url && PERSON_RE.test(t.value)) {
    const p = parseNameAddress(t.value.replace(/\s*\[[^\]]*\]\s*$/, ""), { written: true });
    const address = p.address ?? (/[^\s<>"]+@[^\s<>"]+\.[^\s<>"]+/.exec(t.value)?.[0].toLowerCase() ?? "");
    if (address) t.person = { name: p.name, address };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// who may give a trailer

/** b4 LoreTrailer.email_eq: equal, equal without "+ext", or one domain a subdomain of the other. */
export function sameAddress(a: string, b: string): boolean {
  let x = a.toLowerCase();
  let y = b.toLowerCase();
  if (x === y) return true;
  if (!x.includes("@") || !y.includes("@")) return false;
  x = x.replace(/\+[^@]+@/, "@");
  y = y.replace(/\+[^@]+@/, "@");
  if (x === y) return true;
  const [xl, xd] = x.split("@", 2);
  const [yl, yd] = y.split("@", 2);
  if (xl !== yl) return false;
  const dots = (s: string) => s.split(".").length - 1;
  return Math.abs(dots(xd) - dots(yd)) === 1 && (xd.endsWith(`.${yd}`) || yd.endsWith(`.${xd}`));
}

/**
 * Does a person trailer name the sender? Address (b4 email_eq), else the same name; a sender name
 * with a comma ("Doe, Jane") matches a trailer name holding every part of it.
 */
export function trailerMatchesSender(person: TrailerPerson, from: { name: string; address: string }): boolean {
  if (from.address && sameAddress(person.address, from.address)) return true;
  const tn = person.name.toLowerCase().trim();
  const fn = (from.name || from.address).toLowerCase().trim();
  if (tn && tn === fn) return true;
  if (tn && fn.includes(",")) return fn.split(",").every((c) => tn.includes(c.trim()));
  return false;
}

// ---------------------------------------------------------------------------------------------
// collection

// the lines of the body read last: a reply's trailers and its verdict read the same body in turn
let lastBody: string | null = null;
let lastLines: readonly string[] = [];

function bodyLines(body: string): readonly string[] {
  if (body === lastBody) return lastLines;
  const lines = (body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body).split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  lastBody = body;
  lastLines = lines;
  return lines;
}

/** The lines b4 reads commit-message trailers from: the last paragraph above "---"/the diff. */
function commitMessageLines(lines: readonly string[]): RawLine[] {
  // the signature: the last "-- " line
  let end = lines.length;
  for (let i = lines.length - 1; i > 0; i--) {
    if (lines[i] === "-- ") {
      end = i;
      break;
    }
  }
  // the patch break: a "---" line, else "diff …", else "--- a/…" (not on the first line)
  let brk = -1;
  for (let i = 0; i < end; i++) if (lines[i] === "---") {
    brk = i;
    break;
  }
  if (brk < 0) for (let i = 1; i < end; i++) if (lines[i].startsWith("diff ")) {
    brk = i;
    break;
  }
  if (brk < 0) for (let i = 1; i < end; i++) if (lines[i].startsWith("--- a/")) {
    brk = i;
    break;
  }
  if (brk >= 0) end = brk;
  let s = 0;
  while (s < end && lines[s] === "") s++;
  while (end > s && lines[end - 1] === "") end--;
  // the last paragraph (paragraphs are split at empty lines)
  let p = end;
  while (p > s && lines[p - 1] !== "") p--;
  const out: RawLine[] = [];
  for (let i = p; i < end; i++) out.push({ at: i, text: lines[i] });
  return out;
}

/** The lines a replier wrote, above the first signature (quotes, attributions, diffs, footers left out). */
function replyLines(lines: readonly string[], tree: BodyRoot): RawLine[] {
  const flat = flatLines(tree);
  const out: RawLine[] = [];
  for (const l of flat) {
    // b4: nothing after the first "-- " line counts, even one a pasted patch ends with
    if (l.depth === 0 && (l.kind === "signature" || l.kind === "footer" || lines[l.line] === "-- ")) break;
    if (l.depth !== 0 || (l.kind !== "text" && l.kind !== "blank")) continue;
    out.push({ at: l.line, text: lines[l.line] ?? l.content });
  }
  return out;
}

/** Trailers of a body, with those refused and why. */
export function collectTrailersDetailed(body: string, opts: CollectOptions): { trailers: Trailer[]; rejected: RejectedTrailer[] } {
  const lines = bodyLines(body);
  const rejected: RejectedTrailer[] = [];
  const raw =
    opts.source === "commit-message"
      ? findTrailers(commitMessageLines(lines), "commit-message", rejected)
      : findTrailers(unboxTags(replyLines(lines, opts.tree ?? parseBody(body))), "reply", rejected);
  const trailers: Trailer[] = [];
  for (const r of raw) {
    const lname = r.kind.toLowerCase();
    if (opts.source === "reply" && REPLY_BAD.has(lname)) {
      rejected.push({ key: r.key, value: r.value, line: r.line, reason: `${r.kind}: is message metadata, not a trailer, in a reply` });
      continue;
    }
    const bad = interpret(r);
    if (bad) {
      rejected.push({ key: r.key, value: r.value, line: r.line, reason: bad });
      continue;
    }
    const t: Trailer = { ...r, inQuote: false, mismatch: false };
    if (t.comment === undefined) delete t.comment;
    if (opts.source === "reply" && t.person && opts.from && !UTILITY.has(lname)) {
      if (!t.person.name && sameAddress(t.person.address, opts.from.address)) t.person.name = opts.from.name;
      if (!trailerMatchesSender(t.person, opts.from)) {
        t.mismatch = true;
        t.sender = { name: opts.from.name, address: opts.from.address };
      }
    }
    trailers.push(t);
  }
  return { trailers, rejected };
}

/** Trailers of a body: a patch's commit message, or a reply's own lines. */
export function collectTrailers(body: string, opts: CollectOptions): Trailer[] {
  return collectTrailersDetailed(body, opts).trailers;
}

/** keys that name people only to address them (git send-email's Cc:), not to credit them */
const ADDRESSING = new Set(["cc", "to", "bcc", "from"]);

/**
 * A trailer that credits a person with a part in the change: Reviewed-by, Acked-by, Tested-by,
 * Signed-off-by, Reported-by, Suggested-by, … (any person trailer but Cc:/To:). Fixes:, Link: and
 * Closes: name no person.
 */
export function isReviewTrailer(t: Pick<Trailer, "kind" | "person">): boolean {
  return !!t.person && !ADDRESSING.has(t.kind.toLowerCase());
}

/** "kind: value" lower-cased: b4 compares trailers this way (LoreTrailer.__eq__). */
export function trailerKey(t: Pick<Trailer, "kind" | "value">): string {
  return `${t.kind.toLowerCase()}: ${t.value.toLowerCase()}`;
}

// ---------------------------------------------------------------------------------------------
// verdicts

export type Verdict = "nak" | "ack" | "review" | "test";

export interface VerdictResult {
  verdict: Verdict | null;
  /** the line that gives it (0-based body line), null when there is no verdict */
  evidence: { line: number; text: string } | null;
}

const RANK: Record<Verdict, number> = { nak: 4, ack: 3, review: 2, test: 1 };

/** What the verdict rules need of one reply's verdict: who gave it and when (ISO 8601). */
export interface DatedVerdict {
  verdict: Verdict;
  by?: { address: string };
  date?: string | null;
}

/**
 * The verdicts that stand: each reviewer's latest word only (by address; a verdict without one
 * stands alone), in date order with undated verdicts as the oldest and equal dates in the order
 * given. So a NAK followed by the same person's Ack or Reviewed-by is withdrawn. The search facet
 * is:nacked is the same rule in SQL (lib/search/compile PATCH_VERDICT_NAK).
 */
export function standingVerdicts<T extends DatedVerdict>(vs: readonly T[]): Set<T> {
  const ordered = [...vs].sort((a, b) => (a.date ?? "").localeCompare(b.date ?? ""));
  const latest = new Map<string, T>();
  ordered.forEach((v, i) => latest.set(v.by?.address ? v.by.address.toLowerCase() : `#${i}`, v));
  return new Set(latest.values());
}

/** The strongest of the standing verdicts (standingVerdicts): a NAK is a veto. */
export function strongestVerdict(vs: readonly DatedVerdict[]): Verdict | null {
  let best: Verdict | null = null;
  for (const { verdict: v } of standingVerdicts(vs)) if (!best || RANK[v] > RANK[best]) best = v;
  return best;
}

/**
 * A page's verdicts: the ones `shown` (on the patch, or on the cover letter of a series), those no
 * longer standing marked withdrawn, and the verdict they give together with `alsoCounting` (for a
 * patch, the verdicts on its series' cover letter).
 */
export function weighVerdicts<T extends DatedVerdict>(shown: readonly T[], alsoCounting: readonly T[] = []): { verdicts: (T & { withdrawn?: true })[]; verdict: Verdict | null } {
  const all = [...shown, ...alsoCounting];
  const standing = standingVerdicts(all);
  return {
    verdicts: shown.map((v) => (standing.has(v) ? v : { ...v, withdrawn: true as const })),
    verdict: strongestVerdict(all),
  };
}

/**
 * A series' verdict, by the rule a patch's verdict follows: the strongest of its patches' verdicts
 * (each weighed with the cover letter's, weighVerdicts) and of the cover letter's own. A NAK on
 * any patch stands for the series (a veto); a Reviewed-by on a patch is never beside a series
 * that says "no verdict". Each patch's verdict is weighed on its own first, so a reviewer's later
 * word on one patch does not take back their NAK on another.
 */
export function seriesVerdict(coverVerdict: Verdict | null, patchVerdicts: readonly (Verdict | null)[]): Verdict | null {
  let best: Verdict | null = coverVerdict;
  for (const v of patchVerdicts) if (v && (!best || RANK[v] > RANK[best])) best = v;
  return best;
}

/**
 * The verdict a trailer in a patch's commit message gives (b4 counts a Reviewed-by, Acked-by or
 * Tested-by the author carried into a later version like one given in a reply): review, ack or
 * test; null for every other key (a Nacked-by is never carried into a commit message on purpose).
 */
export function commitMessageVerdict(kind: string): Verdict | null {
  const v = BY_TRAILER[kind.toLowerCase()];
  return v && v !== "nak" ? v : null;
}

const BY_TRAILER: Record<string, Verdict> = {
  "nacked-by": "nak",
  "acked-by": "ack",
  "reviewed-by": "review",
  "tested-by": "test",
  "reported-and-tested-by": "test",
  "regression-tested-by": "test",
  "build-tested-by": "test",
  "compile-tested-by": "test",
};
/** "NAK", "NACK", "Nack.", "NAK, this breaks …", "So NAK from me": an upper-case word anywhere, "Nack"/"Nak" capitalised at a line start */
const NAK_WORD = /(?:^|[^\p{L}\p{N}_-])(?:NACK|NAK|NACKED|NAKED)(?![\p{L}\p{N}_-])/u;
const NAK_START = /^\s*(?:Nack|Nak|Nacked)(?:[.!,;:]|\s*$|\s+(?:from|for|on|to|this|that|it)\b)/;
/**
 * A NAK mentioned, not given: withdrawn or promised to be dropped ("Withdrawing my NAK", "I'll drop
 * the NAK on v2", "NAK retracted"), offered as a choice ("your Ack/NAK", "ack or nack"), asked for,
 * or inside a quoted string (a pasted log or code line: pr_err("... NACK ...")).
 */
const NAK_MENTIONED = [
  /\b(?:withdraw\w*|drop\w*|retract\w*|remov\w*|lift\w*|rescind\w*|revok\w*|take\s+back|taking\s+back|reconsider\w*)\b[^.!?]{0,40}(?:NACK|NAK)/i,
  /(?:NACK|NAK)\w*\s+(?:is\s+|was\s+)?(?:withdrawn|retracted|dropped|lifted|removed|rescinded|revoked)\b/i,
  /\b(?:ACK|Acked-by)\s*(?:\/|or)\s*(?:NACK|NAK)|(?:NACK|NAK)\s*(?:\/|or)\s*ACK\b/i,
  /\b(?:your|an?|any|for)\s+(?:NACK|NAK)\b(?!\s+from\s+me)/i,
  /"[^"]*\b(?:NACK|NAK)\b[^"]*"/i,
];
const ACK_LINE = /^\s*(?:ACK|Ack|Acked)(?:[.!]?\s*$|[,;]\s)/;

/**
 * The verdict a message gives: a Nacked-by: trailer or a NAK/NACK line (a veto, above everything),
 * else Acked-by / "Ack.", else Reviewed-by, else Tested-by. Only the writer's own lines count.
 */
export function verdictOf(body: string, opts: { tree?: BodyRoot; trailers?: readonly Pick<Trailer, "kind" | "line" | "offered">[] } = {}): VerdictResult {
  const tree = opts.tree ?? parseBody(body);
  const lines = bodyLines(body);
  let best: VerdictResult = { verdict: null, evidence: null };
  const offer = (v: Verdict, line: number) => {
    if (!best.verdict || RANK[v] > RANK[best.verdict]) best = { verdict: v, evidence: { line, text: (lines[line] ?? "").trim() } };
  };
  // (the reply's trailers when the caller has them: which trailers a body holds does not depend on its sender)
  for (const t of opts.trailers ?? collectTrailers(body, { source: "reply", tree })) {
    const v = BY_TRAILER[t.kind.toLowerCase()];
    // (a tag offered for a separate fix is no verdict on the patch answered)
    if (v && !t.offered) offer(v, t.line);
  }
  for (const l of flatLines(tree)) {
    if (l.depth === 0 && (l.kind === "signature" || l.kind === "footer" || lines[l.line] === "-- ")) break;
    if (l.depth !== 0 || l.kind !== "text") continue;
    const text = lines[l.line] ?? l.content;
    if (/^\s*\S+:\s/.test(text) && TRAILER_RE.test(text) && !/^\s*(?:NAK|NACK)\b/i.test(text)) continue;
    // (NAK_WORD needs "NAK" or "NACK" in the line: most lines are passed over without the regular expression)
    const nakWord = (text.includes("NAK") || text.includes("NACK")) && NAK_WORD.test(text);
    if ((nakWord || NAK_START.test(text)) && !NAK_MENTIONED.some((re) => re.test(text))) offer("nak", l.line);
    else if (ACK_LINE.test(text)) offer("ack", l.line);
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// where reply trailers apply (b4 LoreMailbox.get_series)

export interface TrailerMessage {
  msgid: string;
  inReplyTo: string | null;
  references: string[];
  /** a reply: "Re:"/"Aw:"/"Fwd:" subject (b4), or In-Reply-To + trailers + no diff */
  isReply: boolean;
  /** carries a diff (b4 DIFF_RE) */
  hasDiff: boolean;
  /** its reply trailers (collectTrailers source "reply"); empty for patches and covers */
  trailers: Trailer[];
}

/**
 * b4's idea of a reply, for trailer collection: a "Re:"/"Aw:"/"Fwd:" subject (or "Xx: [" as some
 * clients translate it), or a message sent in reply that carries trailers and no diff even though
 * its subject lost the "Re:".
 */
export function isTrailerReply(m: { subject: string; inReplyTo: string | null; hasDiff: boolean; hasTrailers: boolean }): boolean {
  const s = m.subject.replace(/\s+/g, " ").trim();
  if (/^(?:Re|Aw|Fwd):/i.test(s) || /^\w{2,3}:\s*\[/.test(s)) return true;
  return m.hasTrailers && !!m.inReplyTo && !m.hasDiff;
}

export interface AppliedTrailer extends Trailer {
  /** the message the trailer was written in */
  msgid: string;
  /** given on the patch (or a reply below it), on the cover letter, or on an earlier version with the same patch-id */
  via: "reply" | "cover" | "patch-id";
}

export interface AttributeOptions {
  /** the series: its cover letter and its patches, in order */
  cover?: string | null;
  patches: string[];
  /** patch-ids of patches (any version in the thread): a trailer on an earlier version carries to a patch with the same id */
  patchIds?: Record<string, string | null | undefined> | ReadonlyMap<string, string | null | undefined>;
  /** the version of each patch (msgid -> N of vN): trailers carry forward only, from an earlier version to a later one */
  versionOf?: Record<string, number | null | undefined> | ReadonlyMap<string, number | null | undefined>;
}

function lookUp<T>(o: Record<string, T> | ReadonlyMap<string, T> | undefined, k: string): T | undefined {
  return o instanceof Map ? o.get(k) : (o as Record<string, T> | undefined)?.[k];
}

/**
 * The reply trailers each patch of a series gets: a trailer on a reply applies to the patch the
 * reply answers (walking up through replies to replies), a trailer on the cover letter applies to
 * every patch, a trailer on another version's patch with the same patch-id carries over.
 * Mismatched trailers are not applied: they come back in `mismatches`. Offered ones (a robot's tag
 * box) are neither.
 */
export function attributeTrailers(messages: TrailerMessage[], opts: AttributeOptions): { perPatch: Map<string, AppliedTrailer[]>; mismatches: AppliedTrailer[] } {
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const perPatch = new Map<string, AppliedTrailer[]>(opts.patches.map((p) => [p, []]));
  const mismatches: AppliedTrailer[] = [];
  const patchSet = new Set(opts.patches);
  const idToPatch = new Map<string, string>();
  for (const p of opts.patches) {
    const id = lookUp(opts.patchIds, p);
    if (id) idToPatch.set(id, p);
  }
  const add = (patch: string, t: AppliedTrailer) => {
    const list = perPatch.get(patch)!;
    if (!list.some((x) => trailerKey(x) === trailerKey(t))) list.push(t);
  };
  for (const m of messages) {
    if (!m.isReply || !m.trailers.length) continue;
    // the message it answers: In-Reply-To, else the nearest of its References we have (b4 takes the
    // oldest, which sends an answer to patch 26/58 without In-Reply-To to the cover letter)
    let parent: TrailerMessage | undefined;
    if (m.inReplyTo) parent = byId.get(m.inReplyTo);
    else
      for (let k = m.references.length - 1; k >= 0; k--) {
        const r = m.references[k];
        if (r !== m.msgid && byId.has(r)) {
          parent = byId.get(r);
          break;
        }
      }
    if (!parent) continue;
    const given: AppliedTrailer[] = [];
    for (const t of m.trailers) {
      // (a tag offered for a separate fix is not given to the patch answered)
      if (t.offered) continue;
      const a: AppliedTrailer = { ...t, msgid: m.msgid, via: "reply" };
      if (t.mismatch) mismatches.push(a);
      else given.push(a);
    }
    const seen = new Set<string>([m.msgid]);
    while (parent && !seen.has(parent.msgid)) {
      seen.add(parent.msgid);
      if (parent.hasDiff && !parent.isReply) {
        if (patchSet.has(parent.msgid)) for (const t of given) add(parent.msgid, t);
        else {
          const id = lookUp(opts.patchIds, parent.msgid);
          const target = id ? idToPatch.get(id) : undefined;
          const from = lookUp(opts.versionOf, parent.msgid);
          const to = target ? lookUp(opts.versionOf, target) : undefined;
          const forward = from == null || to == null || from < to;
          if (target && forward) for (const t of given) add(target, { ...t, via: "patch-id" });
        }
        break;
      }
      if (!parent.isReply) {
        if (opts.cover && parent.msgid === opts.cover) for (const p of opts.patches) for (const t of given) add(p, { ...t, via: "cover" });
        break;
      }
      parent = parent.inReplyTo ? byId.get(parent.inReplyTo) : undefined;
    }
  }
  return { perPatch, mismatches };
}
