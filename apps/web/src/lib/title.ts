import { useEffect } from "react";

/** Sets the tab's title ("Members · Cairn"), so history, bookmarks and screen readers name the page. */
export function useDocumentTitle(title: string | null | undefined) {
  useEffect(() => {
    if (title) document.title = `${title} · Cairn`;
  }, [title]);
}
