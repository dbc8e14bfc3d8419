// The API of runs and curation: GET /api/runs, GET /api/audit (read, public), POST /api/runs
// (scope runs:write), and the curation writes under /api/proposals, /api/ideas, /api/decisions
// (scope curate). The write routes join API_WRITE_ROUTES (lib/api/writes.ts); the curation forms
// (app/_components/CurationForms.tsx) post to /curate/..., whose route handler turns the form into
// the same body (curationFormBody) and calls the same handler.
import type { Db } from "../db/client";
import type { ApiWriteRoute } from "./writes";
import type { ApiResponse } from "./router";
import { normalizeRunDocument, parseRunFile, RunsValidationError, type NormalizedRun, type RunTarget } from "../runs/parse";
import { importRuns, resolveRunTarget, RunTargetError } from "../db/runs";
import { importedRuns, listRuns, runsForTarget } from "../views/runs";
import { addMember, CURATION_STATUSES, CurationError, mergeProposals, removeMember, renameProposal, setDecisionStatus, setIdeaStatus, splitProposal } from "../db/curation";
import { listAudit } from "../views/curation";

const bad = (detail: string, extra: Record<string, unknown> = {}): ApiResponse => ({ status: 400, json: { error: "bad request", detail, ...extra } });

function targetFromQuery(query: URLSearchParams | undefined): RunTarget | null | ApiResponse {
  if (!query) return null;
  const t: RunTarget = {};
  for (const k of ["proposal", "series", "patch"] as const) {
    const v = query.getAll(k);
    if (v.length > 1) return bad(`give ${k}= once`);
    if (v.length && !v[0].trim()) return bad(`${k}= is empty`);
    if (v.length) t[k] = v[0].trim();
  }
  const n = Object.keys(t).length;
  if (n > 1) return bad("give one of proposal=, series=, patch=");
  return n ? t : null;
}

const isResponse = (x: unknown): x is ApiResponse => !!x && typeof x === "object" && "status" in x && ("json" in x || "body" in x);

function errorAnswer(e: unknown): ApiResponse {
  if (e instanceof RunsValidationError) {
    return bad(`the run file has ${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}`, { problems: e.problems });
  }
  if (e instanceof RunTargetError || e instanceof CurationError) {
    const error = e.status === 404 ? "not found" : e.status === 409 ? "conflict" : "bad request";
    return { status: e.status, json: { error, detail: e.message } };
  }
  throw e;
}

// ---------------------------------------------------------------------------------------------
// Reads

/** GET /api/runs?proposal=ID|series=KEY|patch=MSGID (none: every run, oldest first, up to l=). */
export async function runsApi(db: Db, query: URLSearchParams): Promise<ApiResponse> {
  const t = targetFromQuery(query);
  if (isResponse(t)) return t;
  try {
    if (!t) {
      const l = Number(query.get("l") ?? 500);
      return { status: 200, json: { target: null, runs: await listRuns(db, { limit: Number.isFinite(l) ? l : 500 }) } };
    }
    const r = await resolveRunTarget(db, t);
    return { status: 200, json: { target: { kind: r.kind, id: r.id, label: r.label }, runs: await runsForTarget(db, r) } };
  } catch (e) {
    return errorAnswer(e);
  }
}

const AUDIT_KINDS = ["proposal", "idea", "decision", "series", "patch"];

/** GET /api/audit?target=proposal:ID (or idea:ID, decision:ID, series:KEY, patch:MSGID); none: every change, newest first. */
export async function auditApi(db: Db, query: URLSearchParams): Promise<ApiResponse> {
  const target = query.get("target");
  let kind: string | undefined;
  let id: string | undefined;
  if (target !== null) {
    const m = /^([a-z]+):(.+)$/.exec(target.trim());
    if (!m || !AUDIT_KINDS.includes(m[1])) return bad(`target is <kind>:<id>, kind one of ${AUDIT_KINDS.join(", ")} (e.g. target=proposal:3)`);
    kind = m[1];
    id = m[2].replace(/^<(.*)>$/, "$1");
  }
  const l = Number(query.get("l") ?? 100);
  const before = query.get("before");
  const entries = await listAudit(db, { targetKind: kind, targetId: id, limit: Number.isFinite(l) ? l : 100, beforeId: before && /^\d+$/.test(before) ? Number(before) : undefined });
  return { status: 200, json: { target: target ?? null, entries } };
}

// ---------------------------------------------------------------------------------------------
// Writes

function objectBody(body: unknown, example: string): Record<string, unknown> | ApiResponse {
  if (!body || typeof body !== "object" || Array.isArray(body)) return bad(`send a JSON object: ${example}`);
  return body as Record<string, unknown>;
}

