import { phoneVerifyInput } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { TextField, Form } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api, ApiError, errorMessage } from "../../lib/api";
import { useForm } from "../../lib/form";
import { meKey } from "../../lib/me";
import type { Me } from "../../lib/types";

const RESEND_SECONDS = 30;

type CodeSent = { phone: string; expiresAt: string; resendAfterSeconds: number };
type Verified = { phoneVerified: true; verified: boolean; roles: string[]; permissions: string[] };

/** Seconds left until `until` (ms since the epoch), ticking once a second while above zero. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= until) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

/** POST /api/me/phone/code, then /verify: the last step of the onboarding. */
export function PhoneStep({ me, onVerified }: { me: Me; onVerified: (result: Verified) => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const phone = me.profile.phone ?? null;
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState<number | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const wait = useCountdown(resendAt);

  const form = useForm({
    schema: phoneVerifyInput,
    initial: { code: "" },
    onSubmit: async ({ code }) => {
      try {
        const result = await api<Verified>("/api/me/phone/verify", { method: "POST", body: { code } });
        await queryClient.invalidateQueries({ queryKey: meKey });
        void queryClient.invalidateQueries({ queryKey: ["orgs"] });
        toast.success(
          result.verified ? "You are now a verified developer." : "Your phone number is confirmed.",
          "Phone confirmed",
        );
        onVerified(result);
      } catch (error) {
        // The fifth wrong try burns the code: a new one is needed (the server says when).
        if (error instanceof ApiError && error.status === 429) {
          setSentTo(null);
          setResendAt(Date.now() + (error.retryAfter ?? 1) * 1000);
          form.setValue("code", "");
          form.setFormError(error.problem.detail ?? "Too many wrong codes. Ask for a new one.");
          return;
        }
        throw error;
      }
    },
  });

  const send = async () => {
    if (!phone) return;
    setSending(true);
    setSendError(null);
    form.setFormError(null);
    try {
      const sent = await api<CodeSent>("/api/me/phone/code", { method: "POST", body: { phone } });
      setSentTo(sent.phone);
      setResendAt(Date.now() + (sent.resendAfterSeconds || RESEND_SECONDS) * 1000);
      toast.info(`A 6-digit code is on its way to ${sent.phone}.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        setResendAt(Date.now() + (error.retryAfter ?? RESEND_SECONDS) * 1000);
      }
      setSendError(errorMessage(error));
    } finally {
      setSending(false);
    }
  };

  if (me.profile.phoneVerified && phone) {
    return (
      <Card title="3. Confirm your phone">
        <Alert tone="success" title="Your phone is confirmed">
          {phone} is verified. Changing the number in your details asks for a new code.
        </Alert>
      </Card>
    );
  }

  const codeSent = sentTo !== null && sentTo === phone;
  return (
    <Card
      title="3. Confirm your phone"
      description="We send a 6-digit code by SMS. It is valid for 10 minutes."
    >
      {!phone ? (
        <p className="text-sm text-zinc-600">
          Save your phone number in step 1 first; the code is sent to it.
        </p>
      ) : (
        <div className="space-y-4">
          <div className="flex flex-wrap items-center gap-3">
            <Button
              variant={codeSent ? "secondary" : "primary"}
              onClick={() => void send()}
              loading={sending}
              disabled={wait > 0}
            >
              {codeSent ? "Send a new code" : "Send code"}
            </Button>
            <p className="text-[13px] text-zinc-600" aria-live="polite">
              {wait > 0 ? (
                <span className="tabular-nums">You can ask for another code in {wait} s.</span>
              ) : codeSent ? (
                "Did not arrive? You can send a new code."
              ) : (
                <>
                  To <span className="font-medium text-zinc-800">{phone}</span>
                </>
              )}
            </p>
          </div>
          {sendError ? <Alert tone="error">{sendError}</Alert> : null}
          {codeSent || form.formError ? (
            <Form form={form} className="space-y-3">
              {codeSent ? (
                <div className="flex flex-wrap items-end gap-3">
                  <TextField
                    form={form}
                    name="code"
                    label="Code"
                    hint={`Sent to ${sentTo}.`}
                    className="w-44"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    placeholder="123456"
                    inputClassName="font-mono tracking-[0.3em]"
                    autoFocus
                  />
                  <Button type="submit" variant="primary" loading={form.submitting} className="mb-6">
                    Verify
                  </Button>
                </div>
              ) : null}
            </Form>
          ) : null}
        </div>
      )}
    </Card>
  );
}
