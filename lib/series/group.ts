// Series grouping: which messages form one posting of a patch series.
//
// Input: summaries of the messages of one thread (or of several threads: e.g. all root messages of
// one author in a time window, to find unthreaded series). Output: one SeriesGroup per posting.
//
// How a message is classified (classifyMessages):
//   * reply     subject starts with a reply marker ("Re:", "AW:", ...), even when it carries a diff
//               (a reviewer's suggested change is not a series patch); also a patch subject without
//               a diff that answers a message with the same title (a reply that dropped "Re:")
//   * cover     counter 0 ("[PATCH v3 0/7]", "[PATCH 0 of 2]"), or a "naked" cover: a message without
//               counter and without diff to which the SAME sender's patches reply directly, soon after
//               (b4 sends these; a bug report answered by someone else's patch is not a cover)
//   * patch     a non-reply with a diff; without a prefix ("mmc: fix foo" + diff) it is a patch of its
//               own, never part of another series (patchwork's "orphaned patch" case). A patch subject
//               without a diff from the series' sender is kept as a patch (its diff may be in a part we
//               could not read) and flagged hasDiff: false
//   * other     anything else
// How patches find their series (groupSeries):
//   1. thread: the nearest ancestor (In-Reply-To, then References from newest) that is a cover or a
//      patch of a compatible series: same revision ("v5.1" != "v5"; an unversioned patch may join a
//      versioned cover: patchwork's "different versions" case), same total, index not taken.
//      Tolerated: an index beyond the total directly under the cover or chained to the same
//      sender's patch ("3/2", "v5 1/3 2/3 3/3 4/4": extra patches), and a cover that miscounts
//      ("0/4" over "1/3 2/3 3/3": the patches' total wins). Same index under a cover = duplicate
//      (the first one is kept, the others listed); same index under a patch = a new posting sent
//      in reply to the old one (an unlabeled or partial reroll).
//   2. partial rerolls: patches of a higher revision that answer the same-numbered patch of the
//      nearest earlier posting ("[PATCH v2 3/5]" in reply to "[PATCH 3/5]", or "v5.1 10/12") form
//      a posting of their own which inherits, as b4 does, the cover and the patches it did not
//      resend; several such pieces of one revision are merged into one posting (step 3a).
//   3b. pieces answering the same absent message (the cover or first patch went to another list,
//      an AUTOSEL batch): same thread root in References, same sender/revision/total, disjoint
//      indexes, within a day, are one posting.
//   3c. unthreaded: pieces without any References/In-Reply-To, same sender, revision, total and RFC
//      flag, disjoint indexes, each within `unthreadedWindowMs` (1 hour) of the previous piece
//      (patchwork's "no references" cases). A repeated index starts a new series (patchwork's
//      "spamming" and "unlabeled, no references" cases).
// "Same sender" compares SeriesInput.authorKey (a person id from the database) when given, else the
// address.
// Pure: no I/O, input order does not matter except as the last tie-breaker.

import { compareRevision, parseSubject, type SubjectInfo } from "./subject";

export interface SeriesInput {
  msgid: string;
  subject: string;
  /** sender address (lower-cased addr-spec) */
  from: string;
  /** the sender as a person: a key shared by all addresses of one person (the database's person id); defaults to `from` */
  authorKey?: string | null;
  /** ISO 8601, null when unknown */
  date: string | null;
  /** References, oldest first (without the message itself) */
  references: string[];
  inReplyTo: string | null;
  threadId?: string | null;
  /** the body (or an inline attachment) carries a diff */
  hasDiff: boolean;
  /** git patch-id --stable of the diff, null when unknown */
  patchId: string | null;
  /** paths the diff touches */
  files: string[];
  /** b4 "change-id:" line */
  changeId: string | null;
  /** "base-commit:" line */
  baseCommit: string | null;
  /** Message-IDs / lore links found in the body */
  bodyRefs: string[];
  /** patchew "Supersedes:" Message-IDs (see extractBodyFacts) */
  supersedes?: string[];
  /** patchew "Obsoleted-by:" Message-IDs */
  obsoletedBy?: string[];
  /** dependencies named in the body ("Based-on:", prerequisite-message-id): never earlier versions */
  basedOn?: string[];
  /** Message-IDs the changelog calls an earlier version */
  previousVersionRefs?: string[];
  /** versions named in changelog headings */
  changelogVersions?: number[];
  /** ignored on input: computed here (see classifyMessages) */
  isCover?: boolean;
}

