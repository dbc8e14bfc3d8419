// openSource(path): detect the archive format and return a streaming Source.
//   file      -> an archive page saved as text (lib/archive-pages: lore thread view, mail-archive.com, LWN,
//                hypermail, collapsed raw message), else mbox (plain or gzip, detected by magic
//                bytes) or a single .eml message
//   directory -> public-inbox v2 inbox (git/N.git), public-inbox epoch (bare or non-bare git repo),
//                maildir (cur/ or new/), or a directory of *.eml files
//   http(s) URL -> lore / public-inbox over HTTP (lore-http.ts): a thread URL or a list URL

import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { openMaildir } from "./maildir";
import { openMbox } from "./mbox";
import { openPage } from "./page";
import { openPublicInbox } from "./public-inbox";
import { isHttpUrl, openLoreHttp } from "./lore-http";
import { SourceError, type OpenSourceOptions, type Source } from "./types";

export * from "./types";
export { MboxSource, splitMbox } from "./mbox";
export { MaildirSource } from "./maildir";
export { PublicInboxSource } from "./public-inbox";
export { PageSource, openPage } from "./page";
export { LoreHttpSource, openLoreHttp } from "./lore-http";

export async function openSource(path: string, opts: OpenSourceOptions = {}): Promise<Source> {
  if (isHttpUrl(path)) return openLoreHttp(path, opts);
  if (opts.since !== undefined) {
    throw new SourceError(`--since applies to lore list URLs (https://lore.kernel.org/<list>/), not to ${path}`);
  }
  const abs = resolve(path);
  let st;
  try {
    st = await stat(abs);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT" || e.code === "ENOTDIR") throw new SourceError(`no such file or directory: ${abs}`);
    throw new SourceError(`cannot access ${abs}: ${e.message}`);
  }
  if (st.isFile()) {
    // an archive page saved as text (never a real mbox/.eml: openPage leaves those to openMbox)
    const page = await openPage(abs);
    if (page) return page;
    try {
      return await openMbox(abs);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(`cannot read ${abs}: ${(err as Error).message}`);
    }
  }
  if (st.isDirectory()) {
    const inbox = await openPublicInbox(abs);
    if (inbox) return inbox;
    const maildir = await openMaildir(abs);
    if (maildir) return maildir;
    throw new SourceError(
      `${abs} is not an mbox file, maildir, or public-inbox repository: ` +
        `the directory has no cur/ or new/ subdirectory, no *.eml files, no git/N.git epochs, and is not a git repository`,
    );
  }
  throw new SourceError(`${abs} is not an mbox file, maildir, or public-inbox repository: it is not a regular file or directory`);
}
