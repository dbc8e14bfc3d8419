// A fresh nonce per request for the Content-Security-Policy. Next's App Router inlines its
// flight data as <script> tags; it reads the nonce from this request header and puts it on
// every script it emits. Nothing from mail content can ever carry the nonce, and pages have
// no client components of their own.
import { NextResponse, type NextRequest } from "next/server";

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
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Next's own endpoints (static assets, the dev server's HMR websocket) stay untouched
  matcher: [{ source: "/((?!_next/).*)" }],
};
