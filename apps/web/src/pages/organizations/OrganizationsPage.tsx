import { email, username } from "@cairn/shared";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { z } from "zod";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Checkbox, Field, Input } from "../../components/ui/Field";
import { EmptyState } from "../../components/ui/EmptyState";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api, type Page } from "../../lib/api";
import { useForm } from "../../lib/form";
import { DEFAULT_PAGE_SIZE, compact, parseListSearch, type ListSearch } from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import type { Organization } from "../../lib/types";
import { formatDate } from "../projects/model";

export type OrganizationsSearch = ListSearch;

export function validateOrganizationsSearch(raw: Record<string, unknown>): OrganizationsSearch {
  return compact(parseListSearch(raw, []));
}

const route = getRouteApi("/app/o/$org/organizations");

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
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = { page, pageSize, search: search.search };
  const orgs = useQuery({
    queryKey: ["orgs", "list", query],
    queryFn: ({ signal }) => api<Page<Organization>>("/api/orgs", { query, signal }),
    placeholderData: keepPreviousData,
  });
  const update = listUpdater<OrganizationsSearch>(navigate);

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
      cell: (org) =>
        org.openRegistration ? <Badge tone="green">Open</Badge> : <Badge>Invitation only</Badge>,
    },
    {
      key: "createdAt",
      header: "Created",
      hideBelow: "sm",
      cell: (org) => <span className="text-zinc-600 tabular-nums">{formatDate(org.createdAt)}</span>,
    },
  ];

  return (
    <>
      <PageHeader
        title="Organizations"
        description="Every organization on this installation."
        actions={
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
            New organization
          </Button>
        }
      />
      <div className="mb-3">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search organizations"
          placeholder="Search by name or slug…"
        />
      </div>
      <DataTable
        label="Organizations"
        columns={columns}
        rowKey={(org) => org.id}
        {...listTableProps(orgs, search, update)}
        empty={<EmptyState icon="search" title="No organization matches" />}
      />
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
            void queryClient.invalidateQueries({ queryKey: ["orgs"] });
          }}
        />
      </Dialog>
    </>
  );
}

const createInput = z.object({
  name: z.string().trim().min(2, "At least 2 characters.").max(120),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Lowercase letters, digits and dashes, up to 40."),
  openRegistration: z.boolean(),
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
      const org = await api<Organization>("/api/orgs", {
        method: "POST",
        body: {
          name: values.name,
          slug: values.slug,
          openRegistration: values.openRegistration,
          admin: { email: values.adminEmail, username: values.adminUsername },
        },
      });
      onCreated(org, values.adminUsername);
      onClose();
    },
  });
  return (
    <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className="space-y-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={form.errors.name}>
          {(props) => (
            <Input
              {...props}
              {...form.input("name")}

              autoFocus
              onChange={(event) => {
                const previous = form.values.name;
                form.setValue("name", event.target.value);
                if (!form.values.slug || form.values.slug === slugify(previous))
                  form.setValue("slug", slugify(event.target.value));
              }}
            />
          )}
        </Field>
        <Field label="Slug" error={form.errors.slug} hint="In addresses: /o/slug">
          {(props) => <Input {...props} {...form.input("slug")} spellCheck={false} />}
        </Field>
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
          <Field label="Email" error={form.errors.adminEmail}>
            {(props) => <Input {...props} {...form.input("adminEmail")} type="email" autoComplete="off" />}
          </Field>
          <Field label="Username" error={form.errors.adminUsername}>
            {(props) => (
              <Input {...props} {...form.input("adminUsername")} autoComplete="off" spellCheck={false} />
            )}
          </Field>
        </div>
      </fieldset>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={form.submitting}>
          Create organization
        </Button>
      </DialogFooter>
    </form>
  );
}
