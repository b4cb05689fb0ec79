import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from "react";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

export type ConfirmOptions = {
  title: ReactNode;
  body?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  /** `danger` for anything destructive (deactivate, delete). */
  tone?: "danger" | "primary";
};

type Confirm = (options: ConfirmOptions) => Promise<boolean>;

const ConfirmContext = createContext<Confirm | null>(null);

/** Asks before anything destructive: `if (await confirm({...})) doIt()`. */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [options, setOptions] = useState<ConfirmOptions | null>(null);
  const resolver = useRef<((answer: boolean) => void) | null>(null);
  const confirm = useCallback<Confirm>(
    (next) =>
      new Promise<boolean>((resolve) => {
        resolver.current?.(false);
        resolver.current = resolve;
        setOptions(next);
      }),
    [],
  );
  const answer = (value: boolean) => {
    resolver.current?.(value);
    resolver.current = null;
    setOptions(null);
  };
  return (
    <ConfirmContext value={confirm}>
      {children}
      <Dialog
        open={options !== null}
        onClose={() => answer(false)}
        title={options?.title}
        size="sm"
        role="alertdialog"
        footer={
          <>
            {/* Focus starts on the harmless choice, so Enter never destroys by accident. */}
            <Button onClick={() => answer(false)} data-autofocus={options?.tone !== "primary" || undefined}>
              {options?.cancelLabel ?? "Cancel"}
            </Button>
            <Button
              variant={options?.tone === "primary" ? "primary" : "danger"}
              onClick={() => answer(true)}
              data-autofocus={options?.tone === "primary" || undefined}
            >
              {options?.confirmLabel ?? "Confirm"}
            </Button>
          </>
        }
      >
        {options?.body ? <div className="text-sm text-zinc-600">{options.body}</div> : null}
      </Dialog>
    </ConfirmContext>
  );
}

export function useConfirm(): Confirm {
  const confirm = useContext(ConfirmContext);
  if (!confirm) throw new Error("useConfirm must be used inside <ConfirmProvider>.");
  return confirm;
}
