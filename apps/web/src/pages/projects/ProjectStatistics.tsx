import { useQuery } from "@tanstack/react-query";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { projectKeys, projectsApi } from "../../api/projects";
import { errorMessage } from "../../lib/api";
import {
  PRIORITY_BARS,
  PRIORITY_LABELS,
  STATUS_BARS,
  STATUS_LABELS,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from "../tasks/model";
import type { ProjectDetail, ProjectStatistics } from "./model";

const STATUS_ROWS = TASK_STATUSES.map((key) => ({
  key,
  label: STATUS_LABELS[key],
  colour: STATUS_BARS[key],
}));
const PRIORITY_ROWS = TASK_PRIORITIES.map((key) => ({
  key,
  label: PRIORITY_LABELS[key],
  colour: PRIORITY_BARS[key],
}));

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
      <div className="flex items-center gap-4">
        <CompletionRing percent={percent} />
        <p className="text-xs text-zinc-600">
          <span className="block text-base font-semibold text-zinc-900 tabular-nums">
            {stats.tasks.byStatus.done ?? 0} of {total}
          </span>
          tasks done
        </p>
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
      <Bars title="Tasks by status" rows={STATUS_ROWS} counts={stats.tasks.byStatus} total={total} />
      <Bars title="Tasks by priority" rows={PRIORITY_ROWS} counts={stats.tasks.byPriority} total={total} />
    </div>
  );
}

/** The share of the work done, as a ring (SVG) with the figure in its middle. */
function CompletionRing({ percent }: { percent: number }) {
  const radius = 26;
  const circumference = 2 * Math.PI * radius;
  return (
    <div
      className="relative size-16 shrink-0"
      role="progressbar"
      aria-label="Completion"
      aria-valuenow={percent}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <svg viewBox="0 0 64 64" className="size-16 -rotate-90" aria-hidden="true">
        <circle cx="32" cy="32" r={radius} fill="none" strokeWidth="7" className="stroke-zinc-100" />
        <circle
          cx="32"
          cy="32"
          r={radius}
          fill="none"
          strokeWidth="7"
          strokeLinecap="round"
          className="stroke-emerald-500"
          strokeDasharray={`${(percent / 100) * circumference} ${circumference}`}
          opacity={percent === 0 ? 0 : 1}
        />
      </svg>
      <span className="absolute inset-0 flex items-center justify-center text-sm font-semibold text-zinc-900 tabular-nums">
        {percent}%
      </span>
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
              <span className="h-2.5 overflow-hidden rounded bg-zinc-100" aria-hidden="true">
                <span className={`block h-full rounded ${row.colour}`} style={{ width: `${width}%` }} />
              </span>
              <span className="text-right text-zinc-900 tabular-nums">{count}</span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}
