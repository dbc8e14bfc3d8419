// Explicit references in a message body, classified by how they are written: a `Link:` /
// `Closes:` trailer, a footnote ("[1] https://lore.kernel.org/..."), or a Message-ID / lore link
// in the prose; and `Fixes:` trailers (commit id + subject). Pure; the Message-IDs themselves are
// found by lib/mail/references (messageIdsInLine: the rule behind message.facts.bodyRefs).
import { startsDiff } from "../patch/diff";
import { messageIdsInLine } from "../mail/references";

export type RefMethod = "link-trailer" | "footnote" | "body-ref";

export interface ClassifiedRef {
  msgid: string;
  method: RefMethod;
  /** the trailer key for link-trailer (Link, Closes, BugLink ...) */
  trailer: string | null;
  /** 1-based line of the body, and the line as written (provenance) */
  line: number;
  text: string;
}

const TRAILER_RE = /^\s*(Link|Closes|BugLink|Bug-Link|Reported-at|References|Discussion)\s*:/i;
const FOOTNOTE_RE = /^\s*\[\d{1,3}\]/;

/**
 * The references of a body with how each is written. Only the author's own lines before the diff
 * count (quoted lines are the quoted message's references), as in extractBodyFacts.
 */
export function classifyRefs(body: string): ClassifiedRef[] {
  const out: ClassifiedRef[] = [];
  const seen = new Set<string>();
  const lines = (body ?? "").replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (startsDiff(line)) break;
    if (/^>/.test(line)) continue;
    const refs = messageIdsInLine(line);
    if (!refs.length) continue;
    const t = TRAILER_RE.exec(line);
    const method: RefMethod = t ? "link-trailer" : FOOTNOTE_RE.test(line) ? "footnote" : "body-ref";
    for (const msgid of refs) {
      if (seen.has(msgid)) continue;
      seen.add(msgid);
      out.push({ msgid, method, trailer: t ? canonicalTrailer(t[1]) : null, line: i + 1, text: line.trim().slice(0, 300) });
    }
  }
  return out;
}

function canonicalTrailer(k: string): string {
  return k.split("-").map((p) => p.charAt(0).toUpperCase() + p.slice(1).toLowerCase()).join("-");
}

export interface FixesTrailer {
  /** the commit id as written (abbreviated) */
  commit: string;
  /** the commit's subject from ("...") when given */
  subject: string | null;
  line: number;
  text: string;
}

/** `Fixes: <sha> ("subject")` lines of a commit message. */
export function fixesTrailers(text: string): FixesTrailer[] {
  const out: FixesTrailer[] = [];
  const lines = (text ?? "").replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*Fixes:\s*(?:commit\s+)?([0-9a-f]{7,40})\b\s*(?:\(\s*"(.*)"\s*\)|\(\s*(.*?)\s*\))?/i.exec(lines[i]);
    if (!m) continue;
    out.push({ commit: m[1].toLowerCase(), subject: (m[2] ?? m[3] ?? "").trim() || null, line: i + 1, text: lines[i].trim() });
  }
  return out;
}

/** A subject as it is compared with patch titles: prefixes and case do not matter. */
export function normalizeTitle(s: string): string {
  return s
    .replace(/^\s*(?:\[[^\]]*\]\s*)+/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}