function unknownFields(b: Record<string, unknown>, known: string[]): ApiResponse | null {
  const extra = Object.keys(b).filter((k) => !known.includes(k));
  return extra.length ? bad(`unknown field${extra.length > 1 ? "s" : ""} ${extra.map((k) => JSON.stringify(k)).join(", ")} (known: ${known.join(", ")})`) : null;
}

const proposalId = (segments: string[]) => Number(segments[1]);
const isId = (s: string | undefined) => !!s && /^\d{1,9}$/.test(s) && Number(s) > 0;

export const RUN_WRITE_ROUTES: ApiWriteRoute[] = [
  {
    method: "POST",
    pattern: "/api/runs",
    scope: "runs:write",
    description:
      "import benchmark or simulator runs (docs/runs.md): a JSON run document (application/json) or CSV (text/csv), " +
      "attached with ?proposal=ID (or a member's series key or Message-ID), ?series=KEY or ?patch=MSGID (else the file's target); " +
      "answers 201 with the runs stored (a run already stored for the same target is not stored again), 400 listing every problem with its path",
    accepts: ["text/csv"],
    match: (s) => s.length === 1 && s[0] === "runs",
    async handle({ db, writer, body, query, contentType }) {
      const t = targetFromQuery(query);
      if (isResponse(t)) return t;
      if (body === undefined || body === "") return bad("send the run document as the body (application/json or text/csv; docs/runs.md)");
      try {
        const runs: NormalizedRun[] = typeof body === "string" ? parseRunFile(body, { contentType }) : normalizeRunDocument(body);
        const name = query?.get("name")?.slice(0, 200) || null;
        const results = await importRuns(db, runs, { target: t, userId: writer.user.id, sourceName: name ?? "POST /api/runs", via: writer.via === "token" ? "api-token" : "api-session" });
        const stored = results.reduce((n, r) => n + r.inserted.length, 0);
        return {
          status: stored ? 201 : 200,
          json: {
            imported: await importedRuns(db, results),
          },
        };
      } catch (e) {
        return errorAnswer(e);
      }
    },
  },
];

