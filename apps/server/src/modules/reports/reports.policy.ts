import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";

export const reportPolicy = definePolicy<{ export: Scoped }>("report", {
  export: requires("reports.view"),
});
