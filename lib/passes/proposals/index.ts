// The proposals pass: series postings, version lines, threads, references, Fixes: trailers and
// changed functions -> proposals (lib/proposals), written with every member's and link's method,
// confidence and evidence. Runs after the series pass (ingest, `patchlore reindex`).
//
// Incremental: given the threads an ingest touched, the scope is the closure of their units
// (series postings, and threads without series) over everything that can change membership —
// version-line mates, explicit references either way, Fixes: either way, the units of every
// proposal a scope unit is in today, and the same author's postings within a year (renamed later
// versions) — plus the threads without series one reference away. Only the proposals of that
// scope are rewritten; shared-code and text-similarity links are recomputed for them against all
// proposals (the others keep theirs). Without thread ids (reindex), everything is derived.
//
// Curation survives: a custom title is never touched; a proposal merged into another stays merged
// (its members are written to the proposal it was merged into, its own page redirects); member
// rows a curator added or removed (state added/removed) are never overwritten or re-added; a
// proposal that no longer arises is deleted only when nothing curated hangs on it.
//
// The pass in files: graph.ts (the graph and the scope), input.ts (the scope's units in detail),
// write.ts (proposals, members, links), types.ts; this one runs them (deriveProposals).
import type pg from "pg";
import { groupProposals } from "../../proposals";
import { transaction } from "../../db/tx";
import { closure, loadGraph } from "./graph";
import { loadInput } from "./input";
import type { DeriveProposalsOptions, DeriveProposalsResult } from "./types";
import { writeProposals } from "./write";

export { proposalStatus } from "./write";
export type { DeriveProposalsOptions, DeriveProposalsResult } from "./types";

/** An incremental scope larger than this share of the threads is derived in full (cheaper and simpler). */
const FULL_SHARE = 0.4;

export async function deriveProposals(pool: pg.Pool, opts: DeriveProposalsOptions = {}): Promise<DeriveProposalsResult> {
  const started = Date.now();
  // under the writer's lock: a stable set of messages, series and members while deriving
  return transaction(pool, async (client) => {
    opts.onProgress?.("graph");
    const g = await loadGraph(client);
    let scope: Set<string> | null = null;
    if (opts.threadIds) {
      scope = closure(g, opts.threadIds);
      const total = g.series.size + [...g.threads.keys()].filter((id) => !g.seriesOfThread.has(id)).length;
      if (scope.size > total * (opts.fullShare ?? FULL_SHARE)) scope = null;
    }
    if (scope && scope.size === 0) {
      return { mode: "incremental", units: 0, proposals: 0, created: 0, deleted: 0, members: 0, membersByMethod: {}, membersByRole: {}, links: 0, linksByMethod: {}, seconds: (Date.now() - started) / 1000 };
    }
    opts.onProgress?.("units");
    const { input, threadsOf } = await loadInput(client, g, scope, opts.onProgress);
    opts.onProgress?.("grouping");
    const grouped = groupProposals(input);
    opts.onProgress?.("writing");
    const w = await writeProposals(client, scope, input, grouped.proposals, grouped.links, threadsOf, opts.onProgress);
    return {
      mode: scope ? "incremental" : "full",
      units: input.series.length + input.threads.length,
      ...w,
      seconds: (Date.now() - started) / 1000,
    };
  }, { lock: true });
}
