// Reviews as GitHub-flavoured Markdown for pull requests: one discussion (where it is, the code
// commented on as a ```diff block, each comment with its author, date and permalink), or a whole
// review of a patch or a series (verdicts, a NAK shown as the veto it is, trailers, discussions
// grouped per file). Built from lib/review/view.ts's view model.
import type { BlockContent, PhrasingContent, RootContent } from "mdast";
import type { Verdict } from "../review/trailers";
import type { DiscussionView, PatchReviewView, ReviewCommentView, ReviewTrailerView, SeriesReviewView, VerdictView } from "../review/view";
import { describeDefinition, functionFromHeading } from "../code/functions";
import { Links } from "./links";
import type { MarkdownOptions } from "./message";
import {
  code, emphasis, formatDate, heading, inlineCode, joinPhrasing, label, link, list, paragraph, person, prose, strong, text,
} from "./nodes";
import { toMarkdown } from "./stringify";

export const VERDICT_LABEL: Record<Verdict, { icon: string; text: string }> = {
  nak: { icon: "❌", text: "NAK" },
  ack: { icon: "✅", text: "Acked" },
  review: { icon: "🔍", text: "Reviewed" },
  test: { icon: "🧪", text: "Tested" },
};

/** What a discussion needs to know about the message it is on. */
export interface DiscussionContext {
  list: string | null;
  msgid: string;
  subject: string;
  /** the discussion is on a series' cover letter: its review page is the series' */
  seriesKey?: string;
}

type ReviewLike = PatchReviewView | SeriesReviewView;

const isSeries = (v: ReviewLike | DiscussionContext): v is SeriesReviewView => "patches" in v && Array.isArray((v as SeriesReviewView).patches);
const isPatchView = (v: ReviewLike | DiscussionContext): v is PatchReviewView => "discussions" in v && "trailers" in v && !isSeries(v);

/** The message a discussion is on: the patch, or a series' cover letter. */
export function contextOf(v: ReviewLike | DiscussionContext): DiscussionContext {
  if (isSeries(v)) return { list: v.list, msgid: v.cover?.msgid ?? v.key, subject: v.cover?.subject ?? v.title, seriesKey: v.key };
  if (isPatchView(v)) return { list: v.list, msgid: v.msgid, subject: v.subject };
  return v;
}

function messageLink(links: Links, list: string | null, msgid: string, caption: string): PhrasingContent {
  return list ? link(links.message(list, msgid), text(caption)) : text(`${caption} <${msgid}>`);
}

/** "`mm/vmscan.c` line 80 (new) in `shrink_folio_list()`", "commit message, line 5", "general comment". */
export function whereNodes(d: DiscussionView, opts: { withFile?: boolean } = {}): PhrasingContent[] {
  if (d.part === "general" || (!d.file && d.part !== "message")) return [label("general comment")];
  if (d.part === "message") {
    return [label(d.line !== null ? `commit message, line ${d.line + 1}` : "commit message")];
  }
  const out: PhrasingContent[] = [];
  if (opts.withFile !== false && d.file) out.push(inlineCode(d.file), label(" "));
  if (d.line !== null) out.push(label(`line ${d.line}${d.side ? ` (${d.side})` : ""}`));
  else out.push(label("file header"));
  const fn = d.heading ? functionFromHeading(d.heading, d.file) : null;
  if (fn) out.push(label(" in "), inlineCode(describeDefinition(fn, [d.heading!])));
  return out;
}

function statusNodes(d: DiscussionView): PhrasingContent[] {
  if (d.status === "resolved") {
    const how = d.resolvedHow ? `: ${d.resolvedHow.replace(/-/g, " ")}` : "";
    return [label(`✔️ resolved${how}`)];
  }
  return [label("💬 open")];
}

