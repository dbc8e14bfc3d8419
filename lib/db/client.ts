// One pg pool per process: the per-message writer, the passes and the read models all query it
// with plain parameterized SQL. (Prisma owns the schema and the migrations, not the queries: the
// work is set-based — COPY, json_to_recordset, CTEs over whole batches — which its query builder
// cannot express, and a second, typed path for the few simple reads would be two ways of doing
// one thing. The row shapes the reads answer are declared once, in lib/views.)
import pg from "pg";

// int8 (BIGINT ids, counts) as JS numbers: message ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Db {
  url: string;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function connect(url: string, opts: { max?: number; statementTimeoutMs?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 8,
    ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return {
    url,
    pool,
    async close() {
      await pool.end().catch(() => {});
    },
  };
}
