// `patchlore search '<query>'`: the same search as the page and /api/search, printed for a
// terminal (matches in bold when stdout is one) or as JSON.
import type { Db } from "../lib/db/client";
import { search, SearchError, type SearchHit } from "../lib/views/search";
import type { Segment } from "../lib/search/snippet";

export interface SearchCommandOptions {
  json?: boolean;
  limit?: number;
  offset?: number;
  threads?: boolean;
  relevance?: boolean;
}

function render(segs: Segment[], tty: boolean): string {
  return segs.map((s) => (s.match ? (tty ? `\x1b[1m${s.text}\x1b[22m` : `«${s.text}»`) : s.text)).join("");
}

function line(h: SearchHit, tty: boolean): string {
  const date = h.date ? h.date.slice(0, 16).replace("T", " ") : "(no date)        ";
  const from = (h.fromName || h.fromAddress).slice(0, 24).padEnd(24);
  const head = `${date}  ${from}  ${render(h.subjectMarks, tty)}`;
  const where = `    ${h.url ?? `<${h.msgid}>`}${h.thread ? `  (${h.thread.matches} of ${h.thread.messages} messages in the thread match)` : ""}`;
  const snippet = render(h.snippet, tty)
    .split("\n")
    .slice(0, 4)
    .map((l) => `    | ${l.length > 160 ? l.slice(0, 160) + "…" : l}`)
    .join("\n");
  return [head, where, snippet].filter(Boolean).join("\n");
}

export async function runSearchCommand(db: Db, q: string, o: SearchCommandOptions): Promise<void> {
  try {
    const r = await search(db, { q, limit: o.limit ?? 20, offset: o.offset ?? 0, threads: !!o.threads, relevance: !!o.relevance });
    if (o.json) {
      process.stdout.write(JSON.stringify(r, null, 2) + "\n");
      return;
    }
    const tty = !!process.stdout.isTTY;
    const count = r.threads ? `${r.threadTotal} threads (${r.total} messages)` : `${r.total} messages`;
    process.stdout.write(`${count} match: ${r.description}  [${r.tookMs} ms]\n`);
    for (const w of r.warnings) process.stdout.write(`note: ${w.message}\n`);
    if (r.indexEmpty) process.stdout.write(`the search index is empty: build it with  npx patchlore reindex --search\n`);
    for (const h of r.hits) process.stdout.write("\n" + line(h, tty) + "\n");
    const shown = r.offset + r.hits.length;
    const of = r.threads ? (r.threadTotal ?? 0) : r.total;
    if (shown < of) process.stdout.write(`\n(${r.offset + 1}-${shown} of ${of}; more with --offset ${shown})\n`);
  } catch (e) {
    if (e instanceof SearchError) {
      process.stderr.write(`patchlore search: ${e.message}\n`);
      if (e.position !== null) {
        process.stderr.write(`  ${q}\n  ${" ".repeat(e.position)}${"^".repeat(Math.max(1, e.length ?? 1))}\n`);
      }
      process.exitCode = e.status === 504 ? 3 : 2;
      return;
    }
    throw e;
  }
}
