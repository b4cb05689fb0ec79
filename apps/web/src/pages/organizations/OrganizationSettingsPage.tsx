import { organizationFields } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { z } from "zod";
import { organizationKeys, organizationQuery, organizationsApi } from "../../api/organizations";
import { useOrg } from "../../app/org";
import { Loaded } from "../../components/Loaded";
import { Button, buttonClass } from "../../components/ui/Button";
import { TextField, Form } from "../../components/ui/Field";
import { Icon } from "../../components/ui/Icon";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { useForm } from "../../lib/form";
import { meKey } from "../../lib/me";
import type { Organization } from "../../lib/types";

const orgInput = z.object({ name: organizationFields.name });

/** GET/PATCH /api/orgs/{org}: the organization's name, and the way to its members and roles. */
export function OrganizationSettingsPage() {
  const { org } = useOrg();
  return (
    <Loaded query={organizationQuery(org.slug)} what="organization">
      {(data) => <Settings organization={data} />}
    </Loaded>
  );
}

function Settings({ organization }: { organization: Organization }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  // The server lets roles.manage rename the organization (orgs.policy.ts).
  const canRename = access.can("roles.manage");
  const form = useForm({
    schema: orgInput,
    initial: { name: organization.name },
    onSubmit: async (values) => {
      const saved = await organizationsApi.update(org.slug, values);
      queryClient.setQueryData(organizationKeys.detail(org.slug), saved);
      void queryClient.invalidateQueries({ queryKey: meKey });
      void queryClient.invalidateQueries({ queryKey: organizationKeys.all });
      toast.success(`The organization is now called ${saved.name}.`);
    },
  });
  return (
    <>
      <PageHeader
        title="Organization"
        description={`Settings of ${organization.name}.`}
        actions={
          access.isSuperuser ? (
            <Link to="/o/$org/organizations" params={{ org: org.slug }} className={buttonClass("secondary")}>
              All organizations
            </Link>
          ) : null
        }
      />
      <div className="grid max-w-4xl gap-4 md:grid-cols-[minmax(0,1fr)_18rem]">
        <Card title="General">
          <Form form={form}>
            <TextField form={form} name="name" label="Name" disabled={!canRename} />
            <dl className="grid grid-cols-2 gap-3 text-sm">
              <div>
                <dt className="text-xs text-zinc-500">Address</dt>
                <dd className="font-mono text-[13px] text-zinc-800">/o/{organization.slug}</dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">Registration</dt>
                <dd className="text-zinc-800">
                  {organization.openRegistration ? "Open to self-registration" : "By invitation"}
                </dd>
              </div>
            </dl>
            {canRename ? (
              <div className="flex justify-end">
                <Button type="submit" variant="primary" loading={form.submitting}>
                  Save
                </Button>
              </div>
            ) : (
              <p className="text-[13px] text-zinc-500">Only administrators rename the organization.</p>
            )}
          </Form>
        </Card>
        <Card title="People and access">
          <ul className="space-y-1 text-sm">
            {(
              [
                { to: "/o/$org/members", icon: "users", label: "Members", shown: access.can("members.view") },
                {
                  to: "/o/$org/roles",
                  icon: "shield",
                  label: "Roles and permissions",
                  shown: access.can("members.view"),
                },
                { to: "/o/$org/teams", icon: "users", label: "Teams", shown: true },
              ] as const
            )
              .filter((link) => link.shown)
              .map((link) => (
                <li key={link.to}>
                  <Link
                    to={link.to}
                    params={{ org: org.slug }}
                    className="flex items-center gap-2 rounded-md px-2 py-1.5 text-zinc-800 hover:bg-zinc-100"
                  >
                    <Icon name={link.icon} className="size-4 text-zinc-500" />
                    {link.label}
                  </Link>
                </li>
              ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
