import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";

/** The developer directory: every default role may browse it (developers.view). */
export const developerPolicy = definePolicy<{ list: Scoped; view: Scoped }>("developer", {
  list: requires("developers.view"),
  view: requires("developers.view"),
});

/**
 * Any member's full profile (national id, phone, date of birth included):
 * holders of profiles.view_any / profiles.change_any in an organization the
 * member belongs to. The owner uses /api/me instead.
 */
export const profilePolicy = definePolicy<{ view: Scoped; change: Scoped }>("user", {
  view: requires("profiles.view_any"),
  change: requires("profiles.change_any"),
});
