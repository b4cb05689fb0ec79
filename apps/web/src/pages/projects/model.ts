/**
 * Shapes of the projects, clients and teams APIs (apps/server/src/modules/{projects,clients,teams}),
 * their labels and colours. Their URLs and cache keys live in api/projects.ts, api/clients.ts and
 * api/teams.ts.
 */
import type {
  PaymentDecision,
  PaymentMethod,
  PaymentStatus,
  ProjectMemberRole,
  ProjectPriority,
  ProjectStatus,
  ProjectVisibility,
} from "@cairn/shared";
import type { BadgeTone } from "../../components/ui/Badge";

// The enums are the API's own, from @cairn/shared; the labels and colours below are the UI's.
export {
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PROJECT_MEMBER_ROLES,
  PROJECT_ORDERINGS,
  PROJECT_PRIORITIES,
  PROJECT_STATUSES,
  PROJECT_VISIBILITIES,
} from "@cairn/shared";
export type { PaymentMethod, PaymentStatus, ProjectPriority, ProjectStatus };

type Ref = { id: string; name: string };
type Person = { id: string; username: string };

export type Project = {
  id: string;
  orgId: string;
  key: string;
  name: string;
  description: string;
  status: ProjectStatus;
  priority: ProjectPriority;
  visibility: ProjectVisibility;
  clientId: string | null;
  teamId: string | null;
  ownerId: string | null;
  managerId: string | null;
  client: Ref | null;
  team: Ref | null;
  owner: Person | null;
  manager: Person | null;
  startDate: string | null;
  dueDate: string | null;
  archived: boolean;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  /** The financial fields are absent for callers without projects.view_financials (paymentStatus too). */
  cost?: string;
  discount?: string;
  netPrice?: string;
  currency?: string;
  paymentStatus?: PaymentStatus;
  /** Approved payments; the same as `paidAmount`. */
  amountPaid?: string;
  paidAmount?: string;
  statusTransitions: ProjectStatus[];
  /**
   * update, changeStatus, delete, manageMembers, viewFinancials, viewPayments, addPayment, uploadFile,
   * deleteFile, viewAudit; viewTeam and viewClient when the caller may open the project's team or clients.
   */
  allowedActions: string[];
};

export type ProjectMember = {
  userId: string;
  username: string;
  displayName: string;
  role: ProjectMemberRole;
  addedAt: string;
};

export type ProjectDetail = Project & { members: ProjectMember[] };

export type Payment = {
  id: string;
  projectId: string;
  amount: string;
  currency: string;
  method: PaymentMethod;
  reference: string;
  paidOn: string;
  status: PaymentDecision;
  recordedBy: Person | null;
  /** Who verified and their note are internal: absent for the customer of the project's client. */
  verifiedBy?: Person | null;
  verifiedAt: string | null;
  note?: string;
  createdAt: string;
  /** "verify" while pending, for a verifier who did not record it. */
  allowedActions: string[];
};

export type ProjectFile = {
  id: string;
  name: string;
  contentType: string;
  size: number;
  uploadedBy: Person | null;
  createdAt: string;
  downloadUrl: string;
  allowedActions: string[];
};

export type ProjectStatistics = {
  projectId: string;
  tasks: {
    total: number;
    byStatus: Record<string, number>;
    byPriority: Record<string, number>;
    overdue: number;
  };
  hoursLogged: number;
  completionPercent: number;
  members: number;
  files: number;
  daysLeft: number | null;
};

export type AuditEntry = {
  id: string;
  orgId: string | null;
  actor: Person | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, [unknown, unknown]>;
  ip: string | null;
  requestId: string | null;
  createdAt: string;
  /** The project it is about: itself, or a payment's. */
  project: { id: string; name: string } | null;
  /** The entity's name as it is now (a client's, a team's, a member's username); null once deleted. */
  entityName: string | null;
  /** Usernames of the people its changes name by id. */
  people: Record<string, string>;
};

export type Client = {
  id: string;
  orgId: string;
  name: string;
  company: string;
  contactEmail: string | null;
  phone: string | null;
  notes: string;
  salespersonId: string | null;
  customerUserId: string | null;
  salesperson: Person | null;
  customer: Person | null;
  projectCount: number;
  createdAt: string;
  updatedAt: string;
  /** view, update, delete */
  allowedActions: string[];
};

export type Team = {
  id: string;
  orgId: string;
  name: string;
  description: string;
  managerId: string | null;
  manager: Person | null;
  members: { userId: string; username: string }[];
  createdAt: string;
  updatedAt: string;
  /** view, update, delete, manageMembers, assignManager */
  allowedActions: string[];
};

export const STATUS_LABELS: Record<ProjectStatus, string> = {
  planning: "Planning",
  active: "Active",
  on_hold: "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const STATUS_TONES: Record<ProjectStatus, BadgeTone> = {
  planning: "blue",
  active: "green",
  on_hold: "amber",
  completed: "accent",
  cancelled: "neutral",
};

export const PRIORITY_LABELS: Record<ProjectPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  urgent: "Urgent",
};

export const PRIORITY_TONES: Record<ProjectPriority, BadgeTone> = {
  low: "neutral",
  medium: "blue",
  high: "amber",
  urgent: "red",
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  unpaid: "Unpaid",
  pending: "Awaiting verification",
  partly_paid: "Partly paid",
  paid: "Paid",
  overpaid: "Overpaid",
};

export const PAYMENT_STATUS_TONES: Record<PaymentStatus, BadgeTone> = {
  unpaid: "neutral",
  pending: "amber",
  partly_paid: "blue",
  paid: "green",
  overpaid: "accent",
};

export const METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: "Bank transfer",
  card: "Card",
  cash: "Cash",
  cheque: "Cheque",
  other: "Other",
};

export const can = (object: { allowedActions: string[] } | undefined, action: string) =>
  object?.allowedActions.includes(action) ?? false;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A `YYYY-MM-DD` date as people read it (dates carry no time zone). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export function formatDateTime(value: string): string {
  return dateTimeFormat.format(new Date(value));
}

/** Exact decimal strings shown with grouping, never through a float's rounding on the way in. */
export function formatMoney(value: string | undefined, currency = "USD"): string {
  if (value === undefined) return "—";
  const [whole = "0", fraction = "00"] = value.replace(/^-/, "").split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value.startsWith("-") ? "−" : ""}${grouped}.${fraction.padEnd(2, "0")} ${currency}`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
