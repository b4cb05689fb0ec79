import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import {
  notificationKeys,
  notificationsApi,
  type EmailChoice,
  type NotificationPreferences,
  type PreferencesPatch,
} from "../../api/notifications";
import { Loaded } from "../../components/Loaded";
import { Checkbox, Select } from "../../components/ui/Field";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";

const EMAIL_CHOICES: { value: EmailChoice; label: string }[] = [
  { value: "immediate", label: "Right away" },
  { value: "digest", label: "In the daily digest" },
  { value: "off", label: "Never" },
];

/** /notifications/preferences: the digests, and a grid of every kind the caller can receive × in-app and email. */
export function PreferencesPage() {
  return (
    <Loaded
      query={{
        queryKey: notificationKeys.preferences,
        queryFn: ({ signal }) => notificationsApi.preferences(signal),
      }}
      what="notification preferences"
    >
      {(preferences) => <PreferencesGrid preferences={preferences} />}
    </Loaded>
  );
}

function PreferencesGrid({ preferences }: { preferences: NotificationPreferences }) {
  const toast = useToast();
  const queryClient = useQueryClient();
  // Each change is saved at once; the answer (the whole preferences) replaces the cache.
  const save = useMutation({
    mutationFn: (patch: PreferencesPatch) => notificationsApi.updatePreferences(patch),
    onMutate: (patch) => {
      queryClient.setQueryData<NotificationPreferences>(notificationKeys.preferences, (current) =>
        current
          ? {
              digest: { ...current.digest, ...patch.digest },
              events: Object.fromEntries(
                Object.entries(current.events).map(([kind, value]) => [
                  kind,
                  { ...value, ...patch.events?.[kind] },
                ]),
              ),
            }
          : current,
      );
    },
    onSuccess: (saved) => {
      queryClient.setQueryData(notificationKeys.preferences, saved);
      toast.success("Saved.");
    },
    onError: (error) => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.preferences });
      toast.error(errorMessage(error), "Not saved");
    },
  });
  const kinds = Object.entries(preferences.events).sort(([, a], [, b]) => a.label.localeCompare(b.label));
  return (
    <div className="space-y-4">
      <PageHeader
        title="Notification preferences"
        description="What reaches you, and how: in Cairn (the bell), by email right away, or gathered in your daily digest."
        actions={
          <Link to="/notifications" className="text-sm font-medium text-accent-700 hover:underline">
            Back to notifications
          </Link>
        }
      />
      <Card title="Digests" description="Sent at the start of your day, in the time zone of your profile.">
        <div className="space-y-3">
          <Checkbox
            label="Daily digest"
            description="Every morning at 08:00: what was assigned to you, what changed, what is due, tickets waiting on you."
            checked={preferences.digest.daily}
            onChange={(event) => save.mutate({ digest: { daily: event.currentTarget.checked } })}
          />
          <Checkbox
            label="Weekly summary"
            description="Mondays at 09:00: the week that was and the week ahead."
            checked={preferences.digest.weekly}
            onChange={(event) => save.mutate({ digest: { weekly: event.currentTarget.checked } })}
          />
        </div>
      </Card>
      <Card title="By kind">
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-zinc-200 text-left text-[13px] text-zinc-500">
                <th scope="col" className="py-2 pr-4 font-medium">
                  What happened
                </th>
                <th scope="col" className="w-28 py-2 pr-4 font-medium">
                  In Cairn
                </th>
                <th scope="col" className="w-56 py-2 font-medium">
                  Email
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {kinds.map(([kind, value]) => (
                <tr key={kind} data-kind={kind}>
                  <th scope="row" className="py-2.5 pr-4 text-left align-top font-normal">
                    <span className="block font-medium text-zinc-900">{value.label}</span>
                    <span className="block text-[13px] text-zinc-500">{value.description}</span>
                  </th>
                  <td className="py-2.5 pr-4 align-top">
                    <input
                      type="checkbox"
                      className="size-4 rounded border-zinc-300 accent-accent-600"
                      aria-label={`${value.label}: in Cairn`}
                      checked={value.inApp}
                      onChange={(event) =>
                        save.mutate({ events: { [kind]: { inApp: event.currentTarget.checked } } })
                      }
                    />
                  </td>
                  <td className="py-2.5 align-top">
                    <Select
                      aria-label={`${value.label}: email`}
                      value={value.email}
                      onChange={(event) =>
                        save.mutate({
                          events: { [kind]: { email: event.currentTarget.value as EmailChoice } },
                        })
                      }
                    >
                      {EMAIL_CHOICES.map((choice) => (
                        <option key={choice.value} value={choice.value}>
                          {choice.label}
                        </option>
                      ))}
                    </Select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-3 text-[13px] text-zinc-500">
          Emails sent right away are gathered: after one, whatever follows within five minutes comes as a
          single message.
        </p>
      </Card>
    </div>
  );
}
