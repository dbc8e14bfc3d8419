// Users, sessions and API tokens in PostgreSQL (tables app_user, session, api_token). Plain SQL
// through the shared pool, like the rest of lib/db. Secrets never reach the database: passwords
// as scrypt hashes, session ids and tokens as SHA-256.
import type { Db } from "../db/client";
import { burnPasswordCheck, hashPassword, needsRehash, passwordProblem, verifyPassword } from "./password";
import { hasScope, isScope, type Scope } from "./scopes";
import { generateToken, looksLikeToken, sha256, tokenMatches, tokenPrefix, tokenStatus } from "./tokens";

export interface User {
  id: number;
  email: string;
  name: string;
  createdAt: Date;
  disabled: boolean;
}

export interface TokenInfo {
  id: number;
  userId: number;
  name: string;
  scopes: Scope[];
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  status: "active" | "expired" | "revoked";
}

export class AuthError extends Error {}

const userCols = (t = "app_user") => `${t}.id, ${t}.email, ${t}.name, ${t}.created_at AS "createdAt", ${t}.disabled`;
const tokenCols = (t = "api_token") =>
  `${t}.id, ${t}.user_id AS "userId", ${t}.name, ${t}.scopes, ${t}.prefix, ${t}.created_at AS "createdAt", ` +
  `${t}.last_used_at AS "lastUsedAt", ${t}.expires_at AS "expiresAt", ${t}.revoked_at AS "revokedAt"`;
const USER_COLS = userCols();
const TOKEN_COLS = tokenCols();

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function checkEmail(email: string): string {
  const e = normalizeEmail(email);
  if (e.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(e)) throw new AuthError(`not an e-mail address: ${email}`);
  return e;
}

function toToken(r: Omit<TokenInfo, "status" | "scopes"> & { scopes: string[] | null }): TokenInfo {
  const scopes = (r.scopes ?? []).filter(isScope);
  return { ...r, scopes, status: tokenStatus(r) };
}

// ---- users

export async function createUser(db: Db, o: { email: string; name?: string; password: string }): Promise<User> {
  const email = checkEmail(o.email);
  const problem = passwordProblem(o.password);
  if (problem) throw new AuthError(problem);
  const hash = await hashPassword(o.password);
  try {
    const { rows } = await db.pool.query(
      `INSERT INTO app_user (email, name, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLS}`,
      [email, (o.name ?? "").trim(), hash],
    );
    return rows[0];
  } catch (e) {
    if ((e as { code?: string }).code === "23505") throw new AuthError(`a user with the e-mail address ${email} exists`);
    throw e;
  }
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const { rows } = await db.pool.query(`SELECT ${USER_COLS} FROM app_user WHERE email = $1`, [normalizeEmail(email)]);
  return rows[0] ?? null;
}

export async function getUser(db: Db, id: number): Promise<User | null> {
  const { rows } = await db.pool.query(`SELECT ${USER_COLS} FROM app_user WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listUsers(db: Db): Promise<(User & { activeTokens: number })[]> {
  const { rows } = await db.pool.query(
    `SELECT ${userCols("u")},
            (SELECT count(*) FROM api_token t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()))::int AS "activeTokens"
       FROM app_user u ORDER BY u.id`,
  );
  return rows;
}

/** Disabling ends the user's sessions; their tokens stop working while disabled. */
export async function setUserDisabled(db: Db, email: string, disabled: boolean): Promise<User> {
  const { rows } = await db.pool.query(`UPDATE app_user SET disabled = $2 WHERE email = $1 RETURNING ${USER_COLS}`, [normalizeEmail(email), disabled]);
  if (!rows[0]) throw new AuthError(`no user ${email}`);
  if (disabled) await db.pool.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [rows[0].id]);
  return rows[0];
}

/** Sets a new password and ends every session of the user. */
export async function setPassword(db: Db, email: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new AuthError(problem);
  const hash = await hashPassword(password);
  const { rows } = await db.pool.query(`UPDATE app_user SET password_hash = $2 WHERE email = $1 RETURNING id`, [normalizeEmail(email), hash]);
  if (!rows[0]) throw new AuthError(`no user ${email}`);
  await db.pool.query(`UPDATE session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [rows[0].id]);
}

/** The user when the e-mail and password match an enabled account, else null. Takes the same
 * time whether or not the address has an account (no user enumeration by timing). */