export type MessageRole = "cover" | "patch" | "reply" | "other";

export interface ClassifiedMessage {
  msgid: string;
  role: MessageRole;
  subject: SubjectInfo;
  /** cover without counter (b4 "naked" cover) */
  nakedCover: boolean;
  /** patch without prefix and without counter, sent inside a thread: a patch of its own */
  loosePatch: boolean;
}

export interface SeriesPatch {
  /** counter index (1-based, may be fractional) */
  index: number;
  msgid: string;
  title: string;
  patchId: string | null;
  from: string;
  date: string | null;
  hasDiff: boolean;
}

export interface SeriesDuplicate {
  index: number;
  /** the message kept in `patches` */
  kept: string;
  /** the other messages with that index */
  dropped: string[];
  /** all copies have the same patch-id (a plain double send) */
  samePatch: boolean;
  note: string;
}

export interface InheritedPatch {
  /** 0 = the cover letter */
  index: number;
  msgid: string;
  /** id of the series it was carried over from */
  fromSeries: string;
}

export type GroupMethod = "thread" | "unthreaded-window" | "single";

export interface SeriesFacts {
  /** every message of the posting: cover first, then patches by index, then extra/dropped copies */
  msgids: string[];
  /** References + In-Reply-To of the cover (or first patch): a new version sent in reply to an old one */
  headerRefs: string[];
  bodyRefs: string[];
  supersedes: string[];
  obsoletedBy: string[];
  basedOn: string[];
  previousVersionRefs: string[];
  changelogVersions: number[];
  hasChangelog: boolean;
  files: string[];
  patchIds: string[];
  /** the earlier series (id) this one was posted in reply to, when threaded under it */
  threadedUnder: string | null;
}

export interface SeriesGroup {
  /** stable: msgid of the cover, else of the first patch */
  id: string;
  version: number;
  revision: string;
  versionExplicit: boolean;
  isRfc: boolean;
  isResend: boolean;
  isPull: boolean;
  /** N of n/N (1 for a single patch) */
  total: number;
  cover: string | null;
  coverKind: "numbered" | "naked" | null;
  patches: SeriesPatch[];
  /** indexes 1..total neither sent nor inherited */
  missing: number[];
  /** msgids of patches numbered beyond total ("3/2"); they are also in `patches` */
  extra: string[];
  duplicates: SeriesDuplicate[];
  /** partial reroll: the patches (and cover, index 0) carried over from the series it rerolls */
  inherited: InheritedPatch[];
  /** partial reroll: id of the earlier series it completes */
  partialOf: string | null;
  /** sender address of the cover (or first patch) */
  author: string;
  /** the sender as a person key (SeriesInput.authorKey, else the address) */
  authorKey: string;
  /** earliest date of the posting (ISO) */
  date: string | null;
  lastDate: string | null;
  title: string;
  titleKey: string;
  subsystem: string | null;
  /** tree names and other extra prefix tokens ("net-next") */
  extraPrefixes: string[];
  changeId: string | null;
  baseCommit: string | null;
  /** no index in 1..total missing (counting inherited ones) */
  complete: boolean;
  method: GroupMethod;
  threadId: string | null;
  notes: string[];
  facts: SeriesFacts;
}

export interface GroupOptions {
  /** unthreaded pieces of one series must follow each other within this (default 1 hour) */
  unthreadedWindowMs?: number;
  /** a naked cover's patches must follow it within this (default 1 hour) */
  nakedCoverWindowMs?: number;
  /** pieces answering the same absent message must be this close (default 1 day) */
  ghostWindowMs?: number;
}

const HOUR = 3600_000;

// ---------------------------------------------------------------------------------------------

interface Msg {
  input: SeriesInput;
  s: SubjectInfo;
  t: number; // ms, NaN when unknown
  order: number; // input position, last tie-breaker
  role: MessageRole;
  naked: boolean;
  loose: boolean;
  parent: Msg | null;
}

function timeOf(d: string | null): number {
  if (!d) return NaN;
  const t = Date.parse(d);
  return Number.isFinite(t) ? t : NaN;
}

function byTime(a: Msg, b: Msg): number {
  const ta = Number.isNaN(a.t) ? Infinity : a.t;
  const tb = Number.isNaN(b.t) ? Infinity : b.t;
  if (ta !== tb) return ta - tb;
  return a.order - b.order;
}

/** who sent it, as a person key */
function senderOf(m: Msg): string {
  return (m.input.authorKey || m.input.from || "").trim().toLowerCase();
}

