import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { platformApi, platformKeys, type Schedule, type SchedulePatch } from "../../api/platform";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Field, Input, Select } from "../../components/ui/Field";
import { PageHeader } from "../../components/ui/PageHeader";
import { Spinner } from "../../components/ui/Spinner";
import { useToast } from "../../components/ui/Toast";
import { ApiError, errorMessage } from "../../lib/api";
import { inZone, moment, zoneLabel } from "./format";
import { SuperuserOnly } from "./SuperuserOnly";
import { LoadingRow, TableHead } from "./table";

/** The platform's schedules (superuser): what each module runs and when, switched on or off, run by hand, edited. */
export function SchedulesPage() {
  return (
    <SuperuserOnly what="the schedules">
      <Schedules />
    </SuperuserOnly>
  );
}

function Schedules() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<Schedule | null>(null);
  const schedules = useQuery({
    queryKey: platformKeys.schedules(),
    queryFn: ({ signal }) => platformApi.schedules(signal),
    refetchInterval: 10_000,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: platformKeys.schedules() });
  const toggle = useMutation({
    mutationFn: (schedule: Schedule) =>
      platformApi.updateSchedule(schedule.name, { enabled: !schedule.enabled }),
    onSuccess: (schedule) =>
      toast.success(
        schedule.enabled
          ? `${schedule.name} runs on its schedule again.`
          : `${schedule.name} is switched off; it can still be run by hand.`,
      ),
    onError: (error) => toast.error(errorMessage(error), "The schedule was not changed"),
    onSettled: refresh,
  });
  const run = useMutation({
    mutationFn: (schedule: Schedule) => platformApi.runSchedule(schedule.name),
    onSuccess: (result) => toast.success(`${result.name} is running now.`),
    onError: (error) => toast.error(errorMessage(error), "The schedule was not run"),
    onSettled: () => setTimeout(() => void refresh(), 1500),
  });

  return (
    <div className="space-y-4">
      <PageHeader
        title="Schedules"
        description="Recurring jobs the modules declare. Changes take effect on every instance at once; a schedule switched off can still be run by hand."
      />
      {schedules.error ? (
        <Alert tone="error" title="The schedules could not be loaded.">
          {errorMessage(schedules.error)}
        </Alert>
      ) : null}
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs">
        <table className="w-full text-sm" aria-label="Schedules">
          <TableHead
            columns={["Schedule", "When", "Last run", "Next run", { label: "Runs", numeric: true }, "On"]}
            actions
          />
          <tbody className="divide-y divide-zinc-100">
            {schedules.isLoading ? <LoadingRow columns={7} /> : null}
            {(schedules.data?.items ?? []).map((schedule) => {
              const last = moment(schedule.lastRunAt);
              const next = moment(schedule.nextRunAt);
              return (
                <tr key={schedule.name} data-schedule={schedule.name}>
                  <th scope="row" className="max-w-72 px-3 py-2 text-left align-top font-normal">
                    <p className="font-mono text-[13px] font-medium text-zinc-900">{schedule.name}</p>
                    <p className="text-xs text-zinc-500">{schedule.description}</p>
                  </th>
                  <td className="px-3 py-2 align-top">
                    <code className="rounded bg-zinc-100 px-1 py-px text-[13px]">{schedule.cron}</code>
                    <p className="text-xs text-zinc-500">
                      {zoneLabel(schedule.timezone)}
                      {schedule.editedAt ? " · edited" : ""}
                    </p>
                  </td>
                  <td className="px-3 py-2 align-top">
                    {schedule.lastStatus ? (
                      <div className="space-y-0.5">
                        <Badge tone={schedule.lastStatus === "ok" ? "green" : "red"}>
                          {schedule.lastStatus === "ok" ? "OK" : "Failed"}
                        </Badge>
                        <p className="text-xs text-zinc-500" title={last.absolute}>
                          {last.relative}
                        </p>
                        {schedule.lastError ? (
                          <p className="max-w-56 text-xs break-words text-red-700">{schedule.lastError}</p>
                        ) : null}
                      </div>
                    ) : (
                      <span className="text-xs text-zinc-500">Never</span>
                    )}
                  </td>
                  <td className="px-3 py-2 align-top text-[13px]" title={next.absolute}>
                    {schedule.enabled ? next.relative : <span className="text-zinc-500">Off</span>}
                  </td>
                  <td className="px-3 py-2 text-right align-top tabular-nums">{schedule.totalRuns}</td>
                  <td className="px-3 py-2 align-top">
                    <input
                      type="checkbox"
                      role="switch"
                      className="size-4 accent-accent-600"
                      aria-label={`${schedule.name} runs on its schedule`}
                      checked={schedule.enabled}
                      disabled={toggle.isPending && toggle.variables.name === schedule.name}
                      onChange={() => toggle.mutate(schedule)}
                    />
                  </td>
                  <td className="px-3 py-2 text-right align-top whitespace-nowrap">
                    <div className="flex justify-end gap-1.5">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setEditing(schedule)}
                        aria-label={`Edit ${schedule.name}`}
                      >
                        Edit
                      </Button>
                      <Button
                        size="sm"
                        onClick={() => run.mutate(schedule)}
                        loading={run.isPending && run.variables.name === schedule.name}
                        aria-label={`Run now: ${schedule.name}`}
                      >
                        Run now
                      </Button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        size="lg"
        title={editing ? `Edit ${editing.name}` : "Edit schedule"}
        description={editing?.description}
      >
        {editing ? <ScheduleEditor schedule={editing} onDone={() => setEditing(null)} /> : null}
      </Dialog>
    </div>
  );
}

/** The value after it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function zoneOptions(current: string): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone"), current])].filter(
    (zone) => zone !== "user",
  );
}

/** The cron editor: the expression and its zone, with the next five runs previewed as they are typed. */
function ScheduleEditor({ schedule, onDone }: { schedule: Schedule; onDone: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [cron, setCron] = useState(schedule.cron);
  const [timezone, setTimezone] = useState(schedule.timezone);
  const zones = useMemo(() => zoneOptions(schedule.timezone), [schedule.timezone]);
  const wanted = useDebounced({ cron: cron.trim(), timezone }, 250);
  const preview = useQuery({
    queryKey: platformKeys.preview(wanted.cron, wanted.timezone),
    queryFn: ({ signal }) => platformApi.preview(wanted.cron, wanted.timezone, signal),
    enabled: wanted.cron.length > 0,
    retry: false,
  });
  const save = useMutation({
    mutationFn: (patch: SchedulePatch) => platformApi.updateSchedule(schedule.name, patch),
    onSuccess: (saved) => {
      toast.success(`${saved.name} now runs at ${saved.cron} (${zoneLabel(saved.timezone)}).`);
      void queryClient.invalidateQueries({ queryKey: platformKeys.schedules() });
      onDone();
    },
  });
  const problem =
    (save.error ?? preview.error) instanceof ApiError ? ((save.error ?? preview.error) as ApiError) : null;
  const fieldErrors = problem?.fieldErrors ?? {};
  const cronError = cron.trim() ? fieldErrors.cron : "Type a cron expression.";
  const stale = wanted.cron !== cron.trim() || wanted.timezone !== timezone;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ cron: cron.trim(), timezone });
  };
  const changed = cron.trim() !== schedule.cron || timezone !== schedule.timezone;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          label="Cron expression"
          hint="minute hour day-of-month month day-of-week, e.g. 0 8 * * 1-5"
          error={cronError}
        >
          {(props) => (
            <Input
              {...props}
              value={cron}
              onChange={(event) => setCron(event.target.value)}
              className="font-mono"
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field label="Time zone" error={fieldErrors.timezone}>
          {(props) => (
            <Select {...props} value={timezone} onChange={(event) => setTimezone(event.target.value)}>
              <option value="user">Each user's own time zone</option>
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, " ")}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <p className="text-xs text-zinc-500">
        Declared by its module as <code className="rounded bg-zinc-100 px-1">{schedule.declared.cron}</code> (
        {zoneLabel(schedule.declared.timezone)}).{" "}
        {cron.trim() !== schedule.declared.cron || timezone !== schedule.declared.timezone ? (
          <button
            type="button"
            className="font-medium text-accent-700 underline"
            onClick={() => {
              setCron(schedule.declared.cron);
              setTimezone(schedule.declared.timezone);
            }}
          >
            Use the default
          </button>
        ) : null}
      </p>
      <section
        aria-labelledby="next-runs"
        aria-live="polite"
        className="rounded-md border border-zinc-200 bg-zinc-50/60 px-3 py-2.5"
      >
        <h3 id="next-runs" className="flex items-center gap-2 text-[13px] font-medium text-zinc-800">
          Next five runs
          {preview.isFetching || stale ? <Spinner label="Updating the preview" className="size-3.5" /> : null}
        </h3>
        {preview.data && !preview.error ? (
          <>
            <ol
              className="mt-1.5 space-y-0.5 font-mono text-[13px] text-zinc-800"
              aria-label="Next five runs"
            >
              {preview.data.runs.map((run) => (
                <li key={run}>
                  <time dateTime={run}>{inZone(run, preview.data.zone)}</time>
                </li>
              ))}
            </ol>
            <p className="mt-1 text-xs text-zinc-500">
              {preview.data.timezone === "user"
                ? "At this local time in each user's own time zone (shown as in UTC)."
                : `In ${zoneLabel(preview.data.zone)}.`}
            </p>
          </>
        ) : preview.error ? (
          <p className="mt-1 text-[13px] text-red-700">
            {problem ? problem.userMessage : errorMessage(preview.error)}
          </p>
        ) : null}
      </section>
      {save.error && !problem?.fieldErrors.cron && !problem?.fieldErrors.timezone ? (
        <Alert tone="error" title="Not saved">
          {errorMessage(save.error)}
        </Alert>
      ) : null}
      <DialogFooter>
        <Button onClick={onDone}>Cancel</Button>
        <Button
          type="submit"
          variant="primary"
          loading={save.isPending}
          disabled={!changed || Boolean(cronError)}
        >
          Save
        </Button>
      </DialogFooter>
    </form>
  );
}
