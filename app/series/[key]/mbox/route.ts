// /series/<key>/mbox: the series as `git am` takes it (patches in order, no cover letter), as a download.
import { getSeries, seriesMbox } from "@/lib/views/series";
import { getDb } from "../../../db";
import { noDatabaseResponse, pathSegments, textResponse } from "../../../_lib/http";
import { mboxFilename } from "../../../_lib/series";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  // from the URL itself: /series/<key>/mbox, each segment decoded once
  const seg = pathSegments(request.url, 0);
  if (!seg || seg.length !== 3 || seg[0] !== "series" || seg[2] !== "mbox") return textResponse(400, "bad path\n");
  const key = seg[1];
  const s = await getSeries(db, key);
  if (!s) return textResponse(404, `no series ${key}\n`);
  const mbox = await seriesMbox(db, key);
  if (!mbox) return textResponse(404, `no patches in series ${key}\n`);
  return new Response(new Uint8Array(mbox), {
    status: 200,
    headers: {
      "Content-Type": "application/mbox",
      "Content-Disposition": `attachment; filename=${mboxFilename(s)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-cache",
    },
  });
}
