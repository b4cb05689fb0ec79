import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useNavigate } from "@tanstack/react-router";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { projectKeys, projectQuery, projectsApi } from "../../api/projects";
import { Loaded } from "../../components/Loaded";
import { ProjectForm, initialProjectValues, projectBody } from "./ProjectForm";
import { can, type ProjectDetail } from "./model";

const route = getRouteApi("/app/o/$org/projects/$projectId/edit");

/** PATCH /api/projects/{id}: shown only when the project's allowedActions include `update`. */
export function EditProjectPage() {
  const { projectId } = route.useParams();
  return (
    <Loaded query={projectQuery(projectId)} what="project">
      {(data) => <EditProject data={data} />}
    </Loaded>
  );
}

function EditProject({ data }: { data: ProjectDetail }) {
  const { org, access } = useOrg();
  const projectId = data.id;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  if (!can(data, "update"))
    return (
      <Alert tone="info" title="You cannot edit this project.">
        Only its owner, its manager and administrators edit a project.
      </Alert>
    );
  const financials = can(data, "viewFinancials");
  return (
    <>
      <PageHeader title={`Edit ${data.name}`} description={`${data.key} · ${org.name}`} />
      <ProjectForm
        initial={initialProjectValues(data)}
        selected={{ client: data.client?.name, team: data.team?.name }}
        financials={financials}
        submitLabel="Save changes"
        cancel={{ to: "/o/$org/projects/$projectId", projectId }}
        onSubmit={async (values) => {
          const saved = await projectsApi.update(
            projectId,
            projectBody(values, { financials, clients: access.can("clients.view"), editing: true }),
          );
          queryClient.setQueryData(projectKeys.detail(projectId), saved);
          void queryClient.invalidateQueries({ queryKey: projectKeys.all });
          toast.success(`${saved.name} is saved.`);
          void navigate({ to: "/o/$org/projects/$projectId", params: { org: org.slug, projectId } });
        }}
      />
    </>
  );
}
