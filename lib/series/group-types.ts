// What series grouping (group.ts) takes and gives: the summaries of messages it reads, the
// postings it finds, and its options.

import type { BodyFacts } from "./body";
import type { SubjectInfo } from "./subject";

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

/** The posting's body facts: the union over its messages of what lib/series/body found in each. */
export interface SeriesFacts extends Pick<BodyFacts, "bodyRefs" | "supersedes" | "obsoletedBy" | "basedOn" | "previousVersionRefs" | "changelogVersions" | "hasChangelog"> {
  /** every message of the posting: cover first, then patches by index, then extra/dropped copies */
  msgids: string[];
  /** References + In-Reply-To of the cover (or first patch): a new version sent in reply to an old one */
  headerRefs: string[];
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
