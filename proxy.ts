// A fresh nonce per request for the Content-Security-Policy. Next's App Router inlines its
// flight data as <script> tags; it reads the nonce from this request header and puts it on
// every script it emits. Nothing from mail content can ever carry the nonce, and pages have
// no client components of their own.
import { NextResponse, type NextRequest } from "next/server";
import { limiter } from "./lib/http/limits";

function contentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self'${dev ? " 'unsafe-inline'" : ` 'nonce-${nonce}'`}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Next answers a malformed percent-escape in the path ("/demo/%ZZ/") with a bare 500. */
function malformedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

export function proxy(request: NextRequest) {
  if (malformedPath(new URL(request.url).pathname)) {
    return new NextResponse("Bad request: malformed percent-encoding in the path\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" },
    });
  }
  // 413 (query string or declared body too large) and 429 (rate per client and class), before
  // any page or route runs: lib/http/limits.ts, configured by PATCHLORE_* variables (README)
  const limited = limiter().check(request);
  if (limited) return limited;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  // the path asked for, for /timeout's "try again" and the guard in server actions (app/db.ts, lib/auth/guard.ts)
  const { pathname, search } = request.nextUrl;
  requestHeaders.set("x-patchlore-url", pathname + search);
  // the sign-in form posts to /login, whose page cannot take a POST: its route handler answers
  const response =
    request.method === "POST" && pathname.replace(/\/$/, "") === "/login"
      ? NextResponse.rewrite(new URL("/login/submit", request.url), { request: { headers: requestHeaders } })
      : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  // a new API token is shown once: the account page reads the sealed cookie, this drops it
  if (pathname.replace(/\/$/, "") === "/account" && request.cookies.has("plt_new_token")) {
    response.headers.append("Set-Cookie", "plt_new_token=; Path=/account; HttpOnly; SameSite=Strict; Max-Age=0");
  }
  return response;
}

export const config = {
  // Next's own endpoints (static assets, the dev server's HMR websocket) stay untouched
  matcher: [{ source: "/((?!_next/).*)" }],
};
