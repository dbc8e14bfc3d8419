// Progress for long runs: a bar (cli-progress) on a terminal, a plain line every few seconds
// otherwise (CI logs, pipes), both with messages, rate and ETA.
import cliProgress from "cli-progress";
import type { IngestProgress } from "./pipeline";

const PLAIN_EVERY_MS = 5000;

function eta(p: IngestProgress, rate: number): string {
  if (!p.total || rate <= 0) return "?";
  const s = Math.max(0, Math.round((p.total - p.done) / rate));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr) {
  let bar: cliProgress.SingleBar | null = null;
  let lastPlain = 0;
  return {
    update(p: IngestProgress) {
      const secs = (Date.now() - p.startedAt) / 1000;
      const rate = secs > 0 ? p.done / secs : 0;
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `${label} [{bar}] {value}/{total} msgs | {rate} msg/s | ETA {etaText} | dup {dups} skipped {skipped}`,
              hideCursor: true,
              etaBuffer: 50,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total ?? 0, 0, { rate: 0, etaText: "?", dups: 0, skipped: 0 });
        }
        if (p.total === null) bar.setTotal(p.done);
        bar.update(p.done, { rate: Math.round(rate), etaText: eta(p, rate), dups: p.duplicates, skipped: p.skipped });
        return;
      }
      const now = Date.now();
      if (now - lastPlain < PLAIN_EVERY_MS) return;
      lastPlain = now;
      const pct = p.total ? ` (${Math.floor((100 * p.done) / p.total)}%)` : "";
      stream.write(
        `${label}: ${p.done}${p.total ? "/" + p.total : ""}${pct} messages, ${Math.round(rate)} msg/s, ETA ${eta(p, rate)}, ` +
          `stored ${p.stored}, unchanged ${p.unchanged}, duplicates ${p.duplicates}, skipped ${p.skipped}\n`,
      );
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