function sameSender(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function hasPatchPrefix(s: SubjectInfo): boolean {
  return s.isPatch || s.isPull || s.isRfc || s.isResend || s.counter !== null;
}

function prepare(messages: SeriesInput[]): Msg[] {
  const byId = new Map<string, Msg>();
  const list: Msg[] = [];
  messages.forEach((input, order) => {
    if (!input || !input.msgid || byId.has(input.msgid)) return;
    const m: Msg = {
      input,
      s: parseSubject(input.subject ?? ""),
      t: timeOf(input.date),
      order,
      role: "other",
      naked: false,
      loose: false,
      parent: null,
    };
    byId.set(input.msgid, m);
    list.push(m);
  });
  // parent: In-Reply-To when present in the set, else the newest reference present
  for (const m of list) {
    const irt = m.input.inReplyTo;
    let p = irt && irt !== m.input.msgid ? byId.get(irt) : undefined;
    if (!p) {
      const refs = m.input.references ?? [];
      for (let i = refs.length - 1; i >= 0; i--) {
        const c = byId.get(refs[i]);
        if (c && c !== m) {
          p = c;
          break;
        }
      }
    }
    m.parent = p ?? null;
  }
  // break reference cycles: a parent chain that comes back to the message is cut there
  for (const m of list) {
    const seen = new Set<Msg>([m]);
    let cur = m.parent;
    let prev: Msg = m;
    while (cur) {
      if (seen.has(cur)) {
        prev.parent = null;
        break;
      }
      seen.add(cur);
      prev = cur;
      cur = cur.parent;
    }
  }
  return list;
}

function classify(list: Msg[], opts: Required<GroupOptions>): void {
  for (const m of list) {
    const s = m.s;
    if (s.isReply) {
      m.role = "reply";
    } else if (s.counter && s.counter.index === 0) {
      m.role = "cover";
    } else if (m.input.hasDiff) {
      m.role = "patch";
      // a bare "mmc: fix foo" + diff inside somebody's thread stands alone
      if (!hasPatchPrefix(s) && m.parent) m.loose = true;
    } else if (hasPatchPrefix(s) && (s.counter !== null || s.isPatch)) {
      // a patch subject without a diff: a reply that dropped "Re:" when it answers a message with
      // the same title from somebody else; otherwise a patch whose diff we could not see
      const p = m.parent;
      if (p && p.s.key === s.key && !sameSender(senderOf(p), senderOf(m))) m.role = "reply";
      else if (p && p.role === "reply") m.role = "reply";
      else m.role = s.counter !== null ? "patch" : "other";
    } else {
      m.role = "other";
    }
  }
  // patch subjects without a diff: keep only when the sender is the sender of the thread's series
  // (their parent chain reaches a cover/patch of theirs) or they stand at the root
  for (const m of list) {
    if (m.role !== "patch" || m.input.hasDiff) continue;
    if (!m.parent) continue;
    let a: Msg | null = m.parent;
    let ok = false;
    while (a) {
      if ((a.role === "cover" || a.role === "patch") && sameSender(senderOf(a), senderOf(m))) {
        ok = true;
        break;
      }
      a = a.parent;
    }
    if (!ok) m.role = "reply";
  }
  // naked covers: a non-reply without counter and without diff, answered directly by patches of
  // the same sender sent soon after
  for (const m of list) {
    if (m.role !== "patch" || m.loose) continue;
    const p = m.parent;
    // a pull request is never somebody's cover letter
    if (!p || p.role !== "other" || p.s.isReply || p.s.isPull || p.input.hasDiff) continue;
    if (!sameSender(senderOf(p), senderOf(m))) continue;
    const dt = m.t - p.t;
    if (!(dt >= -5 * 60_000 && dt <= opts.nakedCoverWindowMs)) continue;
    p.role = "cover";
    p.naked = true;
  }
}

// ---------------------------------------------------------------------------------------------
// grouping

interface Group {
  seq: number;
  cover: Msg | null;
  members: Map<number, Msg>;
  dupes: Map<number, Msg[]>;
  revision: string | null; // null: not known yet (naked cover without patches)
  versionExplicit: boolean;
  total: number | null;
  author: string;
  threaded: boolean;
  unthreadedMerged: boolean;
  /** root message of the piece has no References/In-Reply-To at all */
  floating: boolean;
  /** group of the earlier series the piece answers (partial/unlabeled reroll or new version threaded under it) */
  under: Group | null;
  /** every patch answers the same-numbered patch of `under` (b4's partial reroll condition) */
  sameCounterReroll: boolean;
  rfc: boolean;
  dead: boolean;
  /** when dead: the group it was merged into */
  into: Group | null;
}

/** the live group a (possibly merged) group ended up in */
function live(g: Group | null): Group | null {
  let cur = g;
  for (let guard = 0; cur && cur.dead && guard < 10_000; guard++) cur = cur.into;
  return cur && !cur.dead ? cur : null;
}

function indexOf(m: Msg): number {
  return m.s.counter ? m.s.counter.index : 1;
}
function totalOf(m: Msg): number {
  return m.s.counter ? m.s.counter.total : 1;
}

function firstMsg(g: Group): Msg | null {
  if (g.cover) return g.cover;
  let best: Msg | null = null;
  for (const m of g.members.values()) if (!best || byTime(m, best) < 0) best = m;
  return best;
}

function times(g: Group): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  const all: Msg[] = [...g.members.values()];
  if (g.cover) all.push(g.cover);
  for (const m of all) {
    if (Number.isNaN(m.t)) continue;
    first = Math.min(first, m.t);
    last = Math.max(last, m.t);
  }
  return { first, last };
}

