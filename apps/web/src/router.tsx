import type { QueryClient } from "@tanstack/react-query";
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  redirect,
  type RegisteredRouter,
} from "@tanstack/react-router";
import { AppShell } from "./app/AppShell";
import { Spinner } from "./components/ui/Spinner";
import { GuestLayout, safeNext } from "./app/GuestLayout";
import { OrgLayout } from "./app/OrgLayout";
import { Root } from "./app/Root";
import { DashboardPage } from "./pages/DashboardPage";
import { DeveloperDetailPage } from "./pages/developers/DeveloperDetailPage";
import { DevelopersPage, developersList } from "./pages/developers/DevelopersPage";
import { NotificationsPage, notificationsList } from "./pages/notifications/NotificationsPage";
import { PreferencesPage } from "./pages/notifications/PreferencesPage";
import { UnsubscribePage, validateUnsubscribeSearch } from "./pages/notifications/UnsubscribePage";
import { OnboardingPage } from "./pages/onboarding/OnboardingPage";
import { ForgotPasswordPage } from "./pages/auth/ForgotPasswordPage";
import { ResetPasswordPage, validateResetSearch } from "./pages/auth/ResetPasswordPage";
import { SignInPage, validateSignInSearch } from "./pages/auth/SignInPage";
import { SignUpPage } from "./pages/auth/SignUpPage";
import { HomeRedirect } from "./pages/HomeRedirect";
import { MembersPage, membersList } from "./pages/members/MembersPage";
import { NewProjectPage } from "./pages/NewProjectPage";
import { ErrorPage } from "./pages/ErrorPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ProfilePage } from "./pages/ProfilePage";
import { RolesPage, rolesList } from "./pages/roles/RolesPage";
import { ClientsPage, clientsList } from "./pages/clients/ClientsPage";
import { ClientDetailPage } from "./pages/clients/ClientDetailPage";
import { PaymentsPage, paymentsList } from "./pages/payments/PaymentsPage";
import { AuditPage, auditList } from "./pages/audit/AuditPage";
import { OrganizationSettingsPage } from "./pages/organizations/OrganizationSettingsPage";
import { OrganizationsPage, organizationsList } from "./pages/organizations/OrganizationsPage";
import { EditProjectPage } from "./pages/projects/EditProjectPage";
import { ProjectDetailPage } from "./pages/projects/ProjectDetailPage";
import { ProjectsPage, projectsList } from "./pages/projects/ProjectsPage";
import { BoardPage } from "./pages/tasks/board/BoardPage";
import { ImportPage, validateImportSearch } from "./pages/tasks/import/ImportPage";
import { MyWorkPage } from "./pages/tasks/MyWorkPage";
import { ProjectTasksPage, projectTasksList } from "./pages/tasks/ProjectTasksPage";
import { TaskPage } from "./pages/tasks/TaskPage";
import { TasksPage, tasksList } from "./pages/tasks/TasksPage";
import { TimesheetPage, timesheetList } from "./pages/time/TimesheetPage";
import { TeamDetailPage } from "./pages/teams/TeamDetailPage";
import { SlaSettingsPage } from "./pages/tickets/SlaSettingsPage";
import { TicketPage } from "./pages/tickets/TicketPage";
import { TicketsPage, ticketsList } from "./pages/tickets/TicketsPage";
import { TeamsPage, teamsList } from "./pages/teams/TeamsPage";
import { JobsPage } from "./pages/platform/JobsPage";
import { SchedulesPage } from "./pages/platform/SchedulesPage";
import { session } from "./lib/session";
import { parseSearch, stringifySearch } from "./lib/urlSearch";

/**
 * Code-based routes. Pages read their params and search with `getRouteApi(<route id>)`, so they
 * do not import this file. Add an organization page: a route under `orgRoute` and an entry in
 * app/navigation.ts.
 */
const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  // Nothing decides before the session is known (refresh cookie → access token).
  beforeLoad: () => session.start(),
  component: Root,
  notFoundComponent: NotFoundPage,
});

