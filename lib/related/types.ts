// The shapes of `patchlore related` / POST /api/related: what the input diff touches, the
// candidates the database offers, and the ranked answer. Plain data (JSON-safe).

/** One hunk of the input diff, as matching sees it. */
export interface QueryHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  heading: string;
  /** functions the changed lines are in (or define) */
  functions: string[];
}

export interface QueryFile {
  /** the path after the change (before, for a deletion) */
  path: string;
  /** the path before, when it differs (a rename) */
  oldPath: string | null;
  status: string;
  hunks: QueryHunk[];
  /** every function the file's changes touch */
  functions: string[];
  /** identifiers the changed lines call */
  called: string[];
}

/** What the input diff touches. */
export interface RelatedQuery {
  files: QueryFile[];
  /** git patch-id --stable of the input, to recognise the same change posted before */
  patchId: string | null;
  added: number;
  removed: number;
}

/** A stored hunk of a candidate patch (from the hunk table). */
export interface CandidateHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  heading: string;
  /** input functions whose definition the hunk's changed lines hold */
  defines: string[];
  /** input functions and identifiers its changed lines mention */
  mentions: string[];
}

export interface CandidateFile {
  path: string;
  hunks: CandidateHunk[];
}

export interface Person {
  name: string;
  address: string;
}

/** A series posting a candidate patch belongs to. */
export interface CandidateSeries {
  id: number;
  key: string;
  title: string;
  version: number;
  isRfc: boolean;
  total: number;
  date: string | null;
  author: Person;
  list: string | null;
  versionLine: number | null;
  /** the patch's place in it (0 = cover) */
  index: number;
  coverMsgid: string | null;
}

/** A stored patch that touches one of the input's files. */
export interface Candidate {
  messageId: string;
  msgid: string;
  title: string;
  subject: string;
  date: string | null;
  author: Person;
  /** a list the message is in (candidates are always in one) */
  list: string;
  /** patch | attachment | inline (a diff inside a reply) */
  patchKind: string;
  patchId: string | null;
  files: CandidateFile[];
  series: CandidateSeries[];
}

export type ReasonKind = "same-change" | "function" | "lines" | "mentions" | "file";

export interface RelatedReason {
  kind: ReasonKind;
  file: string;
  /** the function (function), the identifiers (mentions) */
  function?: string;
  identifiers?: string[];
  /** lines: the input's hunk and the candidate's, as "-old,count +new,count" */
  yours?: string;
  theirs?: string;
  /** the candidate patch (a series item gathers its patches' reasons) */
  msgid: string;
  /** one line a person reads */
  text: string;
}

export interface ScoredPatch {
  candidate: Candidate;
  /** the match alone, before recency and review tie-breakers */
  match: number;
  reasons: RelatedReason[];
}

/** Reviews and decisions gathered for an item (empty tables give zeros). */
export interface ReviewSummary {
  /** replies read as reviews */
  reviews: number;
  /** inline discussions and their comments */
  discussions: number;
  comments: number;
  openDiscussions: number;
  verdicts: { nak: number; ack: number; review: number; test: number };
  /** who NAKed (a veto), with the message and the version NAKed ("v1", "RFC v1"; null when unknown) */
  naks: { by: Person; msgid: string; date: string | null; version: string | null }[];
  /** trailers applied to the patches: Reviewed-by, Acked-by, Tested-by, ... -> people */
  trailers: { kind: string; people: string[] }[];
  /** applied, merged, queued, nak, superseded, withdrawn, rejected */
  decisions: { kind: string; target: string | null; msgid: string | null }[];
  /** upstream commits the patches became */
  commits: string[];
}

export interface RelatedUrls {
  /** the page, absolute */
  page: string;
  review?: string;
  api?: string;
}

export interface RelatedPatchRef {
  msgid: string;
  title: string;
  score: number;
  reasons: RelatedReason[];
}

export interface RelatedItem {
  kind: "patch" | "series" | "proposal";
  /** patch: the message; series: the latest matching posting's key; proposal: its id and key */
  msgid?: string;
  key?: string;
  id?: number;
  title: string;
  date: string | null;
  author: Person | null;
  list: string | null;
  /** rounded to 2 decimals */
  score: number;
  reasons: RelatedReason[];
  reviews: ReviewSummary | null;
  urls: RelatedUrls;
  /** series: the matching patches (best first) and every version of the line that matched */
  patches?: RelatedPatchRef[];
  versions?: { key: string; version: number; isRfc: boolean; date: string | null; url: string }[];
  /** proposal: its status and the series items it holds */
  status?: string;
  members?: string[];
}

export interface RelatedResult {
  query: {
    files: { path: string; functions: string[]; hunks: string[] }[];
    patchId: string | null;
    added: number;
    removed: number;
  };
  /** candidate patches looked at */
  candidates: number;
  items: RelatedItem[];
  tookMs: number;
  /** where the time went: fetching candidates, scoring and grouping, review summaries and proposals */
  timings?: { candidatesMs: number; rankMs: number; reviewsMs: number };
}
