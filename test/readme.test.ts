// The README documents every API route and CLI command; this keeps them in step with the code.
import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { API_ROUTES } from "../lib/api/router";
import { API_WRITE_ROUTES } from "../lib/api/writes";
import { buildProgram } from "../ingest/cli";
import { projectRoot } from "../ingest/postgres/migrate";

const readme = fs.readFileSync(path.join(projectRoot(), "README.md"), "utf8");

describe("README", () => {
  it("documents every /api/ route", () => {
    for (const r of API_ROUTES) expect(readme, r.pattern).toContain("`" + r.pattern.split("?")[0]);
  });
  it("documents every API write and its scope", () => {
    for (const r of API_WRITE_ROUTES) expect(readme, r.pattern).toContain(`| \`${r.method} ${r.pattern}\` | \`${r.scope}\` |`);
  });
    it("documents every CLI command", () => {
    for (const c of buildProgram().commands) expect(readme, c.name()).toContain(`patchlore ${c.name()}`);
  });
  it("shows the two commands a new user needs", () => {
    expect(readme).toContain("npm install && npm start");
    expect(readme).toContain("npm test");
  });
});
