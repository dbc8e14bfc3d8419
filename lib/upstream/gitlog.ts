// The commits of a `git log --no-merges -p` stream in the format below, one at a time (pure: fed
// line by line, so the reader keeps only the commit being read). ingest/commits.ts runs git.
//
//   \x1e<sha>\x1f<author name>\x1f<author email>\x1f<author date ISO>\x1f<committer date ISO>
//   <raw commit message, %B>
//   \x1d
//   <empty line>
//   <the diff: diff --git ... >

/** the --format git log is run with */
export const GIT_LOG_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%cI%n%B%x1d";

export interface GitLogCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  authorDate: string | null;
  committerDate: string | null;
  subject: string;
  /** the message below the subject line */
  body: string;
  /** the diff as git printed it, for patch-id and similarity; "" when the commit changes nothing or it was too large */
  diff: string;
  /** paths changed (from the diff --git lines, even when the diff itself was too large to keep) */
  files: string[];
  /** the diff was larger than the cap and was not kept */
  diffTruncated: boolean;
}

const DIFF_GIT = /^diff --git (?:"?a\/(.*?)"? "?b\/(.*?)"?)$/;

function unquote(p: string): string {
  // C-quoted paths keep their escapes; good enough for matching the same quoting in mails
  return p.replace(/\\(["\\])/g, "$1");
}

export class GitLogParser {
  private cur: { head: string[]; msg: string[]; diff: string[]; diffBytes: number; inMsg: boolean; files: string[]; truncated: boolean } | null = null;

  constructor(private readonly maxDiffBytes = 8 * 1024 * 1024) {}

  /** Feed one line (without "\n"); returns a commit when this line started the next one. */
  push(line: string): GitLogCommit | null {
    if (line.startsWith("\x1e")) {
      const done = this.finish();
      this.cur = { head: line.slice(1).split("\x1f"), msg: [], diff: [], diffBytes: 0, inMsg: true, files: [], truncated: false };
      return done;
    }
    const c = this.cur;
    if (!c) return null;
    if (c.inMsg) {
      if (line === "\x1d") c.inMsg = false;
      else c.msg.push(line);
      return null;
    }
    if (!c.diff.length && line === "" && !c.files.length) return null; // the separator line
    if (line.startsWith("diff --git ")) {
      const m = DIFF_GIT.exec(line);
      if (m) {
        const p = unquote(m[2] || m[1]);
        if (!c.files.includes(p)) c.files.push(p);
      }
    }
    if (c.truncated) return null;
    c.diffBytes += line.length + 1;
    if (c.diffBytes > this.maxDiffBytes) {
      c.truncated = true;
      c.diff = [];
      return null;
    }
    c.diff.push(line);
    return null;
  }

  /** The last commit, at the end of the stream. */
  end(): GitLogCommit | null {
    return this.finish();
  }

  private finish(): GitLogCommit | null {
    const c = this.cur;
    this.cur = null;
    if (!c) return null;
    const [sha, authorName = "", authorEmail = "", authorDate = "", committerDate = ""] = c.head;
    while (c.msg.length && c.msg[c.msg.length - 1] === "") c.msg.pop();
    const subject = c.msg[0] ?? "";
    let b = 1;
    while (b < c.msg.length && c.msg[b] === "") b++;
    while (c.diff.length && c.diff[c.diff.length - 1] === "") c.diff.pop();
    return {
      sha: sha.trim(),
      authorName,
      authorEmail: authorEmail.toLowerCase(),
      authorDate: authorDate || null,
      committerDate: committerDate || null,
      subject,
      body: c.msg.slice(b).join("\n"),
      diff: c.diff.length ? c.diff.join("\n") + "\n" : "",
      files: c.files,
      diffTruncated: c.truncated,
    };
  }
}
