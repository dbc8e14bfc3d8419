// Version lines: which postings (SeriesGroup) are versions of one another, v1 -> vN.
//
// Evidence, strongest first (each link keeps its method and a confidence):
//   change-id          same b4 "change-id:"                                              1.0
//   supersedes         patchew "Supersedes: <old>" / "Obsoleted-by: <new>" naming a message  0.95
//   partial-reroll     the later posting completes the earlier one (see group.ts)         0.95
//   reference          the cover/changelog links an earlier version's message ("v1: https://lore...") 0.9
//   reply-to-previous  the new version was sent in reply to the old one (same sender)     0.9
//   changelog          "Changes since v2" / "v2 -> v3" + same sender + same title       0.8
//                      (0.7 when the title changed but stays alike and the changelog names
//                      the earlier version)
//   title              same sender, same normalized title, within 365 days, versions in date
//                      order, plus diff similarity (shared files / patch-ids)           0.5 - 0.7
// Guards: title-only evidence never links postings more than `titleWindowDays` apart, never links a
// "newer" version dated before the older one (b4 issue #58: an old, unrelated "v2" taken as the
// successor of a new v1), never links two postings of the same version unless one is a RESEND or
// they carry the same patches, and never links postings whose diffs touch disjoint files. Separate
// patches of one posting are never candidates (they are one SeriesGroup; b4 issue #31).
// A line is a chain: each posting has at most one predecessor and one successor.

import type { SeriesGroup } from "./group";
import { compareRevision } from "./subject";

export type LinkMethod = "change-id" | "supersedes" | "partial-reroll" | "reference" | "reply-to-previous" | "changelog" | "title";
/** new-version: a higher revision; resend: same revision marked RESEND; repost: same revision, same patches, unmarked; partial-reroll: completes the earlier posting */
export type LinkKind = "new-version" | "resend" | "repost" | "partial-reroll";

export interface VersionLink {
  /** the earlier posting (series id) */
  from: string;
  /** the later posting */
  to: string;
  method: LinkMethod;
  confidence: number;
  kind: LinkKind;
  /** human-readable: what matched */
  evidence: string;
}

export interface VersionLine {
  /** id of the first posting of the line */
  id: string;
  /** series ids in order: RFCs sent first, then by revision; resends right after what they resend */
  series: string[];
  /** revision of each entry of `series` ("1", "2", "5.1") */
  revisions: string[];
  links: VersionLink[];
  /** integer versions between the first and the last that no posting of the line carries */
  missingVersions: number[];
  author: string;
  titleKey: string;
}

/** What linkVersions reads: a SeriesGroup, or the same fields rebuilt from the database. */
export type LinkableSeries = Pick<
  SeriesGroup,
  "id" | "version" | "revision" | "isRfc" | "isResend" | "author" | "date" | "title" | "titleKey" | "changeId" | "partialOf" | "facts"
> & {
  /** person key (all addresses of one person share it); defaults to `author` */
  authorKey?: string | null;
};

function personOf(s: LinkableSeries): string {
  return (s.authorKey || s.author || "").trim().toLowerCase();
}

export interface LinkOptions {
  /** title-only and changelog links: at most this many days between the postings (default 365) */
  titleWindowDays?: number;
  /** dates may disagree by this much (clock skew) before a "later" version counts as earlier (default 2 days) */
  dateSkewMs?: number;
  /** links below this confidence are not made (default 0.5) */
  minConfidence?: number;
}

const DAY = 86_400_000;

function t(s: LinkableSeries): number {
  const v = s.date ? Date.parse(s.date) : NaN;
  return Number.isFinite(v) ? v : NaN;
}

function intersects(a: Iterable<string>, b: Set<string>): string | null {
  for (const x of a) if (b.has(x)) return x;
  return null;
}

/** A changelog names version v when it has "vN" for v itself or for the version after it ("v2:" = changes since v1). */
function namesVersion(changelog: number[], v: number): boolean {
  return changelog.includes(v) || changelog.includes(v + 1);
}

/** Jaccard similarity of the word sets of two titles (lower-cased, words of 2+ characters); the changelog link's 0.5 is tuned on it. */
export function titleWordJaccard(a: string, b: string): number {
  const words = (x: string) => new Set(x.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length >= 2));
  return jaccard([...words(a)], [...words(b)]);
}

const idSets = new WeakMap<LinkableSeries, Set<string>>();
/** the Message-IDs of a posting, as a set (memoized per object) */
function idSet(s: LinkableSeries): Set<string> {
  let v = idSets.get(s);
  if (!v) {
    v = new Set(s.facts.msgids.length ? s.facts.msgids : [s.id]);
    idSets.set(s, v);
  }
  return v;
}

