import { developerPicker } from "../../api/developers";
import { memberPicker } from "../../api/members";
import type { PickerSource } from "../../api/picker";
import type { Access } from "../../lib/me";

/**
 * Whom the caller can look up to give a task to: members who may work on tasks (members.view),
 * else the developer directory (developers.view), else nobody (the field is left out).
 */
export function peopleSource(org: string, access: Access): PickerSource | null {
  if (access.can("members.view")) return memberPicker(org, { permission: "tasks.view_assigned" });
  if (access.can("developers.view")) return developerPicker(org);
  return null;
}
