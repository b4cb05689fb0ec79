import type { Me } from "../../lib/types";

/** The developer's way to verification, in the order the page asks for it. */
export const ONBOARDING_STEPS = [
  { key: "bio", label: "A short bio", section: "onboarding-profile" },
  { key: "nationalId", label: "Your national id", section: "onboarding-profile" },
  { key: "phone", label: "Your phone number", section: "onboarding-profile" },
  { key: "avatar", label: "A profile picture", section: "onboarding-avatar" },
  { key: "phoneVerified", label: "Phone confirmed with a code", section: "onboarding-phone" },
] as const;

export type OnboardingStepKey = (typeof ONBOARDING_STEPS)[number]["key"];

/** Which steps are done, from /api/me's `onboarding` (a verified developer has done them all). */
export function onboardingProgress(me: Me) {
  const missing = new Set<string>(me.onboarding.missing ?? []);
  if (!me.onboarding.phoneVerified) missing.add("phoneVerified");
  const verified = me.onboarding.verified;
  const done = (key: OnboardingStepKey) => verified || !missing.has(key);
  const count = ONBOARDING_STEPS.filter((step) => done(step.key)).length;
  return {
    done,
    count,
    total: ONBOARDING_STEPS.length,
    percent: Math.round((count / ONBOARDING_STEPS.length) * 100),
    verified,
  };
}
