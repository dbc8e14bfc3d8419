// Facts about series and versions that live in a message body: b4's "change-id:" and
// "base-commit:" lines, patchew's "Supersedes:" / "Obsoleted-by:" / "Based-on:" lines, Message-IDs
// and lore links, and changelog sections ("Changes since v2", "v2 -> v3", "Changes in v3:").
// Pure string work; the ingester runs it per message and hands the result to groupSeries() as
// plain fields of SeriesInput. Message-IDs and lore links are found by lib/mail/references.
import { cleanMessageId, messageIdsInLine } from "../mail/references";

import { startsDiff } from "../patch/diff";

export interface BodyFacts {
  /** b4 "change-id: 20221025-widget-abc123" (cover letter footer) */
  changeId: string | null;
  /** "base-commit: <sha>" */
  baseCommit: string | null;
  /** every Message-ID found in the body: "<id@host>" tokens and lore / msgid.link URLs, in order, unique */
  bodyRefs: string[];
  /** Message-IDs named on "Supersedes:" lines (patchew) */
  supersedes: string[];
  /** Message-IDs named on "Obsoleted-by:" / "Obsoleted by:" lines */
  obsoletedBy: string[];
  /** dependencies, not earlier versions: "Based-on:", "prerequisite-message-id:", "Depends-on:" */
  basedOn: string[];
  /** Message-IDs that the changelog calls an earlier version ("v1: https://lore...", "Link to v2: ...") */
  previousVersionRefs: string[];
  /** versions named by changelog headings ("Changes since v2" -> [2], "v2 -> v3" -> [2, 3]) */
  changelogVersions: number[];
  /** a changelog section was found */
  hasChangelog: boolean;
}

const CHANGELOG_HEAD_RES: RegExp[] = [
  // "Changes since v2:", "Changes from v1 to v2", "Changes in v3:", "Changes v2 -> v3", "Changelog v3:"
  /^\s*(?:[-*#]+\s*)?(?:changes?|changelog|change log|updates?|revisions?|differences?)\b[^\n]{0,40}?\bv(\d+)\b(?:[^\n]{0,20}?\bv(\d+)\b)?/i,
  // "v2 -> v3:", "v1->v2:", "v3 => v4", "v2..v3", "From v2 to v3"
  /^\s*(?:[-*#]+\s*)?(?:from\s+)?v(\d+)\s*(?:->|=>|→|\.\.|to)\s*v(\d+)\b/i,
  // "v3:", "V3:", "v3 changes:", "[v3]", "v3 -", "Since v2:"
  /^\s*(?:[-*#]+\s*)?\[?v(\d+)\]?\s*(?:changes?|changelog)?\s*[:\-](?:\s|$)/i,
  /^\s*(?:[-*#]+\s*)?since\s+v(\d+)\s*:/i,
];

// "v1: https://lore...", "Link to v2: https://...", "v2 is at <...>", "previous version: <...>", "[v1] https://..."
const PREV_VERSION_LINE_RE = /\b(?:v\d+|version\s*\d+|previous(?:\s+(?:version|revision|posting|iteration|series))?|prev(?:ious)?|earlier version|last version|link to v\d+|(?:rfc\s+)?v\d+\s+(?:is\s+)?(?:at|here|link))\b/i;

export function extractBodyFacts(text: string): BodyFacts {
  const facts: BodyFacts = {
    changeId: null,
    baseCommit: null,
    bodyRefs: [],
    supersedes: [],
    obsoletedBy: [],
    basedOn: [],
    previousVersionRefs: [],
    changelogVersions: [],
    hasChangelog: false,
  };
  const seen = new Set<string>();
  const versions = new Set<number>();
  const lines = (text ?? "").split(/\r?\n/);
  let inDiff = false;
  for (const raw of lines) {
    // stop reading at the diff: ids and changelog words inside code are not facts about the series
    if (startsDiff(raw)) inDiff = true;
    if (inDiff) continue;
    if (/^>/.test(raw)) continue; // quoted text belongs to the message being quoted
    const line = raw;
    let m: RegExpExecArray | null;
    if (!facts.changeId && (m = /^change-id:\s*(\S+)/i.exec(line))) facts.changeId = m[1];
    if (!facts.baseCommit && (m = /^base-commit:\s*(?:[\w/.-]+\s+)?([0-9a-f]{7,64})\b/i.exec(line))) facts.baseCommit = m[1];
    const refs = messageIdsInLine(line);
    // "Based-on: 20160628014747.20971-1-famz@redhat.com" (patchew accepts ids without brackets)
    if (refs.length === 0 && /^\s*(?:supersedes|obsoleted[- ]by|based-on|prerequisite-message-id|depends-on)\s*:/i.test(line)) {
      for (const tok of line.replace(/^[^:]*:/, "").split(/[\s,]+/)) {
        const id = tok ? cleanMessageId(tok) : null;
        if (id) refs.push(id);
      }
    }
    for (const r of refs) {
      if (!seen.has(r)) {
        seen.add(r);
        facts.bodyRefs.push(r);
      }
    }
    if (/^\s*supersedes\s*:/i.test(line)) facts.supersedes.push(...refs);
    else if (/^\s*obsoleted[- ]by\s*:/i.test(line)) facts.obsoletedBy.push(...refs);
    else if (/^\s*(?:based-on|prerequisite-message-id|depends-on)\s*:/i.test(line) || /\b(?:depends on|based on top of|applies on top of|prerequisite)\b/i.test(line)) facts.basedOn.push(...refs);
    else if (refs.length > 0 && PREV_VERSION_LINE_RE.test(line)) facts.previousVersionRefs.push(...refs);
    for (const re of CHANGELOG_HEAD_RES) {
      const h = re.exec(line);
      if (h) {
        facts.hasChangelog = true;
        for (const g of [h[1], h[2]]) if (g !== undefined) versions.add(Number(g));
        break;
      }
    }
  }
  facts.changelogVersions = [...versions].filter((v) => Number.isFinite(v) && v > 0 && v < 1000).sort((a, b) => a - b);
  facts.supersedes = [...new Set(facts.supersedes)];
  facts.obsoletedBy = [...new Set(facts.obsoletedBy)];
  facts.basedOn = [...new Set(facts.basedOn)];
  facts.previousVersionRefs = [...new Set(facts.previousVersionRefs)];
  return facts;
}
