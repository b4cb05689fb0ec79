#!/usr/bin/env node
// Waits until a Cairn instance answers its readiness probe with 200, for ExecStartPost= in
// cairn-web@.service: `systemctl restart cairn-web@3001` then returns only when that instance can take
// traffic, which is what makes restarting the instances one after another a zero-downtime update.
//
//   node deploy/systemd/wait-ready.mjs URL [timeout seconds] [settle seconds]
//
// settle: once ready, wait this long more. Nginx keeps an instance that refused a connection out of
// rotation for fail_timeout (3 s in deploy/nginx/cairn.conf); stopping the next instance before that
// would leave Nginx with none, so the unit waits a little longer than fail_timeout.
const [url, seconds = "60", settle = "0"] = process.argv.slice(2);
if (!url) {
  console.error("Usage: node wait-ready.mjs URL [timeout seconds] [settle seconds]");
  process.exit(2);
}
const deadline = Date.now() + Number(seconds) * 1000;
let last = "no answer";
while (Date.now() < deadline) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (response.status === 200) {
      console.log(`ready: ${url}`);
      await new Promise((resolve) => setTimeout(resolve, Number(settle) * 1000));
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
