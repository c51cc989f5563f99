// GET /healthz reports the database's state without ever failing the health check for it.
import { createServer } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { loader } from "~/routes/healthz";
import { useDatabase } from "~/test/faults";

const workingDatabaseUrl = process.env.DATABASE_URL;

afterEach(async () => {
  await useDatabase(workingDatabaseUrl);
});

describe("GET /healthz", () => {
  it("answers 200 with the database reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      status: "ok",
      database: "ok",
      clickQueuePending: 0,
    });
  });

  it("still answers 200 when PostgreSQL is unreachable, and says so", async () => {
    // GIVEN a database address where nothing listens
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await useDatabase(`postgresql://postgres@127.0.0.1:${port}/unreachable`);
    // WHEN the load balancer checks the instance
    const response = await loader();
    // THEN the instance stays in service, reporting the database as unreachable
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "unreachable" });
  });
});
