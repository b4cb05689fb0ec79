import { authorize } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { emitEvent } from "../../platform/events/events.js";
import { ConflictError } from "../../platform/errors.js";
import { getOrganization, notifyPermissionsChanged } from "../access/index.js";
import {
  getMember,
  keepingRoleManager,
  memberPolicy,
  memberRoleChanged,
  type MemberView,
} from "../orgs/index.js";
import { moveAlongTrack, NoTrackRoleError } from "./developer-track.js";
import { developerVerified } from "./onboarding.events.js";

/**
 * POST /api/orgs/{org}/members/{userId}/verification: an admin (members.manage)
 * promotes a developer to the verified step of the developer track, or demotes
 * a verified one, whatever their onboarding says. The member's roles on the
 * other step give way to the organization's role for this one (its default);
 * their other roles stay. A member off the track is a 409; asking for the step
 * they are on changes nothing. Audited (`developer.verified`,
 * `developer.unverified`) and notified: a promotion as `developer.verified`,
 * a demotion as `member.role_changed`. A promotion counts as the organization's
 * verification of them: onboarding does not promote them again after a demotion.
 */
export async function setDeveloperVerification(
  ctx: Ctx,
  idOrSlug: string,
  userId: string,
  verified: boolean,
): Promise<MemberView> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, memberPolicy, "update", { orgId: org.id });
  const member = await getMember(ctx, org.id, userId);
  if (member.developerTrack === null) {
    throw new ConflictError(
      `${member.user.username} holds no role on the developer track in ${org.name}: give them a developer role first.`,
      "not_on_developer_track",
    );
  }
  const move = await keepingRoleManager(ctx, org.id, () =>
    moveAlongTrack(ctx, org.id, userId, verified ? "verified" : "unverified"),
  ).catch((error: unknown) => {
    if (!(error instanceof NoTrackRoleError)) throw error;
    throw new ConflictError(`${org.name} has no ${error.track} developer role to give.`, "no_developer_role");
  });
  if (!move) return member;
  const { before, after } = move;
  await recordAudit(ctx, {
    orgId: org.id,
    action: verified ? "developer.verified" : "developer.unverified",
    entityType: "member",
    entityId: userId,
    changes: { roles: [before, after] },
  });
  if (verified) {
    await emitEvent(ctx, developerVerified, {
      orgId: org.id,
      recipients: [userId],
      data: { userId, before, after, by: "admin" },
    });
  } else {
    await emitEvent(ctx, memberRoleChanged, {
      orgId: org.id,
      recipients: [userId],
      data: { userId, before, after },
    });
  }
  ctx.afterCommit(() => notifyPermissionsChanged(ctx, [userId]));
  return getMember(ctx, org.id, userId);
}
