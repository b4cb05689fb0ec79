import type { ReactNode } from "react";
import { cn } from "./cn";
import { Icon } from "./Icon";

const tones = {
  error: { box: "border-red-200 bg-red-50 text-red-800", icon: "alert" as const },
  info: { box: "border-sky-200 bg-sky-50 text-sky-900", icon: "info" as const },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-900", icon: "check" as const },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "alert" as const },
};

/** A message inside the page (a toast is for outcomes; this is for state the reader must see). */
export function Alert({
  tone = "info",
  title,
  children,
  className,
}: {
  tone?: keyof typeof tones;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  const style = tones[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("flex gap-2.5 rounded-md border px-3 py-2.5 text-sm", style.box, className)}
    >
      <Icon name={style.icon} className="mt-0.5 size-4 shrink-0" />
      <div className="min-w-0 space-y-0.5">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div>{children}</div> : null}
      </div>
    </div>
  );
}
