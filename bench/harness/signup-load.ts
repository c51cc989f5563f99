// Benchmark harness (never part of the app): sign-up attribution (/auth/complete) under load, with
// Clerk faked on loopback (app/test/fakes/clerk.ts: its Backend API, and session tokens signed by
// a test RSA key that the app verifies offline through CLERK_JWT_KEY).
// Forked by bench/run.mjs with an IPC channel: it first reports the fake's settings (the app is
// then started with them), then runs the load it is sent and reports the figures.
//
// Our own time = the client's latency of /auth/complete minus the time the fake spent on that
// user's Backend API calls, measured by the fake itself from the request's arrival to the end of
// its response. Loopback transit and the Clerk SDK's client work stay in our time.
import { request as httpRequest, Agent } from "node:http";

import { closeDatabase, db } from "~/db.server";
import {
  clerkSessionCookies,
  startFakeClerk,
  TEST_CLERK_JWT_KEY,
  TEST_CLERK_PUBLISHABLE_KEY,
  TEST_CLERK_SECRET_KEY,
} from "~/test/fakes/clerk";

const BROWSER_USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

interface RunMessage {
  type: "run";
  appUrl: string;
  /** The app's SHOPIFY_APP_URL: the session token's authorized party. */
  authorizedParty: string;
  referralCode: string;
  users: number;
  /** Sign-ups started per second whatever the answers (open model), or… */
  rate?: number;
  /** …this many users signing up one after the other each (closed model). */
  concurrency?: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; location?: string; setCookies: string[] }>(
    (resolve, reject) => {
      const outgoing = httpRequest(url, { agent, headers }, (incoming) => {
        incoming.resume();
        incoming.on("end", () =>
          resolve({
            status: incoming.statusCode ?? 0,
            location: incoming.headers.location,
            setCookies: incoming.headers["set-cookie"] ?? [],
          }),
        );
      });
      outgoing.on("error", reject);
      outgoing.end();
    },
  );
}

const preciseNow = () => performance.timeOrigin + performance.now();

async function run(fake: Awaited<ReturnType<typeof startFakeClerk>>, message: RunMessage) {
  const prefix = `user_bench_${process.pid}_${Date.now().toString(36)}`;
  const samples: Array<{ total: number; clerk: number; own: number; clerkCalls: number }> = [];
  const userIds: string[] = [];
  let failures = 0;
  let next = 0;

  async function signUpOne(index: number) {
    const userId = `${prefix}_${index}`;
    userIds.push(userId);
    // The visitor's click first (not timed): the cookies a browser would carry to the sign-up.
    const click = await get(`${message.appUrl}/r/${message.referralCode}`, {
      "user-agent": BROWSER_USER_AGENT,
      "x-forwarded-for": `172.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`,
    });
    const referralCookies = click.setCookies.map((cookie) => cookie.split(";")[0]).join("; ");
    // An e-mail for the sign-up quality checks (issue 14); every tenth a throwaway address.
    fake.addUser(userId, {
      emails: [index % 10 === 0 ? `${userId}@mailinator.com` : `${userId}@gmail.com`],
    });
    const cookie = `${clerkSessionCookies(userId, { azp: message.authorizedParty })}; ${referralCookies}`;
    const started = preciseNow();
    const response = await get(`${message.appUrl}/auth/complete`, {
      "user-agent": BROWSER_USER_AGENT,
      cookie,
    });
    const finished = preciseNow();
    if (response.status !== 302 || response.location !== "/welcome") {
      failures++;
      return;
    }
    const calls = fake.requests.filter((call) => call.path.includes(`/v1/users/${userId}`));
    const clerk = calls.reduce(
      (sum, call) => sum + Math.max(0, (call.answeredAt ?? finished) - call.receivedAt),
      0,
    );
    const total = finished - started;
    samples.push({ total, clerk, own: total - clerk, clerkCalls: calls.length });
  }

  async function worker() {
    for (;;) {
      const index = next++;
      if (index >= message.users) return;
      await signUpOne(index);
    }
  }
  const started = performance.now();
  if (message.rate) {
    const signUps: Promise<void>[] = [];
    for (let index = 0; index < message.users; index++) {
      const due = started + (index * 1000) / message.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      signUps.push(signUpOne(index));
    }
    await Promise.all(signUps);
  } else {
    await Promise.all(Array.from({ length: message.concurrency ?? 1 }, worker));
  }
  const seconds = (performance.now() - started) / 1000;

  const { rows } = await db.pool.query<{ attributed: number }>(
    `SELECT count(*)::int AS "attributed" FROM "StoreReferral"
      WHERE "referredUserId" = ANY($1::text[]) AND "status" = 'signed_up'`,
    [userIds],
  );
  return {
    samples,
    failures,
    signupsPerSecond: samples.length / seconds,
    attributed: rows[0]?.attributed ?? 0,
    clerkCallsPerSignup:
      samples.reduce((sum, sample) => sum + sample.clerkCalls, 0) / Math.max(1, samples.length),
  };
}

const fake = await startFakeClerk();
process.send?.({
  type: "ready",
  env: {
    CLERK_API_URL: fake.url,
    CLERK_JWT_KEY: TEST_CLERK_JWT_KEY,
    CLERK_PUBLISHABLE_KEY: TEST_CLERK_PUBLISHABLE_KEY,
    CLERK_SECRET_KEY: TEST_CLERK_SECRET_KEY,
  },
});
process.on("message", (message: RunMessage | { type: "stop" }) => {
  if (message.type === "stop") {
    agent.destroy();
    void Promise.all([fake.close(), closeDatabase()]).then(() => process.exit(0));
    return;
  }
  // Requests of earlier runs are forgotten: each run reads only its own users' calls.
  fake.requests.length = 0;
  run(fake, message).then(
    (result) => process.send?.({ type: "result", result }),
    (error: unknown) => process.send?.({ type: "error", message: String(error) }),
  );
});
