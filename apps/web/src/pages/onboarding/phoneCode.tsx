import { phoneVerifyInput } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "../../components/ui/Button";
import { Form, TextField } from "../../components/ui/Field";
import { useToast } from "../../components/ui/Toast";
import { api, ApiError, errorMessage } from "../../lib/api";
import { useForm } from "../../lib/form";
import { meKey } from "../../lib/me";

const RESEND_SECONDS = 30;

type CodeSent = { phone: string; expiresAt: string; resendAfterSeconds: number };
export type PhoneVerified = {
  phoneVerified: true;
  verified: boolean;
  roles: string[];
  permissions: string[];
};

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

/**
 * POST /api/me/phone/code, then /verify: what the onboarding's phone step and the profile's phone
 * card share. `send(phone)` makes `phone` the profile's number (unconfirmed) when it differs, as the
 * API does; the code form confirms it. A burnt code (the fifth wrong try) asks for a new one.
 */
export function usePhoneCode(onVerified: (result: PhoneVerified) => void) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [sentTo, setSentTo] = useState<string | null>(null);
  // Until when the server refuses another code, and for which number (its limits are per number).
  const [resend, setResend] = useState<{ phone: string; at: number } | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<string | null>(null);
  const wait = useCountdown(resend?.at ?? null);

  const form = useForm({
    schema: phoneVerifyInput,
    initial: { code: "" },
    onSubmit: async ({ code }) => {
      try {
        const result = await api<PhoneVerified>("/api/me/phone/verify", { method: "POST", body: { code } });
        await queryClient.invalidateQueries({ queryKey: meKey });
        void queryClient.invalidateQueries({ queryKey: ["orgs"] });
        // Confirmed: no code is pending, and that number needs none again.
        setSentTo(null);
        setResend(null);
        form.setValue("code", "");
        onVerified(result);
      } catch (error) {
        // The fifth wrong try burns the code: a new one is needed (the server says when).
        if (error instanceof ApiError && error.status === 429) {
          if (sentTo) setResend({ phone: sentTo, at: Date.now() + (error.retryAfter ?? 1) * 1000 });
          setSentTo(null);
          form.setValue("code", "");
          form.setFormError(error.problem.detail ?? "Too many wrong codes. Ask for a new one.");
          return;
        }
        throw error;
      }
    },
  });

  /** Sends a code to `phone`; true when it went out. */
  const send = async (phone: string): Promise<boolean> => {
    setSending(true);
    setSendError(null);
    form.setFormError(null);
    try {
      const sent = await api<CodeSent>("/api/me/phone/code", { method: "POST", body: { phone } });
      setSentTo(sent.phone);
      setResend({ phone: sent.phone, at: Date.now() + (sent.resendAfterSeconds || RESEND_SECONDS) * 1000 });
      // The number may have become the profile's (unconfirmed): /api/me says so.
      void queryClient.invalidateQueries({ queryKey: meKey });
      toast.info(`A 6-digit code is on its way to ${sent.phone}.`);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        setResend({ phone, at: Date.now() + (error.retryAfter ?? RESEND_SECONDS) * 1000 });
      }
      setSendError(errorMessage(error));
      return false;
    } finally {
      setSending(false);
    }
  };

  /** Seconds before `phone` may get another code (0: now). */
  const waitFor = (phone: string | null) => (phone !== null && resend?.phone === phone ? wait : 0);

  return { sentTo, waitFor, sending, sendError, send, form };
}

export type PhoneCode = ReturnType<typeof usePhoneCode>;

/**
 * The code field and its Verify button once a code went out to `phone` (the profile's number), or
 * why the last code no longer works.
 */
export function CodeForm({ phoneCode, phone }: { phoneCode: PhoneCode; phone: string | null }) {
  const { form, sentTo } = phoneCode;
  const codeSent = sentTo !== null && sentTo === phone;
  if (!codeSent && !form.formError) return null;
  return (
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
  );
}

/** "You can ask for another code in 12 s." while the server would refuse a new send. */
export function ResendWait({ seconds }: { seconds: number }) {
  return <span className="tabular-nums">You can ask for another code in {seconds} s.</span>;
}
