// /api/proposals (the list) and /api/proposals/<id>/ (one proposal with everything its page
// shows), shared by the route handler and `patchlore api`.
import type { Db } from "../db/client";
import { getProposal, listProposals } from "../views/proposals";
import { MAX_PAGE_SIZE } from "../views/refs";
import type { ApiResponse } from "./router";

const num = (v: string | null, dflt: number, max = Number.MAX_SAFE_INTEGER) => {
  const n = Number(v);
  return v !== null && Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : dflt;
};

export async function proposalsApi(db: Db, rest: string[], query: URLSearchParams): Promise<ApiResponse> {
  if (!rest.length) {
    const page = await listProposals(db, {
      list: query.get("list"), q: query.get("q"), status: query.get("status"),
      page: num(query.get("page"), 1), pageSize: num(query.get("l"), 50, MAX_PAGE_SIZE),
    });
    return { status: 200, json: page };
  }
  if (rest.length !== 1 || !/^\d{1,9}$/.test(rest[0])) return { status: 404, json: { error: "not found", detail: `no proposal ${rest.join("/")} (proposals are numbered: /api/proposals/<id>/)` } };
  const id = Number(rest[0]);
  let p = await getProposal(db, id);
  // a proposal merged into another answers with the one it was merged into
  if (p && "redirect" in p) {
    const to = p.redirect;
    p = await getProposal(db, to);
    if (p && !("redirect" in p)) return { status: 200, json: { ...p, redirectedFrom: id } };
  }
  return p && !("redirect" in p) ? { status: 200, json: p } : { status: 404, json: { error: "not found", detail: `no proposal ${id}` } };
}
