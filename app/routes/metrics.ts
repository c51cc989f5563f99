// GET /metrics: this process's counters in the Prometheus text format (clicks dropped, visits
// by outcome, the click queue). Nothing in it identifies a visitor or a store.
import { renderMetrics } from "~/lib/infra/metrics.server";

export function loader() {
  return new Response(renderMetrics(), {
    headers: {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
      "Cache-Control": "no-store",
    },
  });
}
