// Series grouping: which messages form one posting of a patch series.
//
// Input: summaries of the messages of one thread (or of several threads: e.g. all root messages of
// one author in a time window, to find unthreaded series). Output: one SeriesGroup per posting.
//
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
//
// The steps are split: classify.ts (each message's role), this module (which patches form one
// posting), group-state.ts (the posting being assembled) and group-output.ts (the SeriesGroups
// returned). The types are in group-types.ts; this module re-exports them and classifyMessages,
// the entry points most callers use.

import { compareRevision } from "./subject";
import { byTime, classify, type Msg, prepare, sameSender, senderOf, withDefaults } from "./classify";
import type { GroupOptions, SeriesGroup, SeriesInput } from "./group-types";
import { buildOutput } from "./group-output";
import { firstMsg, type Group, indexOf, isUnthreaded, times, totalOf } from "./group-state";

export type {
  ClassifiedMessage,
  GroupMethod,
  GroupOptions,
  InheritedPatch,
  MessageRole,
  SeriesDuplicate,
  SeriesFacts,
  SeriesGroup,
  SeriesInput,
  SeriesPatch,
} from "./group-types";
export { classifyMessages } from "./classify";

export function groupSeries(messages: SeriesInput[], options: GroupOptions = {}): SeriesGroup[] {
  const opts = withDefaults(options);
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