// Pages for visitors; a signed-in visitor is sent on to the app.
const guestRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "guest",
  beforeLoad: ({ search }) => {
    if (session.getSnapshot().status !== "signedIn") return;
    const next = safeNext((search as { next?: unknown }).next);
    // `href` wins over `to`: the exact path, search and hash the visitor was heading to.
    // (`throw: true` makes redirect() throw the router's redirect itself.)
    if (next) redirect({ to: "/", href: next, replace: true, throw: true });
    else redirect({ to: "/", replace: true, throw: true });
  },
  component: GuestLayout,
});
const signInRoute = createRoute({
  getParentRoute: () => guestRoute,
  path: "/sign-in",
  validateSearch: validateSignInSearch,
  component: SignInPage,
});
const signUpRoute = createRoute({
  getParentRoute: () => guestRoute,
  path: "/sign-up",
  validateSearch: validateSignInSearch,
  component: SignUpPage,
});
const forgotPasswordRoute = createRoute({
  getParentRoute: () => guestRoute,
  path: "/forgot-password",
  component: ForgotPasswordPage,
});
// Opened from an email, signed in or not.
const resetPasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/reset-password",
  validateSearch: validateResetSearch,
  component: ResetPasswordPage,
});
// Opened from an email's unsubscribe link, signed in or not.
const unsubscribeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/unsubscribe",
  validateSearch: validateUnsubscribeSearch,
  component: UnsubscribePage,
});

// The signed-in app.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "app",
  beforeLoad: ({ location }) => {
    const { status, reason } = session.getSnapshot();
    if (status === "signedIn" || status === "unreachable") return;
    redirect({
      throw: true,
      to: "/sign-in",
      search: {
        next: reason === "signedOut" || location.href === "/" ? undefined : location.href,
        reason: reason ?? undefined,
      },
      replace: true,
    });
  },
  component: AppShell,
});
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: "/", component: HomeRedirect });
const profileRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/profile",
  component: ProfilePage,
});
const onboardingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/onboarding",
  component: OnboardingPage,
});
const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications",
  validateSearch: notificationsList.validateSearch,
  component: NotificationsPage,
});
const notificationPreferencesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/notifications/preferences",
  component: PreferencesPage,
});
// The platform's pages (superuser): outside any organization.
const jobsRoute = createRoute({ getParentRoute: () => appRoute, path: "/admin/jobs", component: JobsPage });
const schedulesRoute = createRoute({ getParentRoute: () => appRoute, path: "/admin/schedules", component: SchedulesPage });
const orgRoute = createRoute({ getParentRoute: () => appRoute, path: "/o/$org", component: OrgLayout });
const dashboardRoute = createRoute({ getParentRoute: () => orgRoute, path: "/", component: DashboardPage });
const membersRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/members",
  validateSearch: membersList.validateSearch,
  component: MembersPage,
});
const developersRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/developers",
  validateSearch: developersList.validateSearch,
  component: DevelopersPage,
});
const developerRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/developers/$userId",
  component: DeveloperDetailPage,
});
const rolesRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/roles",
  validateSearch: rolesList.validateSearch,
  component: RolesPage,
});
const newProjectRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/new",
  component: NewProjectPage,
});
// Projects, clients, teams and the organization's settings (issue 3).
const projectsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects",
  validateSearch: projectsList.validateSearch,
  component: ProjectsPage,
});
const projectRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/$projectId",
  component: ProjectDetailPage,
});
const editProjectRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/$projectId/edit",
  component: EditProjectPage,
});
// Tasks (issue 11): the organization's list, one task, the caller's work, a project's tasks and board.
const tasksRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/tasks",
  validateSearch: tasksList.validateSearch,
  component: TasksPage,
});
const taskRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/tasks/$taskId",
  component: TaskPage,
});
// Time (issue 13): the timesheet.
const timesheetRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/time",
  validateSearch: timesheetList.validateSearch,
  component: TimesheetPage,
});
const myWorkRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/my-work",
  component: MyWorkPage,
});
// Support tickets (issue 14): the queue (a customer's "Support"), one ticket, the service levels.
const ticketsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/tickets",
  validateSearch: ticketsList.validateSearch,
  component: TicketsPage,
});
const ticketRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/tickets/$ticketId",
  component: TicketPage,
});
const slaRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/settings/sla",
  component: SlaSettingsPage,
});
const projectTasksRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/$projectId/tasks",
  validateSearch: projectTasksList.validateSearch,
  component: ProjectTasksPage,
});
const projectBoardRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/$projectId/board",
  component: BoardPage,
});
// The CSV import of a project's tasks; `?import=<id>` follows one import (a reload shows it again).
const projectImportRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/projects/$projectId/import",
  validateSearch: validateImportSearch,
  component: ImportPage,
});
const clientsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/clients",
  validateSearch: clientsList.validateSearch,
  component: ClientsPage,
});
const clientRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/clients/$clientId",
  component: ClientDetailPage,
});
const paymentsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/payments",
  validateSearch: paymentsList.validateSearch,
  component: PaymentsPage,
});
const auditRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/audit",
  validateSearch: auditList.validateSearch,
  component: AuditPage,
});
const teamsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/teams",
  validateSearch: teamsList.validateSearch,
  component: TeamsPage,
});
const teamRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/teams/$teamId",
  component: TeamDetailPage,
});
const orgSettingsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/settings",
  component: OrganizationSettingsPage,
});
const organizationsRoute = createRoute({
  getParentRoute: () => orgRoute,
  path: "/organizations",
  validateSearch: organizationsList.validateSearch,
  component: OrganizationsPage,
});

