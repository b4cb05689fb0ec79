import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Badge } from "../../components/ui/Badge";
import { buttonClass } from "../../components/ui/Button";
import { EmptyState } from "../../components/ui/EmptyState";
import { Icon } from "../../components/ui/Icon";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { PageSkeleton } from "../../components/ui/Skeleton";
import { accessIn, useMe } from "../../lib/me";
import type { Me } from "../../lib/types";
import { AvatarStep } from "./AvatarStep";
import { PhoneStep } from "./PhoneStep";
import { ProfileStep } from "./ProfileStep";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { ONBOARDING_STEPS, onboardingProgress } from "./steps";

/** /onboarding: a developer's checklist to become a verified developer. */
export function OnboardingPage() {
  const me = useMe();
  if (!me.data) return <PageSkeleton />;
  return <Onboarding me={me.data} />;
}

function Onboarding({ me }: { me: Me }) {
  // The verify answer arrives a moment before /api/me is refetched.
  const [justVerified, setJustVerified] = useState(false);
  const progress = onboardingProgress(me);
  const verified = progress.verified || justVerified;

  if (!me.onboarding.isDeveloper && !verified) {
    return (
      <>
        <PageHeader title="Verification" />
        <div className="rounded-lg border border-zinc-200 bg-white">
          <EmptyState
            icon="shield"
            title="Verification is for developers"
            action={
              <Link to="/profile" className={buttonClass("secondary")}>
                Go to your profile
              </Link>
            }
          >
            Developers complete their profile and confirm their phone to become verified. Your account holds
            no developer role, so there is nothing to do here.
          </EmptyState>
        </div>
      </>
    );
  }

  if (verified) return <VerifiedState me={me} />;

  return (
    <>
      <PageHeader
        title="Become a verified developer"
        description="Complete your profile and confirm your phone. Verified developers create projects and manage the tasks of their own projects."
      />
      <Card className="mb-4">
        <div className="flex items-center gap-3">
          <ProgressBar value={progress.percent} label="Verification progress" className="flex-1" />
          <span className="text-[13px] font-medium text-zinc-600 tabular-nums">
            {progress.count} of {progress.total} done
          </span>
        </div>
        <ol className="mt-3 grid gap-x-4 gap-y-1.5 sm:grid-cols-2 lg:grid-cols-3" aria-label="Steps">
          {ONBOARDING_STEPS.map((step) => {
            const complete = progress.done(step.key);
            return (
              <li key={step.key} className="flex items-center gap-2 text-[13px]">
                <span
                  className={`flex size-4 shrink-0 items-center justify-center rounded-full ${complete ? "bg-emerald-500 text-white" : "border border-zinc-300 bg-white"}`}
                  aria-hidden="true"
                >
                  {complete ? <Icon name="check" className="size-3" /> : null}
                </span>
                <a
                  href={`#${step.section}`}
                  className={complete ? "text-zinc-500 line-through" : "text-zinc-800 hover:underline"}
                >
                  {step.label}
                </a>
                <span className="sr-only">{complete ? "(done)" : "(to do)"}</span>
              </li>
            );
          })}
        </ol>
      </Card>
      <div className="space-y-4">
        <div id="onboarding-profile" className="scroll-mt-16">
          <ProfileStep me={me} />
        </div>
        <div id="onboarding-avatar" className="scroll-mt-16">
          <AvatarStep me={me} />
        </div>
        <div id="onboarding-phone" className="scroll-mt-16">
          <PhoneStep me={me} onVerified={(result) => setJustVerified(result.verified)} />
        </div>
      </div>
    </>
  );
}

function VerifiedState({ me }: { me: Me }) {
  const canCreate = me.memberships.find((membership) => accessIn(me, membership.org.id).can("projects.add"));
  const home = canCreate ?? me.memberships[0];
  return (
    <>
      <PageHeader title="Verification" />
      <div className="rounded-lg border border-emerald-200 bg-white shadow-xs">
        <EmptyState
          icon="check"
          title="You are verified"
          action={
            <div className="flex flex-wrap justify-center gap-2">
              {canCreate ? (
                <Link
                  to="/o/$org/projects/new"
                  params={{ org: canCreate.org.slug }}
                  className={buttonClass("primary")}
                >
                  Create a project
                </Link>
              ) : null}
              {home ? (
                <Link to="/o/$org" params={{ org: home.org.slug }} className={buttonClass("secondary")}>
                  Go to the dashboard
                </Link>
              ) : null}
            </div>
          }
        >
          <p>
            <Badge tone="green">
              <Icon name="shield" className="size-3" /> Verified developer
            </Badge>
          </p>
          <p className="mt-2">
            Your profile is complete and your phone is confirmed. You can create projects and manage the tasks
            of your own projects.
          </p>
        </EmptyState>
      </div>
    </>
  );
}
