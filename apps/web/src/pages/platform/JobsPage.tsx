import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { platformApi, platformKeys, type Job, type JobQueue, type JobWorker } from "../../api/platform";
import { Pagination } from "../../components/DataTable";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Checkbox, Field, Input, Select } from "../../components/ui/Field";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { Skeleton } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { moment } from "./format";
import { SuperuserOnly } from "./SuperuserOnly";
import { LoadingRow, TableHead } from "./table";
import { ThroughputChart, totalBuckets } from "./ThroughputChart";

const REFRESH_MS = 5_000;
const PAGE_SIZE = 20;

/** The job monitor (superuser): queues by state, the last hour's throughput, failed jobs with retry, cancel, workers. */
export function JobsPage() {
  return (
    <SuperuserOnly what="the job monitor">
      <Jobs />
    </SuperuserOnly>
  );
}

function Jobs() {
  const [live, setLive] = useState(true);
  const [queue, setQueue] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const refetchInterval = live ? REFRESH_MS : false;
  const overview = useQuery({
    queryKey: platformKeys.jobs(),
    queryFn: ({ signal }) => platformApi.jobs(signal),
    refetchInterval,
  });
  const failed = useQuery({
    queryKey: platformKeys.failed(queue, page),
    queryFn: ({ signal }) => platformApi.failed(queue, page, signal),
    refetchInterval,
    placeholderData: keepPreviousData,
  });
  const queues = overview.data?.queues ?? [];
  const showFailed = (name: string | undefined) => {
    setQueue(name);
    setPage(1);
    document.getElementById("failed-jobs")?.scrollIntoView({ block: "start" });
  };

  return (
    <div className="space-y-4">
      <PageHeader
        title="Jobs"
        description="Every queue of the job worker, its failures and the processes working it."
        actions={
          <div className="flex items-center gap-3 text-[13px] text-zinc-500">
            {overview.dataUpdatedAt ? (
              <span aria-live="off">Updated {new Date(overview.dataUpdatedAt).toLocaleTimeString()}</span>
            ) : null}
            <Checkbox
              label="Refresh every 5 s"
              checked={live}
              onChange={(event) => setLive(event.target.checked)}
            />
          </div>
        }
      />
      {overview.error ? (
        <Alert tone="error" title="The queues could not be loaded.">
          {errorMessage(overview.error)}
        </Alert>
      ) : null}
      <Card title="Throughput" description="Jobs finished in the last hour, all queues together.">
        {overview.data ? (
          <ThroughputChart label="All queues" buckets={totalBuckets(queues.map((item) => item.lastHour))} />
        ) : (
          <Skeleton className="h-28 w-full" />
        )}
      </Card>
      <QueuesCard queues={queues} loading={overview.isLoading} onShowFailed={showFailed} />
      <FailedJobsCard
        queues={queues.map((item) => item.name)}
        queue={queue}
        onQueue={showFailed}
        page={page}
        onPage={setPage}
        jobs={failed.data?.items}
        total={failed.data?.total ?? 0}
        loading={failed.isLoading}
        error={failed.error}
      />
      <FindJobCard />
      <WorkersCard workers={overview.data?.workers} />
    </div>
  );
}

function useJobActions() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const refresh = () => queryClient.invalidateQueries({ queryKey: platformKeys.all });
  const retry = useMutation({
    mutationFn: (id: string) => platformApi.retry(id),
    onSuccess: (job) => toast.success(`Job ${shortId(job.id)} of ${job.queue} is queued again.`),
    onError: (error) => toast.error(errorMessage(error), "The job was not retried"),
    onSettled: refresh,
  });
  const retryQueue = useMutation({
    mutationFn: (queue: string) => platformApi.retryQueue(queue),
    onSuccess: (result) =>
      toast.success(
        `${result.retried} failed job${result.retried === 1 ? "" : "s"} of ${result.queue} queued again.`,
      ),
    onError: (error) => toast.error(errorMessage(error), "The jobs were not retried"),
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => platformApi.cancel(id),
    onSuccess: (job) => toast.success(`Job ${shortId(job.id)} of ${job.queue} is cancelled.`),
    onError: (error) => toast.error(errorMessage(error), "The job was not cancelled"),
    onSettled: refresh,
  });
  const probe = useMutation({
    mutationFn: (failFirst: boolean) => platformApi.probe(failFirst),
    onSuccess: (result, failFirst) =>
      toast.success(
        failFirst
          ? `Test job ${shortId(result.jobId ?? "")} sent: it fails on its first attempt, then completes when retried.`
          : `Test job ${shortId(result.jobId ?? "")} sent: it completes as soon as a worker takes it.`,
      ),
    onError: (error) => toast.error(errorMessage(error), "The test job was not sent"),
    onSettled: () => setTimeout(() => void refresh(), 1000),
  });
  return { retry, retryQueue, cancel, probe };
}

