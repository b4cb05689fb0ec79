import type { Config } from "./config.js";
import { checkDeploy, checkExitCode, formatCheckReport } from "./platform/deploy/check.js";

/** `check --deploy`, as Django's: every configuration problem for production, and a non-zero exit on errors. */
export function runDeployCheck(config: Config, args: string[]): number {
  if (!args.includes("--deploy")) {
    console.error("Usage: npm run cairn -- check --deploy");
    return 2;
  }
  const results = checkDeploy(config);
  console.log(formatCheckReport(results));
  return checkExitCode(results);
}
