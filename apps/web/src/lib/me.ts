import { PERMISSION_CODENAMES, type DeveloperTrack, type Permission } from "@cairn/shared";
import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { organizationKeys, organizationsApi } from "../api/organizations";
import { api } from "./api";
import { session } from "./session";
import type { Me, Membership } from "./types";

export const meKey = ["me"] as const;

/** The session's state (signed in or not), re-rendering on change. */
export function useSession() {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** GET /api/me: who the caller is, and what they may do in each organization. */
export function useMe() {
  const { status } = useSession();
  return useQuery({
    queryKey: meKey,
    queryFn: ({ signal }) => api<Me>("/api/me", { signal }),
    enabled: status === "signedIn",
    staleTime: 60_000,
  });
}

/** The organizations the caller can work in: their memberships, or every organization for the superuser. */
export function useOrganizations() {
  const me = useMe();
  const isSuperuser = me.data?.user.isSuperuser ?? false;
  const all = useQuery({
    queryKey: organizationKeys.everything,
    queryFn: ({ signal }) => organizationsApi.list({ pageSize: 100 }, signal),
    enabled: isSuperuser,
    staleTime: 60_000,
  });
  const memberships: Membership[] = me.data?.memberships ?? [];
  if (!isSuperuser) {
    return {
      isLoading: me.isLoading,
      orgs: memberships.map((membership) => membership.org),
      memberships,
    };
  }
  const known = new Set(memberships.map((membership) => membership.org.id));
  const others = (all.data?.items ?? []).filter((org) => !known.has(org.id));
  return {
    isLoading: me.isLoading || all.isLoading,
    orgs: [
      ...memberships.map((membership) => membership.org),
      ...others.map(({ id, slug, name }) => ({ id, slug, name })),
    ],
    memberships,
  };
}

export type Access = {
  /** The caller holds the permission in this organization (the superuser holds them all). */
  can: (permission: Permission) => boolean;
  /** Held only on the caller's own objects ("own projects"). */
  ownOnly: (permission: Permission) => boolean;
  roles: string[];
  /** The caller's place on the developer track here, from their roles' attribute (/api/me); null off it. */
  developerTrack: DeveloperTrack | null;
  isSuperuser: boolean;
};

const NOTHING: Access = {
  can: () => false,
  ownOnly: () => false,
  roles: [],
  developerTrack: null,
  isSuperuser: false,
};

/** What the caller may do in one organization, from /api/me: navigation and buttons follow this. */
export function accessIn(me: Me | undefined, orgIdOrSlug: string | undefined): Access {
  if (!me) return NOTHING;
  if (me.user.isSuperuser) {
    const membership = me.memberships.find(
      (item) => item.org.id === orgIdOrSlug || item.org.slug === orgIdOrSlug,
    );
    return {
      can: () => true,
      ownOnly: () => false,
      roles: membership?.roles ?? [],
      developerTrack: membership?.developerTrack ?? null,
      isSuperuser: true,
    };
  }
  const membership = me.memberships.find(
    (item) => item.org.id === orgIdOrSlug || item.org.slug === orgIdOrSlug,
  );
  if (!membership) return NOTHING;
  const granted = new Set(membership.permissions);
  const own = new Set(membership.ownScoped ?? []);
  return {
    can: (permission) => granted.has(permission),
    ownOnly: (permission) => own.has(permission),
    roles: membership.roles,
    developerTrack: membership.developerTrack ?? null,
    isSuperuser: false,
  };
}

/** Every codename, for the superuser's view of "what you can do". */
export const ALL_PERMISSIONS: readonly Permission[] = PERMISSION_CODENAMES;

const LAST_ORG_KEY = "cairn.lastOrg";

/** The organization the caller last worked in (a preference, not a secret). */
export function rememberOrg(slug: string) {
  try {
    localStorage.setItem(LAST_ORG_KEY, slug);
  } catch {
    // storage disabled: the first organization is used instead
  }
}

export function lastOrg(): string | null {
  try {
    return localStorage.getItem(LAST_ORG_KEY);
  } catch {
    return null;
  }
}
