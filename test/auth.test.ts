// The write guard and the account store against a real (test) database: users, sessions, tokens
// with scopes, expiry, revocation, disabled users, Origin checks, and what 401/403 look like.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "./db";
import { authenticate, requireWriterWith, sameOrigin, type GuardDeps, type Writer } from "../lib/auth/guard";
import { newSessionId, sealSession, SESSION_COOKIE } from "../lib/auth/session";
import {
  checkPassword, createSessionRow, createToken, createUser, listTokens, revokeSession, revokeToken, setPassword, setUserDisabled, verifyToken, AuthError,
} from "../lib/auth/store";
import { API_WRITE_ROUTES } from "../lib/api/writes";

const SECRET = "integration-test-secret-0123456789abcdef";
const ORIGIN = "http://127.0.0.1:3000";

let db: Awaited<ReturnType<typeof createTestDb>>;
let deps: GuardDeps;
let userId: number;

beforeAll(async () => {
  db = await createTestDb();
  deps = { db, secret: SECRET };
  const u = await createUser(db, { email: "Ann@Example.org", name: "Ann", password: "correct horse 1" });
  userId = u.id;
});
afterAll(async () => {
  await db?.drop();
});

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(ORIGIN + path, { method: init.method ?? "POST", headers: { host: "127.0.0.1:3000", ...init.headers } });
}

async function sessionCookie(uid = userId): Promise<{ cookie: string; sid: string }> {
  const sid = newSessionId();
  const expires = new Date(Date.now() + 3600_000);
  await createSessionRow(db, uid, sid, expires);
  return { cookie: `${SESSION_COOKIE}=${await sealSession(SECRET, { sid, uid, name: "Ann" }, expires)}`, sid };
}

const isWriter = (w: Writer | Response): w is Writer => !(w instanceof Response);

