import { useState } from "react";
import { cn } from "./cn";

const tones = [
  "bg-indigo-100 text-indigo-700",
  "bg-emerald-100 text-emerald-700",
  "bg-amber-100 text-amber-800",
  "bg-sky-100 text-sky-700",
  "bg-rose-100 text-rose-700",
  "bg-violet-100 text-violet-700",
  "bg-teal-100 text-teal-700",
  "bg-orange-100 text-orange-800",
];

/** Up to two letters: the first of the first two words, or the first two letters of one word. */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return (words[0] ?? "?").slice(0, 2).toUpperCase();
  return ((words[0]?.[0] ?? "") + (words[1]?.[0] ?? "")).toUpperCase();
}

/** A stable colour per person, so the same member looks the same everywhere. */
function toneOf(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return tones[Math.abs(hash) % tones.length] ?? "";
}

const sizes = {
  xs: "size-5 text-[10px]",
  sm: "size-6 text-[11px]",
  md: "size-8 text-xs",
  lg: "size-14 text-lg",
};

/**
 * A profile picture, or the person's initials on a colour of their own when there is none. The
 * initials are drawn by CSS, like a picture: they are no text of the button or link around them,
 * whose name says who it is (WCAG 2.5.3, the visible label is part of the name).
 */
export function Avatar({
  name,
  src,
  seed,
  size = "md",
  className,
}: {
  name: string;
  src?: string | null;
  seed?: string;
  size?: keyof typeof sizes;
  className?: string;
}) {
  const [broken, setBroken] = useState(false);
  const base = cn(
    "inline-flex shrink-0 items-center justify-center overflow-hidden rounded-full font-semibold",
    sizes[size],
    className,
  );
  if (src && !broken) {
    return <img src={src} alt="" className={cn(base, "object-cover")} onError={() => setBroken(true)} />;
  }
  return (
    <span
      className={cn(base, toneOf(seed ?? name), "before:content-[attr(data-initials)]")}
      data-initials={initials(name)}
      aria-hidden="true"
    />
  );
}
