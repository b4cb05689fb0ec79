import { useEffect, type RefObject } from "react";

/** Closes a popup (menu, panel) when the pointer goes down outside it and outside its button. */
export function useDismiss(
  open: boolean,
  inside: RefObject<HTMLElement | null>[],
  setOpen: (open: boolean) => void,
) {
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!inside.some((ref) => ref.current?.contains(target))) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
    // The refs are stable objects; only opening and closing re-subscribe.
  }, [open]);
}
