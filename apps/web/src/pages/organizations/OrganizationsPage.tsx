import { email, organizationFields, username } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { organizationKeys, organizationsApi } from "../../api/organizations";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineList } from "../../components/ListPage";
import { Badge } from "../../components/ui/Badge";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { Checkbox, TextField } from "../../components/ui/Field";
import { EmptyState } from "../../components/ui/EmptyState";
import { useToast } from "../../components/ui/Toast";
import { useForm } from "../../lib/form";
import type { Organization } from "../../lib/types";
import { formatDate } from "../projects/model";

export const organizationsList = defineList({
  orderings: [],
  query: ({ page, pageSize, search }) => {
    const query = { page, pageSize, search };
    return {
      queryKey: organizationKeys.list(query),
      queryFn: ({ signal }) => organizationsApi.list(query, signal),
    };
  },
  rowKey: (org: Organization) => org.id,
  label: "Organizations",
  description: () => "Every organization on this installation.",
  emptyHint: () => "Create the first organization with its first administrator.",
  searchPlaceholder: "Search by name or slug…",
  empty: { icon: "home", title: "No organizations yet" },
  noMatch: { title: "No organization matches", hint: "Try another name or slug." },
});

const columns: Column<Organization>[] = [
  {
    key: "name",
    header: "Organization",
    cell: (org) => (
      <div className="min-w-0">
        <Link
          to="/o/$org"
          params={{ org: org.slug }}
          className="font-medium text-zinc-900 hover:text-accent-700 hover:underline"
        >
          {org.name}
        </Link>
        <p className="truncate font-mono text-xs text-zinc-500">{org.slug}</p>
      </div>
    ),
  },
  {
    key: "registration",
    header: "Registration",
    cell: (org) => (org.openRegistration ? <Badge tone="green">Open</Badge> : <Badge>Invitation only</Badge>),
  },
  {
    key: "createdAt",
    header: "Created",
    hideBelow: "sm",
    cell: (org) => <span className="text-zinc-600 tabular-nums">{formatDate(org.createdAt)}</span>,
  },
];

/** The superuser's list of every organization (GET /api/orgs), and creating one with its first admin. */
export function OrganizationsPage() {
  const { access } = useOrg();
  if (!access.isSuperuser)
    return (
      <div className="rounded-lg border border-zinc-200 bg-white">
        <EmptyState icon="lock" title="Only the platform superuser manages organizations">
          Ask the person who runs this Cairn installation to create an organization.
        </EmptyState>
      </div>
    );
  return <Organizations />;
}

function Organizations() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  return (
    <ListPage
      list={organizationsList}
      columns={columns}
      action={{ label: "New organization", onClick: () => setCreating(true) }}
    >
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        size="lg"
        title="New organization"
        description="It starts with the default roles. Its first administrator receives an email to set a password."
      >
        <CreateOrganizationForm
          onClose={() => setCreating(false)}
          onCreated={(org, admin) => {
            toast.success(
              admin ? `${org.name} is created; ${admin} is its administrator.` : `${org.name} is created.`,
            );
            void queryClient.invalidateQueries({ queryKey: organizationKeys.all });
          }}
        />
      </Dialog>
    </ListPage>
  );
}

/** POST /api/orgs as the dialog holds it: the first admin's fields side by side with the organization's. */
const createInput = z.object({
  name: organizationFields.name,
  slug: organizationFields.slug,
  openRegistration: organizationFields.openRegistration,
  adminEmail: email,
  adminUsername: username,
});

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

function CreateOrganizationForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (org: Organization, admin: string | null) => void;
}) {
  const form = useForm({
    schema: createInput,
    initial: { name: "", slug: "", openRegistration: false, adminEmail: "", adminUsername: "" },
    // The server names the admin's fields `admin.email` and `admin.username`.
    fieldAliases: { "admin.email": "adminEmail", "admin.username": "adminUsername" },
    onSubmit: async (values) => {
      // One transaction on the server: the organization, its default roles and its first admin.
      const org = await organizationsApi.create({
        name: values.name,
        slug: values.slug,
        openRegistration: values.openRegistration,
        admin: { email: values.adminEmail, username: values.adminUsername },
      });
      onCreated(org, values.adminUsername);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel="Create organization">
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          form={form}
          name="name"
          label="Name"
          autoFocus
          onChange={(event) => {
            const previous = form.values.name;
            form.setValue("name", event.target.value);
            if (!form.values.slug || form.values.slug === slugify(previous))
              form.setValue("slug", slugify(event.target.value));
          }}
        />
        <TextField form={form} name="slug" label="Slug" hint="In addresses: /o/slug" spellCheck={false} />
      </div>
      <Checkbox
        label="Open to self-registration"
        description="New sign-ups land here. Only one organization is open at a time."
        checked={form.values.openRegistration}

        onChange={(event) => form.setValue("openRegistration", event.target.checked)}
      />
      <fieldset className="space-y-3 rounded-md border border-zinc-200 p-3">
        <legend className="px-1 text-[13px] font-medium text-zinc-800">First administrator</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField form={form} name="adminEmail" label="Email" type="email" autoComplete="off" />
          <TextField
            form={form}
            name="adminUsername"
            label="Username"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      </fieldset>
    </DialogForm>
  );
}
