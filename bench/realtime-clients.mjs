// One client process of `npm run bench:realtime`, forked with an IPC channel. The parent sends
//   {connect: {sockets: [{url, token, audience}]}}   open them all (Socket.IO, websocket transport), answer {connected}
//   {expect: round}                                  answer {heard: round} once every audience socket has heard it
//   {collect: true}                                  answer {receipts: [[socket, round, at]], strays} and forget them
//   {close: true}                                    disconnect and exit
// A receipt is stamped with process.hrtime.bigint() (CLOCK_MONOTONIC: one clock for every process of
// the machine) the moment its socket hands the event over; the round is read from the task's title.
import { io } from "socket.io-client";

const CONNECT_AT_ONCE = 100;
const sockets = [];
let receipts = [];
let heardPerRound = new Map();
let expected = { round: -1, count: 0 };

function send(message) {
  process.send?.(message);
}

function onUpdated(index) {
  return (data) => {
    const at = process.hrtime.bigint();
    const match = /round (\d+)$/.exec(data?.task?.title ?? "");
    if (!match) return;
    const round = Number(match[1]);
    receipts.push([index, round, at.toString()]);
    const heard = (heardPerRound.get(round) ?? 0) + 1;
    heardPerRound.set(round, heard);
    if (round === expected.round && heard === expected.count) send({ heard: round });
  };
}

async function connectAll(list) {
  let failed = 0;
  for (let from = 0; from < list.length; from += CONNECT_AT_ONCE) {
    await Promise.all(
      list.slice(from, from + CONNECT_AT_ONCE).map(
        ({ url, token }, offset) =>
          new Promise((resolve) => {
            const index = from + offset;
            const socket = io(url, {
              path: "/ws",
              auth: { token },
              transports: ["websocket"],
              reconnection: false,
              forceNew: true,
            });
            sockets[index] = socket;
            socket.on("task.updated", onUpdated(index));
            socket.once("connect", resolve);
            socket.once("connect_error", () => {
              failed += 1;
              resolve();
            });
          }),
      ),
    );
  }
  return failed;
}

let audience = new Set();
process.on("message", async (message) => {
  if (message.connect) {
    audience = new Set(message.connect.sockets.flatMap((each, index) => (each.audience ? [index] : [])));
    const failed = await connectAll(message.connect.sockets);
    send({ connected: sockets.filter((socket) => socket.connected).length, failed });
  } else if (message.expect !== undefined) {
    expected = { round: message.expect, count: audience.size };
    if ((heardPerRound.get(expected.round) ?? 0) >= expected.count) send({ heard: expected.round });
  } else if (message.collect) {
    const strays = receipts.filter(([index]) => !audience.has(index)).length;
    send({ receipts, strays });
    receipts = [];
    heardPerRound = new Map();
  } else if (message.close) {
    for (const socket of sockets) socket.disconnect();
    process.exit(0);
  }
});
send({ ready: true });
