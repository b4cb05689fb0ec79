import { useQuery, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { Alert } from "./ui/Alert";
import { PageSkeleton } from "./ui/Skeleton";

/**
 * A page about one object: a skeleton while it loads, what went wrong (and "Try again") when it
 * cannot be loaded, then the page itself with the object.
 */
export function Loaded<T>({
  query: options,
  what,
  children,
}: {
  /** The object's query, from its api module (`projectQuery(id)`). */
  query: { queryKey: QueryKey; queryFn: (context: { signal: AbortSignal }) => Promise<T> };
  /** "project": "The project could not be loaded." */
  what: string;
  children: (data: T) => ReactNode;
}) {
  const query = useQuery(options);
  if (query.isLoading) return <PageSkeleton />;
  if (!query.data)
    return (
      <Alert tone="error" title={`The ${what} could not be loaded.`}>
        {errorMessage(query.error)}{" "}
        <button type="button" className="font-medium underline" onClick={() => void query.refetch()}>
          Try again
        </button>
      </Alert>
    );
  return children(query.data);
}
