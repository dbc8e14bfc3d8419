// The end of series grouping: the groups assembled by groupSeries (group.ts) turned into
// SeriesGroups, with their notes (missing, duplicate and inherited patches) and facts.

import { compareRevision } from "./subject";
import { byTime, type Msg, senderOf } from "./classify";
import type { GroupMethod, InheritedPatch, SeriesDuplicate, SeriesGroup, SeriesPatch } from "./group-types";
import { firstMsg, type Group, live, totalOf } from "./group-state";

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

function idOf(g: Group): string {
  if (g.cover) return g.cover.input.msgid;
  const keys = [...g.members.keys()].sort((a, b) => a - b);
  return g.members.get(keys[0])!.input.msgid;
}

export function buildOutput(groups: Group[], groupOf: Map<Msg, Group>, list: Msg[]): SeriesGroup[] {
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
