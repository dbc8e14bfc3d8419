// `patchlore proposals` and `patchlore proposal <id>`: proposals on the command line, the same
// data as /api/proposals and /api/proposals/<id>/ (--json prints exactly that).
import type { Command } from "commander";
import type { Db } from "../lib/db/client";
import { deriveProposals } from "../lib/passes/proposals";
import { getProposal, listProposals } from "../lib/views/proposals";

type WithDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

const day = (d: string | null) => (d ? d.slice(0, 10) : "?");
const out = (s: string) => process.stdout.write(s + "\n");

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive integer: ${v}`);
  return n;
}

export function registerProposalCommands(program: Command, withDb: WithDb): void {
  program
    .command("proposals")
    .description("proposals (lines of design work across series, versions and threads), latest activity first; --derive re-derives them all")
    .option("--list <name>", "only proposals with a posting or thread in this list")
    .option("--q <words>", "title words (all of them), or a proposal key")
    .option("--status <status>", "open, applied, queued, merged, nak, superseded, withdrawn or rejected")
    .option("--page <n>", "page (50 a page, or --limit)", parsePositive, 1)
    .option("--limit <n>", "proposals a page, up to 200", parsePositive, 50)
    .option("--derive", "re-derive every proposal now (what ingest and reindex do), and print what it did")
    .option("--json", "print JSON (what /api/proposals answers)")
    .action(async (o) => {
      await withDb(async (db) => {
        if (o.derive) {
          const r = await deriveProposals(db.pool, { onProgress: (p) => process.stderr.write(`proposals: ${p}\n`) });
          if (o.json) out(JSON.stringify(r, null, 2));
          else {
            out(`${r.proposals} proposals from ${r.units} units in ${r.seconds.toFixed(1)} s (${r.created} new, ${r.deleted} gone)`);
            out(`members ${r.members}: ${Object.entries(r.membersByMethod).map(([k, v]) => `${k} ${v}`).join(", ")}`);
            out(`roles: ${Object.entries(r.membersByRole).map(([k, v]) => `${k} ${v}`).join(", ")}`);
            out(`links ${r.links}: ${Object.entries(r.linksByMethod).map(([k, v]) => `${k} ${v}`).join(", ")}`);
          }
          return;
        }
        const page = await listProposals(db, { list: o.list, q: o.q, status: o.status, page: o.page, pageSize: Math.min(200, o.limit) });
        if (o.json) return out(JSON.stringify(page, null, 2));
        for (const p of page.items) {
          out(
            `${String(p.id).padStart(6)}  ${p.status.padEnd(9)} ${day(p.firstDate)}..${day(p.lastDate)}  ` +
              `${String(p.postings).padStart(2)} posting${p.postings === 1 ? " " : "s"} ${String(p.people).padStart(3)} people  ${p.title}`,
          );
        }
        const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
        process.stderr.write(`${page.total} proposals, page ${page.page} of ${pages}\n`);
      });
    });

  program
    .command("proposal")
    .description("one proposal: its timeline, versions, people, decisions and related proposals (--json: what /api/proposals/<id>/ answers)")
    .argument("<id>", "the proposal's number", parsePositive)
    .option("--json", "print JSON")
    .action(async (id: number, o) => {
      await withDb(async (db) => {
        let p = await getProposal(db, id);
        if (p && "redirect" in p) {
          process.stderr.write(`proposal ${id} was merged into ${p.redirect}\n`);
          p = await getProposal(db, p.redirect);
        }
        if (!p || "redirect" in p) {
          process.stderr.write(`patchlore: no proposal ${id}\n`);
          process.exitCode = 1;
          return;
        }
        if (o.json) return out(JSON.stringify(p, null, 2));
        out(`#${p.id} ${p.title}`);
        out(`status ${p.status}, ${day(p.firstDate)} .. ${day(p.lastDate)}, ${p.postings} postings, ${p.people} people, ${p.messages} messages`);
        out(`\ntimeline:`);
        for (const t of p.timeline) out(`  ${day(t.date)}  ${t.kind.padEnd(10)} ${(t.tag ?? "").padEnd(10)} ${t.who?.name || t.who?.address || ""}${t.title ? `: ${t.title}` : ""}`);
        out(`\nmembers:`);
        for (const m of p.members) out(`  ${m.ref.padEnd(16)} ${m.role.padEnd(10)} ${m.method.padEnd(14)} ${m.confidence.toFixed(2)} ${m.state === "auto" ? "" : `[${m.state}] `}${m.label}`);
        if (p.decisions.length) {
          out(`\ndecisions:`);
          for (const d of p.decisions) out(`  ${day(d.date)}  ${d.kind.padEnd(10)} ${d.who?.name ?? ""}: ${d.quote}${d.reason ? ` (reason: ${d.reason})` : ""}`);
        }
        if (p.ideas.length) out(`\nideas: ${p.ideas.length} (${[...new Set(p.ideas.map((i) => i.kind))].join(", ")})`);
        if (p.benchmarks.length) out(`benchmarks: ${p.benchmarks.length}`);
        if (p.runs.length) out(`runs: ${p.runs.length}`);
        out(`code: ${p.code.files.length} files, ${p.code.functions} functions, ${p.code.hunks} hunks`);
        if (p.related.length) {
          out(`\nrelated:`);
          for (const r of p.related) out(`  ${r.relation.padEnd(12)} #${r.id} ${r.title} (${r.method} ${r.confidence.toFixed(2)})`);
        }
      });
    });
}
