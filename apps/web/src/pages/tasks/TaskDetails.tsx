import { Link } from "@tanstack/react-router";
import { useId, useState, type ReactNode } from "react";
import { assigneePicker, personName } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { AsyncCombobox } from "../../components/AsyncCombobox";
import { Input, Select } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { formatDate, formatDateTime } from "../projects/model";
import { LabelsInput } from "./LabelsInput";
import {
  canMove,
  canTask,
  formatMinutes,
  parseDuration,
  priorityOptions,
  statusOptions,
  type Task,
} from "./model";
import { peopleSource } from "./people";
import { Assignee, DueDate, Labels, PriorityBadge, StatusBadge } from "./TaskBits";
import type { TaskPatch } from "./useTaskUpdate";

type Save = (patch: TaskPatch) => Promise<string | null>;

/** A row of the details: its label (naming the control when there is one) and its value. */
function Row({
  label,
  children,
  error,
}: {
  label: string;
  children: (id: string | undefined) => ReactNode;
  error?: string | null;
}) {
  const id = useId();
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-start gap-x-3 py-1.5">
      <dt className="pt-1.5 text-[13px] text-zinc-500">
        <label htmlFor={id}>{label}</label>
      </dt>
      <dd className="min-h-8 min-w-0 pt-1 text-sm text-zinc-900">
        {children(id)}
        {error ? (
          <p className="mt-1 text-[13px] text-red-600" role="alert">
            {error}
          </p>
        ) : null}
      </dd>
    </div>
  );
}

/** A row shown as text: nothing to edit in it. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_minmax(0,1fr)] items-start gap-x-3 py-1.5">
      <dt className="text-[13px] text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

/**
 * The task's fields, each edited in place when the caller may (allowedActions): `update` edits
 * them all; `changeStatus` alone only the status. A change is saved as soon as it is made.
 */
export function TaskDetails({ task, save }: { task: Task; save: Save }) {
  const { org, access } = useOrg();
  const edit = canTask(task, "update");
  const people = peopleSource(org.slug, access);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const apply = (field: string, patch: TaskPatch) =>
    void save(patch).then((error) => setErrors((current) => ({ ...current, [field]: error })));

  return (
    <Card title="Details">
      <dl className="-my-1.5 divide-y divide-zinc-100">
        {canMove(task) ? (
          <Row label="Status" error={errors.status}>
            {(id) => (
              <Choice
                id={id}
                value={task.status}
                options={statusOptions}
                onChange={(status) => apply("status", { status })}
              />
            )}
          </Row>
        ) : (
          <Fact label="Status">
            <StatusBadge status={task.status} />
          </Fact>
        )}
        {edit ? (
          <Row label="Priority" error={errors.priority}>
            {(id) => (
              <Choice
                id={id}
                value={task.priority}
                options={priorityOptions}
                onChange={(priority) => apply("priority", { priority })}
              />
            )}
          </Row>
        ) : (
          <Fact label="Priority">
            <PriorityBadge priority={task.priority} />
          </Fact>
        )}
        {edit && task.projectId && people ? (
          <Row label="Assignee" error={errors.assigneeId}>
            {(id) => (
              <AsyncCombobox
                id={id}
                source={assigneePicker(org.slug, people)}
                value={task.assigneeId ?? undefined}
                selectedLabel={task.assignee ? personName(task.assignee) : undefined}
                optionsLabel="Assignee"
                clearLabel="Unassigned"
                placeholder="Unassigned"
                onChange={(option) => apply("assigneeId", { assigneeId: option?.id ?? null })}
              />
            )}
          </Row>
        ) : (
          <Fact label="Assignee">
            <Assignee person={task.assignee} />
          </Fact>
        )}
        {edit ? (
          <Row label="Due date" error={errors.dueDate}>
            {(id) => (
              <>
                <Input
                  id={id}
                  type="date"
                  defaultValue={task.dueDate ?? ""}
                  key={task.dueDate ?? ""}
                  onBlur={(event) => {
                    const value = event.target.value || null;
                    if (value !== task.dueDate) apply("dueDate", { dueDate: value });
                  }}
                />
                {task.overdue ? <p className="mt-1 text-[13px] font-medium text-red-700">Overdue</p> : null}
              </>
            )}
          </Row>
        ) : (
          <Fact label="Due date">
            <DueDate task={task} />
          </Fact>
        )}
        {edit ? (
          <Row label="Estimate" error={errors.estimateMinutes}>
            {(id) => (
              <EstimateInput
                id={id}
                task={task}
                apply={apply}
                fail={(message) => setErrors((current) => ({ ...current, estimateMinutes: message }))}
              />
            )}
          </Row>
        ) : (
          <Fact label="Estimate">{formatMinutes(task.estimateMinutes)}</Fact>
        )}
        <Fact label="Logged">{formatMinutes(task.loggedMinutes)}</Fact>
        {edit ? (
          <Row label="Labels" error={errors.labels}>
            {(id) => (
              <LabelsInput id={id} value={task.labels} onChange={(labels) => apply("labels", { labels })} />
            )}
          </Row>
        ) : (
          <Fact label="Labels">{task.labels.length ? <Labels labels={task.labels} /> : "—"}</Fact>
        )}
        <Fact label="Project">
          {task.project ? (
            <Link
              to="/o/$org/projects/$projectId/board"
              params={{ org: org.slug, projectId: task.project.id }}
              className="text-accent-700 hover:underline"
            >
              {task.project.name}
            </Link>
          ) : (
            "Personal task"
          )}
        </Fact>
        <Fact label="Reporter">{task.reporter ? `@${task.reporter.username}` : "—"}</Fact>
        <Fact label="Created">{formatDateTime(task.createdAt)}</Fact>
        <Fact label="Updated">{formatDateTime(task.updatedAt)}</Fact>
        {task.completedAt ? <Fact label="Completed">{formatDate(task.completedAt)}</Fact> : null}
      </dl>
    </Card>
  );
}

/** A choice among a field's values, saved when changed. */
function Choice<T extends string>({
  id,
  value,
  options,
  onChange,
}: {
  id: string | undefined;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <Select
      id={id}
      value={value}
      onChange={(event) => {
        const chosen = options.find((option) => option.value === event.target.value);
        if (chosen) onChange(chosen.value);
      }}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </Select>
  );
}

/** "1h 30m", "90" or "1.5h", saved as minutes when the field is left. */
function EstimateInput({
  id,
  task,
  apply,
  fail,
}: {
  id: string | undefined;
  task: Task;
  apply: (field: string, patch: TaskPatch) => void;
  fail: (message: string) => void;
}) {
  const shown = task.estimateMinutes === null ? "" : formatMinutes(task.estimateMinutes);
  return (
    <Input
      id={id}
      key={shown}
      defaultValue={shown}
      placeholder="e.g. 2h 30m"
      onBlur={(event) => {
        const minutes = parseDuration(event.target.value);
        if (minutes !== null && Number.isNaN(minutes)) {
          fail("Write minutes (90) or hours and minutes (1h 30m).");
          return;
        }
        if (minutes !== task.estimateMinutes) apply("estimateMinutes", { estimateMinutes: minutes });
      }}
    />
  );
}
