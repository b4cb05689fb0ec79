import { teamFields } from "@cairn/shared";
import { z } from "zod";
import { memberPicker } from "../../api/members";
import { teamsApi, type Team } from "../../api/teams";
import { useOrg } from "../../app/org";
import { PickerField } from "../../components/AsyncCombobox";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { TextField, TextAreaField } from "../../components/ui/Field";
import { blankOr } from "../../lib/fields";
import { useForm } from "../../lib/form";

/** The team fields of POST/PATCH /api/teams, as the inputs hold them: no manager is null. */
const teamInput = z.object({
  name: teamFields.name,
  description: teamFields.description,
  managerId: blankOr(teamFields.managerId.unwrap()),
});

/** Create (team null) or edit a team; the manager is chosen only by those allowed to assign one. */
export function TeamDialog({
  open,
  team,
  onClose,
  onSaved,
}: {
  open: boolean;
  team: Team | null;
  onClose: () => void;
  onSaved: (team: Team, created: boolean) => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={team ? `Edit ${team.name}` : "New team"}>
      <TeamForm team={team} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

function TeamForm({
  team,
  onClose,
  onSaved,
}: {
  team: Team | null;
  onClose: () => void;
  onSaved: (team: Team, created: boolean) => void;
}) {
  const { org, access } = useOrg();
  // Creating: teams.manage over all teams (an admin) may name another manager; editing: assignManager.
  const assignManager = team
    ? team.allowedActions.includes("assignManager")
    : access.can("teams.manage") && !access.ownOnly("teams.manage");
  // Choosing among the project managers needs members.view to search them.
  const pickManager = assignManager && access.can("members.view");
  const form = useForm({
    schema: teamInput,
    initial: {
      name: team?.name ?? "",
      description: team?.description ?? "",
      managerId: team?.managerId ?? "",
    },
    onSubmit: async (values) => {
      const body = {
        name: values.name,
        description: values.description,
        ...(assignManager ? { managerId: values.managerId || null } : {}),
      };
      const saved = team
        ? await teamsApi.update(team.id, body)
        : await teamsApi.create({
            orgId: org.id,
            ...body,
            managerId: assignManager ? values.managerId || undefined : undefined,
          });
      onSaved(saved, !team);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel={team ? "Save team" : "Create team"}>
      <TextField form={form} name="name" label="Name" autoFocus autoComplete="off" />
      <TextAreaField form={form} name="description" label="Description" aside="Optional" rows={3} />
      {pickManager ? (
        <PickerField
          form={form}
          name="managerId"
          label="Manager"
          hint={team ? undefined : "You, when left empty."}
          source={memberPicker(org.slug, { permission: "teams.manage" })}
          selectedLabel={team?.manager ? `@${team.manager.username}` : undefined}
          clearLabel={team ? "No manager" : "Me"}
        />
      ) : null}
    </DialogForm>
  );
}
