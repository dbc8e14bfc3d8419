// `npm run bench:ingest`: a real archive into a fresh embedded PostgreSQL, measured.
// Prints messages/second and the ingester's peak RSS, checks the stored counts against the
// archive, then reruns (incremental: nothing new) and re-reads everything (idempotent: nothing added).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { homeDir, scratchDatabase } from "./postgres/open";
import { projectRoot } from "./postgres/migrate";
import { getStats } from "../lib/views/messages";
import { ingestSource } from "./pipeline";
import { progressReporter } from "./progress";

const DEFAULT_BUNDLE = path.join(projectRoot(), "..", "shared", "corpora", "linux-mmc-0.bundle");

export function prepareSource(source: string): string {
  if (!source.endsWith(".bundle")) return path.resolve(source);
  const dir = path.join(homeDir(), "bench", path.basename(source, ".bundle") + ".git");
  if (!fs.existsSync(path.join(dir, "HEAD"))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    process.stderr.write(`cloning ${source} -> ${dir}\n`);
    execFileSync("git", ["clone", "--quiet", "--mirror", source, dir], { stdio: "inherit" });
  }
  return dir;
}

export async function benchIngest(opts: { source?: string; workers?: number }) {
  const bundle = opts.source ?? DEFAULT_BUNDLE;
  if (!fs.existsSync(bundle)) {
    process.stderr.write(`bench:ingest: ${bundle} is absent (it lives in ../shared/corpora); pass --source <archive>\n`);
    process.exit(2);
  }
  const source = prepareSource(bundle);
  const commits = fs.existsSync(path.join(source, "objects"))
    ? Number(execFileSync("git", ["-C", source, "rev-list", "--count", "HEAD"]).toString().trim())
    : null;

  const { db, stop } = await scratchDatabase("bench");
  try {
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const progress = progressReporter("bench");
    const first = await ingestSource(db, source, { workers: opts.workers, onProgress: progress.update });
    progress.stop();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    const stats = await getStats(db);

    const second = await ingestSource(db, source, { workers: opts.workers });
    await db.pool.query(`UPDATE source SET state = '{}'`);
    const third = await ingestSource(db, source, { workers: opts.workers });
    const after = await getStats(db);

    const rate = first.read / first.seconds;
    const accounted = stats.messages + stats.duplicates + stats.parseErrors + first.unchanged;
    const lines = [
      `archive:            ${bundle}${commits !== null ? ` (${commits} commits)` : ""}`,
      `cpus:               ${os.availableParallelism()}, workers ${opts.workers ?? "default"}`,
      `ingest:             ${first.read} messages in ${first.seconds.toFixed(1)} s = ${Math.round(rate)} msg/s`,
      `peak RSS:           ${(peakRss / 1024 / 1024).toFixed(0)} MB (ingester process, parser threads included)`,
      `stored:             ${stats.messages} messages, ${stats.threads} threads, ${stats.ghosts} ghosts, ${stats.people} people`,
      `accounted:          ${stats.messages} stored + ${stats.duplicates} duplicates + ${stats.parseErrors} skipped + ${first.unchanged} identical repeats = ${accounted}` +
        (commits !== null ? (accounted === commits ? " = commits ✓" : ` ≠ ${commits} commits ✗`) : ""),
      `rerun (incremental): read ${second.read}, stored ${second.inserted + second.filledGhosts} in ${second.seconds.toFixed(1)} s`,
      `re-read everything:  read ${third.read}, stored ${third.inserted + third.filledGhosts}, unchanged ${third.unchanged} in ${third.seconds.toFixed(1)} s (${Math.round(third.read / third.seconds)} msg/s)`,
      `after re-read:       ${after.messages} messages, ${after.duplicates} duplicates (unchanged: ${after.messages === stats.messages && after.duplicates === stats.duplicates ? "yes ✓" : "NO ✗"})`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
  } finally {
    await stop();
  }
}
