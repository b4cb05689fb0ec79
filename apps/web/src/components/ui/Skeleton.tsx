import { cn } from "./cn";

/** A grey placeholder with the shape of what is loading. */
export function Skeleton({ className }: { className?: string }) {
  return <div className={cn("animate-pulse rounded bg-zinc-200/80", className)} aria-hidden="true" />;
}

/** Placeholder lines for a block of text or a card. */
export function SkeletonText({ lines = 3, className }: { lines?: number; className?: string }) {
  return (
    <div className={cn("space-y-2", className)} aria-hidden="true">
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton key={index} className={cn("h-3.5", index === lines - 1 ? "w-2/3" : "w-full")} />
      ))}
    </div>
  );
}

/** A page-sized placeholder, announced once to screen readers. */
export function PageSkeleton() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading">
      <Skeleton className="h-7 w-56" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <div className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
        <SkeletonText lines={4} />
      </div>
    </div>
  );
}
