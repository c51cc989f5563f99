// The embedded default database: real PostgreSQL (PGlite, compiled to wasm) served over TCP on
// loopback, so the app talks to it through the same pg/adapter-pg path as to a real server.
// PGlite runs one backend session: the app's pool must use max 1 (DATABASE_POOL_MAX=1), because
// queries of two connections active at once get interleaved. The socket server still accepts a
// few connections, because pg's pool drops a client after a failed query and reconnects at once,
// before the server has noticed the old socket close (see docs/decisions/0002-embedded-pglite.md).
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Starts PGlite (in `dataDir`, or in memory when null) on a free loopback port. */
export async function startEmbeddedDatabase({
  dataDir,
  port = 0,
}: {
  dataDir: string | null;
  port?: number;
}): Promise<EmbeddedDatabase> {
  if (dataDir) mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const pglite = dataDir ? new PGlite(path.resolve(dataDir)) : new PGlite();
  await pglite.waitReady;
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port,
    maxConnections: 4,
  });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      // Order matters: the app's pool is closed by the caller first, then the socket, then PGlite.
      await server.stop();
      await pglite.close();
    },
  };
}
