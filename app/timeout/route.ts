// /timeout: where a page whose database query hit the statement timeout is sent (app/db.ts).
// Answers 504 with a page that says so; the JSON API answers 504 itself.
import { errorResponse } from "@/lib/http/errors";
import { DEFAULT_STATEMENT_TIMEOUT_MS, STATEMENT_TIMEOUT_ENV, statementTimeoutMs } from "@/lib/db/timeout";

export const dynamic = "force-dynamic";

export function GET(request: Request): Response {
  const from = new URL(request.url).searchParams.get("from") ?? "";
  // only a path on this site (never "//host" or "/\\host"), so this cannot become an open redirect
  const local = /^\/(?![/\\])[^\s]*$/.test(from) && from.length <= 4096 ? from : "";
  let ms = DEFAULT_STATEMENT_TIMEOUT_MS;
  try {
    ms = statementTimeoutMs();
  } catch {
    // a bad setting is reported where the pool is made
  }
  return errorResponse(504, {
    api: false,
    detail:
      `The database did not finish ${local ? `the page ${local}` : "this page"} within ${ms / 1000} s (${STATEMENT_TIMEOUT_ENV}), ` +
      "so the query was cancelled. A very large thread or a broad request can take that long; try again later, or a smaller view.",
    links: local ? [{ href: local, label: "try again" }] : [],
  });
}
