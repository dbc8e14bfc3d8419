// Maildir reader: every regular file in new/ and cur/ (tmp/ is ignored: deliveries in progress),
// in file-name order (natural order, ties broken by directory) so runs are reproducible.
// Also reads a plain directory of *.eml files the same way (kind "maildir").
// One file = one message; a leading mbox "From " line, which some tools write, is dropped.

import { open, readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { SourceError, type Source, type SourceItem } from "./types";
import { headerBlock, listNameFromHeaders, naturalCompare, sanitizeListName, stripLeadingFromLine } from "./util";

type Layout = "maildir" | "eml";

interface Entry {
  name: string;
  path: string;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function listFiles(dir: string, filter: (name: string) => boolean): Promise<Entry[]> {
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT") return [];
    throw new SourceError(`cannot read directory ${dir}: ${e.message}`, { cause: err });
  }
  const out: Entry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith(".") || !filter(d.name)) continue;
    let file = d.isFile();
    if (d.isSymbolicLink()) file = await stat(join(dir, d.name)).then((s) => s.isFile(), () => false);
    if (file) out.push({ name: d.name, path: join(dir, d.name) });
  }
  return out;
}

const isEml = (name: string) => /\.eml$/i.test(name);
const GENERIC_NAMES = new Set(["maildir", "mail", "mails", "inbox", "new", "cur", "tmp", "messages", "eml", "emails", "archive"]);

export class MaildirSource implements Source {
  readonly kind = "maildir" as const;
  constructor(
    readonly location: string,
    readonly layout: Layout,
    private readonly listName: string | null,
  ) {}

  /** The message files, in the order items() yields them. */
  async files(): Promise<string[]> {
    let entries: Entry[];
    if (this.layout === "maildir") {
      const [cur, neu] = await Promise.all([
        listFiles(join(this.location, "cur"), () => true),
        listFiles(join(this.location, "new"), () => true),
      ]);
      entries = [...cur, ...neu];
    } else {
      entries = await listFiles(this.location, isEml);
    }
    entries.sort((a, b) => naturalCompare(a.name, b.name) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return entries.map((e) => e.path);
  }

  async count(): Promise<number | null> {
    return (await this.files()).length;
  }

  suggestedListName(): string | null {
    return this.listName;
  }

  async *items(_state: Record<string, string> = {}, signal?: AbortSignal): AsyncGenerator<SourceItem> {
    const files = await this.files();
    for (const path of files) {
      signal?.throwIfAborted();
      let raw: Buffer;
      try {
        raw = await readFile(path, { signal });
      } catch (err) {
        signal?.throwIfAborted();
        const e = err as NodeJS.ErrnoException;
        if (e.code === "ENOENT") continue; // moved or deleted by a mail client since the listing
        throw new SourceError(`cannot read ${path}: ${e.message}`, { cause: err });
      }
      yield { raw: stripLeadingFromLine(raw), ref: `maildir:${path}` };
    }
  }
}

async function readStart(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * A maildir (has cur/ or new/) or a directory of .eml files; null when `dir` is neither.
 * `dir` must be absolute.
 */
export async function openMaildir(dir: string): Promise<MaildirSource | null> {
  let layout: Layout | null = null;
  if ((await isDir(join(dir, "cur"))) || (await isDir(join(dir, "new")))) layout = "maildir";
  else if ((await listFiles(dir, isEml)).length > 0) layout = "eml";
  if (!layout) return null;
  const probe = new MaildirSource(dir, layout, null);
  let name: string | null = null;
  const first = (await probe.files())[0];
  if (first) {
    try {
      name = listNameFromHeaders(headerBlock(stripLeadingFromLine(await readStart(first, 64 * 1024))));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const base = basename(dir);
    name = GENERIC_NAMES.has(base.toLowerCase()) ? null : sanitizeListName(base);
  }
  return new MaildirSource(dir, layout, name);
}
