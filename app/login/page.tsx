// /login: the sign-in form. It posts to /login (proxy.ts hands the POST to ./submit/route.ts),
// which answers with a redirect: back here with one generic message on any failure, so the page
// never tells whether an address has an account.
import type { Metadata } from "next";
import { Crumbs } from "../_components/chrome";
import { currentUser } from "../_lib/auth";
import { safeNext } from "../_lib/auth-forms";
import "../auth.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const q = await searchParams;
  const next = safeNext(typeof q.next === "string" ? q.next : undefined);
  const me = await currentUser();
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: "sign in" }]} />
      <h1 className="page-title">Sign in</h1>
      {me ? (
        <p className="note info">
          You are signed in as <bdi>{me.user.name || me.user.email}</bdi>. <a href="/account">Your account</a>
        </p>
      ) : null}
      {q.failed !== undefined ? (
        <p className="note warn auth-error" role="alert">
          The e-mail address or the password is not right, or the account is disabled.
        </p>
      ) : null}
      <form className="auth-form" method="post" action="/login">
        <input type="hidden" name="next" value={next} />
        <label>
          E-mail address
          <input type="email" name="email" autoComplete="username" required maxLength={254} autoFocus />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required maxLength={1024} />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p className="dim small">
        Reading needs no account. Accounts are made by the administrator: <code>npx patchlore users add &lt;email&gt;</code>.
      </p>
    </>
  );
}
