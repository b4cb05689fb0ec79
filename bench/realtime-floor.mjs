// The floor of `npm run bench:realtime`: a bare Socket.IO server (no Cairn, no database, no Redis),
// forked with an IPC channel. Each socket joins a room named after the token of its handshake. The
// parent sends {listen: port}, answered {listening}, then {emit: {rooms, data}}: the server stamps
// the moment (process.hrtime.bigint(), the clock of the client processes), emits `task.updated` once
// to those rooms and answers {sentAt}.
import { createServer } from "node:http";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { path: "/ws", serveClient: false });
io.on("connection", (socket) => {
  const token = socket.handshake.auth?.token;
  if (typeof token === "string") socket.join(token);
});

process.on("message", (message) => {
  if (message.listen) {
    http.listen(message.listen, "127.0.0.1", () => process.send({ listening: true }));
  } else if (message.emit) {
    const sentAt = process.hrtime.bigint();
    io.to(message.emit.rooms).emit("task.updated", message.emit.data);
    process.send({ sentAt: sentAt.toString() });
  } else if (message.close) {
    io.close();
    process.exit(0);
  }
});
