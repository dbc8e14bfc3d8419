#!/usr/bin/env bash
# Runs a command against a throwaway Debian PostgreSQL 15 server (initdb + pg_ctl from PATH),
# exporting TEST_DATABASE_URL; used by CI to check patchlore on an external server too.
#   scripts/with-pg15.sh npx vitest run ingest/pipeline.test.ts
set -euo pipefail
command -v initdb >/dev/null && command -v pg_ctl >/dev/null || { echo "with-pg15: initdb/pg_ctl not found; skipping: $*"; exit 0; }
dir=$(mktemp -d /tmp/patchlore-pg15-XXXXXX)
chmod 755 "$dir"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
as_pg "initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 >/dev/null"
as_pg "pg_ctl -D '$dir/data' -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -l '$dir/log' -w start >/dev/null"
trap 'as_pg "pg_ctl -D \"$dir/data\" -m fast stop >/dev/null" || true; rm -rf "$dir"' EXIT
echo "with-pg15: $(as_pg "postgres --version") on port $port"
TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/postgres" "$@"
