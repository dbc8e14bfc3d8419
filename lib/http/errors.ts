// Error answers that say what happened: JSON for /api (like the API's own errors, {error, detail}),
// a small self-contained HTML page for everything else (no scripts, no styles, nothing to load).

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Sign-in required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  413: "Request too large",
  415: "Unsupported media type",
  429: "Too many requests",
  503: "Service unavailable",
  504: "Timed out",
};

export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function errorResponse(
  status: number,
  o: { api: boolean; detail: string; headers?: Record<string, string>; extra?: Record<string, unknown>; links?: { href: string; label: string }[] },
): Response {
  const title = TITLES[status] ?? `Error ${status}`;
  const headers = new Headers(o.headers);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Cache-Control", "no-store");
  if (o.api) {
    headers.set("Content-Type", "application/json; charset=utf-8");
    return new Response(JSON.stringify({ error: title.toLowerCase(), detail: o.detail, ...o.extra }, null, 2) + "\n", { status, headers });
  }
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Content-Security-Policy", "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  const links = [...(o.links ?? []), { href: "/", label: "patchlore home" }]
    .filter((l) => l.href.startsWith("/") && !l.href.startsWith("//") && !l.href.startsWith("/\\"))
    .map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`)
    .join(" · ");
  const body =
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${status} ${esc(title)} · patchlore</title></head>\n<body><h1>${esc(title)}</h1>\n<p>${esc(o.detail)}</p>\n<p>${links}</p></body></html>\n`;
  return new Response(body, { status, headers });
}
