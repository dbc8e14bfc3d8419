// The JSON API's writes: every one names the scope it needs, and the route handler
// (app/api/[[...path]]/route.ts) lets nobody in without it (requireWriter). Bodies are JSON.
// Add new writes (POST /api/runs, curation, ingest) here; keep the README's table in step.
import type { Db } from "../db/client";
import type { Writer } from "../auth/guard";
import { hasScope, parseScopes, type Scope } from "../auth/scopes";
import { AuthError, createToken, revokeToken } from "../auth/store";
import { parseDuration } from "../auth/tokens";
import type { ApiResponse } from "./router";
import { CURATION_WRITE_ROUTES, RUN_WRITE_ROUTES } from "./curation";

export interface ApiWriteRoute {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  pattern: string;
  scope: Scope;
  description: string;
  match(segments: string[]): boolean;
  /** media types taken besides JSON (e.g. "text/csv"): such a body is handed over as a string */
  accepts?: readonly string[];
  /** query: the URL's query string; contentType: the request's Content-Type */
  handle(ctx: { db: Db; writer: Writer; segments: string[]; body: unknown; query?: URLSearchParams; contentType?: string }): Promise<ApiResponse>;
}

const bad = (detail: string): ApiResponse => ({ status: 400, json: { error: "bad request", detail } });

export const API_WRITE_ROUTES: ApiWriteRoute[] = [
  {
    method: "POST",
    pattern: "/api/tokens",
    scope: "tokens:write",
    description:
      'create an API token for the signed-in user: {"name": "...", "scopes": ["runs:write"], "expires": "90d"}; ' +
      "answers 201 with the token (shown once). A token-authenticated caller can only grant scopes it has.",
    match: (s) => s.length === 1 && s[0] === "tokens",
    async handle({ db, writer, body }) {
      if (!body || typeof body !== "object" || Array.isArray(body)) return bad('send a JSON object: {"name": "...", "scopes": ["runs:write"], "expires": "90d"}');
      const b = body as { name?: unknown; scopes?: unknown; expires?: unknown };
      if (b.name !== undefined && typeof b.name !== "string") return bad("name must be a string");
      if (!Array.isArray(b.scopes) || !b.scopes.every((s) => typeof s === "string")) return bad("scopes must be an array of strings");
      if (b.expires !== undefined && b.expires !== null && typeof b.expires !== "string") return bad('expires must be a duration such as "90d", or "never"');
      let scopes: Scope[];
      let expiresInMs: number | null;
      try {
        scopes = parseScopes(b.scopes as string[]);
        expiresInMs = parseDuration((b.expires as string | undefined | null) ?? "90d");
      } catch (e) {
        return bad((e as Error).message);
      }
      if (!scopes.length) return bad("a token needs at least one scope");
      const missing = scopes.filter((s) => !hasScope(writer.scopes, s));
      if (missing.length) return { status: 403, json: { error: "forbidden", detail: `a token cannot grant scopes it lacks: ${missing.join(", ")}` } };
      // a token may not outlive the token that created it
      if (writer.token?.expiresAt) {
        const left = writer.token.expiresAt.getTime() - Date.now();
        if (expiresInMs === null || expiresInMs > left) expiresInMs = left;
      }
      try {
        const t = await createToken(db, writer.user.id, { name: (b.name as string | undefined) ?? "api", scopes, expiresInMs });
        return { status: 201, json: { token: t.token, ...publicToken(t.info) } };
      } catch (e) {
        if (e instanceof AuthError) return bad(e.message);
        throw e;
      }
    },
  },
  {
    method: "DELETE",
    pattern: "/api/tokens/<id>",
    scope: "tokens:write",
    description: "revoke one of your API tokens",
    match: (s) => s.length === 2 && s[0] === "tokens",
    async handle({ db, writer, segments }) {
      const id = Number(segments[1]);
      if (!Number.isSafeInteger(id) || id <= 0) return bad("give the token's id: DELETE /api/tokens/<id>");
      const ok = await revokeToken(db, id, writer.user.id);
      return ok ? { status: 200, json: { id, revoked: true } } : { status: 404, json: { error: "not found", detail: `you have no token ${id}` } };
    },
  },
];

// runs (POST /api/runs) and curation (proposals, members, ideas, decisions): lib/api/curation.ts
API_WRITE_ROUTES.push(...RUN_WRITE_ROUTES, ...CURATION_WRITE_ROUTES);

export function publicToken(t: { id: number; name: string; prefix: string; scopes: string[]; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null; status: string }) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    status: t.status,
  };
}

export function findWriteRoute(method: string, segments: string[]): ApiWriteRoute | "wrong-method" | null {
  const routes = API_WRITE_ROUTES.filter((r) => r.match(segments));
  if (!routes.length) return null;
  return routes.find((r) => r.method === method) ?? "wrong-method";
}
