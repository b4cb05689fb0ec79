import { useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { developerKeys, developersApi } from "../../api/developers";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { EmptyState } from "../../components/ui/EmptyState";
import { Icon } from "../../components/ui/Icon";
import { NoPermission } from "../../components/ui/NoPermission";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { ApiError, errorMessage } from "../../lib/api";
import { roleName } from "../../lib/roles";
import { VerifiedBadge } from "./VerifiedBadge";

const route = getRouteApi("/app/o/$org/developers/$userId");

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function DeveloperDetailPage() {
  const { org, access } = useOrg();
  if (!access.can("developers.view")) return <NoPermission permission="developers.view" orgName={org.name} />;
  return <Detail />;
}

function BackLink() {
  const { org } = useOrg();
  return (
    <Link
      to="/o/$org/developers"
      params={{ org: org.slug }}
      className="mb-3 inline-flex items-center gap-1 text-[13px] text-zinc-500 hover:text-zinc-900"
    >
      <Icon name="chevronLeft" className="size-3.5" />
      Developers
    </Link>
  );
}

function Detail() {
  const { userId } = route.useParams();
  const developer = useQuery({
    queryKey: developerKeys.detail(userId),
    queryFn: ({ signal }) => developersApi.get(userId, signal),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });

  if (developer.isLoading) return <PageSkeleton />;
  if (developer.error || !developer.data) {
    const notFound = developer.error instanceof ApiError && [400, 404].includes(developer.error.status);
    return (
      <>
        <BackLink />
        {notFound ? (
          <div className="rounded-lg border border-zinc-200 bg-white">
            <EmptyState icon="user" title="Developer not found">
              There is no such developer, or they are not in an organization you share.
            </EmptyState>
          </div>
        ) : (
          <Alert tone="error" title="The developer could not be loaded.">
            {errorMessage(developer.error)}
          </Alert>
        )}
      </>
    );
  }
  const data = developer.data;
  const name = data.displayName || data.username;
  return (
    <>
      <BackLink />
      <PageHeader
        documentTitle={name}
        title={
          <span className="flex items-center gap-3">
            <Avatar name={name} src={data.avatarUrl} seed={data.id} size="lg" />
            <span className="min-w-0">
              <span className="block truncate">{name}</span>
              <span className="block text-sm font-normal text-zinc-500">@{data.username}</span>
            </span>
          </span>
        }
        actions={<VerifiedBadge verified={data.verified} />}
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <Card title="About">
            {data.bio ? (
              <p className="text-sm whitespace-pre-line text-zinc-700">{data.bio}</p>
            ) : (
              <p className="text-sm text-zinc-500">No bio yet.</p>
            )}
          </Card>
          <Card title="Projects" description="Projects they are on that you can see.">
            {data.projects.length ? (
              <ul className="divide-y divide-zinc-100">
                {data.projects.map((project) => (
                  <li key={project.id} className="flex items-center gap-2 py-2 text-sm text-zinc-800">
                    <Icon name="folder" className="size-4 text-zinc-400" />
                    {project.name}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-zinc-500">Not on any project you can see.</p>
            )}
          </Card>
        </div>
        <div className="space-y-4">
          <Card title="Verification">
            <dl className="space-y-2 text-sm">
              <Row label="Profile complete" done={data.profileComplete} />
              <Row label="Phone confirmed" done={data.phoneVerified} />
              <Row label="Verified developer" done={data.verified} />
            </dl>
            {data.completedAt ? (
              <p className="mt-3 text-[13px] text-zinc-500">
                Profile completed on {dateFormat.format(new Date(data.completedAt))}.
              </p>
            ) : null}
          </Card>
          <Card title="Roles">
            {data.orgs.length ? (
              <ul className="space-y-2.5">
                {data.orgs.map((item) => (
                  <li key={item.id}>
                    <p className="text-[13px] font-medium text-zinc-700">{item.name}</p>
                    <div className="mt-1 flex flex-wrap gap-1">
                      {item.roles.map((role) => (
                        <Badge key={role}>{roleName(role)}</Badge>
                      ))}
                      {/* The directory says whether a role here is on the verified step of the developer track. */}
                      {item.verified ? <VerifiedBadge verified /> : null}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <div className="flex flex-wrap gap-1">
                {data.roles.map((role) => (
                  <Badge key={role}>{roleName(role)}</Badge>
                ))}
              </div>
            )}
            <p className="mt-3 text-[13px] text-zinc-500">Time zone: {data.timezone.replace(/_/g, " ")}</p>
          </Card>
        </div>
      </div>
    </>
  );
}

function Row({ label, done }: { label: string; done: boolean }) {
  return (
    <div className="flex items-center justify-between gap-2">
      <dt className="text-zinc-600">{label}</dt>
      <dd>
        {done ? (
          <span className="inline-flex items-center gap-1 text-emerald-700">
            <Icon name="check" className="size-3.5" /> Yes
          </span>
        ) : (
          <span className="text-zinc-500">Not yet</span>
        )}
      </dd>
    </div>
  );
}
