import type { AccountType, RegisterInput } from "@cairn/shared";
import type { Ctx } from "../../platform/context.js";
import { ThrottledError } from "../../platform/errors.js";
import { createUser, startSession, type Session } from "../accounts/index.js";
import { addMembership, findOpenOrganization } from "./members.service.js";

/** The role a self-registered account starts with in the open organization. */
const ROLE_FOR_ACCOUNT: Record<AccountType, string> = { customer: "customer", developer: "developer" };

/**
 * Self-registration: an account and its membership of the open organization, with the
 * customer or developer role, in one transaction. It lives with organizations because
 * joining one is what it does; accounts know nothing of organizations.
 */
export async function registerUser(ctx: Ctx, input: RegisterInput): Promise<Session> {
  const limit = await ctx.services.ephemeral.limiter({ name: "register:ip", points: 20, durationSeconds: 3600 }).consume(ctx.meta.ip ?? "-");
  if (!limit.allowed) throw new ThrottledError(limit.retryAfterSeconds, "Too many sign-ups from this address.");
  const org = await findOpenOrganization(ctx.tx);
  const user = await createUser(ctx, { email: input.email, username: input.username, password: input.password });
  await addMembership(ctx, org.id, user.id, [ROLE_FOR_ACCOUNT[input.accountType]]);
  return startSession(ctx, user);
}
