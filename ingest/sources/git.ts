// Thin, careful wrappers around git child processes for the public-inbox reader.
// Every process is tracked until it has exited (see liveGitPids()), stderr is captured so git's
// own message can be shown to the user, and kill() waits for the process to be reaped.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { SourceError } from "./types";

const STDERR_CAP = 16 * 1024;

// Variables that would point git at another repository than the one we name.
const SCRUB_ENV = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_COMMON_DIR",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_NAMESPACE",
  "GIT_PAGER",
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C", LANGUAGE: "C" };
  for (const k of SCRUB_ENV) delete env[k];
  return env;
}

const live = new Set<number>();

/** pids of git processes started by this module that have not exited yet (for tests and diagnostics). */
export function liveGitPids(): number[] {
  return [...live];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export class GitProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<Exit>;
  private stderrText = "";
  private killing = false;

  constructor(
    readonly args: string[],
    readonly what: string,
  ) {
    this.child = spawn("git", args, { env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
    const pid = this.child.pid;
    if (pid !== undefined) live.add(pid);
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (s: string) => {
      if (this.stderrText.length < STDERR_CAP) this.stderrText += s.slice(0, STDERR_CAP - this.stderrText.length);
    });
    // EPIPE and friends when git dies early: reported through the exit status instead.
    this.child.stdin.on("error", () => {});
    this.exited = new Promise<Exit>((resolve) => {
      let spawnError: Error | undefined;
      this.child.once("error", (err) => {
        spawnError = err;
        if (pid === undefined) resolve({ code: null, signal: null, error: err });
      });
      // 'close' fires after 'exit' and after stdio is closed: the process is reaped by then.
      this.child.once("close", (code, signal) => {
        if (pid !== undefined) live.delete(pid);
        resolve({ code, signal, error: spawnError });
      });
    });
  }

  get killed(): boolean {
    return this.killing;
  }

  stderr(): string {
    return this.stderrText.trim();
  }

  /** "log", "cat-file"...: the first argument that is not an option (nor the value of -c/-C). */
  subcommand(): string {
    for (let i = 0; i < this.args.length; i++) {
      const a = this.args[i];
      if (a === "-c" || a === "-C") i++;
      else if (!a.startsWith("-")) return a;
    }
    return "";
  }

  /** The user-facing error for a failed run. */
  failure(exit: Exit): SourceError {
    if (exit.error && (exit.error as NodeJS.ErrnoException).code === "ENOENT") {
      return new SourceError("git is not installed or not in PATH (needed to read public-inbox repositories)");
    }
    const detail =
      this.stderr() ||
      exit.error?.message ||
      (exit.signal ? `killed by ${exit.signal}` : exit.code === null ? "did not start" : `exit status ${exit.code}`);
    return new SourceError(`git ${this.subcommand()} failed for ${this.what}: ${detail}`);
  }

  /** Stop the process (if still running) and wait until it has exited. */
  async kill(): Promise<void> {
    this.killing = true;
    // Destroy our ends of the pipes even when the process has already exited: 'close' (which
    // `exited` waits for) only fires once stdout is closed, and unread output would keep it open.
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.child.stderr.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
  proc: GitProcess;
  exit: Exit;
}

/** Run a short git command to completion, collecting its output. */
export async function runGit(args: string[], what: string, input?: string): Promise<GitResult> {
  const proc = new GitProcess(args, what);
  const chunks: Buffer[] = [];
  proc.child.stdout.on("data", (b: Buffer) => chunks.push(b));
  if (input !== undefined) proc.child.stdin.end(input);
  else proc.child.stdin.end();
  const exit = await proc.exited;
  return { code: exit.code, stdout: Buffer.concat(chunks).toString("utf8"), stderr: proc.stderr(), proc, exit };
}

/** Like runGit, but any non-zero exit is a SourceError carrying git's message. */
export async function gitOutput(args: string[], what: string): Promise<string> {
  const r = await runGit(args, what);
  if (r.code !== 0) throw r.proc.failure(r.exit);
  return r.stdout;
}

const EMPTY = Buffer.alloc(0);

/**
 * Pull-based reader over a byte stream (a child's stdout): lines and exact byte counts.
 * Reads only when asked, so the producer is held back by the pipe when we are busy.
 */
export class ByteReader {
  private buf: Buffer = EMPTY;
  private off = 0;
  private done = false;
  private readonly it: AsyncIterator<Buffer>;

  constructor(stream: AsyncIterable<Buffer>) {
    this.it = stream[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const chunk = r.value;
    this.buf = this.off < this.buf.length ? Buffer.concat([this.buf.subarray(this.off), chunk]) : chunk;
    this.off = 0;
    return true;
  }

  /** A line without its "\n" (latin1), or null at end of stream. A final unterminated line is returned too. */
  readLineSync(): string | undefined {
    const nl = this.buf.indexOf(0x0a, this.off);
    if (nl < 0) return undefined;
    const s = this.buf.toString("latin1", this.off, nl);
    this.off = nl + 1;
    return s;
  }

  async readLine(): Promise<string | null> {
    for (;;) {
      const s = this.readLineSync();
      if (s !== undefined) return s;
      if (!(await this.fill())) {
        if (this.off < this.buf.length) {
          const rest = this.buf.toString("latin1", this.off);
          this.off = this.buf.length;
          return rest;
        }
        return null;
      }
    }
  }

  /** Exactly n bytes in a fresh Buffer (not sharing memory with the stream's chunks), or null if the stream ends first. */
  async readExact(n: number): Promise<Buffer | null> {
    const out = Buffer.allocUnsafe(n);
    let have = 0;
    for (;;) {
      const avail = this.buf.length - this.off;
      const take = Math.min(avail, n - have);
      if (take > 0) {
        this.buf.copy(out, have, this.off, this.off + take);
        this.off += take;
        have += take;
      }
      if (have === n) return out;
      // everything buffered was consumed: drop it so fill() does not concat
      this.buf = EMPTY;
      this.off = 0;
      if (!(await this.fill())) return null;
    }
  }

  /** Skip exactly one byte (the "\n" after a cat-file object); false at end of stream. */
  async skipByte(): Promise<boolean> {
    if (this.off < this.buf.length) {
      this.off++;
      return true;
    }
    if (!(await this.fill())) return false;
    this.off++;
    return true;
  }

  /** Stop reading (lets the stream be destroyed). */
  async close(): Promise<void> {
    this.done = true;
    try {
      await this.it.return?.();
    } catch {
      // the stream was destroyed: nothing to do
    }
  }
}
