import { useRef, useState, type DragEvent, type ReactNode } from "react";
import { Button } from "./ui/Button";
import { cn } from "./ui/cn";
import { Icon } from "./ui/Icon";

/**
 * An area that takes dropped files (a task's Files card, the import wizard): spread `handlers` on
 * it; `over` says files are being dragged over it. Only drags of files are taken, so text or a board
 * card dragged across it does nothing.
 */
export function useFileDrop(onFiles: (files: File[]) => void) {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent) => {
        if (!event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent) => {
        event.preventDefault();
        setOver(false);
        onFiles(Array.from(event.dataTransfer.files));
      },
    },
  };
}

/**
 * The dashed box of a drop area: "Drop files here, or [choose files]", the file input behind the
 * button (named by `inputLabel`, so tests and assistive technology can reach it), and a hint below.
 */
export function DropBox({
  over,
  prompt,
  buttonLabel,
  inputLabel,
  hint,
  accept,
  multiple = false,
  onFiles,
  className,
}: {
  over: boolean;
  prompt: ReactNode;
  buttonLabel: string;
  inputLabel: string;
  hint: ReactNode;
  accept?: string;
  multiple?: boolean;
  onFiles: (files: File[]) => void;
  className?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div
      className={cn(
        "flex flex-wrap items-center justify-center gap-2 rounded-md border border-dashed px-3 py-4 text-center text-sm",
        over ? "border-accent-500 bg-accent-50 text-accent-700" : "border-zinc-300 text-zinc-500",
        className,
      )}
    >
      <Icon name="download" className="size-4 rotate-180" />
      <span>{prompt}</span>
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple={multiple}
        className="sr-only"
        aria-label={inputLabel}
        tabIndex={-1}
        onChange={(event) => {
          // Copied before the input is cleared, so choosing the same file again fires a change.
          onFiles(Array.from(event.target.files ?? []));
          event.target.value = "";
        }}
      />
      <Button size="sm" onClick={() => input.current?.click()}>
        {buttonLabel}
      </Button>
      <span className="basis-full text-xs">{hint}</span>
    </div>
  );
}
