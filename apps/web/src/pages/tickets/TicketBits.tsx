import { useEffect, useState } from "react";
import { Badge } from "../../components/ui/Badge";
import { SEVERITY_LABELS, SEVERITY_TONES, SLA_LABELS, SLA_TONES, STATUS_TONES, nextDeadline, untilWords, type Ticket } from "./model";
import { TICKET_STATUS_LABELS } from "@cairn/shared";

/** Re-renders every 30 seconds, so countdowns move without a reload. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The SLA badge: its state in colour (green on track, amber at risk, red breached) and, while the
 * clock runs, the countdown to the next deadline.
 */
export function SlaBadge({ ticket }: { ticket: Ticket }) {
  const now = useNow();
  const running = ticket.slaState === "on_track" || ticket.slaState === "at_risk" || (ticket.slaState === "breached" && (ticket.status === "open" || ticket.status === "in_progress"));
  const deadline = nextDeadline(ticket);
  return (
    <span title={running ? `${deadline.label} ${new Date(deadline.at).toLocaleString()}` : undefined} data-sla={ticket.slaState}>
      <Badge tone={SLA_TONES[ticket.slaState]}>
        {SLA_LABELS[ticket.slaState]}
        {running ? ` · ${untilWords(deadline.at, now)}` : ""}
      </Badge>
    </span>
  );
}

export function SeverityBadge({ ticket }: { ticket: Pick<Ticket, "severity"> }) {
  return <Badge tone={SEVERITY_TONES[ticket.severity]}>{SEVERITY_LABELS[ticket.severity]}</Badge>;
}

export function StatusBadge({ ticket }: { ticket: Pick<Ticket, "status"> }) {
  return <Badge tone={STATUS_TONES[ticket.status]}>{TICKET_STATUS_LABELS[ticket.status]}</Badge>;
}