export const CURATION_WRITE_ROUTES: ApiWriteRoute[] = [
  {
    method: "POST",
    pattern: "/api/proposals/<id>/rename",
    scope: "curate",
    description: 'rename a proposal: {"title": "..."} (an empty title goes back to the derived one)',
    match: (s) => s.length === 3 && s[0] === "proposals" && s[2] === "rename",
    async handle({ db, writer, segments, body }) {
      if (!isId(segments[1])) return bad("the proposal id is a positive integer");
      const b = objectBody(body, '{"title": "..."}');
      if (isResponse(b)) return b;
      const u = unknownFields(b, ["title"]);
      if (u) return u;
      if (!("title" in b)) return bad('give the title: {"title": "..."}');
      try {
        const r = await renameProposal(db, { userId: writer.user.id }, proposalId(segments), b.title as string | null);
        return { status: 200, json: r };
      } catch (e) {
        return errorAnswer(e);
      }
    },
  },
  {
    method: "POST",
    pattern: "/api/proposals/<id>/merge",
    scope: "curate",
    description: 'merge other proposals into this one: {"from": [ids]} (their members, runs and links move; their pages point here)',
    match: (s) => s.length === 3 && s[0] === "proposals" && s[2] === "merge",
    async handle({ db, writer, segments, body }) {
      if (!isId(segments[1])) return bad("the proposal id is a positive integer");
      const b = objectBody(body, '{"from": [12, 13]}');
      if (isResponse(b)) return b;
      const u = unknownFields(b, ["from"]);
      if (u) return u;
      const from = b.from;
      if (!Array.isArray(from) || !from.length) return bad('give the proposals to merge in: {"from": [12, 13]}');
      const wrong = from.filter((f) => !(typeof f === "number" && Number.isSafeInteger(f) && f > 0) && !(typeof f === "string" && isId(f.trim())));
      if (wrong.length) return bad(`from holds proposal ids (positive integers), not ${wrong.map((w) => JSON.stringify(w)).join(", ")}`);
      try {
        return { status: 200, json: await mergeProposals(db, { userId: writer.user.id }, proposalId(segments), from.map(Number)) };
      } catch (e) {
        return errorAnswer(e);
      }
    },
  },
  {
    method: "POST",
    pattern: "/api/proposals/<id>/split",
    scope: "curate",
    description: 'split members off into a new proposal: {"members": ["series:12", "<series key or Message-ID>"], "title": "..."}; answers 201 with the new proposal',
    match: (s) => s.length === 3 && s[0] === "proposals" && s[2] === "split",
    async handle({ db, writer, segments, body }) {
      if (!isId(segments[1])) return bad("the proposal id is a positive integer");
      const b = objectBody(body, '{"members": ["series:12"], "title": "..."}');
      if (isResponse(b)) return b;
      const u = unknownFields(b, ["members", "title"]);
      if (u) return u;
      const problems: string[] = [];
      if (!Array.isArray(b.members) || !b.members.length || !b.members.every((m) => typeof m === "string" && m.trim())) problems.push("members is a non-empty array of member references (series:<id>, thread:<id>, message:<id>, a series key or a Message-ID)");
      if (typeof b.title !== "string" || !b.title.trim()) problems.push("title is the new proposal's title (a non-empty string)");
      if (problems.length) return bad(problems.join("; "), { problems });
      try {
        return { status: 201, json: await splitProposal(db, { userId: writer.user.id }, proposalId(segments), b.members as string[], b.title as string) };
      } catch (e) {
        return errorAnswer(e);
      }
    },
  },
  {
    method: "POST",
    pattern: "/api/proposals/<id>/members",
    scope: "curate",
    description:
      'add or remove a member: {"add": "<ref>"} or {"remove": "<ref>"}, a ref being series:<id>, thread:<id>, message:<id>, a series key or a Message-ID ' +
      "(a removed member is kept as removed, so re-deriving proposals does not add it back)",
    match: (s) => s.length === 3 && s[0] === "proposals" && s[2] === "members",
    async handle({ db, writer, segments, body }) {
      if (!isId(segments[1])) return bad("the proposal id is a positive integer");
      const b = objectBody(body, '{"add": "series:12"} or {"remove": "series:12"}');
      if (isResponse(b)) return b;
      const u = unknownFields(b, ["add", "remove"]);
      if (u) return u;
      const op = "add" in b ? "add" : "remove" in b ? "remove" : null;
      if (!op || ("add" in b && "remove" in b)) return bad('give one of {"add": "<ref>"} or {"remove": "<ref>"}');
      const ref = b[op];
      if (typeof ref !== "string" || !ref.trim()) return bad(`${op} is a member reference: series:<id>, thread:<id>, message:<id>, a series key or a Message-ID`);
      try {
        const actor = { userId: writer.user.id };
        const r = op === "add" ? await addMember(db, actor, proposalId(segments), ref) : await removeMember(db, actor, proposalId(segments), ref);
        return { status: 200, json: { proposal: proposalId(segments), ...r } };
      } catch (e) {
        return errorAnswer(e);
      }
    },
  },
  ...(["ideas", "decisions"] as const).map(
    (kind): ApiWriteRoute => ({
      method: "POST",
      pattern: `/api/${kind}/<id>/status`,
      scope: "curate",
      description: `confirm or reject a detected ${kind === "ideas" ? "idea" : "decision"}: {"status": "confirmed"} or {"status": "rejected"} (who and when are recorded)`,
      match: (s) => s.length === 3 && s[0] === kind && s[2] === "status",
      async handle({ db, writer, segments, body }) {
        if (!isId(segments[1])) return bad(`the ${kind === "ideas" ? "idea" : "decision"} id is a positive integer`);
        const b = objectBody(body, '{"status": "confirmed"}');
        if (isResponse(b)) return b;
        const u = unknownFields(b, ["status"]);
        if (u) return u;
        if (typeof b.status !== "string" || !(CURATION_STATUSES as readonly string[]).includes(b.status)) return bad(`status is one of ${CURATION_STATUSES.join(", ")}`);
        try {
          const set = kind === "ideas" ? setIdeaStatus : setDecisionStatus;
          return { status: 200, json: await set(db, { userId: writer.user.id }, Number(segments[1]), b.status) };
        } catch (e) {
          return errorAnswer(e);
        }
      },
    }),
  ),
];

/**
 * The JSON body a curation form stands for (the forms post application/x-www-form-urlencoded to
 * /curate/<the API path>): rename {title}, merge {from} (ids separated by spaces or commas, or
 * repeated), split {members (repeated, or one per line), title}, members {op=add|remove, ref},
 * status {status}. Unknown paths give null.
 */
export function curationFormBody(segments: string[], form: URLSearchParams): unknown {
  const [kind, , action] = segments;
  const list = (name: string) =>
    form
      .getAll(name)
      .flatMap((v) => v.split(/[\s,]+/))
      .map((v) => v.trim())
      .filter(Boolean);
  if (kind === "proposals") {
    if (action === "rename") return { title: form.get("title") ?? "" };
    if (action === "merge") return { from: list("from") };
    if (action === "split") return { members: form.getAll("members").flatMap((v) => v.split(/\r?\n/)).map((v) => v.trim()).filter(Boolean), title: form.get("title") ?? "" };
    if (action === "members") {
      const op = form.get("op");
      const ref = form.get("ref") ?? "";
      return op === "remove" ? { remove: ref } : op === "add" ? { add: ref } : {};
    }
  }
  if ((kind === "ideas" || kind === "decisions") && action === "status") return { status: form.get("status") ?? "" };
  return null;
}
