// Shared by the series oracles: read a public-inbox epoch (git log --raw + git cat-file --batch),
// parse every message with lib/mail parseMail, turn it into a SeriesInput, and group threads with
// a union-find over Message-ID / In-Reply-To / References.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mboxrd } from "../../lib/export/mbox";
import { parseMail } from "../../lib/mail/parse";
import type { ParsedMail } from "../../lib/mail/types";
import { extractBodyFacts } from "../../lib/series/body";
import type { SeriesInput } from "../../lib/series/group";

/** An epoch repository: the given one, /tmp/mmc.git when present (read-only), else a mirror clone of the bundle. */
export function epochRepo(repo: string | null, bundle = "/work/shared/corpora/linux-mmc-0.bundle"): string {
  if (repo) return repo;
  if (existsSync("/tmp/mmc.git/HEAD")) return "/tmp/mmc.git";
  const dest = "/tmp/series-mmc.git";
  if (!existsSync(`${dest}/HEAD`)) {
    console.error(`cloning ${bundle} -> ${dest}`);
    execFileSync("git", ["clone", "--quiet", "--mirror", bundle, dest], { stdio: "inherit" });
  }
  return dest;
}

// ---------------------------------------------------------------------------------------------
// read the epoch

export function listBlobs(repo: string): string[] {
  const out = execFileSync("git", ["--git-dir", repo, "log", "--raw", "--no-abbrev", "--no-renames", "--format=%H", "--all"], {
    maxBuffer: 1 << 30,
    encoding: "utf8",
  });
  const blobs: string[] = [];
  for (const line of out.split("\n")) {
    if (!line.startsWith(":")) continue;
    const [meta, file] = line.split("\t");
    const f = meta.split(" ");
    const status = f[4];
    if (file !== "m" || status === "D") continue;
    blobs.push(f[3]);
  }
  return [...new Set(blobs)].reverse(); // oldest first
}

export function catBlobs(repo: string, ids: string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const p = spawn("git", ["--git-dir", repo, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => chunks.push(d));
    p.on("error", reject);
    p.on("close", () => {
      const all = Buffer.concat(chunks);
      const out: Buffer[] = [];
      let pos = 0;
      while (pos < all.length) {
        const nl = all.indexOf(0x0a, pos);
        const head = all.subarray(pos, nl).toString("latin1").split(" ");
        const size = Number(head[2]);
        if (head[1] !== "blob" || !Number.isFinite(size)) {
          pos = nl + 1;
          continue;
        }
        out.push(all.subarray(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      resolve(out);
    });
    p.stdin.end(ids.join("\n") + "\n");
  });
}

// b4's DIFF_RE: what b4 calls "has a diff"
export const DIFF_RE = /^(---.*\n\+\+\+|GIT binary patch|diff --git \w\/\S+ \w\/\S+)/im;

export interface Msg {
  raw: Buffer;
  mail: ParsedMail;
  input: SeriesInput;
}

/**
 * Messages as the mboxrd file b4 reads (lib/export/mbox), LF line ends, each header block
 * unfolded: b4 0.12 crashes on folded Subject lines when it rebuilds the am-ready message
 * ("Header values may not contain linefeed"); unfolding does not change the headers' meaning
 * (RFC 5322 2.2.3).
 */
export function b4Mbox(msgs: Msg[]): Buffer {
  return mboxrd(
    msgs.map((m) => {
      const text = m.raw.toString("latin1").replace(/\r\n/g, "\n");
      const headEnd = text.indexOf("\n\n");
      return Buffer.from(headEnd > 0 ? text.slice(0, headEnd).replace(/\n[ \t]+/g, " ") + text.slice(headEnd) : text, "latin1");
    }),
  );
}

export function toInput(m: ParsedMail): SeriesInput {
  const texts = [m.text, ...m.attachments.map((a) => a.text ?? "")];
  const hasDiff = texts.some((t) => DIFF_RE.test(t));
  const facts = extractBodyFacts(m.text);
  const files = new Set<string>();
  for (const t of texts) for (const x of t.matchAll(/^diff --git a\/(\S+) b\/(\S+)/gm)) files.add(x[2]);
  return {
    msgid: m.msgid,
    subject: m.subject,
    from: m.from.address,
    date: m.date,
    references: m.references,
    inReplyTo: m.inReplyTo,
    hasDiff,
    patchId: null,
    files: [...files],
    changeId: facts.changeId,
    baseCommit: facts.baseCommit,
    bodyRefs: facts.bodyRefs,
    supersedes: facts.supersedes,
    obsoletedBy: facts.obsoletedBy,
    basedOn: facts.basedOn,
    previousVersionRefs: facts.previousVersionRefs,
    changelogVersions: facts.changelogVersions,
  };
}

// ---------------------------------------------------------------------------------------------
// threads

export class UnionFind {
  parent = new Map<string, string>();
  find(x: string): string {
    let r = x;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = this.parent.get(c) ?? r;
      this.parent.set(c, r);
      c = n;
    }
    if (!this.parent.has(r)) this.parent.set(r, r);
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
}


/** Every message of the epoch, parsed, first copy of each Message-ID, oldest first. */
export async function loadEpoch(repo: string): Promise<{ msgs: Msg[]; byId: Map<string, Msg> }> {
  const blobs = listBlobs(repo);
  console.error(`${blobs.length} messages in ${repo}`);
  const raws = await catBlobs(repo, blobs);
  const msgs: Msg[] = [];
  const byId = new Map<string, Msg>();
  for (const raw of raws) {
    let mail: ParsedMail;
    try {
      mail = await parseMail(raw);
    } catch {
      continue;
    }
    if (byId.has(mail.msgid)) continue;
    const m = { raw, mail, input: toInput(mail) };
    msgs.push(m);
    byId.set(mail.msgid, m);
  }
  return { msgs, byId };
}

/** Threads: connected components of Message-ID / In-Reply-To / References. */
export function threadsOf(msgs: Msg[]): { uf: UnionFind; threads: Map<string, Msg[]> } {
  const uf = new UnionFind();
  for (const m of msgs) {
    uf.find(m.mail.msgid);
    for (const r of m.mail.references) uf.union(m.mail.msgid, r);
    if (m.mail.inReplyTo) uf.union(m.mail.msgid, m.mail.inReplyTo);
  }
  const threads = new Map<string, Msg[]>();
  for (const m of msgs) {
    const r = uf.find(m.mail.msgid);
    if (!threads.has(r)) threads.set(r, []);
    threads.get(r)!.push(m);
  }
  return { uf, threads };
}