function isUnthreaded(m: Msg): boolean {
  return !m.input.inReplyTo && (m.input.references ?? []).length === 0;
}

export function groupSeries(messages: SeriesInput[], options: GroupOptions = {}): SeriesGroup[] {
  const opts: Required<GroupOptions> = {
    unthreadedWindowMs: options.unthreadedWindowMs ?? HOUR,
    nakedCoverWindowMs: options.nakedCoverWindowMs ?? HOUR,
    ghostWindowMs: options.ghostWindowMs ?? 24 * HOUR,
  };
  const list = prepare(messages);
  classify(list, opts);

  const groups: Group[] = [];
  const groupOf = new Map<Msg, Group>();
  let seq = 0;
  const newGroup = (first: Msg): Group => {
    const author = senderOf(first);
    const g: Group = {
      seq: seq++,
      cover: null,
      members: new Map(),
      dupes: new Map(),
      revision: null,
      versionExplicit: false,
      total: null,
      author,
      threaded: false,
      unthreadedMerged: false,
      floating: false,
      under: null,
      sameCounterReroll: false,
      rfc: false,
      dead: false,
      into: null,
    };
    groups.push(g);
    return g;
  };

  const sorted = [...list].sort(byTime);

  // 1. covers
  for (const c of sorted) {
    if (c.role !== "cover") continue;
    const g = newGroup(c);
    g.cover = c;
    g.floating = isUnthreaded(c);
    g.rfc = c.s.isRfc;
    if (!c.naked) {
      g.revision = c.s.revision;
      g.versionExplicit = c.s.versionExplicit;
      g.total = c.s.counter ? c.s.counter.total : null;
    } else if (c.s.versionExplicit) {
      g.revision = c.s.revision;
      g.versionExplicit = true;
    }
    groupOf.set(c, g);
    // a new cover threaded under an earlier series (revision-threaded-to-cover/-to-patch)
    for (let a = c.parent; a; a = a.parent) {
      const ag = groupOf.get(a);
      if (ag) {
        g.under = ag;
        break;
      }
    }
  }

  const compatible = (p: Msg, g: Group, via: Msg): "join" | "dup" | "reroll" | "no" => {
    const idx = indexOf(p);
    const tot = totalOf(p);
    const viaIsCover = via === g.cover;
    // revision
    let revOk: boolean;
    if (g.revision === null) revOk = true;
    else if (p.s.revision === g.revision) revOk = true;
    else revOk = !p.s.versionExplicit && g.versionExplicit && viaIsCover && !!g.cover && !g.cover.naked;
    // total
    // an extra patch ("3/2", or "3/3" added to a 2-patch series) is accepted directly under the
    // cover, or chained to a patch of the same sender ("v5 1/3, 2/3, 3/3, 4/4")
    const extraOk = g.total !== null && idx > g.total && (viaIsCover || sameSender(senderOf(via), senderOf(p)));
    // a cover that miscounts ("0/4" over "1/3 2/3 3/3"): its own sender's patches answering it
    // directly, same revision, still belong to it
    const miscountOk =
      viaIsCover && !!g.cover && !g.cover.naked && sameSender(senderOf(g.cover), senderOf(p)) && p.s.revision === g.revision && !g.members.has(idx);
    const totOk = g.total === null || tot === g.total || extraOk || miscountOk;
    if (!revOk || !totOk) {
      // a higher revision answering the same-numbered patch: a reroll of that patch
      if (!viaIsCover && indexOf(via) === idx && totalOf(via) === tot && p.s.versionExplicit && compareRevision(p.s.revision, via.s.revision) > 0) return "reroll";
      return "no";
    }
    if (g.members.has(idx)) {
      const kept = g.members.get(idx)!;
      if (viaIsCover && sameSender(senderOf(kept), senderOf(p)) && p.s.isResend === kept.s.isResend) return "dup";
      return viaIsCover ? "no" : "reroll";
    }
    return "join";
  };

  // 2. patches, in date order
  for (const p of sorted) {
    if (p.role !== "patch") continue;
    if (p.loose) {
      const g = newGroup(p);
      g.members.set(1, p);
      g.revision = p.s.revision;
      g.versionExplicit = p.s.versionExplicit;
      g.total = 1;
      g.rfc = p.s.isRfc;
      groupOf.set(p, g);
      continue;
    }
    let target: Group | null = null;
    let dupOf: Group | null = null;
    let under: Group | null = null;
    let sameCounter = false;
    for (let a = p.parent; a; a = a.parent) {
      const g = groupOf.get(a);
      if (!g || g.dead) continue;
      if (a.role !== "cover" && a.role !== "patch") continue;
      const verdict = compatible(p, g, a);
      if (verdict === "join") {
        target = g;
        break;
      }
      if (verdict === "dup") {
        dupOf = g;
        break;
      }
      if (verdict === "reroll") {
        // the nearest earlier posting is what this one answers; it is a same-number reroll of
        // that posting only when the numbered patch found is in it
        if (!under) under = g;
        sameCounter = under === g && indexOf(a) === indexOf(p);
        break;
      }
      // incompatible: remember the nearest earlier series we are threaded under, keep looking up
      if (!under) under = g;
    }
    if (dupOf) {
      const idx = indexOf(p);
      const arr = dupOf.dupes.get(idx) ?? [];
      arr.push(p);
      dupOf.dupes.set(idx, arr);
      groupOf.set(p, dupOf);
      continue;
    }
    if (target) {
      target.members.set(indexOf(p), p);
      target.threaded = true;
      if (target.revision === null) {
        target.revision = p.s.revision;
        target.versionExplicit = p.s.versionExplicit;
      }
      if (target.total === null) target.total = totalOf(p);
      else if (target.cover?.naked && totalOf(p) > target.total) target.total = totalOf(p);
      groupOf.set(p, target);
      continue;
    }
    const g = newGroup(p);
    g.members.set(indexOf(p), p);
    g.revision = p.s.revision;
    g.versionExplicit = p.s.versionExplicit;
    g.total = totalOf(p);
    g.rfc = p.s.isRfc;
    g.floating = isUnthreaded(p);
    g.under = under;
    g.sameCounterReroll = under !== null && sameCounter;
    groupOf.set(p, g);
  }

  const alive = (): Group[] => groups.filter((g) => !g.dead);
  const canMerge = (a: Group, b: Group): boolean => {
    if (a.cover && b.cover) return false;
    if (!sameSender(a.author, b.author)) return false;
    if (a.revision !== b.revision || a.total !== b.total) return false;
    if (a.rfc !== b.rfc) return false;
    if ((a.total ?? 1) <= 1 && !(a.cover || b.cover)) return false; // two single patches are two series
    for (const k of b.members.keys()) if (a.members.has(k)) return false;
    return true;
  };
  const merge = (into: Group, from: Group): void => {
    for (const [k, m] of from.members) {
      into.members.set(k, m);
      groupOf.set(m, into);
    }
    for (const [k, arr] of from.dupes) {
      into.dupes.set(k, [...(into.dupes.get(k) ?? []), ...arr]);
      for (const m of arr) groupOf.set(m, into);
    }
    if (from.cover) {
      into.cover = from.cover;
      groupOf.set(from.cover, into);
    }
    into.threaded ||= from.threaded;
    into.sameCounterReroll &&= from.sameCounterReroll;
    into.under ??= from.under;
    from.dead = true;
    from.into = into;
  };

  // 3a. pieces posted under the same earlier series (partial rerolls, new versions answering the
  // old one patch by patch) with the same sender/revision/total are one posting
  const byUnder = new Map<Group, Group[]>();
  for (const g of alive().sort((x, y) => x.seq - y.seq)) {
    if (!g.under) continue;
    if (!byUnder.has(g.under)) byUnder.set(g.under, []);
    byUnder.get(g.under)!.push(g);
  }
  for (const gs of byUnder.values()) {
    for (let i = 1; i < gs.length; i++) {
      const b = gs[i];
      if (b.dead || b.cover) continue;
      for (let j = 0; j < i; j++) {
        const a = gs[j];
        if (a.dead || !canMerge(a, b)) continue;
        merge(a, b);
        a.threaded = true;
        break;
      }
    }
  }

  // 3b. pieces whose parent is not in the set (an absent cover, AUTOSEL batches answering a first
  // patch sent elsewhere): same thread root named in References + same sender/revision/total
  const ghostKey = (g: Group): string | null => {
    if (g.under || g.floating || g.cover) return null;
    const root = firstMsg(g);
    if (!root || root.parent) return null;
    return (root.input.references ?? [])[0] ?? root.input.inReplyTo ?? null;
  };
  const byGhost = new Map<string, Group[]>();
  for (const g of alive().sort((x, y) => x.seq - y.seq)) {
    const k = ghostKey(g);
    if (!k) continue;
    if (!byGhost.has(k)) byGhost.set(k, []);
    byGhost.get(k)!.push(g);
  }
  for (const gs of byGhost.values()) {
    for (let i = 1; i < gs.length; i++) {
      const b = gs[i];
      for (let j = 0; j < i; j++) {
        const a = gs[j];
        if (a.dead) continue;
        const ta = times(a);
        const tb = times(b);
        if (!(Math.abs(tb.first - ta.last) <= opts.ghostWindowMs)) continue;
        if (!canMerge(a, b)) continue;
        merge(a, b);
        a.threaded = true;
        break;
      }
    }
  }

  // 3c. unthreaded pieces: same sender, revision, total, RFC flag, disjoint indexes, close in time
  const firstTime = (g: Group): number => {
    const t = times(g).first;
    return Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER;
  };
  const floating = alive()
    .filter((g) => g.floating && !g.under)
    .sort((x, y) => firstTime(x) - firstTime(y) || x.seq - y.seq);
  // open pieces by (sender, revision, total, RFC): only those can merge
  const open = new Map<string, Group[]>();
  const openKey = (g: Group): string => `${g.author}\u0000${g.revision}\u0000${g.total}\u0000${g.rfc}`;
  for (const b of floating) {
    const tb = times(b);
    let best: Group | null = null;
    // pieces are taken in order of first date: those that ended long before can be forgotten
    const bucket = (open.get(openKey(b)) ?? []).filter((a) => !a.dead && !(times(a).last < tb.first - opts.unthreadedWindowMs));
    open.set(openKey(b), bucket);
    for (const a of bucket) {
      if (a.dead) continue;
      const ta = times(a);
      if (!(tb.first - ta.last <= opts.unthreadedWindowMs && tb.first - ta.last >= -opts.unthreadedWindowMs)) continue;
      if (!canMerge(a, b)) continue;
      if (!best || times(best).last < ta.last) best = a;
    }
    if (best) {
      merge(best, b);
      best.unthreadedMerged = true;
    } else {
      bucket.push(b);
      open.set(openKey(b), bucket);
    }
  }

  return buildOutput(alive(), groupOf, list);
}

