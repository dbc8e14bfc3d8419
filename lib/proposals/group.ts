// Proposals: lines of design work across threads and years, built from series postings, their
// version lines, and the threads around them. Pure.
//
// Evidence, strongest first; every member and link keeps its method, a confidence and the
// evidence (the message and line that said it):
//
//   version-line   postings of one version line (lib/series linkVersions) are one proposal   1.0
//                  (the version link's own confidence when lower)
//   link-trailer   "Link:" / "Closes:" naming a message of another unit                       0.9
//   footnote       "[1] https://lore.kernel.org/..." in the author's prose                     0.85
//   body-ref       a Message-ID or lore link elsewhere in the prose                            0.8
//   robot-report   a robot report in a thread of its own, about a patch of a posting
//                  (lib/passes/knowledge-links: "patch link:", or the commit it names)              0.85
//   shared-code    an orphan later version (a line that starts at v2+, or a non-RFC posting
//                  after the same author's RFC) changing the same functions as an earlier line
//                  of the same author within a year (the title changed, so version linking
//                  could not see it)                                                          0.7
//
// What an explicit reference does depends on what it joins:
//   - posting -> posting of the same author, written by that author, not a dependency, and the
//     titles alike: one proposal (an RFC line and its PATCH line under a new name);
//     otherwise a link (a dependency, someone else's work, a different design).
//   - a thread without patches that is a topic of its own (an [RFC]/[TOPIC]/[LSF/MM] thread)
//     is a proposal of its own; a reference between it and a posting joins them when the same
//     person wrote both, else links them.
//   - any other thread without patches (a bug report, a robot report, a discussion elsewhere)
//     becomes a member of every proposal it references ("discussion") or that references it
//     ("reference"; "report" for robot reports): it is never the glue between two proposals.
//   - Fixes: <sha> ("subject") in a patch: the fixed commit's proposal gets the fix's proposal as
//     its successor, when the commit is known upstream (patch_commit, 0.95) or, without upstream
//     commits, when a patch of an earlier posting has exactly that subject (0.75). A fix is new
//     work (another author, a year later): linked, not merged.
//
// Shared code and text similarity between proposals only ever link them (links.ts).

import { normalizeTitle } from "./refs";
import type { TermCounts } from "./text";
import type { LinkDraft, LinkKind, MemberDraft, MemberRole, ProposalDraft, ProposalInput, SeriesUnit, ThreadUnit, UnitReference } from "./types";

export const REF_CONFIDENCE: Record<string, number> = { "link-trailer": 0.9, footnote: 0.85, "body-ref": 0.8, "robot-report": 0.85 };
/** Fixes: by a known upstream commit, or by the subject alone. */
export const FIXES_CONFIDENCE = { commit: 0.95, subject: 0.75 };
/** An orphan later version joined to an earlier line of the same author by shared functions. */
export const SHARED_CODE_MERGE = { confidence: 0.7, minJaccard: 0.5, minShared: 2, maxDays: 365 };
/** Titles "alike" for joining two postings of one author by an explicit reference (cosine of title words). */
export const TITLE_ALIKE = 0.3;

const DAY = 86_400_000;
const time = (d: string | null) => (d ? Date.parse(d) : NaN);

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p === x) return x;
    p = this.find(p);
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    // the smaller string wins: deterministic whatever the order of unions
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

/** Cosine of the word sets of two titles (no idf: titles are compared with each other only); TITLE_ALIKE is tuned on it. */
export function titleWordCosine(a: string, b: string): number {
  const words = (s: string) => {
    const m = new Map<string, number>();
    for (const w of normalizeTitle(s).split(/[^a-z0-9_]+/)) if (w.length >= 2) m.set(w, 1);
    return m;
  };
  const x = words(a);
  const y = words(b);
  let dot = 0;
  for (const w of x.keys()) if (y.has(w)) dot++;
  return x.size && y.size ? dot / Math.sqrt(x.size * y.size) : 0;
}

