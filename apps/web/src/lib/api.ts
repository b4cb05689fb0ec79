/**
 * The one way the SPA talks to the API: JSON in and out, the access token from memory, one refresh and
 * retry on a 401, and every failure turned into an {@link ApiError} carrying the server's problem+json.
 */
import { session } from "./session";

/** RFC 9457 problem details, as the server sends them (API.md, "Errors"). */
export type Problem = {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds to wait, from Retry-After, on a 429. */
  readonly retryAfter: number | null;

  constructor(problem: Problem, retryAfter: number | null = null) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code(): string | undefined {
    return this.problem.code;
  }

  /** Field errors keyed by their path (`email`, `roles.0`). */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) out[error.path] ??= error.message;
    return out;
  }

  /** What to tell a person, in one sentence. */
  get userMessage(): string {
    if (this.status === 429) {
      const wait = this.retryAfter ? ` Try again in ${formatWait(this.retryAfter)}.` : " Try again shortly.";
      return `Too many attempts.${wait}`;
    }
    if (this.status === 0)
      return this.problem.detail ?? "The server cannot be reached. Check your connection.";
    return this.problem.detail ?? this.problem.title;
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Any thrown value, as a message for a toast. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.userMessage;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

/** A query's values; a list repeats its key (`?status=todo&status=done`). */
export type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Send the access token and refresh on a 401 (default true). */
  auth?: boolean;
};

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (typeof value === "object") for (const item of value) params.append(key, item);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function parseProblem(response: Response): Promise<Problem> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return { ...body, title: body.title ?? response.statusText, status: body.status ?? response.status };
    } catch {
      // fall through: a body that is not JSON after all
    }
  }
  return {
    title: response.statusText || "Request failed",
    status: response.status,
    detail:
      response.status >= 500
        ? "Something went wrong on the server. Try again in a moment."
        : `The request failed (${response.status}).`,
  };
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(withQuery(path, options.query), {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError({ title: "Network error", status: 0 });
  }
}

/**
 * Calls the API and returns the parsed JSON (or undefined for 204). With `auth` (the default) the
 * access token is attached; a 401 triggers one refresh and one retry, and a failed refresh signs out.
 */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  if (auth) await session.ensureFresh();
  let response = await send(path, options, auth ? session.accessToken : null);
  if (response.status === 401 && auth && session.accessToken) {
    const refreshed = await session.refresh();
    if (refreshed) response = await send(path, options, session.accessToken);
    else session.clear("expired");
  }
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new ApiError(
      await parseProblem(response),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  if (response.status === 204 || response.status === 202) {
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return (await response.json()) as T;
}

/** A paginated list, as every list endpoint answers (API.md, "Lists"). */
export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };
