// What the proposal grouping reads and writes. Plain, JSON-safe data: dates are ISO strings, the
// database layer (lib/passes/proposals) fills the inputs and writes the drafts.
import type { RefMethod } from "./refs";
import type { TermCounts } from "./text";

/** One posting of a series (a row of `series`). */
export interface SeriesUnit {
  /** "series:<id>" */
  ref: string;
  id: number;
  key: string;
  versionLineId: number | null;
  /** the version link into this posting, when it is a later version of another */
  versionLink: { from: string; method: string; confidence: number } | null;
  /** the threads its messages are in (usually one) */
  threadIds: number[];
  title: string;
  author: string;
  date: string | null;
  lastDate: string | null;
  isRfc: boolean;
  version: number;
  /** its patches' titles, normalized (refs.ts normalizeTitle), for Fixes: subjects */
  patchTitles: string[];
  /** "path::function" changed by its patches (code.ts) */
  functions: string[];
  files: string[];
  /** title + cover letter (or first commit message) term counts (text.ts) */
  terms: TermCounts;
  lists: string[];
}

/** A thread without any series: a design discussion, a bug report, a robot report, a topic. */
export interface ThreadUnit {
  /** "thread:<id>" */
  ref: string;
  id: number;
  rootMsgid: string;
  subject: string;
  author: string | null;
  date: string | null;
  lastDate: string | null;
  /** why this thread is a line of work of its own (an RFC or topic without patches), else null */
  seed: string | null;
  /** the thread starts with a robot report (kernel test robot, syzbot ...) */
  report: boolean;
  terms: TermCounts;
  /** identifiers its first message names (topic threads only; text.ts mentionedIdentifiers) */
  mentions?: string[];
  lists: string[];
}

/** A message of one unit naming a message of another (Message-ID, lore link, Link:/Closes:, footnote). */
export interface UnitReference {
  from: string;
  to: string;
  /** how the message names the other: as written (refs.ts), or a robot report's link to the patch it reports on */
  method: RefMethod | "robot-report";
  /** Link, Closes, ... for link-trailer */
  trailer: string | null;
  fromMsgid: string;
  toMsgid: string;
  /** written by the author of the `from` posting */
  byAuthor: boolean;
  /** in a cover letter or patch of the posting, not in a reply */
  inPosting: boolean;
  /** a dependency ("Based-on:", "depends on", "applies on top of"): another line of work */
  basedOn: boolean;
  line: number;
  text: string;
}

/** A `Fixes:` trailer of a patch of a series. */
export interface UnitFixes {
  /** the fixing series ("series:<id>") */
  from: string;
  fromMsgid: string;
  commit: string;
  subject: string | null;
  /** postings the commit is known to come from (patch_commit), when upstream commits are imported */
  commitTargets: { ref: string; msgid: string }[];
  line: number;
  text: string;
}

/** A robot report inside a thread (a reply to a patch): a member of the proposal of that thread. */
export interface ThreadReport {
  messageId: number;
  msgid: string;
  threadId: number;
}

export interface ProposalInput {
  series: SeriesUnit[];
  threads: ThreadUnit[];
  references: UnitReference[];
  fixes: UnitFixes[];
  reports: ThreadReport[];
}

export type MemberRole = "rfc" | "version" | "discussion" | "report" | "reference";

export interface MemberDraft {
  /** "series:<id>" | "thread:<id>" | "message:<id>" */
  ref: string;
  seriesId: number | null;
  threadId: number | null;
  messageId: number | null;
  role: MemberRole;
  /** version-line | root | body-ref | link-trailer | footnote | shared-code | in-thread | commit */
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

export interface ProposalDraft {
  /** stable: the first series' key, else the root Message-ID of the first topic thread */
  key: string;
  title: string;
  /** the series and topic threads that make it (its core) */
  units: string[];
  members: MemberDraft[];
  firstDate: string | null;
  lastDate: string | null;
  authors: string[];
  functions: string[];
  files: string[];
  terms: TermCounts;
  /** identifiers its topic threads name (see ProposalVector) */
  mentions: string[];
  lists: string[];
  /** series postings in it */
  postings: number;
  /** a series line, or a topic thread without patches */
  seed: "series" | "thread";
}

export type LinkKind = "predecessor" | "successor" | "alternative" | "related";

/** from -> to: `to` is the successor / alternative / related proposal of `from` (keys). */
export interface LinkDraft {
  from: string;
  to: string;
  kind: LinkKind;
  /** body-ref | link-trailer | footnote | fixes | shared-code | text-similarity */
  method: string;
  confidence: number;
  evidence: Record<string, unknown>;
}

/** What similarity links read of a proposal (a draft, or one stored by an earlier run). */
export interface ProposalVector {
  key: string;
  firstDate: string | null;
  lastDate: string | null;
  authors: string[];
  functions: string[];
  terms: TermCounts;
  /** function names a topic thread's text mentions ("shrink_folio_list()"): matched against the functions others changed */
  mentions?: string[];
}
