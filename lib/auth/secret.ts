// The server secret that seals session cookies and signs CSRF tokens: $PATCHLORE_SECRET, or when
// unset a random secret generated once into <home>/secret (mode 0600), so the embedded setup
// works with no configuration and sessions survive restarts. Keys for each use are derived from
// it with HKDF, so one secret never serves two purposes directly.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const MIN_SECRET_LENGTH = 32;

export interface SecretSource {
  env?: string | undefined;
  /** the directory holding the generated secret (.patchlore/) */
  home: string;
}

export function loadSecret({ env, home }: SecretSource): string {
  if (env !== undefined && env !== "") {
    if (env.length < MIN_SECRET_LENGTH) throw new Error(`PATCHLORE_SECRET must have at least ${MIN_SECRET_LENGTH} characters`);
    return env;
  }
  const file = path.join(home, "secret");
  try {
    return readSecretFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(32).toString("base64url");
  // written to a private temporary file, then linked into place: link() never overwrites, so two
  // processes generating at the same moment agree on the first one's secret, and nobody ever
  // reads a half-written file
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}`;
  fs.writeFileSync(tmp, secret + "\n", { flag: "wx", mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return readSecretFile(file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readSecretFile(file: string): string {
  const s = fs.readFileSync(file, "utf8").trim();
  if (s.length < MIN_SECRET_LENGTH) throw new Error(`${file} holds no usable secret (at least ${MIN_SECRET_LENGTH} characters); delete it to generate a new one`);
  return s;
}

/** A 32-byte key for one purpose ("session", "csrf", ...). */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(crypto.hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.from("patchlore"), Buffer.from(`patchlore ${purpose} v1`), 32));
}
