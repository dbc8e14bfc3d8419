// /<list>/<msgid>/raw: the message bytes exactly as stored, shown as text, never as HTML.
import { handleApi } from "@/lib/api/router";
import { getDb } from "../../../db";
import { noDatabaseResponse, pathSegments, textResponse } from "../../../_lib/http";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  // from the URL itself: /<list>/<msgid>/raw, each segment decoded once
  const seg = pathSegments(request.url, 0);
  if (!seg || seg.length !== 3 || seg[2] !== "raw") return textResponse(400, "bad path\n");
  const [list, msgid] = seg;
  const r = await handleApi(db, [list, msgid, "raw"], new URLSearchParams());
  if (!("body" in r)) return textResponse(404, `no message <${msgid}> in ${list}\n`);
  return new Response(new Uint8Array(r.body), {
    status: 200,
    headers: {
      "Content-Type": r.contentType,
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-cache",
    },
  });
}
