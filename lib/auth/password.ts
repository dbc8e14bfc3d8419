// Password hashing with Node's built-in scrypt (no dependency). The stored form is a PHC string,
// "$scrypt$ln=15,r=8,p=1$<salt>$<hash>" (base64 without padding), so every user keeps the cost
// parameters and the random 16-byte salt they were hashed with, and the parameters can be raised
// later without invalidating old hashes (needsRehash tells when to re-hash after a login).
import crypto from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export interface ScryptParams {
  /** log2 of N, the CPU/memory cost */
  ln: number;
  /** block size */
  r: number;
  /** parallelism */
  p: number;
}

/** 2^15 * 8 * 128 bytes = 32 MiB and about 0.1-0.3 s per hash on one core (OWASP asks for N=2^17 with r=8 for
 * interactive logins on big servers; 2^15 keeps a small machine responsive under the login rate limit). */
export const DEFAULT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };
/** hashes with parameters beyond these are refused rather than computed (a tampered row must not DoS us) */
const MAX_LN = 20;
const KEY_LEN = 32;
const SALT_LEN = 16;
/** longer passwords are refused before hashing (a login form must not be a hashing service) */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 8;

const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");

function maxmem(p: ScryptParams): number {
  return 128 * 2 ** p.ln * p.r * (p.p + 1) + 1024 * 1024;
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new Error(`password longer than ${MAX_PASSWORD_LENGTH} characters`);
  const salt = crypto.randomBytes(SALT_LEN);
  const key = await scryptAsync(password.normalize("NFC"), salt, KEY_LEN, { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: maxmem(params) });
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

export interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function parseHash(stored: string): ParsedHash | null {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return null;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return null;
  const salt = Buffer.from(m[4], "base64");
  const key = Buffer.from(m[5], "base64");
  if (salt.length < 8 || key.length < 16) return null;
  return { params, salt, key };
}

/** Constant-time comparison of the derived key; false for malformed hashes (never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const { params, salt, key } = parsed;
  const derived = await scryptAsync(password.normalize("NFC"), salt, key.length, { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: maxmem(params) });
  return crypto.timingSafeEqual(derived, key);
}

/** True when the stored hash is weaker than `params` (re-hash it after a successful login). */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_PARAMS): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  return parsed.params.ln < params.ln || parsed.params.r < params.r || parsed.params.p < params.p;
}

let dummy: Promise<string> | null = null;
/** Spends the same time as checking a real password, for logins with an unknown e-mail address, so
 * response times do not tell which addresses have accounts. */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword(crypto.randomBytes(16).toString("hex"));
  await verifyPassword(password.slice(0, MAX_PASSWORD_LENGTH), await dummy);
  return false;
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}
