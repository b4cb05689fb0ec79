import type { ThroughputBucket } from "../../api/platform";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/**
 * The last hour of a queue (or of all of them) as stacked bars, one per 5 minutes: completed in
 * the accent colour, failed in red on top. Drawn in SVG: the web UI has no chart library and
 * needs none for bars.
 */
export function ThroughputChart({
  buckets,
  label,
  height = 96,
  compact = false,
}: {
  buckets: ThroughputBucket[];
  /** What the chart is of, for screen readers ("All queues", "mail.send"). */
  label: string;
  height?: number;
  /** A sparkline in a table cell: no axis labels. */
  compact?: boolean;
}) {
  const max = Math.max(1, ...buckets.map((bucket) => bucket.completed + bucket.failed));
  const completed = buckets.reduce((sum, bucket) => sum + bucket.completed, 0);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  const width = compact ? 96 : 480;
  const chartHeight = height;
  const slot = width / Math.max(1, buckets.length);
  const bar = Math.max(2, slot * 0.7);
  const summary = `${label}: ${completed} completed and ${failed} failed in the last hour`;
  return (
    <figure className="m-0" title={compact ? summary : undefined}>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        className={compact ? "h-6 w-24" : "h-24 w-full"}
      >
        {buckets.map((bucket, index) => {
          const x = index * slot + (slot - bar) / 2;
          const okHeight = (bucket.completed / max) * (chartHeight - 2);
          const failHeight = (bucket.failed / max) * (chartHeight - 2);
          return (
            <g key={bucket.at}>
              <title>{`${time.format(new Date(bucket.at))}: ${bucket.completed} completed, ${bucket.failed} failed`}</title>
              <rect x={x} y={0} width={bar} height={chartHeight} className="fill-zinc-100" />
              <rect
                x={x}
                y={chartHeight - okHeight}
                width={bar}
                height={okHeight}
                className="fill-accent-500"
              />
              <rect
                x={x}
                y={chartHeight - okHeight - failHeight}
                width={bar}
                height={failHeight}
                className="fill-red-500"
              />
            </g>
          );
        })}
      </svg>
      {compact ? null : (
        <div
          className="mt-0.5 flex justify-between text-[11px] text-zinc-500 tabular-nums"
          aria-hidden="true"
        >
          {buckets
            .filter((_, index) => index % 3 === 0)
            .map((bucket) => (
              <span key={bucket.at}>{time.format(new Date(bucket.at))}</span>
            ))}
          <span>now</span>
        </div>
      )}
      {compact ? null : (
        <figcaption className="mt-1 flex gap-4 text-xs text-zinc-600">
          <span className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm bg-accent-500" aria-hidden="true" />
            {completed} completed
          </span>
          <span className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm bg-red-500" aria-hidden="true" />
            {failed} failed
          </span>
          <span className="text-zinc-500">per 5 minutes, last hour</span>
        </figcaption>
      )}
    </figure>
  );
}

/** Every queue's buckets added up. */
export function totalBuckets(series: ThroughputBucket[][]): ThroughputBucket[] {
  const [first] = series;
  if (!first) return [];
  return first.map((bucket, index) => ({
    at: bucket.at,
    completed: series.reduce((sum, buckets) => sum + (buckets[index]?.completed ?? 0), 0),
    failed: series.reduce((sum, buckets) => sum + (buckets[index]?.failed ?? 0), 0),
  }));
}
