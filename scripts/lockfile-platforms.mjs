#!/usr/bin/env node
// The registry this project is built against does not carry Next's macOS and Windows compiler
// packages, so `npm install` leaves them out of package-lock.json, and `npm ci` then refuses the
// lock ("Missing: @next/swc-darwin-arm64@ from lock file"). They are optional and never installed
// on Linux; listing them with their os/cpu lets `npm ci` skip them. Idempotent; run by postinstall.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const lockPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
if (!fs.existsSync(lockPath)) process.exit(0);
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const next = lock.packages?.["node_modules/next"];
const optional = next?.optionalDependencies ?? {};
const PLATFORM = /^@next\/swc-(darwin|win32|linux)-(arm64|x64)/;
let added = 0;
for (const [name, version] of Object.entries(optional)) {
  const key = `node_modules/${name}`;
  const m = PLATFORM.exec(name);
  if (!m || lock.packages[key]) continue;
  lock.packages[key] = { version, cpu: [m[2]], license: "MIT", optional: true, os: [m[1]], engines: { node: ">= 10" } };
  added++;
}
if (added) {
  const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
  lock.packages = sorted;
  fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
  console.log(`package-lock.json: listed ${added} optional platform package(s) npm left out`);
}
