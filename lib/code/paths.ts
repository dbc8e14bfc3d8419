// Paths of code history pages: /code/<path> and /code/<path>/<function>.
//
// A file path holds "/" (mm/memory.c), so the URL's segments are joined back into a path, and a
// trailing function segment has to be told apart from a path component. The rule
// (resolveCodePath): the LONGEST prefix of the segments that is a known file path (a path some
// patch touched) is the file; one segment left after it is a function name; none left is the
// file itself. No known file among the prefixes: the whole path is a directory prefix (a listing
// of the files under it). So /code/mm/memory.c/do_wp_page is the function do_wp_page of
// mm/memory.c because mm/memory.c is a file patches touched and mm/memory.c/do_wp_page is not;
// a file that really is named like that (a directory memory.c holding do_wp_page) wins, being
// longer — the API's ?function=NAME says it without any guessing.

/** A path as patches name it: no leading "./" or "/", no "a/"-style prefix guessing, no empty or "." segments. */
export function normalizeCodePath(p: string): string {
  const segs = p
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
  return segs.join("/");
}

/** URL segments (already decoded) -> path segments: each may itself hold "/" when encoded as %2F. */
export function codeSegments(segments: string[]): string[] {
  return normalizeCodePath(segments.join("/")).split("/").filter(Boolean);
}

/** A path that cannot name a file in a repository (for a 400 rather than a silent empty page). */
export function badCodePath(p: string): string | null {
  if (p.length > 4096) return "path too long";
  if (p.split("/").some((s) => s === "..")) return `".." is not allowed in a path`;
  if (/[\0\n\r]/.test(p)) return "control characters in the path";
  return null;
}

/** The prefixes to look up, longest first: ["a/b/c", "a/b", "a"]. */
export function pathPrefixes(segments: string[]): string[] {
  const out: string[] = [];
  for (let k = segments.length; k >= 1; k--) out.push(segments.slice(0, k).join("/"));
  return out;
}

export type CodeTarget =
  | { kind: "file"; path: string; function: string | null }
  | { kind: "dir"; prefix: string };

/**
 * What /code/<segments...> names, given which of its prefixes are known file paths. null: a
 * known file followed by more than one segment (no such function or file).
 */
export function resolveCodePath(segments: string[], isFile: (path: string) => boolean, explicitFunction?: string | null): CodeTarget | null {
  const segs = codeSegments(segments);
  if (!segs.length) return { kind: "dir", prefix: "" };
  const full = segs.join("/");
  if (explicitFunction) return { kind: "file", path: full, function: explicitFunction };
  for (let k = segs.length; k >= 1; k--) {
    const p = segs.slice(0, k).join("/");
    if (!isFile(p)) continue;
    const rest = segs.slice(k);
    if (rest.length === 0) return { kind: "file", path: p, function: null };
    if (rest.length === 1) return { kind: "file", path: p, function: rest[0] };
    return null;
  }
  return { kind: "dir", prefix: full };
}

/** The page of a file or a function: /code/<path>/ and /code/<path>/<function> (segments encoded, "/" kept). */
export function codeHref(path: string, fn?: string | null): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%40/g, "@");
  const p = normalizeCodePath(path).split("/").map(enc).join("/");
  return fn ? `/code/${p}/${enc(fn)}` : `/code/${p}${p ? "/" : ""}`;
}

/** The parent directories of a path, for breadcrumbs: "mm/vmscan.c" -> ["mm"]. */
export function parentDirs(path: string): string[] {
  const segs = normalizeCodePath(path).split("/").filter(Boolean);
  const out: string[] = [];
  for (let k = 1; k < segs.length; k++) out.push(segs.slice(0, k).join("/"));
  return out;
}
