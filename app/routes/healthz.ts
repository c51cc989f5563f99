// GET /healthz: the load balancer's health check. 200 while this process serves requests, with
// the database's state in the body: shoppers are still redirected when PostgreSQL is down, so an
// outage of the database must not take every instance out of the balancer (docs/operations.md).
import { isDatabaseReachable } from "~/models/health.server";
import { getClickQueueStats } from "~/models/referral-clicks.server";

export async function loader() {
  const database = (await isDatabaseReachable()) ? "ok" : "unreachable";
  return Response.json(
    { status: "ok", database, clickQueuePending: getClickQueueStats()?.pending ?? 0 },
    { headers: { "Cache-Control": "no-store" } },
  );
}
