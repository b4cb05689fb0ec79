import type { OrgAccess } from "../access/actor.js";
import type { KeyValue } from "../ephemeral/ephemeral.js";

/**
 * Who a user is for the permission engine: identity plus what they hold in
 * each organization. The platform owns the type and the cache; the identity
 * module owns the query that loads one (passed in as a `PrincipalLoader`).
 * A change to any of it (a user's username, email or status, a membership,
 * a role, their profile) must invalidate the cached copy.
 */
export type Principal = {
  userId: string;
  username: string;
  email: string;
  /** ISO-8601, as it survives the cache. */
  createdAt: string;
  isActive: boolean;
  isSuperuser: boolean;
  orgs: OrgAccess[];
  /** The user's own profile, for GET /api/me; every profile write invalidates the principal. */
  profile: CachedProfile;
};

/** A profile as it survives the cache: instants as ISO-8601 text. */
export type CachedProfile = {
  userId: string;
  displayName: string;
  bio: string;
  nationalId: string | null;
  phone: string | null;
  phoneVerifiedAt: string | null;
  dateOfBirth: string | null;
  timezone: string;
  avatarKey: string | null;
  completedAt: string | null;
};

/** Reads a principal from the database; null when the user does not exist. */
export type PrincipalLoader = (userId: string) => Promise<Principal | null>;

export type PrincipalStore = {
  get(userId: string): Promise<Principal | null>;
  /** Many at once (one round trip to the cache), in the order asked; null where the user does not exist. */
  getMany(userIds: readonly string[]): Promise<Array<Principal | null>>;
  /** Drops cached principals; call after the change commits. */
  invalidate(userIds: string[]): Promise<void>;
};

/**
 * Principals are cached (Redis or memory) because every request needs one;
 * every change of membership, role assignment or role grants invalidates the
 * holders' entries after commit. The TTL bounds any race between a read and
 * an invalidation.
 */
const CACHE_TTL_SECONDS = 300;
/**
 * The shape's version is part of the key: after a deploy that changes what a principal
 * carries (v2: each membership's `developerTrack`), entries of the old shape are not read.
 */
const cacheKey = (userId: string) => `principal:v2:${userId}`;

/** Parsed principals kept per process, by user, with the cached text they were parsed from. */
const PARSED_MEMO_SIZE = 10_000;

export function createPrincipalStore(load: PrincipalLoader, kv: KeyValue): PrincipalStore {
  // The shared cache (Redis or memory) holds text; parsing it is skipped while the text is the
  // same as last time. Any change of the entry (invalidation, reload) gives new text and a new parse.
  const parsed = new Map<string, { text: string; principal: Principal }>();
  const parse = (userId: string, text: string): Principal => {
    const memo = parsed.get(userId);
    if (memo?.text === text) return memo.principal;
    const principal = deepFreeze(JSON.parse(text) as Principal);
    parsed.delete(userId);
    if (parsed.size >= PARSED_MEMO_SIZE) parsed.delete(parsed.keys().next().value as string);
    parsed.set(userId, { text, principal });
    return principal;
  };
  const loadAndCache = async (userId: string): Promise<Principal | null> => {
    const principal = await load(userId);
    if (!principal) return null;
    const text = JSON.stringify(principal);
    await kv.set(cacheKey(userId), text, CACHE_TTL_SECONDS);
    return parse(userId, text);
  };
  return {
    async get(userId) {
      const cached = await kv.get(cacheKey(userId));
      return cached ? parse(userId, cached) : loadAndCache(userId);
    },
    async getMany(userIds) {
      if (!userIds.length) return [];
      const cached = await kv.getMany(userIds.map(cacheKey));
      return Promise.all(
        userIds.map((userId, index) => {
          const text = cached[index];
          return text ? Promise.resolve(parse(userId, text)) : loadAndCache(userId);
        }),
      );
    },
    async invalidate(userIds) {
      for (const userId of userIds) parsed.delete(userId);
      if (userIds.length) await kv.del(...userIds.map(cacheKey));
    },
  };
}

/** Shared between requests, so nobody may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
