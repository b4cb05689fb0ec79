import { cn } from "../../components/ui/cn";

/** A thin labelled progress bar (onboarding steps, uploads). */
export function ProgressBar({
  value,
  label,
  tone = "emerald",
  className,
}: {
  /** 0–100. */
  value: number;
  label: string;
  tone?: "emerald" | "accent";
  className?: string;
}) {
  const percent = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className={cn("h-2 overflow-hidden rounded-full bg-zinc-100", className)}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={`${percent}%`}
    >
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-300",
          tone === "emerald" ? "bg-emerald-500" : "bg-accent-600",
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
