import { useQuery } from "@tanstack/react-query";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { projectKeys, projectsApi } from "../../api/projects";
import { errorMessage } from "../../lib/api";
import type { ProjectDetail, ProjectStatistics } from "./model";

const TASK_STATUSES = [
  { key: "todo", label: "To do", colour: "bg-zinc-300" },
  { key: "in_progress", label: "In progress", colour: "bg-sky-500" },
  { key: "done", label: "Done", colour: "bg-emerald-500" },
];

const PRIORITIES = [
  { key: "low", label: "Low", colour: "bg-zinc-300" },
  { key: "medium", label: "Medium", colour: "bg-sky-400" },
  { key: "high", label: "High", colour: "bg-amber-400" },
  { key: "urgent", label: "Urgent", colour: "bg-red-500" },
];

/** GET /api/projects/{id}/statistics: completion, tasks by status and priority, hours, days left. */
export function ProjectStatisticsCard({ project }: { project: ProjectDetail }) {
  const stats = useQuery({
    queryKey: projectKeys.statistics(project.id),
    queryFn: ({ signal }) => projectsApi.statistics(project.id, signal),
  });
  return (
    <Card title="Statistics">
      {stats.isLoading ? (
        <SkeletonText lines={4} />
      ) : !stats.data ? (
        <p className="text-sm text-red-700">{errorMessage(stats.error)}</p>
      ) : (
        <Statistics stats={stats.data} />
      )}
    </Card>
  );
}

function Statistics({ stats }: { stats: ProjectStatistics }) {
  const percent = Math.round(stats.completionPercent);
  const { total } = stats.tasks;
  return (
    <div className="space-y-4 text-sm">
      <div>
        <div className="mb-1 flex justify-between text-xs text-zinc-500">
          <span>Completion</span>
          <span className="font-medium text-zinc-900 tabular-nums">{percent}%</span>
        </div>
        <div
          className="h-2 overflow-hidden rounded-full bg-zinc-100"
          role="progressbar"
          aria-label="Completion"
          aria-valuenow={percent}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div className="h-full rounded-full bg-emerald-500" style={{ width: `${percent}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3">
        <Number label="Tasks" value={total} />
        <Number label="Overdue" value={stats.tasks.overdue} alert={stats.tasks.overdue > 0} />
        <Number label="Hours logged" value={Math.round(stats.hoursLogged * 10) / 10} />
        <Number
          label={stats.daysLeft !== null && stats.daysLeft < 0 ? "Days overdue" : "Days left"}
          value={stats.daysLeft === null ? "—" : Math.abs(stats.daysLeft)}
          alert={stats.daysLeft !== null && stats.daysLeft < 0}
        />
      </dl>
      <Bars title="Tasks by status" rows={TASK_STATUSES} counts={stats.tasks.byStatus} total={total} />
      <Bars title="Tasks by priority" rows={PRIORITIES} counts={stats.tasks.byPriority} total={total} />
    </div>
  );
}

function Number({ label, value, alert }: { label: string; value: number | string; alert?: boolean }) {
  return (
    <div className="rounded-md bg-zinc-50 px-2.5 py-2">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`text-base font-semibold tabular-nums ${alert ? "text-red-600" : "text-zinc-900"}`}>
        {value}
      </dd>
    </div>
  );
}

function Bars({
  title,
  rows,
  counts,
  total,
}: {
  title: string;
  rows: { key: string; label: string; colour: string }[];
  counts: Record<string, number>;
  total: number;
}) {
  return (
    <figure>
      <figcaption className="mb-1.5 text-xs font-medium text-zinc-500">{title}</figcaption>
      <ul className="space-y-1">
        {rows.map((row) => {
          const count = counts[row.key] ?? 0;
          const width = total > 0 ? (count / total) * 100 : 0;
          return (
            <li key={row.key} className="grid grid-cols-[5.5rem_1fr_2rem] items-center gap-2 text-xs">
              <span className="text-zinc-600">{row.label}</span>
              <span className="h-1.5 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
                <span className={`block h-full rounded-full ${row.colour}`} style={{ width: `${width}%` }} />
              </span>
              <span className="text-right text-zinc-900 tabular-nums">{count}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
