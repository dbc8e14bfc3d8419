// /api/...: the JSON API shared with the CLI (lib/api/router.ts). The path is taken from the
// request URL and each segment decoded once, exactly as splitApiPath does for the CLI.
import { handleApi } from "@/lib/api/router";
import { relatedApi } from "@/lib/api/related";
import { requestOrigin } from "@/lib/api/markdown";
import { findWriteRoute } from "@/lib/api/writes";
import { errorResponse } from "@/lib/http/errors";
import { readBodyLimited } from "@/lib/http/limits";
import { isStatementTimeout } from "@/lib/db/timeout";
import { getDb } from "../../db";
import { noDatabaseResponse, pathSegments } from "../../_lib/http";
import { requireWriter } from "../../_lib/auth";

export const dynamic = "force-dynamic";

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value, null, 2) + "\n", {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
  });

export async function GET(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const segments = pathSegments(request.url, 1);
  if (!segments) return json(400, { error: "bad request", detail: "malformed percent-encoding in the path" });
  let r;
  try {
    // the origin: absolute links in ?format=md answers (PATCHLORE_BASE_URL overrides it)
    r = await handleApi(db, segments, new URL(request.url).searchParams, { origin: requestOrigin(request.headers, request.url) });
  } catch (e) {
    if (isStatementTimeout(e)) return timeoutResponse();
    throw e;
  }
  if ("json" in r) return json(r.status, r.json);
  return new Response(new Uint8Array(r.body), {
    status: r.status,
    headers: { "Content-Type": r.contentType, "Content-Disposition": "inline", "X-Content-Type-Options": "nosniff", ...r.headers },
  });
}

/** 504: the statement timeout (PATCHLORE_STATEMENT_TIMEOUT_MS) cancelled a query. */
function timeoutResponse(): Response {
  return errorResponse(504, {
    api: true,
    detail: "The database did not answer within the statement timeout; the request was cancelled. Try a narrower request.",
  });
}

/** Writes (lib/api/writes.ts): the guard first (a session from this site, or a token with the
 * route's scope), then a JSON body of at most PATCHLORE_MAX_BODY_BYTES. */
async function write(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const segments = pathSegments(request.url, 1);
  if (!segments) return json(400, { error: "bad request", detail: "malformed percent-encoding in the path" });
  const route = findWriteRoute(request.method, segments);
  if (route === null) return json(404, { error: "not found", detail: `no ${request.method} /api/${segments.join("/")}` });
  if (route === "wrong-method") return json(405, { error: "method not allowed", detail: `${request.method} is not allowed here` });
  const writer = await requireWriter(request, route.scope);
  if (writer instanceof Response) return writer;
  const raw = await readBodyLimited(request);
  if (raw === null) return errorResponse(413, { api: true, detail: "The request body is larger than this server takes (PATCHLORE_MAX_BODY_BYTES)." });
  let body: unknown = undefined;
  const contentType = request.headers.get("content-type") ?? "";
  if (raw.length) {
    // routes may take other media types (POST /api/runs: text/csv), handed over as text
    const other = route.accepts?.find((t) => contentType.toLowerCase().split(";")[0].trim() === t);
    if (other) body = raw.toString("utf8");
    else if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType)) {
      return errorResponse(415, { api: true, detail: `Send the body as JSON (Content-Type: application/json)${route.accepts?.length ? ` or as ${route.accepts.join(", ")}` : ""}.` });
    } else {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return json(400, { error: "bad request", detail: "the body is not valid JSON" });
      }
    }
  }
  try {
    const r = await route.handle({ db, writer, segments, body, query: new URL(request.url).searchParams, contentType });
    if ("json" in r) return json(r.status, r.json);
    return new Response(new Uint8Array(r.body), { status: r.status, headers: { "Content-Type": r.contentType, "X-Content-Type-Options": "nosniff" } });
  } catch (e) {
    if (isStatementTimeout(e)) return timeoutResponse();
    throw e;
  }
}

/** POST /api/related reads only (a diff in, related work out): no sign-in; every other POST is a write. */
async function post(request: Request): Promise<Response> {
  const segments = pathSegments(request.url, 1);
  if (!(segments?.length === 1 && segments[0] === "related")) return write(request);
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const raw = await readBodyLimited(request);
  if (raw === null) return errorResponse(413, { api: true, detail: "The diff is larger than this server takes (PATCHLORE_MAX_BODY_BYTES)." });
  const url = new URL(request.url);
  try {
    const r = await relatedApi(db, raw, request.headers.get("content-type"), url.searchParams, { origin: requestOrigin(request.headers, request.url) });
    if ("json" in r) return json(r.status, r.json);
    return new Response(new Uint8Array(r.body), { status: r.status, headers: { "Content-Type": r.contentType, "X-Content-Type-Options": "nosniff" } });
  } catch (e) {
    if (isStatementTimeout(e)) return timeoutResponse();
    throw e;
  }
}

export const POST = post;
export const PUT = write;
export const PATCH = write;
export const DELETE = write;
