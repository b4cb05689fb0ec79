import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import type { Me } from "../../lib/types";
import { CodeForm, ResendWait, usePhoneCode, type PhoneVerified } from "./phoneCode";

/** POST /api/me/phone/code, then /verify: the last step of the onboarding. */
export function PhoneStep({ me, onVerified }: { me: Me; onVerified: (result: PhoneVerified) => void }) {
  const toast = useToast();
  const phone = me.profile.phone ?? null;
  const phoneCode = usePhoneCode((result) => {
    toast.success(
      result.verified ? "You are now a verified developer." : "Your phone number is confirmed.",
      "Phone confirmed",
    );
    onVerified(result);
  });
  const { sentTo, sending, sendError, send } = phoneCode;
  const wait = phoneCode.waitFor(phone);

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
              onClick={() => void send(phone)}
              loading={sending}
              disabled={wait > 0}
            >
              {codeSent ? "Send a new code" : "Send code"}
            </Button>
            <p className="text-[13px] text-zinc-600" aria-live="polite">
              {wait > 0 ? (
                <ResendWait seconds={wait} />
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
          <CodeForm phoneCode={phoneCode} phone={phone} />
        </div>
      )}
    </Card>
  );
}