const shortId = (id: string) => id.slice(0, 8);

function QueuesCard({
  queues,
  loading,
  onShowFailed,
}: {
  queues: JobQueue[];
  loading: boolean;
  onShowFailed: (queue: string) => void;
}) {
  const { retryQueue } = useJobActions();
  const confirm = useConfirm();
  const retryAll = async (queue: JobQueue) => {
    const ok = await confirm({
      title: `Retry ${queue.counts.failed} failed job${queue.counts.failed === 1 ? "" : "s"} of ${queue.name}?`,
      body: "Each runs once more, from the start.",
      confirmLabel: "Retry all",
      tone: "primary",
    });
    if (ok) retryQueue.mutate(queue.name);
  };
  const number = "px-3 py-2 text-right tabular-nums";
  return (
    <Card
      title="Queues"
      description="Jobs by state; completed and failed jobs are kept for a while, then removed by the queue's retention."
    >
      <div className="-m-4 overflow-x-auto">
        <table className="w-full text-sm" aria-label="Queues">
          <TableHead
            columns={[
              "Queue",
              ...["Queued", "Active", "Retry", "Failed", "Completed", "Cancelled"].map((label) => ({
                label,
                numeric: true as const,
              })),
              "Last hour",
            ]}
            actions
          />
          <tbody className="divide-y divide-zinc-100">
            {loading ? <LoadingRow columns={9} /> : null}
            {queues.map((queue) => (
              <tr key={queue.name}>
                <th
                  scope="row"
                  className="px-3 py-2 text-left font-mono text-[13px] font-medium text-zinc-900"
                >
                  {queue.name}
                </th>
                <td className={number}>{queue.counts.queued}</td>
                <td className={number}>{queue.counts.active}</td>
                <td className={number}>{queue.counts.retry}</td>
                <td className={number}>
                  {queue.counts.failed ? (
                    <span className="font-semibold text-red-700">{queue.counts.failed}</span>
                  ) : (
                    0
                  )}
                </td>
                <td className={number}>{queue.counts.completed}</td>
                <td className={number}>{queue.counts.cancelled}</td>
                <td className="px-3 py-2">
                  <div className="flex items-center gap-2">
                    <ThroughputChart compact label={queue.name} buckets={queue.lastHour} />
                    <span className="text-xs whitespace-nowrap text-zinc-600 tabular-nums">
                      {queue.lastHourCompleted} ok
                      {queue.lastHourFailed ? (
                        <span className="text-red-700"> · {queue.lastHourFailed} failed</span>
                      ) : null}
                    </span>
                  </div>
                </td>
                <td className="px-3 py-2 text-right whitespace-nowrap">
                  {queue.counts.failed ? (
                    <div className="flex justify-end gap-1.5">
                      <Button size="sm" variant="ghost" onClick={() => onShowFailed(queue.name)}>
                        Show failed
                      </Button>
                      <Button
                        size="sm"
                        onClick={() => void retryAll(queue)}
                        loading={retryQueue.isPending && retryQueue.variables === queue.name}
                      >
                        Retry failed
                      </Button>
                    </div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function FailedJobsCard({
  queues,
  queue,
  onQueue,
  page,
  onPage,
  jobs,
  total,
  loading,
  error,
}: {
  queues: string[];
  queue: string | undefined;
  onQueue: (queue: string | undefined) => void;
  page: number;
  onPage: (page: number) => void;
  jobs: Job[] | undefined;
  total: number;
  loading: boolean;
  error: unknown;
}) {
  const { retry, retryQueue } = useJobActions();
  return (
    <section
      id="failed-jobs"
      className="scroll-mt-16 rounded-lg border border-zinc-200 bg-white shadow-xs"
      aria-labelledby="failed-jobs-title"
    >
      <header className="flex flex-wrap items-end justify-between gap-3 border-b border-zinc-100 px-4 py-3">
        <div>
          <h2 id="failed-jobs-title" className="text-sm font-semibold text-zinc-900">
            Failed jobs
          </h2>
          <p className="mt-0.5 text-[13px] text-zinc-500">
            Out of attempts. Secrets in payloads (passwords, tokens, codes…) are never shown.
          </p>
        </div>
        <div className="flex items-end gap-2">
          <Field label="Queue" className="w-56">
            {(props) => (
              <Select
                {...props}
                value={queue ?? ""}
                onChange={(event) => onQueue(event.target.value || undefined)}
              >
                <option value="">All queues</option>
                {queues.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {queue && total ? (
            <Button onClick={() => retryQueue.mutate(queue)} loading={retryQueue.isPending}>
              Retry all {total}
            </Button>
          ) : null}
        </div>
      </header>
      {error ? (
        <Alert tone="error" className="m-4" title="The failed jobs could not be loaded.">
          {errorMessage(error)}
        </Alert>
      ) : null}
      {loading ? (
        <div className="p-4">
          <Skeleton className="h-16 w-full" />
        </div>
      ) : jobs && jobs.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-zinc-500">
          {queue ? `No failed job in ${queue}.` : "No failed job. Everything ran."}
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100" aria-label="Failed jobs">
          {(jobs ?? []).map((job) => {
            const failedAt = moment(job.failedAt);
            return (
              <li key={job.id} className="space-y-1.5 px-4 py-3">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="min-w-0">
                    <p className="text-sm">
                      <span className="font-mono font-medium text-zinc-900">{job.queue}</span>{" "}
                      <span className="font-mono text-xs text-zinc-500" title={job.id}>
                        {shortId(job.id)}
                      </span>
                    </p>
                    <p className="text-sm break-words text-red-700">{job.error ?? "No error recorded."}</p>
                    <p className="text-xs text-zinc-500">
                      Failed{" "}
                      <time dateTime={job.failedAt ?? undefined} title={failedAt.absolute}>
                        {failedAt.relative}
                      </time>{" "}
                      after {job.attempts} attempt{job.attempts === 1 ? "" : "s"}
                    </p>
                  </div>
                  <Button
                    size="sm"
                    onClick={() => retry.mutate(job.id)}
                    loading={retry.isPending && retry.variables === job.id}
                    aria-label={`Retry job ${shortId(job.id)} of ${job.queue}`}
                  >
                    Retry
                  </Button>
                </div>
                <details className="text-xs">
                  <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900">Payload</summary>
                  <pre className="mt-1 max-h-60 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-[12px] text-zinc-800">
                    {JSON.stringify(job.payload, null, 2)}
                  </pre>
                </details>
              </li>
            );
          })}
        </ul>
      )}
      {total > PAGE_SIZE ? (
        <Pagination page={page} pageSize={PAGE_SIZE} total={total} onPageChange={onPage} />
      ) : null}
    </section>
  );
}

const STATE_TONES = {
  created: "blue",
  retry: "amber",
  active: "accent",
  completed: "green",
  cancelled: "neutral",
  failed: "red",
} as const;
const STATE_LABELS = {
  created: "Queued",
  retry: "Waiting to retry",
  active: "Running",
  completed: "Completed",
  cancelled: "Cancelled",
  failed: "Failed",
} as const;

/** One job by id: its state, and retry or cancel as it allows. */
function FindJobCard() {
  const [wanted, setWanted] = useState("");
  const [id, setId] = useState<string | null>(null);
  const job = useQuery({
    queryKey: platformKeys.job(id ?? ""),
    queryFn: ({ signal }) => platformApi.job(id ?? "", signal),
    enabled: id !== null,
    retry: false,
  });
  const { retry, cancel } = useJobActions();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setId(wanted.trim());
  };
  const found = job.data;
  return (
    <Card
      title="Find a job"
      description="By its id, from a log line or a failed job above: see where it stands, cancel it before it runs, or retry it."
    >
      <form onSubmit={submit} className="flex items-end gap-2">
        <Field label="Job id" className="w-96 max-w-full">
          {(props) => (
            <Input
              {...props}
              value={wanted}
              onChange={(event) => setWanted(event.target.value)}
              placeholder="00000000-0000-0000-0000-000000000000"
              className="font-mono"
            />
          )}
        </Field>
        <Button type="submit" disabled={!wanted.trim()}>
          Find
        </Button>
      </form>
      {id !== null && job.error ? (
        <p className="mt-3 text-sm text-red-700" role="alert">
          {errorMessage(job.error)}
        </p>
      ) : null}
      {found ? (
        <div className="mt-3 space-y-2 rounded-md border border-zinc-200 p-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-mono font-medium">{found.queue}</span>
            <Badge tone={STATE_TONES[found.state]}>{STATE_LABELS[found.state]}</Badge>
            <span className="text-xs text-zinc-500">
              attempt {found.attempts} of {found.retryLimit + 1}
            </span>
          </div>
          {found.error ? <p className="text-red-700">{found.error}</p> : null}
          <pre className="max-h-48 overflow-auto rounded-md bg-zinc-50 p-2 font-mono text-[12px]">
            {JSON.stringify(found.payload, null, 2)}
          </pre>
          <div className="flex gap-2">
            {found.state === "failed" ? (
              <Button
                size="sm"
                onClick={() => retry.mutate(found.id, { onSuccess: () => void job.refetch() })}
                loading={retry.isPending}
              >
                Retry
              </Button>
            ) : null}
            {["created", "retry", "active"].includes(found.state) ? (
              <Button
                size="sm"
                variant="danger"
                onClick={() => cancel.mutate(found.id, { onSuccess: () => void job.refetch() })}
                loading={cancel.isPending}
              >
                Cancel job
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
    </Card>
  );
}

function WorkersCard({ workers }: { workers: JobWorker[] | undefined }) {
  const { probe } = useJobActions();
  return (
    <Card
      title="Workers"
      description="Processes that run jobs; each beats every 15 seconds. A test job shows that they take work, and how a failure and its retry look."
      actions={
        <div className="flex gap-1.5">
          <Button
            size="sm"
            onClick={() => probe.mutate(false)}
            loading={probe.isPending && probe.variables === false}
          >
            Send a test job
          </Button>
          <Button size="sm" onClick={() => probe.mutate(true)} loading={probe.isPending && probe.variables}>
            Send one that fails
          </Button>
        </div>
      }
    >
      {!workers ? (
        <Skeleton className="h-10 w-full" />
      ) : workers.length === 0 ? (
        <p className="text-sm text-amber-800">
          No worker is running: jobs wait until one starts (`npm run cairn -- worker`).
        </p>
      ) : (
        <div className="-m-4 overflow-x-auto">
          <table className="w-full text-sm" aria-label="Workers">
            <TableHead
              columns={[
                "Host",
                { label: "Process", numeric: true },
                { label: "Queues", numeric: true },
                "Started",
                "Last heartbeat",
                "Status",
              ]}
            />
            <tbody className="divide-y divide-zinc-100">
              {workers.map((worker) => {
                const started = moment(worker.startedAt);
                const seen = moment(worker.lastSeenAt);
                return (
                  <tr key={worker.id}>
                    <td className="px-3 py-2 font-mono text-[13px]">{worker.host}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{worker.pid}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{worker.queues}</td>
                    <td className="px-3 py-2" title={started.absolute}>
                      {started.relative}
                    </td>
                    <td className="px-3 py-2" title={seen.absolute}>
                      {seen.relative}
                    </td>
                    <td className="px-3 py-2">
                      {worker.alive ? <Badge tone="green">Alive</Badge> : <Badge tone="red">Silent</Badge>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
