import { defineConfig } from "vitest/config";

// Unit tests of the web UI's logic (session, API client, URL state, navigation rules); the pages
// themselves are exercised in a real browser by e2e/.
export default defineConfig({
  test: {
    name: "web",
    root: import.meta.dirname,
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
