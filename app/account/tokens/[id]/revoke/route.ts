// POST /account/tokens/<id>/revoke (the account page's revoke button).
import { csrfTokenValid } from "@/lib/auth/session";
import { revokeToken } from "@/lib/auth/store";
import { getDb } from "../../../../db";
import { noDatabaseResponse, pathSegments } from "../../../../_lib/http";
import { appSecret, requireWriter } from "../../../../_lib/auth";
import { crossSite, readForm, seeOther } from "../../../../_lib/auth-forms";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const w = await requireWriter(request, "tokens:write");
  if (w instanceof Response) return w;
  const form = await readForm(request);
  if (form instanceof Response) return form;
  if (w.via === "session" && !csrfTokenValid(appSecret(), w.sid!, form.get("csrf"))) return crossSite();
  const id = Number(pathSegments(request.url, 0)?.[2]);
  if (!Number.isSafeInteger(id) || id <= 0) return seeOther("/account?error=notoken");
  const ok = await revokeToken(db, id, w.user.id);
  return seeOther(ok ? `/account?revoked=${id}` : "/account?error=notoken");
}