function commentNodes(c: ReviewCommentView, byId: Map<string, ReviewCommentView>, ctx: DiscussionContext, links: Links): BlockContent[] {
  const parent = c.inReplyTo ? byId.get(c.inReplyTo) : undefined;
  const meta = joinPhrasing([
    [...person(c.author), ...(c.byPatchAuthor ? [label(" (patch author)")] : [])],
    [label(formatDate(c.date))],
    [messageLink(links, ctx.list, c.msgid, "message")],
    parent ? [label("replying to "), ...person({ name: parent.author.name, address: "" })] : [],
  ]);
  const body = prose(c.text);
  return [paragraph(...meta), { type: "blockquote", children: body.length ? body : [paragraph(emphasis(label("(empty)")))] }];
}

/** One discussion as mdast blocks, its heading at `depth`. */
export function discussionNodes(
  d: DiscussionView,
  ctx: DiscussionContext,
  links: Links,
  opts: { depth: number; withFile?: boolean },
): BlockContent[] {
  const out: BlockContent[] = [];
  out.push(heading(opts.depth, ...whereNodes(d, { withFile: opts.withFile }), label(" — "), ...statusNodes(d)));
  const on: PhrasingContent[][] = [
    [label("on "), messageLink(links, ctx.list, ctx.msgid, ctx.subject || "(no subject)")],
  ];
  if (ctx.seriesKey) on.push([link(`${links.seriesReview(ctx.seriesKey)}#d-${encodeURIComponent(d.id)}`, label("discussion"))]);
  else if (ctx.list) on.push([link(links.discussion(ctx.list, ctx.msgid, d.id), label("discussion"))]);
  if (d.carriedFrom) {
    on.push([
      label("carried from "),
      ctx.list ? link(links.discussion(ctx.list, d.carriedFrom.patchMsgid, d.carriedFrom.discussionId), label("the previous version")) : label("the previous version"),
      label(", where it was left open"),
    ]);
  }
  if (d.carriedTo) {
    on.push([label("carried to "), ctx.list ? link(links.review(ctx.list, d.carriedTo.patchMsgid), label("the next version")) : label("the next version")]);
  }
  out.push(paragraph(...joinPhrasing(on)));
  if (d.code.length) out.push(code(d.code.join("\n"), d.part === "diff" ? "diff" : null));
  const byId = new Map(d.comments.map((c) => [c.id, c]));
  for (const c of d.comments) out.push(...commentNodes(c, byId, ctx, links));
  if (d.status === "resolved" && d.resolvedEvidence) {
    const conf = d.resolvedConfidence !== null ? ` (confidence ${Math.round(d.resolvedConfidence * 100)}%)` : "";
    out.push(paragraph(emphasis(label(`Resolved${conf}: `), text(d.resolvedEvidence))));
  }
  return out;
}

/** One discussion of a patch (or of a series' cover letter) as Markdown. */
export function discussionToMarkdown(where: ReviewLike | DiscussionContext, d: DiscussionView, opts: MarkdownOptions): string {
  return toMarkdown(discussionNodes(d, contextOf(where), new Links(opts.baseUrl), { depth: opts.headingDepth ?? 3 }));
}

function verdictItem(v: VerdictView, list: string | null, links: Links): BlockContent[] {
  const l = VERDICT_LABEL[v.verdict];
  const line = joinPhrasing([
    [label(`${l.icon} `), strong(label(l.text)), ...(v.withdrawn ? [label(" (withdrawn)")] : []), label(" by "), ...person(v.by)],
    [label(formatDate(v.date))],
    [messageLink(links, list, v.msgid, "message")],
  ]);
  if (v.evidence) line.push(label(" — "), inlineCode(v.evidence.trim()));
  return [paragraph(...line)];
}

