import { Link, Outlet, useNavigate, useParams, useRouterState } from "@tanstack/react-router";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { NotificationsBell } from "../components/NotificationsBell";
import { Avatar } from "../components/ui/Avatar";
import { cn } from "../components/ui/cn";
import { Icon } from "../components/ui/Icon";
import { Menu } from "../components/ui/Menu";
import { Skeleton } from "../components/ui/Skeleton";
import { useToast } from "../components/ui/Toast";
import { errorMessage } from "../lib/api";
import { useFocusTrap, useMediaQuery } from "../lib/focus";
import { accessIn, lastOrg, useMe, useOrganizations, useSession } from "../lib/me";
import { useRealtime } from "../lib/realtime";
import { session } from "../lib/session";
import type { OrgSummary } from "../lib/types";
import { allowed, NAVIGATION, PRIMARY_ACTIONS, visibleNavigation, type NavItem } from "./navigation";

/** Tailwind's `lg`: from here the sidebar is a column; below, a drawer over the page. */
const WIDE = "(min-width: 64rem)";

/** The signed-in frame: sidebar (organization, navigation) and top bar (account). Signs out to /sign-in. */
export function AppShell() {
  const { status } = useSession();
  const [drawerOpen, setDrawerOpen] = useState(false);
  useRealtime(status === "signedIn");

  // Close the drawer on navigation (tablet and phone widths).
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const [lastPath, setLastPath] = useState(pathname);
  if (pathname !== lastPath) {
    setLastPath(pathname);
    setDrawerOpen(false);
  }

  // Below lg the open drawer is modal: the page behind is inert and the drawer holds the keyboard.
  const wide = useMediaQuery(WIDE);
  const modal = drawerOpen && !wide;
  const sidebar = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  const trap = useFocusTrap({ open: modal, panel: sidebar, opener: menuButton, onClose: closeDrawer });

  // Signed out: the route guard is on its way to /sign-in.
  if (status !== "signedIn") return null;

  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        inert={modal}
        className="sr-only z-50 rounded-md bg-white px-3 py-2 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      {/* Sidebar: fixed column from lg, a drawer below (opaque, hidden from the keyboard when closed). */}
      <div
        className={cn("fixed inset-0 z-30 bg-zinc-950/40 lg:hidden", modal ? "block" : "hidden")}
        onClick={closeDrawer}
        aria-hidden="true"
      />
      <aside
        id="sidebar"
        ref={sidebar}
        role={modal ? "dialog" : undefined}
        aria-modal={modal || undefined}
        aria-label={modal ? "Navigation" : "Sidebar"}
        onKeyDown={trap.onKeyDown}
        className={cn(
          "fixed inset-y-0 left-0 z-40 flex w-60 flex-col border-r border-zinc-200 bg-zinc-100 lg:visible lg:sticky lg:top-0 lg:h-dvh lg:translate-x-0 lg:bg-zinc-100/60",
          // Visible at once when opening (to take the focus), hidden only once it has slid away.
          drawerOpen
            ? "translate-x-0 shadow-xl transition-[translate] lg:shadow-none"
            : "invisible -translate-x-full transition-[translate,visibility]",
        )}
      >
        <Sidebar onClose={modal ? closeDrawer : undefined} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col" inert={modal}>
        <TopBar onMenu={() => setDrawerOpen((open) => !open)} menuOpen={drawerOpen} menuButton={menuButton} />
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8"
        >
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** The slug of the organization in the URL, or the last one used, or the first one. */
function useCurrentOrg(): { current: OrgSummary | null; orgs: OrgSummary[]; isLoading: boolean } {
  const params = useParams({ strict: false });
  const { orgs, isLoading } = useOrganizations();
  const wanted = params.org ?? lastOrg();
  const current = orgs.find((org) => org.slug === wanted || org.id === wanted) ?? orgs[0] ?? null;
  return { current, orgs, isLoading };
}

/** `onClose`: the sidebar is an open drawer, with a button to close it. */
function Sidebar({ onClose }: { onClose?: (() => void) | undefined }) {
  const me = useMe();
  const { current, orgs, isLoading } = useCurrentOrg();
  const access = accessIn(me.data, current?.id);
  const sections = current ? visibleNavigation(access.can) : [];
  const actions = current ? PRIMARY_ACTIONS.filter((item) => allowed(item, access.can)) : [];

  return (
    <>
      <div className="flex h-13 shrink-0 items-center gap-2 border-b border-zinc-200/80 px-3">
        <div className="min-w-0 flex-1">
          {isLoading ? <Skeleton className="h-6 w-40" /> : <OrgSwitcher current={current} orgs={orgs} />}
        </div>
        {onClose ? (
          <button
            type="button"
            onClick={onClose}
            className="rounded-md p-1.5 text-zinc-600 hover:bg-zinc-200/70 hover:text-zinc-900"
            aria-label="Close navigation"
          >
            <Icon name="x" className="size-5" />
          </button>
        ) : null}
      </div>
      <nav className="flex-1 space-y-5 overflow-y-auto px-2 py-3" aria-label="Main">
        {actions.length ? (
          <div className="space-y-1 px-1">
            {actions.map((item) =>
              current ? (
                <Link
                  key={item.to}
                  to={item.to}
                  params={{ org: current.slug }}
                  className="flex h-8 items-center gap-2 rounded-md border border-zinc-300 bg-white px-2.5 text-sm font-medium text-zinc-800 shadow-xs hover:bg-zinc-50"
                >
                  <Icon name={item.icon} className="size-4 text-zinc-500" />
                  {item.label}
                </Link>
              ) : null,
            )}
          </div>
        ) : null}
        {me.isLoading ? (
          <div className="space-y-2 px-2">
            <Skeleton className="h-5 w-32" />
            <Skeleton className="h-5 w-24" />
          </div>
        ) : null}
        {sections.map((section, index) => (
          <div key={section.label ?? index}>
            {section.label ? (
              <p className="mb-1 px-2.5 text-xs font-medium tracking-wide text-zinc-600">{section.label}</p>
            ) : null}
            <ul className="space-y-px">
              {section.items.map((item) => (
                <li key={item.to}>{current ? <NavLink item={item} org={current.slug} /> : null}</li>
              ))}
            </ul>
          </div>
        ))}
        <div>
          <p className="mb-1 px-2.5 text-xs font-medium tracking-wide text-zinc-600">You</p>
          <ul className="space-y-px">
            <li>
              <Link
                to="/profile"
                className={navClass}
                activeProps={{ "aria-current": "page", className: navActive }}
              >
                <Icon name="user" className="size-4 text-zinc-500" />
                Profile
              </Link>
            </li>
            {me.data?.onboarding.isDeveloper && !me.data.onboarding.verified ? (
              <li>
                <Link
                  to="/onboarding"
                  className={navClass}
                  activeProps={{ "aria-current": "page", className: navActive }}
                >
                  <Icon name="shield" className="size-4 text-zinc-500" />
                  Get verified
                </Link>
              </li>
            ) : null}
          </ul>
        </div>
        {me.data?.user.isSuperuser ? (
          <div>
            <p className="mb-1 px-2.5 text-xs font-medium tracking-wide text-zinc-600">Platform</p>
            <ul className="space-y-px">
              {current ? (
                <li>
                  <NavLink item={{ label: "Organizations", to: "/o/$org/organizations", icon: "home" }} org={current.slug} />
                </li>
              ) : null}
              {PLATFORM_PAGES.map((page) => (
                <li key={page.to}>
                  <Link to={page.to} className={navClass} activeProps={{ "aria-current": "page", className: navActive }}>
                    <Icon name={page.icon} className="size-4 text-zinc-500" />
                    {page.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </nav>
      {me.data?.user.isSuperuser ? (
        <p className="border-t border-zinc-200/80 px-4 py-2.5 text-xs text-zinc-600">
          Signed in as platform superuser: every permission in every organization.
        </p>
      ) : null}
    </>
  );
}

/** The superuser's pages outside any organization (the API refuses everyone else). */
const PLATFORM_PAGES = [
  { label: "Jobs", to: "/admin/jobs", icon: "list" },
  { label: "Schedules", to: "/admin/schedules", icon: "calendar" },
] as const;

const navClass =
  "flex h-8 items-center gap-2.5 rounded-md px-2.5 text-sm text-zinc-700 hover:bg-zinc-200/70 hover:text-zinc-900";
const navActive = "bg-white text-zinc-900 font-medium shadow-xs ring-1 ring-zinc-200 hover:bg-white";

function NavLink({ item, org }: { item: NavItem; org: string }) {
  return (
    <Link
      to={item.to}
      params={{ org }}
      activeOptions={{ exact: item.exact ?? false, includeSearch: false }}
      className={navClass}
      activeProps={{ "aria-current": "page", className: navActive }}
    >
      <Icon name={item.icon} className="size-4 text-zinc-500" />
      {item.label}
    </Link>
  );
}

function OrgSwitcher({ current, orgs }: { current: OrgSummary | null; orgs: OrgSummary[] }) {
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const badge = (
    // A mark drawn by CSS, not text: the switcher's name starts with the organization's name.
    <span
      className="flex size-6 shrink-0 items-center justify-center rounded-md bg-accent-600 text-xs font-semibold text-white before:content-[attr(data-initial)]"
      data-initial={(current?.name ?? "C").slice(0, 1).toUpperCase()}
      aria-hidden="true"
    />
  );
  if (!current) {
    return (
      <span className="flex items-center gap-2 text-sm font-semibold">
        {badge}
        Cairn
      </span>
    );
  }
  if (orgs.length < 2) {
    return (
      <span className="flex min-w-0 items-center gap-2 text-sm font-semibold" title={current.name}>
        {badge}
        <span className="truncate">{current.name}</span>
      </span>
    );
  }
  const switchTo = (org: OrgSummary) => {
    // Stay on the same page in the other organization.
    const here = navEntryAt(pathname, current.slug);
    void navigate({ to: here?.to ?? "/o/$org", params: { org: org.slug } });
  };
  return (
    <Menu
      label={`${current.name}: switch organization`}
      className="w-full"
      items={orgs.map((org) => ({
        key: org.id,
        label: org.name,
        selected: org.id === current.id,
        onSelect: () => switchTo(org),
      }))}
      header={<span className="text-zinc-500">Switch organization</span>}
      trigger={
        <span className="flex w-full min-w-0 items-center gap-2 rounded-md px-1 py-1 text-sm font-semibold hover:bg-zinc-200/70">
          {badge}
          <span className="min-w-0 flex-1 truncate">{current.name}</span>
          <Icon name="chevronsUpDown" className="size-3.5 text-zinc-500" />
        </span>
      }
    />
  );
}

function TopBar({
  onMenu,
  menuOpen,
  menuButton,
}: {
  onMenu: () => void;
  menuOpen: boolean;
  menuButton: RefObject<HTMLButtonElement | null>;
}) {
  const me = useMe();
  const navigate = useNavigate();
  const toast = useToast();
  const [signingOut, setSigningOut] = useState(false);
  useEffect(() => {
    if (me.error) toast.error(errorMessage(me.error), "Your account could not be loaded");
  }, [me.error, toast]);
  const name = me.data ? me.data.profile.displayName || me.data.user.username : "";

  const signOut = async () => {
    setSigningOut(true);
    try {
      await session.signOut();
    } catch {
      // The session is forgotten locally either way.
    }
    await navigate({ to: "/sign-in", search: { reason: "signedOut" } });
  };

  return (
    <header className="sticky top-0 z-20 flex h-13 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6 lg:px-8">
      <button
        ref={menuButton}
        type="button"
        className="-ml-1 rounded-md p-1.5 text-zinc-600 hover:bg-zinc-100 lg:hidden"
        onClick={onMenu}
        aria-label="Open navigation"
        aria-controls="sidebar"
        aria-expanded={menuOpen}
      >
        <Icon name="menu" className="size-5" />
      </button>
      <Link
        to="/"
        className="flex items-center gap-2 text-sm font-semibold tracking-tight text-zinc-900 lg:hidden"
      >
        <img src="/favicon.svg" alt="" className="size-5" />
        Cairn
      </Link>
      <Breadcrumb />
      <div className="flex-1" />
      <NotificationsBell />
      {me.data ? (
        <Menu
          label={`${name}, account menu`}
          align="end"
          header={
            <div className="min-w-0">
              <p className="truncate font-medium text-zinc-900">{name}</p>
              <p className="truncate text-zinc-500">@{me.data.user.username}</p>
            </div>
          }
          items={[
            {
              key: "profile",
              label: "Profile",
              icon: <Icon name="user" className="size-4 text-zinc-500" />,
              onSelect: () => void navigate({ to: "/profile" }),
            },
            {
              key: "sign-out",
              label: signingOut ? "Signing out…" : "Sign out",
              icon: <Icon name="logout" className="size-4 text-zinc-500" />,
              onSelect: () => void signOut(),
            },
          ]}
          trigger={
            <span className="flex items-center gap-2 rounded-md py-1 pr-1.5 pl-1 hover:bg-zinc-100">
              <Avatar name={name} src={me.data.profile.avatarUrl} seed={me.data.user.id} size="sm" />
              <span className="hidden max-w-40 truncate text-sm font-medium text-zinc-800 sm:block">
                {name}
              </span>
              <Icon name="chevronDown" className="size-3.5 text-zinc-500" />
            </span>
          }
        />
      ) : (
        <Skeleton className="h-7 w-28" />
      )}
    </header>
  );
}

/** Where the reader is: organization › page, from the navigation entries. */
function Breadcrumb() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const { current } = useCurrentOrg();
  const entry = current ? navEntryAt(pathname, current.slug) : undefined;
  const own: Record<string, string> = {
    "/profile": "Profile",
    "/onboarding": "Verification",
    "/notifications": "Notifications",
    "/admin/jobs": "Jobs",
    "/admin/schedules": "Schedules",
  };
  const page = own[pathname] ?? (entry && entry.to !== "/o/$org" ? entry.label : null);
  return (
    <nav aria-label="Breadcrumb" className="hidden min-w-0 text-sm text-zinc-500 lg:block">
      <ol className="flex items-center gap-1.5">
        {current && pathname.startsWith("/o/") ? (
          <li className="truncate">
            <Link to="/o/$org" params={{ org: current.slug }} className="hover:text-zinc-900">
              {current.name}
            </Link>
          </li>
        ) : null}
        {page ? (
          <li className="flex items-center gap-1.5 font-medium text-zinc-900" aria-current="page">
            {pathname.startsWith("/o/") ? (
              <Icon name="chevronRight" className="size-3.5 text-zinc-400" />
            ) : null}
            {page}
          </li>
        ) : null}
      </ol>
    </nav>
  );
}

/** The navigation entry the path is under (the longest match), in the given organization. */
function navEntryAt(pathname: string, org: string): NavItem | undefined {
  return [...NAVIGATION.flatMap((section) => section.items), ...PRIMARY_ACTIONS]
    .filter((item) => {
      const path = item.to.replace("$org", org);
      return pathname === path || pathname.startsWith(`${path}/`);
    })
    .sort((a, b) => b.to.length - a.to.length)[0];
}
