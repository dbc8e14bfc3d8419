// API tokens: "plt_" + 40 characters of base64url (30 random bytes, 240 bits). Stored as SHA-256
// only; the first 12 characters ("plt_" + 8) are kept as the prefix, shown in lists and used to
// find the row, and the hash is then compared with crypto.timingSafeEqual (the selector/verifier
// pattern: the index lookup can only leak the prefix, which is not secret).
import crypto from "node:crypto";

export const TOKEN_PREFIX = "plt_";
const TOKEN_RE = /^plt_[A-Za-z0-9_-]{40}$/;
export const PREFIX_LENGTH = 12;

export interface NewToken {
  /** shown once, never stored */
  token: string;
  prefix: string;
  hash: Buffer;
}

export function sha256(s: string | Buffer): Buffer {
  return crypto.createHash("sha256").update(s).digest();
}

export function generateToken(): NewToken {
  const token = TOKEN_PREFIX + crypto.randomBytes(30).toString("base64url");
  return { token, prefix: token.slice(0, PREFIX_LENGTH), hash: sha256(token) };
}

/** Syntax only: a string that cannot be a token is refused before any database work. */
export function looksLikeToken(s: string): boolean {
  return TOKEN_RE.test(s);
}

export function tokenPrefix(token: string): string {
  return token.slice(0, PREFIX_LENGTH);
}

/** Constant-time: same length buffers compared without early exit. */
export function tokenMatches(token: string, storedHash: Buffer): boolean {
  const h = sha256(token);
  return storedHash.length === h.length && crypto.timingSafeEqual(h, storedHash);
}

/** "Bearer plt_..." -> the token; null without a Bearer authorization. */
export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : null;
}

/** "90d", "12h", "30m", "2w", "1y", "never" -> milliseconds (null: never expires). */
export function parseDuration(v: string): number | null {
  const s = v.trim().toLowerCase();
  if (s === "never" || s === "none" || s === "0") return null;
  const m = /^(\d{1,6})\s*(m|min|h|d|w|y)$/.exec(s);
  if (!m) throw new Error(`not a duration: "${v}" (use e.g. 30d, 12h, 2w, 1y or never)`);
  const n = Number(m[1]);
  const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, y: 365 * 86_400_000 }[m[2] as "m"];
  if (n <= 0) throw new Error(`not a positive duration: "${v}"`);
  return n * unit;
}

export interface TokenState {
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export function tokenStatus(t: TokenState, now = new Date()): "active" | "expired" | "revoked" {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
