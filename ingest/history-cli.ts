// `patchlore code <path>`, `patchlore people merge|show`, `patchlore commits import`: code history,
// identities and upstream commits from the command line (the same data as /code/, /people/<address>
// and the upstream badges of the web app).
import type { Command } from "commander";
import type { OpenedDb } from "./postgres/open";
import { getCode, type CodeHistory, type CodeDirectory } from "../lib/views/code-history";
import { badCodePath, codeSegments } from "../lib/code/paths";
import { derivePeople } from "../lib/passes/people";
import { getPersonProfile, personIdentity } from "../lib/views/people";
import { recordPersonMerge } from "../lib/db/curation";
import { SourceError } from "./sources/types";

type WithDb = <T>(fn: (db: OpenedDb) => Promise<T>) => Promise<T>;

const out = (s = ""): void => void process.stdout.write(s + "\n");
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "          ");
// terminal output: control characters from mail shown, never obeyed
const safe = (s: string) => s.replace(/[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "?");

function printDirectory(d: CodeDirectory): void {
  out(`${d.prefix || "(top)"}: ${d.totals.files} files touched by ${d.totals.patches} patches`);
  for (const e of d.entries) {
    const name = e.kind === "dir" ? `${e.name}/` : e.name;
    out(`  ${safe(name).padEnd(40)} ${String(e.patches).padStart(5)} patches ${String(e.hunks).padStart(6)} hunks ${String(e.comments).padStart(4)} comments  ${day(e.firstDate)} .. ${day(e.lastDate)}`);
  }
}

function printHistory(h: CodeHistory): void {
  const c = h.counts;
  out(`${h.path}${h.function ? ` ${h.function}()` : ""}: ${c.patches} patches in ${c.series} series (${c.proposals} proposals), ${c.hunks} hunks, ${c.comments} review comments, ${c.decisions} decisions, ${c.commits} upstream commits, ${day(h.firstDate)} .. ${day(h.lastDate)}`);
  if (h.truncated) out("(only the newest patches are shown: --limit)");
  for (const g of h.groups) {
    out();
    if (g.proposal) out(`proposal #${g.proposal.id} [${g.proposal.status}] ${safe(g.proposal.title)}`);
    for (const s of g.series) {
      const label = s.key ? `${s.isRfc ? "RFC " : ""}v${s.revision}` : "patch";
      out(`${g.proposal ? "  " : ""}${day(s.date)} ${label} ${safe(s.title)}${s.key ? `  <${s.key}>` : ""}`);
      for (const d of s.decisions) out(`${g.proposal ? "  " : ""}    decision: ${d.kind}${d.quote ? ` "${safe(d.quote.slice(0, 80))}"` : ""} (${d.method}, ${d.confidence})`);
      for (const p of s.patches) {
        out(`${g.proposal ? "  " : ""}    ${day(p.date)} ${safe(p.title)}  <${p.msgid}>  ${p.status} +${p.added} -${p.removed}`);
        for (const hk of p.hunks) out(`${g.proposal ? "  " : ""}      ${hk.header}${hk.functions.length ? `  [${hk.functions.join(", ")}]` : ""}`);
        for (const cm of p.comments) {
          const where = cm.line !== null ? `line ${cm.line}` : "file";
          out(`${g.proposal ? "  " : ""}      comment by ${safe(cm.by.name || cm.by.address)} on ${where}${cm.function ? ` in ${cm.function}` : ""} [${cm.status}]: ${safe(cm.text.replace(/\s+/g, " ").slice(0, 100))}`);
        }
        for (const cc of p.commits) out(`${g.proposal ? "  " : ""}      upstream ${cc.sha.slice(0, 12)} ${safe(cc.subject)} (${cc.method}, ${cc.score})`);
      }
    }
  }
  if (!h.function && h.functions.length) {
    out();
    out(`functions: ${h.functions.slice(0, 30).map((f) => `${f.name} (${f.hunks})`).join(", ")}`);
  }
}

export function registerHistoryCommands(program: Command, withDb: WithDb): void {
  program
    .command("code")
    .description("the design history of a file or a function: every proposal, patch, hunk, review comment, decision and upstream commit that touched it; a directory lists the files under it")
    .argument("[path]", "a file or directory path as patches name it (e.g. mm/vmscan.c), or <file>/<function>", "")
    .option("--function <name>", "only the hunks and comments in this function")
    .option("--limit <n>", "at most this many patches, the newest", (v) => Number(v))
    .option("--json", "print what /api/code/<path> answers")
    .action(async (p: string, o) => {
      const segs = codeSegments([p]);
      const problem = badCodePath(segs.join("/"));
      if (problem) throw new SourceError(problem);
      await withDb(async (db) => {
        const r = await getCode(db, segs, { function: o.function ?? null, limit: Number.isFinite(o.limit) ? o.limit : undefined });
        if (!r) {
          process.stderr.write(`patchlore: no patch touched ${segs.join("/") || "any file"}\n`);
          process.exitCode = 1;
          return;
        }
        if (o.json) out(JSON.stringify(r, null, 2));
        else if (r.kind === "dir") printDirectory(r);
        else printHistory(r);
        if (r.kind === "file" && r.function && !r.counts.patches) {
          process.stderr.write(`patchlore: no hunk of ${r.path} changes ${r.function}\n`);
          process.exitCode = 1;
        }
      });
    });

  const people = program.command("people").description("identities: several addresses of one person (merged by rules or by hand)");
  people
    .command("merge")
    .description("record that <address> is the same person as <into> (which stays the canonical address); kept across re-derivation")
    .argument("<into>", "the address to keep")
    .argument("<address>", "the address to merge into it")
    .action(async (into: string, address: string) => {
      await withDb(async (db) => {
        try {
          const m = await recordPersonMerge(db, into, address);
          await derivePeople(db);
          const p = (await personIdentity(db, m.into))!;
          out(`${p.canonical.address}: ${p.members.map((x) => x.address).join(", ")}`);
        } catch (e) {
          process.stderr.write(`patchlore: ${(e as Error).message}\n`);
          process.exitCode = 1;
        }
      });
    });
  people
    .command("derive")
    .description("recompute which addresses belong to one person (runs after every ingest)")
    .option("--json", "print the counts as JSON")
    .action(async (o) => {
      await withDb(async (db) => {
        const r = await derivePeople(db);
        out(o.json ? JSON.stringify(r, null, 2) : `${r.people} addresses, ${r.groups} people with several addresses (${r.merged} merged), ${r.sendersResolved} masked senders resolved`);
      });
    });
  people
    .command("show")
    .description("what /api/people/<address> answers: names, addresses (and how they were merged), series, patches, reviews, NAKs, proposals")
    .argument("<address>")
    .option("--json", "print JSON")
    .action(async (address: string, o) => {
      await withDb(async (db) => {
        const p = await getPersonProfile(db, address);
        if (!p) {
          process.stderr.write(`patchlore: nobody with the address ${address}\n`);
          process.exitCode = 1;
          return;
        }
        if (o.json) return out(JSON.stringify(p, null, 2));
        const c = p.counts;
        out(`${safe(p.name || p.address)} <${p.address}>`);
        for (const a of p.addresses) out(`  ${a.address}${a.canonical ? " (canonical)" : ` (${a.method}, ${a.confidence}: ${safe(a.evidence ?? "")})`}  ${a.messages} messages`);
        out(`messages ${c.messages}, series ${c.series}, patches ${c.patches} (${c.merged} upstream), reviews ${c.reviews} (Reviewed-by ${c.reviewedBy}, Acked-by ${c.ackedBy}, Tested-by ${c.testedBy}), NAKs ${c.nacks}, discussions started ${c.discussionsStarted}, proposals ${c.proposals}`);
        for (const y of p.years) out(`  ${y.year}: ${y.messages} messages, ${y.patches} patches, ${y.reviews} reviews, ${y.naks} NAKs`);
      });
    });

  const commits = program.command("commits").description("upstream commits: which mailed patches were merged, and as which commit");
  commits
    .command("import")
    .description("read a git repository's commits and map patches to them: by patch-id, by Link:/Message-Id: trailers, then by a fuzzy score of message and diff similarity (method and score kept); incremental")
    .argument("<repository>", "a git repository (work tree or bare), e.g. a clone of torvalds/linux")
    .option("--rev <range...>", "revisions or ranges to read (default HEAD), e.g. v6.6..v6.8")
    .option("--since <date>", "only commits newer than this (git log --since)")
    .option("--rescan", "read commits already imported again (runs the fuzzy pass over them against the patches ingested since)")
    .option("--json", "print the summary as JSON")
    .action(async (repo: string, o) => {
      const { importCommits, commitsProgress } = await import("./commits");
      await withDb(async (db) => {
        const progress = commitsProgress(`commits ${repo}`);
        try {
          const s = await importCommits(db, repo, { rev: o.rev, since: o.since, rescan: !!o.rescan, onProgress: progress.update });
          progress.stop();
          if (o.json) out(JSON.stringify(s, null, 2));
          else {
            process.stderr.write(
              `${s.repo}: ${s.listed} commits (${s.known} already imported), read ${s.read} in ${s.seconds.toFixed(1)}s; ` +
                `matches: patch-id ${s.matches["patch-id"]}, link ${s.matches.link}, fuzzy ${s.matches.fuzzy}; ${s.patchesMatched} patches found upstream\n`,
            );
          }
        } catch (e) {
          progress.stop();
          throw e;
        }
      });
    });
}
