import { Link, Outlet } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { useDocumentTitle } from "../lib/title";

/** Only a path on this site: never an open redirect to another origin. */
export function safeNext(value: unknown): string | undefined {
  return typeof value === "string" &&
    value.startsWith("/") &&
    !value.startsWith("//") &&
    !value.startsWith("/\\")
    ? value
    : undefined;
}

/** Sign-in, sign-up, forgot password (a signed-in visitor is sent on by the route's guard). */
export function GuestLayout() {
  return <Outlet />;
}

/** The centred card of the visitor pages. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
  wide = false,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  useDocumentTitle(typeof title === "string" ? title : null);
  return (
    <div className="flex min-h-dvh flex-col items-center bg-zinc-50 px-4 py-10 sm:justify-center sm:py-16">
      <Link
        to="/"
        className="mb-8 flex items-center gap-2 text-base font-semibold tracking-tight text-zinc-900"
      >
        <img src="/favicon.svg" alt="" className="size-7" />
        Cairn
      </Link>
      <main className={`w-full ${wide ? "max-w-xl" : "max-w-sm"}`}>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm sm:p-7">
          <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
          {subtitle ? <p className="mt-1 text-sm text-zinc-500">{subtitle}</p> : null}
          <div className="mt-5">{children}</div>
        </div>
        {footer ? <div className="mt-5 text-center text-sm text-zinc-600">{footer}</div> : null}
      </main>
    </div>
  );
}
