import { defineConfig } from "vitest/config";

// The unit and integration suites of every workspace; browser tests have their own config (e2e/).
export default defineConfig({
  test: {
    projects: ["apps/server/vitest.config.ts", "packages/shared/vitest.config.ts", "apps/web/vitest.config.ts"],
  },
});
