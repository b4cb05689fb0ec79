import { MONEY_PATTERN, projectFieldProblems, projectFields } from "@cairn/shared";
import { Link } from "@tanstack/react-router";
import { z } from "zod";
import { clientPicker } from "../../api/clients";
import { teamPicker } from "../../api/teams";
import { useOrg } from "../../app/org";
import { PickerField } from "../../components/AsyncCombobox";
import { Button, buttonClass } from "../../components/ui/Button";
import { Field, Select, TextField, TextAreaField, Form } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { blankOr } from "../../lib/fields";
import { useForm } from "../../lib/form";
import { MONEY, toCents, withoutGrouping } from "../../lib/money";
import { formatMoney, PRIORITY_LABELS, PROJECT_PRIORITIES, type Project } from "./model";

/** Typed as shown ("5,000.00") or plain; sent plain ("5000.00"). */
const money = z
  .string()
  .transform(withoutGrouping)
  .refine(
    (value) => value === "" || MONEY.test(value),
    'An amount with at most two decimals, e.g. "1,250.00".',
  );

/** The form's values are what the inputs hold, checked by the API's field schemas and rules between fields. */
export const projectFormSchema = z
  .object({
    name: projectFields.name,
    key: blankOr(projectFields.key),
    description: projectFields.description,
    clientId: blankOr(projectFields.clientId.unwrap()),
    teamId: blankOr(projectFields.teamId.unwrap()),
    visibility: projectFields.visibility,
    priority: projectFields.priority,
    cost: money,
    discount: money,
    currency: blankOr(projectFields.currency),
    startDate: blankOr(projectFields.startDate.unwrap()),
    dueDate: blankOr(projectFields.dueDate.unwrap()),
  })
  .superRefine((values, context) => {
    // An amount its own field refuses counts as none here: that field says what is wrong.
    const amount = (value: string) => (MONEY_PATTERN.test(value) ? value : "0");
    const problems = projectFieldProblems({
      ...values,
      cost: amount(values.cost),
      discount: amount(values.discount),
    });
    for (const { path, message } of problems) context.addIssue({ code: "custom", path: [path], message });
  });

export type ProjectFormValues = z.input<typeof projectFormSchema>;

export function initialProjectValues(project?: Project): ProjectFormValues {
  return {
    name: project?.name ?? "",
    key: project?.key ?? "",
    description: project?.description ?? "",
    clientId: project?.clientId ?? "",
    teamId: project?.teamId ?? "",
    visibility: project?.visibility ?? "organization",
    priority: project?.priority ?? "medium",
    cost: project?.cost ?? "",
    discount: project?.discount ?? "",
    currency: project?.currency ?? "USD",
    startDate: project?.startDate ?? "",
    dueDate: project?.dueDate ?? "",
  };
}

/** The request body: empty optional fields left out (create) or cleared (edit). */
export function projectBody(
  values: z.output<typeof projectFormSchema>,
  options: { financials: boolean; clients: boolean; editing: boolean },
) {
  const empty = options.editing ? null : undefined;
  return {
    name: values.name,
    key: values.key || undefined,
    description: values.description,
    clientId: options.clients ? values.clientId || empty : undefined,
    teamId: values.teamId || empty,
    visibility: values.visibility,
    priority: values.priority,
    ...(options.financials
      ? {
          cost: values.cost || (options.editing ? "0" : undefined),
          discount: values.discount || (options.editing ? "0" : undefined),
          currency: values.currency || undefined,
        }
      : {}),
    startDate: values.startDate || empty,
    dueDate: values.dueDate || empty,
  };
}

