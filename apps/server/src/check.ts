import type { Config } from "./config.js";

/** `check --deploy`: the deployment checks live in platform/deploy (see docs/deployment.md). */
export function runDeployCheck(config: Config, args: string[]): number {
  if (!args.includes("--deploy")) {
    console.error("Usage: npm run cairn -- check --deploy");
    return 2;
  }
  console.error("Deployment checks are not available yet.");
  return 1;
}
