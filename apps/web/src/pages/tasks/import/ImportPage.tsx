import type { ImportDryRun, ImportView } from "@cairn/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { importKeys, importsApi } from "../../../api/imports";
import { projectQuery } from "../../../api/projects";
import { useOrg } from "../../../app/org";
import { Loaded } from "../../../components/Loaded";
import { cn } from "../../../components/ui/cn";
import { Icon } from "../../../components/ui/Icon";
import { RequirePermission } from "../../../components/ui/NoPermission";
import { PageHeader } from "../../../components/ui/PageHeader";
import { PageSkeleton } from "../../../components/ui/Skeleton";
import { ProjectCrumbs } from "../../projects/ProjectTabs";
import type { ProjectDetail } from "../../projects/model";
import { tasksImported } from "../cache";
import { ImportProgress, ImportResult, ImportUnavailable } from "./ImportRun";
import { CheckingStep, PreviewStep, RefusedStep, StartingStep, UploadStep } from "./ImportSetup";
import { fileProblem, isActive, withFetched } from "./importWizard";

/** `?import=<id>`: the import this page follows, so a reload (or a shared link) shows it again. */
export function validateImportSearch(raw: Record<string, unknown>): { import?: string | undefined } {
  const id = z.uuid().safeParse(raw.import);
  return { import: id.success ? id.data : undefined };
}

const route = getRouteApi("/app/o/$org/projects/$projectId/import");

/** How often the page asks for an import's progress while it runs, in case a push is lost. */
const POLL_MS = 700;

/**
 * Importing a project's tasks from a CSV file (POST /api/tasks/import), in four steps: choose the
 * file; see the server's dry run (how many rows are ready, every bad row); import, following the
 * job's progress; the result, with the refused rows and an undo. Holders of tasks.manage only, as the
 * tasks page offers it.
 */
export function ImportPage() {
  const { projectId } = route.useParams();
  return (
    <RequirePermission permission="tasks.manage">
      <Loaded query={projectQuery(projectId)} what="project">
        {(project) => <Wizard project={project} />}
      </Loaded>
    </RequirePermission>
  );
}

/** Before an import starts, the steps live here; once it has an id, the URL holds it instead. */
type Setup =
  | { step: "upload"; refusal: string | null }
  | { step: "checking"; file: File; progress: number }
  | { step: "preview"; file: File; dryRun: ImportDryRun }
  | { step: "refused"; file: File; error: unknown }
  | { step: "starting"; file: File; dryRun: ImportDryRun; progress: number; error: unknown };

const FRESH: Setup = { step: "upload", refusal: null };

/** What the page shows: a step of the setup, or of the import the URL names. */
type Step = Setup["step"] | "loading" | "progress" | "result";

/** Which of the four steps (Upload, Check, Import, Result) each is part of. */
const STEP_NUMBERS: Readonly<Record<Step, number>> = {
  upload: 0,
  checking: 1,
  preview: 1,
  refused: 1,
  starting: 2,
  loading: 2,
  progress: 2,
  result: 3,
};

