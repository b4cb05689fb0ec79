import { ApiError, type Problem } from "../../lib/api";
import { session } from "../../lib/session";

export type UploadProgress = { loaded: number; total: number };

type Attempt = { status: number; body: string; contentType: string; retryAfter: string | null };

/** One XMLHttpRequest: fetch cannot report upload progress, XHR can (`upload.onprogress`). */
function send(
  url: string,
  form: FormData,
  token: string | null,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("Accept", "application/json");
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        body: xhr.responseText,
        contentType: xhr.getResponseHeader("content-type") ?? "",
        retryAfter: xhr.getResponseHeader("retry-after"),
      });
    xhr.onerror = () => reject(new ApiError({ title: "Network error", status: 0 }));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

function problemOf(attempt: Attempt): Problem {
  if (attempt.contentType.includes("json")) {
    try {
      const body = JSON.parse(attempt.body) as Partial<Problem>;
      return { ...body, title: body.title ?? "Upload failed", status: body.status ?? attempt.status };
    } catch {
      // not JSON after all
    }
  }
  const detail =
    attempt.status === 413
      ? "The file is too large."
      : attempt.status >= 500
        ? "Something went wrong on the server. Try again in a moment."
        : `The upload failed (${attempt.status}).`;
  return { title: "Upload failed", status: attempt.status, detail };
}

/**
 * Uploads one file as multipart field `file` with progress, the same way {@link api} calls the API:
 * the access token attached, one refresh and retry on a 401, failures as an {@link ApiError}.
 */
export async function uploadFile<T>(
  url: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  const form = new FormData();
  form.append("file", file);
  await session.ensureFresh();
  let attempt = await send(url, form, session.accessToken, onProgress, signal);
  if (attempt.status === 401 && session.accessToken) {
    if (await session.refresh()) attempt = await send(url, form, session.accessToken, onProgress, signal);
    else session.clear("expired");
  }
  if (attempt.status < 200 || attempt.status >= 300) {
    const retryAfter = Number(attempt.retryAfter);
    throw new ApiError(problemOf(attempt), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return JSON.parse(attempt.body) as T;
}
