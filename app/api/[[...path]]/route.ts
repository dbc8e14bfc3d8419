// /api/...: the JSON API shared with the CLI (lib/api/router.ts). The path is taken from the
// request URL and each segment decoded once, exactly as splitApiPath does for the CLI.
import { handleApi } from "@/lib/api/router";
import { getDb } from "../../db";
import { noDatabaseResponse, pathSegments } from "../../_lib/http";

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
  const r = await handleApi(db, segments, new URL(request.url).searchParams);
  if ("json" in r) return json(r.status, r.json);
  return new Response(new Uint8Array(r.body), {
    status: r.status,
    headers: { "Content-Type": r.contentType, "Content-Disposition": "inline", "X-Content-Type-Options": "nosniff" },
  });
}
