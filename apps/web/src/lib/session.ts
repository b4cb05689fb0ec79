/**
 * The signed-in session. The access token lives in this module's memory only (never in storage); the
 * refresh token lives in the server's httpOnly `cairn_refresh` cookie, so a page load, a timer shortly
 * before expiry, or a 401 obtains a new access token with `POST /api/auth/refresh {}`.
 *
 * Refresh tokens rotate and presenting a used one revokes the whole sign-in, so refreshes must never
 * overlap: within a tab they share one promise, across tabs they queue on a Web Lock and the tab that
 * refreshed hands its new access token to the others over a BroadcastChannel.
 */

export type SessionStatus = "unknown" | "signedIn" | "signedOut" | "unreachable";

export type SessionSnapshot = {
  status: SessionStatus;
  /** The user the access token belongs to (JWT `sub`). */
  userId: string | null;
  /** Why the session ended, to word the sign-in page. */
  reason: "expired" | "signedOut" | null;
};

/** The answer of register, login and refresh (extra fields ignored). */
export type SessionTokens = { access: string; accessExpiresAt?: string };

type Broadcast = { kind: "token"; access: string; expiresAt: number } | { kind: "signedOut" };

const REFRESH_LEAD_MS = 60_000;
const RETRY_MS = 30_000;
const LOCK_NAME = "cairn-auth-refresh";

type Claims = { sub?: string; exp?: number };

function decodeClaims(token: string): Claims {
  try {
    const payload = token.split(".")[1] ?? "";
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    return JSON.parse(json) as Claims;
  } catch {
    return {};
  }
}

type RefreshOutcome = "ok" | "refused" | "unreachable";

/** The server's readable hint that this browser holds a sign-in (see `start`). */
function hasSignInHint(): boolean {
  if (typeof document === "undefined") return true;
  return document.cookie.split(";").some((cookie) => cookie.trim().startsWith("cairn_signed_in="));
}

class Session {
  accessToken: string | null = null;
  private expiresAt = 0;
  private snapshot: SessionSnapshot = { status: "unknown", userId: null, reason: null };
  private readonly listeners = new Set<() => void>();
  private inflight: Promise<RefreshOutcome> | null = null;
  private started: Promise<void> | null = null;
  private lastOutcome: RefreshOutcome | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel("cairn-session");

  constructor() {
    this.channel?.addEventListener("message", (event: MessageEvent<Broadcast>) => {
      const message = event.data;
      if (message.kind === "token") this.adoptToken(message.access, false);
      else if (message.kind === "signedOut") this.clear("signedOut", false);
    });
    if (typeof document !== "undefined") {
      // Timers sleep in background tabs; check the token when the tab comes back.
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "visible") void this.ensureFresh();
      });
    }
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  private set(next: Partial<SessionSnapshot>) {
    this.snapshot = { ...this.snapshot, ...next };
    for (const listener of this.listeners) listener();
  }

  /**
   * On app load: turn the refresh cookie (if any) into an access token. Runs once. The server
   * sets a readable `cairn_signed_in` hint beside its httpOnly refresh cookie: without the hint
   * there is nothing to refresh, and a signed-out visitor's page load makes no failing call.
   */
  start(): Promise<void> {
    if (!this.started && !hasSignInHint()) {
      this.started = Promise.resolve();
      this.set({ status: "signedOut" });
      return this.started;
    }
    this.started ??= this.refresh().then((ok) => {
      if (!ok && this.snapshot.status === "unknown") {
        this.set({ status: this.lastOutcome === "unreachable" ? "unreachable" : "signedOut" });
      }
    });
    return this.started;
  }

  /** Try again after the server could not be reached at start. */
  retryStart(): Promise<void> {
    this.started = null;
    this.set({ status: "unknown" });
    return this.start();
  }

  /** After sign-in or sign-up: the answer's access token becomes the session's. */
  signedIn(tokens: SessionTokens) {
    this.adoptToken(tokens.access, true);
  }

  private adoptToken(access: string, broadcast: boolean) {
    const claims = decodeClaims(access);
    this.accessToken = access;
    this.expiresAt = (claims.exp ?? Date.now() / 1000 + 15 * 60) * 1000;
    this.schedule(this.expiresAt - REFRESH_LEAD_MS - Math.random() * 10_000);
    if (broadcast)
      this.channel?.postMessage({ kind: "token", access, expiresAt: this.expiresAt } satisfies Broadcast);
    this.set({ status: "signedIn", userId: claims.sub ?? null, reason: null });
  }

  private schedule(at: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(1_000, at - Date.now()));
  }

  /** Refreshes when the access token is missing or about to expire; resolves when usable. */
  async ensureFresh(): Promise<void> {
    if (this.snapshot.status !== "signedIn") return;
    if (this.expiresAt - Date.now() < REFRESH_LEAD_MS / 2) await this.refresh();
  }

  /** One refresh at a time (per tab, and across tabs through a Web Lock). True when a token is held after it. */
  refresh(): Promise<boolean> {
    this.inflight ??= this.refreshExclusive().finally(() => {
      this.inflight = null;
    });
    return this.inflight.then((outcome) => {
      this.lastOutcome = outcome;
      return outcome === "ok";
    });
  }

  private async refreshExclusive(): Promise<RefreshOutcome> {
    const heldBefore = this.accessToken;
    const run = async (): Promise<RefreshOutcome> => {
      // Another tab refreshed while this one waited for the lock: its token is ours too.
      if (
        this.accessToken &&
        this.accessToken !== heldBefore &&
        this.expiresAt - Date.now() > REFRESH_LEAD_MS
      ) {
        return "ok";
      }
      return this.callRefresh();
    };
    if (typeof navigator !== "undefined" && "locks" in navigator) {
      return navigator.locks.request(LOCK_NAME, run);
    }
    return run();
  }

  private async callRefresh(): Promise<RefreshOutcome> {
    let response: Response;
    try {
      response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: "{}",
        credentials: "same-origin",
      });
    } catch {
      if (this.accessToken) this.schedule(Date.now() + RETRY_MS);
      return "unreachable";
    }
    if (response.ok) {
      const tokens = (await response.json()) as SessionTokens;
      this.adoptToken(tokens.access, true);
      return "ok";
    }
    if (response.status === 401) {
      if (this.snapshot.status === "signedIn") this.clear("expired");
      return "refused";
    }
    // 429 or 5xx: keep what we have and try again later.
    if (this.accessToken) this.schedule(Date.now() + RETRY_MS);
    return response.status >= 500 ? "unreachable" : "refused";
  }

  /** Forgets the session in this tab (and, unless told otherwise, in the others). */
  clear(reason: "expired" | "signedOut", broadcast = true) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.accessToken = null;
    this.expiresAt = 0;
    if (broadcast) this.channel?.postMessage({ kind: "signedOut" } satisfies Broadcast);
    if (this.snapshot.status !== "signedOut") this.set({ status: "signedOut", userId: null, reason });
  }

  /** Revokes the sign-in on the server (cookie and token), then forgets it everywhere. */
  async signOut(): Promise<void> {
    const token = this.accessToken;
    try {
      await fetch("/api/auth/logout", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: "{}",
        credentials: "same-origin",
      });
    } finally {
      this.clear("signedOut");
    }
  }
}

export const session = new Session();
