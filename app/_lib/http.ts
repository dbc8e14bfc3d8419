// Helpers for the route handlers (raw, api).
import { NO_DATABASE_MESSAGE } from "../db";

/** The path segments after `prefixSegments` of the request URL, each percent-decoded once. */
export function pathSegments(url: string, prefixSegments: number): string[] | null {
  const raw = new URL(url).pathname.split("/").filter(Boolean).slice(prefixSegments);
  try {
    return raw.map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

export function noDatabaseResponse(): Response {
  return new Response(NO_DATABASE_MESSAGE + "\n", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
}
