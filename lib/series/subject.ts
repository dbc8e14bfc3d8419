// Patch subject parsing: "[PATCH net-next v5 07/22] mm/gup: fix foo" -> structured facts.
//
// Follows what b4 (LoreSubject) and patchwork (parse_series_marker, clean_subject, split_prefixes)
// do, and goes past both where they are known to fail:
//   * prefix tokens are split on blanks AND commas/semicolons ("[net,v2,1/2]", "[PATCH v6,19/24]":
//     b4 0.12 reads the latter as an unnumbered patch, its issue #31);
//   * "[PATCHv3]", "[RFCv2]" are split into PATCH + v3;
//   * nested brackets ("[PATCH [net] 1/2]") are flattened, several bracket groups
//     ("[RFC][PATCH 1/2]") are all read;
//   * counters "07/22", "0.5/5" (fractional index for an inserted patch), Mercurial "3 of 5",
//     and a bare "PATCH 3 of 5: foo" / "PATCH v2 1/3 foo" without brackets;
//   * versions "v5" and partial rerolls "v5.1" (version 5, revision "5.1");
//   * reply and forward markers, with a depth ("Re: Re:", "Re[2]:", "AW:", "Fwd:", "Sv: [PATCH");
//   * mailing-list tags ("[linux-mm]", "[Qemu-devel]") are kept apart from the prefixes;
//   * the subsystem ("mm", "mm/gup", "dt-bindings: mmc", "PM / OPP") in front of the summary.
// Pure and total: any string in, a SubjectInfo out.

export interface SubjectCounter {
  /** patch number; 0 for a cover letter, may be fractional (0.5 = a patch inserted before 1) */
  index: number;
  /** N of "n/N" */
  total: number;
}

export interface SubjectInfo {
  /** the subject as given, unfolded (whitespace runs collapsed) */
  original: string;
  /** starts with a reply marker (Re:, RE:, Aw:, Sv:, Re[2]:, ...) */
  isReply: boolean;
  /** how many reply levels the markers say (Re: Re: = 2, Re[3]: = 3); 0 when not a reply */
  replyDepth: number;
  /** starts with (or contains, among the leading markers) a forward marker (Fwd:, Fw:, WG:) */
  isForward: boolean;
  /** mailing-list tags in front of the subject ("linux-mm", "Qemu-devel"), without brackets */
  listTags: string[];
  /** every prefix token in order as written, "PATCHv3" split: ["RFC","PATCH","net-next","v2","1/3"] */
  prefixes: string[];
  /** prefix tokens that are not PATCH/RFC/RESEND/PULL/version/counter: tree names etc. ("net-next") */
  extraPrefixes: string[];
  /** integer version (v5.1 -> 5); 1 when the subject has none */
  version: number;
  /** true when the subject carries an explicit version token */
  versionExplicit: boolean;
  /** the version as written without the "v": "5.1" for partial rerolls, "5" for v5, "1" by default */
  revision: string;
  /** "n/N" or "n of N"; null when the subject has none */
  counter: SubjectCounter | null;
  isRfc: boolean;
  isResend: boolean;
  /** has a PATCH prefix token (PATCH, PATCHv2, PATCHES) */
  isPatch: boolean;
  /** has a PULL prefix token ("[GIT PULL]", "[PULL 00/28]") */
  isPull: boolean;
  /** counter index 0: a numbered cover letter */
  isCoverSubject: boolean;
  /** the area before the summary ("mm/gup", "dt-bindings: mmc"), null when none */
  subsystem: string | null;
  /** the subject without reply markers, list tags and prefixes (b4's "subject"); includes the subsystem */
  title: string;
  /** title without the subsystem */
  summary: string;
  /** key to match one series across versions: title lower-cased, whitespace collapsed, trailing "(v3)"/"(resend)" dropped */
  key: string;
}

// ---------------------------------------------------------------------------------------------
// reply / forward markers

const REPLY_WORDS = ["re", "aw", "sv", "antw", "odp", "vs", "ynt", "回复", "答复", "回覆", "答覆"];
const FORWARD_WORDS = ["fwd", "fw", "wg", "tr", "rv", "转发", "轉寄", "轉發"];
const REPLY_SET = new Set(REPLY_WORDS);
// "vs:", "tr:", "rv:", "ynt:" are also plausible subsystem names: only taken as markers when a
// bracket or another marker follows (see matchMarker)
const WEAK_WORDS = new Set(["vs", "tr", "rv", "ynt"]);

const MARKER_RE = new RegExp(
  "^(" +
    [...REPLY_WORDS, ...FORWARD_WORDS].sort((a, b) => b.length - a.length).join("|") +
    ")(?:\\s*(?:\\[(\\d+)\\]|\\((\\d+)\\)|\\^(\\d+)))?[ \\t]*[:：]\\s*",
  "i",
);

