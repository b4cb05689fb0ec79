import { passwordResetInput } from "@cairn/shared";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../app/GuestLayout";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { TextField, Form } from "../../components/ui/Field";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";

export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    schema: passwordResetInput,
    initial: { email: "" },
    onSubmit: async (values) => {
      await api("/api/auth/password-reset", { method: "POST", body: values, auth: false });
      setSentTo(values.email);
    },
  });
  return (
    <AuthCard
      title="Reset your password"
      subtitle={
        sentTo
          ? undefined
          : "Enter the email of your account and we will send you a link to choose a new password."
      }
      footer={
        <Link to="/sign-in" className="font-medium text-accent-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      {sentTo ? (
        <div className="space-y-4">
          <Alert tone="success" title="Check your inbox">
            If an account exists for <strong>{sentTo}</strong>, a reset link is on its way. It works once, for
            one hour.
          </Alert>
          <Button className="w-full" onClick={() => setSentTo(null)}>
            Use another email
          </Button>
        </div>
      ) : (
        <Form form={form}>
          <TextField form={form} name="email" label="Email" type="email" autoComplete="email" autoFocus />
          <Button type="submit" variant="primary" className="w-full" loading={form.submitting}>
            Send reset link
          </Button>
        </Form>
      )}
    </AuthCard>
  );
}
