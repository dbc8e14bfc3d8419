// Curation of a proposal, as plain HTML forms (no client JavaScript; they work under the CSP):
// rename, members (remove, add back, add), split members off into a new proposal, merge other
// proposals into this one, confirm or reject detected ideas and decisions; and the audit log of
// those changes (who, when, before → after). Each form posts to /curate/<the API path>
// (app/curate/[...path]/route.ts), with the session's CSRF token, and comes back here with a 303.
//
// Usage (the proposal page, app/proposals/[id]/page.tsx):
//
//   import { loadCurationView } from "@/lib/views/curation";
//   import { currentUser } from "../../_lib/auth";
//   import { CurationForms } from "../../_components/CurationForms";
//   const [view, me] = await Promise.all([loadCurationView(db, proposal.id), currentUser()]);
//   <CurationForms view={view!} csrf={me?.csrf ?? null} back={`/proposals/${proposal.id}/`} notice={searchParams.curated} />
//
// Signed out (csrf null), it shows the members, the statuses and the audit log with a link to
// sign in instead of the forms.
import type { AuditEntry, CurationItem, CurationView } from "@/lib/views/curation";
import { cleanText, shortDate } from "../_lib/format";
import "../runs.css";

export interface CurationFormsProps {
  /** lib/db/curation.ts loadCurationView(db, proposalId) */
  view: CurationView;
  /** currentUser()?.csrf: the session's CSRF token; null when signed out */
  csrf: string | null;
  /** the page the forms come back to (a local path, e.g. "/proposals/3/") */
  back: string;
  /** the page's ?curated= value: a fixed confirmation is shown for it (never the URL's text) */
  notice?: string | string[];
  /** a proposal's page; default /proposals/<id>/ */
  proposalHref?: (id: number) => string;
  /** a message's page (for ideas and decisions); default /r/<msgid> is not served, so none */
  messageHref?: (msgid: string) => string | null;
}

/** Fixed messages for ?curated= (the page never echoes text from its URL). */
export const CURATION_NOTICES: Record<string, string> = {
  rename: "The proposal was renamed.",
  merge: "The proposals were merged into this one.",
  split: "The members were split off into a new proposal.",
  "member-add": "The member was added.",
  "member-remove": "The member was removed; it stays removed when proposals are derived again.",
  "idea-status": "The idea's status was changed.",
  "decision-status": "The decision's status was changed.",
  unchanged: "Nothing changed.",
};

const defaultProposalHref = (id: number) => `/proposals/${id}/`;

function Hidden({ csrf, back }: { csrf: string; back: string }) {
  return (
    <>
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="back" value={back} />
    </>
  );
}

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : JSON.stringify(v));

/** One line saying what an audit entry changed. */
export function describeAudit(e: AuditEntry): string {
  const b = (e.before ?? {}) as Record<string, unknown>;
  const a = (e.after ?? {}) as Record<string, unknown>;
  switch (e.action) {
    case "proposal.rename":
      return `title “${str(b.customTitle ?? b.title)}” → “${str(a.customTitle ?? a.title)}”`;
    case "proposal.merge":
      if (Array.isArray(a.merged)) return `merged proposal${a.merged.length > 1 ? "s" : ""} ${a.merged.join(", ")} into this one`;
      return `merged into proposal ${str(a.mergedInto)}`;
    case "proposal.split": {
      const into = a.splitInto as { id?: number; members?: string[] } | undefined;
      if (into) return `split ${into.members?.join(", ") ?? ""} off into proposal ${into.id}`;
      return `made by splitting proposal ${str(a.splitFrom)}`;
    }
    case "member.add":
      return `added ${str(a.ref)}${a.title ? ` (${str(a.title)})` : ""}${b.state === "removed" ? " back" : ""}`;
    case "member.remove":
      return `removed ${str(b.ref)} (was ${str(b.state)})`;
    case "idea.confirm":
    case "idea.reject":
    case "decision.confirm":
    case "decision.reject":
      return `${e.targetKind} ${e.targetId} (${str(a.kind)}): ${str(b.status)} → ${str(a.status)}`;
    case "run.import": {
      const runs = Array.isArray(a.runs) ? (a.runs as { label?: string }[]) : [];
      return `imported ${runs.length} run${runs.length === 1 ? "" : "s"} (${runs.map((r) => r.label).join(", ")})${a.source ? ` from ${str(a.source)}` : ""}`;
    }
    default:
      return `${e.action} ${e.targetKind} ${e.targetId}`;
  }
}

