// The working state of series grouping: a Group is one posting being assembled (its cover,
// its patches by index, what it was merged into), with the questions group.ts and
// group-output.ts ask of it.

import { byTime, type Msg } from "./classify";

export interface Group {
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
export function live(g: Group | null): Group | null {
  let cur = g;
  for (let guard = 0; cur && cur.dead && guard < 10_000; guard++) cur = cur.into;
  return cur && !cur.dead ? cur : null;
}

export function indexOf(m: Msg): number {
  return m.s.counter ? m.s.counter.index : 1;
}
export function totalOf(m: Msg): number {
  return m.s.counter ? m.s.counter.total : 1;
}

export function firstMsg(g: Group): Msg | null {
  if (g.cover) return g.cover;
  let best: Msg | null = null;
  for (const m of g.members.values()) if (!best || byTime(m, best) < 0) best = m;
  return best;
}

export function times(g: Group): { first: number; last: number } {
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

export function isUnthreaded(m: Msg): boolean {
  return !m.input.inReplyTo && (m.input.references ?? []).length === 0;
}
