// The review views (app/[list]/[msgid]/review/, app/series/[key]/review/): verdicts on top (a NAK
// as a veto banner), trailers with where each came from, then the patch — commit message and
// diff, file by file — with every discussion rendered right under the line it is anchored to,
// and the general comments in their own section. Built from lib/review/view.ts's plain data; all
// mail text is React text (escaped), code is highlighted on the server (app/_lib/highlight.ts).
// The only client-side piece is the "Copy as Markdown" button (CopyMarkdown); the rest is HTML.
import { Fragment, type ReactNode } from "react";
import { headers } from "next/headers";
import { apiBaseUrl } from "@/lib/api/markdown";
import type { Verdict } from "@/lib/review/trailers";
import type { DiscussionView, PatchReviewView, ReviewCommentView, ReviewPerson, ReviewTrailerView, VerdictView } from "@/lib/review/view";
import type { ParsedDiff } from "@/lib/patch/diff";
import type { FileHighlight } from "../_lib/highlight";
import { cleanText, plural, shortDate } from "../_lib/format";
import { discussionAnchor, messageUrl, reviewUrl } from "../_lib/urls";
import { Body } from "./Body";
import { CopyMarkdown } from "./CopyMarkdown";
import { DiffFile, DiffStat } from "./DiffView";

/** The base of absolute links in copied Markdown, as the API's ?format=md has it: PATCHLORE_BASE_URL,
 * else the origin the request came to. */
export async function markdownBaseUrl(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host");
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return apiBaseUrl(host ? { origin: `${proto === "https" ? "https" : "http"}://${host}` } : {});
}

// ---------------------------------------------------------------------------------------------
// small pieces

export const VERDICT_LABEL: Record<Verdict, string> = { nak: "NAKed", ack: "Acked", review: "Reviewed", test: "Tested" };
const VERDICT_ORDER: Verdict[] = ["nak", "ack", "review", "test"];

/** A message link when the list is known (every page of a message is under its list), else null. */
export const msgHref = (list: string | null, msgid: string) => (list ? messageUrl(list, msgid) : null);

function MaybeLink({ href, children, className, title }: { href: string | null; children: ReactNode; className?: string; title?: string }) {
  return href ? (
    <a href={href} className={className} title={title}>
      {children}
    </a>
  ) : (
    <span className={className} title={title}>
      {children}
    </span>
  );
}

export function Who({ p }: { p: ReviewPerson }) {
  return (
    <span className="who" title={p.address || undefined}>
      {cleanText(p.name || p.address || "(unknown)")}
    </span>
  );
}

export function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{shortDate(iso)} UTC</time> : <span className="dim">(no date)</span>;
}

/** "0.85" */
const conf = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

export function VerdictBadge({ v }: { v: Verdict | null }) {
  if (!v) return <span className="verdict none">no verdict</span>;
  return <span className={`verdict v-${v}`}>{VERDICT_LABEL[v]}</span>;
}

