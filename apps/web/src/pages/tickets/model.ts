import type { SlaState, TicketSeverity, TicketStatus } from "@cairn/shared";
import type { BadgeTone } from "../../components/ui/Badge";

/** A ticket as the API shows it (API.md "Shapes"). */
export type Ticket = {
  id: string;
  orgId: string;
  projectId: string;
  key: string;
  number: number;
  title: string;
  description: string;
  severity: TicketSeverity;
  status: TicketStatus;
  reporterId: string | null;
  assigneeId: string | null;
  linkedTaskId: string | null;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  firstRespondedAt: string | null;
  resolvedAt: string | null;
  slaState: SlaState;
  escalatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  project: { id: string; key: string; name: string };
  reporter: { id: string; username: string } | null;
  assignee: { id: string; username: string } | null;
  linkedTask: { id: string; key: string; status: string } | null;
  allowedActions: string[];
};

export type TicketComment = {
  id: string;
  ticketId: string;
  authorId: string | null;
  author: { id: string; username: string } | null;
  body: string;
  internal: boolean;
  createdAt: string;
};

export type TicketFile = { id: string; name: string; size: number; contentType: string; downloadUrl: string; createdAt: string };

export type SlaSettings = {
  orgId: string;
  timezone: string;
  businessHours: { days: number[]; start: string; end: string } | null;
  targets: Record<TicketSeverity, { firstResponseMinutes: number; resolutionMinutes: number }>;
  isDefault: boolean;
};

export const SEVERITY_LABELS: Record<TicketSeverity, string> = { low: "Low", medium: "Medium", high: "High", critical: "Critical" };
export const SEVERITY_TONES: Record<TicketSeverity, BadgeTone> = { low: "neutral", medium: "blue", high: "amber", critical: "red" };
export const STATUS_TONES: Record<TicketStatus, BadgeTone> = {
  open: "accent",
  in_progress: "blue",
  waiting_on_customer: "amber",
  resolved: "green",
  closed: "neutral",
};
export const SLA_LABELS: Record<SlaState, string> = { on_track: "On track", at_risk: "At risk", breached: "Breached", met: "Met", paused: "Paused" };
export const SLA_TONES: Record<SlaState, BadgeTone> = { on_track: "green", at_risk: "amber", breached: "red", met: "neutral", paused: "neutral" };

/** "in 3 h 20 min", "12 min ago": how far a deadline is from now, in words. */
export function untilWords(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  const size = Math.abs(minutes);
  const text = size >= 48 * 60 ? `${Math.round(size / (24 * 60))} days` : size >= 60 ? `${Math.floor(size / 60)} h ${size % 60} min` : `${size} min`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

/** The deadline the SLA badge counts down to: the first answer while it is awaited, then the resolution. */
export function nextDeadline(ticket: Pick<Ticket, "firstRespondedAt" | "firstResponseDueAt" | "resolutionDueAt">): { label: string; at: string } {
  return ticket.firstRespondedAt
    ? { label: "Resolution due", at: ticket.resolutionDueAt }
    : { label: "First answer due", at: ticket.firstResponseDueAt };
}
