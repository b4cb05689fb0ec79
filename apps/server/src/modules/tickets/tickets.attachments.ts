import { and, eq } from "drizzle-orm";
import { allow, can, requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { defineAttachmentOwner } from "../../platform/storage/owners.js";
import { ticketPolicy } from "./tickets.policy.js";
import { findVisibleTicket, ticketSubject, type TicketRow } from "./tickets.queries.js";
import { ticketComments } from "./tickets.table.js";

/** Largest file on a ticket or a comment (like task attachments). */
export const MAX_TICKET_FILE_BYTES = 25 * 1024 * 1024;

async function visibleTicket(ctx: Ctx, ticketId: string): Promise<TicketRow | null> {
  return findVisibleTicket(ctx, ticketId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
}

/**
 * Files of a ticket (GET/POST /api/tickets/{id}/attachments): whoever sees the
 * ticket reads and attaches (a customer's screenshot, a support engineer's
 * log); the uploader and the ticket's handlers delete.
 */
export const ticketAttachments = defineAttachmentOwner<TicketRow>({
  type: "ticket",
  path: "tickets",
  upload: { maxBytes: MAX_TICKET_FILE_BYTES, accept: "any", area: "tickets" },
  async canRead(ctx, ticketId) {
    const row = await visibleTicket(ctx, ticketId);
    return row ? { orgId: row.ticket.orgId, subject: row } : null;
  },
  canAdd: (ctx, row) => ticketPolicy.rules.comment(requireUser(ctx.actor), ticketSubject(row)),
  canDelete: (ctx, row, attachment) =>
    attachment.uploadedById === requireUser(ctx.actor).userId ? allow : ticketPolicy.rules.manage(requireUser(ctx.actor), ticketSubject(row)),
});

type CommentOwner = { row: TicketRow; authorId: string | null };

/**
 * Files of one comment (GET/POST /api/ticket-comments/{id}/attachments): read
 * by whoever reads the comment (an internal note's files only by handlers);
 * attached by the comment's author (and handlers); deleted by the uploader and handlers.
 */
export const ticketCommentAttachments = defineAttachmentOwner<CommentOwner>({
  type: "ticket_comment",
  path: "ticket-comments",
  upload: { maxBytes: MAX_TICKET_FILE_BYTES, accept: "any", area: "tickets" },
  async canRead(ctx, commentId) {
    const actor = requireUser(ctx.actor);
    const orgIds = actor.isSuperuser ? null : actor.orgs.map((org) => org.orgId);
    if (orgIds && !orgIds.length) return null;
    const [comment] = await ctx.tx
      .select({ ticketId: ticketComments.ticketId, orgId: ticketComments.orgId, authorId: ticketComments.authorId, internal: ticketComments.internal })
      .from(ticketComments)
      .where(and(eq(ticketComments.id, commentId)));
    if (!comment || (orgIds && !orgIds.includes(comment.orgId))) return null;
    const row = await visibleTicket(ctx, comment.ticketId);
    if (!row) return null;
    if (comment.internal && !can(actor, ticketPolicy, "addInternalNote", ticketSubject(row))) return null;
    return { orgId: row.ticket.orgId, subject: { row, authorId: comment.authorId } };
  },
  canAdd: (ctx, owner) => {
    const actor = requireUser(ctx.actor);
    return owner.authorId === actor.userId ? allow : ticketPolicy.rules.manage(actor, ticketSubject(owner.row));
  },
  canDelete: (ctx, owner, attachment) =>
    attachment.uploadedById === requireUser(ctx.actor).userId ? allow : ticketPolicy.rules.manage(requireUser(ctx.actor), ticketSubject(owner.row)),
});
