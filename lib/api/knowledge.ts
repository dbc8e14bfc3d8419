// /api/ideas, /api/decisions, /api/benchmarks and /api/<list>/<msgid>/knowledge (lib/db/knowledge.ts).
import type { Db } from "../db/client";
import { MAX_PAGE_SIZE } from "../views/refs";
import { DECISION_KINDS, IDEA_KINDS, getMessageKnowledge, listBenchmarks, listDecisions, listIdeas } from "../views/knowledge";
import type { ApiResponse } from "./router";

function intParam(q: URLSearchParams, name: string, dflt: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = q.get(name);
  if (v === null) return dflt;
  const n = Number(v);
  return Number.isFinite(n) ? Math.min(max, Math.max(1, Math.floor(n))) : dflt;
}

const bad = (detail: string): ApiResponse => ({ status: 400, json: { error: "bad request", detail } });
const noList = (list: string): ApiResponse => ({ status: 404, json: { error: "not found", detail: `no list named ${list}` } });

/** the most characters of ?person= read (an address) */
const MAX_PERSON = 320;

/**
 * /api/ideas?kind=&person=&list=&page=&l=, /api/decisions?kind=&person=&list=&page=&l=,
 * /api/benchmarks?list=&suite=&page=&l=. `person` is an address: the rows of the person it belongs
 * to (every address merged into them); the answer says which addresses that was.
 */
export async function knowledgeListApi(db: Db, what: "ideas" | "decisions" | "benchmarks", query: URLSearchParams): Promise<ApiResponse> {
  const list = query.get("list") || null;
  const page = intParam(query, "page", 1);
  const pageSize = intParam(query, "l", 50, MAX_PAGE_SIZE);
  if (what === "benchmarks") {
    const suite = query.get("suite") || null;
    const r = await listBenchmarks(db, { list, suite, page, pageSize });
    return r ? { status: 200, json: { list, suite, benchmarks: r } } : noList(list!);
  }
  const kind = query.get("kind") || null;
  const kinds: readonly string[] = what === "ideas" ? IDEA_KINDS : DECISION_KINDS;
  if (kind && !kinds.includes(kind)) return bad(`kind must be one of ${kinds.join(", ")}`);
  const person = query.get("person")?.trim() || null;
  if (person && (person.length > MAX_PERSON || !person.includes("@"))) return bad("person must be an address (name@domain)");
  const f = { list, kind, person, page, pageSize };
  const r = what === "ideas" ? await listIdeas(db, f) : await listDecisions(db, f);
  if (!r) return noList(list!);
  const { person: who, ...rows } = r;
  return { status: 200, json: { list, kind, person: who, [what]: rows } };
}

/** /api/<list>/<msgid>/knowledge */
export async function messageKnowledgeApi(db: Db, list: string, msgid: string): Promise<ApiResponse> {
  const k = await getMessageKnowledge(db, list, msgid);
  return k ? { status: 200, json: k } : { status: 404, json: { error: "not found", detail: `no message <${msgid}> in ${list}` } };
}