/** "❌ NAK by X (a NAK is a veto)", "✅ Acked by X, Y", "no verdict yet". */
export function verdictSummary(verdict: Verdict | null, verdicts: VerdictView[]): PhrasingContent[] {
  if (!verdict) return [strong(label("Verdict:")), label(" none yet")];
  const l = VERDICT_LABEL[verdict];
  // each person once (a reviewer may NAK in two replies)
  const who = [...new Set(verdicts.filter((v) => v.verdict === verdict && !v.withdrawn).map((v) => v.by.name || v.by.address))];
  const out: PhrasingContent[] = [strong(label("Verdict:")), label(` ${l.icon} `), strong(label(l.text))];
  if (who.length) {
    out.push(label(" by "));
    who.forEach((name, i) => {
      if (i) out.push(label(", "));
      out.push(text(name));
    });
  }
  if (verdict === "nak") out.push(label(" — a NAK is a veto"));
  return out;
}

const VIA: Record<ReviewTrailerView["via"], string> = {
  "commit-message": "in the commit message",
  reply: "in a reply",
  cover: "on the cover letter",
  "patch-id": "carried from an earlier version (same patch-id)",
};

function trailerItem(t: ReviewTrailerView, list: string | null, links: Links): BlockContent[] {
  const line: PhrasingContent[] = [inlineCode(`${t.kind}: ${t.value}`), label(` ${VIA[t.via]} (`), messageLink(links, list, t.msgid, "message"), label(")")];
  if (t.mismatch) line.push(label(" — ⚠️ names someone other than the sender: shown, not applied"));
  return [paragraph(...line)];
}

function patchReviewBody(v: PatchReviewView, links: Links, depth: number): BlockContent[] {
  const out: BlockContent[] = [];
  const ctx = contextOf(v);
  out.push(paragraph(...verdictSummary(v.verdict, v.verdicts)));
  if (v.verdicts.length) {
    out.push(heading(depth, label("Verdicts")));
    out.push(list(v.verdicts.map((x) => verdictItem(x, v.list, links))));
  }
  if (v.trailers.length) {
    out.push(heading(depth, label("Trailers")));
    out.push(list(v.trailers.map((t) => trailerItem(t, v.list, links))));
  }
  if (v.discussions.length) {
    const open = v.discussions.filter((d) => d.status === "open").length;
    out.push(heading(depth, label(`Discussions (${v.discussions.length}, ${open} open)`)));
    out.push(...groupedDiscussions(v.discussions, ctx, links, depth + 1));
  }
  return out;
}

/** Discussions per file (in the order the files come), then on the commit message, then general. */
function groupedDiscussions(ds: DiscussionView[], ctx: DiscussionContext, links: Links, depth: number): BlockContent[] {
  const out: BlockContent[] = [];
  const files = new Map<string, DiscussionView[]>();
  const message: DiscussionView[] = [];
  const general: DiscussionView[] = [];
  for (const d of ds) {
    if (d.part === "diff" && d.file) files.set(d.file, [...(files.get(d.file) ?? []), d]);
    else if (d.part === "message") message.push(d);
    else general.push(d);
  }
  const byLine = (a: DiscussionView, b: DiscussionView) => (a.line ?? -1) - (b.line ?? -1);
  for (const [file, list] of files) {
    out.push(heading(depth, inlineCode(file)));
    for (const d of [...list].sort(byLine)) out.push(...discussionNodes(d, ctx, links, { depth: depth + 1, withFile: false }));
  }
  if (message.length) {
    out.push(heading(depth, label("Commit message")));
    for (const d of [...message].sort(byLine)) out.push(...discussionNodes(d, ctx, links, { depth: depth + 1 }));
  }
  if (general.length) {
    out.push(heading(depth, label("General")));
    for (const d of general) out.push(...discussionNodes(d, ctx, links, { depth: depth + 1 }));
  }
  return out;
}

