// Subject normalisation for threading and reply detection.
//
// Kernel mail subjects look like
//   "[PATCH v5 07/22] mmc: sdhci: fix foo"
//   "Re: [PATCH v5 07/22] mmc: sdhci: fix foo"
//   "AW: RE: [RFC PATCH net-next v2 1/3] net: bar"
//   "[linux-mm] Re: something"
// Only a conservative set of reply/forward markers is recognised: kernel subjects commonly start
// with a short "subsystem:" prefix, so generic "any short word followed by a colon" rules (as some
// mail clients use) would eat real subject text ("tr:", "vs:", "res:" could all be subsystems).

/** Reply markers (lower-case): English + common localised forms used by Outlook and friends. */
const REPLY_WORDS = ["re", "aw", "sv", "antw", "odp", "回复", "答复", "回覆", "答覆"];
/** Forward markers (lower-case). */
const FORWARD_WORDS = ["fwd", "fw", "wg", "转发", "轉寄", "轉發"];

const REPLY_SET = new Set(REPLY_WORDS);
const FORWARD_SET = new Set(FORWARD_WORDS);

// A marker: word, optional counter ("Re[2]:", "Re(2):", "Re^2:"), optional blanks, ":" or the
// full-width "：" used by CJK clients, then any whitespace.
const MARKER_RE = new RegExp(
  "^(" +
    [...REPLY_WORDS, ...FORWARD_WORDS].sort((a, b) => b.length - a.length).join("|") +
    ")(?:\\s*(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+))?[ \\t]*[:：]\\s*",
  "i",
);

// Bracket contents that mark a patch/series tag rather than a mailing-list tag.
const PATCH_TAG_RE = /\b(?:patch|rfc|resend|pull|git|net-next|net|bpf|for-next|v\d+|\d+\/\d+)\b/i;

/** Length of a balanced leading "[...]" group (nested brackets allowed), or 0 when there is none. */
function bracketGroupLength(s: string): number {
  if (s.charCodeAt(0) !== 0x5b /* [ */) return 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d /* ] */) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return 0; // unbalanced: not a tag
}

interface MarkerMatch {
  length: number;
  reply: boolean;
}

function matchMarker(s: string): MarkerMatch | null {
  const m = MARKER_RE.exec(s);
  if (!m) return null;
  const word = m[1].toLowerCase();
  return { length: m[0].length, reply: REPLY_SET.has(word) && !FORWARD_SET.has(word) };
}

/** A list tag like "[linux-mm]": a bracket group that does not look like a patch tag. */
function listTagLength(s: string): number {
  const n = bracketGroupLength(s);
  if (n === 0) return 0;
  const inner = s.slice(1, n - 1);
  if (PATCH_TAG_RE.test(inner)) return 0;
  return n;
}

interface StripResult {
  rest: string;
  reply: boolean;
}

function stripLeading(subject: string): StripResult {
  let s = subject.replace(/^\s+/, "");
  let reply = false;
  for (let guard = 0; guard < 1000; guard++) {
    const m = matchMarker(s);
    if (m) {
      if (m.reply) reply = true;
      s = s.slice(m.length);
      continue;
    }
    // "[list-tag] Re: ..." : drop the list tag only when a reply/forward marker follows it
    const tag = listTagLength(s);
    if (tag > 0) {
      const after = s.slice(tag).replace(/^\s+/, "");
      if (matchMarker(after)) {
        s = after;
        continue;
      }
    }
    break;
  }
  return { rest: s, reply };
}

/**
 * Removes leading reply/forward markers ("Re:", "RE:", "Aw:", "Sv:", "Fwd:", "Fw:", "Re[2]:",
 * "Re: Re:" chains...) and list tags such as "[linux-mm]" when they are followed by a marker.
 * Patch tags ("[PATCH v2 1/3]") are kept. Inner whitespace is left alone.
 */
export function stripReplyPrefixes(subject: string): string {
  return stripLeading(subject ?? "").rest;
}

/** True when the subject starts (after optional list tags) with a reply marker such as "Re:" or "AW:". */
export function isReplySubject(subject: string): boolean {
  return stripLeading(subject ?? "").reply;
}

/**
 * The key used for subject-only threading: reply/forward markers and ALL leading bracket groups
 * ("[PATCH v5 07/22]", "[RFC PATCH]", "[PATCH net-next v2 1/3]", nested brackets) removed,
 * whitespace collapsed, lower-cased. Empty when nothing is left (e.g. the subject was only tags):
 * callers should not group messages by an empty key.
 */
export function threadSubjectKey(subject: string): string {
  let s = (subject ?? "").replace(/^\s+/, "");
  for (let guard = 0; guard < 1000; guard++) {
    const m = matchMarker(s);
    if (m) {
      s = s.slice(m.length);
      continue;
    }
    const n = bracketGroupLength(s);
    if (n > 0) {
      s = s.slice(n).replace(/^\s+/, "");
      continue;
    }
    break;
  }
  return s.replace(/\s+/g, " ").trim().toLowerCase();
}

/** Subject as stored: unfolded, whitespace runs collapsed to one space, trimmed. */
export function normalizeSubject(subject: string): string {
  return (subject ?? "").replace(/\s+/g, " ").trim();
}
