import { TICKET_SEVERITIES, type TicketSeverity } from "@cairn/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ticketKeys, ticketsApi } from "../../api/tickets";
import { useOrg } from "../../app/org";
import { Loaded } from "../../components/Loaded";
import { Button } from "../../components/ui/Button";
import { Checkbox, Field, Input } from "../../components/ui/Field";
import { NoPermission } from "../../components/ui/NoPermission";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { SEVERITY_LABELS, type SlaSettings } from "./model";

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** The organization's service levels (tickets.configure): targets by severity, time zone and business hours. */
export function SlaSettingsPage() {
  const { org, access } = useOrg();
  if (!access.can("members.view") && !access.can("tickets.configure")) return <NoPermission permission="tickets.configure" orgName={org.name} />;
  return (
    <Loaded query={{ queryKey: ticketKeys.sla(org.slug), queryFn: ({ signal }) => ticketsApi.sla(org.slug, signal) }} what="service levels">
      {(settings) => <SlaForm settings={settings} editable={access.can("tickets.configure")} />}
    </Loaded>
  );
}

type Targets = Record<TicketSeverity, { firstResponseMinutes: number; resolutionMinutes: number }>;

function SlaForm({ settings, editable }: { settings: SlaSettings; editable: boolean }) {
  const { org } = useOrg();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [timezone, setTimezone] = useState(settings.timezone);
  const [useHours, setUseHours] = useState(settings.businessHours !== null);
  const [days, setDays] = useState<number[]>(settings.businessHours?.days ?? [1, 2, 3, 4, 5]);
  const [start, setStart] = useState(settings.businessHours?.start ?? "09:00");
  const [end, setEnd] = useState(settings.businessHours?.end ?? "17:00");
  const [targets, setTargets] = useState<Targets>(settings.targets);
  const save = useMutation({
    mutationFn: () => ticketsApi.saveSla(org.slug, { timezone, businessHours: useHours ? { days, start, end } : null, targets }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.sla(org.slug) });
      toast.success("New tickets follow these service levels.");
    },
    onError: (error) => toast.error(errorMessage(error), "The service levels were not saved"),
  });
  const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
  const setTarget = (severity: TicketSeverity, field: "firstResponseMinutes" | "resolutionMinutes", value: string) =>
    setTargets((current) => ({ ...current, [severity]: { ...current[severity], [field]: Math.max(1, Math.round(Number(value) * 60)) } }));
  return (
    <div className="space-y-4">
      <PageHeader
        title="Service levels"
        description={settings.isDefault ? "Cairn's defaults: nothing was set yet." : "How fast support answers and resolves, by severity."}
        actions={
          editable ? (
            <Button variant="primary" disabled={save.isPending} onClick={() => save.mutate()}>
              Save
            </Button>
          ) : null
        }
      />
      <Card title="Targets" description="In business hours when a working week is set, else around the clock. The clock stops while a ticket waits on the customer.">
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-zinc-500">
              <th className="py-1 font-medium">Severity</th>
              <th className="py-1 font-medium">First answer (hours)</th>
              <th className="py-1 font-medium">Resolution (hours)</th>
            </tr>
          </thead>
          <tbody>
            {[...TICKET_SEVERITIES].reverse().map((severity) => (
              <tr key={severity}>
                <th scope="row" className="py-1 text-left font-medium text-zinc-800">
                  {SEVERITY_LABELS[severity]}
                </th>
                <td className="py-1 pr-2">
                  <Input aria-label={`${SEVERITY_LABELS[severity]}: first answer in hours`} type="number" min={0.25} step={0.25} disabled={!editable} value={hours(targets[severity].firstResponseMinutes)} onChange={(event) => setTarget(severity, "firstResponseMinutes", event.target.value)} />
                </td>
                <td className="py-1">
                  <Input aria-label={`${SEVERITY_LABELS[severity]}: resolution in hours`} type="number" min={0.25} step={0.25} disabled={!editable} value={hours(targets[severity].resolutionMinutes)} onChange={(event) => setTarget(severity, "resolutionMinutes", event.target.value)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Business hours">
        <div className="space-y-3">
          <Field label="Time zone" hint="An IANA name, e.g. Europe/Berlin.">
            {(props) => <Input {...props} value={timezone} disabled={!editable} onChange={(event) => setTimezone(event.target.value)} />}
          </Field>
          <Checkbox label="Count only working hours" checked={useHours} disabled={!editable} onChange={(event) => setUseHours(event.target.checked)} />
          {useHours ? (
            <>
              <fieldset className="flex flex-wrap gap-3">
                <legend className="mb-1 text-[13px] font-medium text-zinc-800">Working days</legend>
                {DAYS.map((day, index) => (
                  <Checkbox
                    key={day}
                    label={day}
                    disabled={!editable}
                    checked={days.includes(index + 1)}
                    onChange={(event) => setDays((current) => (event.target.checked ? [...current, index + 1].sort() : current.filter((value) => value !== index + 1)))}
                  />
                ))}
              </fieldset>
              <div className="flex gap-3">
                <Field label="From">{(props) => <Input {...props} type="time" value={start} disabled={!editable} onChange={(event) => setStart(event.target.value)} />}</Field>
                <Field label="To">{(props) => <Input {...props} type="time" value={end} disabled={!editable} onChange={(event) => setEnd(event.target.value)} />}</Field>
              </div>
            </>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
