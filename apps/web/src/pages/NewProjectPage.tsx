import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useOrg } from "../app/org";
import { NoPermission } from "../components/ui/NoPermission";
import { PageHeader } from "../components/ui/PageHeader";
import { useToast } from "../components/ui/Toast";
import { projectKeys, projectsApi } from "../api/projects";
import { ProjectForm, initialProjectValues, projectBody } from "./projects/ProjectForm";

/** POST /api/projects: the caller becomes the owner and a member. */
export function NewProjectPage() {
  const { org, access } = useOrg();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  if (!access.can("projects.add")) return <NoPermission permission="projects.add" orgName={org.name} />;
  const financials = access.can("projects.view_financials");
  return (
    <>
      <PageHeader title="New project" description={`Open a project in ${org.name}; you become its owner.`} />
      <ProjectForm
        initial={initialProjectValues()}
        financials={financials}
        submitLabel="Create project"
        cancel={{ to: "/o/$org/projects" }}
        onSubmit={async (values) => {
          const project = await projectsApi.create({
            orgId: org.id,
            ...projectBody(values, { financials, clients: access.can("clients.view"), editing: false }),
          });
          toast.success(`${project.name} is created.`);
          void queryClient.invalidateQueries({ queryKey: projectKeys.all });
          void navigate({
            to: "/o/$org/projects/$projectId",
            params: { org: org.slug, projectId: project.id },
          });
        }}
      />
    </>
  );
}
