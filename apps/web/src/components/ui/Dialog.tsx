import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./Button";
import { cn } from "./cn";
import { Form, type FormState } from "./Field";
import { Icon } from "./Icon";

const FIELD = [
  "input:not(:disabled):not([type=hidden])",
  "select:not(:disabled)",
  "textarea:not(:disabled)",
].join(",");

/** Where focus starts: an element marked `data-autofocus`, else the first field of the body. */
function initialFocus(dialog: HTMLDialogElement): HTMLElement | null {
  return (
    dialog.querySelector<HTMLElement>("[data-autofocus]") ??
    [...dialog.querySelectorAll<HTMLElement>(`[data-dialog-body] :is(${FIELD})`)].find(
      (element) => element.getClientRects().length > 0,
    ) ??
    null
  );
}

/**
 * Moves focus to the dialog's first field (the browser would pick the Close button). A form that
 * loads first gets it when its fields appear, unless the reader has moved on in the meantime.
 */
function focusFirstField(dialog: HTMLDialogElement): () => void {
  const start = document.activeElement;
  const target = initialFocus(dialog);
  if (target) {
    target.focus();
    return () => undefined;
  }
  const observer = new MutationObserver(() => {
    // The reader has moved on (to Close, Cancel, elsewhere): leave the focus where it is.
    if (document.activeElement !== start) return observer.disconnect();
    const field = initialFocus(dialog);
    if (field) {
      observer.disconnect();
      field.focus();
    }
  });
  observer.observe(dialog, { childList: true, subtree: true });
  return () => observer.disconnect();
}

/**
 * A modal on the native <dialog> element: the browser traps focus, makes the page behind inert,
 * closes on Escape and gives focus back to the opener. Focus starts on the first field (or on an
 * element marked `data-autofocus`, e.g. the harmless button of a confirmation). Content mounts
 * only while open, so a form inside starts fresh each time.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = "md",
  role,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  size?: "sm" | "md" | "lg" | "xl";
  role?: "dialog" | "alertdialog";
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      return focusFirstField(dialog);
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  const widths = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl", xl: "max-w-4xl" };
  return (
    <dialog
      ref={ref}
      role={role}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-desc` : undefined}
      onClose={() => {
        if (open) onClose();
      }}
      className={cn(
        "m-auto max-h-[calc(100vh-2rem)] w-[calc(100vw-2rem)] overflow-hidden rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl",
        widths[size],
      )}
    >
      {open ? (
        <div className="flex max-h-[calc(100vh-2rem)] flex-col">
          <header className="flex items-start justify-between gap-4 border-b border-zinc-100 px-5 py-4">
            <div className="min-w-0">
              <h2 id={`${id}-title`} className="text-base font-semibold">
                {title}
              </h2>
              {description ? (
                <p id={`${id}-desc`} className="mt-1 text-sm text-zinc-500">
                  {description}
                </p>
              ) : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              className="-m-1 rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700"
              aria-label="Close"
            >
              <Icon name="x" />
            </button>
          </header>
          <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4" data-dialog-body>
            {children}
          </div>
          {footer ? (
            <footer className="flex flex-wrap justify-end gap-2 border-t border-zinc-100 bg-zinc-50/60 px-5 py-3">
              {footer}
            </footer>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** The button row of a form inside a Dialog: stays visible at the bottom while the form scrolls. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return (
    <div className="sticky -bottom-4 -mx-5 -mb-4 flex flex-wrap justify-end gap-2 border-t border-zinc-100 bg-zinc-50 px-5 py-3">
      {children}
    </div>
  );
}

/** What {@link DialogForm} needs of lib/form.ts `useForm`. */
type DialogFormState = FormState & { submitting: boolean };

/**
 * A form inside a Dialog: the error that belongs to no field on top, the fields, then Cancel and
 * the submit button at the bottom. `actions` adds buttons before Cancel.
 */
export function DialogForm({
  form,
  submitLabel,
  submitVariant = "primary",
  onCancel,
  actions,
  className,
  children,
}: {
  form: DialogFormState;
  submitLabel: ReactNode;
  submitVariant?: "primary" | "danger";
  onCancel: () => void;
  actions?: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Form form={form} className={cn("space-y-4", className)}>
      {children}
      <DialogFooter>
        {actions}
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant={submitVariant} loading={form.submitting}>
          {submitLabel}
        </Button>
      </DialogFooter>
    </Form>
  );
}
