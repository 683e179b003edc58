// The peer for Chorus's load generator: a Socket.IO 4.8 server with rooms and broadcast.
//   node --expose-gc server.js --port 3000 [--recovery]
// Clients emit "join" (room) and get "joined"; "publish" (room, data) is broadcast to the room as
// "msg". With --recovery, connection state recovery is on (missed packets replayed on reconnect).
// GET /mem answers {"heapUsed", "rss"} after a garbage collection.
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const args = process.argv.slice(2);
const port = Number(args[args.indexOf("--port") + 1] || 3000);
const recovery = args.includes("--recovery");

const httpServer = http.createServer((req, res) => {
  if (req.url === "/mem") {
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ heapUsed: m.heapUsed, rss: m.rss, sockets: io.engine.clientsCount }));
    return;
  }
  if (req.url === "/health") {
    res.writeHead(200);
    res.end("ok");
    return;
  }
  if (!req.url.startsWith("/socket.io/")) {
    res.writeHead(404);
    res.end();
  }
});

const io = new Server(httpServer, {
  transports: ["websocket"],
  perMessageDeflate: false,
  maxHttpBufferSize: 1e6,
  connectionStateRecovery: recovery ? { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } : undefined,
});

io.on("connection", (socket) => {
  socket.on("join", (room) => {
    socket.join(room);
    socket.emit("joined", room);
  });
  socket.on("publish", (room, data) => {
    io.to(room).emit("msg", data);
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`socket.io peer listening on ${port} (recovery ${recovery ? "on" : "off"})`);
});
process.on("SIGTERM", () => process.exit(0));
