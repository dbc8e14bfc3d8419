// Absolute permalinks for text that leaves the site (Markdown pasted into a pull request, the
// related-work summary): the paths of app/_lib/urls.ts (lib/ cannot import app/; keep both in
// step, lib/markdown/links.test.ts checks they agree) on a base URL: PATCHLORE_BASE_URL, else
// the origin the request came to, else the local server's.

/** A Message-ID or key in one path segment: percent-encoded, "@" kept (as lore does). */
export function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/%40/g, "@");
}

export class BaseUrlError extends Error {}

/** "https://lore.example.org/patchlore/" -> "https://lore.example.org/patchlore" (no trailing slash). */
export function normalizeBaseUrl(s: string): string {
  let u: URL;
  try {
    u = new URL(s.trim());
  } catch {
    throw new BaseUrlError(`not an absolute URL: ${JSON.stringify(s)} (give e.g. https://patchlore.example.org)`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new BaseUrlError(`not an http(s) URL: ${JSON.stringify(s)}`);
  if (u.username || u.password) throw new BaseUrlError("a base URL must not carry a user name or password");
  return (u.origin + u.pathname).replace(/\/+$/, "");
}

/** The base URL to use: the configured one (PATCHLORE_BASE_URL) when set, else the fallback (a request's origin). */
export function chooseBaseUrl(configured: string | undefined | null, fallback: string): string {
  return normalizeBaseUrl(configured && configured.trim() ? configured : fallback);
}

export class Links {
  readonly base: string;
  constructor(base: string) {
    this.base = normalizeBaseUrl(base);
  }
  private abs(path: string): string {
    return this.base + path;
  }
  message(list: string, msgid: string): string {
    return this.abs(`/${encodeSegment(list)}/${encodeSegment(msgid)}/`);
  }
  patch(list: string, msgid: string): string {
    return `${this.message(list, msgid)}patch/`;
  }
  /** the patch view at file n, hunk m (0-based here; the page's anchors count from 1) */
  hunk(list: string, msgid: string, fileIndex: number, hunkIndex: number): string {
    return `${this.patch(list, msgid)}#f${fileIndex + 1}${hunkIndex >= 0 ? `h${hunkIndex + 1}` : ""}`;
  }
  review(list: string, msgid: string): string {
    return `${this.message(list, msgid)}review/`;
  }
  discussion(list: string, patchMsgid: string, id: string): string {
    return `${this.review(list, patchMsgid)}#d-${encodeURIComponent(id)}`;
  }
  series(key: string): string {
    return this.abs(`/series/${encodeSegment(key)}/`);
  }
  seriesReview(key: string): string {
    return `${this.series(key)}review/`;
  }
  proposal(id: number | string): string {
    return this.abs(`/proposals/${encodeSegment(String(id))}/`);
  }
  api(path: string): string {
    return this.abs(`/api/${path.replace(/^\/+/, "")}`);
  }
}
