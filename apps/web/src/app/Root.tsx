import { Outlet, useRouter } from "@tanstack/react-router";
import { Button } from "../components/ui/Button";
import { Spinner } from "../components/ui/Spinner";
import { useSession } from "../lib/me";
import { session } from "../lib/session";

/** The frame of every page; the root route's guard has waited for the session to be known. */
export function Root() {
  const { status } = useSession();
  const router = useRouter();
  if (status === "unknown") {
    return (
      <div className="flex min-h-dvh items-center justify-center text-zinc-500">
        <Spinner label="Loading Cairn" className="size-5" />
      </div>
    );
  }
  if (status === "unreachable") {
    return (
      <div className="flex min-h-dvh flex-col items-center justify-center gap-3 px-6 text-center">
        <h1 className="text-base font-semibold">Cairn cannot reach its server</h1>
        <p className="max-w-sm text-sm text-zinc-500">
          Check your connection; the server may also be restarting.
        </p>
        <Button variant="primary" onClick={() => void session.retryStart().then(() => router.invalidate())}>
          Try again
        </Button>
      </div>
    );
  }
  return <Outlet />;
}
