// Helpers for the sign-in, sign-out and account forms (plain HTML forms posting to route
// handlers; no client JavaScript). Every form POST checks that it came from this site (Origin);
// forms of a signed-in user also carry a CSRF token bound to the session (lib/auth/session.ts).
import { errorResponse } from "@/lib/http/errors";
import { readBodyLimited } from "@/lib/http/limits";

/** A local path to go to after signing in; anything else ("//evil", "https://...") becomes /account. */
export function safeNext(next: string | undefined | null): string {
  if (!next || next.length > 2048) return "/account";
  if (!/^\/(?![/\\])/.test(next) || /[\u0000-\u001f\u007f]/.test(next)) return "/account";
  return next;
}

/** The fields of an application/x-www-form-urlencoded POST of at most maxBytes, or the Response to answer with. */
export async function readForm(request: Request, maxBytes = 16 * 1024): Promise<URLSearchParams | Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    return errorResponse(415, { api: false, detail: "Send the form as application/x-www-form-urlencoded." });
  }
  const body = await readBodyLimited(request, maxBytes);
  if (body === null) return errorResponse(413, { api: false, detail: `The form is larger than ${maxBytes} bytes.` });
  return new URLSearchParams(body.toString("utf8"));
}

export function seeOther(location: string, setCookies: string[] = []): Response {
  const headers = new Headers({ Location: location, "Cache-Control": "no-store" });
  for (const c of setCookies) headers.append("Set-Cookie", c);
  return new Response(null, { status: 303, headers });
}

export const crossSite = () =>
  errorResponse(403, { api: false, detail: "Cross-site form submission refused: this form must be sent from this site's own page." });

/** The sealed one-time display of a new API token (Path=/account, 5 minutes, dropped by proxy.ts once read). */
export const NEW_TOKEN_COOKIE = "plt_new_token";
