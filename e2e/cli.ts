// The patchlore command as a person runs it (bin/patchlore.js in a child process) against a test
// database. Asynchronous on purpose: a blocking spawnSync would hold the event loop while fetch's
// idle keep-alive sockets to the test server expire.
import { spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../ingest/postgres/migrate";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `patchlore <args>` with DATABASE_URL=databaseUrl and `input` on stdin; killed after 60 s. */
export function runCli(databaseUrl: string, args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "patchlore.js"), ...args], {
      cwd: projectRoot(),
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}
