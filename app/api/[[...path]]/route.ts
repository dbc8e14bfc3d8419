// /api/...: the JSON API shared with the CLI (lib/api/router.ts). The path is taken from the
// request URL and each segment decoded once, exactly as splitApiPath does for the CLI.
import { handleApi } from "@/lib/api/router";
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
    r = await handleApi(db, segments, new URL(request.url).searchParams);
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
  if (raw.length) {
    if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(request.headers.get("content-type") ?? "")) {
      return errorResponse(415, { api: true, detail: "Send the body as JSON (Content-Type: application/json)." });
    }
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return json(400, { error: "bad request", detail: "the body is not valid JSON" });
    }
  }
  try {
    const r = await route.handle({ db, writer, segments, body });
    if ("json" in r) return json(r.status, r.json);
    return new Response(new Uint8Array(r.body), { status: r.status, headers: { "Content-Type": r.contentType, "X-Content-Type-Options": "nosniff" } });
  } catch (e) {
    if (isStatementTimeout(e)) return timeoutResponse();
    throw e;
  }
}

export const POST = write;
export const PUT = write;
export const PATCH = write;
export const DELETE = write;