/** "[RFC] foo", "[TOPIC] ...", "[LSF/MM/BPF TOPIC] ...", "[DISCUSSION] ...": a thread that is a line of work by itself. */
export function seedReason(subject: string): string | null {
  const s = subject.trim();
  if (/^(?:re|aw|sv|fwd?)\s*:/i.test(s)) return null;
  const tag = /^\s*\[([^\]]*)\]/.exec(s);
  if (!tag) return null;
  const t = tag[1];
  if (/\bPATCH\b/i.test(t)) return null; // a series, or a broken one: lib/series decides
  if (/\b(?:LSF|TOPIC|ATTEND)\b/i.test(t)) return `subject tag [${t}]`;
  if (/\b(?:RFC|DISCUSS(?:ION)?|PROPOSAL|IDEA|DESIGN)\b/i.test(t)) return `subject tag [${t}]`;
  return null;
}

interface Join {
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

interface Candidate {
  unit: ThreadUnit;
  role: MemberRole;
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

function kindByDate(a: { firstDate: string | null; lastDate: string | null }, b: { firstDate: string | null; lastDate: string | null }): { kind: LinkKind; earlierFirst: boolean } {
  const aFirst = time(a.firstDate);
  const bFirst = time(b.firstDate);
  const earlierFirst = !(bFirst < aFirst);
  const [early, late] = earlierFirst ? [a, b] : [b, a];
  const lateFirst = time(late.firstDate);
  const earlyLast = time(early.lastDate);
  // the later one started after the earlier one's last message: it continues it
  if (lateFirst > earlyLast) return { kind: "successor", earlierFirst };
  return { kind: "related", earlierFirst };
}

/** Sums term counts and keeps the `max` most frequent. */
export function mergeTerms(parts: TermCounts[], max = 60): TermCounts {
  const m = new Map<string, number>();
  for (const p of parts) for (const [t, c] of Object.entries(p)) m.set(t, (m.get(t) ?? 0) + c);
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max));
}

export interface GroupResult {
  proposals: ProposalDraft[];
  /** links from explicit evidence (references between proposals, Fixes:) */
  links: LinkDraft[];
}

