// /account: the signed-in user's API tokens: create one (with scopes and an expiry; the token
// is shown once, right after), see when each was last used, revoke. Plain forms posting to
// ./tokens/route.ts and ./tokens/<id>/revoke/route.ts with the session's CSRF token.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SCOPES, ALL_SCOPES } from "@/lib/auth/scopes";
import { unsealValue } from "@/lib/auth/session";
import { listTokens } from "@/lib/auth/store";
import { getDb } from "../db";
import { Crumbs, NoDatabase } from "../_components/chrome";
import { appSecret, currentUser } from "../_lib/auth";
import { cleanText, shortDate } from "../_lib/format";
import { NEW_TOKEN_COOKIE } from "../_lib/auth-forms";
import "../auth.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "account", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** fixed messages only: the page never echoes text from its URL */
const ERRORS: Record<string, string> = {
  noscope: "Choose at least one scope for the token.",
  expiry: "That expiry is not one the form offers.",
  notoken: "You have no such token.",
  failed: "That did not work.",
};

const EXPIRIES = [
  ["30d", "30 days"],
  ["90d", "90 days"],
  ["365d", "1 year"],
  ["never", "never"],
] as const;

export default async function AccountPage({ searchParams }: Props) {
  const db = getDb();
  if (!db) return <NoDatabase />;
  const me = await currentUser();
  if (!me) redirect("/login?next=%2Faccount");
  const q = await searchParams;
  const tokens = await listTokens(db, me.user.id);
  // the token just created, shown this once (the sealed cookie is dropped by proxy.ts)
  const flash = await unsealValue(appSecret(), "new token", (await cookies()).get(NEW_TOKEN_COOKIE)?.value);
  const created =
    flash && flash.uid === me.user.id && typeof flash.token === "string" && String(flash.tid) === q.created
      ? { token: flash.token, info: tokens.find((t) => t.id === flash.tid) }
      : null;
  return (
    <>
      <Crumbs items={[{ href: "/", label: "lists" }, { label: "account" }]} />
      <h1 className="page-title">Account</h1>
      <p>
        Signed in as <bdi>{cleanText(me.user.name || me.user.email)}</bdi> &lt;{me.user.email}&gt; since {shortDate(me.user.createdAt.toISOString())} (account created).
      </p>
      {created ? (
        <section className="new-token" id="new-token" aria-label="New token">
          <strong>New token “{cleanText(created.info?.name ?? "")}”</strong>: copy it now, it is not shown again.
          <code className="token">{created.token}</code>
          <span className="small dim">
            Send it as <code>Authorization: Bearer {created.token.slice(0, 12)}…</code>
          </span>
        </section>
      ) : null}
      {typeof q.revoked === "string" ? <p className="note info">Token {q.revoked} revoked.</p> : null}
      {typeof q.error === "string" ? <p className="note warn">{ERRORS[q.error] ?? ERRORS.failed}</p> : null}

      <h2 className="section-title">API tokens</h2>
      {tokens.length === 0 ? (
        <p className="dim">No tokens yet.</p>
      ) : (
        <table className="grid tokens">
          <thead>
            <tr>
              <th>name</th>
              <th>token</th>
              <th>scopes</th>
              <th>created</th>
              <th>last used</th>
              <th>expires</th>
              <th>status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-token-id={t.id} className={`status-${t.status}`}>
                <td>
                  <bdi>{cleanText(t.name)}</bdi>
                </td>
                <td className="mono">{t.prefix}…</td>
                <td className="mono small">{t.scopes.join(" ")}</td>
                <td className="mono">{shortDate(t.createdAt.toISOString())}</td>
                <td className="mono">{t.lastUsedAt ? shortDate(t.lastUsedAt.toISOString()) : "never"}</td>
                <td className="mono">{t.expiresAt ? shortDate(t.expiresAt.toISOString()) : "never"}</td>
                <td className={`status status-${t.status}`}>{t.status}</td>
                <td>
                  {t.status === "active" ? (
                    <form method="post" action={`/account/tokens/${t.id}/revoke`} className="revoke">
                      <input type="hidden" name="csrf" value={me.csrf} />
                      <button type="submit">revoke</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="section-title">New token</h2>
      <form method="post" action="/account/tokens" className="auth-form create-token">
        <input type="hidden" name="csrf" value={me.csrf} />
        <label>
          Name (what it is for)
          <input type="text" name="name" required maxLength={100} placeholder="e.g. CI benchmark upload" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {ALL_SCOPES.map((s) => (
            <label key={s}>
              <input type="checkbox" name="scope" value={s} /> <code>{s}</code> <span className="dim small">{SCOPES[s]}</span>
            </label>
          ))}
        </fieldset>
        <label>
          Expires after
          <select name="expires" defaultValue="90d">
            {EXPIRIES.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Create token</button>
      </form>
      <p className="dim small">
        Scripts send the token as <code>Authorization: Bearer plt_…</code>. Only a hash of each token is stored. The command line does the same:{" "}
        <code>npx patchlore tokens create {me.user.email} --scope runs:write</code>.
      </p>
    </>
  );
}
