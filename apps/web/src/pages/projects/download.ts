import { ApiError, type Problem } from "../../lib/api";
import { session } from "../../lib/session";

/**
 * Files and exports need the bearer token, so a plain link cannot fetch them: the bytes are fetched
 * with it and handed to the browser as a download under `filename`.
 */
export async function downloadWithAuth(url: string, filename: string): Promise<void> {
  await session.ensureFresh();
  const response = await fetch(url, {
    headers: session.accessToken ? { Authorization: `Bearer ${session.accessToken}` } : {},
    credentials: "same-origin",
  });
  if (!response.ok)
    throw new ApiError({
      title: response.statusText || "Download failed",
      status: response.status,
      detail: `The download failed (${response.status}).`,
    });
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = blobUrl;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(blobUrl), 1_000);
}

/**
 * Uploads one file as multipart `file` with progress (fetch cannot report upload progress), after
 * the text `fields`: the server streams the file and reads the fields that come before it.
 * Resolves with the parsed JSON; rejects with an ApiError carrying the server's problem+json.
 */
export async function uploadWithProgress<T>(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
  fields: Record<string, string> = {},
): Promise<T> {
  await session.ensureFresh();
  const token = session.accessToken;
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Accept", "application/json");
    if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError({ title: "Network error", status: 0 }));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        body = null;
      }
      if (request.status >= 200 && request.status < 300) {
        resolve(body as T);
        return;
      }
      // The whole problem+json is kept: a 400 may list what is wrong in `errors`.
      const problem = (body ?? {}) as Partial<Problem>;
      reject(
        new ApiError({
          ...problem,
          title: problem.title ?? (request.statusText || "Upload failed"),
          status: request.status,
          detail:
            problem.detail ??
            (request.status === 413 ? "The file is too large." : `The upload failed (${request.status}).`),
        }),
      );
    };
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    data.append("file", file);
    request.send(data);
  });
}
