import { NewPasswordFields, withConfirmation } from "../../components/NewPasswordFields";
import { password } from "@cairn/shared";
import { getRouteApi, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { AuthCard } from "../../app/GuestLayout";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { useToast } from "../../components/ui/Toast";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { useSession } from "../../lib/me";
import { stringParam } from "../../lib/listSearch";

export type ResetSearch = { token?: string; welcome?: boolean };

export function validateResetSearch(raw: Record<string, unknown>): ResetSearch {
  const welcome = [1, "1", true, "true"].includes(raw.welcome as string);
  return { token: stringParam(raw.token, 200), welcome: welcome || undefined };
}

const route = getRouteApi("/reset-password");

/** The new password twice; the server checks its strength again. */
const resetForm = withConfirmation(z.object({ newPassword: password }));

/** The emailed link (`?token=…`, `&welcome=1` for accounts an administrator created). */
export function ResetPasswordPage() {
  const { token, welcome } = route.useSearch();
  const { status } = useSession();
  const navigate = useNavigate();
  const toast = useToast();
  const form = useForm({
    schema: resetForm,
    initial: { newPassword: "", confirm: "" },
    onSubmit: async (values) => {
      await api("/api/auth/password-reset/confirm", {
        method: "POST",
        body: { token, newPassword: values.newPassword },
        auth: false,
      });
      if (status === "signedIn") {
        toast.success("Your password is changed.");
        await navigate({ to: "/" });
      } else {
        await navigate({ to: "/sign-in", search: { reason: "passwordSet" } });
      }
    },
  });
  const title = welcome ? "Set your password" : "Choose a new password";
  if (!token) {
    return (
      <AuthCard title={title}>
        <Alert tone="error" title="This link is incomplete">
          Open the link from your email again, or ask for a new one.
        </Alert>
        <Link
          to="/forgot-password"
          className="mt-4 inline-block text-sm font-medium text-accent-700 hover:underline"
        >
          Send me a new link
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={title}
      subtitle={
        welcome
          ? "Welcome to Cairn. An administrator created your account; choose the password you will sign in with."
          : "The link works once. Afterwards, sign in with your new password."
      }
      footer={
        <Link to="/sign-in" className="font-medium text-accent-700 hover:underline">
          Back to sign in
        </Link>
      }
    >
      <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className="space-y-4">
        {form.formError ? (
          <Alert tone="error">
            {form.formError}{" "}
            <Link to="/forgot-password" className="font-medium underline">
              Send me a new link
            </Link>
          </Alert>
        ) : null}
        <NewPasswordFields form={form} repeatLabel="Repeat the password" autoFocus />
        <Button type="submit" variant="primary" className="w-full" loading={form.submitting}>
          {welcome ? "Set password" : "Change password"}
        </Button>
      </form>
    </AuthCard>
  );
}
