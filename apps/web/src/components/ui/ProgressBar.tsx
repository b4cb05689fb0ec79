import { cn } from "./cn";

/** A thin labelled progress bar (onboarding steps, uploads, time against an estimate). */
export function ProgressBar({
  value,
  label,
  tone = "emerald",
  size = "md",
  className,
}: {
  /** 0–100. */
  value: number;
  label: string;
  tone?: "emerald" | "accent" | "amber";
  size?: "sm" | "md";
  className?: string;
}) {
  const percent = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      className={cn(size === "sm" ? "h-1.5" : "h-2", "overflow-hidden rounded-full bg-zinc-100", className)}
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
          { emerald: "bg-emerald-500", accent: "bg-accent-600", amber: "bg-amber-500" }[tone],
        )}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