function jaccard(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** Total order used for lines: RFC postings sent before the first non-RFC one come first, then by revision, non-resend before resend, then date. */
function orderSeries(series: LinkableSeries[]): LinkableSeries[] {
  const firstNonRfc = new Map<string, number>();
  for (const s of series) {
    if (s.isRfc) continue;
    const k = `${personOf(s)}\u0000${s.titleKey}`;
    const v = t(s);
    if (!Number.isNaN(v)) firstNonRfc.set(k, Math.min(firstNonRfc.get(k) ?? Infinity, v));
  }
  const phase = (s: LinkableSeries): number => {
    if (!s.isRfc) return 1;
    const f = firstNonRfc.get(`${personOf(s)}\u0000${s.titleKey}`);
    const v = t(s);
    if (f === undefined || Number.isNaN(v)) return 0;
    return v <= f ? 0 : 1;
  };
  return [...series].sort((a, b) => {
    const pa = phase(a);
    const pb = phase(b);
    if (pa !== pb) return pa - pb;
    const r = compareRevision(a.revision, b.revision);
    if (r !== 0) return r;
    if (a.isResend !== b.isResend) return a.isResend ? 1 : -1;
    const ta = t(a);
    const tb = t(b);
    if (ta !== tb && !(Number.isNaN(ta) && Number.isNaN(tb))) {
      if (Number.isNaN(ta)) return 1;
      if (Number.isNaN(tb)) return -1;
      return ta - tb;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

function kindOf(a: LinkableSeries, b: LinkableSeries): LinkKind {
  if (b.partialOf === a.id) return "partial-reroll";
  const r = compareRevision(b.revision, a.revision);
  if (r > 0 || (a.isRfc && !b.isRfc)) return "new-version";
  return b.isResend ? "resend" : "repost";
}

/**
 * The best evidence that `b` is a later version (or resend) of `a`, or null. `a` precedes `b` in
 * line order (see orderSeries); both are postings of the input.
 */
export function compareVersions(a: LinkableSeries, b: LinkableSeries, options: LinkOptions = {}): VersionLink | null {
  const windowMs = (options.titleWindowDays ?? 365) * DAY;
  const skew = options.dateSkewMs ?? 2 * DAY;
  if (a.id === b.id) return null;
  const aIds = idSet(a);
  const bIds = idSet(b);
  if (intersects(aIds, bIds)) return null; // one posting seen twice, not two versions
  const rev = compareRevision(b.revision, a.revision);
  const ta = t(a);
  const tb = t(b);
  const dt = tb - ta; // NaN when unknown
  const sameAuthor = personOf(a) === personOf(b);
  const sameTitle = a.titleKey !== "" && a.titleKey === b.titleKey;
  const link = (method: LinkMethod, confidence: number, evidence: string): VersionLink => ({
    from: a.id,
    to: b.id,
    method,
    confidence,
    kind: kindOf(a, b),
    evidence,
  });
  const laterOrSame = rev > 0 || (a.isRfc && !b.isRfc) || b.isResend || b.partialOf === a.id;

  // 1. change-id
  if (a.changeId && b.changeId && a.changeId === b.changeId) return link("change-id", 1.0, `change-id ${a.changeId}`);

  // 2. Supersedes / Obsoleted-by
  const sup = intersects(b.facts.supersedes, aIds);
  if (sup) return link("supersedes", 0.95, `Supersedes: <${sup}>`);
  const obs = intersects(a.facts.obsoletedBy, bIds);
  if (obs) return link("supersedes", 0.95, `Obsoleted-by: <${obs}>`);

  // 3. partial reroll found while grouping
  if (b.partialOf === a.id) return link("partial-reroll", 0.95, `completes ${a.id}`);

  const basedOn = new Set(b.facts.basedOn);
  // 4. explicit reference in the body (cover letter / changelog)
  const prevRef = intersects(b.facts.previousVersionRefs.filter((x) => !basedOn.has(x)), aIds);
  if (prevRef && (rev >= 0 || (a.isRfc && !b.isRfc))) return link("reference", 0.9, `changelog names <${prevRef}> as an earlier version`);
  const bodyRef = intersects(b.facts.bodyRefs.filter((x) => !basedOn.has(x)), aIds);
  if (bodyRef && sameAuthor && laterOrSame && (sameTitle || b.facts.hasChangelog || rev > 0)) {
    return link("reference", 0.9, `body links <${bodyRef}>`);
  }

  // 5. sent in reply to the earlier posting
  const replyRef = b.facts.threadedUnder === a.id ? a.id : intersects(b.facts.headerRefs, aIds);
  if (replyRef && sameAuthor && (laterOrSame || (rev === 0 && sameTitle))) {
    return link("reply-to-previous", 0.9, `sent in reply to <${replyRef}>`);
  }

  // the remaining evidence is circumstantial: same sender, time window, date order
  if (!sameAuthor) return null;
  if (Number.isNaN(dt) || Math.abs(dt) > windowMs) return null;
  if (dt < -skew) return null; // the "later" version was sent well before: not its successor (b4 #58)

  const filesA = a.facts.files;
  const filesB = b.facts.files;
  const pidsA = new Set(a.facts.patchIds);
  const sharedPids = b.facts.patchIds.filter((p) => pidsA.has(p)).length;
  const pidSim = sharedPids / Math.max(1, Math.min(a.facts.patchIds.length, b.facts.patchIds.length));
  const fileSim = jaccard(filesA, filesB);
  const haveDiffs = filesA.length > 0 && filesB.length > 0;
  if (haveDiffs && fileSim === 0 && sharedPids === 0) return null; // same words, different code

  // 6. changelog section naming the earlier version
  if (rev > 0 && b.facts.changelogVersions.length > 0 && sameTitle) {
    const names = namesVersion(b.facts.changelogVersions, a.version);
    return link("changelog", names ? 0.8 : 0.75, `changelog of v${b.revision} mentions v${b.facts.changelogVersions.join(", v")}`);
  }

  // 6b. a renamed posting whose changelog names the earlier version: similar title, same code
  if (rev > 0 && !sameTitle && namesVersion(b.facts.changelogVersions, a.version) && titleWordJaccard(a.title, b.title) >= 0.5) {
    return link("changelog", 0.7, `changelog of v${b.revision} mentions v${a.version}; titles ${Math.round(titleWordJaccard(a.title, b.title) * 100)}% alike`);
  }

  // 7. same title
  if (!sameTitle) return null;
  const sim = Math.max(fileSim, pidSim);
  if (rev > 0 || (a.isRfc && !b.isRfc)) {
    return link("title", Math.round((0.5 + 0.2 * sim) * 100) / 100, `same sender and title, ${Math.round(dt / DAY)} day(s) later${haveDiffs ? `, ${Math.round(fileSim * 100)}% shared files` : ""}`);
  }
  // same revision: a RESEND, or the same patches posted again
  if (rev === 0 && (b.isResend || (sharedPids > 0 && pidSim >= 0.99))) {
    return link("title", Math.round((0.55 + 0.15 * sim) * 100) / 100, b.isResend ? "RESEND of the same version" : "the same patches posted again");
  }
  return null;
}

/**
 * Links the postings into version lines. Every input posting is in exactly one line (a posting
 * without versions is a line of one).
 */
export function linkVersions(series: LinkableSeries[], options: LinkOptions = {}): VersionLine[] {
  const minConf = options.minConfidence ?? 0.5;
  const uniqueById = new Map<string, LinkableSeries>();
  for (const s of series) if (!uniqueById.has(s.id)) uniqueById.set(s.id, s);
  const ordered = orderSeries([...uniqueById.values()]);
  const pos = new Map(ordered.map((s, i) => [s.id, i]));
  const pred = new Map<string, VersionLink>();
  const succ = new Map<string, VersionLink>();

  // candidate predecessors are only looked for among plausible keys (same sender, title, change-id
  // or referenced messages) to keep this near-linear on an author's whole history
  const byAuthor = new Map<string, LinkableSeries[]>();
  const byChange = new Map<string, LinkableSeries[]>();
  const byMsgid = new Map<string, LinkableSeries>();
  const obsoletedByOf = new Map<string, LinkableSeries[]>();
  for (const s of ordered) {
    for (const id of s.facts.obsoletedBy) {
      if (!obsoletedByOf.has(id)) obsoletedByOf.set(id, []);
      obsoletedByOf.get(id)!.push(s);
    }
    const k = personOf(s);
    if (!byAuthor.has(k)) byAuthor.set(k, []);
    byAuthor.get(k)!.push(s);
    if (s.changeId) {
      if (!byChange.has(s.changeId)) byChange.set(s.changeId, []);
      byChange.get(s.changeId)!.push(s);
    }
    for (const id of s.facts.msgids.length ? s.facts.msgids : [s.id]) if (!byMsgid.has(id)) byMsgid.set(id, s);
  }

  for (const b of ordered) {
    const cands = new Set<LinkableSeries>();
    for (const s of byAuthor.get(personOf(b)) ?? []) cands.add(s);
    if (b.changeId) for (const s of byChange.get(b.changeId) ?? []) cands.add(s);
    for (const id of [...b.facts.supersedes, ...b.facts.previousVersionRefs, ...b.facts.bodyRefs, ...b.facts.headerRefs]) {
      const s = byMsgid.get(id);
      if (s) cands.add(s);
    }
    if (b.partialOf && uniqueById.has(b.partialOf)) cands.add(uniqueById.get(b.partialOf)!);
    // postings that say they are obsoleted by b
    for (const id of b.facts.msgids) for (const s of obsoletedByOf.get(id) ?? []) cands.add(s);

    const bi = pos.get(b.id)!;
    let best: VersionLink | null = null;
    let bestPos = -1;
    for (const a of cands) {
      const ai = pos.get(a.id)!;
      if (ai >= bi) continue;
      const l = compareVersions(a, b, options);
      if (!l || l.confidence < minConf) continue;
      const existing = succ.get(a.id);
      // a posting keeps one successor, unless much stronger evidence claims it
      if (existing && existing.confidence + 0.2 > l.confidence) continue;
      if (!best || l.confidence > best.confidence || (l.confidence === best.confidence && ai > bestPos)) {
        best = l;
        bestPos = ai;
      }
    }
    if (!best) continue;
    const old = succ.get(best.from);
    if (old) pred.delete(old.to);
    pred.set(b.id, best);
    succ.set(best.from, best);
  }

  const lines: VersionLine[] = [];
  for (const s of ordered) {
    if (pred.has(s.id)) continue;
    const ids: string[] = [s.id];
    const links: VersionLink[] = [];
    let cur = s.id;
    const guard = new Set<string>([cur]);
    while (succ.has(cur)) {
      const l = succ.get(cur)!;
      if (guard.has(l.to) || pred.get(l.to) !== l) break;
      links.push(l);
      ids.push(l.to);
      guard.add(l.to);
      cur = l.to;
    }
    const members = ids.map((id) => uniqueById.get(id)!);
    const versions = members.map((m) => m.version);
    const present = new Set(versions);
    const missingVersions: number[] = [];
    if (versions.length > 1) {
      const lo = Math.min(...versions);
      const hi = Math.max(...versions);
      for (let v = lo + 1; v < hi; v++) if (!present.has(v)) missingVersions.push(v);
    }
    lines.push({
      id: s.id,
      series: ids,
      revisions: members.map((m) => m.revision),
      links,
      missingVersions,
      author: s.author,
      titleKey: members[members.length - 1].titleKey,
    });
  }
  return lines;
}

/** All links of all lines, flattened. */
export function versionLinks(series: LinkableSeries[], options: LinkOptions = {}): VersionLink[] {
  return linkVersions(series, options).flatMap((l) => l.links);
}

export interface VersionCandidateKeys {
  /** postings by this sender ... */
  author: string;
  /** ... with this normalized title ... */
  titleKey: string;
  /** ... dated within this window (ISO; null when the posting has no date) */
  from: string | null;
  to: string | null;
  /** postings with this change-id, whatever their sender or date */
  changeId: string | null;
  /** postings containing any of these messages (Supersedes, changelog links, body links, reply parents) */
  referencedMsgids: string[];
  /** postings naming any of these messages (in their Supersedes/Obsoleted-by/body links) */
  ownMsgids: string[];
}

/**
 * Keys for the database to fetch the other postings that could be versions of this one. Fetch the
 * union of: same author with the same title key in [from, to]; same change-id; containing one of
 * referencedMsgids; referencing one of ownMsgids. Then call linkVersions on the result.
 */
export function versionCandidateKeys(s: LinkableSeries, options: LinkOptions = {}): VersionCandidateKeys {
  const windowMs = (options.titleWindowDays ?? 365) * DAY;
  const v = t(s);
  const iso = (x: number): string | null => (Number.isFinite(x) ? new Date(x).toISOString() : null);
  return {
    author: personOf(s),
    titleKey: s.titleKey,
    from: Number.isNaN(v) ? null : iso(v - windowMs),
    to: Number.isNaN(v) ? null : iso(v + windowMs),
    changeId: s.changeId,
    referencedMsgids: [
      ...new Set([...s.facts.supersedes, ...s.facts.obsoletedBy, ...s.facts.previousVersionRefs, ...s.facts.bodyRefs, ...s.facts.headerRefs, ...(s.partialOf ? [s.partialOf] : [])]),
    ].filter((x) => !s.facts.basedOn.includes(x)),
    ownMsgids: s.facts.msgids.length ? [...s.facts.msgids] : [s.id],
  };
}
