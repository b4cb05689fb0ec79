import type { Permission } from "@cairn/shared";
import { Link } from "@tanstack/react-router";
import { NAVIGATION, PRIMARY_ACTIONS, allowed } from "../app/navigation";
import { useOrg } from "../app/org";
import { Badge } from "../components/ui/Badge";
import { buttonClass } from "../components/ui/Button";
import { Icon } from "../components/ui/Icon";
import { Card, PageHeader } from "../components/ui/PageHeader";
import { PageSkeleton } from "../components/ui/Skeleton";
import { useMe } from "../lib/me";
import { actionLabel, groupByArea, roleName, usePermissionCatalog } from "../lib/roles";
import type { Me } from "../lib/types";

function greeting(): string {
  const hour = new Date().getHours();
  return hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";
}

export function DashboardPage() {
  const { org, access } = useOrg();
  const me = useMe();
  const catalog = usePermissionCatalog();
  if (!me.data) return <PageSkeleton />;
  const name = me.data.profile.displayName || me.data.user.username;
  const destinations = NAVIGATION.flatMap((section) => section.items)
    .filter((item) => item.to !== "/o/$org")
    .concat(PRIMARY_ACTIONS)
    .filter((item) => allowed(item, access.can));
  const areas = groupByArea(catalog.data ?? [])
    .map((area) => ({
      ...area,
      permissions: area.permissions.filter((item) => access.can(item.codename as Permission)),
    }))
    .filter((area) => area.permissions.length > 0);
  // From /api/me: the caller's place on the developer track here, a role attribute (never a role's key).
  const isDeveloper = access.developerTrack !== null;

  return (
    <>
      <PageHeader
        title={`${greeting()}, ${name}`}
        documentTitle={org.name}
        description={
          <>
            You are in <span className="font-medium text-zinc-700">{org.name}</span>
            {access.isSuperuser ? " as the platform superuser." : "."}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {isDeveloper ? <Onboarding me={me.data} verified={access.developerTrack === "verified"} /> : null}
          <Card title="Where to go" description="Pages you can open in this organization.">
            {
              <ul className="grid gap-2 sm:grid-cols-2">
                {destinations.map((item) => (
                  <li key={item.to}>
                    <Link
                      to={item.to}
                      params={{ org: org.slug }}
                      className="flex items-center gap-3 rounded-md border border-zinc-200 px-3 py-2.5 text-sm font-medium text-zinc-800 hover:border-zinc-300 hover:bg-zinc-50"
                    >
                      <span className="flex size-7 items-center justify-center rounded-md bg-zinc-100 text-zinc-600">
                        <Icon name={item.icon} />
                      </span>
                      {item.label}
                      <Icon name="chevronRight" className="ml-auto size-4 text-zinc-400" />
                    </Link>
                  </li>
                ))}
                <li>
                  <Link
                    to="/profile"
                    className="flex items-center gap-3 rounded-md border border-zinc-200 px-3 py-2.5 text-sm font-medium text-zinc-800 hover:border-zinc-300 hover:bg-zinc-50"
                  >
                    <span className="flex size-7 items-center justify-center rounded-md bg-zinc-100 text-zinc-600">
                      <Icon name="user" />
                    </span>
                    Your profile
                    <Icon name="chevronRight" className="ml-auto size-4 text-zinc-400" />
                  </Link>
                </li>
              </ul>
            }
            <p className="mt-3 text-[13px] text-zinc-500">
              Tasks and tickets appear here as those parts of Cairn arrive.
            </p>
          </Card>
        </div>
        <div className="space-y-4">
          <Card title="Your roles">
            {access.roles.length ? (
              <ul className="flex flex-wrap gap-1.5" aria-label="Your roles">
                {access.roles.map((role) => (
                  <li key={role}>
                    <Badge tone="accent">{roleName(role)}</Badge>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">
                {access.isSuperuser
                  ? "No role here: the superuser needs none."
                  : "No role in this organization."}
              </p>
            )}
          </Card>
          <Card
            title="What you can do here"
            description={`${areas.reduce((sum, area) => sum + area.permissions.length, 0)} permissions`}
          >
            <dl className="space-y-2.5">
              {areas.map((area) => (
                <div key={area.area}>
                  <dt className="text-xs font-medium text-zinc-500">{area.label}</dt>
                  <dd>
                    <ul className="mt-1 flex flex-wrap gap-1">
                      {area.permissions.map((item) => (
                        <li key={item.codename} title={item.description}>
                          <Badge tone={access.ownOnly(item.codename as Permission) ? "amber" : "green"}>
                            {actionLabel(item.codename)}
                            {access.ownOnly(item.codename as Permission) ? " (own)" : ""}
                            <span className="sr-only">: {item.description}</span>
                          </Badge>
                        </li>
                      ))}
                    </ul>
                  </dd>
                </div>
              ))}
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}

const STEPS: { key: string; label: string }[] = [
  { key: "bio", label: "A short bio (20 characters or more)" },
  { key: "nationalId", label: "Your national id" },
  { key: "avatar", label: "A profile picture" },
  { key: "phone", label: "Your phone number" },
  { key: "phoneVerified", label: "Phone confirmed with a code" },
];

/** The developer's way to verification, as a progress bar with its steps. */
function Onboarding({ me, verified }: { me: Me; verified: boolean }) {
  const missing = new Set(me.onboarding.missing ?? []);
  if (!me.onboarding.phoneVerified) missing.add("phoneVerified");
  const done = verified ? STEPS.length : STEPS.filter((step) => !missing.has(step.key)).length;
  const percent = Math.round((done / STEPS.length) * 100);
  return (
    <Card
      title={verified ? "You are a verified developer" : "Become a verified developer"}
      description={
        verified
          ? "You can create projects and manage the tasks of your own projects."
          : "Complete your profile and confirm your phone to create projects and take on more work."
      }
      actions={
        verified ? null : (
          <Link to="/onboarding" className={buttonClass("primary", "sm")}>
            Continue verification
          </Link>
        )
      }
    >
      <div className="flex items-center gap-3">
        <div
          className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100"
          role="progressbar"
          aria-label="Verification progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div
            className="h-full rounded-full bg-emerald-500 transition-all"
            style={{ width: `${percent}%` }}
          />
        </div>
        <span className="text-[13px] font-medium text-zinc-600 tabular-nums">
          {done}/{STEPS.length}
        </span>
      </div>
      {verified ? null : (
        <ul className="mt-3 grid gap-1 sm:grid-cols-2">
          {STEPS.map((step) => {
            const complete = !missing.has(step.key);
            return (
              <li key={step.key} className="flex items-center gap-2 text-[13px]">
                <span
                  className={`flex size-4 items-center justify-center rounded-full ${complete ? "bg-emerald-500 text-white" : "border border-zinc-300"}`}
                >
                  {complete ? <Icon name="check" className="size-3" /> : null}
                </span>
                <span className={complete ? "text-zinc-500 line-through" : "text-zinc-700"}>
                  {step.label}
                </span>
                <span className="sr-only">{complete ? "(done)" : "(to do)"}</span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