/** Create and edit share this form; `financials` shows cost, discount and currency. */
export function ProjectForm({
  initial,
  financials,
  submitLabel,
  onSubmit,
  cancel,
  selected,
}: {
  initial: ProjectFormValues;
  /** The names of the project's client and team, shown without looking them up. */
  selected?: { client?: string | undefined; team?: string | undefined };
  financials: boolean;
  submitLabel: string;
  onSubmit: (values: z.output<typeof projectFormSchema>) => Promise<void>;
  cancel: { to: "/o/$org/projects" } | { to: "/o/$org/projects/$projectId"; projectId: string };
}) {
  const { org, access } = useOrg();
  const canClients = access.can("clients.view");
  const form = useForm({ schema: projectFormSchema, initial, onSubmit });
  const cost = withoutGrouping(form.values.cost) || "0";
  const discount = withoutGrouping(form.values.discount) || "0";
  const net =
    financials && MONEY.test(cost) && MONEY.test(discount) ? (toCents(cost) - toCents(discount)) / 100 : null;

  return (
    <Form form={form} className="max-w-3xl space-y-4">
      <Card title="Project">
        <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
          <TextField form={form} name="name" label="Name" autoFocus autoComplete="off" />
          <TextField
            form={form}
            name="key"
            label="Key"
            aside="Optional"
            hint="Task prefix"
            placeholder="WEB"
            autoComplete="off"
            spellCheck={false}
            inputClassName="uppercase"
          />
        </div>
        <TextAreaField
          form={form}
          name="description"
          label="Description"
          aside="Optional"
          className="mt-4"
          rows={4}
        />
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          {canClients ? (
            <PickerField
              form={form}
              name="clientId"
              label="Client"
              aside="Optional"
              source={clientPicker(org.slug)}
              selectedLabel={selected?.client}
              clearLabel="No client"
            />
          ) : null}
          <PickerField
            form={form}
            name="teamId"
            label="Team"
            aside="Optional"
            source={teamPicker(org.slug)}
            selectedLabel={selected?.team}
            clearLabel="No team"
          />
          <Field
            label="Visibility"
            error={form.errors.visibility}
            hint={
              form.values.visibility === "team"
                ? "Only the team, its manager and administrators see it."
                : "Every member who may view projects sees it."
            }
          >
            {(props) => (
              <Select {...props} {...form.input("visibility")}>
                <option value="organization">Organization</option>
                <option value="team">Team only</option>
              </Select>
            )}
          </Field>
          <Field label="Priority" error={form.errors.priority}>
            {(props) => (
              <Select {...props} {...form.input("priority")}>
                {PROJECT_PRIORITIES.map((priority) => (
                  <option key={priority} value={priority}>
                    {PRIORITY_LABELS[priority]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      </Card>
      <Card title="Timeline">
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField form={form} name="startDate" label="Start date" aside="Optional" type="date" />
          <TextField
            form={form}
            name="dueDate"
            label="Due date"
            aside="Optional"
            type="date"
            min={form.values.startDate}
          />
        </div>
      </Card>
      {financials ? (
        <Card
          title="Financials"
          description="Seen by finance, sales, managers and the client's customer account."
        >
          <div className="grid gap-4 sm:grid-cols-[1fr_1fr_7rem]">
            <TextField form={form} name="cost" label="Cost" inputMode="decimal" placeholder="0.00" />
            <TextField form={form} name="discount" label="Discount" inputMode="decimal" placeholder="0.00" />
            <TextField
              form={form}
              name="currency"
              label="Currency"
              maxLength={3}
              inputClassName="uppercase"
            />
          </div>
          <p className="mt-3 text-sm text-zinc-600" aria-live="polite">
            Net price:{" "}
            <span className="font-medium text-zinc-900 tabular-nums">
              {net === null || net < 0 ? "—" : formatMoney(net.toFixed(2), form.values.currency || "")}
            </span>
          </p>
        </Card>
      ) : null}
      <div className="flex justify-end gap-2">
        {"projectId" in cancel ? (
          <Link
            to="/o/$org/projects/$projectId"
            params={{ org: org.slug, projectId: cancel.projectId }}
            className={buttonClass("secondary")}
          >
            Cancel
          </Link>
        ) : (
          <Link to="/o/$org/projects" params={{ org: org.slug }} className={buttonClass("secondary")}>
            Cancel
          </Link>
        )}
        <Button type="submit" variant="primary" loading={form.submitting}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