describe("accounts", () => {
  it("stores e-mail addresses lower-cased and unique, and never the password", async () => {
    await expect(createUser(db, { email: "ann@example.org", password: "another pass" })).rejects.toThrow(AuthError);
    await expect(createUser(db, { email: "not an address", password: "another pass" })).rejects.toThrow(/not an e-mail/);
    await expect(createUser(db, { email: "x@example.org", password: "short" })).rejects.toThrow(/at least 8/);
    const { rows } = await db.pool.query(`SELECT email, password_hash FROM app_user`);
    expect(rows).toHaveLength(1);
    expect(rows[0].email).toBe("ann@example.org");
    expect(rows[0].password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect(rows[0].password_hash).not.toContain("correct horse");
  });

  it("checks passwords; unknown addresses and wrong passwords look the same", async () => {
    expect((await checkPassword(db, "ANN@example.org", "correct horse 1"))?.email).toBe("ann@example.org");
    expect(await checkPassword(db, "ann@example.org", "wrong horse 1")).toBeNull();
    expect(await checkPassword(db, "nobody@example.org", "correct horse 1")).toBeNull();
  });
});

describe("API tokens in the database", () => {
  it("are stored as a hash and a display prefix only", async () => {
    const t = await createToken(db, userId, { name: "ci", scopes: ["runs:write"], expiresInMs: null });
    const { rows } = await db.pool.query(`SELECT * FROM api_token WHERE id = $1`, [t.info.id]);
    const row = rows[0];
    expect(row.prefix).toBe(t.token.slice(0, 12));
    expect(Buffer.isBuffer(row.token_hash) && row.token_hash.length).toBe(32);
    expect(JSON.stringify(rows)).not.toContain(t.token.slice(12));
    const v = await verifyToken(db, t.token);
    expect(v.ok && v.user.email).toBe("ann@example.org");
  });

  it("refuse wrong, revoked and expired tokens, and tokens of disabled users", async () => {
    const t = await createToken(db, userId, { name: "x", scopes: ["curate"], expiresInMs: 3600_000 });
    const wrong = t.token.slice(0, -2) + (t.token.endsWith("AA") ? "BB" : "AA");
    expect(await verifyToken(db, wrong)).toEqual({ ok: false, reason: "unknown" });
    expect(await verifyToken(db, "plt_nope")).toEqual({ ok: false, reason: "malformed" });
    await db.pool.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [t.info.id]);
    expect(await verifyToken(db, t.token)).toEqual({ ok: false, reason: "expired" });
    const r = await createToken(db, userId, { name: "r", scopes: ["curate"], expiresInMs: null });
    expect(await revokeToken(db, r.info.id, userId + 1)).toBe(false); // not someone else's
    expect(await revokeToken(db, r.info.id, userId)).toBe(true);
    expect(await verifyToken(db, r.token)).toEqual({ ok: false, reason: "revoked" });
    const d = await createToken(db, userId, { name: "d", scopes: ["curate"], expiresInMs: null });
    await setUserDisabled(db, "ann@example.org", true);
    expect(await verifyToken(db, d.token)).toEqual({ ok: false, reason: "disabled" });
    await setUserDisabled(db, "ann@example.org", false);
    expect((await verifyToken(db, d.token)).ok).toBe(true);
  });

  it("record when they were last used", async () => {
    const t = await createToken(db, userId, { name: "used", scopes: ["curate"], expiresInMs: null });
    expect((await listTokens(db, userId)).find((x) => x.id === t.info.id)!.lastUsedAt).toBeNull();
    await verifyToken(db, t.token);
    expect((await listTokens(db, userId)).find((x) => x.id === t.info.id)!.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("requireWriter", () => {
  it("lets a token with the scope in, with no Origin needed", async () => {
    const t = await createToken(db, userId, { name: "runs", scopes: ["runs:write"], expiresInMs: null });
    const w = await requireWriterWith(deps, request("/api/runs", { headers: { authorization: `Bearer ${t.token}` } }), "runs:write");
    expect(isWriter(w) && w.via).toBe("token");
    expect(isWriter(w) && w.user.email).toBe("ann@example.org");
  });

  it("answers 403 insufficient_scope for a token without the scope", async () => {
    const t = await createToken(db, userId, { name: "runs", scopes: ["runs:write"], expiresInMs: null });
    const r = (await requireWriterWith(deps, request("/api/proposals/1", { headers: { authorization: `Bearer ${t.token}` } }), "curate")) as Response;
    expect(r.status).toBe(403);
    expect(r.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="curate"');
    expect(await r.json()).toMatchObject({ error: "forbidden", scope: "curate" });
  });

  it("answers 401 with WWW-Authenticate for no, bad, revoked or expired credentials on /api", async () => {
    const none = (await requireWriterWith(deps, request("/api/runs"), "runs:write")) as Response;
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="patchlore"');
    expect(none.headers.get("content-type")).toContain("application/json");
    const bad = (await requireWriterWith(deps, request("/api/runs", { headers: { authorization: "Bearer plt_" + "x".repeat(40) } }), "runs:write")) as Response;
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await bad.json()).toMatchObject({ detail: "unknown token" });
    const basic = (await requireWriterWith(deps, request("/api/runs", { headers: { authorization: "Basic eDp5" } }), "runs:write")) as Response;
    expect(basic.status).toBe(401);
    const t = await createToken(db, userId, { name: "gone", scopes: ["runs:write"], expiresInMs: null });
    await revokeToken(db, t.info.id);
    const revoked = (await requireWriterWith(deps, request("/api/runs", { headers: { authorization: `Bearer ${t.token}` } }), "runs:write")) as Response;
    expect(await revoked.json()).toMatchObject({ detail: "the token was revoked" });
  });

  it("redirects pages to /login (303) when signed out", async () => {
    const r = (await requireWriterWith(deps, request("/proposals/7/edit?x=1"), "curate")) as Response;
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toBe("/login?next=%2Fproposals%2F7%2Fedit%3Fx%3D1");
  });

  it("lets a signed-in user in from the site's own pages, with every scope", async () => {
    const { cookie } = await sessionCookie();
    for (const scope of ["runs:write", "curate", "ingest", "tokens:write"] as const) {
      const w = await requireWriterWith(deps, request("/api/runs", { headers: { cookie, origin: ORIGIN } }), scope);
      expect(isWriter(w) && w.via, scope).toBe("session");
    }
    // the Referer stands in for a missing Origin
    const viaReferer = await requireWriterWith(deps, request("/api/runs", { headers: { cookie, referer: ORIGIN + "/account" } }), "curate");
    expect(isWriter(viaReferer)).toBe(true);
    // server actions pass the request's Headers
    const action = await requireWriterWith(deps, new Headers({ cookie, origin: ORIGIN, host: "127.0.0.1:3000", "x-patchlore-url": "/proposals/1" }), "curate");
    expect(isWriter(action)).toBe(true);
  });

  it("refuses cookie-authenticated writes from other origins (CSRF), and without any origin", async () => {
    const { cookie } = await sessionCookie();
    const cases: Record<string, string>[] = [
      { cookie, origin: "http://127.0.0.1:4000" },
      { cookie, origin: "https://evil.example" },
      { cookie, origin: "null" },
      { cookie, referer: "https://evil.example/page" },
      { cookie },
    ];
    for (const headers of cases) {
      const r = (await requireWriterWith(deps, request("/api/runs", { headers }), "runs:write")) as Response;
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect((await r.json()).detail).toMatch(/Cross-site request refused/);
    }
    // PATCHLORE_ORIGIN adds the public origin behind a proxy that rewrites Host
    const w = await requireWriterWith(
      { ...deps, allowedOrigins: ["https://patchlore.example"] },
      request("/api/runs", { headers: { cookie, origin: "https://patchlore.example" } }),
      "runs:write",
    );
    expect(isWriter(w)).toBe(true);
  });

  it("ends with sign-out, a password change or disabling, and refuses forged cookies", async () => {
    const a = await sessionCookie();
    await revokeSession(db, a.sid);
    const r = (await requireWriterWith(deps, request("/api/runs", { headers: { cookie: a.cookie, origin: ORIGIN } }), "curate")) as Response;
    expect(r.status).toBe(401);
    expect(r.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=;`);
    const b = await sessionCookie();
    await setPassword(db, "ann@example.org", "correct horse 2");
    expect((await authenticate(deps, request("/", { headers: { cookie: b.cookie } }))).ok).toBe(false);
    await setPassword(db, "ann@example.org", "correct horse 1");
    const c = await sessionCookie();
    await setUserDisabled(db, "ann@example.org", true);
    expect((await authenticate(deps, request("/", { headers: { cookie: c.cookie } }))).ok).toBe(false);
    await setUserDisabled(db, "ann@example.org", false);
    // a cookie sealed with another secret, or a session id that was never stored
    const other = await sealSession("another-secret-0123456789abcdef-xyz", { sid: newSessionId(), uid: userId, name: "x" }, new Date(Date.now() + 60_000));
    expect((await authenticate(deps, request("/", { headers: { cookie: `${SESSION_COOKIE}=${other}` } }))).ok).toBe(false);
    const unknown = await sealSession(SECRET, { sid: newSessionId(), uid: userId, name: "x" }, new Date(Date.now() + 60_000));
    expect((await authenticate(deps, request("/", { headers: { cookie: `${SESSION_COOKIE}=${unknown}` } }))).ok).toBe(false);
    const { rows } = await db.pool.query(`SELECT token_hash FROM session`);
    expect(rows.every((r: { token_hash: Buffer }) => r.token_hash.length === 32)).toBe(true);
  });

  it("an Authorization header wins over a cookie", async () => {
    const { cookie } = await sessionCookie();
    const r = (await requireWriterWith(deps, request("/api/runs", { headers: { cookie, origin: ORIGIN, authorization: "Bearer nope" } }), "curate")) as Response;
    expect(r.status).toBe(401);
  });

  it("sameOrigin compares hosts, X-Forwarded-Host first", () => {
    expect(sameOrigin(new Headers({ origin: "https://a.example", host: "127.0.0.1:3000", "x-forwarded-host": "a.example" }))).toBe(true);
    expect(sameOrigin(new Headers({ origin: "https://b.example", host: "a.example" }))).toBe(false);
    expect(sameOrigin(new Headers({ origin: "not a url", host: "a.example" }))).toBe(false);
  });
});

describe("POST /api/tokens and DELETE /api/tokens/<id> (lib/api/writes.ts)", () => {
  const post = API_WRITE_ROUTES.find((r) => r.method === "POST" && r.pattern === "/api/tokens")!;
  const del = API_WRITE_ROUTES.find((r) => r.method === "DELETE")!;

  it("create a token for the signed-in user, shown once", async () => {
    const writer: Writer = { user: { id: userId, email: "ann@example.org", name: "Ann", createdAt: new Date(), disabled: false }, via: "session", scopes: "all" };
    const r = await post.handle({ db, writer, segments: ["tokens"], body: { name: "bot", scopes: ["curate", "runs:write"], expires: "30d" } });
    expect(r.status).toBe(201);
    const j = (r as { json: { token: string; scopes: string[]; expiresAt: string; id: number } }).json;
    expect(j.token).toMatch(/^plt_/);
    expect(j.scopes).toEqual(["runs:write", "curate"]);
    expect(new Date(j.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await verifyToken(db, j.token)).ok).toBe(true);
    const gone = await del.handle({ db, writer, segments: ["tokens", String(j.id)], body: undefined });
    expect(gone.status).toBe(200);
    expect((await verifyToken(db, j.token)).ok).toBe(false);
    expect((await del.handle({ db, writer, segments: ["tokens", "999999"], body: undefined })).status).toBe(404);
  });

  it("reject bad bodies, unknown scopes, and tokens granting scopes they lack", async () => {
    const base = await createToken(db, userId, { name: "t", scopes: ["tokens:write", "runs:write"], expiresInMs: 3600_000 });
    const v = await verifyToken(db, base.token);
    if (!v.ok) throw new Error("token");
    const writer: Writer = { user: v.user, via: "token", scopes: v.token.scopes, token: v.token };
    expect((await post.handle({ db, writer, segments: ["tokens"], body: null })).status).toBe(400);
    expect((await post.handle({ db, writer, segments: ["tokens"], body: { scopes: "curate" } })).status).toBe(400);
    expect((await post.handle({ db, writer, segments: ["tokens"], body: { scopes: ["nope"] } })).status).toBe(400);
    expect((await post.handle({ db, writer, segments: ["tokens"], body: { scopes: [] } })).status).toBe(400);
    expect((await post.handle({ db, writer, segments: ["tokens"], body: { scopes: ["runs:write"], expires: "soon" } })).status).toBe(400);
    const escalate = await post.handle({ db, writer, segments: ["tokens"], body: { scopes: ["curate"] } });
    expect(escalate.status).toBe(403);
    // a child token never outlives its parent
    const child = await post.handle({ db, writer, segments: ["tokens"], body: { scopes: ["runs:write"], expires: "never" } });
    expect(child.status).toBe(201);
    const exp = new Date((child as { json: { expiresAt: string } }).json.expiresAt).getTime();
    expect(exp).toBeLessThanOrEqual(v.token.expiresAt!.getTime() + 1000);
  });
});
