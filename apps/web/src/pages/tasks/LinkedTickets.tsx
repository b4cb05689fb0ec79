import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { ticketKeys, ticketsApi } from "../../api/tickets";
import { useOrg } from "../../app/org";
import { StatusBadge } from "../tickets/TicketBits";
import type { Task } from "./model";

/**
 * The support tickets a task was made from (POST /api/tickets/{id}/task), shown to whoever may see
 * tickets here: the other side of the ticket page's "Linked task".
 */
export function LinkedTickets({ task }: { task: Task }) {
  const { org, access } = useOrg();
  const mayList = access.can("tickets.manage") || access.can("tickets.add");
  const params = { org: org.slug, task: task.id, pageSize: 5 };
  const query = useQuery({
    queryKey: ticketKeys.list(params),
    queryFn: ({ signal }) => ticketsApi.list(params, signal),
    enabled: mayList,
  });
  const tickets = query.data?.items ?? [];
  if (!tickets.length) return null;
  return (
    <section
      aria-labelledby="linked-tickets"
      className="rounded-lg border border-zinc-200 bg-white px-4 py-3"
    >
      <h2 id="linked-tickets" className="text-sm font-semibold text-zinc-900">
        {tickets.length === 1 ? "Made from a support ticket" : "Made from support tickets"}
      </h2>
      <ul className="mt-2 space-y-1.5">
        {tickets.map((ticket) => (
          <li key={ticket.id} className="flex flex-wrap items-center gap-2 text-sm">
            <Link
              to="/o/$org/tickets/$ticketId"
              params={{ org: org.slug, ticketId: ticket.id }}
              className="font-medium text-accent-700 hover:underline"
            >
              <span className="font-mono text-xs">{ticket.key}</span> {ticket.title}
            </Link>
            <StatusBadge ticket={ticket} />
          </li>
        ))}
      </ul>
    </section>
  );
}
