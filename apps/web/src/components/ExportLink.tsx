import { downloadWithAuth } from "../pages/projects/download";
import { errorMessage } from "../lib/api";
import { buttonClass, type ButtonSize } from "./ui/Button";
import { Icon } from "./ui/Icon";
import { useToast } from "./ui/Toast";

/**
 * "Export CSV": a report of what the list shows (or another CSV the API makes, under `label`). The
 * link is the report's address (it can be copied); a click fetches it with the bearer token and
 * saves it as `filename`.
 */
export function ExportLink({
  href,
  filename,
  label = "Export CSV",
  size = "md",
}: {
  href: string;
  filename: string;
  label?: string;
  size?: ButtonSize;
}) {
  const toast = useToast();
  return (
    <a
      href={href}
      className={buttonClass("secondary", size)}
      onClick={(event) => {
        event.preventDefault();
        downloadWithAuth(href, filename).catch((error: unknown) =>
          toast.error(errorMessage(error), "The download failed"),
        );
      }}
    >
      <Icon name="download" />
      {label}
    </a>
  );
}
