import { Link, getRouteApi } from "@tanstack/react-router";
import { useOrg } from "../../../app/org";
import { buttonClass } from "../../../components/ui/Button";
import { Icon } from "../../../components/ui/Icon";
import { ProjectFrame } from "../../projects/ProjectTabs";
import { NewTaskButton } from "../QuickCreate";
import { Board } from "./Board";

const route = getRouteApi("/app/o/$org/projects/$projectId/board");

/** A project's Board tab. */
export function BoardPage() {
  const { projectId } = route.useParams();
  const { org, access } = useOrg();
  return (
    <ProjectFrame
      projectId={projectId}
      tab="Board"
      actions={(project) => (
        <>
          <Link
            to="/o/$org/projects/$projectId/tasks"
            params={{ org: org.slug, projectId }}
            className={buttonClass("secondary")}
          >
            <Icon name="list" />
            List
          </Link>
          {access.can("tasks.manage") ? <NewTaskButton preset={{ project }} /> : null}
        </>
      )}
    >
      {() => <Board projectId={projectId} />}
    </ProjectFrame>
  );
}
