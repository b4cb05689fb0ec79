import { z } from "zod";
import { useOrg } from "../../app/org";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Field, Input, Select, Textarea } from "../../components/ui/Field";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { personLabel, useMemberOptions, type Client } from "../projects/model";

/** The client fields of POST/PATCH /api/clients, as the inputs hold them. */
const clientInput = z.object({
  name: z.string().trim().min(1, "Give the client a name.").max(120),
  company: z.string().trim().max(120),
  contactEmail: z
    .string()
    .trim()
    .refine((value) => value === "" || z.email().safeParse(value).success, "Enter an email address."),
  phone: z
    .string()
    .trim()
    .refine(
      (value) => value === "" || /^\+?[0-9 ()-]{5,30}$/.test(value),
      "Digits, spaces, dashes and parentheses, optionally starting with +.",
    ),
  notes: z.string().max(5000),
  salespersonId: z.string(),
  customerUserId: z.string(),
});

/** Create (client null) or edit a client. */
export function ClientDialog({
  open,
  client,
  onClose,
  onSaved,
}: {
  open: boolean;
  client: Client | null;
  onClose: () => void;
  onSaved: (client: Client, created: boolean) => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={client ? `Edit ${client.name}` : "New client"}
      description="Link a customer account to let that person follow the client's projects and their financials."
    >
      <ClientForm client={client} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

function ClientForm({
  client,
  onClose,
  onSaved,
}: {
  client: Client | null;
  onClose: () => void;
  onSaved: (client: Client, created: boolean) => void;
}) {
  const { org, access } = useOrg();
  const canMembers = access.can("members.view");
  const customers = useMemberOptions(org.slug, canMembers, "customer");
  const salespeople = useMemberOptions(org.slug, canMembers, "salesperson");
  const form = useForm({
    schema: clientInput,
    initial: {
      name: client?.name ?? "",
      company: client?.company ?? "",
      contactEmail: client?.contactEmail ?? "",
      phone: client?.phone ?? "",
      notes: client?.notes ?? "",
      salespersonId: client?.salespersonId ?? "",
      customerUserId: client?.customerUserId ?? "",
    },
    onSubmit: async (values) => {
      const body = {
        name: values.name,
        company: values.company,
        contactEmail: values.contactEmail || null,
        phone: values.phone || null,
        notes: values.notes,
        ...(canMembers
          ? {
              customerUserId: values.customerUserId || null,
              salespersonId: values.salespersonId || (client ? null : undefined),
            }
          : {}),
      };
      const saved = client
        ? await api<Client>(`/api/clients/${client.id}`, { method: "PATCH", body })
        : await api<Client>("/api/clients", { method: "POST", body: { orgId: org.id, ...body } });
      onSaved(saved, !client);
      onClose();
    },
  });
  // Someone linked already stays choosable even when the list does not include them.
  const customerOptions = [...(customers.data ?? [])];
  if (client?.customer && !customerOptions.some((person) => person.id === client.customer?.id))
    customerOptions.unshift({ id: client.customer.id, username: client.customer.username, displayName: "" });
  const salesOptions = [...(salespeople.data ?? [])];
  if (client?.salesperson && !salesOptions.some((person) => person.id === client.salesperson?.id))
    salesOptions.unshift({
      id: client.salesperson.id,
      username: client.salesperson.username,
      displayName: "",
    });

  return (
    <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className="space-y-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" error={form.errors.name}>
          {(props) => <Input {...props} {...form.input("name")} autoFocus autoComplete="off" />}
        </Field>
        <Field label="Company" error={form.errors.company} aside="Optional">
          {(props) => <Input {...props} {...form.input("company")} autoComplete="off" />}
        </Field>
        <Field label="Contact email" error={form.errors.contactEmail} aside="Optional">
          {(props) => <Input {...props} {...form.input("contactEmail")} type="email" autoComplete="off" />}
        </Field>
        <Field label="Phone" error={form.errors.phone} aside="Optional">
          {(props) => <Input {...props} {...form.input("phone")} type="tel" autoComplete="off" />}
        </Field>
        {canMembers ? (
          <>
            <Field
              label="Customer account"
              error={form.errors.customerUserId}
              hint="Sees this client's projects with their financials."
            >
              {(props) => (
                <Select {...props} {...form.input("customerUserId")}>
                  <option value="">No customer account</option>
                  {customerOptions.map((person) => (
                    <option key={person.id} value={person.id}>
                      {personLabel(person)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field
              label="Salesperson"
              error={form.errors.salespersonId}
              hint={client ? undefined : "You, when left empty."}
            >
              {(props) => (
                <Select {...props} {...form.input("salespersonId")}>
                  <option value="">{client ? "Nobody" : "Me"}</option>
                  {salesOptions.map((person) => (
                    <option key={person.id} value={person.id}>
                      {personLabel(person)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </>
        ) : null}
      </div>
      <Field label="Notes" error={form.errors.notes} aside="Optional">
        {(props) => <Textarea {...props} {...form.input("notes")} rows={3} />}
      </Field>
      <DialogFooter>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="primary" loading={form.submitting}>
          {client ? "Save client" : "Create client"}
        </Button>
      </DialogFooter>
    </form>
  );
}
