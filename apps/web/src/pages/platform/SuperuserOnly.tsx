import type { ReactNode } from "react";
import { EmptyState } from "../../components/ui/EmptyState";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { useMe } from "../../lib/me";

/** The platform's pages are the superuser's: anyone else is told so (the API refuses them too). */
export function SuperuserOnly({ what, children }: { what: string; children: ReactNode }) {
  const me = useMe();
  if (me.isLoading) return <PageSkeleton />;
  if (!me.data?.user.isSuperuser)
    return (
      <div className="rounded-lg border border-zinc-200 bg-white">
        <EmptyState icon="lock" title={`Only the platform superuser sees ${what}`}>
          Ask the person who runs this Cairn installation.
        </EmptyState>
      </div>
    );
  return children;
}
