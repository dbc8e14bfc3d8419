import "./prof.mts";
// dev probe: storeBatch throughput alone over pre-parsed messages, on a fresh database
import { openSource } from "../../ingest/sources";
import { parseOne } from "../../ingest/parse-pool";
import { connect } from "../../lib/db/client";
import { ensureMigrated } from "../../lib/db/open";
import { ensureList, ensureSource } from "../../lib/db/lists";
import { storeBatch, type IncomingMessage } from "../../lib/db/store";
import pg from "pg";
const server = "postgresql://postgres:patchlore@127.0.0.1:55432/postgres";
const name = "storeprobe";
const a = new pg.Client({ connectionString: server }); await a.connect();
await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await a.query(`CREATE DATABASE ${name}`); await a.end();
const url = server.replace(/postgres$/, name);
await ensureMigrated(url);
const db = connect(url);
if (process.env.EXTRA_SQL) await db.pool.query(process.env.EXTRA_SQL);
const list = await ensureList(db, "mmc"); const src = await ensureSource(db, "x", "y", list.id);
const source = await openSource(process.argv[2]);
const limit = Number(process.argv[3] ?? 10000);
const msgs: IncomingMessage[] = [];
for await (const it of source.items({})) { if (msgs.length >= limit) break; const o = await parseOne(it.raw); if (o.parsed) msgs.push({ parsed: o.parsed, raw: it.raw, ref: it.ref }); }
const bs = Number(process.argv[4] ?? 1000);
const t0 = Date.now();
for (let i = 0; i < msgs.length; i += bs) await storeBatch(db, { listId: list.id, sourceId: src.id }, { messages: msgs.slice(i, i + bs) });
const s = (Date.now() - t0) / 1000;
console.log(`stored ${msgs.length} in ${s.toFixed(1)}s = ${Math.round(msgs.length / s)} msg/s (batch ${bs})`);
await db.close();
