import { DEVELOPER_TRACKS, roleFields, type DeveloperTrack } from "@cairn/shared";
import { useState } from "react";
import { z } from "zod";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { SelectField, TextField, TextAreaField, Form } from "../../components/ui/Field";
import { Icon } from "../../components/ui/Icon";
import { rolesApi } from "../../api/roles";
import { useForm } from "../../lib/form";
import { groupByArea } from "../../lib/roles";
import type { OrgSummary, PermissionInfo, Role } from "../../lib/types";

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
  onClose,
  onSaved,
}: {
  mode: RoleDialogMode;
  role: Role | null;
  open: boolean;
  org: OrgSummary;
  catalog: PermissionInfo[];
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
  onClose,
  onSaved,
}: {
  mode: RoleDialogMode;
  role: Role | null;
  org: OrgSummary;
  catalog: PermissionInfo[];
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
    },
    onSubmit: async (values) => {
      const body = {
        name: values.name,
        description: values.description,
        permissions: values.permissions,
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
  const selected = new Set(form.values.permissions);
  const own = new Set(role?.ownScoped ?? []);
  const setPermissions = (next: Set<string>) =>
    form.setValue(
      "permissions",
      catalog.map((item) => item.codename).filter((codename) => next.has(codename)),
    );

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
      <fieldset>
        <legend className="mb-2 flex w-full items-baseline justify-between text-[13px] font-medium text-zinc-800">
          Permissions
          <span className="font-normal text-zinc-500">
            {selected.size} of {catalog.length}
          </span>
        </legend>
        {form.errors.permissions ? (
          <p className="mb-2 text-[13px] text-red-600">{form.errors.permissions}</p>
        ) : null}
        <div className="grid gap-3 md:grid-cols-2">
          {groupByArea(catalog).map((area) => {
            const codenames = area.permissions.map((item) => item.codename);
            const all = codenames.every((codename) => selected.has(codename));
            const some = codenames.some((codename) => selected.has(codename));
            return (
              <div key={area.area} className="rounded-md border border-zinc-200">
                <div className="flex items-center justify-between border-b border-zinc-100 bg-zinc-50/70 px-3 py-1.5">
                  <span className="text-xs font-semibold tracking-wide text-zinc-600">{area.label}</span>
                  {readOnly ? null : (
                    <label className="flex items-center gap-1.5 text-xs text-zinc-600">
                      <input
                        type="checkbox"
                        className="size-3.5 accent-accent-600"
                        checked={all}
                        ref={(element) => {
                          if (element) element.indeterminate = some && !all;
                        }}
                        onChange={(event) => {
                          const next = new Set(selected);
                          for (const codename of codenames) {
                            if (event.target.checked) next.add(codename);
                            else next.delete(codename);
                          }
                          setPermissions(next);
                        }}
                        aria-label={`All ${area.label} permissions`}
                      />
                      All
                    </label>
                  )}
                </div>
                <ul className="space-y-1.5 px-3 py-2">
                  {area.permissions.map((item) => {
                    const granted = selected.has(item.codename);
                    const ownBadge =
                      own.has(item.codename) && granted ? (
                        <span className="ml-1.5 rounded bg-amber-50 px-1 text-[11px] text-amber-800 ring-1 ring-amber-200">
                          own only
                        </span>
                      ) : null;
                    if (readOnly) {
                      return (
                        <li key={item.codename} className="flex items-start gap-2 text-[13px]">
                          {granted ? (
                            <Icon name="check" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
                          ) : (
                            <Icon name="x" className="mt-0.5 size-4 shrink-0 text-zinc-300" />
                          )}
                          <span className="min-w-0">
                            <span className={granted ? "text-zinc-800" : "text-zinc-500"}>
                              {item.description}
                            </span>
                            {ownBadge}
                            <span className="sr-only">{granted ? " (granted)" : " (not granted)"}</span>{" "}
                            <code className="block text-[11px] text-zinc-500">{item.codename}</code>
                          </span>
                        </li>
                      );
                    }
                    return (
                      <li key={item.codename}>
                        <label className="flex items-start gap-2 text-[13px]">
                          <input
                            type="checkbox"
                            name="permissions"
                            value={item.codename}
                            className="mt-0.5 size-4 shrink-0 accent-accent-600"
                            checked={granted}
                            onChange={(event) => {
                              const next = new Set(selected);
                              if (event.target.checked) next.add(item.codename);
                              else next.delete(item.codename);
                              setPermissions(next);
                            }}
                          />
                          <span className="min-w-0">
                            <span className="text-zinc-800">{item.description}</span>
                            {ownBadge}{" "}
                            <code className="block text-[11px] text-zinc-500">{item.codename}</code>
                          </span>
                        </label>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </div>
      </fieldset>
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