function Wizard({ project }: { project: ProjectDetail }) {
  const { org } = useOrg();
  const queryClient = useQueryClient();
  const { import: importId } = route.useSearch();
  const navigate = route.useNavigate();
  const [setup, setSetup] = useState<Setup>(FRESH);
  // Each upload's number: the answer to an upload the reader has since replaced is dropped.
  const attempt = useRef(0);

  const run = useQuery({
    queryKey: importKeys.detail(importId ?? ""),
    // A poll answered after a push keeps the push's later progress (importWizard.ts `withFetched`).
    queryFn: async ({ signal }) =>
      withFetched(
        queryClient.getQueryData<ImportView>(importKeys.detail(importId ?? "")),
        await importsApi.get(importId ?? "", signal),
      ),
    enabled: importId !== undefined,
    // Pushes (`import.updated`) move the bar at once; polling is the fallback, and stops at the end.
    refetchInterval: (query) => (query.state.data && isActive(query.state.data.status) ? POLL_MS : false),
  });
  const view = importId ? run.data : undefined;

  // The moment the import ends here, every list and board of the project shows the new tasks.
  const status = view?.status;
  const seenStatus = useRef(status);
  useEffect(() => {
    const before = seenStatus.current;
    seenStatus.current = status;
    if (before && isActive(before) && status && !isActive(status)) tasksImported(queryClient, project.id);
  }, [status, queryClient, project.id]);

  const step: Step = importId
    ? view
      ? isActive(view.status)
        ? "progress"
        : "result"
      : "loading"
    : setup.step;
  // A new step takes the focus to its heading, so keyboard and screen reader users follow along.
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    heading.current?.focus();
  }, [step]);

  const check = async (file: File) => {
    const mine = ++attempt.current;
    const refusal = fileProblem(file);
    if (refusal) {
      setSetup({ step: "upload", refusal });
      return;
    }
    setSetup({ step: "checking", file, progress: 0 });
    try {
      const dryRun = await importsApi.dryRun(project.id, file, (progress) => {
        if (attempt.current === mine) setSetup({ step: "checking", file, progress });
      });
      if (attempt.current === mine) setSetup({ step: "preview", file, dryRun });
    } catch (error) {
      if (attempt.current === mine) setSetup({ step: "refused", file, error });
    }
  };

  const start = async (file: File, dryRun: ImportDryRun) => {
    const mine = ++attempt.current;
    setSetup({ step: "starting", file, dryRun, progress: 0, error: null });
    try {
      // The same file again: the server checks it anew, as it may have changed since the dry run.
      const started = await importsApi.start(project.id, file, (progress) => {
        if (attempt.current === mine) setSetup({ step: "starting", file, dryRun, progress, error: null });
      });
      if (attempt.current !== mine) return;
      // The URL first: until it names the import, resetting the setup would show the upload step again.
      await navigate({ search: { import: started.importId } });
      setSetup(FRESH);
    } catch (error) {
      if (attempt.current === mine) setSetup({ step: "starting", file, dryRun, progress: 0, error });
    }
  };

  const again = () => {
    attempt.current++;
    setSetup(FRESH);
    if (importId) void navigate({ search: {} });
  };

  const body = () => {
    if (importId) {
      if (view)
        return isActive(view.status) ? (
          <ImportProgress view={view} headingRef={heading} />
        ) : (
          <ImportResult key={view.id} view={view} headingRef={heading} onAgain={again} />
        );
      return run.isLoading ? (
        <PageSkeleton />
      ) : (
        <ImportUnavailable error={run.error} onRetry={() => void run.refetch()} onAgain={again} />
      );
    }
    switch (setup.step) {
      case "upload":
        return (
          <UploadStep refusal={setup.refusal} headingRef={heading} onFile={(file) => void check(file)} />
        );
      case "checking":
        return <CheckingStep file={setup.file} progress={setup.progress} headingRef={heading} />;
      case "refused":
        return <RefusedStep file={setup.file} error={setup.error} headingRef={heading} onAgain={again} />;
      case "preview":
        return (
          <PreviewStep
            file={setup.file}
            dryRun={setup.dryRun}
            headingRef={heading}
            onAgain={again}
            onImport={() => void start(setup.file, setup.dryRun)}
          />
        );
      case "starting":
        return (
          <StartingStep
            file={setup.file}
            progress={setup.progress}
            error={setup.error}
            headingRef={heading}
            onRetry={() => void start(setup.file, setup.dryRun)}
            onAgain={again}
          />
        );
    }
  };

  return (
    <>
      <PageHeader
        documentTitle={`Import tasks · ${project.name}`}
        title="Import tasks"
        description={
          <>
            <ProjectCrumbs project={project} /> /{" "}
            <Link
              to="/o/$org/projects/$projectId/tasks"
              params={{ org: org.slug, projectId: project.id }}
              className="hover:underline"
            >
              Tasks
            </Link>
          </>
        }
      />
      <Stepper current={STEP_NUMBERS[step]} />
      {body()}
    </>
  );
}

const STEPS = ["Upload", "Check", "Import", "Result"] as const;

/** Where the reader is among the four steps; the steps behind are ticked. */
function Stepper({ current }: { current: number }) {
  return (
    <ol aria-label="Import steps" className="mb-5 flex flex-wrap items-center gap-x-2 gap-y-2 text-sm">
      {STEPS.map((label, index) => {
        const done = index < current;
        return (
          <li
            key={label}
            aria-current={index === current ? "step" : undefined}
            className={cn("flex items-center gap-2", index === current ? "text-zinc-900" : "text-zinc-500")}
          >
            {index > 0 ? <span aria-hidden="true" className="h-px w-6 bg-zinc-300" /> : null}
            <span
              className={cn(
                "flex size-6 items-center justify-center rounded-full text-xs font-semibold",
                done
                  ? "bg-accent-600 text-white"
                  : index === current
                    ? "border-2 border-accent-600 text-accent-700"
                    : "border border-zinc-300",
              )}
            >
              {done ? <Icon name="check" className="size-3.5" /> : index + 1}
            </span>
            <span className={cn(index === current && "font-medium")}>
              {label}
              {done ? <span className="sr-only"> (done)</span> : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