/** Verdicts on top: each NAK as a red veto banner naming who gave it and linking the message, then the others grouped. */
export function Verdicts({
  verdicts,
  verdict,
  list,
  scope,
  seriesHref,
  fromPatches,
}: {
  verdicts: VerdictView[];
  verdict: Verdict | null;
  list: string | null;
  scope: "patch" | "series";
  /** the series review, where verdicts given on the cover letter are (they count for the patch too) */
  seriesHref?: string | null;
  /** a series: how many of its patches have a verdict (the series verdict is theirs and the cover letter's, lib/review seriesVerdict) */
  fromPatches?: { with: number; of: number };
}) {
  // a verdict its reviewer took back (a NAK followed by their Ack) is listed as withdrawn, no veto
  const standing = verdicts.filter((v) => !v.withdrawn);
  const naks = standing.filter((v) => v.verdict === "nak");
  const rest = VERDICT_ORDER.filter((k) => k !== "nak").map((k) => [k, standing.filter((v) => v.verdict === k)] as const);
  const withdrawn = verdicts.filter((v) => v.withdrawn);
  return (
    <section className="verdicts" aria-label={`Verdicts on the ${scope}`}>
      {naks.map((v, i) => (
        <div key={i} className="veto" role="note">
          <strong>NAK</strong> — this {scope} was vetoed by <Who p={v.by} /> (<When iso={v.date} />).{" "}
          <MaybeLink href={msgHref(list, v.msgid)}>the message</MaybeLink>
          {v.evidence ? <q className="evidence">{cleanText(v.evidence)}</q> : null}
        </div>
      ))}
      <p className="verdict-line">
        <span className="vl-label">verdict:</span> <VerdictBadge v={verdict} />
        {rest.map(([k, vs]) =>
          vs.length ? (
            <span key={k} className="vl-group">
              {" "}
              <span className={`vl-kind k-${k}`}>{VERDICT_LABEL[k]}</span> by{" "}
              {vs.map((v, i) => (
                <Fragment key={i}>
                  {i ? ", " : ""}
                  <MaybeLink href={msgHref(list, v.msgid)} title={v.evidence ? cleanText(v.evidence) : undefined}>
                    <Who p={v.by} />
                  </MaybeLink>
                  {v.source === "commit-message" ? <span className="dim small"> (carried in the patch)</span> : null}
                </Fragment>
              ))}
            </span>
          ) : null,
        )}
        {withdrawn.length ? (
          <span className="vl-group withdrawn">
            {" "}
            withdrawn:{" "}
            {withdrawn.map((v, i) => (
              <Fragment key={i}>
                {i ? ", " : ""}
                <span className={`vl-kind k-${v.verdict}`}>{VERDICT_LABEL[v.verdict]}</span> by{" "}
                <MaybeLink href={msgHref(list, v.msgid)} title={v.evidence ? cleanText(v.evidence) : undefined}>
                  <Who p={v.by} />
                </MaybeLink>
              </Fragment>
            ))}
          </span>
        ) : null}
        {verdict && scope === "patch" && !standing.some((v) => v.verdict === verdict) ? (
          <span className="dim">
            {" "}
            — given to the whole series on its cover letter{seriesHref ? <> (<a href={seriesHref}>the series review</a>)</> : null}
          </span>
        ) : null}
        {scope === "series" && fromPatches && fromPatches.of ? (
          <span className="dim vl-from">
            {" "}
            — {verdict && !standing.some((v) => v.verdict === verdict) ? "from its patches' verdicts: " : ""}
            {fromPatches.with} of {plural(fromPatches.of, "patch", "patches")} with a verdict
          </span>
        ) : null}
        {!verdict ? <span className="dim"> — nobody has given one yet</span> : null}
      </p>
    </section>
  );
}

const VIA_TEXT: Record<ReviewTrailerView["via"], string> = {
  "commit-message": "in the patch",
  reply: "in a reply",
  cover: "on the cover letter",
  "patch-id": "carried (same patch-id)",
};