export function groupProposals(input: ProposalInput): GroupResult {
  const series = new Map(input.series.map((s) => [s.ref, s]));
  const threads = new Map(input.threads.map((t) => [t.ref, t]));
  const isCore = (ref: string) => series.has(ref) || !!threads.get(ref)?.seed;
  const authorOf = (ref: string) => (series.get(ref)?.author ?? threads.get(ref)?.author ?? "").toLowerCase();
  const dateOf = (ref: string) => series.get(ref)?.date ?? threads.get(ref)?.date ?? null;
  const titleOf = (ref: string) => series.get(ref)?.title ?? threads.get(ref)?.subject ?? "";

  const uf = new UnionFind();
  const joins = new Map<string, Join>();
  const join = (a: string, b: string, j: Join) => {
    // the later unit records how it joined the earlier one
    const [early, late] = !(time(dateOf(b)) < time(dateOf(a))) ? [a, b] : [b, a];
    if (uf.union(early, late) && !joins.has(late)) joins.set(late, j);
  };

  // 1. version lines
  const byLine = new Map<number, SeriesUnit[]>();
  for (const s of input.series) if (s.versionLineId !== null) byLine.set(s.versionLineId, [...(byLine.get(s.versionLineId) ?? []), s]);
  for (const [line, members] of byLine) {
    for (const s of members) {
      if (s === members[0]) continue;
      uf.union(members[0].ref, s.ref);
    }
    for (const s of members) {
      if (s.versionLink) joins.set(s.ref, { method: "version-line", confidence: s.versionLink.confidence, evidence: { versionLine: line, from: s.versionLink.from, link: s.versionLink.method } });
    }
  }

  // 2. explicit references
  const refLinks: { a: string; b: string; r: UnitReference; confidence: number }[] = [];
  const candidates: { core: string; c: Candidate }[] = [];
  for (const r of input.references) {
    if (r.from === r.to || (!series.has(r.from) && !threads.has(r.from)) || (!series.has(r.to) && !threads.has(r.to))) continue;
    const base = REF_CONFIDENCE[r.method] ?? 0.75;
    const evidence = { fromMsgid: r.fromMsgid, toMsgid: r.toMsgid, line: r.line, text: r.text, ...(r.trailer ? { trailer: r.trailer } : {}), ...(r.basedOn ? { dependency: true } : {}) };
    const coreFrom = isCore(r.from);
    const coreTo = isCore(r.to);
    if (coreFrom && coreTo) {
      const same = authorOf(r.from) !== "" && authorOf(r.from) === authorOf(r.to);
      const bothSeries = series.has(r.from) && series.has(r.to);
      const alike = !bothSeries || titleWordCosine(titleOf(r.from), titleOf(r.to)) >= TITLE_ALIKE;
      if (same && r.byAuthor && !r.basedOn && alike) {
        join(r.from, r.to, { method: r.method, confidence: r.inPosting ? base : base - 0.05, evidence });
      } else {
        refLinks.push({ a: r.from, b: r.to, r, confidence: base - 0.1 });
      }
    } else if (coreFrom !== coreTo) {
      const core = coreFrom ? r.from : r.to;
      const other = threads.get(coreFrom ? r.to : r.from)!;
      const role: MemberRole = other.report ? "report" : coreFrom ? "reference" : "discussion";
      candidates.push({ core, c: { unit: other, role, method: r.method, confidence: r.byAuthor || !coreFrom ? base : base - 0.05, evidence } });
    }
  }

  // 3. an orphan later version (v2+ with nothing before it in its line, or a PATCH after an RFC)
  //    of the same author changing the same functions as an earlier line: a renamed series
  const firstOfLine = new Map<string, SeriesUnit>();
  for (const s of input.series) {
    const root = uf.find(s.ref);
    const cur = firstOfLine.get(root);
    if (!cur || time(s.date) < time(cur.date)) firstOfLine.set(root, s);
  }
  const lineOf = new Map<string, { functions: Set<string>; last: number }>();
  for (const s of input.series) {
    const head = firstOfLine.get(uf.find(s.ref))!.ref;
    let l = lineOf.get(head);
    if (!l) lineOf.set(head, (l = { functions: new Set(), last: -Infinity }));
    for (const x of s.functions) l.functions.add(x);
    l.last = Math.max(l.last, time(s.lastDate ?? s.date));
  }
  const byAuthor = new Map<string, SeriesUnit[]>();
  for (const s of firstOfLine.values()) byAuthor.set(s.author.toLowerCase(), [...(byAuthor.get(s.author.toLowerCase()) ?? []), s]);
  for (const heads of byAuthor.values()) {
    if (heads.length < 2) continue;
    heads.sort((a, b) => time(a.date) - time(b.date) || a.id - b.id);
    for (let i = 1; i < heads.length; i++) {
      const later = heads[i];
      if (later.version < 2 && !heads.slice(0, i).some((e) => e.isRfc && !later.isRfc)) continue;
      const fl = lineOf.get(later.ref)!.functions;
      if (!fl.size) continue;
      let best: { s: SeriesUnit; shared: string[]; jaccard: number } | null = null;
      for (let k = i - 1; k >= 0; k--) {
        const earlier = heads[k];
        if (uf.find(earlier.ref) === uf.find(later.ref)) continue;
        if (later.version < 2 && !earlier.isRfc) continue;
        const le = lineOf.get(earlier.ref)!;
        const gap = time(later.date) - le.last;
        if (!(gap >= -7 * DAY) || gap > SHARED_CODE_MERGE.maxDays * DAY) continue;
        const shared = [...fl].filter((f) => le.functions.has(f));
        const jaccard = shared.length / (fl.size + le.functions.size - shared.length);
        if (shared.length >= SHARED_CODE_MERGE.minShared && jaccard >= SHARED_CODE_MERGE.minJaccard && (!best || jaccard > best.jaccard)) best = { s: earlier, shared, jaccard };
      }
      if (best) {
        join(best.s.ref, later.ref, {
          method: "shared-code",
          confidence: SHARED_CODE_MERGE.confidence,
          evidence: { from: best.s.key, functions: best.shared.slice(0, 20), jaccard: Math.round(best.jaccard * 100) / 100, version: later.version },
        });
      }
    }
  }

  // 4. the groups
  const groups = new Map<string, string[]>();
  for (const ref of [...series.keys(), ...[...threads.values()].filter((t) => t.seed).map((t) => t.ref)]) {
    const root = uf.find(ref);
    groups.set(root, [...(groups.get(root) ?? []), ref]);
  }
  const reportsByThread = new Map<number, typeof input.reports>();
  for (const r of input.reports) reportsByThread.set(r.threadId, [...(reportsByThread.get(r.threadId) ?? []), r]);
  const candidatesOf = new Map<string, Candidate[]>();
  for (const { core, c } of candidates) {
    const root = uf.find(core);
    candidatesOf.set(root, [...(candidatesOf.get(root) ?? []), c]);
  }

  const proposals: ProposalDraft[] = [];
  const groupOf = new Map<string, ProposalDraft>();
  const ROLE_RANK: Record<MemberRole, number> = { rfc: 5, version: 4, report: 3, discussion: 2, reference: 1 };
  for (const [root, refs] of groups) {
    const ss = refs.map((r) => series.get(r)).filter((s): s is SeriesUnit => !!s).sort((a, b) => time(a.date) - time(b.date) || a.id - b.id);
    const ts = refs.map((r) => threads.get(r)).filter((t): t is ThreadUnit => !!t).sort((a, b) => time(a.date) - time(b.date) || a.id - b.id);
    const key = ss.length ? ss[0].key : ts[0].rootMsgid;
    const title = ss.length ? ss[ss.length - 1].title : cleanSubject(ts[0].subject);
    const members: MemberDraft[] = [];
    const first = ss.length ? ss[0].ref : ts[0].ref;
    for (const s of ss) {
      const j = joins.get(s.ref) ?? { method: "version-line", confidence: 1, evidence: s.versionLineId !== null ? { versionLine: s.versionLineId } : { first: s.ref === first } };
      members.push({
        ref: s.ref, seriesId: s.id, threadId: null, messageId: null, role: s.isRfc ? "rfc" : "version",
        method: j.method, confidence: round(j.confidence), evidence: { ...j.evidence, key: s.key },
      });
    }
    for (const t of ts) {
      const j = joins.get(t.ref) ?? { method: "root", confidence: 1, evidence: { seed: t.seed } };
      members.push({ ref: t.ref, seriesId: null, threadId: t.id, messageId: null, role: "rfc", method: j.method, confidence: round(j.confidence), evidence: { ...j.evidence, rootMsgid: t.rootMsgid, seed: t.seed } });
    }
    // threads without patches around it: best evidence per thread
    const best = new Map<string, Candidate>();
    for (const c of candidatesOf.get(root) ?? []) {
      const cur = best.get(c.unit.ref);
      if (!cur || c.confidence > cur.confidence || (c.confidence === cur.confidence && ROLE_RANK[c.role] > ROLE_RANK[cur.role])) best.set(c.unit.ref, c);
    }
    const memberThreads = [...best.values()].sort((a, b) => time(a.unit.date) - time(b.unit.date) || a.unit.id - b.unit.id);
    for (const c of memberThreads) {
      members.push({ ref: c.unit.ref, seriesId: null, threadId: c.unit.id, messageId: null, role: c.role, method: c.method, confidence: round(c.confidence), evidence: { ...c.evidence, rootMsgid: c.unit.rootMsgid } });
    }
    // robot reports that answer a patch in one of its threads
    const threadIds = new Set<number>([...ss.flatMap((s) => s.threadIds), ...ts.map((t) => t.id)]);
    const reportThreads = new Set(memberThreads.filter((c) => c.role === "report").map((c) => c.unit.id));
    for (const tid of [...threadIds].sort((a, b) => a - b)) {
      for (const r of reportsByThread.get(tid) ?? []) {
        if (reportThreads.has(tid)) continue;
        members.push({ ref: `message:${r.messageId}`, seriesId: null, threadId: tid, messageId: r.messageId, role: "report", method: "in-thread", confidence: 0.9, evidence: { msgid: r.msgid, threadId: tid } });
      }
    }
    const dates = [
      ...ss.flatMap((s) => [s.date, s.lastDate]),
      ...ts.flatMap((t) => [t.date, t.lastDate]),
      ...memberThreads.flatMap((c) => [c.unit.date, c.unit.lastDate]),
    ].filter((d): d is string => !!d && Number.isFinite(Date.parse(d)));
    dates.sort((a, b) => Date.parse(a) - Date.parse(b));
    const draft: ProposalDraft = {
      key,
      title,
      units: [...ss.map((s) => s.ref), ...ts.map((t) => t.ref)],
      members,
      firstDate: dates[0] ?? null,
      lastDate: dates[dates.length - 1] ?? null,
      authors: [...new Set([...ss.map((s) => s.author.toLowerCase()), ...ts.map((t) => (t.author ?? "").toLowerCase()).filter(Boolean)])],
      functions: [...new Set(ss.flatMap((s) => s.functions))].sort(),
      files: [...new Set(ss.flatMap((s) => s.files))].sort(),
      terms: mergeTerms([...ss.map((s) => s.terms), ...ts.map((t) => t.terms)]),
      mentions: [...new Set(ts.flatMap((t) => t.mentions ?? []))],
      lists: [...new Set([...ss.flatMap((s) => s.lists), ...ts.flatMap((t) => t.lists)])].sort(),
      postings: ss.length,
      seed: ss.length ? "series" : "thread",
    };
    proposals.push(draft);
    for (const r of refs) groupOf.set(r, draft);
  }

  // 5. explicit links between proposals: references that did not join, and Fixes:
  const links = new Map<string, LinkDraft>();
  const addLink = (a: ProposalDraft, b: ProposalDraft, method: string, confidence: number, evidence: Record<string, unknown>, kind?: LinkKind) => {
    if (a === b) return;
    let from = a;
    let to = b;
    // from the earlier to the later proposal; the kind from the dates unless the evidence says it
    const d = kindByDate(a, b);
    const k: LinkKind = kind ?? d.kind;
    if (!d.earlierFirst && kind !== "successor") [from, to] = [b, a];
    const id = `${from.key}\n${to.key}`;
    const rev = `${to.key}\n${from.key}`;
    const cur = links.get(id) ?? links.get(rev);
    if (cur) {
      const ev = (cur.evidence.also as unknown[] | undefined) ?? [];
      if (confidence > cur.confidence) {
        links.delete(cur.from + "\n" + cur.to);
        links.set(id, { from: from.key, to: to.key, kind: k, method, confidence: round(confidence), evidence: { ...evidence, also: [...ev, { method: cur.method, ...cur.evidence, also: undefined }].slice(0, 10) } });
      } else if (ev.length < 10) cur.evidence.also = [...ev, { method, ...evidence }];
      return;
    }
    links.set(id, { from: from.key, to: to.key, kind: k, method, confidence: round(confidence), evidence });
  };
  for (const l of refLinks) {
    const a = groupOf.get(l.a);
    const b = groupOf.get(l.b);
    if (!a || !b) continue;
    addLink(a, b, l.r.method, l.confidence, {
      fromMsgid: l.r.fromMsgid, toMsgid: l.r.toMsgid, line: l.r.line, text: l.r.text,
      ...(l.r.trailer ? { trailer: l.r.trailer } : {}), ...(l.r.basedOn ? { dependency: true } : {}),
    }, l.r.basedOn ? "related" : undefined);
  }
  const byTitle = new Map<string, SeriesUnit[]>();
  for (const s of input.series) for (const t of s.patchTitles) byTitle.set(t, [...(byTitle.get(t) ?? []), s]);
  for (const f of input.fixes) {
    const fixer = groupOf.get(f.from);
    if (!fixer) continue;
    const fixTime = time(series.get(f.from)?.date ?? null);
    const targets: { ref: string; confidence: number; how: string; msgid?: string }[] = f.commitTargets.map((t) => ({ ref: t.ref, confidence: FIXES_CONFIDENCE.commit, how: "upstream commit", msgid: t.msgid }));
    if (!targets.length && f.subject) {
      for (const s of byTitle.get(normalizeTitle(f.subject)) ?? []) {
        if (s.ref === f.from || !(time(s.date) < fixTime)) continue;
        targets.push({ ref: s.ref, confidence: FIXES_CONFIDENCE.subject, how: "subject" });
      }
    }
    const seen = new Set<ProposalDraft>();
    for (const t of targets) {
      const fixed = groupOf.get(t.ref);
      if (!fixed || fixed === fixer || seen.has(fixed)) continue;
      seen.add(fixed);
      addLink(fixed, fixer, "fixes", t.confidence, {
        fromMsgid: f.fromMsgid, commit: f.commit, subject: f.subject, line: f.line, text: f.text, matchedBy: t.how,
        ...(t.msgid ? { patchMsgid: t.msgid } : { series: series.get(t.ref)?.key }),
      }, "successor");
    }
  }
  return { proposals, links: [...links.values()] };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** "[LSF/MM/BPF TOPIC] Rotation queue: ..." -> "Rotation queue: ..." */
export function cleanSubject(s: string): string {
  return s.replace(/^\s*(?:(?:re|aw|sv|fwd?)\s*:\s*)*/i, "").replace(/^\s*(?:\[[^\]]*\]\s*)+/, "").trim() || s.trim();
}


