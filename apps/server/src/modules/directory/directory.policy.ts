import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";
import type { OrgColumns } from "../../platform/access/scope.js";

/**
 * The developer directory: every default role may browse it (developers.view).
 * A developer is seen through one of their memberships: `view` is about the
 * organization, and scopes the directory's lists by the membership's column.
 */
export const developerPolicy = definePolicy<{ view: Scoped }, { view: OrgColumns }>("developer", {
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
