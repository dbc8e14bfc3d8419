// "Merged upstream": the commit(s) a patch became (lib/db/upstream.ts), with how the match was
// found (patch-id, a Link: trailer, or a fuzzy score of message and diff similarity) and its score.
import { cleanText, shortDate } from "../_lib/format";
import "../history.css";

export interface UpstreamCommitLike {
  sha: string;
  subject: string;
  method: string;
  score: number;
  /** committer date (or any date of the commit) */
  date?: string | null;
  committerDate?: string | null;
  repo?: string;
}

const METHOD_TEXT: Record<string, string> = {
  "patch-id": "same patch-id",
  link: "named by a Link: trailer",
  fuzzy: "similar message and diff",
};

export function UpstreamBadge({ c }: { c: UpstreamCommitLike }) {
  const date = c.committerDate ?? c.date ?? null;
  const how = `${METHOD_TEXT[c.method] ?? c.method}, score ${c.score.toFixed(2)}`;
  return (
    <span className={`upstream method-${c.method}`} title={`${c.repo ? `${c.repo}: ` : ""}${c.sha} (${how})`}>
      <span className="upstream-label">upstream</span> <span className="mono">{c.sha.slice(0, 12)}</span> <span className="upstream-subject">{cleanText(c.subject)}</span>
      {date ? <span className="dim"> {shortDate(date).slice(0, 10)}</span> : null}
      <span className="dim small"> ({c.method}{c.score < 1 ? ` ${c.score.toFixed(2)}` : ""})</span>
    </span>
  );
}

export function UpstreamBadges({ commits }: { commits: UpstreamCommitLike[] | undefined | null }) {
  if (!commits?.length) return null;
  return (
    <span className="upstreams">
      {commits.map((c) => (
        <UpstreamBadge key={c.sha} c={c} />
      ))}
    </span>
  );
}
