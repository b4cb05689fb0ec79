import { useEffect, useId, useRef, useState, type CSSProperties, type ReactNode } from "react";
import { cn } from "./cn";
import { useDismiss } from "./useDismiss";

export type MenuItem = {
  key: string;
  label: ReactNode;
  onSelect: () => void;
  icon?: ReactNode;
  selected?: boolean;
  tone?: "danger";
};

/**
 * A button that opens a list of actions (WAI-ARIA menu button): arrow keys move, Enter picks,
 * Escape or a click elsewhere closes, and focus returns to the button.
 */
export function Menu({
  trigger,
  label,
  items,
  header,
  align = "start",
  className,
  placement = "below",
}: {
  trigger: ReactNode;
  /** Accessible name of the button. */
  label: string;
  items: MenuItem[];
  header?: ReactNode;
  align?: "start" | "end";
  placement?: "below" | "above";
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [position, setPosition] = useState<CSSProperties>({});
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();

  useDismiss(open, [list, button], setOpen);

  useEffect(() => {
    if (open) list.current?.querySelectorAll<HTMLElement>("[role=menuitem]")[active]?.focus();
  }, [open, active]);

  // The list is placed against the viewport, so a table's scroll box cannot cut it off; it
  // would drift when the page scrolls or resizes, so it closes then instead.
  useEffect(() => {
    if (!open) return;
    const dismiss = (event: Event) => {
      if (!(event.target instanceof Node && list.current?.contains(event.target))) setOpen(false);
    };
    window.addEventListener("scroll", dismiss, true);
    window.addEventListener("resize", dismiss);
    return () => {
      window.removeEventListener("scroll", dismiss, true);
      window.removeEventListener("resize", dismiss);
    };
  }, [open]);

  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  const openAt = (index: number) => {
    const rect = button.current?.getBoundingClientRect();
    if (rect) {
      // Below the button unless the list would run off the bottom of the window (the last rows of a table).
      const height = 8 + items.length * 36 + (header ? 44 : 0);
      const above = placement === "above" || (rect.bottom + height > window.innerHeight && rect.top > height);
      setPosition({
        position: "fixed",
        ...(above ? { bottom: window.innerHeight - rect.top + 4 } : { top: rect.bottom + 4 }),
        ...(align === "end" ? { right: window.innerWidth - rect.right } : { left: rect.left }),
      });
    }
    setActive(index < 0 ? items.length - 1 : index);
    setOpen(true);
  };

  return (
    <div className={cn("relative", className)}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={label}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown") {
            event.preventDefault();
            openAt(0);
          } else if (event.key === "ArrowUp") {
            event.preventDefault();
            openAt(-1);
          }
        }}
        className="flex w-full items-center rounded-md text-left"
      >
        {trigger}
      </button>
      {open ? (
        <div
          ref={list}
          id={id}
          role="menu"
          aria-label={label}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              close();
            } else if (event.key === "ArrowDown") {
              event.preventDefault();
              setActive((index) => (index + 1) % items.length);
            } else if (event.key === "ArrowUp") {
              event.preventDefault();
              setActive((index) => (index - 1 + items.length) % items.length);
            } else if (event.key === "Home") {
              event.preventDefault();
              setActive(0);
            } else if (event.key === "End") {
              event.preventDefault();
              setActive(items.length - 1);
            } else if (event.key === "Tab") {
              setOpen(false);
            }
          }}
          style={position}
          className="z-40 min-w-52 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          {header ? (
            <div className="border-b border-zinc-100 px-2.5 pt-1.5 pb-2 text-[13px]">{header}</div>
          ) : null}
          {items.map((item, index) => (
            <button
              key={item.key}
              type="button"
              role="menuitem"
              tabIndex={index === active ? 0 : -1}
              onClick={() => {
                close();
                item.onSelect();
              }}
              onMouseEnter={() => setActive(index)}
              className={cn(
                "flex w-full items-center gap-2 rounded-md px-2.5 py-1.5 text-left text-sm outline-none focus:bg-zinc-100",
                item.tone === "danger" ? "text-red-700" : "text-zinc-800",
              )}
            >
              {item.icon}
              <span className="min-w-0 flex-1 truncate">{item.label}</span>
              {item.selected ? (
                <span className="text-accent-600" aria-label="current">
                  ✓
                </span>
              ) : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