// ---------------------------------------------------------------------------------------------
// output

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

function idOf(g: Group): string {
  if (g.cover) return g.cover.input.msgid;
  const keys = [...g.members.keys()].sort((a, b) => a - b);
  return g.members.get(keys[0])!.input.msgid;
}

function buildOutput(groups: Group[], groupOf: Map<Msg, Group>, list: Msg[]): SeriesGroup[] {
  const out = new Map<Group, SeriesGroup>();
  // stable order: by first date, then input order
  const ordered = [...groups].sort((a, b) => {
    const fa = firstMsg(a);
    const fb = firstMsg(b);
    if (!fa || !fb) return a.seq - b.seq;
    return byTime(fa, fb);
  });
  for (const g of ordered) out.set(g, toSeries(g));
  // partial rerolls: carry over what was not resent
  for (const g of ordered) {
    const s = out.get(g)!;
    const under = live(g.under);
    if (under === g) continue;
    if (under) s.facts.threadedUnder = out.get(under)?.id ?? null;
    if (!under || !g.sameCounterReroll || g.cover) continue;
    const prev = out.get(under);
    if (!prev || prev.total !== s.total) continue;
    if (compareRevision(s.revision, prev.revision) <= 0 && !s.isResend) {
      // same revision answering itself: an unlabeled repost, not a partial reroll
      continue;
    }
    // a complete new version threaded under the old one is not a partial reroll
    if (s.missing.length === 0) continue;
    const have = new Set(s.patches.map((p) => p.index));
    const inherited: InheritedPatch[] = [];
    if (prev.cover) inherited.push({ index: 0, msgid: prev.cover, fromSeries: prev.id });
    for (const p of prev.patches) {
      if (!have.has(p.index) && Number.isInteger(p.index) && p.index >= 1 && p.index <= s.total) {
        inherited.push({ index: p.index, msgid: p.msgid, fromSeries: prev.id });
      }
    }
    s.inherited = inherited;
    s.partialOf = prev.id;
    const inh = new Set(inherited.map((i) => i.index));
    s.missing = s.missing.filter((i) => !inh.has(i));
    s.complete = s.missing.length === 0;
    // b4 names a reconstituted series after the earlier one
    s.title = prev.title;
    s.titleKey = prev.titleKey;
    s.subsystem = prev.subsystem;
    s.notes.push(`partial reroll of ${prev.id}: ${inherited.filter((i) => i.index > 0).length} patch(es) carried over`);
  }
  // follow-up facts from replies: "Supersedes:" / "Obsoleted-by:" in an answer to the series
  // (patchew accepts these from anyone answering the series)
  for (const m of list) {
    if (groupOf.has(m)) continue;
    const sup = m.input.supersedes ?? [];
    const obs = m.input.obsoletedBy ?? [];
    if (sup.length === 0 && obs.length === 0) continue;
    for (let a = m.parent; a; a = a.parent) {
      const g = groupOf.get(a);
      if (!g || g.dead) continue;
      const s = out.get(g);
      if (!s) break;
      s.facts.supersedes = uniq([...s.facts.supersedes, ...sup]);
      s.facts.obsoletedBy = uniq([...s.facts.obsoletedBy, ...obs]);
      break;
    }
  }
  return ordered.map((g) => out.get(g)!);
}