function patchHeader(v: PatchReviewView, links: Links, depth: number, inSeries: boolean): BlockContent[] {
  const title: PhrasingContent[] = [];
  if (inSeries && v.series?.index != null) title.push(label(`[${v.series.index}/${v.series.total}] `));
  const subject = text(v.subject || "(no subject)");
  title.push(v.list ? link(links.review(v.list, v.msgid), subject) : subject);
  const meta = joinPhrasing([
    person(v.author),
    [label(formatDate(v.date))],
    [messageLink(links, v.list, v.msgid, "patch")],
    v.series && !inSeries
      ? [link(links.series(v.series.key), label(`series v${v.series.version}${v.series.index != null ? ` ${v.series.index}/${v.series.total}` : ""}`))]
      : [],
    v.reconstructed ? [emphasis(label("rebuilt from quotes: the original is not in the archive"))] : [],
  ]);
  return [heading(depth, ...(inSeries ? [] : [label("Review: ")]), ...title), paragraph(...meta)];
}

export function patchReviewNodes(v: PatchReviewView, links: Links, depth = 2, inSeries = false): BlockContent[] {
  return [...patchHeader(v, links, depth, inSeries), ...patchReviewBody(v, links, depth + 1)];
}

export function seriesReviewNodes(v: SeriesReviewView, links: Links, depth = 2): BlockContent[] {
  const out: BlockContent[] = [];
  const title = text(`${v.title} (v${v.version})`);
  out.push(heading(depth, label("Review: "), link(links.seriesReview(v.key), title)));
  const meta: PhrasingContent[][] = [[link(links.series(v.key), label(`series of ${v.patches.length} patch${v.patches.length === 1 ? "" : "es"}`))]];
  if (v.cover) {
    meta.push([label("cover letter by "), ...person(v.cover.author)], [label(formatDate(v.cover.date))], [messageLink(links, v.list, v.cover.msgid, "cover letter")]);
  }
  out.push(paragraph(...joinPhrasing(meta)));
  // (the series' verdict comes from its patches' too: their reviewers are named with it)
  out.push(paragraph(...verdictSummary(v.verdict, [...v.verdicts, ...v.patches.flatMap((p) => p.verdicts)])));
  if (v.verdicts.length) {
    out.push(heading(depth + 1, label("Verdicts on the series")));
    out.push(list(v.verdicts.map((x) => verdictItem(x, v.list, links))));
  }
  if (v.discussions.length) {
    out.push(heading(depth + 1, label(`Discussion of the cover letter (${v.discussions.length})`)));
    for (const d of v.discussions) out.push(...discussionNodes(d, contextOf(v), links, { depth: depth + 2 }));
  }
  // a table of the patches' verdicts and open discussions, then each patch
  if (v.patches.length) {
    out.push(heading(depth + 1, label("Patches")));
    out.push(
      list(
        v.patches.map((p) => {
          const open = p.discussions.filter((d) => d.status === "open").length;
          const parts: PhrasingContent[][] = [
            [label(p.series?.index != null ? `${p.series.index}/${p.series.total} ` : ""), text(p.subject)],
            [label(p.verdict ? `${VERDICT_LABEL[p.verdict].icon} ${VERDICT_LABEL[p.verdict].text}` : "no verdict")],
            [label(`${p.discussions.length} discussion${p.discussions.length === 1 ? "" : "s"}${open ? `, ${open} open` : ""}`)],
          ];
          return [paragraph(...joinPhrasing(parts))];
        }),
      ),
    );
    for (const p of v.patches) out.push(...patchReviewNodes({ ...p, list: p.list ?? v.list }, links, depth + 1, true));
  }
  return out;
}

/** A whole review, of a patch or of a series posting, as Markdown. */
export function reviewToMarkdown(v: PatchReviewView | SeriesReviewView, opts: MarkdownOptions): string {
  const links = new Links(opts.baseUrl);
  const nodes: RootContent[] = isSeries(v) ? seriesReviewNodes(v, links, opts.headingDepth ?? 2) : patchReviewNodes(v, links, opts.headingDepth ?? 2);
  return toMarkdown(nodes);
}
