import { useEffect, useRef, useSyncExternalStore, type KeyboardEvent, type RefObject } from "react";

const FOCUSABLE = [
  "a[href]",
  "button:not(:disabled)",
  "input:not(:disabled):not([type=hidden])",
  "select:not(:disabled)",
  "textarea:not(:disabled)",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

/** The elements of `container` that Tab reaches, in order (hidden ones left out). */
export function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => element.tabIndex >= 0 && element.checkVisibility({ visibilityProperty: true }),
  );
}

/** Whether the media query matches now, following it as the window changes. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

/**
 * A panel that holds the keyboard while `open` (a navigation drawer; native <dialog> does this
 * for dialogs): focus moves into it when it opens, Tab and Shift+Tab cycle inside it, Escape calls
 * `onClose`, and focus returns to `opener` when it closes. The page behind should be `inert`.
 * Spread the returned `onKeyDown` on the panel.
 */
export function useFocusTrap({
  open,
  panel,
  opener,
  onClose,
}: {
  open: boolean;
  panel: RefObject<HTMLElement | null>;
  opener: RefObject<HTMLElement | null>;
  onClose: () => void;
}) {
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    if (!open) return;
    const element = panel.current;
    if (element) (focusables(element)[0] ?? element).focus();
    const onKey = (event: globalThis.KeyboardEvent) => {
      // A menu or picker inside the panel closes itself first (and prevents the default).
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        close.current();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      // Back to the button that opened it, unless the reader has already moved on elsewhere.
      const active = document.activeElement;
      if (!active || active === document.body || element?.contains(active)) opener.current?.focus();
    };
  }, [open, panel, opener]);

  return {
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (!open || event.key !== "Tab" || !panel.current) return;
      const items = focusables(panel.current);
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        event.preventDefault();
        return;
      }
      if (event.shiftKey && (document.activeElement === first || document.activeElement === panel.current)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    },
  };
}
