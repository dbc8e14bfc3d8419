// `?format=md` on API routes: the same data as GitHub-flavoured Markdown (lib/markdown), served as
// text/markdown. Links in it are absolute: the base is PATCHLORE_BASE_URL when set, else the
// origin the request came to (the route handler passes it), else http://localhost:$PORT (CLI).
import type { ApiResponse } from "./router";
import { chooseBaseUrl } from "../markdown/links";

/** What a route may need besides the path and query: where the request came to. */
export interface ApiContext {
  /** the request's origin (https://host), for absolute links */
  origin?: string;
}

export const MARKDOWN_TYPE = "text/markdown; charset=utf-8";

export function markdownResponse(md: string, status = 200): ApiResponse {
  return { status, body: Buffer.from(md, "utf8"), contentType: MARKDOWN_TYPE };
}

const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * The origin a request came to, as the client wrote it: the Host header (X-Forwarded-Host and
 * -Proto behind a reverse proxy), else the URL's origin. Next rewrites request.url's host
 * ("127.0.0.1" becomes "localhost"), so the header is the truth. Only used for links in the
 * answer to that same request; PATCHLORE_BASE_URL overrides it.
 */
export function requestOrigin(headers: Headers, url: string): string {
  const first = (v: string | null) => v?.split(",")[0]?.trim() || null;
  const host = first(headers.get("x-forwarded-host")) ?? headers.get("host");
  const proto = first(headers.get("x-forwarded-proto")) ?? new URL(url).protocol.replace(/:$/, "");
  if (host && HOST.test(host)) return `${proto === "https" ? "https" : "http"}://${host}`;
  return new URL(url).origin;
}

/** The base URL of absolute links: PATCHLORE_BASE_URL, else the request's origin, else the local server. */
export function apiBaseUrl(ctx: ApiContext = {}, env: Record<string, string | undefined> = process.env): string {
  return chooseBaseUrl(env.PATCHLORE_BASE_URL, ctx.origin ?? `http://localhost:${env.PORT || 3000}`);
}

/**
 * `format` of a query: "json" (the default) or "md" ("markdown" too); a 400 answer for anything
 * else, naming what the route takes.
 */
export function requestedFormat(query: URLSearchParams, formats: readonly string[] = ["json", "md"]): "json" | "md" | ApiResponse {
  const raw = query.get("format");
  const f = raw === null || raw === "" ? "json" : raw.toLowerCase() === "markdown" ? "md" : raw.toLowerCase();
  if (!formats.includes(f) || (f !== "json" && f !== "md")) {
    return { status: 400, json: { error: "bad request", detail: `unknown format ${JSON.stringify(raw)}: one of ${formats.join(", ")}` } };
  }
  return f;
}
