import { Link } from "@tanstack/react-router";
import { useOrg } from "../app/org";
import { buttonClass } from "../components/ui/Button";
import { EmptyState } from "../components/ui/EmptyState";
import { NoPermission } from "../components/ui/NoPermission";
import { PageHeader } from "../components/ui/PageHeader";

/** Placeholder until the Projects issue lands: the entry point and its permission rule already work. */
export function NewProjectPage() {
  const { org, access } = useOrg();
  if (!access.can("projects.add")) return <NoPermission permission="projects.add" orgName={org.name} />;
  return (
    <>
      <PageHeader title="New project" description={`Create a project in ${org.name}.`} />
      <div className="rounded-lg border border-zinc-200 bg-white">
        <EmptyState
          icon="folder"
          title="Projects are coming next"
          action={
            <Link to="/o/$org" params={{ org: org.slug }} className={buttonClass("secondary")}>
              Back to the dashboard
            </Link>
          }
        >
          Project creation arrives with the Projects module. You hold the projects.add permission, so this
          button will open the form here.
        </EmptyState>
      </div>
    </>
  );
}
