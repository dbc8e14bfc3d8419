// The signed-in part of the site header: "sign in", or the user's name, "account" and a sign-out
// button (a POST form with the session's CSRF token). Reads only the sealed cookie: no query.
import { csrfToken } from "@/lib/auth/session";
import { appSecret, sessionClaims } from "../_lib/auth";
import { cleanText } from "../_lib/format";
import "../auth.css";

export async function UserNav() {
  let claims = null;
  try {
    claims = await sessionClaims();
  } catch {
    // no usable secret (e.g. a read-only checkout): show the sign-in link, and let /login say why
  }
  if (!claims) {
    return (
      <nav className="user-nav" aria-label="Account">
        <a href="/login">sign in</a>
      </nav>
    );
  }
  return (
    <nav className="user-nav" aria-label="Account">
      <a href="/account" className="user-name">
        <bdi>{cleanText(claims.name)}</bdi>
      </a>
      <form method="post" action="/logout" className="logout">
        <input type="hidden" name="csrf" value={csrfToken(appSecret(), claims.sid)} />
        <button type="submit">sign out</button>
      </form>
    </nav>
  );
}
