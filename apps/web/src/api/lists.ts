/**
 * The query of one page of an organization's list (components/ListPage.tsx `defineList`): the
 * organization joins the URL's parameters, and the feature's key and URL do the rest.
 */
import type { Page } from "../lib/api";
import type { OrgSummary } from "../lib/types";

export function orgListQuery<P extends { org: string }, T>(
  key: (params: P) => readonly unknown[],
  list: (params: P, signal: AbortSignal) => Promise<Page<T>>,
) {
  return (params: Omit<P, "org">, { org }: { org: OrgSummary }) => {
    const query = { ...params, org: org.slug } as P;
    return { queryKey: key(query), queryFn: ({ signal }: { signal: AbortSignal }) => list(query, signal) };
  };
}
