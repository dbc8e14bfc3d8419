// `patchlore ideas` and `patchlore decisions`: the knowledge lists on the command line, the same
// data as /api/ideas and /api/decisions (--json prints exactly what the API answers; the options
// are turned into its query string and answered by lib/api/knowledge.ts).
import type { Command } from "commander";
import { InvalidArgumentError } from "commander";
import type { Db } from "../lib/db/client";
import { knowledgeListApi } from "../lib/api/knowledge";
import { DECISION_KINDS, IDEA_KINDS, type DecisionView, type IdeaView, type PersonFilter, type WithMessage } from "../lib/views/knowledge";
import { MAX_PAGE_SIZE, type Page } from "../lib/views/refs";

type WithDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

export interface KnowledgeCliOptions {
  kind?: string;
  person?: string;
  list?: string;
  page?: number;
  limit?: number;
  json?: boolean;
}

type Out = { out: (s: string) => void; err: (s: string) => void };
const STDIO: Out = { out: (s) => process.stdout.write(s + "\n"), err: (s) => process.stderr.write(s + "\n") };

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`not a positive integer: ${v}`);
  return n;
}

/** the API's query string for these options */
export function knowledgeQuery(o: KnowledgeCliOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (o.kind) q.set("kind", o.kind);
  if (o.person) q.set("person", o.person);
  if (o.list) q.set("list", o.list);
  if (o.page && o.page > 1) q.set("page", String(o.page));
  if (o.limit) q.set("l", String(o.limit));
  return q;
}

const day = (d: string | null) => (d ? d.slice(0, 10) : "????-??-??");
/** one line of text: mail text may carry newlines and control characters */
const flat = (s: string | null | undefined) => (s ?? "").replace(/[\u0000-\u001f\u007f]+/g, " ").replace(/\s+/g, " ").trim();
const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

function ideaLine(i: WithMessage<IdeaView>): string[] {
  const who = flat(i.message.fromName) || i.message.fromAddress;
  return [
    `${day(i.message.date)}  ${i.kind.padEnd(11)} ${i.confidence.toFixed(2)}  ${clip(flat(who), 28).padEnd(28)}  ${clip(flat(i.summary || i.quote), 100)}`,
    `            <${i.message.msgid}>${i.message.list ? ` in ${i.message.list}` : ""} lines ${i.lines[0]}-${i.lines[1]}`,
  ];
}

function decisionLine(d: WithMessage<DecisionView>): string[] {
  // the actor as a name ("Jane Doe <jane@example.org>" -> "Jane Doe"), else the sender
  const actor = flat(d.actor).replace(/\s*<[^>]*>\s*/g, " ").replace(/^["'\s]+|["'\s]+$/g, "");
  const who = actor || flat(d.actor) || flat(d.message.fromName) || d.message.fromAddress;
  const what = d.patch ? ` on ${clip(flat(d.patch.subject), 60)}` : d.series ? ` on ${clip(flat(d.series.title), 60)} v${d.series.version}` : "";
  return [
    `${day(d.message.date)}  ${d.kind.padEnd(17)} ${d.confidence.toFixed(2)}  ${clip(who, 28).padEnd(28)}  ${clip(flat(d.quote), 100)}`,
    `            <${d.message.msgid}>${d.message.list ? ` in ${d.message.list}` : ""}${d.target ? ` target ${flat(d.target)}` : ""}${what}`,
  ];
}

/**
 * Runs `patchlore ideas|decisions` against a database: prints the page (or, with --json, what the
 * API answers); a bad kind or person, or an unknown list, is an error (exit status 1).
 */
export async function runKnowledgeList(db: Db, what: "ideas" | "decisions", o: KnowledgeCliOptions, io: Out = STDIO): Promise<number> {
  const r = await knowledgeListApi(db, what, knowledgeQuery(o));
  if (!("json" in r)) throw new Error("unexpected answer");
  if (r.status !== 200) {
    const e = r.json as { detail?: string };
    io.err(`patchlore: ${e.detail ?? `error ${r.status}`}`);
    return 1;
  }
  if (o.json) {
    io.out(JSON.stringify(r.json, null, 2));
    return 0;
  }
  const j = r.json as { person: PersonFilter | null } & Record<string, unknown>;
  const page = j[what] as Page<WithMessage<IdeaView>> | Page<WithMessage<DecisionView>>;
  if (j.person && j.person.addresses.length > 1) io.err(`${j.person.address}: also as ${j.person.addresses.filter((a) => a !== j.person!.address).join(", ")}`);
  for (const x of page.items) for (const l of what === "ideas" ? ideaLine(x as WithMessage<IdeaView>) : decisionLine(x as WithMessage<DecisionView>)) io.out(l);
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  io.err(`${page.total} ${what === "ideas" ? (page.total === 1 ? "idea" : "ideas") : page.total === 1 ? "decision" : "decisions"}, page ${page.page} of ${pages}`);
  return 0;
}

export function registerKnowledgeCommands(program: Command, withDb: WithDb): void {
  for (const what of ["ideas", "decisions"] as const) {
    const kinds = what === "ideas" ? IDEA_KINDS : DECISION_KINDS;
    program
      .command(what)
      .description(
        what === "ideas"
          ? "design ideas found in messages (proposals, alternatives, objections, questions, concerns, RFCs), newest first: kind, confidence, who, the quote and its message"
          : "decisions found in messages (applied, queued, merged, NAK, changes requested, deferred, ...), newest first: kind, confidence, who, the quote, its message and what it decides",
      )
      .option("--kind <kind>", kinds.join(", "))
      .option("--person <address>", "only this person's (every address merged into them)")
      .option("--list <name>", "only messages in this list")
      .option("--page <n>", "page (50 a page, or --limit)", parsePositive, 1)
      .option("--limit <n>", `rows a page, up to ${MAX_PAGE_SIZE}`, parsePositive, 50)
      .option("--json", `print JSON (what /api/${what} answers)`)
      .action(async (o: KnowledgeCliOptions) => {
        await withDb(async (db) => {
          const code = await runKnowledgeList(db, what, o);
          if (code) process.exitCode = code;
        });
      });
  }
}
