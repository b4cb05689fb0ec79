import { defineConfig } from "drizzle-kit";

// The tables are the modules' own (`*.table.ts` beside each feature) and the platform's audit log:
// a new module's tables are picked up without editing anything here.
export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/platform/**/*.table.ts", "./src/modules/**/*.table.ts"],
  out: "./migrations",
  casing: "snake_case",
});
