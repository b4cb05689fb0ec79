import { loginInput } from "@cairn/shared";
import { getRouteApi, Link } from "@tanstack/react-router";
import { AuthCard, safeNext } from "../../app/GuestLayout";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { TextField } from "../../components/ui/Field";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { enumParam } from "../../lib/listSearch";
import { session } from "../../lib/session";
import type { Session } from "../../lib/types";

export type SignInSearch = { next?: string; reason?: "expired" | "signedOut" | "passwordSet" };

export function validateSignInSearch(raw: Record<string, unknown>): SignInSearch {
  return {
    next: safeNext(raw.next),
    reason: enumParam(raw.reason, ["expired", "signedOut", "passwordSet"] as const),
  };
}

const route = getRouteApi("/guest/sign-in");

const reasons = {
  expired: { tone: "warning", text: "Your session has ended. Sign in again to continue." },
  signedOut: { tone: "info", text: "You have signed out." },
  passwordSet: { tone: "success", text: "Your password is set. Sign in with it." },
} as const;

export function SignInPage() {
  const search = route.useSearch();
  const form = useForm({
    schema: loginInput,
    initial: { login: "", password: "" },
    onSubmit: async (values) => {
      // The server also sets the refresh cookie; the access token stays in memory.
      session.signedIn(await api<Session>("/api/auth/login", { method: "POST", body: values, auth: false }));
    },
  });
  const reason = search.reason ? reasons[search.reason] : null;
  return (
    <AuthCard
      title="Sign in to Cairn"
      subtitle="With your email address or your username."
      footer={
        <>
          New here?{" "}
          <Link
            to="/sign-up"
            search={{ next: search.next }}
            className="font-medium text-accent-700 hover:underline"
          >
            Create an account
          </Link>
        </>
      }
    >
      <form ref={form.formRef} onSubmit={form.onSubmit} noValidate className="space-y-4">
        {reason && !form.formError ? <Alert tone={reason.tone}>{reason.text}</Alert> : null}
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <TextField
          form={form}
          name="login"
          label="Email or username"
          autoComplete="username"
          autoFocus
          spellCheck={false}
        />
        <div className="space-y-1.5">
          <TextField
            form={form}
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
          />
          {/* After the password, not beside its label: Tab goes from the login straight to the password. */}
          <p className="text-right text-[13px]">
            <Link to="/forgot-password" className="text-accent-700 hover:underline">
              Forgot password?
            </Link>
          </p>
        </div>
        <Button type="submit" variant="primary" className="w-full" loading={form.submitting}>
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}
