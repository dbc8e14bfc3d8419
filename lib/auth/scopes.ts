// What an API token may do. A signed-in user (browser session) may do everything their account
// may; a token only what its scopes say. New writes add their scope here (and to the README).
export const SCOPES = {
  "runs:write": "import benchmark and simulation runs (POST /api/runs)",
  curate: "curate proposals, ideas, decisions and links",
  ingest: "start ingests through the web",
  "tokens:write": "create and revoke API tokens for the same account (never with more scopes than the token itself)",
} as const;

export type Scope = keyof typeof SCOPES;

export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

export function isScope(s: string): s is Scope {
  return Object.prototype.hasOwnProperty.call(SCOPES, s);
}

/** Validates and de-duplicates; throws on an unknown scope (so a typo never yields a useless token). */
export function parseScopes(values: Iterable<string>): Scope[] {
  const out = new Set<Scope>();
  for (const raw of values) {
    for (const v of raw.split(/[\s,]+/).filter(Boolean)) {
      if (!isScope(v)) throw new Error(`unknown scope "${v}" (known: ${ALL_SCOPES.join(", ")})`);
      out.add(v);
    }
  }
  return ALL_SCOPES.filter((s) => out.has(s));
}

/** granted: the scopes of the credential; a session grants every scope. */
export function hasScope(granted: readonly string[] | "all", wanted: Scope): boolean {
  return granted === "all" || granted.includes(wanted);
}
