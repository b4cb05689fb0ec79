import type { ReactNode, Ref } from "react";
import { useDocumentTitle } from "../../lib/title";

/** The title row of a page: what it is, one line of context, and its main actions. */
export function PageHeader({
  title,
  description,
  actions,
  documentTitle,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** The tab's title when `title` is not plain text. */
  documentTitle?: string;
}) {
  useDocumentTitle(documentTitle ?? (typeof title === "string" ? title : null));
  return (
    <div className="mb-5 flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-lg font-semibold tracking-tight text-zinc-900">{title}</h1>
        {description ? <p className="mt-0.5 text-sm text-zinc-500">{description}</p> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </div>
  );
}

/**
 * A white bordered panel with an optional heading. `headingRef` makes the heading focusable from
 * code, for a page that moves the reader's focus to the panel it just showed (a wizard's next step).
 */
export function Card({
  title,
  description,
  actions,
  children,
  className,
  headingRef,
}: {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  headingRef?: Ref<HTMLHeadingElement>;
}) {
  return (
    <section className={`rounded-lg border border-zinc-200 bg-white shadow-xs ${className ?? ""}`}>
      {title ? (
        <header className="flex items-start justify-between gap-3 border-b border-zinc-100 px-4 py-3">
          <div>
            <h2
              ref={headingRef}
              tabIndex={headingRef ? -1 : undefined}
              className="text-sm font-semibold text-zinc-900 focus:outline-none"
            >
              {title}
            </h2>
            {description ? <p className="mt-0.5 text-[13px] text-zinc-500">{description}</p> : null}
          </div>
          {actions}
        </header>
      ) : null}
      <div className="p-4">{children}</div>
    </section>
  );
}
