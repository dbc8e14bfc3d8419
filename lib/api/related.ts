// POST /api/related: a unified diff in, the earlier patches, series (with their reviews) and
// proposals that touched the same files, functions and lines out, ranked and explained, with a
// Markdown summary for the pull request (`?format=md`: only the Markdown). Reading only: no
// sign-in. The body is the diff itself (text/x-diff, text/x-patch, text/plain; also what
// `curl --data-binary @x.diff` sends), at most PATCHLORE_MAX_BODY_BYTES (the route handler reads
// it with lib/http/limits readBodyLimited).
import type { Db } from "../db/client";
import { findRelated, MAX_RELATED_LIMIT } from "../views/related";
import { relatedToMarkdown } from "../markdown/related";
import { RelatedInputError } from "../related/query";
import { apiBaseUrl, markdownResponse, requestedFormat, type ApiContext } from "./markdown";
import type { ApiResponse } from "./router";

const bad = (detail: string): ApiResponse => ({ status: 400, json: { error: "bad request", detail } });

/** Media types a diff may come as. */
export const RELATED_ACCEPTS = ["text/x-diff", "text/x-patch", "text/plain", "text/markdown", "application/octet-stream", "application/x-www-form-urlencoded"] as const;

export function relatedLimit(query: URLSearchParams): number | ApiResponse {
  const v = query.get("limit") ?? query.get("l");
  if (v === null || v === "") return 10;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RELATED_LIMIT) return bad(`limit must be a whole number from 1 to ${MAX_RELATED_LIMIT}`);
  return n;
}

export async function relatedApi(db: Db, body: Buffer, contentType: string | null, query: URLSearchParams, ctx: ApiContext = {}): Promise<ApiResponse> {
  const format = requestedFormat(query);
  if (typeof format !== "string") return format;
  const limit = relatedLimit(query);
  if (typeof limit !== "number") return limit;
  const type = (contentType ?? "").toLowerCase().split(";")[0].trim();
  if (type && !(RELATED_ACCEPTS as readonly string[]).includes(type)) {
    return { status: 415, json: { error: "unsupported media type", detail: `send the diff itself as the body (Content-Type: text/x-diff or text/plain), not ${type}` } };
  }
  if (!body.length) return bad("the body is empty: POST a unified diff (git diff or git format-patch output)");
  const text = new TextDecoder("utf-8").decode(body);
  const baseUrl = apiBaseUrl(ctx);
  try {
    const r = await findRelated(db, text, { limit, baseUrl });
    const markdown = relatedToMarkdown(r, { baseUrl });
    if (format === "md") return markdownResponse(markdown);
    return { status: 200, json: { ...r, markdown } };
  } catch (e) {
    if (e instanceof RelatedInputError) return bad(e.message);
    throw e;
  }
}
