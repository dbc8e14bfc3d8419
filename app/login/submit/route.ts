// POST /login (proxy.ts rewrites it here): check the password, start a session, redirect.
// Rate limited twice (PATCHLORE_RATE_LOGIN, lib/http/limits.ts takeLogin): per client address and
// per e-mail address, so neither one address nor one account can be guessed at speed.
// Every failure looks the same (one message, the same time spent hashing).
import { sameOrigin } from "@/lib/auth/guard";
import { cookieAttributes, DEFAULT_SESSION_DAYS, newSessionId, sealSession, SESSION_COOKIE } from "@/lib/auth/session";
import { checkPassword, createSessionRow, normalizeEmail } from "@/lib/auth/store";
import { errorResponse } from "@/lib/http/errors";
import { takeLogin } from "@/lib/http/limits";
import { getDb } from "../../db";
import { noDatabaseResponse } from "../../_lib/http";
import { allowedOrigins, appSecret, isHttps } from "../../_lib/auth";
import { crossSite, readForm, safeNext, seeOther } from "../../_lib/auth-forms";

export const dynamic = "force-dynamic";

function sessionDays(): number {
  const n = Number(process.env.PATCHLORE_SESSION_DAYS ?? DEFAULT_SESSION_DAYS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_SESSION_DAYS;
}

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  if (!sameOrigin(request.headers, allowedOrigins())) return crossSite();
  const form = await readForm(request);
  if (form instanceof Response) return form;
  const email = normalizeEmail(form.get("email") ?? "").slice(0, 254);
  const password = form.get("password") ?? "";
  const next = safeNext(form.get("next"));
  const wait = takeLogin(request.headers, email);
  if (wait !== null) {
    return errorResponse(429, {
      api: false,
      detail: `Too many sign-in attempts; try again in ${wait} s.`,
      headers: { "Retry-After": String(wait) },
      links: [{ href: "/login", label: "sign in" }],
    });
  }
  const user = email && password ? await checkPassword(db, email, password) : null;
  if (!user) return seeOther(`/login?failed&next=${encodeURIComponent(next)}`);
  const sid = newSessionId();
  const expires = new Date(Date.now() + sessionDays() * 86_400_000);
  await createSessionRow(db, user.id, sid, expires);
  const sealed = await sealSession(appSecret(), { sid, uid: user.id, name: user.name || user.email }, expires);
  return seeOther(next, [cookieAttributes(SESSION_COOKIE, sealed, { secure: isHttps(request.headers, request.url), expires })]);
}

export function GET(): Response {
  return seeOther("/login");
}
