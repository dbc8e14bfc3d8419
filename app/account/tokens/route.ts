// POST /account/tokens (the account page's form): create an API token, then show it once on
// /account (through a sealed, short-lived cookie: the token never appears in a URL).
import { parseScopes } from "@/lib/auth/scopes";
import { csrfTokenValid, sealValue, cookieAttributes } from "@/lib/auth/session";
import { AuthError, createToken } from "@/lib/auth/store";
import { parseDuration } from "@/lib/auth/tokens";
import { getDb } from "../../db";
import { noDatabaseResponse } from "../../_lib/http";
import { appSecret, isHttps, requireWriter } from "../../_lib/auth";
import { crossSite, NEW_TOKEN_COOKIE, readForm, seeOther } from "../../_lib/auth-forms";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const w = await requireWriter(request, "tokens:write");
  if (w instanceof Response) return w;
  const form = await readForm(request);
  if (form instanceof Response) return form;
  // a signed-in browser: the form must carry the session's CSRF token (a bearer token needs none)
  if (w.via === "session" && !csrfTokenValid(appSecret(), w.sid!, form.get("csrf"))) return crossSite();
  let scopes, expiresInMs;
  try {
    scopes = parseScopes(form.getAll("scope"));
  } catch {
    return seeOther("/account?error=noscope");
  }
  if (!scopes.length) return seeOther("/account?error=noscope");
  try {
    expiresInMs = parseDuration(form.get("expires") ?? "90d");
  } catch {
    return seeOther("/account?error=expiry");
  }
  let created;
  try {
    created = await createToken(db, w.user.id, { name: form.get("name") ?? "", scopes, expiresInMs });
  } catch (e) {
    if (e instanceof AuthError) return seeOther("/account?error=failed");
    throw e;
  }
  const sealed = await sealValue(appSecret(), "new token", { tid: created.info.id, uid: w.user.id, token: created.token }, 300);
  const cookie = cookieAttributes(NEW_TOKEN_COOKIE, sealed, { secure: isHttps(request.headers, request.url), maxAge: 300, path: "/account", sameSite: "Strict" });
  return seeOther(`/account?created=${created.info.id}#new-token`, [cookie]);
}
