// dev probe: parse throughput alone (no database) over a source, N workers
import { openSource } from "../../ingest/sources";
import { parseInOrder } from "../../ingest/parse-pool";
const src = await openSource(process.argv[2]);
const workers = Number(process.argv[3] ?? 2);
const limit = Number(process.argv[4] ?? 10000);
async function* jobs() { let i = 0; for await (const it of src.items({})) { if (i++ >= limit) break; yield { raw: it.raw, tag: null }; } }
const t0 = Date.now(); let n = 0, errs = 0;
for await (const o of parseInOrder(jobs(), { workers })) { n++; if (o.error) errs++; }
const s = (Date.now() - t0) / 1000;
console.log(`${n} msgs in ${s.toFixed(1)}s = ${Math.round(n / s)} msg/s, errors ${errs}, workers ${workers}`);
