import { NewPasswordFields, withConfirmation } from "../components/NewPasswordFields";
import {
  BIO_MAX_LENGTH,
  BIO_MIN_LENGTH,
  changePasswordInput,
  DISPLAY_NAME_MAX_LENGTH,
  profilePatchInput,
} from "@cairn/shared";
import { Link } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { Avatar } from "../components/ui/Avatar";
import { Badge } from "../components/ui/Badge";
import { Button } from "../components/ui/Button";
import { Icon } from "../components/ui/Icon";
import { TextField, TextAreaField, Form, TimeZoneField } from "../components/ui/Field";
import { Card, PageHeader } from "../components/ui/PageHeader";
import { PageSkeleton } from "../components/ui/Skeleton";
import { useToast } from "../components/ui/Toast";
import { api } from "../lib/api";
import { blankOr } from "../lib/fields";
import { useForm } from "../lib/form";
import { meKey, useMe } from "../lib/me";
import { roleName } from "../lib/roles";
import type { Me, Profile } from "../lib/types";
import { AvatarStep } from "./onboarding/AvatarStep";
import { PhoneCard } from "./profile/PhoneCard";

const { shape } = profilePatchInput;

/**
 * PATCH /api/me/profile with the fields of this form, each always sent; an empty national id or
 * date of birth clears it. The phone has its own card: a new number needs a code.
 */
const profileForm = z.object({
  displayName: shape.displayName.unwrap(),
  bio: shape.bio.unwrap(),
  nationalId: blankOr(shape.nationalId.unwrap().unwrap()),
  dateOfBirth: blankOr(shape.dateOfBirth.unwrap().unwrap()),
  timezone: shape.timezone.unwrap(),
});

const passwordForm = withConfirmation(changePasswordInput);

export function ProfilePage() {
  const me = useMe();
  if (!me.data) return <PageSkeleton />;
  return <Profile me={me.data} />;
}

function Profile({ me }: { me: Me }) {
  const name = me.profile.displayName || me.user.username;
  return (
    <>
      <PageHeader title="Profile" description="How others see you in Cairn, and how you sign in." />
      <div className="mb-6 flex items-center gap-4">
        <Avatar name={name} src={me.profile.avatarUrl} seed={me.user.id} size="lg" />
        <div className="min-w-0">
          <p className="truncate text-base font-semibold">{name}</p>
          <p className="truncate text-sm text-zinc-500">
            @{me.user.username}
            {me.user.email ? ` · ${me.user.email}` : ""}
          </p>
          <DeveloperStanding me={me} />
        </div>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <ProfileForm me={me} />
          <AvatarStep me={me} title="Profile picture" />
          <PhoneCard me={me} />
          <PasswordForm />
        </div>
        <Card title="Organizations">
          {me.memberships.length ? (
            <ul className="space-y-3">
              {me.memberships.map((membership) => (
                <li key={membership.org.id}>
                  <Link
                    to="/o/$org"
                    params={{ org: membership.org.slug }}
                    className="text-sm font-medium text-zinc-900 hover:underline"
                  >
                    {membership.org.name}
                  </Link>
                  <div className="mt-1 flex flex-wrap gap-1">
                    {membership.roles.map((role) => (
                      <Badge key={role}>{roleName(role)}</Badge>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-500">
              {me.user.isSuperuser
                ? "None: as the platform superuser you manage every organization."
                : "None yet."}
            </p>
          )}
        </Card>
      </div>
    </>
  );
}

/** Where the caller stands on the developer track, for developers only. */
function DeveloperStanding({ me }: { me: Me }) {
  if (me.onboarding.verified)
    return (
      <p className="mt-1">
        <Badge tone="green">
          <Icon name="shield" className="size-3" /> Verified developer
        </Badge>
      </p>
    );
  if (!me.onboarding.isDeveloper) return null;
  return (
    <p className="mt-1 text-[13px] text-zinc-600">
      Not verified yet.{" "}
      <Link to="/onboarding" className="font-medium text-accent-700 hover:underline">
        See what is missing
      </Link>
    </p>
  );
}

function ProfileForm({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const form = useForm({
    schema: profileForm,
    initial: {
      displayName: me.profile.displayName,
      bio: me.profile.bio,
      nationalId: me.profile.nationalId ?? "",
      dateOfBirth: me.profile.dateOfBirth ?? "",
      timezone: me.profile.timezone || "UTC",
    },
    onSubmit: async (values) => {
      const profile = await api<Profile>("/api/me/profile", { method: "PATCH", body: values });
      queryClient.setQueryData<Me>(meKey, (current) => (current ? { ...current, profile } : current));
      void queryClient.invalidateQueries({ queryKey: meKey });
      toast.success("Your profile is saved.");
    },
  });
  const bioLength = String(form.values.bio ?? "").length;
  return (
    <Card title="About you">
      <Form form={form}>
        <TextField
          form={form}
          name="displayName"
          label="Display name"
          hint="Shown instead of your username where people see you."
          autoComplete="name"
          maxLength={DISPLAY_NAME_MAX_LENGTH}
        />
        <TextAreaField
          form={form}
          name="bio"
          label="Bio"
          aside={
            <span className={bioLength > BIO_MAX_LENGTH ? "text-red-600" : undefined} aria-live="polite">
              {bioLength}/{BIO_MAX_LENGTH}
            </span>
          }
          hint={`A few sentences about what you do. Developers need at least ${BIO_MIN_LENGTH} characters to be verified.`}
          rows={4}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            form={form}
            name="nationalId"
            label="National id"
            hint="Private: only you and administrators see it."
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            form={form}
            name="dateOfBirth"
            label="Date of birth"
            hint="Private, like your national id."
            type="date"
          />
        </div>
        <TimeZoneField
          form={form}
          name="timezone"
          label="Time zone"
          hint="Digests and reminders arrive in your morning."
          current={me.profile.timezone}
        />
        <div className="flex justify-end">
          <Button type="submit" variant="primary" loading={form.submitting}>
            Save profile
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function PasswordForm() {
  const toast = useToast();
  const form = useForm({
    schema: passwordForm,
    initial: { currentPassword: "", newPassword: "", confirm: "" },
    onSubmit: async (values) => {
      await api("/api/auth/change-password", {
        method: "POST",
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
      form.reset();
      toast.success("Your password is changed. Your other sessions were signed out.");
    },
  });
  return (
    <Card title="Password" description="Changing it signs you out everywhere else.">
      <Form form={form}>
        <TextField
          form={form}
          name="currentPassword"
          label="Current password"
          type="password"
          autoComplete="current-password"
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <NewPasswordFields form={form} repeatLabel="Repeat the new password" />
        </div>
        <div className="flex justify-end">
          <Button type="submit" loading={form.submitting}>
            Change password
          </Button>
        </div>
      </Form>
    </Card>
  );
}
