import { defineConfig } from "vitest/config";

// Browser tests: run by scripts/e2e.mjs against a real server (E2E_BASE_URL), one file at a time so
// the single server and its rate limits see a predictable load.
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: "forks",
    reporters: ["default"],
  },
});