function toSeries(g: Group): SeriesGroup {
  const idxs = [...g.members.keys()].sort((a, b) => a - b);
  let total = g.total ?? (idxs.length ? Math.max(...idxs.map(Math.ceil)) : 0);
  const notes: string[] = [];
  // a miscounting cover: when all patches agree on another total, they are right
  if (g.cover && !g.cover.naked && idxs.length > 0) {
    const totals = new Set(idxs.map((i) => totalOf(g.members.get(i)!)));
    const [only] = [...totals];
    if (totals.size === 1 && only !== total && idxs.every((i) => i <= only)) {
      notes.push(`the cover says ${total} patches, the patches say ${only}`);
      total = only;
    }
  }
  const patches: SeriesPatch[] = idxs.map((i) => {
    const m = g.members.get(i)!;
    return {
      index: i,
      msgid: m.input.msgid,
      title: m.s.title,
      patchId: m.input.patchId ?? null,
      from: m.input.from,
      date: m.input.date,
      hasDiff: m.input.hasDiff,
    };
  });
  const missing: number[] = [];
  for (let i = 1; i <= total; i++) if (!g.members.has(i)) missing.push(i);
  const extra = patches.filter((p) => p.index > total).map((p) => p.msgid);
  const duplicates: SeriesDuplicate[] = [];
  for (const [idx, arr] of [...g.dupes].sort((a, b) => a[0] - b[0])) {
    const kept = g.members.get(idx);
    if (!kept) continue;
    const ids = [kept.input.patchId, ...arr.map((m) => m.input.patchId)];
    const samePatch = ids.every((x) => x !== null && x === ids[0]);
    duplicates.push({
      index: idx,
      kept: kept.input.msgid,
      dropped: arr.map((m) => m.input.msgid),
      samePatch,
      note: samePatch ? "sent more than once with the same diff; the first copy is kept" : "several messages claim this number; the first one is kept",
    });
  }
  const first = g.cover ?? (idxs.length ? g.members.get(idxs[0])! : null);
  const head = first!;
  const all: Msg[] = [...(g.cover ? [g.cover] : []), ...idxs.map((i) => g.members.get(i)!)];
  const everything: Msg[] = [...all, ...[...g.dupes.values()].flat()];
  const titleSrc = g.cover && g.cover.s.title ? g.cover : idxs.length ? g.members.get(idxs[0])! : head;
  let firstT = Infinity;
  let lastT = -Infinity;
  let firstD: string | null = null;
  let lastD: string | null = null;
  for (const m of all) {
    if (Number.isNaN(m.t)) continue;
    if (m.t < firstT) {
      firstT = m.t;
      firstD = m.input.date;
    }
    if (m.t > lastT) {
      lastT = m.t;
      lastD = m.input.date;
    }
  }
  const pick = <T>(f: (m: Msg) => T | null | undefined): T | null => {
    for (const m of all) {
      const v = f(m);
      if (v !== null && v !== undefined) return v;
    }
    return null;
  };
  const cat = (f: (m: Msg) => string[] | undefined): string[] => uniq(all.flatMap((m) => f(m) ?? []));
  if (g.cover?.naked) notes.push("cover letter without a counter (naked cover)");
  if (extra.length) notes.push(`${extra.length} patch(es) numbered beyond ${total}`);
  for (const d of duplicates) notes.push(`duplicate ${d.index}/${total}: ${d.note}`);
  for (const p of patches) if (!p.hasDiff) notes.push(`patch ${p.index}/${total} has no diff we could read`);
  const revision = g.revision ?? head.s.revision;
  const member = all.length;
  const method: GroupMethod = g.unthreadedMerged ? "unthreaded-window" : member <= 1 ? "single" : "thread";
  const headerRefs = uniq([...(head.input.references ?? []), ...(head.input.inReplyTo ? [head.input.inReplyTo] : [])]);
  const versionInts = revision.split(".")[0];
  return {
    id: idOf(g),
    version: Number(versionInts) || 1,
    revision,
    versionExplicit: g.versionExplicit || all.some((m) => m.s.versionExplicit),
    isRfc: all.some((m) => m.s.isRfc),
    // RESEND on the cover, or on every patch
    isResend: !!g.cover?.s.isResend || (idxs.length > 0 && idxs.every((i) => g.members.get(i)!.s.isResend)),
    isPull: all.some((m) => m.s.isPull),
    total,
    cover: g.cover ? g.cover.input.msgid : null,
    coverKind: g.cover ? (g.cover.naked ? "naked" : "numbered") : null,
    patches,
    missing,
    extra,
    duplicates,
    inherited: [],
    partialOf: null,
    author: head.input.from,
    authorKey: senderOf(head),
    date: firstD,
    lastDate: lastD,
    title: titleSrc.s.title,
    titleKey: titleSrc.s.key,
    subsystem: titleSrc.s.subsystem,
    extraPrefixes: uniq(all.flatMap((m) => m.s.extraPrefixes)),
    changeId: pick((m) => m.input.changeId),
    baseCommit: pick((m) => m.input.baseCommit),
    complete: patches.length > 0 && missing.length === 0,
    method,
    threadId: pick((m) => m.input.threadId ?? null),
    notes,
    facts: {
      msgids: uniq(everything.map((m) => m.input.msgid)),
      headerRefs,
      bodyRefs: cat((m) => m.input.bodyRefs),
      supersedes: cat((m) => m.input.supersedes),
      obsoletedBy: cat((m) => m.input.obsoletedBy),
      basedOn: cat((m) => m.input.basedOn),
      previousVersionRefs: cat((m) => m.input.previousVersionRefs),
      changelogVersions: uniq(all.flatMap((m) => m.input.changelogVersions ?? [])).sort((a, b) => a - b),
      hasChangelog: all.some((m) => (m.input.changelogVersions ?? []).length > 0),
      files: cat((m) => m.input.files),
      patchIds: uniq(all.map((m) => m.input.patchId).filter((x): x is string => !!x)),
      threadedUnder: null,
    },
  };
}

/** Roles of the messages as groupSeries sees them (cover, patch, reply, other). */
export function classifyMessages(messages: SeriesInput[], options: GroupOptions = {}): ClassifiedMessage[] {
  const opts: Required<GroupOptions> = {
    unthreadedWindowMs: options.unthreadedWindowMs ?? HOUR,
    nakedCoverWindowMs: options.nakedCoverWindowMs ?? HOUR,
    ghostWindowMs: options.ghostWindowMs ?? 24 * HOUR,
  };
  const list = prepare(messages);
  classify(list, opts);
  return list.map((m) => ({ msgid: m.input.msgid, role: m.role, subject: m.s, nakedCover: m.naked, loosePatch: m.loose }));
}
