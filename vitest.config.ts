import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "ingest/**/*.test.ts", "app/**/*.test.ts", "test/**/*.test.ts", "e2e/**/*.test.ts"],
    // the kill -9 runs over a real archive take minutes: `npm run test:faults` (CI runs both)
    exclude: ["node_modules/**", ".next/**", ".patchlore/**", ...(process.env.PATCHLORE_FAULTS ? [] : ["test/faults.test.ts"])],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // 2 cores: integration tests share one embedded server; each file gets its own database
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
