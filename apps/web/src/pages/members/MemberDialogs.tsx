import { addMemberInput, memberRoleKeys } from "@cairn/shared";
import { z } from "zod";
import { membersApi } from "../../api/members";
import { Checkbox, TextField } from "../../components/ui/Field";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { useForm } from "../../lib/form";
import type { Member, OrgSummary, Role } from "../../lib/types";

/**
 * PATCH /api/orgs/{org}/members/{userId} with the roles only. The API takes an empty set; this dialog
 * does not, since deactivating is how a member loses all access.
 */
const editRolesInput = z.object({
  roles: memberRoleKeys.min(
    1,
    "Keep at least one role. To remove all access, deactivate the member instead.",
  ),
});

/** The roles to hold, as checkboxes bound to the form's `roles`. */
function RoleCheckboxes({
  roles,
  form,
  name = "roles",
}: {
  roles: Role[];
  form: {
    values: { roles: string[] };
    setValue: (name: "roles", value: string[]) => void;
    errors: { roles?: string | undefined };
  };
  name?: string;
}) {
  const value = form.values.roles;
  const onChange = (next: string[]) => form.setValue("roles", next);
  const error = form.errors.roles;
  return (
    <fieldset aria-describedby={error ? "roles-error" : undefined}>
      <legend className="mb-2 text-[13px] font-medium text-zinc-800">Roles</legend>
      <div className="grid gap-2.5 sm:grid-cols-2">
        {roles.map((role) => (
          <Checkbox
            key={role.key}
            name={name}
            value={role.key}
            label={role.name}
            description={role.description}
            checked={value.includes(role.key)}
            onChange={(event) =>
              onChange(event.target.checked ? [...value, role.key] : value.filter((key) => key !== role.key))
            }
          />
        ))}
      </div>
      {error ? (
        <p id="roles-error" className="mt-2 text-[13px] text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** What the member dialogs work with: the organization, its roles, and closing. */
type MemberDialogProps = { org: OrgSummary; roles: Role[]; onClose: () => void };

export function AddMemberDialog({
  open,
  ...props
}: MemberDialogProps & { open: boolean; onAdded: (member: Member) => void }) {
  return (
    <Dialog
      open={open}
      onClose={props.onClose}
      size="lg"
      title="Add member"
      description={`A new person receives an email to set their password; someone who already has a Cairn account is added to ${props.org.name}.`}
    >
      <AddMemberForm {...props} />
    </Dialog>
  );
}

function AddMemberForm({
  org,
  roles,
  onClose,
  onAdded,
}: MemberDialogProps & { onAdded: (member: Member) => void }) {
  const form = useForm({
    schema: addMemberInput,
    initial: { email: "", username: "", roles: [] as string[] },
    onSubmit: async (values) => {
      const member = await membersApi.add(org.slug, values);
      onAdded(member);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel="Add member">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField form={form} name="email" label="Email" type="email" autoComplete="off" autoFocus />
        <TextField form={form} name="username" label="Username" autoComplete="off" spellCheck={false} />
      </div>
      <RoleCheckboxes roles={roles} form={form} />
    </DialogForm>
  );
}

export function EditRolesDialog({
  member,
  ...props
}: MemberDialogProps & { member: Member | null; onSaved: (member: Member) => void }) {
  return (
    <Dialog
      open={member !== null}
      onClose={props.onClose}
      size="lg"
      title={member ? `Roles of ${member.profile.displayName || member.user.username}` : "Roles"}
      description="Permissions are the union of the roles' permissions. The change applies at once."
    >
      {member ? <EditRolesForm member={member} {...props} /> : null}
    </Dialog>
  );
}

function EditRolesForm({
  member,
  org,
  roles,
  onClose,
  onSaved,
}: MemberDialogProps & { member: Member; onSaved: (member: Member) => void }) {
  const form = useForm({
    schema: editRolesInput,
    initial: { roles: member.roles },
    onSubmit: async (values) => {
      const saved = await membersApi.update(org.slug, member.user.id, values);
      onSaved(saved);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel="Save roles">
      <RoleCheckboxes roles={roles} form={form} />
    </DialogForm>
  );
}
