import { useMutation, useQueryClient } from "@tanstack/react-query";
import { developerKeys } from "../../api/developers";
import { memberKeys, membersApi } from "../../api/members";
import { useOrg } from "../../app/org";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Icon } from "../../components/ui/Icon";
import type { MenuItem } from "../../components/ui/Menu";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { meKey, useMe } from "../../lib/me";
import { roleName } from "../../lib/roles";
import type { Member, Role } from "../../lib/types";

/**
 * What a member's "…" menu does: open the profile or the roles dialog, promote or demote a
 * developer, deactivate or reactivate; each asks first and says what will happen.
 */
export function useMemberActions({
  roles,
  onViewProfile,
  onEditRoles,
}: {
  roles: Role[] | undefined;
  onViewProfile: (member: Member) => void;
  onEditRoles: (member: Member) => void;
}) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const me = useMe();
  const canManage = access.can("members.manage");
  const canViewProfiles = access.can("profiles.view_any");

  /** After any change: the list, the developer directory, and the caller's own permissions. */
  const changed = (member: Member) => {
    void queryClient.invalidateQueries({ queryKey: memberKeys.all(org.slug) });
    void queryClient.invalidateQueries({ queryKey: developerKeys.all(org.slug) });
    if (member.user.id === me.data?.user.id) void queryClient.invalidateQueries({ queryKey: meKey });
  };

  const setActive = useMutation({
    mutationFn: ({ member, isActive }: { member: Member; isActive: boolean }) =>
      membersApi.update(org.slug, member.user.id, { isActive }),
    onSuccess: (member, { isActive }) => {
      toast.success(`${member.user.username} is ${isActive ? "active again" : "deactivated"}.`);
      changed(member);
    },
    onError: (error) => toast.error(errorMessage(error), "The member was not changed"),
  });

  /**
   * One step along the developer track (POST …/verification): the server swaps the member's
   * roles on the other step for the organization's role of this one and keeps the rest.
   */
  const resend = useMutation({
    mutationFn: (member: Member) => membersApi.resendInvitation(org.slug, member.user.id),
    onSuccess: (_sent, member) => toast.success(`The invitation is on its way to ${member.user.username} again.`),
    onError: (error) => toast.error(errorMessage(error), "The invitation was not sent"),
  });

  const changeVerification = useMutation({
    mutationFn: ({ member, promote }: { member: Member; promote: boolean }) =>
      membersApi.setVerification(org.slug, member.user.id, promote),
    onSuccess: (member, { promote }) => {
      toast.success(
        promote
          ? `${member.user.username} is now a verified developer.`
          : `${member.user.username} is a developer again.`,
      );
      changed(member);
    },
    onError: (error) => toast.error(errorMessage(error), "The roles were not changed"),
  });

  const confirmVerification = async (member: Member, promote: boolean) => {
    const ok = await confirm({
      title: promote
        ? `Promote ${member.user.username} to verified developer?`
        : `Demote ${member.user.username} to developer?`,
      body: promote
        ? "They can create projects and manage the tasks of their own projects at once, whether or not they finished their onboarding."
        : "They lose projects.add and the rights on their own projects at once, and can be on one project at most. Projects they created stay.",
      confirmLabel: promote ? "Promote" : "Demote",
      tone: promote ? "primary" : "danger",
    });
    if (ok) changeVerification.mutate({ member, promote });
  };

  const toggleActive = async (member: Member) => {
    const deactivate = member.isActive;
    const ok = await confirm({
      title: deactivate ? `Deactivate ${member.user.username}?` : `Reactivate ${member.user.username}?`,
      body: deactivate
        ? `They lose access to ${org.name} at once: every permission, project and task here. Their history stays. You can reactivate them later.`
        : `They regain access to ${org.name} with their roles: ${member.roles.map((role) => roleName(role, roles)).join(", ") || "none"}.`,
      confirmLabel: deactivate ? "Deactivate" : "Reactivate",
      tone: deactivate ? "danger" : "primary",
    });
    if (ok) setActive.mutate({ member, isActive: !deactivate });
  };

  /** What the server says the caller may do with `member` (promote and demote follow the developer track). */
  const may = (member: Member, action: string) => member.allowedActions?.includes(action) ?? false;

  /** The menu items the caller may use on `member` (none: no menu). */
  const menuItems = (member: Member): (MenuItem | false)[] => [
    canViewProfiles && {
      key: "profile",
      label: access.can("profiles.change_any") ? "View or edit profile…" : "View profile…",
      icon: <Icon name="user" className="size-4 text-zinc-500" />,
      onSelect: () => onViewProfile(member),
    },
    canManage && {
      key: "roles",
      label: "Change roles…",
      icon: <Icon name="shield" className="size-4 text-zinc-500" />,
      onSelect: () => onEditRoles(member),
    },
    may(member, "resendInvitation") && {
      key: "invitation",
      label: "Resend invitation",
      icon: <Icon name="mail" className="size-4 text-zinc-500" />,
      onSelect: () => resend.mutate(member),
    },
    may(member, "promote") && {
      key: "promote",
      label: "Promote to verified developer…",
      icon: <Icon name="arrowUp" className="size-4 text-zinc-500" />,
      onSelect: () => void confirmVerification(member, true),
    },
    may(member, "demote") && {
      key: "demote",
      label: "Demote to developer…",
      icon: <Icon name="arrowDown" className="size-4 text-zinc-500" />,
      onSelect: () => void confirmVerification(member, false),
    },
    canManage &&
      member.user.id !== me.data?.user.id && {
        key: "active",
        label: member.isActive ? "Deactivate…" : "Reactivate…",
        tone: member.isActive ? "danger" : undefined,
        icon: <Icon name={member.isActive ? "lock" : "check"} className="size-4" />,
        onSelect: () => void toggleActive(member),
      },
  ];

  return { menuItems, changed };
}
