// The write guard. Reading is public; every write needs a signed-in user (session cookie) or an
// API token with the write's scope. requireWriter answers with the writer, or with the Response
// to send instead: for /api, 401/403 JSON (with WWW-Authenticate); for pages, a redirect to
// /login (401) or a 403 page. Cookie-authenticated writes must come from this site's own pages
// (Origin, or Referer when a browser sends no Origin); bearer-token writes need no such check,
// since no browser attaches a token by itself.
//
// This module is framework-free (web Request/Headers/Response); app/_lib/auth.ts binds it to the
// web app's database and secret for route handlers and server actions.
import type { Db } from "../db/client";
import { errorResponse, isApiPath } from "../http/errors";
import { hasScope, type Scope } from "./scopes";
import { readCookie, SESSION_COOKIE, unsealSession } from "./session";
import { sessionUser, verifyToken, type TokenInfo, type User } from "./store";
import { bearerToken } from "./tokens";

export interface Writer {
  user: User;
  via: "session" | "token";
  /** every scope for a session; the token's otherwise */
  scopes: readonly Scope[] | "all";
  token?: TokenInfo;
  /** the session id (for CSRF tokens), when via session */
  sid?: string;
}

export interface GuardDeps {
  db: Db;
  secret: string;
  /** extra origins allowed to send cookie-authenticated writes (PATCHLORE_ORIGIN), e.g. "https://patchlore.example" */
  allowedOrigins?: readonly string[];
}

/** A Request (route handlers), or the request's Headers (server actions: `await headers()`). */
export type RequestLike = Request | Headers;

function parts(req: RequestLike): { headers: Headers; pathname: string; search: string } {
  if (req instanceof Headers) {
    // server actions: the page the action was posted to (proxy.ts passes it on as x-patchlore-url)
    const u = new URL(req.get("x-patchlore-url") ?? "/", "http://x");
    return { headers: req, pathname: u.pathname, search: u.search };
  }
  const u = new URL(req.url);
  return { headers: req.headers, pathname: u.pathname, search: u.search };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/** Did this request come from a page of this site? Compares the Origin (or Referer) host with the
 * Host the request was sent to (X-Forwarded-Host first: a browser cannot set it cross-origin
 * without a preflight we never grant) and PATCHLORE_ORIGIN. */
export function sameOrigin(headers: Headers, allowedOrigins: readonly string[] = []): boolean {
  const origin = headers.get("origin");
  // "null": a sandboxed frame, a data: URL, a redirect across origins: never ours
  if (origin === "null") return false;
  const source = origin ?? headers.get("referer");
  if (!source) return false;
  const host = hostOf(source);
  if (!host) return false;
  const mine = new Set<string>();
  for (const h of [headers.get("x-forwarded-host")?.split(",")[0], headers.get("host")]) if (h) mine.add(h.trim().toLowerCase());
  for (const o of allowedOrigins) {
    const h = hostOf(o);
    if (h) mine.add(h);
  }
  return mine.has(host);
}

export type Authentication =
  | { ok: true; writer: Writer }
  | { ok: false; status: 401 | 403; detail: string; credential: "none" | "session" | "token"; clearCookie?: boolean };

/** Who sent this request, without any scope or origin check. Authorization wins over a cookie. */
export async function authenticate(deps: GuardDeps, req: RequestLike): Promise<Authentication> {
  const { headers } = parts(req);
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const token = bearerToken(authorization);
    if (!token) return { ok: false, status: 401, detail: "use Authorization: Bearer plt_<token>", credential: "token" };
    const r = await verifyToken(deps.db, token);
    if (!r.ok) {
      const why = { malformed: "not a patchlore token", unknown: "unknown token", revoked: "the token was revoked", expired: "the token has expired", disabled: "the token's user is disabled" }[r.reason];
      return { ok: false, status: 401, detail: why, credential: "token" };
    }
    return { ok: true, writer: { user: r.user, via: "token", scopes: r.token.scopes, token: r.token } };
  }
  const cookie = readCookie(headers.get("cookie"), SESSION_COOKIE);
  if (!cookie) return { ok: false, status: 401, detail: "sign in, or send an API token (Authorization: Bearer plt_...)", credential: "none" };
  const claims = await unsealSession(deps.secret, cookie);
  const user = claims ? await sessionUser(deps.db, claims.sid) : null;
  if (!claims || !user) return { ok: false, status: 401, detail: "your session has ended; sign in again", credential: "session", clearCookie: true };
  return { ok: true, writer: { user, via: "session", scopes: "all", sid: claims.sid } };
}

/** The guard: the writer, or the 401/403 Response to answer with. */
export async function requireWriterWith(deps: GuardDeps, req: RequestLike, scope: Scope): Promise<Writer | Response> {
  const { headers, pathname, search } = parts(req);
  const api = isApiPath(pathname);
  const a = await authenticate(deps, req);
  if (!a.ok) {
    const extra: Record<string, string> = {};
    if (a.clearCookie) extra["Set-Cookie"] = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
    if (api) {
      extra["WWW-Authenticate"] = a.credential === "token" ? `Bearer realm="patchlore", error="invalid_token"` : `Bearer realm="patchlore"`;
      return errorResponse(401, { api, detail: a.detail, headers: extra });
    }
    const next = pathname + search;
    return new Response(null, { status: 303, headers: { ...extra, Location: `/login?next=${encodeURIComponent(next)}`, "Cache-Control": "no-store" } });
  }
  const w = a.writer;
  if (w.via === "session" && !sameOrigin(headers, deps.allowedOrigins)) {
    return errorResponse(403, {
      api,
      detail: "Cross-site request refused: a signed-in write must come from this site's own pages (the Origin header did not match).",
    });
  }
  if (!hasScope(w.scopes, scope)) {
    return errorResponse(403, {
      api,
      detail: `This API token lacks the scope ${scope}.`,
      headers: api ? { "WWW-Authenticate": `Bearer realm="patchlore", error="insufficient_scope", scope="${scope}"` } : {},
      extra: { scope },
    });
  }
  return w;
}
