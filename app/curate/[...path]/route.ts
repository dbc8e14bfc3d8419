// POST /curate/<API path> — the curation forms (app/_components/CurationForms.tsx): a plain HTML
// form (application/x-www-form-urlencoded, no client JavaScript) for one of the curation writes
// of the API (lib/api/curation.ts). The same guard (signed in, from this site's own page, the
// session's CSRF token), the form turned into the API's JSON body (curationFormBody), the same
// handler; then 303 back to the page (with ?curated=<what>), or an error page saying what was wrong.
import { curationFormBody } from "@/lib/api/curation";
import { findWriteRoute } from "@/lib/api/writes";
import { csrfTokenValid } from "@/lib/auth/session";
import { errorResponse } from "@/lib/http/errors";
import { getDb } from "../../db";
import { noDatabaseResponse, pathSegments } from "../../_lib/http";
import { appSecret, requireWriter } from "../../_lib/auth";
import { crossSite, readForm, seeOther } from "../../_lib/auth-forms";

export const dynamic = "force-dynamic";

/** A local path to come back to; anything else becomes the proposal's page (or /). */
function backPath(v: string | null, fallback: string): string {
  if (!v || v.length > 2048 || !/^\/(?![/\\])/.test(v) || /[\u0000-\u001f\u007f]/.test(v)) return fallback;
  return v;
}

function withParam(path: string, name: string, value: string): string {
  const u = new URL(path, "http://patchlore.invalid");
  u.searchParams.set(name, value);
  u.hash = "curation";
  return u.pathname + u.search + u.hash;
}

const NOTICE: Record<string, string> = { rename: "rename", merge: "merge", split: "split", members: "member", status: "status" };

export async function POST(request: Request): Promise<Response> {
  const db = getDb();
  if (!db) return noDatabaseResponse();
  const segments = pathSegments(request.url, 1);
  const route = segments ? findWriteRoute("POST", segments) : null;
  if (!segments || !route || route === "wrong-method" || route.scope !== "curate") {
    return errorResponse(404, { api: false, detail: "There is no such curation form." });
  }
  const fallback = segments[0] === "proposals" ? `/proposals/${encodeURIComponent(segments[1])}/` : "/";
  const w = await requireWriter(request, "curate");
  if (w instanceof Response) {
    // signed out: sign in, then back to the page the form was on (a form POST cannot be replayed)
    if (w.status === 303) {
      const referer = request.headers.get("referer");
      let next = fallback;
      try {
        if (referer) next = backPath(new URL(referer).pathname + new URL(referer).search, fallback);
      } catch {
        // keep the fallback
      }
      return seeOther(`/login?next=${encodeURIComponent(next)}`);
    }
    return w;
  }
  const form = await readForm(request);
  if (form instanceof Response) return form;
  if (w.via === "session" && !csrfTokenValid(appSecret(), w.sid!, form.get("csrf"))) return crossSite();
  const back = backPath(form.get("back"), fallback);
  const body = curationFormBody(segments, form);
  const r = await route.handle({ db, writer: w, segments, body, query: new URL(request.url).searchParams, contentType: "application/json" });
  if (r.status >= 400) {
    const detail = "json" in r && r.json && typeof r.json === "object" && "detail" in r.json ? String((r.json as { detail: unknown }).detail) : `error ${r.status}`;
    return errorResponse(r.status, { api: false, detail, links: [{ href: back, label: "back" }] });
  }
  const json = ("json" in r ? r.json : {}) as { changed?: boolean; created?: { id: number } };
  if (json.changed === false) return seeOther(withParam(back, "curated", "unchanged"));
  const action = segments[2];
  if (action === "split" && json.created?.id) return seeOther(withParam(`/proposals/${json.created.id}/`, "curated", "split"));
  let code = NOTICE[action] ?? "unchanged";
  if (action === "members") code = `member-${form.get("op") === "remove" ? "remove" : "add"}`;
  if (action === "status") code = `${segments[0] === "ideas" ? "idea" : "decision"}-status`;
  return seeOther(withParam(back, "curated", code));
}
