/**
 * The path a request is routed by. The router decodes percent-escapes before matching,
 * so `/%61pi/me` reaches the route `/api/me`: every decision made before routing (rate
 * limits, API or page) must look at the same decoded path, or it can be walked around.
 */
export function decodedPath(url: string): string {
  const end = url.search(/[?#]/);
  const raw = end === -1 ? url : url.slice(0, end);
  let decoded = raw;
  if (raw.includes("%")) {
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      // A malformed escape: the router refuses it too; compare on what was sent.
    }
  }
  // `//api/me` or `/%2fapi/me` is no page either: repeated slashes count as one.
  return decoded.replace(/\/{2,}/g, "/");
}

/** The API's namespace: everything under /api answers JSON, never the SPA's page. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

/** A path fit to repeat in a message: short, without control characters. */
export function printablePath(pathname: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return pathname.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, "?");
}
