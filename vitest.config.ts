import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "ingest/**/*.test.ts", "app/**/*.test.ts", "test/**/*.test.ts", "e2e/**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", ".patchlore/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // 2 cores: integration tests share one embedded server; each file gets its own database
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
