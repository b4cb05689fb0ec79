import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { buttonClass } from "../components/ui/Button";
import { EmptyState } from "../components/ui/EmptyState";
import { PageSkeleton } from "../components/ui/Skeleton";
import { lastOrg, useOrganizations } from "../lib/me";

/** `/`: the dashboard of the organization used last (or the first one). */
export function HomeRedirect() {
  const { orgs, isLoading } = useOrganizations();
  const navigate = useNavigate();
  const remembered = lastOrg();
  const target = (orgs.find((item) => item.slug === remembered) ?? orgs[0])?.slug;
  useEffect(() => {
    if (target) void navigate({ to: "/o/$org", params: { org: target }, replace: true });
  }, [target, navigate]);
  if (isLoading || target) return <PageSkeleton />;
  return (
    <div className="rounded-lg border border-zinc-200 bg-white">
      <EmptyState
        icon="folder"
        title="You are not a member of any organization yet"
        action={
          <Link to="/profile" className={buttonClass("secondary")}>
            Complete your profile
          </Link>
        }
      >
        When an administrator adds you to an organization, it appears here. Meanwhile, you can complete your
        profile.
      </EmptyState>
    </div>
  );
}
