import { compose } from "../platform/modules.js";
import { accessModule } from "./access/index.js";
import { accountsModule } from "./accounts/index.js";
import { adminModule } from "./admin/index.js";
import { attachmentsModule } from "./attachments/index.js";
import { auditModule } from "./audit/index.js";
import { clientsModule } from "./clients/index.js";
import { commentsModule } from "./comments/index.js";
import { directoryModule } from "./directory/index.js";
import { importsModule } from "./imports/index.js";
import { notificationsModule } from "./notifications/index.js";
import { onboardingModule } from "./onboarding/index.js";
import { orgsModule } from "./orgs/index.js";
import { projectsModule } from "./projects/index.js";
import { reportsModule } from "./reports/index.js";
import { tasksModule } from "./tasks/index.js";
import { teamsModule } from "./teams/index.js";
import { timeModule } from "./time/index.js";
import { ticketsModule } from "./tickets/index.js";

/**
 * The composition root: every module of Cairn, one line each. App assembly,
 * the job worker and the event bus take what they need from here; adding a
 * module is adding its folder and a line below.
 */
export const MODULES = [
  accountsModule,
  accessModule,
  orgsModule,
  onboardingModule,
  notificationsModule,
  directoryModule,
  teamsModule,
  clientsModule,
  attachmentsModule,
  projectsModule,
  tasksModule,
  commentsModule,
  timeModule,
  importsModule,
  ticketsModule,
  auditModule,
  reportsModule,
  adminModule,
] as const;

export const composition = compose(MODULES);
