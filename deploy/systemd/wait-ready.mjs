#!/usr/bin/env node
// Waits until a Cairn instance answers its readiness probe with 200, for ExecStartPost= in
// cairn-web@.service: `systemctl restart cairn-web@3001` then returns only when that instance can take
// traffic, which is what makes restarting the instances one after another a zero-downtime update.
//
//   node deploy/systemd/wait-ready.mjs http://127.0.0.1:3001/api/ready [seconds]
const [url, seconds = "60"] = process.argv.slice(2);
if (!url) {
  console.error("Usage: node wait-ready.mjs URL [seconds]");
  process.exit(2);
}
const deadline = Date.now() + Number(seconds) * 1000;
let last = "no answer";
while (Date.now() < deadline) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (response.status === 200) {
      console.log(`ready: ${url}`);
      process.exit(0);
    }
    last = `HTTP ${response.status} ${(await response.text()).slice(0, 200)}`;
  } catch (error) {
    last = error instanceof Error ? error.message : String(error);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
console.error(`not ready after ${seconds} s: ${url} (${last})`);
process.exit(1);
