// The ceiling: a node:http server answering the click route with a 302 and a cookie, nothing else.
// Started by bench/run.mjs as its own process; prints "listening <port>" when ready.
import { createServer } from "node:http";

const server = createServer((request, response) => {
  response.writeHead(302, [
    "Location",
    "/",
    "Cache-Control",
    "private, no-store",
    "Set-Cookie",
    "ref=store-bench; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax; Secure",
    "Content-Length",
    "0",
  ]);
  response.end();
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.info(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