export function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  if (!entries.length) return <p className="dim small">No curation changes yet.</p>;
  return (
    <table className="grid audit-log">
      <thead>
        <tr>
          <th scope="col">when (UTC)</th>
          <th scope="col">who</th>
          <th scope="col">action</th>
          <th scope="col">change</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td className="mono small">{shortDate(e.createdAt)}</td>
            <td>
              <bdi>{e.user ? cleanText(e.user.name) : "command line"}</bdi>
            </td>
            <td className="mono small">{e.action}</td>
            <td className="change">
              <bdi>{cleanText(describeAudit(e))}</bdi>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusForms({ kind, item, csrf, back }: { kind: "ideas" | "decisions"; item: CurationItem; csrf: string; back: string }) {
  return (
    <>
      {(["confirmed", "rejected"] as const)
        .filter((s) => s !== item.status)
        .map((s) => (
          <form key={s} method="post" action={`/curate/${kind}/${item.id}/status`} className={`inline status-${s === "confirmed" ? "confirm" : "reject"}`}>
            <Hidden csrf={csrf} back={back} />
            <input type="hidden" name="status" value={s} />
            <button type="submit">{s === "confirmed" ? "confirm" : "reject"}</button>
          </form>
        ))}
    </>
  );
}

function Items({ kind, items, csrf, back, messageHref }: { kind: "ideas" | "decisions"; items: CurationItem[]; csrf: string | null; back: string; messageHref?: (msgid: string) => string | null }) {
  if (!items.length) return <p className="dim small">None detected.</p>;
  return (
    <table className={`grid curate-${kind}`}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">kind</th>
          <th scope="col">{kind === "ideas" ? "summary" : "target / reason"}</th>
          <th scope="col">status</th>
          {csrf ? <th scope="col" /> : null}
        </tr>
      </thead>
      <tbody>
        {items.map((it) => {
          const href = it.msgid && messageHref ? messageHref(it.msgid) : null;
          return (
            <tr key={it.id} data-id={it.id}>
              <td className="mono small">{href ? <a href={href}>{it.id}</a> : it.id}</td>
              <td className="mono small">{it.kind}</td>
              <td>
                <bdi>{cleanText(it.text)}</bdi>
              </td>
              <td className={`status status-${it.status}`}>
                {it.status}
                {it.curatedBy ? (
                  <span className="dim small">
                    {" "}
                    by <bdi>{cleanText(it.curatedBy)}</bdi> {it.curatedAt ? shortDate(it.curatedAt) : ""}
                  </span>
                ) : null}
              </td>
              {csrf ? (
                <td className="actions">
                  <StatusForms kind={kind} item={it} csrf={csrf} back={back} />
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function CurationForms({ view, csrf, back, notice, proposalHref = defaultProposalHref, messageHref }: CurationFormsProps) {
  const p = view.proposal;
  const code = Array.isArray(notice) ? notice[0] : notice;
  const message = code ? CURATION_NOTICES[code] : undefined;
  const active = view.members.filter((m) => m.state !== "removed");
  const shown = p.customTitle ?? p.title;
  return (
    <section className="curation" id="curation" aria-labelledby="curation-h">
      <h2 className="section-title" id="curation-h">
        Curation
      </h2>
      {message ? (
        <p className="note info curation-notice" role="status">
          {message}
        </p>
      ) : null}
      {p.mergedIntoId != null ? (
        <p className="note warn">
          This proposal was merged into <a href={proposalHref(p.mergedIntoId)}>proposal {p.mergedIntoId}</a>; curate it there.
        </p>
      ) : null}
      {!csrf ? (
        <p className="dim small">
          <a href={`/login?next=${encodeURIComponent(back)}`}>Sign in</a> to rename, merge or split proposals, change members, and confirm or reject ideas and decisions.
        </p>
      ) : null}

      {csrf && p.mergedIntoId == null ? (
        <form method="post" action={`/curate/proposals/${p.id}/rename`} className="curate rename">
          <Hidden csrf={csrf} back={back} />
          <label>
            Title{p.customTitle ? <span className="dim small"> (derived: {cleanText(p.title)})</span> : null}
            <input type="text" name="title" defaultValue={shown} maxLength={300} />
          </label>
          <button type="submit">Rename</button>
          <span className="dim small">Empty: back to the derived title.</span>
        </form>
      ) : null}

      <h3>Members</h3>
      <table className="grid curate-members">
        <thead>
          <tr>
            <th scope="col">member</th>
            <th scope="col">title</th>
            <th scope="col">role</th>
            <th scope="col">found by</th>
            <th scope="col">state</th>
            {csrf ? <th scope="col" /> : null}
          </tr>
        </thead>
        <tbody>
          {view.members.map((m) => (
            <tr key={m.ref} className={`state-${m.state}`} data-ref={m.ref}>
              <td className="mono small">{m.ref}</td>
              <td>
                <bdi>
                  {m.version != null ? `v${m.version} ` : ""}
                  {cleanText(m.title)}
                </bdi>
              </td>
              <td className="small">{m.role}</td>
              <td className="small">{m.method}</td>
              <td className="small">{m.state}</td>
              {csrf ? (
                <td className="actions">
                  {p.mergedIntoId == null ? (
                    <form method="post" action={`/curate/proposals/${p.id}/members`} className="inline">
                      <Hidden csrf={csrf} back={back} />
                      <input type="hidden" name="op" value={m.state === "removed" ? "add" : "remove"} />
                      <input type="hidden" name="ref" value={m.ref} />
                      <button type="submit">{m.state === "removed" ? "add back" : "remove"}</button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>

      {csrf && p.mergedIntoId == null ? (
        <>
          <form method="post" action={`/curate/proposals/${p.id}/members`} className="curate add-member">
            <Hidden csrf={csrf} back={back} />
            <input type="hidden" name="op" value="add" />
            <label>
              Add a member
              <input type="text" name="ref" required placeholder="a series key, a Message-ID, series:12, thread:7, message:40" />
            </label>
            <button type="submit">Add</button>
          </form>

          {active.length > 1 ? (
            <details className="split">
              <summary>Split members off into a new proposal</summary>
              <form method="post" action={`/curate/proposals/${p.id}/split`} className="curate split">
                <Hidden csrf={csrf} back={back} />
                <fieldset>
                  <legend>Members to move</legend>
                  {active.map((m) => (
                    <label key={m.ref}>
                      <span>
                        <input type="checkbox" name="members" value={m.ref} /> <span className="mono small">{m.ref}</span>{" "}
                        <bdi>{cleanText(m.title)}</bdi>
                      </span>
                    </label>
                  ))}
                </fieldset>
                <label>
                  Title of the new proposal
                  <input type="text" name="title" required maxLength={300} />
                </label>
                <button type="submit">Split</button>
              </form>
            </details>
          ) : null}

          <details className="merge">
            <summary>Merge other proposals into this one</summary>
            <form method="post" action={`/curate/proposals/${p.id}/merge`} className="curate merge">
              <Hidden csrf={csrf} back={back} />
              <label>
                Proposal ids (separated by spaces or commas)
                <input type="text" name="from" required pattern="[0-9, ]+" placeholder="e.g. 12 15" />
              </label>
              <button type="submit">Merge into this one</button>
            </form>
          </details>
        </>
      ) : null}

      <h3>Ideas</h3>
      <Items kind="ideas" items={view.ideas} csrf={csrf} back={back} messageHref={messageHref} />
      <h3>Decisions</h3>
      <Items kind="decisions" items={view.decisions} csrf={csrf} back={back} messageHref={messageHref} />

      <h3 id="curation-history">History</h3>
      <AuditTable entries={view.audit} />
    </section>
  );
}