// b4: "any 2-3 letter word followed by a colon and a bracket" is a localized reply marker
const SHORT_MARKER_RE = /^([A-Za-z]{2,3})[ \t]*:\s*(?=\[)/;

interface Marker {
  length: number;
  reply: number;
  forward: boolean;
}

function matchMarker(s: string): Marker | null {
  const m = MARKER_RE.exec(s);
  if (m) {
    const word = m[1].toLowerCase();
    const rest = s.slice(m[0].length);
    if (WEAK_WORDS.has(word) && !/^(\[|re\b|aw\b|fwd?\b)/i.test(rest)) return null;
    const count = Number(m[2] ?? m[3] ?? m[4] ?? "1") || 1;
    if (REPLY_SET.has(word)) return { length: m[0].length, reply: Math.max(1, count), forward: false };
    return { length: m[0].length, reply: 0, forward: true };
  }
  const s2 = SHORT_MARKER_RE.exec(s);
  if (s2) return { length: s2[0].length, reply: 1, forward: false };
  return null;
}

// ---------------------------------------------------------------------------------------------
// bracket groups

/** Length of a balanced leading "[...]" group (nested brackets allowed), 0 when there is none. */
function bracketGroupLength(s: string): number {
  if (s.charCodeAt(0) !== 0x5b) return 0;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5b) depth++;
    else if (c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  // unbalanced "[PATCH 1/2 foo": take up to the first "]" if there is one, else nothing
  const close = s.indexOf("]");
  return close > 0 ? close + 1 : 0;
}

const KEYWORD_RE = /^(?:patch\w*|rfc\w*|resen[dt]\w*|pull|git|v\d+(?:\.\d+)?|\d+(?:\.\d+)?\/\d+|\d+)$/i;
// tags that mail gateways put in front of subjects ("[EXT]", "[EXTERNAL]"): like list tags, not prefixes
const GATEWAY_TAG_RE = /^(?:ext|external|extern|spam|suspected spam|caution)$/i;
const LIST_TAG_RE = /^(?:linux-[\w.-]+|[\w.-]+-(?:devel|dev|discuss|users|list|announce|kernel|bugs|patches|gfx|lan)|edk2[\w.-]*|intel-[\w.-]+|dri-devel|amd-gfx|nouveau|lttng-dev|openembedded-[\w.-]+|yocto[\w.-]*|buildroot|u-boot|b\.a\.t\.m\.a\.n|ath\d+k|mptcp|spdk|xen-devel)$/i;

function isListTag(inner: string): boolean {
  const tokens = inner.trim().split(/\s+/);
  if (tokens.length !== 1 || tokens[0] === "") return false;
  const t = tokens[0];
  if (KEYWORD_RE.test(t)) return false;
  return LIST_TAG_RE.test(t) || GATEWAY_TAG_RE.test(t);
}

/** Splits one bracket group's inside into tokens: blanks, commas and semicolons separate; inner brackets are flattened. */
function tokensOf(inner: string): string[] {
  const flat = inner.replace(/[[\]]/g, " ");
  const out: string[] = [];
  for (const raw of flat.split(/[\s,;]+/)) {
    // quotes and angle brackets some mailers or people put around tokens: [<PATCH v1> 1/9], [“PATCH” 0/3]
    const t = raw.replace(/^[:<>"“”'‘’()]+|[:<>"“”'‘’()]+$/g, "");
    if (!t) continue;
    // "PATCHv3", "RFCv2", "PATCH-v3" -> PATCH, v3
    const glued = /^(patch|rfc|resend)[-_]?(v\d+(?:\.\d+)?)$/i.exec(t);
    if (glued) {
      out.push(glued[1], glued[2]);
      continue;
    }
    out.push(t);
  }
  return out;
}

// bare (bracketless) prefix: "PATCH 3 of 5: foo", "PATCH v2 1/3 foo", "RFC PATCH: foo"
const BARE_TOKEN = "(?:RFC|PATCH|RESEND|[vV]\\d+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?\\/\\d+|\\d+ of \\d+)";
const BARE_RE = new RegExp(`^((?:RFC[ ,]+)?PATCH(?:[ ,]+${BARE_TOKEN})*)\\s*(?:[:\\-]\\s*|\\s+)(?=\\S)`);

// ---------------------------------------------------------------------------------------------
// token interpretation

interface PrefixFacts {
  prefixes: string[];
  extra: string[];
  version: number;
  versionExplicit: boolean;
  revision: string;
  counter: SubjectCounter | null;
  rfc: boolean;
  resend: boolean;
  patch: boolean;
  pull: boolean;
}

function interpret(tokens: string[]): PrefixFacts {
  const f: PrefixFacts = {
    prefixes: [],
    extra: [],
    version: 1,
    versionExplicit: false,
    revision: "1",
    counter: null,
    rfc: false,
    resend: false,
    patch: false,
    pull: false,
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // Mercurial "3 of 5"
    if (/^\d+$/.test(t) && tokens[i + 1]?.toLowerCase() === "of" && /^\d+$/.test(tokens[i + 2] ?? "")) {
      const text = `${t} of ${tokens[i + 2]}`;
      if (!f.counter) f.counter = { index: Number(t), total: Number(tokens[i + 2]) };
      f.prefixes.push(text);
      i += 2;
      continue;
    }
    f.prefixes.push(t);
    let m: RegExpExecArray | null;
    if ((m = /^#?(\d+(?:\.\d+)?)\/(\d+)$/.exec(t))) {
      if (!f.counter) f.counter = { index: Number(m[1]), total: Number(m[2]) };
    } else if ((m = /^v(\d+)(?:\.(\d+))?$/i.exec(t))) {
      if (!f.versionExplicit) {
        f.version = Number(m[1]);
        f.revision = m[2] !== undefined ? `${m[1]}.${m[2]}` : m[1];
        f.versionExplicit = true;
      }
    } else if (/^rfc/i.test(t)) {
      f.rfc = true;
    } else if (/^resen[dt]/i.test(t)) {
      f.resend = true;
    } else if (/^patch/i.test(t)) {
      f.patch = true;
    } else if (/^pull$/i.test(t)) {
      f.pull = true;
    } else if (/^git$/i.test(t) && /^pull$/i.test(tokens[i + 1] ?? "")) {
      // "GIT PULL": the GIT is part of the PULL keyword
    } else {
      f.extra.push(t);
    }
  }
  return f;
}

// ---------------------------------------------------------------------------------------------
// subsystem

// one "area" segment: no blanks except around a slash ("PM / OPP"), no sentence punctuation
const SUBSYS_SEG_RE = /^([A-Za-z0-9_][\w.+\-/,*{}]*(?: \/ [\w.+\-/,*{}]+)*):\s+(?=\S)/;

function splitSubsystem(title: string): { subsystem: string | null; summary: string } {
  const parts: string[] = [];
  let rest = title;
  for (let guard = 0; guard < 8; guard++) {
    const m = SUBSYS_SEG_RE.exec(rest);
    if (!m || m[1].length > 64) break;
    // "http://..." or a time "10:30" is not an area
    if (/^\d+$/.test(m[1])) break;
    parts.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  if (parts.length === 0) return { subsystem: null, summary: title };
  return { subsystem: parts.join(": "), summary: rest };
}

/** The matching key for a title: lower-cased, whitespace collapsed, trailing version/resend notes and dots dropped. */
export function titleKey(title: string): string {
  // "mmc:sdhci:Fix" and "mmc: sdhci: Fix" are one title
  let k = title.replace(/\s+/g, " ").replace(/\s*:\s*/g, ": ").trim().toLowerCase();
  for (let guard = 0; guard < 4; guard++) {
    const before = k;
    k = k
      .replace(/\s*[([](?:v\d+(?:\.\d+)?|resend|rfc|(?:second|third|2nd|3rd) try|repost)[)\]]$/i, "")
      .replace(/\s*\.+$/, "")
      .trim();
    if (k === before) break;
  }
  return k;
}

// ---------------------------------------------------------------------------------------------

export function parseSubject(subject: string): SubjectInfo {
  const original = (subject ?? "").replace(/\s+/g, " ").trim();
  let s = original;
  let replyDepth = 0;
  let isForward = false;
  const listTags: string[] = [];
  const tokens: string[] = [];

  for (let guard = 0; guard < 200 && s.length > 0; guard++) {
    // markers only in front of the prefixes: "[PATCH] Re: foo" is a patch about "Re: foo"
    const mk = tokens.length === 0 ? matchMarker(s) : null;
    if (mk) {
      replyDepth += mk.reply;
      if (mk.forward) isForward = true;
      s = s.slice(mk.length);
      continue;
    }
    const n = bracketGroupLength(s);
    if (n > 0) {
      const inner = s.slice(1, n - 1);
      const after = s.slice(n).replace(/^\s+/, "");
      // a tag in front of a reply marker is always a list tag ("[Intel-gfx] Re: [PATCH]")
      const innerTokens = tokensOf(inner);
      const tagBeforeMarker = tokens.length === 0 && innerTokens.length === 1 && !KEYWORD_RE.test(innerTokens[0]) && matchMarker(after) !== null;
      if (isListTag(inner) || tagBeforeMarker) {
        listTags.push(inner.trim());
      } else {
        tokens.push(...innerTokens);
      }
      // "[Patch 2/2]: powerpc/..." -> drop the stray separator
      s = after.replace(/^[:]\s*/, "");
      continue;
    }
    break;
  }

  if (tokens.length === 0) {
    const bare = BARE_RE.exec(s);
    if (bare) {
      tokens.push(...tokensOf(bare[1]));
      s = s.slice(bare[0].length);
    }
  }

  const f = interpret(tokens);
  const title = s.trim();
  const { subsystem, summary } = splitSubsystem(title);
  return {
    original,
    isReply: replyDepth > 0,
    replyDepth,
    isForward,
    listTags,
    prefixes: f.prefixes,
    extraPrefixes: f.extra,
    version: f.version,
    versionExplicit: f.versionExplicit,
    revision: f.revision,
    counter: f.counter,
    isRfc: f.rfc,
    isResend: f.resend,
    isPatch: f.patch,
    isPull: f.pull,
    isCoverSubject: f.counter !== null && f.counter.index === 0,
    subsystem,
    title,
    summary,
    key: titleKey(title),
  };
}

/** Compares two revision strings ("5" < "5.1" < "6"); negative when a < b. */
export function compareRevision(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x - y;
  }
  return 0;
}
