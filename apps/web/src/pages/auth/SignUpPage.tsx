import { PASSWORD_MIN_LENGTH, registerInput, type AccountType } from "@cairn/shared";
import { getRouteApi, Link } from "@tanstack/react-router";
import { AuthCard } from "../../app/GuestLayout";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { TextField, Form } from "../../components/ui/Field";
import { Icon, type IconName } from "../../components/ui/Icon";
import { api } from "../../lib/api";
import { useForm } from "../../lib/form";
import { session } from "../../lib/session";
import type { Session } from "../../lib/types";

const route = getRouteApi("/guest/sign-up");

const ACCOUNT_TYPES: { value: AccountType; title: string; icon: IconName; points: string[] }[] = [
  {
    value: "customer",
    title: "Customer",
    icon: "briefcase",
    points: [
      "You are a client following the work done for you.",
      "See projects and the developers on them, open support tickets.",
    ],
  },
  {
    value: "developer",
    title: "Developer",
    icon: "code",
    points: [
      "You build things: browse projects and teammates, work on the tasks assigned to you.",
      "Complete your profile and confirm your phone to become a verified developer who can create projects.",
    ],
  },
];

export function SignUpPage() {
  const search = route.useSearch();
  const form = useForm({
    schema: registerInput,
    initial: { email: "", username: "", password: "", accountType: "developer" },
    onSubmit: async (values) => {
      session.signedIn(
        await api<Session>("/api/auth/register", { method: "POST", body: values, auth: false }),
      );
    },
  });
  return (
    <AuthCard
      wide
      title="Create your Cairn account"
      subtitle="You join the open organization; an administrator can give you more roles later."
      footer={
        <>
          Already have an account?{" "}
          <Link
            to="/sign-in"
            search={{ next: search.next }}
            className="font-medium text-accent-700 hover:underline"
          >
            Sign in
          </Link>
        </>
      }
    >
      <Form form={form}>
        <fieldset>
          <legend className="mb-2 text-[13px] font-medium text-zinc-800">I am joining as</legend>
          <div className="grid gap-2 sm:grid-cols-2" role="radiogroup">
            {ACCOUNT_TYPES.map((type) => {
              const checked = form.values.accountType === type.value;
              return (
                <label
                  key={type.value}
                  className={cn(
                    "relative flex cursor-pointer flex-col gap-1.5 rounded-lg border p-3 transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-accent-500",
                    checked
                      ? "border-accent-500 bg-accent-50/60 ring-1 ring-accent-500"
                      : "border-zinc-200 hover:border-zinc-300",
                  )}
                >
                  <input
                    type="radio"
                    name="accountType"
                    value={type.value}
                    checked={checked}
                    onChange={() => form.setValue("accountType", type.value)}
                    className="sr-only"
                  />
                  <span className="flex items-center gap-2 text-sm font-semibold text-zinc-900">
                    <Icon
                      name={type.icon}
                      className={cn("size-4", checked ? "text-accent-600" : "text-zinc-500")}
                    />
                    {type.title}
                    {checked ? <Icon name="check" className="ml-auto size-4 text-accent-600" /> : null}
                  </span>
                  {type.points.map((point) => (
                    <span key={point} className="text-[13px] leading-snug text-zinc-600">
                      {point}
                    </span>
                  ))}
                </label>
              );
            })}
          </div>
          {form.errors.accountType ? (
            <p className="mt-1 text-[13px] text-red-600">{form.errors.accountType}</p>
          ) : null}
        </fieldset>
        <TextField
          form={form}
          name="email"
          label="Email"
          type="email"
          autoComplete="email"
          spellCheck={false}
        />
        <TextField
          form={form}
          name="username"
          label="Username"
          hint="Letters, digits, dots, dashes and underscores."
          autoComplete="username"
          spellCheck={false}
        />
        <TextField
          form={form}
          name="password"
          label="Password"
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password, nor like your username or email.`}
          type="password"
          autoComplete="new-password"
        />
        <Button type="submit" variant="primary" className="w-full" loading={form.submitting}>
          Create account
        </Button>
      </Form>
    </AuthCard>
  );
}