export function Trailers({ trailers, list }: { trailers: ReviewTrailerView[]; list: string | null }) {
  if (!trailers.length) return null;
  return (
    <section className="review-trailers" aria-label="Trailers">
      <h2 className="section-title">Trailers</h2>
      <table className="grid trailers">
        <tbody>
          {trailers.map((t, i) => (
            <tr key={i} className={t.mismatch ? "mismatch" : undefined}>
              <td className="mono kind">{cleanText(t.kind)}:</td>
              <td className="mono value">{t.person ? <Who p={t.person} /> : cleanText(t.value)}</td>
              <td className={`via via-${t.via}`}>
                <MaybeLink href={msgHref(list, t.msgid)}>{VIA_TEXT[t.via] ?? t.via}</MaybeLink>
              </td>
              <td>
                {t.mismatch ? (
                  <span className="tag warn" title="the trailer names someone other than the sender of the message it is in: shown, not applied">
                    not the sender
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// discussions

/** Where a discussion sits, in words: "mm/swap.c:123 (new) in folio_rotate_reclaimable()". */
export function whereText(d: DiscussionView): string {
  if (d.part === "general") return "general comment";
  if (d.part === "message") {
    const t = d.anchor?.part === "message" ? d.anchor.patchText.trim() : "";
    return cleanText(t ? `commit message: “${t.length > 60 ? `${t.slice(0, 60)}…` : t}”` : "commit message");
  }
  const at = d.file ? `${d.file}${d.line !== null ? `:${d.line}` : ""}` : "the diff";
  return cleanText(`${at}${d.side ? ` (${d.side})` : ""}${d.heading ? ` in ${d.heading}` : ""}`);
}

/** How a comment was placed on its line (lib/review/anchor.ts); general comments are not placed. */
const METHOD_TEXT: Record<string, string> = { exact: "exact match", fuzzy: "fuzzy match", order: "placed by order", thread: "in the thread" };

function Comment({ c, list, byId }: { c: ReviewCommentView; list: string | null; byId: Map<string, ReviewCommentView> }) {
  const parent = c.inReplyTo ? byId.get(c.inReplyTo) : undefined;
  return (
    <li className={`comment${c.inReplyTo ? " reply" : ""}${c.byPatchAuthor ? " by-author" : ""}`} id={`c-${c.id}`}>
      <header className="comment-head">
        <Who p={c.author} />
        {c.byPatchAuthor ? <span className="tag">author</span> : null}
        {parent ? (
          <span className="dim small">
            {" "}
            replying to <Who p={parent.author} />
          </span>
        ) : null}
        <span className="dim small">
          {" · "}
          <MaybeLink href={msgHref(list, c.msgid)} title="the message this comment is in">
            <When iso={c.date} />
          </MaybeLink>
        </span>
        {METHOD_TEXT[c.method] ? (
          <span className="method dim small" title={`how the comment was placed: ${c.method}; confidence ${conf(c.confidence)}`}>
            {METHOD_TEXT[c.method]}, {conf(c.confidence)}
          </span>
        ) : null}
      </header>
      {c.quote?.length ? (
        <blockquote className="comment-quote" aria-label="the quoted lines this comment answers">
          {c.quote.map((l, i) => (
            <span className="ql" key={i}>
              {cleanText(l)}
              {"\n"}
            </span>
          ))}
        </blockquote>
      ) : null}
      <div className="comment-text">
        <Body text={c.text} />
      </div>
    </li>
  );
}

/** One discussion: where it is, its status, the comments in order, the copy control. */
export function Discussion({ d, list, markdown, showCode = false }: { d: DiscussionView; list: string | null; markdown: string; showCode?: boolean }) {
  const byId = new Map(d.comments.map((c) => [c.id, c]));
  return (
    <article className={`discussion st-${d.status}`} id={discussionAnchor(d.id)} aria-label={`discussion on ${whereText(d)}`}>
      <header className="discussion-head">
        <a href={`#${discussionAnchor(d.id)}`} className="anchor" aria-label="link to this discussion">
          #
        </a>
        <span className="where mono">{whereText(d)}</span>
        {d.status === "resolved" ? (
          <span className="status resolved" title={d.resolvedEvidence ? cleanText(d.resolvedEvidence) : undefined}>
            resolved
            {d.resolvedHow ? <span className="how">: {cleanText(d.resolvedHow)}</span> : null}
            {d.resolvedConfidence !== null ? <span className="dim">, {conf(d.resolvedConfidence)}</span> : null}
          </span>
        ) : (
          <span className="status open">open</span>
        )}
        <span className="dim small">{plural(d.comments.length, "comment")}</span>
        <span className="copy">
          <CopyMarkdown markdown={markdown} label="Copy as Markdown" />
        </span>
      </header>
      {d.carriedFrom || d.carriedTo ? (
        <p className="carried small">
          {d.carriedFrom ? (
            <span>
              carried from{" "}
              <MaybeLink href={list ? `${reviewUrl(list, d.carriedFrom.patchMsgid)}#${discussionAnchor(d.carriedFrom.discussionId)}` : null}>the previous version</MaybeLink>
              {", where it was left open"}
            </span>
          ) : null}
          {d.carriedFrom && d.carriedTo ? "; " : null}
          {d.carriedTo ? (
            <span>
              carried to <MaybeLink href={list ? reviewUrl(list, d.carriedTo.patchMsgid) : null}>the next version</MaybeLink>
              {d.carriedTo.anchor?.part === "diff" ? ` (${d.carriedTo.anchor.file}:${d.carriedTo.anchor.side === "old" ? d.carriedTo.anchor.oldLine : d.carriedTo.anchor.newLine})` : ""}
            </span>
          ) : null}
        </p>
      ) : null}
      {d.status === "resolved" && d.resolvedEvidence ? <p className="resolved-evidence small dim">{cleanText(d.resolvedEvidence)}</p> : null}
      {showCode && d.code.length ? (
        <pre className="anchored-code" aria-label="the code commented on">
          {d.code.map((l, i) => (
            <span key={i} className={`cl${l.startsWith("+") ? " add" : l.startsWith("-") ? " del" : ""}${i === d.code.length - 1 ? " at" : ""}`}>
              {l}
              {"\n"}
            </span>
          ))}
        </pre>
      ) : null}
      {d.comments.length ? (
        <ol className="comments">
          {d.comments.map((c) => (
            <Comment key={c.id} c={c} list={list} byId={byId} />
          ))}
        </ol>
      ) : (
        <p className="dim small">(no comments)</p>
      )}
    </article>
  );
}

function DiscussionStack({ ds, list, md }: { ds: DiscussionView[]; list: string | null; md: Map<string, string> }) {
  return (
    <div className="discussions">
      {ds.map((d) => (
        <Discussion key={d.id} d={d} list={list} markdown={md.get(d.id) ?? ""} />
      ))}
    </div>
  );
}

/** A table row holding discussions, under a diff line or a hunk header. */
function DiscussionRow({ ds, list, md }: { ds: DiscussionView[]; list: string | null; md: Map<string, string> }) {
  return (
    <tr className="discussion-row">
      <td colSpan={4}>
        <DiscussionStack ds={ds} list={list} md={md} />
      </td>
    </tr>
  );
}

// ---------------------------------------------------------------------------------------------
// placing discussions on the patch

export interface Placement {
  /** per file index: discussions on the file's header lines, on a hunk header (by hunk index), on a line ("hi:li") */
  files: Map<number, { file: DiscussionView[]; hunk: Map<number, DiscussionView[]>; line: Map<string, DiscussionView[]> }>;
  /** commit-message discussions by 0-based body line */
  message: Map<number, DiscussionView[]>;
  general: DiscussionView[];
  /** anchored to something this rendering of the patch does not show */
  unplaced: DiscussionView[];
}

const push = <K,>(m: Map<K, DiscussionView[]>, k: K, d: DiscussionView) => m.set(k, [...(m.get(k) ?? []), d]);

/**
 * Where each discussion goes: a diff discussion at the place the review pass stored for it
 * (lib/review/placement, on this same diff), a commit-message one by its body line when that line
 * is shown (before the diff).
 */
export function placeDiscussions(diff: ParsedDiff, messageEnd: number, discussions: DiscussionView[]): Placement {
  const out: Placement = { files: new Map(), message: new Map(), general: [], unplaced: [] };
  const slot = (fi: number) => {
    let s = out.files.get(fi);
    if (!s) out.files.set(fi, (s = { file: [], hunk: new Map(), line: new Map() }));
    return s;
  };
  for (const d of discussions) {
    if (d.part === "general") {
      out.general.push(d);
      continue;
    }
    if (d.part === "message") {
      const line = d.anchor?.part === "message" ? d.anchor.line : d.line;
      if (line !== null && line >= 0 && line < messageEnd) push(out.message, line, d);
      else out.unplaced.push(d);
      continue;
    }
    const at = d.place;
    if (!at || !diff.files[at.fileIndex]) {
      out.unplaced.push(d);
      continue;
    }
    const s = slot(at.fileIndex);
    if (at.hunkIndex === -1) s.file.push(d);
    else if (at.lineIndex === -1) push(s.hunk, at.hunkIndex, d);
    else push(s.line, `${at.hunkIndex}:${at.lineIndex}`, d);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// the patch with its discussions

/** The commit message (and notes, diffstat) line by line, discussions under their lines. */
function MessageLines({ lines, place, list, md }: { lines: string[]; place: Placement; list: string | null; md: Map<string, string> }) {
  return (
    <div className="code-wrap">
      <table className="msgtext">
        <tbody>
          {lines.map((l, i) => {
            const ds = place.message.get(i);
            return (
              <Fragment key={i}>
                <tr className={ds ? "anchored" : undefined}>
                  <td className="mk">{ds ? "▸" : ""}</td>
                  <td className="src">{cleanText(l)}</td>
                </tr>
                {ds ? (
                  <tr className="discussion-row">
                    <td colSpan={2}>
                      <DiscussionStack ds={ds} list={list} md={md} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export interface PatchReviewBodyProps {
  view: PatchReviewView;
  /** the diff parsed from view.body (line numbers index its lines) */
  diff: ParsedDiff;
  highlight: FileHighlight[];
  /** Markdown of each discussion, by id (the copy controls) */
  markdown: Map<string, string>;
}

/** Everything below the header: general comments, the commit message and the diff with discussions. */
export function PatchReviewBody({ view, diff, highlight, markdown }: PatchReviewBodyProps) {
  const bodyLines = view.body.split("\n");
  let messageEnd = diff.files.length ? diff.startLine : bodyLines.length;
  while (messageEnd > 0 && !bodyLines[messageEnd - 1].trim()) messageEnd--;
  const place = placeDiscussions(diff, messageEnd, view.discussions);
  const list = view.list;
  return (
    <>
      {place.general.length ? (
        <section className="review-general" aria-label="General comments">
          <h2 className="section-title">General comments</h2>
          <DiscussionStack ds={place.general} list={list} md={markdown} />
        </section>
      ) : null}
      <section className="review-message" aria-label="Commit message">
        <h2 className="section-title">Commit message{diff.files.length ? " and notes" : ""}</h2>
        <MessageLines lines={bodyLines.slice(0, messageEnd)} place={place} list={list} md={markdown} />
      </section>
      {diff.files.length ? (
        <>
          <DiffStat diff={diff} />
          <div className="diffview review-diff">
            {diff.files.map((f, fi) => {
              const s = place.files.get(fi);
              return (
                <DiffFile
                  key={fi}
                  f={f}
                  n={fi + 1}
                  hl={highlight[fi]}
                  annotate={
                    s
                      ? {
                          file: s.file.length ? (
                            <div className="file-discussions">
                              <DiscussionStack ds={s.file} list={list} md={markdown} />
                            </div>
                          ) : undefined,
                          hunk: (hi) => {
                            const ds = s.hunk.get(hi);
                            return ds ? <DiscussionRow ds={ds} list={list} md={markdown} /> : null;
                          },
                          line: (hi, li) => {
                            const ds = s.line.get(`${hi}:${li}`);
                            return ds ? { className: "anchored", after: <DiscussionRow ds={ds} list={list} md={markdown} /> } : null;
                          },
                        }
                      : undefined
                  }
                />
              );
            })}
          </div>
        </>
      ) : (
        <p className="notice">No diff could be read from this patch.</p>
      )}
      {place.unplaced.length ? (
        <section className="review-unplaced" aria-label="Other discussions">
          <h2 className="section-title">Discussions on lines not shown above</h2>
          <div className="discussions">
            {place.unplaced.map((d) => (
              <Discussion key={d.id} d={d} list={list} markdown={markdown.get(d.id) ?? ""} showCode />
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}

/** "3 discussions: 1 open, 2 resolved" */
export function discussionCounts(ds: DiscussionView[]): { open: number; resolved: number } {
  let open = 0;
  for (const d of ds) if (d.status === "open") open++;
  return { open, resolved: ds.length - open };
}

/** The discussions of a patch as a compact list linking to them (the table of contents). */
export function DiscussionIndex({ ds, href }: { ds: DiscussionView[]; href: (d: DiscussionView) => string }) {
  if (!ds.length) return null;
  return (
    <ol className="discussion-index">
      {ds.map((d) => {
        const c = d.comments[0];
        const text = c ? c.text.replace(/\s+/g, " ").trim() : "";
        return (
          <li key={d.id} className={`st-${d.status}`}>
            <a href={href(d)}>
              <span className="mono">{whereText(d)}</span>
            </a>{" "}
            <span className={`status ${d.status}`}>{d.status}</span>
            {c ? (
              <span className="dim">
                {" "}
                — <Who p={c.author} />: {cleanText(text.length > 120 ? `${text.slice(0, 120)}…` : text)}
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
