import { DEVELOPER_TRACKS, roleFields, type DeveloperTrack } from "@cairn/shared";
import { useState } from "react";
import { z } from "zod";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { SelectField, TextField, TextAreaField, Form } from "../../components/ui/Field";
import { rolesApi } from "../../api/roles";
import { useForm } from "../../lib/form";
import type { OrgSummary, PermissionInfo, Role } from "../../lib/types";
import { RolePermissions, type Grants } from "./RolePermissions";

export type RoleDialogMode = "create" | "edit" | "view";

/** POST/PATCH /api/orgs/{org}/roles as the inputs hold them: the project limit as typed, empty for none. */
const roleForm = z.object({
  key: roleFields.key,
  name: roleFields.name,
  description: roleFields.description,
  projectLimit: z
    .string()
    .trim()
    .regex(/^\d{0,4}$/, "A whole number, or empty for no limit.")
    .transform((value) => (value === "" ? null : Number(value)))
    .pipe(roleFields.projectLimit),
  developerTrack: z
    .enum(["", ...DEVELOPER_TRACKS])
    .transform((value): DeveloperTrack | null => (value === "" ? null : value)),
  permissions: roleFields.permissions,
  ownScoped: roleFields.ownScoped,
});

/** The developer track, in words: what holding such a role means for onboarding and the directory. */
const TRACK_LABELS: Record<DeveloperTrack | "", string> = {
  "": "Not a developer role",
  unverified: "Developer, not yet verified",
  verified: "Verified developer",
};
const trackOptions = (["", ...DEVELOPER_TRACKS] as const).map((value) => ({
  value,
  label: TRACK_LABELS[value],
}));

function keyFromName(name: string): string {
  const key = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 40);
  return key;
}

export function RoleDialog({
  mode,
  role,
  open,
  org,
  catalog,
  roles,
  onClose,
  onSaved,
}: {
  mode: RoleDialogMode;
  role: Role | null;
  open: boolean;
  org: OrgSummary;
  catalog: PermissionInfo[];
  /** The organization's roles, to start a new one from. */
  roles?: Role[] | undefined;
  onClose: () => void;
  onSaved: (role: Role, created: boolean) => void;
}) {
  const title =
    mode === "create"
      ? "New role"
      : mode === "edit"
        ? `Edit ${role?.name ?? "role"}`
        : (role?.name ?? "Role");
  const description =
    mode === "create"
      ? "A custom role: choose what its holders may do in this organization."
      : role?.isSystem
        ? "A system role: its permissions are the defaults of every organization and cannot be changed here."
        : mode === "view"
          ? "Editing roles needs the roles.manage permission."
          : role?.description;
  return (
    <Dialog open={open} onClose={onClose} size="xl" title={title} description={description}>
      <RoleForm
        key={`${mode}:${role?.key ?? ""}`}
        mode={mode}
        role={role}
        org={org}
        catalog={catalog}
        roles={roles}
        onClose={onClose}
        onSaved={onSaved}
      />
    </Dialog>
  );
}

function RoleForm({
  mode,
  role,
  org,
  catalog,
  roles,
  onClose,
  onSaved,
}: {
  mode: RoleDialogMode;
  role: Role | null;
  org: OrgSummary;
  catalog: PermissionInfo[];
  roles?: Role[] | undefined;
  onClose: () => void;
  onSaved: (role: Role, created: boolean) => void;
}) {
  const readOnly = mode === "view";
  const [keyTouched, setKeyTouched] = useState(mode !== "create");
  const form = useForm({
    schema: roleForm,
    initial: {
      key: role?.key ?? "",
      name: role?.name ?? "",
      description: role?.description ?? "",
      projectLimit:
        role?.projectLimit === null || role?.projectLimit === undefined ? "" : String(role.projectLimit),
      developerTrack: role?.developerTrack ?? "",
      permissions: role?.permissions ?? [],
      ownScoped: role?.ownScoped ?? [],
    },
    onSubmit: async (values) => {
      const body = {
        name: values.name,
        description: values.description,
        permissions: values.permissions,
        ownScoped: values.ownScoped,
        projectLimit: values.projectLimit,
        developerTrack: values.developerTrack,
      };
      const saved =
        mode === "create"
          ? await rolesApi.create(org.slug, { key: values.key, ...body })
          : await rolesApi.update(org.slug, values.key, body);
      onSaved(saved, mode === "create");
      onClose();
    },
  });
  const setGrants = ({ permissions, ownScoped }: Grants) =>
    form.setValues((current) => ({ ...current, permissions, ownScoped }));
  // A new role may start as a copy of another's grants, own scopes included.
  const [startedFrom, setStartedFrom] = useState<string | undefined>(undefined);

  return (
    <Form form={form} className="space-y-5">
      {readOnly && role ? (
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-[13px]">
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">Key</dt>
            <dd className="font-mono text-zinc-800">{role.key}</dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">Project limit</dt>
            <dd className="text-zinc-800">{role.projectLimit ?? "No limit"}</dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500">Developer track</dt>
            <dd className="text-zinc-800">{TRACK_LABELS[role.developerTrack ?? ""]}</dd>
          </div>
          {role.isSystem ? null : (
            <div className="flex gap-1.5">
              <dt className="text-zinc-500">Description</dt>
              <dd className="text-zinc-800">{role.description || "—"}</dd>
            </div>
          )}
        </dl>
      ) : null}
      {readOnly ? null : (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            form={form}
            name="name"
            label="Name"
            onChange={(event) => {
              form.setValue("name", event.target.value);
              if (!keyTouched) form.setValue("key", keyFromName(event.target.value));
            }}
            autoFocus
          />
          <TextField
            form={form}
            name="key"
            label="Key"
            hint={mode === "create" ? "Used by the API and in links; cannot change later." : "Cannot change."}
            onChange={(event) => {
              setKeyTouched(true);
              form.setValue("key", event.target.value);
            }}
            disabled={mode !== "create"}
            inputClassName="font-mono"
            spellCheck={false}
          />
          <TextAreaField
            form={form}
            name="description"
            label="Description"
            className="sm:col-span-2"
            rows={2}
          />
          <TextField
            form={form}
            name="projectLimit"
            label="Project limit"
            hint="How many projects a holder may belong to. Empty: no limit."
            inputMode="numeric"
            placeholder="No limit"
          />
          <SelectField
            form={form}
            name="developerTrack"
            label="Developer track"
            hint="Holders are listed as developers; onboarding promotes unverified ones to the verified developer role."
            options={trackOptions}
          />
        </div>
      )}
      {mode === "create" && roles?.length ? (
        <label className="flex flex-wrap items-center gap-2 text-[13px] text-zinc-700">
          Start from the permissions of
          <select
            value={startedFrom ?? ""}
            onChange={(event) => {
              const model = roles.find((candidate) => candidate.key === event.target.value);
              setStartedFrom(model?.key);
              setGrants(model ?? { permissions: [], ownScoped: [] });
            }}
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm shadow-xs"
          >
            <option value="">no role (nothing granted)</option>
            {roles.map((candidate) => (
              <option key={candidate.key} value={candidate.key}>
                {candidate.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <RolePermissions
        catalog={catalog}
        grants={{ permissions: form.values.permissions, ownScoped: form.values.ownScoped }}
        onChange={readOnly ? undefined : setGrants}
        error={form.errors.permissions ?? form.errors.ownScoped}
      />
      <DialogFooter>
        {readOnly ? (
          <Button onClick={onClose}>Close</Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" loading={form.submitting}>
              {mode === "create" ? "Create role" : "Save role"}
            </Button>
          </>
        )}
      </DialogFooter>
    </Form>
  );
}
