import { useMutation, useQuery } from "@tanstack/react-query";
import { getRouteApi, Link } from "@tanstack/react-router";
import { notificationsApi } from "../../api/notifications";
import { AuthCard } from "../../app/GuestLayout";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { errorMessage } from "../../lib/api";
import { stringParam } from "../../lib/listSearch";

export function validateUnsubscribeSearch(raw: Record<string, unknown>): { token?: string } {
  return { token: stringParam(raw.token, 2000) };
}

const route = getRouteApi("/unsubscribe");

/**
 * /unsubscribe?token=…, opened from an email, signed in or not: says which emails the link stops
 * and stops them with one click (opening the page changes nothing, so link scanners do no harm).
 */
export function UnsubscribePage() {
  const { token } = route.useSearch();
  const described = useQuery({
    queryKey: ["unsubscribe", token],
    queryFn: () => notificationsApi.describeUnsubscribe(token ?? ""),
    enabled: Boolean(token),
    retry: false,
  });
  const stop = useMutation({ mutationFn: () => notificationsApi.unsubscribe(token ?? "") });
  const labels = (described.data?.kinds ?? []).map((kind) => kind.label).join(", ");
  return (
    <AuthCard
      title="Stop these emails"
      footer={
        <Link to="/notifications/preferences" className="font-medium text-accent-700 hover:underline">
          All notification preferences
        </Link>
      }
    >
      {!token ? (
        <Alert tone="error" title="This link is incomplete">
          Open the link from your email again.
        </Alert>
      ) : described.isError ? (
        <Alert tone="error" title="This link does not work">
          {errorMessage(described.error)}
        </Alert>
      ) : stop.isSuccess ? (
        <Alert tone="success" title="Done">
          You will no longer get emails about: {labels}. You can turn them back on in your notification
          preferences.
        </Alert>
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-zinc-700">
            {described.isPending ? "Checking the link…" : `You will no longer get emails about: ${labels}.`}{" "}
            What you see in Cairn itself stays as it is.
          </p>
          {stop.isError ? (
            <Alert tone="error" title="Not done">
              {errorMessage(stop.error)}
            </Alert>
          ) : null}
          <Button
            variant="primary"
            disabled={!described.isSuccess}
            loading={stop.isPending}
            onClick={() => stop.mutate()}
          >
            Unsubscribe
          </Button>
        </div>
      )}
    </AuthCard>
  );
}
