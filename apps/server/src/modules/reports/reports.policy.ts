import { definePolicy, requires } from "../../platform/access/engine.js";
import { ownsOrManages, type ProjectColumns, type ProjectSubject } from "../projects/index.js";

/**
 * A report's rows are projects the caller sees (the projects policy) in the
 * organizations where they hold reports.view; with scope `own`, their own
 * projects only (created or managed). `export` scopes the rows of a report.
 */
export const reportPolicy = definePolicy<{ export: ProjectSubject }, { export: ProjectColumns }>("report", {
  export: requires("reports.view", ownsOrManages),
});
