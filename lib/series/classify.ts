// The first step of series grouping (group.ts): each message's role, from its subject, its
// diff and who answers it.
//
// How a message is classified:
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
//
// A Msg is a SeriesInput with its parsed subject, time and role, as grouping works on it.

import { parseSubject, type SubjectInfo } from "./subject";
import type { ClassifiedMessage, GroupOptions, MessageRole, SeriesInput } from "./group-types";

const HOUR = 3600_000;

export interface Msg {
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

export function byTime(a: Msg, b: Msg): number {
  const ta = Number.isNaN(a.t) ? Infinity : a.t;
  const tb = Number.isNaN(b.t) ? Infinity : b.t;
  if (ta !== tb) return ta - tb;
  return a.order - b.order;
}

/** who sent it, as a person key */
export function senderOf(m: Msg): string {
  return (m.input.authorKey || m.input.from || "").trim().toLowerCase();
}

export function sameSender(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function hasPatchPrefix(s: SubjectInfo): boolean {
  return s.isPatch || s.isPull || s.isRfc || s.isResend || s.counter !== null;
}

export function prepare(messages: SeriesInput[]): Msg[] {
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

export function classify(list: Msg[], opts: Required<GroupOptions>): void {
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

/** The grouping options with their defaults (1 hour, 1 hour, 1 day) filled in. */
export function withDefaults(options: GroupOptions): Required<GroupOptions> {
  return {
    unthreadedWindowMs: options.unthreadedWindowMs ?? HOUR,
    nakedCoverWindowMs: options.nakedCoverWindowMs ?? HOUR,
    ghostWindowMs: options.ghostWindowMs ?? 24 * HOUR,
  };
}

/** Roles of the messages as groupSeries sees them (cover, patch, reply, other). */
export function classifyMessages(messages: SeriesInput[], options: GroupOptions = {}): ClassifiedMessage[] {
  const opts = withDefaults(options);
  const list = prepare(messages);
  classify(list, opts);
  return list.map((m) => ({ msgid: m.input.msgid, role: m.role, subject: m.s, nakedCover: m.naked, loosePatch: m.loose }));
}
