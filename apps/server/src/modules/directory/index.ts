import { defineModule } from "../../platform/modules.js";
import { directoryRoutes } from "./directory.routes.js";
import { userProfilesRoutes } from "./user-profiles.routes.js";

/** The developer directory and administrators' view of any profile. */
export const directoryModule = defineModule({
  name: "directory",
  routes: [
    { prefix: "/api/developers", plugin: directoryRoutes },
    { prefix: "/api/users", plugin: userProfilesRoutes },
  ],
});
