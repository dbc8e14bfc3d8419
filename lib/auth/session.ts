// Browser sessions. The cookie is a JWE (jose, "dir" + A256GCM: encrypted and authenticated with
// a key derived from the server secret) holding a random 256-bit session id and the user's id and
// name; the session table stores only SHA-256(session id), so sign-out and disabling a user take
// effect at once, and neither a copy of the table nor the cookie alone is enough to forge one.
//
// Why jose: a small, dependency-free, widely used implementation of the JOSE standards (also what
// Auth.js uses); sealing is all that is needed on top of the session table, so iron-session's
// cookie-store wrapper would add dependencies without adding anything.
import crypto from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import { deriveKey } from "./secret";

export const SESSION_COOKIE = "plt_session";
/** sessions last this long after sign-in (PATCHLORE_SESSION_DAYS) */
export const DEFAULT_SESSION_DAYS = 14;

export interface SessionClaims {
  /** the random session id (base64url); SHA-256 of it is the session row's token_hash */
  sid: string;
  uid: number;
  /** display name (or e-mail), for the header without a database query */
  name: string;
}

const keys = new Map<string, Uint8Array>();
function sessionKey(secret: string): Uint8Array {
  let k = keys.get(secret);
  if (!k) {
    k = deriveKey(secret, "session cookie");
    keys.set(secret, k);
  }
  return k;
}

export function newSessionId(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export async function sealSession(secret: string, claims: SessionClaims, expiresAt: Date): Promise<string> {
  return new EncryptJWT({ sid: claims.sid, uid: claims.uid, name: claims.name })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .encrypt(sessionKey(secret));
}

/** The claims of a valid, unexpired cookie; null for anything else (tampered, foreign, expired). */
export async function unsealSession(secret: string, cookie: string | undefined | null): Promise<SessionClaims | null> {
  if (!cookie || cookie.length > 4096) return null;
  try {
    const { payload } = await jwtDecrypt(cookie, sessionKey(secret), {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    const { sid, uid, name } = payload as Record<string, unknown>;
    if (typeof sid !== "string" || typeof uid !== "number" || !Number.isInteger(uid)) return null;
    return { sid, uid, name: typeof name === "string" ? name : "" };
  } catch {
    return null;
  }
}

/** Synchronizer CSRF token for plain HTML forms of a signed-in user: HMAC(secret, session id).
 * Stateless, bound to the session, and unreadable to other origins. */
export function csrfToken(secret: string, sid: string): string {
  return crypto.createHmac("sha256", deriveKey(secret, "csrf")).update(sid).digest("base64url");
}

export function csrfTokenValid(secret: string, sid: string, token: string | null | undefined): boolean {
  if (!token) return false;
  const want = Buffer.from(csrfToken(secret, sid));
  const got = Buffer.from(token);
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}


/** Set-Cookie attributes: HttpOnly, SameSite=Lax, Secure when the request came over https. */
export function cookieAttributes(name: string, value: string, o: { secure: boolean; expires?: Date; maxAge?: number; path?: string; sameSite?: "Lax" | "Strict" }): string {
  const parts = [`${name}=${value}`, `Path=${o.path ?? "/"}`, "HttpOnly", `SameSite=${o.sameSite ?? "Lax"}`];
  if (o.secure) parts.push("Secure");
  if (o.expires) parts.push(`Expires=${o.expires.toUTCString()}`);
  if (o.maxAge !== undefined) parts.push(`Max-Age=${o.maxAge}`);
  return parts.join("; ");
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Seals any small JSON value (the one-time display of a new API token) with its own key. */
export async function sealValue(secret: string, purpose: string, value: Record<string, unknown>, ttlSeconds: number): Promise<string> {
  return new EncryptJWT(value)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .encrypt(deriveKey(secret, `sealed ${purpose}`));
}

export async function unsealValue(secret: string, purpose: string, sealed: string | undefined | null): Promise<Record<string, unknown> | null> {
  if (!sealed || sealed.length > 4096) return null;
  try {
    const { payload } = await jwtDecrypt(sealed, deriveKey(secret, `sealed ${purpose}`), {
      keyManagementAlgorithms: ["dir"],
      contentEncryptionAlgorithms: ["A256GCM"],
    });
    return payload as Record<string, unknown>;
  } catch {
    return null;
  }
}
