#!/usr/bin/env node
// Writes docs/permissions.md from the catalog and default roles in packages/shared (run: npm run docs:permissions).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { tsImport } from "tsx/esm/api";

const root = path.resolve(import.meta.dirname, "..");
const shared = await tsImport(path.join(root, "packages/shared/src/index.ts"), import.meta.url);
const { PERMISSIONS, PERMISSION_CODENAMES, DEFAULT_ROLES } = shared;

const header = `| permission | ${DEFAULT_ROLES.map((role) => role.key).join(" | ")} |`;
const rule = `| --- | ${DEFAULT_ROLES.map(() => ":-:").join(" | ")} |`;
const rows = PERMISSION_CODENAMES.map((codename) => {
  const cells = DEFAULT_ROLES.map((role) => {
    if (!role.permissions.includes(codename)) return "";
    return (role.ownScoped ?? []).includes(codename) ? "own" : "✓";
  });
  return `| \`${codename}\` — ${PERMISSIONS[codename]} | ${cells.join(" | ")} |`;
});
const limits = DEFAULT_ROLES.map(
  (role) =>
    `- \`${role.key}\` (${role.name}): ${role.description}; project limit ${role.projectLimit ?? "none"}${role.developerTrack ? `; developer track: ${role.developerTrack}` : ""}.`,
);

writeFileSync(
  path.join(root, "docs/permissions.md"),
  `# Permissions\n\nGenerated from \`packages/shared/src/{permissions,roles}.ts\` by \`npm run docs:permissions\`; do not edit by hand.\n\nThe default grants of every organization's roles. "own" means the grant covers only the holder's own objects\n(projects they own or manage, their client's projects, tasks of their projects). Administrators may create\ncustom roles with any of these permissions.\n\nRoles carry attributes beside their grants: a project limit (how many projects a holder may belong to) and a\nplace on the developer track (\`unverified\`: developers onboarding promotes once their profile and phone are\nconfirmed; \`verified\`: verified developers). Code reads these attributes, never a role's key.\n\n${header}\n${rule}\n${rows.join("\n")}\n\n## Roles\n\n${limits.join("\n")}\n`,
);
console.log("docs/permissions.md written");
