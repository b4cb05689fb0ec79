import { clientFields } from "@cairn/shared";
import { z } from "zod";
import { clientsApi, type Client } from "../../api/clients";
import { customerPicker, memberPicker } from "../../api/members";
import { useOrg } from "../../app/org";
import { PickerField } from "../../components/AsyncCombobox";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { TextField, TextAreaField } from "../../components/ui/Field";
import { blankOr } from "../../lib/fields";
import { useForm } from "../../lib/form";

/** The client fields of POST/PATCH /api/clients, as the inputs hold them: empty ones are null. */
const clientInput = z.object({
  name: clientFields.name,
  company: clientFields.company,
  contactEmail: blankOr(clientFields.contactEmail.unwrap()),
  phone: blankOr(clientFields.phone.unwrap()),
  notes: clientFields.notes,
  salespersonId: blankOr(clientFields.salespersonId.unwrap()),
  customerUserId: blankOr(clientFields.customerUserId.unwrap()),
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
        ? await clientsApi.update(client.id, body)
        : await clientsApi.create({ orgId: org.id, ...body });
      onSaved(saved, !client);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel={client ? "Save client" : "Create client"}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField form={form} name="name" label="Name" autoFocus autoComplete="off" />
        <TextField form={form} name="company" label="Company" aside="Optional" autoComplete="off" />
        <TextField
          form={form}
          name="contactEmail"
          label="Contact email"
          aside="Optional"
          type="email"
          autoComplete="off"
        />
        <TextField form={form} name="phone" label="Phone" aside="Optional" type="tel" autoComplete="off" />
        {canMembers ? (
          <>
            <PickerField
              form={form}
              name="customerUserId"
              label="Customer account"
              hint="Sees this client's projects with their financials."
              source={customerPicker(org.slug)}
              selectedLabel={client?.customer ? `@${client.customer.username}` : undefined}
              clearLabel="No customer account"
              placeholder="Search customers…"
            />
            <PickerField
              form={form}
              name="salespersonId"
              label="Salesperson"
              hint={client ? undefined : "You, when left empty."}
              source={memberPicker(org.slug, { permission: "clients.manage" })}
              selectedLabel={client?.salesperson ? `@${client.salesperson.username}` : undefined}
              clearLabel={client ? "Nobody" : "Me"}
            />
          </>
        ) : null}
      </div>
      <TextAreaField form={form} name="notes" label="Notes" aside="Optional" rows={3} />
    </DialogForm>
  );
}
