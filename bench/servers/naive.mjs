// The naive baseline: a node:http server that records each click with one awaited INSERT into
// the same table (pg pool of DATABASE_POOL_MAX, 10 like the app) before answering 302 with the
// click id. No batching, no rollup, no deduplication, no store lookup per request.
// Started by bench/run.mjs as its own process; prints "listening <port>" when ready.
import { createServer } from "node:http";

import pg from "pg";

const CODE = /^\/r\/([A-Za-z0-9_-]{1,64})(?:\?|$)/;
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
});
pool.on("error", () => undefined);

const { rows } = await pool.query(
  `SELECT "id", "referralCode" FROM "Store" WHERE "status" = 'active'`,
);
const storeIds = new Map(rows.map((row) => [row.referralCode, row.id]));

const server = createServer(async (request, response) => {
  const code = CODE.exec(request.url ?? "")?.[1];
  const storeId = code ? storeIds.get(code) : undefined;
  const headers = ["Location", "/", "Cache-Control", "private, no-store", "Content-Length", "0"];
  if (storeId !== undefined) {
    try {
      const inserted = await pool.query(
        `INSERT INTO "StoreReferral" ("storeId", "referralCode", "status", "visitorHash", "sourceUrl", "channel")
         VALUES ($1, $2, 'clicked', $3, $4, 'link') RETURNING "id"`,
        [storeId, code, String(request.headers["x-forwarded-for"] ?? ""), request.url],
      );
      headers.push("Set-Cookie", `ref_click=${inserted.rows[0].id}; Path=/; HttpOnly`);
    } catch {
      // Answer anyway: the shopper is redirected, the click is simply not acknowledged.
    }
  }
  response.writeHead(302, headers);
  response.end();
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.info(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => {
  server.close(() => pool.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