const routeTree = rootRoute.addChildren([
  guestRoute.addChildren([signInRoute, signUpRoute, forgotPasswordRoute]),
  resetPasswordRoute,
  unsubscribeRoute,
  appRoute.addChildren([
    homeRoute,
    profileRoute,
    onboardingRoute,
    notificationsRoute,
    notificationPreferencesRoute,
    jobsRoute,
    schedulesRoute,
    orgRoute.addChildren([
      dashboardRoute,
      membersRoute,
      rolesRoute,
      newProjectRoute,
      projectsRoute,
      projectRoute,
      editProjectRoute,
      projectTasksRoute,
      projectBoardRoute,
      projectImportRoute,
      tasksRoute,
      taskRoute,
      myWorkRoute,
      timesheetRoute,
      ticketsRoute,
      ticketRoute,
      slaRoute,
      clientsRoute,
      clientRoute,
      paymentsRoute,
      auditRoute,
      teamsRoute,
      teamRoute,
      orgSettingsRoute,
      organizationsRoute,
      developersRoute,
      developerRoute,
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  const router = createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: "intent",
    // Plain `?verified=true&page=2`, not the default's JSON-quoted `?verified=%22true%22`.
    parseSearch,
    stringifySearch,
    defaultErrorComponent: ErrorPage,
    defaultPendingComponent: () => (
      <div className="flex min-h-dvh items-center justify-center text-zinc-500">
        <Spinner label="Loading Cairn" className="size-5" />
      </div>
    ),
    scrollRestoration: true,
  });
  // Signing in or out (here, in another tab, or by expiry) re-runs the guards above.
  let status = session.getSnapshot().status;
  session.subscribe(() => {
    const next = session.getSnapshot().status;
    if (next !== status) {
      status = next;
      void router.invalidate();
    }
  });
  return router;
}

declare module "@tanstack/react-router" {
  // Declaration merging registers the router's types with the library: an interface is required here.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}

/** Paths of pages inside an organization, for app/navigation.ts. */
export type OrgPath = Exclude<
  Extract<keyof RegisteredRouter["routesByPath"], `/o/$org${string}`>,
  `${string}/`
>;
