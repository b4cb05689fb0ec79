import { z } from "zod";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Field, Input, Select, Textarea } from "../../components/ui/Field";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { personLabel, useMemberOptions, type Team } from "../projects/model";

const teamInput = z.object({
  name: z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
  description: z.string().trim().max(1000),
  managerId: z.string(),
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
  const managers = useMemberOptions(org.slug, assignManager && access.can("members.view"), "project_manager");
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
        ? await api<Team>(`/api/teams/${team.id}`, { method: "PATCH", body })
        : await api<Team>("/api/teams", {
            method: "POST",
            body: {
              orgId: org.id,
              ...body,
              managerId: assignManager ? values.managerId || undefined : undefined,
            },
          });
      onSaved(saved, !team);
      onClose();
    },
  });
  const options = [...(managers.data ?? [])];
  if (team?.manager && !options.some((person) => person.id === team.manager?.id))
    options.unshift({ id: team.manager.id, username: team.manager.username, displayName: "" });
  return (
    <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className="space-y-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <Field label="Name" error={form.errors.name}>
        {(props) => <Input {...props} {...form.input("name")} autoFocus autoComplete="off" />}
      </Field>
      <Field label="Description" error={form.errors.description} aside="Optional">
        {(props) => <Textarea {...props} {...form.input("description")} rows={3} />}
      </Field>
      {assignManager ? (
        <Field
          label="Manager"
          error={form.errors.managerId}
          hint={team ? undefined : "You, when left empty."}
        >
          {(props) => (
            <Select {...props} {...form.input("managerId")}>
              <option value="">{team ? "No manager" : "Me"}</option>
              {options.map((person) => (
                <option key={person.id} value={person.id}>
                  {personLabel(person)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      ) : null}
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={form.submitting}>
          {team ? "Save team" : "Create team"}
        </Button>
      </DialogFooter>
    </form>
  );
}
