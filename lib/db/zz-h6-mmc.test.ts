import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { it } from "vitest";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { findRelated } from "./related";
it("mmc figure", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h6-mmc-"));
  const repo = path.join(dir, "linux-mmc", "git", "0.git");
  execFileSync("git", ["clone", "-q", "--mirror", "/work/shared/corpora/linux-mmc-0.bundle", repo]);
  const db = await createTestDb();
  const t0 = Date.now();
  const s = await ingestSource(db, repo, { list: "linux-mmc", workers: 1 });
  console.log("ingest", s.inserted, (Date.now() - t0) / 1000, "s");
  const { rows } = await db.pool.query(`SELECT path, count(*)::int n FROM patch_file GROUP BY path ORDER BY n DESC LIMIT 5`);
  console.log(rows);
  const { rows: hs } = await db.pool.query(`SELECT f.path, h.old_start, h.old_lines, h.heading FROM hunk h JOIN patch_file f ON f.id = h.file_id WHERE f.path = $1 AND h.heading <> '' ORDER BY f.id DESC LIMIT 3`, [rows[0].path]);
  for (const h of hs) {
    const diff = `--- a/${h.path}\n+++ b/${h.path}\n@@ -${h.old_start},2 +${h.old_start},2 @@ ${h.heading}\n-\tx = 1;\n+\tx = 2;\n \ty();\n`;
    for (let k = 0; k < 3; k++) {
      const r = await findRelated(db, diff, { baseUrl: "http://localhost:3000" });
      console.log(h.path, h.heading.slice(0, 50), "candidates", r.candidates, "items", r.items.length, "ms", r.tookMs, JSON.stringify(r.timings), "top", r.items[0]?.title, r.items[0]?.score, r.items[0]?.reasons.slice(0,2).map((x) => x.text));
    }
  }
  fs.writeFileSync("/tmp/h6-mmc-db.txt", db.name);
  return;
  fs.rmSync(dir, { recursive: true, force: true });
}, 1_800_000);
