// Unit tests: password hashing, tokens (format, hashing, constant-time check), scopes, durations,
// sealed sessions, CSRF tokens, the secret file.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { burnPasswordCheck, hashPassword, needsRehash, parseHash, passwordProblem, verifyPassword } from "./password";
import { hasScope, parseScopes } from "./scopes";
import { bearerToken, generateToken, looksLikeToken, parseDuration, sha256, tokenMatches, tokenPrefix, tokenStatus } from "./tokens";
import { cookieAttributes, csrfToken, csrfTokenValid, newSessionId, readCookie, sealSession, sealValue, unsealSession, unsealValue } from "./session";
import { deriveKey, loadSecret } from "./secret";

const FAST = { ln: 10, r: 8, p: 1 };
const SECRET = "s".repeat(40);

describe("passwords (scrypt)", () => {
  it("hashes with a per-user salt and the parameters in a PHC string, and verifies", async () => {
    const a = await hashPassword("correct horse battery", FAST);
    const b = await hashPassword("correct horse battery", FAST);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b); // different salts
    expect(parseHash(a)!.salt.equals(parseHash(b)!.salt)).toBe(false);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("uses the stored parameters, so hashes made with other costs still verify", async () => {
    const old = await hashPassword("pw-123456", { ln: 11, r: 4, p: 2 });
    expect(old).toContain("ln=11,r=4,p=2");
    expect(await verifyPassword("pw-123456", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword("pw-123456"))).toBe(false);
  });

  it("the default cost is scrypt N=2^15, r=8, p=1", async () => {
    const h = await hashPassword("a long enough password");
    expect(parseHash(h)!.params).toEqual({ ln: 15, r: 8, p: 1 });
    expect(await verifyPassword("a long enough password", h)).toBe(true);
  });

  it("normalizes Unicode (NFC), so the same password typed on another keyboard matches", async () => {
    const h = await hashPassword("caf\u00e9-password", FAST);
    expect(await verifyPassword("cafe\u0301-password", h)).toBe(true);
  });

  it("refuses malformed or absurd stored hashes without throwing", async () => {
    for (const bad of ["", "plain", "$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "$argon2id$v=19$m=1,t=1,p=1$x$y"]) {
      expect(await verifyPassword("x", bad)).toBe(false);
    }
  });

  it("compares in constant time (crypto.timingSafeEqual)", async () => {
    const spy = vi.spyOn(crypto, "timingSafeEqual");
    const h = await hashPassword("pw-abcdefgh", FAST);
    await verifyPassword("pw-abcdefgh", h);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it("burns the same work for unknown users", async () => {
    expect(await burnPasswordCheck("whatever")).toBe(false);
  });

  it("asks for 8 to 1024 characters", () => {
    expect(passwordProblem("short")).toMatch(/at least 8/);
    expect(passwordProblem("x".repeat(1025))).toMatch(/at most/);
    expect(passwordProblem("just right")).toBeNull();
  });
});

describe("API tokens", () => {
  it("are plt_ + 40 base64url characters, with a 12-character display prefix and a SHA-256 hash", () => {
    const t = generateToken();
    expect(t.token).toMatch(/^plt_[A-Za-z0-9_-]{40}$/);
    expect(looksLikeToken(t.token)).toBe(true);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    expect(tokenPrefix(t.token)).toBe(t.prefix);
    expect(t.hash).toEqual(crypto.createHash("sha256").update(t.token).digest());
    expect(t.hash.toString("hex")).not.toContain(Buffer.from(t.token).toString("hex"));
    const many = new Set(Array.from({ length: 200 }, () => generateToken().token));
    expect(many.size).toBe(200);
  });

  it("verify against the stored hash only, in constant time", () => {
    const t = generateToken();
    expect(tokenMatches(t.token, t.hash)).toBe(true);
    const other = t.token.slice(0, -1) + (t.token.endsWith("A") ? "B" : "A");
    expect(tokenMatches(other, t.hash)).toBe(false);
    expect(tokenMatches(t.token, Buffer.alloc(5))).toBe(false);
    const spy = vi.spyOn(crypto, "timingSafeEqual");
    tokenMatches(t.token, t.hash);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("reject anything that is not a token before any lookup", () => {
    for (const s of ["", "plt_", "plt_short", "abc_" + "x".repeat(40), "plt_" + "x".repeat(41), "plt_" + "x".repeat(39) + "!"]) expect(looksLikeToken(s), s).toBe(false);
  });

  it("are read from Authorization: Bearer", () => {
    expect(bearerToken("Bearer plt_abc")).toBe("plt_abc");
    expect(bearerToken("bearer   plt_abc ")).toBe("plt_abc");
    expect(bearerToken("Basic dXNlcjpwdw==")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });

  it("expire and are revoked", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(tokenStatus({ expiresAt: null, revokedAt: null }, now)).toBe("active");
    expect(tokenStatus({ expiresAt: new Date("2026-01-02T00:00:00Z"), revokedAt: null }, now)).toBe("active");
    expect(tokenStatus({ expiresAt: new Date("2025-12-31T23:59:59Z"), revokedAt: null }, now)).toBe("expired");
    expect(tokenStatus({ expiresAt: now, revokedAt: null }, now)).toBe("expired");
    expect(tokenStatus({ expiresAt: null, revokedAt: new Date("2025-06-01") }, now)).toBe("revoked");
  });

  it("durations: 90d, 12h, 2w, 1y, never", () => {
    expect(parseDuration("90d")).toBe(90 * 86_400_000);
    expect(parseDuration("12h")).toBe(12 * 3_600_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration("1y")).toBe(365 * 86_400_000);
    expect(parseDuration("30m")).toBe(30 * 60_000);
    expect(parseDuration("never")).toBeNull();
    for (const bad of ["", "90", "d", "-1d", "0d", "1.5d", "90 days"]) expect(() => parseDuration(bad), bad).toThrow();
  });
});

describe("scopes", () => {
  it("are validated, de-duplicated and ordered", () => {
    expect(parseScopes(["curate", "runs:write", "curate"])).toEqual(["runs:write", "curate"]);
    expect(parseScopes(["runs:write,curate"])).toEqual(["runs:write", "curate"]);
    expect(parseScopes([])).toEqual([]);
    expect(() => parseScopes(["runs:writ"])).toThrow(/unknown scope "runs:writ"/);
    expect(() => parseScopes(["__proto__"])).toThrow(/unknown scope/);
  });

  it("a session has every scope, a token only its own", () => {
    expect(hasScope("all", "ingest")).toBe(true);
    expect(hasScope(["runs:write"], "runs:write")).toBe(true);
    expect(hasScope(["runs:write"], "curate")).toBe(false);
    expect(hasScope([], "curate")).toBe(false);
  });
});

describe("sessions (sealed cookies) and CSRF tokens", () => {
  it("seal and unseal; tampering, another secret and expiry all fail", async () => {
    const sid = newSessionId();
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const sealed = await sealSession(SECRET, { sid, uid: 7, name: "Ann" }, new Date(Date.now() + 60_000));
    expect(sealed.split(".")).toHaveLength(5); // compact JWE
    expect(sealed).not.toContain(sid);
    expect(await unsealSession(SECRET, sealed)).toEqual({ sid, uid: 7, name: "Ann" });
    const parts = sealed.split(".");
    const flipped = parts[3][0] === "A" ? "B" : "A";
    expect(await unsealSession(SECRET, [...parts.slice(0, 3), flipped + parts[3].slice(1), parts[4]].join("."))).toBeNull();
    expect(await unsealSession("t".repeat(40), sealed)).toBeNull();
    expect(await unsealSession(SECRET, "garbage")).toBeNull();
    expect(await unsealSession(SECRET, undefined)).toBeNull();
    const expired = await sealSession(SECRET, { sid, uid: 7, name: "Ann" }, new Date(Date.now() - 1000));
    expect(await unsealSession(SECRET, expired)).toBeNull();
  });

  it("sealed values are bound to their purpose", async () => {
    const v = await sealValue(SECRET, "new token", { tid: 1, token: "plt_x" }, 60);
    expect((await unsealValue(SECRET, "new token", v))?.tid).toBe(1);
    expect(await unsealValue(SECRET, "other", v)).toBeNull();
    expect(await unsealSession(SECRET, v)).toBeNull();
  });

  it("CSRF tokens are bound to the session and the secret", () => {
    const a = csrfToken(SECRET, "sid-a");
    expect(csrfTokenValid(SECRET, "sid-a", a)).toBe(true);
    expect(csrfTokenValid(SECRET, "sid-b", a)).toBe(false);
    expect(csrfTokenValid("t".repeat(40), "sid-a", a)).toBe(false);
    expect(csrfTokenValid(SECRET, "sid-a", "")).toBe(false);
    expect(csrfTokenValid(SECRET, "sid-a", null)).toBe(false);
    expect(csrfTokenValid(SECRET, "sid-a", a.slice(1))).toBe(false);
  });

  it("cookies are HttpOnly, SameSite=Lax, Secure on https", () => {
    const c = cookieAttributes("plt_session", "v", { secure: true, expires: new Date(0) });
    expect(c).toBe("plt_session=v; Path=/; HttpOnly; SameSite=Lax; Secure; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    expect(cookieAttributes("a", "b", { secure: false })).not.toContain("Secure");
    expect(readCookie("x=1; plt_session=abc.def; y=2", "plt_session")).toBe("abc.def");
    expect(readCookie("x=1", "plt_session")).toBeUndefined();
  });
});

describe("the server secret", () => {
  it("comes from PATCHLORE_SECRET when set (32 characters at least)", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "plsecret-"));
    expect(loadSecret({ env: SECRET, home })).toBe(SECRET);
    expect(() => loadSecret({ env: "too short", home })).toThrow(/at least 32/);
    expect(fs.existsSync(path.join(home, "secret"))).toBe(false);
  });

  it("else is generated once into <home>/secret with mode 0600 and reused", () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plsecret-")), ".patchlore");
    const a = loadSecret({ env: undefined, home });
    expect(a.length).toBeGreaterThanOrEqual(32);
    const st = fs.statSync(path.join(home, "secret"));
    expect(st.mode & 0o777).toBe(0o600);
    expect(loadSecret({ env: "", home })).toBe(a);
    expect(fs.readdirSync(home)).toEqual(["secret"]); // no temporary files left
  });

  it("derives a separate key per purpose", () => {
    expect(Buffer.from(deriveKey(SECRET, "a")).equals(Buffer.from(deriveKey(SECRET, "b")))).toBe(false);
    expect(deriveKey(SECRET, "a")).toHaveLength(32);
    expect(sha256("x")).toHaveLength(32);
  });
});
