// `patchlore md <msgid>` (a message, or with --review the review of a patch or a series, as
// GitHub-flavoured Markdown) and `patchlore related <file.diff|->` (the earlier work a diff
// touches, ranked, with a Markdown summary for the pull request). Links are absolute:
// --base-url, else PATCHLORE_BASE_URL, else http://localhost:$PORT.
import fs from "node:fs";
import type { Command } from "commander";
import type { Db } from "../lib/db/client";
import type { OpenedDb } from "./postgres/open";
import { getMessage } from "../lib/views/messages";
import { getPatchReview, getSeriesReview } from "../lib/views/review";
import { findRelated, MAX_RELATED_LIMIT } from "../lib/views/related";
import { apiBaseUrl } from "../lib/api/markdown";
import { BaseUrlError, normalizeBaseUrl } from "../lib/markdown/links";
import { messageToMarkdown } from "../lib/markdown/message";
import { reviewToMarkdown } from "../lib/markdown/review";
import { relatedToMarkdown, reviewSummaryText } from "../lib/markdown/related";
import { buildQuery, RelatedInputError } from "../lib/related/query";
import type { RelatedResult } from "../lib/related/types";

type WithDb = <T>(fn: (db: OpenedDb) => Promise<T>) => Promise<T>;

export interface Io {
  out(text: string): void;
  err(line: string): void;
}

const stdio: Io = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s + "\n"),
};

/** The largest diff `related` reads (a whole tree-wide change is far smaller). */
export const MAX_DIFF_BYTES = 32 * 1024 * 1024;

function baseUrlOf(o: { baseUrl?: string }): string {
  return o.baseUrl !== undefined ? normalizeBaseUrl(o.baseUrl) : apiBaseUrl();
}

export interface MdFlags {
  list?: string;
  review?: boolean;
  series?: boolean;
  quotes?: boolean;
  baseUrl?: string;
}

/** `patchlore md`; answers the exit status (0, or 2 for what does not exist or bad input). */
export async function mdCommand(db: Db, id: string, o: MdFlags, io: Io = stdio): Promise<number> {
  let baseUrl: string;
  try {
    baseUrl = baseUrlOf(o);
  } catch (e) {
    io.err(`patchlore md: ${(e as Error).message}`);
    return 2;
  }
  const msgid = id.replace(/^<|>$/g, "");
  if (o.review || o.series) {
    const patch = o.series ? null : await getPatchReview(db, msgid);
    if (patch) {
      io.out(reviewToMarkdown(o.list ? { ...patch, list: o.list } : patch, { baseUrl }));
      return 0;
    }
    const series = await getSeriesReview(db, msgid);
    if (series) {
      io.out(reviewToMarkdown(series, { baseUrl }));
      return 0;
    }
    io.err(`patchlore md: <${msgid}> is neither a patch nor a series key (a series' key is its cover letter's Message-ID, else its first patch's)`);
    return 2;
  }
  const m = await getMessage(db, o.list ?? null, msgid);
  if (!m || m.ghost) {
    io.err(`patchlore md: no message <${msgid}>${o.list ? ` in ${o.list}` : ""}${m?.ghost ? " (only referenced: not in the archive)" : ""}`);
    return 2;
  }
  io.out(messageToMarkdown({ ...m, list: o.list ?? m.lists[0] ?? null }, { baseUrl, quotes: o.quotes !== false }));
  return 0;
}

export interface RelatedFlags {
  json?: boolean;
  md?: boolean;
  /** 1..MAX_RELATED_LIMIT (a string from the command line) */
  limit?: number | string;
  baseUrl?: string;
}

