// The review routes of the JSON API (lib/api/router.ts): a patch's review and a series' review,
// as lib/review/view.ts shapes them (lib/views/review.ts).
//
//   /api/<list>/<msgid>/review    PatchReviewView
//   /api/series/<key>/review      SeriesReviewView
//
// `?format=` picks the representation: json (the default) or md (GitHub-flavoured Markdown for
// pull requests, lib/markdown reviewToMarkdown, text/markdown); an unknown one is a 400.
import type { Db } from "../db/client";
import { getMessage } from "../views/messages";
import { getPatchReview, getSeriesReview } from "../views/review";
import type { PatchReviewView, SeriesReviewView } from "../review/view";
import type { ApiResponse } from "./router";
import { reviewToMarkdown } from "../markdown/review";
import { apiBaseUrl, markdownResponse, requestedFormat, type ApiContext } from "./markdown";

function render(view: PatchReviewView | SeriesReviewView, query: URLSearchParams, ctx: ApiContext): ApiResponse {
  const format = requestedFormat(query);
  if (typeof format !== "string") return format;
  if (format === "md") return markdownResponse(reviewToMarkdown(view, { baseUrl: apiBaseUrl(ctx) }));
  return { status: 200, json: view };
}

const notFound = (detail: string): ApiResponse => ({ status: 404, json: { error: "not found", detail } });

export async function patchReviewApi(db: Db, list: string, msgid: string, query: URLSearchParams, ctx: ApiContext = {}): Promise<ApiResponse> {
  const m = await getMessage(db, list, msgid);
  if (!m) return notFound(`no message <${msgid}> in ${list}`);
  const view = await getPatchReview(db, msgid);
  if (!view) return notFound(`<${msgid}> is not a patch: only patches (and patches rebuilt from quotes) have a review; a series' review is /api/series/<key>/review`);
  // Markdown links go to messages of the list asked about
  return render(query.get("format") === "md" ? { ...view, list } : view, query, ctx);
}

export async function seriesReviewApi(db: Db, key: string, query: URLSearchParams, ctx: ApiContext = {}): Promise<ApiResponse> {
  const view = await getSeriesReview(db, key);
  if (!view) return notFound(`no series ${key}`);
  return render(view, query, ctx);
}
