// Worker thread: raw bytes in, ParsedMail out. Parsing is the CPU-heavy, per-message part of the
// pipeline, so it runs on every core while the main thread talks to the database.
import { parentPort } from "node:worker_threads";
import { parseOne } from "./parse-pool";

parentPort!.on("message", async (job: { seq: number; raw: Uint8Array }) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  const out = await parseOne(raw);
  parentPort!.postMessage({ seq: job.seq, ...out, raw: job.raw }, [job.raw.buffer as ArrayBuffer]);
});
