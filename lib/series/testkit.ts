// Test helpers: compact SeriesInput builders for the series tests (not used by production code).
import type { SeriesInput } from "./group";
import { extractBodyFacts } from "./body";
import { parseSubject } from "./subject";

export interface MailSpec {
  from?: string;
  /** minutes after the base time */
  at?: number | null;
  /** In-Reply-To; References default to [irt] */
  irt?: string | null;
  refs?: string[];
  diff?: boolean;
  patchId?: string | null;
  files?: string[];
  body?: string;
  threadId?: string;
}

export function makeMailer(base = "2024-03-04T10:00:00Z", defaultFrom = "alice@example.org") {
  const t0 = Date.parse(base);
  return (msgid: string, subject: string, spec: MailSpec = {}): SeriesInput => {
    const facts = extractBodyFacts(spec.body ?? "");
    const at = spec.at === undefined ? 0 : spec.at;
    const ps = parseSubject(subject);
    return {
      msgid,
      subject,
      from: spec.from ?? defaultFrom,
      date: at === null ? null : new Date(t0 + at * 60_000).toISOString(),
      references: spec.refs ?? (spec.irt ? [spec.irt] : []),
      inReplyTo: spec.irt ?? null,
      threadId: spec.threadId ?? null,
      // default: patches carry a diff, covers and replies do not
      hasDiff: spec.diff ?? (!ps.isReply && !ps.isCoverSubject),
      patchId: spec.patchId ?? null,
      files: spec.files ?? [],
      changeId: facts.changeId,
      baseCommit: facts.baseCommit,
      bodyRefs: facts.bodyRefs,
      supersedes: facts.supersedes,
      obsoletedBy: facts.obsoletedBy,
      basedOn: facts.basedOn,
      previousVersionRefs: facts.previousVersionRefs,
      changelogVersions: facts.changelogVersions,
    };
  };
}
