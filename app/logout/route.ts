// POST /logout: ends the session (the row is revoked, the cookie dropped). POST only, from this
// site (Origin) with the session's CSRF token, so no other page can sign anyone out.
import { csrfTokenValid, readCookie, SESSION_COOKIE, unsealSession } from "@/lib/auth/session";
import { sameOrigin } from "@/lib/auth/guard";
import { revokeSession } from "@/lib/auth/store";
import { errorResponse } from "@/lib/http/errors";
import { getDb } from "../db";
import { noDatabaseResponse } from "../_lib/http";
import { allowedOrigins, appSecret, isHttps } from "../_lib/auth";
import { crossSite, readForm, seeOther } from "../_lib/auth-forms";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  if (!sameOrigin(request.headers, allowedOrigins())) return crossSite();
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const claims = await unsealSession(appSecret(), readCookie(request.headers.get("cookie"), SESSION_COOKIE));
  if (claims) {
    if (!csrfTokenValid(appSecret(), claims.sid, form.get("csrf"))) return crossSite();
    await revokeSession(db, claims.sid);
  }
  const secure = isHttps(request.headers, request.url);
  return seeOther("/", [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? "; Secure" : ""}`]);
}

export function GET(): Response {
  return errorResponse(405, { api: false, detail: "Sign out with the button in the page header (a POST).", headers: { Allow: "POST" } });
}
