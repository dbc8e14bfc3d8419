// Migrations are applied with Prisma's own `prisma migrate deploy` (prisma/migrations is the one
// source of truth); the schema-engine stand-in in scripts/ makes it work without the native binary.
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export function projectRoot(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("../../package.json"));
}

export async function prismaCli(args: string[], databaseUrl: string): Promise<{ stdout: string; stderr: string }> {
  const root = projectRoot();
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  try {
    return await run(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`prisma ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? err.message}`);
  }
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  await prismaCli(["migrate", "deploy"], databaseUrl);
}
