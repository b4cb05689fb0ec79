import { Link } from "@tanstack/react-router";
import { buttonClass } from "../components/ui/Button";

export function NotFoundPage() {
  return (
    <div className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-medium text-accent-600">404</p>
      <h1 className="text-lg font-semibold">This page does not exist</h1>
      <p className="max-w-sm text-sm text-zinc-500">The link may be mistyped, or the page may have moved.</p>
      <Link to="/" className={buttonClass("secondary")}>
        Go to your dashboard
      </Link>
    </div>
  );
}
