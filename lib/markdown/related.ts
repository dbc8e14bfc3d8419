// The answer of `related` as Markdown to paste into a pull request: a table of the earlier work
// (what, when, who, why it matched, how it was reviewed and decided), then the matching patches
// of each item.
import type { BlockContent, PhrasingContent, TableCell, TableRow } from "mdast";
import { describeDefinition } from "../code/functions";
import type { RelatedItem, RelatedResult, ReviewSummary } from "../related/types";
import { Links } from "./links";
import { formatDate, heading, inlineCode, joinPhrasing, label, link, list, paragraph, strong, text } from "./nodes";
import { toMarkdown } from "./stringify";
import { VERDICT_LABEL } from "./review";

export interface RelatedMarkdownOptions {
  baseUrl: string;
  /** the level of the top heading (default 3) */
  headingDepth?: number;
  /** reasons shown per item in the table (default 3) */
  reasons?: number;
}

const cell = (...children: PhrasingContent[]): TableCell => ({ type: "tableCell", children });
const row = (...cells: TableCell[]): TableRow => ({ type: "tableRow", children: cells });

const names = (xs: string[], max = 3) => (xs.length > max ? `${xs.slice(0, max).join(", ")} +${xs.length - max}` : xs.join(", "));

/** "❌ NAK by Greta Lindqvist (v1, v2) · Reviewed-by: A, B · Acked-by: C · 4 discussions (1 open) · applied" */
export function reviewSummaryText(r: ReviewSummary | null): string {
  if (!r) return "";
  const parts: string[] = [];
  if (r.naks.length || r.verdicts.nak) {
    const who = [...new Set(r.naks.map((n) => n.by.name || n.by.address))];
    const on = [...new Set(r.naks.map((n) => n.version).filter((v): v is string => !!v))];
    parts.push(`${VERDICT_LABEL.nak.icon} NAK${who.length ? ` by ${names(who)}` : ""}${on.length ? ` (${on.join(", ")})` : ""}`);
  }
  for (const t of r.trailers.filter((t) => t.kind !== "Nacked-by")) parts.push(`${t.kind}: ${names(t.people)}`);
  if (!r.trailers.length) {
    // no trailers collected: the verdicts replies gave
    if (r.verdicts.ack) parts.push(`${VERDICT_LABEL.ack.icon} ${r.verdicts.ack} acked`);
    if (r.verdicts.review) parts.push(`${VERDICT_LABEL.review.icon} ${r.verdicts.review} reviewed`);
    if (r.verdicts.test) parts.push(`${VERDICT_LABEL.test.icon} ${r.verdicts.test} tested`);
  }
  if (r.discussions) parts.push(`${r.discussions} discussion${r.discussions === 1 ? "" : "s"}${r.openDiscussions ? ` (${r.openDiscussions} open)` : ""}`);
  else if (r.reviews && !parts.length) parts.push(`${r.reviews} repl${r.reviews === 1 ? "y" : "ies"}`);
  parts.push(...new Set(r.decisions.map((d) => d.kind)));
  if (r.commits.length) parts.push(`upstream ${r.commits.slice(0, 2).map((c) => c.slice(0, 12)).join(", ")}${r.commits.length > 2 ? ", …" : ""}`);
  return parts.join(" · ");
}

function versionsText(it: RelatedItem): string {
  const vs = it.versions ?? [];
  if (vs.length <= 1) return vs[0] ? ` (${vs[0].isRfc ? "RFC " : ""}v${vs[0].version})` : "";
  const names = vs.map((v) => `${v.isRfc ? "RFC " : ""}v${v.version}`);
  return ` (${names.join(", ")})`;
}

function workCell(it: RelatedItem): PhrasingContent[] {
  const kind = it.kind === "series" ? "series" : it.kind === "proposal" ? `proposal${it.status ? `, ${it.status}` : ""}` : "patch";
  return [label(`${kind}: `), link(it.urls.page, text(it.title || "(no title)")), label(versionsText(it))];
}

export function relatedNodes(r: RelatedResult, opts: RelatedMarkdownOptions): BlockContent[] {
  const links = new Links(opts.baseUrl);
  const depth = opts.headingDepth ?? 3;
  const shownReasons = opts.reasons ?? 3;
  const out: BlockContent[] = [heading(depth, label("Related earlier work"))];
  const files = r.query.files.slice(0, 8).map((f) => {
    const fns = f.functions.slice(0, 4).map((x) => describeDefinition(x));
    const p: PhrasingContent[] = [inlineCode(f.path)];
    if (fns.length) p.push(label(` (${fns.join(", ")}${f.functions.length > 4 ? ", …" : ""})`));
    return p;
  });
  const intro: PhrasingContent[] = [
    label(`The change (+${r.query.added} −${r.query.removed}) touches `),
    ...joinPhrasing(files, ", "),
    label(r.query.files.length > 8 ? `, and ${r.query.files.length - 8} more files. ` : ". "),
    label("Earlier patches, reviews and proposals on the same files, functions and lines, found by "),
    link(links.base + "/", label("patchlore")),
    label(":"),
  ];
  out.push(paragraph(...intro));
  if (!r.items.length) {
    out.push(paragraph(label(`Nothing stored touches these files (${r.candidates} patches looked at).`)));
    return out;
  }
  const head = row(cell(label("#")), cell(label("Work")), cell(label("Date")), cell(label("By")), cell(label("Why")), cell(label("Review")));
  const rows = r.items.map((it, i) =>
    row(
      cell(label(String(i + 1))),
      cell(...workCell(it)),
      cell(label(it.date ? formatDate(it.date).slice(0, 10) : "")),
      cell(text(it.author ? it.author.name || it.author.address : "")),
      cell(text(it.reasons.slice(0, shownReasons).map((x) => x.text).join("; ") + (it.reasons.length > shownReasons ? `; +${it.reasons.length - shownReasons} more` : ""))),
      cell(text(reviewSummaryText(it.reviews))),
    ),
  );
  out.push({ type: "table", align: ["right", null, null, null, null, null], children: [head, ...rows] });
  // the matching patches of each series, linked
  const details = r.items
    .map((it, i): BlockContent[] | null => {
      if (it.kind !== "series" || !it.patches?.length) return null;
      const ps = it.patches.slice(0, 5).map((p) => {
        const first = p.reasons[0]?.text;
        return [paragraph(link(it.list ? links.message(it.list, p.msgid) : it.urls.page, text(p.title)), ...(first ? [label(` — ${first}`)] : []))];
      });
      const more = it.patches.length > 5 ? [[paragraph(label(`and ${it.patches.length - 5} more`))]] : [];
      return [paragraph(strong(label(`${i + 1}.`)), label(" "), text(it.title), label(": "), link(it.urls.review ?? it.urls.page, label("review"))), list([...ps, ...more])];
    })
    .filter((x): x is BlockContent[] => x !== null);
  if (details.length) {
    out.push(heading(depth + 1, label("Matching patches")));
    for (const d of details) out.push(...d);
  }
  return out;
}

export function relatedToMarkdown(r: RelatedResult, opts: RelatedMarkdownOptions): string {
  return toMarkdown(relatedNodes(r, opts));
}
