import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "./cn";
import { Icon } from "./Icon";

export type ToastTone = "success" | "error" | "info";
type ToastItem = { id: number; tone: ToastTone; message: ReactNode; title?: ReactNode };

export type Toaster = {
  success: (message: ReactNode, title?: ReactNode) => void;
  error: (message: ReactNode, title?: ReactNode) => void;
  info: (message: ReactNode, title?: ReactNode) => void;
};

const ToastContext = createContext<Toaster | null>(null);

const DURATION_MS = { success: 4_000, info: 5_000, error: 8_000 };

/** Outcomes of actions ("Member added", "The server refused: …"), announced to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback(
    (id: number) => setItems((current) => current.filter((item) => item.id !== id)),
    [],
  );
  const push = useCallback(
    (tone: ToastTone, message: ReactNode, title?: ReactNode) => {
      const id = next.current++;
      setItems((current) => [...current.slice(-3), { id, tone, message, title }]);
      setTimeout(() => dismiss(id), DURATION_MS[tone]);
    },
    [dismiss],
  );
  const toaster = useMemo<Toaster>(
    () => ({
      success: (message, title) => push("success", message, title),
      error: (message, title) => push("error", message, title),
      info: (message, title) => push("info", message, title),
    }),
    [push],
  );
  return (
    <ToastContext value={toaster}>
      {children}
      <div
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
        aria-live="polite"
      >
        {items.map((item) => (
          <div
            key={item.id}
            role={item.tone === "error" ? "alert" : "status"}
            data-testid={`toast-${item.tone}`}
            className={cn(
              "animate-toast-in pointer-events-auto flex w-full max-w-sm items-start gap-2.5 rounded-lg border bg-white px-3.5 py-3 text-sm shadow-lg",
              item.tone === "error" ? "border-red-200" : "border-zinc-200",
            )}
          >
            <Icon
              name={item.tone === "success" ? "check" : item.tone === "error" ? "alert" : "info"}
              className={cn(
                "mt-0.5 size-4 shrink-0",
                item.tone === "success"
                  ? "text-emerald-600"
                  : item.tone === "error"
                    ? "text-red-600"
                    : "text-sky-600",
              )}
            />
            <div className="min-w-0 flex-1">
              {item.title ? <p className="font-medium text-zinc-900">{item.title}</p> : null}
              <p className="text-zinc-700">{item.message}</p>
            </div>
            <button
              type="button"
              onClick={() => dismiss(item.id)}
              className="-m-1 rounded p-1 text-zinc-400 hover:text-zinc-700"
              aria-label="Dismiss"
            >
              <Icon name="x" className="size-3.5" />
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}

export function useToast(): Toaster {
  const toaster = useContext(ToastContext);
  if (!toaster) throw new Error("useToast must be used inside <ToastProvider>.");
  return toaster;
}