export async function checkPassword(db: Db, email: string, password: string): Promise<User | null> {
  const { rows } = await db.pool.query(`SELECT ${USER_COLS}, password_hash AS "passwordHash" FROM app_user WHERE email = $1`, [normalizeEmail(email)]);
  const row = rows[0] as (User & { passwordHash: string }) | undefined;
  if (!row) return burnPasswordCheck(password).then(() => null);
  const ok = await verifyPassword(password, row.passwordHash);
  if (!ok || row.disabled) return null;
  if (needsRehash(row.passwordHash)) {
    await db.pool.query(`UPDATE app_user SET password_hash = $2 WHERE id = $1`, [row.id, await hashPassword(password)]);
  }
  const { passwordHash: _, ...user } = row;
  return user;
}

// ---- sessions

export async function createSessionRow(db: Db, userId: number, sid: string, expiresAt: Date): Promise<void> {
  await db.pool.query(`INSERT INTO session (user_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [userId, sha256(sid), expiresAt]);
}

/** The signed-in user of a session id, when the session is live and the user enabled. */
export async function sessionUser(db: Db, sid: string): Promise<User | null> {
  const { rows } = await db.pool.query(
    `SELECT u.id, u.email, u.name, u.created_at AS "createdAt", u.disabled, s.id AS "sessionId",
            s.last_seen_at < now() - interval '5 minutes' AS stale
       FROM session s JOIN app_user u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [sha256(sid)],
  );
  const r = rows[0];
  if (!r) return null;
  // at most one write per session every 5 minutes
  if (r.stale) await db.pool.query(`UPDATE session SET last_seen_at = now() WHERE id = $1`, [r.sessionId]);
  return { id: r.id, email: r.email, name: r.name, createdAt: r.createdAt, disabled: r.disabled };
}

export async function revokeSession(db: Db, sid: string): Promise<void> {
  await db.pool.query(`UPDATE session SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [sha256(sid)]);
}

// ---- API tokens

export interface CreatedToken {
  /** the token itself: shown once, never stored */
  token: string;
  info: TokenInfo;
}

export async function createToken(
  db: Db,
  userId: number,
  o: { name: string; scopes: Scope[]; expiresInMs: number | null },
): Promise<CreatedToken> {
  const name = o.name.trim().slice(0, 100) || "token";
  if (!o.scopes.length) throw new AuthError("a token needs at least one scope");
  const t = generateToken();
  const expiresAt = o.expiresInMs === null ? null : new Date(Date.now() + o.expiresInMs);
  const { rows } = await db.pool.query(
    `INSERT INTO api_token (user_id, name, scopes, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLS}`,
    [userId, name, o.scopes, t.hash, t.prefix, expiresAt],
  );
  return { token: t.token, info: toToken(rows[0]) };
}

export async function listTokens(db: Db, userId?: number): Promise<(TokenInfo & { email: string })[]> {
  const { rows } = await db.pool.query(
    `SELECT ${tokenCols("t")}, u.email FROM api_token t JOIN app_user u ON u.id = t.user_id
      ${userId === undefined ? "" : "WHERE t.user_id = $1"} ORDER BY t.id`,
    userId === undefined ? [] : [userId],
  );
  return rows.map((r) => ({ ...toToken(r), email: r.email }));
}

/** Revokes a token of the user (any user's when userId is undefined: the CLI). False when there is no such token. */
export async function revokeToken(db: Db, id: number, userId?: number): Promise<boolean> {
  const { rowCount } = await db.pool.query(
    `UPDATE api_token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 ${userId === undefined ? "" : "AND user_id = $2"}`,
    userId === undefined ? [id] : [id, userId],
  );
  return (rowCount ?? 0) > 0;
}

export type TokenCheck =
  | { ok: true; user: User; token: TokenInfo }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "expired" | "disabled" };

/** Checks a bearer token: the row found by prefix, the hash compared in constant time, then
 * revocation, expiry and the user. Updates last_used_at (at most once a minute). */
export async function verifyToken(db: Db, token: string): Promise<TokenCheck> {
  if (!looksLikeToken(token)) return { ok: false, reason: "malformed" };
  const { rows } = await db.pool.query(
    `SELECT ${tokenCols("t")}, t.token_hash AS "tokenHash",
            u.email, u.name AS "userName", u.created_at AS "userCreatedAt", u.disabled
       FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.prefix = $1`,
    [tokenPrefix(token)],
  );
  const r = rows.find((x) => tokenMatches(token, x.tokenHash));
  if (!r) return { ok: false, reason: "unknown" };
  const info = toToken(r);
  if (info.status !== "active") return { ok: false, reason: info.status };
  if (r.disabled) return { ok: false, reason: "disabled" };
  if (!r.lastUsedAt || Date.now() - new Date(r.lastUsedAt).getTime() > 60_000) {
    await db.pool.query(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [r.id]);
  }
  return { ok: true, user: { id: r.userId, email: r.email, name: r.userName, createdAt: r.userCreatedAt, disabled: r.disabled }, token: info };
}

export { hasScope };
