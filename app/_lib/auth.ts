// The write guard and the session, bound to the web app's database and secret.
//
//   route handlers:  const w = await requireWriter(request, "runs:write"); if (w instanceof Response) return w;
//   server actions:  const w = await requireWriterInAction("curate");   (redirects to /login, or throws)
//   pages:           const me = await currentUser();                      (null when signed out)
import "server-only";
import path from "node:path";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireWriterWith, type GuardDeps, type RequestLike, type Writer } from "@/lib/auth/guard";
import type { Scope } from "@/lib/auth/scopes";
import { csrfToken, SESSION_COOKIE, unsealSession, type SessionClaims } from "@/lib/auth/session";
import { loadSecret } from "@/lib/auth/secret";
import { sessionUser, type User } from "@/lib/auth/store";
import { getDb } from "../db";

export type { Writer };

let cachedSecret: string | null = null;

/** $PATCHLORE_SECRET, or the secret generated once into .patchlore/secret. */
export function appSecret(): string {
  cachedSecret ??= loadSecret({
    env: process.env.PATCHLORE_SECRET,
    // `npm start` runs the server in the project root, where .patchlore/ lives (ingest/postgres/open.ts)
    home: process.env.PATCHLORE_HOME ? path.resolve(/*turbopackIgnore: true*/ process.env.PATCHLORE_HOME) : path.join(process.cwd(), ".patchlore"),
  });
  return cachedSecret;
}

export function allowedOrigins(): string[] {
  return (process.env.PATCHLORE_ORIGIN ?? "").split(/[\s,]+/).filter(Boolean);
}

function deps(): GuardDeps | null {
  const db = getDb();
  return db ? { db, secret: appSecret(), allowedOrigins: allowedOrigins() } : null;
}

/** The guard for route handlers (a Request) and server actions (`await headers()`). */
export async function requireWriter(request: RequestLike, scope: Scope): Promise<Writer | Response> {
  const d = deps();
  if (!d) return new Response("DATABASE_URL is not set\n", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return requireWriterWith(d, request, scope);
}

/** For server actions: the writer, or a redirect to /login (401), or an error (403). */
export async function requireWriterInAction(scope: Scope): Promise<Writer> {
  const w = await requireWriter(await headers(), scope);
  if (!(w instanceof Response)) return w;
  const location = w.headers.get("location");
  if (location) redirect(location);
  throw new Error(`forbidden: ${(await w.json().catch(() => null))?.detail ?? w.statusText ?? w.status}`);
}

/** The sealed session claims of this request (no database query): for the site header. */
export async function sessionClaims(): Promise<SessionClaims | null> {
  const c = (await cookies()).get(SESSION_COOKIE)?.value;
  return c ? unsealSession(appSecret(), c) : null;
}

/** The signed-in user (the session checked against the database), or null. */
export async function currentUser(): Promise<{ user: User; sid: string; csrf: string } | null> {
  const db = getDb();
  const claims = await sessionClaims();
  if (!db || !claims) return null;
  const user = await sessionUser(db, claims.sid);
  return user ? { user, sid: claims.sid, csrf: csrfToken(appSecret(), claims.sid) } : null;
}

/** Set-Cookie wants Secure when the browser talks https to us (directly or through a proxy). */
export function isHttps(h: Headers, url?: string): boolean {
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim();
  if (proto) return proto === "https";
  return url ? url.startsWith("https:") : false;
}
