import { downloadWithAuth } from "../pages/projects/download";
import { errorMessage } from "../lib/api";
import { buttonClass } from "./ui/Button";
import { Icon } from "./ui/Icon";
import { useToast } from "./ui/Toast";

/**
 * "Export CSV": a report of what the list shows. The link is the report's address (it can be
 * copied); a click fetches it with the bearer token and saves it as `filename`.
 */
export function ExportLink({ href, filename }: { href: string; filename: string }) {
  const toast = useToast();
  return (
    <a
      href={href}
      className={buttonClass("secondary")}
      onClick={(event) => {
        event.preventDefault();
        downloadWithAuth(href, filename).catch((error: unknown) =>
          toast.error(errorMessage(error), "The export failed"),
        );
      }}
    >
      <Icon name="download" />
      Export CSV
    </a>
  );
}
