import { getRouteApi, Link, Outlet } from "@tanstack/react-router";
import { useEffect } from "react";
import { buttonClass } from "../components/ui/Button";
import { EmptyState } from "../components/ui/EmptyState";
import { PageSkeleton } from "../components/ui/Skeleton";
import { accessIn, rememberOrg, useMe, useOrganizations } from "../lib/me";
import { QuickCreateProvider } from "../pages/tasks/QuickCreate";
import { OrgContext } from "./org";

const route = getRouteApi("/app/o/$org");

/** Resolves /o/$org to one of the caller's organizations and provides what they may do in it. */
export function OrgLayout() {
  const { org: slug } = route.useParams();
  const me = useMe();
  const { orgs, isLoading } = useOrganizations();
  const org = orgs.find((item) => item.slug === slug || item.id === slug);
  useEffect(() => {
    if (org) rememberOrg(org.slug);
  }, [org]);
  if (isLoading || !me.data) return <PageSkeleton />;
  if (!org) {
    return (
      <div className="rounded-lg border border-zinc-200 bg-white">
        <EmptyState
          icon="folder"
          title="Organization not found"
          action={
            <Link to="/" className={buttonClass("secondary")}>
              Go to your dashboard
            </Link>
          }
        >
          There is no organization “{slug}”, or you are not a member of it.
        </EmptyState>
      </div>
    );
  }
  return (
    <OrgContext value={{ org, access: accessIn(me.data, org.id) }}>
      <QuickCreateProvider>
        <Outlet />
      </QuickCreateProvider>
    </OrgContext>
  );
}
