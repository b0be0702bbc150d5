/**
 * A receiver that does nothing but answer: every request gets `200 {"success":true}` once its body
 * has arrived. Run as a child process by simulator-ceiling.ts, so that what it measures is the
 * simulator's own rate (generate, encode, sign, HTTP) and not a server sharing its event loop.
 * Sends `{ port }` to the parent once listening, and `{ cpuMs }` when asked with "cpu".
 */
import http from "node:http";

const body = JSON.stringify({ success: true });
const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
process.on("message", (message) => {
  if (message === "cpu") {
    const used = process.cpuUsage();
    process.send?.({ cpuMs: (used.user + used.system) / 1000 });
  } else if (message === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
