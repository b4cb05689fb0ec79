import { phoneCodeInput } from "@cairn/shared";
import { Alert } from "../../components/ui/Alert";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Form, TextField } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { useForm } from "../../lib/form";
import type { Me } from "../../lib/types";
import { CodeForm, ResendWait, usePhoneCode } from "../onboarding/phoneCode";

/**
 * The caller's phone number, changed with a code like the first time (POST /api/me/phone/code
 * makes the typed number the profile's, unconfirmed, then /verify confirms it). The rule of
 * verification, said where it applies: a verified developer stays verified meanwhile.
 */
export function PhoneCard({ me }: { me: Me }) {
  const toast = useToast();
  const current = me.profile.phone ?? null;
  const confirmed = Boolean(current && me.profile.phoneVerified);
  const phoneCode = usePhoneCode(() => toast.success("Your phone number is confirmed.", "Phone confirmed"));
  const { sendError, send, sentTo } = phoneCode;
  const form = useForm({
    schema: phoneCodeInput,
    initial: { phone: current ?? "" },
    onSubmit: async ({ phone }) => {
      if (phone === current && confirmed) {
        form.setErrors({ phone: "This number is already confirmed. Type the new one." });
        return;
      }
      await send(phone);
    },
  });
  const waiting = Boolean(current && !confirmed);
  const wait = phoneCode.waitFor(String(form.values.phone ?? "").trim());

  return (
    <Card
      title="Phone"
      description="Private: only you and administrators see it. A new number is confirmed with a 6-digit code sent by SMS."
      actions={
        current ? (
          <Badge tone={confirmed ? "green" : "amber"}>{confirmed ? "Confirmed" : "Not confirmed"}</Badge>
        ) : null
      }
    >
      <div className="space-y-4">
        {me.onboarding.verified ? (
          <p className="text-[13px] text-zinc-600">
            You stay a verified developer while you confirm a new number. Until you enter its code, the new
            number is shown as not confirmed.
          </p>
        ) : null}
        {waiting && sentTo === null ? (
          <Alert tone="warning">
            {current} is not confirmed yet. Send a code to it, or to another number.
          </Alert>
        ) : null}
        <Form form={form}>
          <div className="flex flex-wrap items-end gap-3">
            <TextField
              form={form}
              name="phone"
              label="Phone number"
              hint="International format, e.g. +15551234567."
              className="w-72"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="+15551234567"
            />
            <Button type="submit" loading={phoneCode.sending} disabled={wait > 0} className="mb-6">
              {sentTo !== null ? "Send a new code" : "Send code"}
            </Button>
          </div>
          {wait > 0 ? (
            <p className="text-[13px] text-zinc-600" aria-live="polite">
              <ResendWait seconds={wait} />
            </p>
          ) : null}
        </Form>
        {sendError ? <Alert tone="error">{sendError}</Alert> : null}
        <CodeForm phoneCode={phoneCode} phone={current} />
      </div>
    </Card>
  );
}
