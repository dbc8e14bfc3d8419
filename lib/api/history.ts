// /api/code/<path>[/<function>] and /api/people/<address>: the code history and person routes of
// the JSON API (lib/api/router.ts dispatches here).
import type { Db } from "../db/client";
import type { ApiResponse } from "./router";
import { getCode } from "../views/code-history";
import { badCodePath, codeSegments } from "../code/paths";
import { getPersonProfile } from "../views/people";

const bad = (detail: string): ApiResponse => ({ status: 400, json: { error: "bad request", detail } });
const notFound = (detail: string): ApiResponse => ({ status: 404, json: { error: "not found", detail } });

/**
 * segments: what follows /api/code/. A directory prefix lists the files under it; a file path gives
 * its history; a file path plus one more segment (or ?function=NAME) the history of that function.
 */
export async function codeApi(db: Db, segments: string[], query: URLSearchParams): Promise<ApiResponse> {
  const path = codeSegments(segments).join("/");
  const problem = badCodePath(path);
  if (problem) return bad(problem);
  const fn = query.get("function");
  if (fn !== null && (!fn.trim() || fn.length > 200)) return bad("?function= needs a name (up to 200 characters)");
  const limitRaw = query.get("limit");
  const limit = limitRaw === null ? undefined : Number(limitRaw);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) return bad("?limit= must be a positive integer");
  if (fn !== null && !path) return bad("?function= needs a file path: /api/code/<path>?function=NAME");
  const r = await getCode(db, segments, { function: fn, limit });
  if (!r) return notFound(path ? `no patch touched ${path}${fn ? ` (function ${fn})` : ""}` : "no patch touched any file yet");
  if (r.kind === "file" && r.function && r.counts.patches === 0) {
    return { status: 404, json: { error: "not found", detail: `no hunk of ${r.path} changes ${r.function}`, functions: r.functions.map((f) => f.name) } };
  }
  return { status: 200, json: r };
}

/** /api/people/<address>: one person (every address merged into it) and what they did. */
export async function personApi(db: Db, address: string): Promise<ApiResponse> {
  if (!address.trim() || address.length > 320) return bad("give an address: /api/people/<address>");
  const p = await getPersonProfile(db, address);
  return p ? { status: 200, json: p } : notFound(`nobody with the address ${address}`);
}
