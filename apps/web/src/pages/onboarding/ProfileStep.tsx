import {
  BIO_MAX_LENGTH as BIO_MAX,
  BIO_MIN_LENGTH as BIO_MIN,
  phoneNumber,
  profilePatchInput,
} from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { Button } from "../../components/ui/Button";
import { TextField, TextAreaField, Form } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { meKey } from "../../lib/me";
import type { Me, Profile } from "../../lib/types";

/**
 * The fields PATCH /api/me/profile takes for verification, checked by the server's schema; each is
 * required here, and the bio long enough to count toward verification.
 */
const onboardingProfile = z.object({
  bio: profilePatchInput.shape.bio
    .unwrap()
    .min(BIO_MIN, `At least ${BIO_MIN} characters, so people know what you do.`),
  nationalId: profilePatchInput.shape.nationalId.unwrap().unwrap(),
  phone: phoneNumber,
});

/** Bio, national id and phone number, saved together. */
export function ProfileStep({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const form = useForm({
    schema: onboardingProfile,
    initial: {
      bio: me.profile.bio,
      nationalId: me.profile.nationalId ?? "",
      phone: me.profile.phone ?? "",
    },
    onSubmit: async (values) => {
      const phoneChanged = values.phone !== (me.profile.phone ?? "");
      const profile = await api<Profile>("/api/me/profile", { method: "PATCH", body: values });
      queryClient.setQueryData<Me>(meKey, (current) => (current ? { ...current, profile } : current));
      await queryClient.invalidateQueries({ queryKey: meKey });
      toast.success(
        phoneChanged && me.profile.phoneVerified
          ? "Saved. Your new number needs a new code."
          : "Your profile details are saved.",
      );
    },
  });
  const bioLength = String(form.values.bio ?? "").trim().length;
  const bioState =
    bioLength > BIO_MAX ? "text-red-600" : bioLength >= BIO_MIN ? "text-emerald-700" : "text-zinc-500";
  return (
    <Card
      title="1. About you"
      description="Your bio is public in the developer directory; your national id and phone stay private."
    >
      <Form form={form}>
        <TextAreaField
          form={form}
          name="bio"
          label="Bio"
          aside={
            <span className={bioState} aria-live="polite" data-testid="bio-count">
              {bioLength}/{BIO_MAX}
              <span className="sr-only"> characters, at least {BIO_MIN} needed</span>
            </span>
          }
          hint={`What you work on and with, in ${BIO_MIN} to ${BIO_MAX} characters.`}
          rows={4}
          maxLength={BIO_MAX + 50}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            form={form}
            name="nationalId"
            label="National id"
            hint="5 to 20 letters, digits or dashes. Only administrators see it."
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            form={form}
            name="phone"
            label="Phone number"
            hint="International format, e.g. +15551234567. We send a code to it."
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            placeholder="+15551234567"
          />
        </div>
        <div className="flex justify-end">
          <Button type="submit" variant="primary" loading={form.submitting}>
            Save details
          </Button>
        </div>
      </Form>
    </Card>
  );
}
