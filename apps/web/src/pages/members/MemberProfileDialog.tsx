import { BIO_MAX_LENGTH, DISPLAY_NAME_MAX_LENGTH, profilePatchInput } from "@cairn/shared";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { Alert } from "../../components/ui/Alert";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { TextField, TextAreaField, TimeZoneField } from "../../components/ui/Field";
import { SkeletonText } from "../../components/ui/Skeleton";
import { memberKeys, membersApi } from "../../api/members";
import { errorMessage } from "../../lib/api";
import { blankOr } from "../../lib/fields";
import { useForm } from "../../lib/form";
import type { Member, UserProfile } from "../../lib/types";

const { shape } = profilePatchInput;

/** PATCH /api/users/{id}/profile, every field as the inputs hold it; empty optional ones are cleared (null). */
const adminProfileForm = z.object({
  displayName: shape.displayName.unwrap(),
  bio: shape.bio.unwrap(),
  nationalId: blankOr(shape.nationalId.unwrap().unwrap()),
  phone: blankOr(shape.phone.unwrap().unwrap()),
  dateOfBirth: blankOr(shape.dateOfBirth.unwrap().unwrap()),
  timezone: shape.timezone.unwrap(),
});

const MISSING_LABELS: Record<string, string> = {
  bio: "bio",
  nationalId: "national id",
  avatar: "profile picture",
  phone: "phone number",
};

/** Any member's whole profile (profiles.view_any), editable with profiles.change_any. */
export function MemberProfileDialog({
  member,
  canChange,
  onClose,
  onSaved,
}: {
  member: Member | null;
  canChange: boolean;
  onClose: () => void;
  onSaved: (profile: UserProfile) => void;
}) {
  const name = member ? member.profile.displayName || member.user.username : "";
  return (
    <Dialog
      open={member !== null}
      onClose={onClose}
      size="lg"
      title={member ? `Profile of ${name}` : "Profile"}
      description={
        canChange
          ? "Private fields included. Changes are audited."
          : "Private fields included. Viewing is audited."
      }
    >
      {member ? (
        <ProfileLoader member={member} canChange={canChange} onClose={onClose} onSaved={onSaved} />
      ) : null}
    </Dialog>
  );
}

function ProfileLoader({
  member,
  canChange,
  onClose,
  onSaved,
}: {
  member: Member;
  canChange: boolean;
  onClose: () => void;
  onSaved: (profile: UserProfile) => void;
}) {
  const profile = useQuery({
    queryKey: memberKeys.profile(member.user.id),
    queryFn: ({ signal }) => membersApi.profile(member.user.id, signal),
  });
  if (profile.isLoading) return <SkeletonText lines={6} />;
  if (!profile.data) {
    return (
      <Alert tone="error" title="The profile could not be loaded.">
        {errorMessage(profile.error)}
      </Alert>
    );
  }
  return (
    <div className="space-y-4">
      <Summary profile={profile.data} />
      {canChange ? (
        <EditForm profile={profile.data} onClose={onClose} onSaved={onSaved} />
      ) : (
        <ReadOnly profile={profile.data} />
      )}
    </div>
  );
}

function Summary({ profile }: { profile: UserProfile }) {
  const name = profile.displayName || profile.username;
  const missing = profile.onboarding.missing.map((field) => MISSING_LABELS[field] ?? field);
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md border border-zinc-200 bg-zinc-50/60 px-3 py-2.5">
      <Avatar name={name} src={profile.avatarUrl} seed={profile.userId} size="md" />
      <div className="min-w-0 flex-1 basis-32">
        <p className="truncate text-sm font-medium text-zinc-900">{name}</p>
        <p className="truncate text-xs text-zinc-500">@{profile.username}</p>
      </div>
      <div className="flex flex-wrap gap-1">
        <Badge tone={profile.onboarding.profileComplete ? "green" : "amber"}>
          {profile.onboarding.profileComplete ? "Profile complete" : `Missing: ${missing.join(", ")}`}
        </Badge>
        <Badge tone={profile.onboarding.phoneVerified ? "green" : "neutral"}>
          {profile.onboarding.phoneVerified ? "Phone confirmed" : "Phone not confirmed"}
        </Badge>
      </div>
    </div>
  );
}

function ReadOnly({ profile }: { profile: UserProfile }) {
  const rows: [string, string | null | undefined][] = [
    ["Display name", profile.displayName],
    ["Bio", profile.bio],
    ["National id", profile.nationalId],
    ["Phone", profile.phone],
    ["Date of birth", profile.dateOfBirth],
    ["Time zone", profile.timezone],
  ];
  return (
    <dl className="grid gap-x-4 gap-y-2.5 text-sm sm:grid-cols-[10rem_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500">{label}</dt>
          <dd className="whitespace-pre-line text-zinc-900">{value || "—"}</dd>
        </div>
      ))}
    </dl>
  );
}

function EditForm({
  profile,
  onClose,
  onSaved,
}: {
  profile: UserProfile;
  onClose: () => void;
  onSaved: (profile: UserProfile) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm({
    schema: adminProfileForm,
    initial: {
      displayName: profile.displayName,
      bio: profile.bio,
      nationalId: profile.nationalId ?? "",
      phone: profile.phone ?? "",
      dateOfBirth: profile.dateOfBirth ?? "",
      timezone: profile.timezone || "UTC",
    },
    onSubmit: async (values) => {
      const saved = await membersApi.updateProfile(profile.userId, values);
      queryClient.setQueryData(memberKeys.profile(profile.userId), saved);
      onSaved(saved);
      onClose();
    },
  });
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel="Save profile">
      <TextField
        form={form}
        name="displayName"
        label="Display name"
        maxLength={DISPLAY_NAME_MAX_LENGTH}
        autoFocus
      />
      <TextAreaField
        form={form}
        name="bio"
        label="Bio"
        aside={`${String(form.values.bio ?? "").length}/${BIO_MAX_LENGTH}`}
        rows={3}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          form={form}
          name="nationalId"
          label="National id"
          hint="Empty clears it."
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          form={form}
          name="phone"
          label="Phone"
          hint="A new number must be confirmed again by its owner."
          type="tel"
          placeholder="+15551234567"
        />
        <TextField form={form} name="dateOfBirth" label="Date of birth" type="date" />
        <TimeZoneField form={form} name="timezone" label="Time zone" current={profile.timezone} />
      </div>
    </DialogForm>
  );
}
