// Benchmark harness (never part of the app): a node:http server answering /r/:code with the
// app's own fast path (handleNodeRequest). Bundled twice by bench/lib/harness.mjs: as is (the
// full path, like build/server.js without Remix) and with the click recording replaced by
// bench/harness/stubbed-recording.ts, to price the fast path's own work apart from PostgreSQL.
// Prints "listening <port>" when ready; SIGTERM shuts down like the app (queue, pool).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { handleNodeRequest, shutdown } from "~/server/runtime.server";

const server = createServer((request, response) => {
  handleNodeRequest(request, response).then(
    (handled) => {
      if (!handled) response.writeHead(404, { "Content-Length": "0" }).end();
    },
    (error: unknown) => {
      console.error(error);
      if (!response.headersSent) response.writeHead(500, { "Content-Length": "0" }).end();
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.info(`listening ${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => {
  server.close(() => {
    void shutdown().then(() => process.exit(0));
  });
  server.closeAllConnections();
});
