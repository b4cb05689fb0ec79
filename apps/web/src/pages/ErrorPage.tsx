import type { ErrorComponentProps } from "@tanstack/react-router";
import { useRouter } from "@tanstack/react-router";
import { Button } from "../components/ui/Button";
import { errorMessage } from "../lib/api";

/** A page that failed to render or load: say so, and offer to try again. */
export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <div
      role="alert"
      className="flex min-h-[50vh] flex-col items-center justify-center gap-3 px-6 text-center"
    >
      <h1 className="text-base font-semibold">This page could not be shown</h1>
      <p className="max-w-md text-sm text-zinc-500">{errorMessage(error)}</p>
      <Button
        variant="primary"
        onClick={() => {
          reset();
          void router.invalidate();
        }}
      >
        Try again
      </Button>
    </div>
  );
}