/** Reads the diff (a file, or "-" for stdin); a one-line error for what cannot be read. */
export function readDiff(file: string, stdin: () => Buffer = () => fs.readFileSync(0)): string {
  let buf: Buffer;
  try {
    if (file === "-") buf = stdin();
    else {
      const st = fs.statSync(file);
      if (st.isDirectory()) throw new RelatedInputError(`${file} is a directory: give a diff file (or - for stdin)`);
      if (st.size > MAX_DIFF_BYTES) throw new RelatedInputError(`${file} is larger than ${MAX_DIFF_BYTES / 1024 / 1024} MB`);
      buf = fs.readFileSync(file);
    }
  } catch (e) {
    if (e instanceof RelatedInputError) throw e;
    throw new RelatedInputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (buf.length > MAX_DIFF_BYTES) throw new RelatedInputError(`the diff is larger than ${MAX_DIFF_BYTES / 1024 / 1024} MB`);
  return new TextDecoder("utf-8").decode(buf);
}

/** The ranking for a terminal: one block per item. */
export function relatedText(r: RelatedResult): string {
  const out: string[] = [];
  const files = r.query.files.map((f) => `${f.path}${f.functions.length ? ` (${f.functions.join(", ")})` : ""}`);
  out.push(`your diff: ${files.join("; ")}`);
  out.push(`${r.items.length} related item${r.items.length === 1 ? "" : "s"} from ${r.candidates} stored patches on these files [${r.tookMs} ms]`);
  r.items.forEach((it, i) => {
    const versions = it.versions && it.versions.length > 1 ? ` [${it.versions.map((v) => `${v.isRfc ? "RFC " : ""}v${v.version}`).join(", ")}]` : "";
    out.push("");
    out.push(`${String(i + 1).padStart(2)}. ${it.score.toFixed(2).padStart(6)}  ${it.kind}: ${it.title}${versions}`);
    out.push(`              ${it.date ? it.date.slice(0, 10) : "(no date)"}  ${it.author ? it.author.name || it.author.address : ""}  ${it.urls.page}`);
    for (const reason of it.reasons.slice(0, 4)) out.push(`              - ${reason.text}`);
    if (it.reasons.length > 4) out.push(`              - … ${it.reasons.length - 4} more`);
    const rs = reviewSummaryText(it.reviews);
    if (rs) out.push(`              review: ${rs}`);
  });
  if (r.items.length) out.push("", "Markdown for the pull request: patchlore related --md <file>");
  return out.join("\n") + "\n";
}

/** `patchlore related`; answers the exit status (0, 2 for input that is no diff). */
export async function relatedCommand(withDb: (fn: (db: Db) => Promise<number>) => Promise<number>, file: string, o: RelatedFlags, io: Io = stdio, stdin?: () => Buffer): Promise<number> {
  let text: string;
  let baseUrl: string;
  const limit = o.limit === undefined ? 10 : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RELATED_LIMIT) {
    io.err(`patchlore related: --limit must be a whole number from 1 to ${MAX_RELATED_LIMIT}, not ${JSON.stringify(String(o.limit))}`);
    return 2;
  }
  try {
    baseUrl = baseUrlOf(o);
    text = readDiff(file, stdin);
    buildQuery(text); // a clear error before the database is opened
  } catch (e) {
    if (e instanceof RelatedInputError || e instanceof BaseUrlError) {
      io.err(`patchlore related: ${e.message}`);
      return 2;
    }
    throw e;
  }
  return withDb(async (db) => {
    const r = await findRelated(db, text, { limit, baseUrl });
    const markdown = relatedToMarkdown(r, { baseUrl });
    if (o.json) io.out(JSON.stringify({ ...r, markdown }, null, 2) + "\n");
    else if (o.md) io.out(markdown);
    else io.out(relatedText(r));
    return 0;
  });
}

export function registerMarkdownCommands(program: Command, withDb: WithDb): void {
  program
    .command("md")
    .description("print a message as GitHub-flavoured Markdown (author, date, permalink, quotes, diffs); --review: the review of the patch, or of the series a cover letter starts")
    .argument("<msgid>", "a Message-ID (with or without <>), or with --series a series key")
    .option("--list <name>", "the list for permalinks (default: the message's first list)")
    .option("--review", "the review instead: the patch's (verdicts, trailers, discussions per file), or the series' when <msgid> is a cover letter")
    .option("--series", "the review of the series keyed by <msgid>")
    .option("--no-quotes", "leave quoted text out")
    .option("--base-url <url>", "where links point (default: $PATCHLORE_BASE_URL, else http://localhost:$PORT)")
    .action(async (id: string, o: MdFlags) => {
      try {
        baseUrlOf(o); // a clear error before the database is opened
      } catch (e) {
        process.stderr.write(`patchlore md: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const code = await withDb((db) => mdCommand(db, id, o));
      if (code) process.exitCode = code;
    });

  program
    .command("related")
    .description("the earlier patches, series (with their reviews) and proposals that touched the same files, functions and lines as a diff, ranked with reasons")
    .argument("<file>", "a unified diff (git diff, git format-patch output), or - for stdin")
    .option("--json", "print JSON (what POST /api/related answers, with the Markdown summary)")
    .option("--md", "print only the Markdown summary for the pull request")
    .option("--limit <n>", `items to show (1-${MAX_RELATED_LIMIT}, default 10)`)
    .option("--base-url <url>", "where links point (default: $PATCHLORE_BASE_URL, else http://localhost:$PORT)")
    .action(async (file: string, o: RelatedFlags) => {
      const code = await relatedCommand((fn) => withDb((db) => fn(db)), file, o);
      if (code) process.exitCode = code;
    });
}
