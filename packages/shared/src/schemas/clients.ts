import { z } from "zod";

/** Shapes of the clients API that the server validates and documents and the web form checks. */

/** A client's phone as people write it: digits, spaces, dashes and parentheses, optionally a leading +. */
export const CLIENT_PHONE_PATTERN = /^\+?[0-9 ()-]{5,30}$/;

/** What GET /api/clients orders by (`?ordering=field` or `-field`). */
export const CLIENT_ORDERINGS = ["name", "createdAt"] as const;

/** The writable fields of a client, each as POST and PATCH /api/clients take it. */
export const clientFields = {
  name: z.string().trim().min(1, "Give the client a name.").max(120, "At most 120 characters."),
  company: z.string().trim().max(120, "At most 120 characters."),
  contactEmail: z.email("Enter an email address.").max(254).nullable(),
  phone: z
    .string()
    .trim()
    .regex(CLIENT_PHONE_PATTERN, "Digits, spaces, dashes and parentheses, optionally starting with +.")
    .nullable(),
  notes: z.string().max(5000, "At most 5,000 characters."),
  salespersonId: z.uuid().nullable(),
  customerUserId: z.uuid().nullable(),
};

/** POST /api/clients: the caller is the salesperson unless another is named. */
export const createClientInput = z.object({
  orgId: z.string().max(64).optional(),
  name: clientFields.name,
  company: clientFields.company.optional(),
  contactEmail: clientFields.contactEmail.optional(),
  phone: clientFields.phone.optional(),
  notes: clientFields.notes.optional(),
  salespersonId: clientFields.salespersonId.optional(),
  customerUserId: clientFields.customerUserId.optional(),
});
export type CreateClientInput = z.output<typeof createClientInput>;

/** PATCH /api/clients/{id}: any writable field; null clears. */
export const updateClientInput = z
  .object({
    name: clientFields.name.optional(),
    company: clientFields.company.optional(),
    contactEmail: clientFields.contactEmail.optional(),
    phone: clientFields.phone.optional(),
    notes: clientFields.notes.optional(),
    salespersonId: clientFields.salespersonId.optional(),
    customerUserId: clientFields.customerUserId.optional(),
  })
  .strict();
export type UpdateClientInput = z.output<typeof updateClientInput>;
