#!/usr/bin/env node
// `npm run bench`: the performance targets of issue 7, measured side by side in one run on the
// local PostgreSQL (a database of its own, dropped at the end). Prints a summary table and writes
// bench/results.md (a quick run writes bench/tmp/results-quick.md instead).
//
//   npm run bench                 full run (~10 minutes)
//   npm run bench -- --quick      shorter rounds, for a first look (~4 minutes)
//   npm run bench -- --only clicks,stats,signup,memory,storefront,admin
//   npm run bench -- --quick --only webhooks   outbound webhooks (not in the default sections)
//   npm run bench -- --quick --only clicks --webhook-clicks
//                                 the click section with one endpoint subscribed to
//                                 referral.clicked (a loopback receiver; the app then runs with
//                                 NODE_ENV=test, the only mode that allows loopback endpoints)
//   npm run bench -- --only clicks --tagged-clicks   clicks with UTM values and a Referer
//   npm run bench -- --only analytics --analytics-rows 100000   the breakdown migration and reads
//
// Never part of `npm test`: nothing here is a timed assertion, only figures and a verdict.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import pg from "pg";

import { ensureBuild } from "../scripts/ensure-build.mjs";
import { buildHarnesses } from "./lib/harness.mjs";
import { clickLoad } from "./lib/load.mjs";
import {
  assertServerReachable,
  countCommittedClicks,
  createMigratedDatabase,
  serverUrl,
} from "./lib/database.mjs";
import { runLighthouse } from "./lib/lighthouse.mjs";
import { backendCpu, backendCpuDelta } from "./lib/postgres-cpu.mjs";
import { runJson, startServer } from "./lib/processes.mjs";
import { formatReport, formatSummaryTable } from "./lib/report.mjs";
import { median, percentile } from "./lib/stats.mjs";
import { startStorefront } from "./servers/storefront.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const webhookClicks = args.includes("--webhook-clicks");
// Clicks with UTM values and a Referer (50 values per dimension), for every server alike.
const taggedClicks = args.includes("--tagged-clicks");
const onlyIndex = args.indexOf("--only");
const sections = new Set(
  onlyIndex === -1
    ? ["clicks", "stats", "analytics", "signup", "memory", "storefront", "admin"]
    : args[onlyIndex + 1].split(","),
);

const config = quick
  ? {
      mode: "quick",
      rounds: 2,
      seconds: 4,
      fixedRateSeconds: 5,
      memorySeconds: 20,
      queueSeconds: 3,
      statsRows: [10_000, 1_000_000],
      statsIterations: 200,
      analyticsIterations: 100,
      signupUsers: 300,
      lighthouseRuns: 1,
      lighthouseProfiles: ["mobile"],
      adminLighthouseRuns: 3,
    }
  : {
      mode: "full",
      rounds: 5,
      seconds: 10,
      fixedRateSeconds: 10,
      memorySeconds: 60,
      queueSeconds: 5,
      statsRows: [10_000, 1_000_000],
      statsIterations: 500,
      analyticsIterations: 300,
      signupUsers: 1000,
      lighthouseRuns: 3,
      lighthouseProfiles: ["mobile", "desktop"],
      adminLighthouseRuns: 5,
    };
// --analytics-rows 100000: the analytics section's larger store (1,000,000 by default; the
// section writes it, fills the breakdown with the migration and reads it, which takes minutes).
const analyticsRowsIndex = args.indexOf("--analytics-rows");
config.analyticsRows = [
  10_000,
  analyticsRowsIndex === -1 ? 1_000_000 : Number(args[analyticsRowsIndex + 1]),
];
config.connections = 50;
config.fixedRate = 1000;
config.signupRate = 20;
config.signupConcurrency = 10;

const BENCH_APP_URL = "https://bench.store-referrals.test";
const APP_SECRET = "benchmark-app-secret-0123456789-0123456789";

function log(message) {
  console.info(`[bench] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Preparation

function machineDescription(postgresVersion) {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model.trim() ?? "unknown CPU"} × ${cpus.length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GB`,
    system: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: postgresVersion,
    loadAverage: os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(" "),
  };
}

// ---------------------------------------------------------------------------------------------
// The servers

function appEnvironment(databaseUrl, applicationName, clerkEnv) {
  const url = new URL(databaseUrl);
  url.searchParams.set("application_name", applicationName);
  return {
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: url.toString(),
    DATABASE_POOL_MAX: "10",
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret",
    SHOPIFY_APP_URL: BENCH_APP_URL,
    APP_SECRET,
    // One load balancer in front: the load sends each visitor as the one X-Forwarded-For entry
    // it appends (bench/lib/load.mjs), the entry the app reads.
    TRUSTED_PROXY_HOPS: "1",
    // The summary endpoint is measured, not its rate limit: every request still does its upsert.
    API_RATE_LIMIT_PER_MINUTE: "1000000000",
    POSTHOG_API_KEY: "",
    ...clerkEnv,
  };
}

function startApp(databaseUrl, applicationName, clerkEnv, extraEnv = {}) {
  return startServer({
    name: `app (${applicationName})`,
    // BENCH_CPU_PROF_DIR=<dir>: a V8 CPU profile of every app process, to see where time goes.
    args: [
      ...(process.env.BENCH_CPU_PROF_DIR
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
        : []),
      path.join(root, "build", "server.js"),
    ],
    cwd: root,
    env: { ...appEnvironment(databaseUrl, applicationName, clerkEnv), ...extraEnv },
    ready: /listening on http:\/\/localhost:(\d+)/,
  });
}

// ---------------------------------------------------------------------------------------------
// Sections

/**
 * --webhook-clicks: a receiver on loopback that answers 204 and counts, and one endpoint of the
 * click store subscribed to referral.clicked (written as the app writes it). Returns the app's
 * extra environment and the receiver.
 */
async function subscribeClickWebhook(databaseUrl, referralCode) {
  let received = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(204).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "WebhookEndpoint" ("storeId", "url", "events", "secret", "clickCursor", "updatedAt")
       SELECT "id", $2, '{referral.clicked}', $3, $4::uuid, now() FROM "Store" WHERE "referralCode" = $1`,
      [
        referralCode,
        `http://127.0.0.1:${receiver.address().port}/hooks`,
        `whsec_${randomBytes(32).toString("base64")}`,
        // The clicks of the run only (a UUIDv7 floor of now).
        `${Date.now()
          .toString(16)
          .padStart(12, "0")
          .replace(/^(.{8})(.{4})$/, "$1-$2")}-7000-8000-000000000000`,
      ],
    );
  } finally {
    await client.end();
  }
  return {
    env: { NODE_ENV: "test", WEBHOOK_ALLOW_LOOPBACK: "true" },
    received: () => received,
    close: () => new Promise((resolve) => receiver.close(resolve)),
  };
}

/**
 * Outbound webhooks: event-to-first-delivery latency at a steady rate of sign-ups, and the
 * deliveries per second one app instance sustains from a backlog, to a loopback receiver (the app
 * runs with NODE_ENV=test, the only mode that allows loopback endpoints).
 */
async function measureWebhooks({ databaseUrl, harness, clerkEnv, results }) {
  const app = await startApp(databaseUrl, "bench-webhooks", clerkEnv, {
    NODE_ENV: "test",
    WEBHOOK_ALLOW_LOOPBACK: "true",
  });
  try {
    const rate = 100;
    const seconds = quick ? 10 : 30;
    const deliveries = quick ? 5_000 : 20_000;
    const figures = await runJson({
      name: "webhook load harness",
      args: [harness.webhookLoad, String(rate), String(seconds), String(deliveries), "8"],
      env: { ...appEnvironment(databaseUrl, "bench-webhook-load", clerkEnv), NODE_ENV: "test" },
    });
    log(
      `webhooks: ${figures.latency.signups} sign-ups at ${Math.round(figures.latency.achievedRate)}/s, ` +
        `first delivery p50 ${Math.round(figures.latency.p50)} ms, p99 ${Math.round(figures.latency.p99)} ms ` +
        `(${figures.latency.delivered} delivered); backlog of ${figures.throughput.deliveries} ` +
        `over ${figures.throughput.endpoints} endpoints: ` +
        `${Math.round(figures.throughput.perSecond)} deliveries/s`,
    );
    results.webhooks = figures;
  } finally {
    await app.stop();
  }
}

async function measureClicks({ databaseUrl, harness, clerkEnv, referralCode, results }) {
  const webhook = webhookClicks ? await subscribeClickWebhook(databaseUrl, referralCode) : null;
  const naiveUrl = new URL(databaseUrl);
  naiveUrl.searchParams.set("application_name", "bench-naive");
  const targets = [
    {
      key: "bare",
      label: "bare 302 server (ceiling)",
      server: await startServer({
        name: "bare",
        args: [path.join(root, "bench/servers/bare.mjs")],
      }),
    },
    {
      key: "stubbed",
      label: "fast path, recording stubbed",
      server: await startServer({
        name: "stubbed fast path",
        args: [harness.fastPathStubbed],
        env: appEnvironment(databaseUrl, "bench-stubbed", clerkEnv),
      }),
    },
    {
      key: "naive",
      label: "naive: 302 + one awaited INSERT",
      applicationName: "bench-naive",
      verify: true,
      server: await startServer({
        name: "naive",
        args: [path.join(root, "bench/servers/naive.mjs")],
        env: { DATABASE_URL: naiveUrl.toString(), DATABASE_POOL_MAX: "10" },
      }),
    },
    {
      key: "app",
      label: "full app (build/server.js)",
      applicationName: "bench-app",
      verify: true,
      server: await startApp(databaseUrl, "bench-app", clerkEnv, webhook?.env),
    },
  ];
  const runs = Object.fromEntries(targets.map((target) => [target.key, []]));
  const queueRuns = [];
  const fixedRuns = [];
  const clickPath = `/r/${referralCode}`;
  try {
    // Warm-up: JIT, connection pools, the table's first pages.
    for (const target of targets) {
      await clickLoad({
        url: target.server.url,
        path: clickPath,
        seconds: 2,
        tagged: taggedClicks,
      });
    }
    for (let round = 0; round < config.rounds; round++) {
      // A different order each round, so that no server always runs right after the same one.
      const order = targets.map((_, index) => targets[(index + round) % targets.length]);
      for (const target of order) {
        const cpuBefore = target.server.cpuSeconds();
        const pgBefore = target.applicationName
          ? await backendCpu(databaseUrl, target.applicationName)
          : null;
        const run = await clickLoad({
          url: target.server.url,
          path: clickPath,
          seconds: config.seconds,
          connections: config.connections,
          tagged: taggedClicks,
        });
        const cpu = target.server.cpuSeconds() - cpuBefore;
        const pgCpu = target.applicationName
          ? backendCpuDelta(pgBefore, await backendCpu(databaseUrl, target.applicationName))
          : 0;
        const check = target.verify ? await countCommittedClicks(databaseUrl, run.clickIds) : null;
        runs[target.key].push({
          requestsPerSecond: run.requestsPerSecond,
          p50: run.p50,
          p99: run.p99,
          total: run.total,
          redirects: run.redirects,
          errors: run.errors,
          acknowledged: check?.acknowledged ?? run.clickIds.length,
          committed: check?.found ?? null,
          serverCpuMicros: (cpu / Math.max(1, run.total)) * 1e6,
          postgresCpuMicros: pgCpu === null ? null : (pgCpu / Math.max(1, run.total)) * 1e6,
        });
        log(
          `round ${round + 1}/${config.rounds} ${target.key.padEnd(7)} ${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99} ms` +
            (check ? `, ${check.found}/${check.acknowledged} acknowledged clicks committed` : ""),
        );
      }
      // The app at a steady rate, each round (a one-off stall of the shared machine then moves
      // one round's figure, not the verdict).
      const app = targets.find((target) => target.key === "app").server;
      const fixed = await clickLoad({
        url: app.url,
        path: clickPath,
        seconds: config.fixedRateSeconds,
        connections: config.connections,
        overallRate: config.fixedRate,
        tagged: taggedClicks,
      });
      const fixedCheck = await countCommittedClicks(databaseUrl, fixed.clickIds);
      fixedRuns.push({
        requestsPerSecond: fixed.requestsPerSecond,
        p50: fixed.p50,
        p99: fixed.p99,
        rawP99: fixed.rawP99,
        max: fixed.max,
        total: fixed.total,
        acknowledged: fixedCheck.acknowledged,
        committed: fixedCheck.found,
      });
      log(
        `round ${round + 1}/${config.rounds} app at ${config.fixedRate}/s: p99 ${fixed.p99} ms (raw ${fixed.rawP99} ms, max ${fixed.max} ms)`,
      );
      const queue = await runJson({
        name: "click queue harness",
        args: [harness.clickQueue, referralCode, String(config.queueSeconds), "50"],
        env: appEnvironment(databaseUrl, "bench-queue", clerkEnv),
      });
      queueRuns.push(queue);
      log(
        `round ${round + 1}/${config.rounds} queue   ${Math.round(queue.clicksPerSecond)} clicks/s in process, ${queue.found}/${queue.acknowledged} committed`,
      );
    }
  } finally {
    // The worker's last click feed and deliveries (at most ~6 s behind) before the app stops.
    if (webhook) await new Promise((resolve) => setTimeout(resolve, 8_000));
    await Promise.all(targets.map((target) => target.server.stop()));
    if (webhook) {
      log(`referral.clicked subscribed: ${webhook.received()} deliveries received during the run`);
      await webhook.close();
    }
  }

  const ratios = runs.app.map(
    (run, index) => run.requestsPerSecond / runs.naive[index].requestsPerSecond,
  );
  results.clicks = {
    targets: targets.map(({ key, label }) => ({ key, label, runs: runs[key] })),
    queue: queueRuns,
    ratios,
    webhookClickDeliveries: webhook ? webhook.received() : null,
  };
  results.fixedRate = fixedRuns;
}

/** One GET of the Integration API with the key, timed from the request to the body's end. */
function apiGet(agent, url, apiKey, pathAndQuery) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = httpRequest(
      `${url}${pathAndQuery}`,
      { agent, headers: { authorization: `Bearer ${apiKey}` } },
      (incoming) => {
        let body = "";
        incoming.on("data", (chunk) => (body += chunk));
        incoming.on("end", () =>
          resolve({ status: incoming.statusCode, body, milliseconds: performance.now() - started }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

async function measureStats({ databaseUrl, harness, clerkEnv, results }) {
  const env = appEnvironment(databaseUrl, "bench-stats", clerkEnv);
  log(`writing ${config.statsRows.join(" and ")} referral rows for two stores`);
  const stores = await runJson({
    name: "fixtures",
    args: [harness.fixtures, "stats-stores", ...config.statsRows.map(String)],
    env,
  });
  log("timing getStoreReferralStats in process");
  const modelLatencies = await runJson({
    name: "stats timing",
    args: [
      harness.statsTiming,
      String(config.statsIterations),
      ...stores.map((store) => String(store.storeId)),
    ],
    env,
  });

  log("timing GET /api/v1/analytics/summary over HTTP");
  const app = await startApp(databaseUrl, "bench-stats-app", clerkEnv);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const endpointLatencies = Object.fromEntries(stores.map((store) => [store.storeId, []]));
  const totals = {};
  try {
    for (let index = 0; index < 20 + config.statsIterations; index++) {
      for (const store of stores) {
        const response = await apiGet(agent, app.url, store.apiKey, "/api/v1/analytics/summary");
        if (response.status !== 200) {
          throw new Error(`summary answered ${response.status}: ${response.body}`);
        }
        totals[store.storeId] = JSON.parse(response.body).total_clicks;
        if (index >= 20) endpointLatencies[store.storeId].push(response.milliseconds);
      }
    }
  } finally {
    agent.destroy();
    await app.stop();
  }
  results.stats = stores.map((store) => {
    const model = modelLatencies[store.storeId];
    const endpoint = endpointLatencies[store.storeId];
    return {
      rows: store.rows,
      rollupDays: store.rollupDays,
      writeSeconds: store.seconds,
      totalClicks: totals[store.storeId],
      model: { p50: percentile(model, 50), p95: percentile(model, 95), p99: percentile(model, 99) },
      endpoint: {
        p50: percentile(endpoint, 50),
        p95: percentile(endpoint, 95),
        p99: percentile(endpoint, 99),
      },
    };
  });
}

// The migration that fills StoreDailyBreakdown from the rows, as Prisma's driver adapter runs it
// (its statements split on semicolons).
const BREAKDOWN_MIGRATION = path.join(
  root,
  "prisma/migrations/20261203100100_fill_daily_breakdowns/migration.sql",
);

function migrationStatements(file) {
  return readFileSync(file, "utf8")
    .split(";")
    .map((statement) => statement.replace(/^--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
}

function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * Issue 11: the breakdown migration on a database with the stores' year of tagged history (how
 * long it takes, and whether clicks are served meanwhile), then the breakdown endpoint and the
 * Performance page's reads on the rollup it filled.
 */
async function measureAnalytics({ databaseUrl, harness, clerkEnv, referralCode, results }) {
  const env = appEnvironment(databaseUrl, "bench-analytics", clerkEnv);
  log(
    `writing ${config.analyticsRows.join(" and ")} tagged referral rows (50 values per dimension)`,
  );
  const stores = await runJson({
    name: "fixtures",
    args: [harness.fixtures, "analytics-stores", ...config.analyticsRows.map(String)],
    env,
  });

  // The migration as on a live database: the breakdown table empty, and clicks served meanwhile
  // by a stand-in of the previous release (the naive server: click rows, no breakdown to write;
  // the new release's instances start after the migrations).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const naive = await startServer({
    name: "naive (previous release)",
    args: [path.join(root, "bench/servers/naive.mjs")],
    env: { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: "10" },
  });
  const clickPath = `/r/${referralCode}`;
  const load = (seconds) =>
    clickLoad({ url: naive.url, path: clickPath, seconds, connections: 10, overallRate: 200 });
  let migration;
  try {
    await client.query(`DELETE FROM "StoreDailyBreakdown"`);
    const quiet = await load(3);
    let done = false;
    const during = [];
    const loading = (async () => {
      while (!done) during.push(await load(1));
    })();
    log("running the breakdown migration while clicks are served");
    const started = performance.now();
    const statementSeconds = [];
    try {
      for (const statement of migrationStatements(BREAKDOWN_MIGRATION)) {
        const statementStarted = performance.now();
        await client.query(statement);
        statementSeconds.push((performance.now() - statementStarted) / 1000);
      }
    } finally {
      done = true;
      await loading;
    }
    const seconds = (performance.now() - started) / 1000;
    const clickIds = during.flatMap((run) => run.clickIds);
    const check = await countCommittedClicks(databaseUrl, clickIds);
    const { rows } = await client.query(
      `SELECT count(*)::int AS "rows" FROM "StoreDailyBreakdown" WHERE "storeId" = ANY($1::int[])`,
      [stores.map((store) => store.storeId)],
    );
    migration = {
      seconds,
      statementSeconds,
      referralRows: (await client.query(`SELECT count(*)::int AS n FROM "StoreReferral"`)).rows[0]
        .n,
      breakdownRows: rows[0].rows,
      quiet: { requestsPerSecond: quiet.requestsPerSecond, p99: quiet.rawP99 },
      during: {
        requests: sum(during.map((run) => run.total)),
        errors: sum(during.map((run) => run.errors)),
        // The p99 of each second of load, their median and the worst.
        p99Median: median(during.map((run) => run.rawP99 ?? 0)),
        p99Worst: Math.max(...during.map((run) => run.rawP99 ?? 0)),
        acknowledged: check.acknowledged,
        committed: check.found,
      },
    };
    log(
      `migration ${seconds.toFixed(1)} s; ${migration.during.requests} clicks served meanwhile, ${check.found}/${check.acknowledged} committed`,
    );
  } finally {
    await naive.stop();
    await client.end();
  }

  log("timing getBreakdown and the Performance page's reads in process");
  const model = await runJson({
    name: "analytics timing",
    args: [
      harness.analyticsTiming,
      String(config.analyticsIterations),
      ...stores.map((store) => String(store.storeId)),
    ],
    env,
  });
  log("timing GET /api/v1/analytics/breakdown over HTTP");
  const app = await startApp(databaseUrl, "bench-analytics-app", clerkEnv);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const endpoint = Object.fromEntries(stores.map((store) => [store.storeId, []]));
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
  const dimensions = ["channel", "utm_source", "utm_medium", "utm_campaign", "referrer"];
  try {
    for (let index = 0; index < 20 + config.analyticsIterations; index++) {
      for (const store of stores) {
        const query = `dimension=${dimensions[index % 5]}&from=${from}&to=${today}`;
        const response = await apiGet(
          agent,
          app.url,
          store.apiKey,
          `/api/v1/analytics/breakdown?${query}`,
        );
        if (response.status !== 200) {
          throw new Error(`breakdown answered ${response.status}: ${response.body}`);
        }
        if (index >= 20) endpoint[store.storeId].push(response.milliseconds);
      }
    }
  } finally {
    agent.destroy();
    await app.stop();
  }
  const p = (values) => ({
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
  });
  results.analytics = {
    migration,
    stores: stores.map((store) => ({
      rows: store.rows,
      writeSeconds: store.seconds,
      breakdown: p(model.breakdown[store.storeId]),
      page: p(model.page[store.storeId]),
      endpoint: p(endpoint[store.storeId]),
    })),
  };
}

async function measureSignups({ databaseUrl, signup, clerkEnv, referralCode, results }) {
  const app = await startApp(databaseUrl, "bench-signup-app", clerkEnv);
  const summarize = (result) => {
    const own = result.samples.map((sample) => sample.own);
    const total = result.samples.map((sample) => sample.total);
    const clerk = result.samples.map((sample) => sample.clerk);
    return {
      completed: result.samples.length,
      failures: result.failures,
      attributed: result.attributed,
      signupsPerSecond: result.signupsPerSecond,
      clerkCallsPerSignup: result.clerkCallsPerSignup,
      own: { p50: percentile(own, 50), p95: percentile(own, 95), p99: percentile(own, 99) },
      total: { p50: percentile(total, 50), p95: percentile(total, 95), p99: percentile(total, 99) },
      clerk: { p50: percentile(clerk, 50), p99: percentile(clerk, 99) },
    };
  };
  try {
    // Warm-up (Clerk's verification key import, the plans), then the measured users.
    await signupRun(signup, { app, referralCode, users: 50, concurrency: 1 });
    log(`${config.signupUsers} sign-ups through /auth/complete at ${config.signupRate}/s`);
    const cpuBefore = app.cpuSeconds();
    const paced = await signupRun(signup, {
      app,
      referralCode,
      users: config.signupUsers,
      rate: config.signupRate,
    });
    const cpuMillisPerSignup = ((app.cpuSeconds() - cpuBefore) / config.signupUsers) * 1000;
    log(
      `${config.signupUsers} sign-ups, ${config.signupConcurrency} users back to back (saturation)`,
    );
    const cpuBeforeSaturation = app.cpuSeconds();
    const saturated = await signupRun(signup, {
      app,
      referralCode,
      users: config.signupUsers,
      concurrency: config.signupConcurrency,
    });
    const cpuMillisPerSignupSaturated =
      ((app.cpuSeconds() - cpuBeforeSaturation) / config.signupUsers) * 1000;
    results.signup = {
      users: config.signupUsers,
      rate: config.signupRate,
      concurrency: config.signupConcurrency,
      cpuMillisPerSignup,
      cpuMillisPerSignupSaturated,
      ...summarize(paced),
      saturated: summarize(saturated),
    };
  } finally {
    await app.stop();
  }
}

function signupRun(signup, { app, referralCode, users, rate, concurrency }) {
  return new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type === "result") resolve(message.result);
      else if (message.type === "error") reject(new Error(message.message));
      else return;
      signup.off("message", onMessage);
    };
    signup.on("message", onMessage);
    signup.send({
      type: "run",
      appUrl: app.url,
      authorizedParty: BENCH_APP_URL,
      referralCode,
      users,
      rate,
      concurrency,
    });
  });
}

async function measureMemory({ databaseUrl, clerkEnv, referralCode, results }) {
  const app = await startApp(databaseUrl, "bench-memory-app", clerkEnv);
  const clickPath = `/r/${referralCode}`;
  try {
    const started = app.rss();
    // Warm-up: code compiled, the pool's connections open, the sockets of 50 connections.
    await clickLoad({ url: app.url, path: clickPath, seconds: 5 });
    const baseline = app.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, app.rss())), 500);
    log(`app RSS under ${config.memorySeconds} s of click load`);
    const run = await clickLoad({ url: app.url, path: clickPath, seconds: config.memorySeconds });
    clearInterval(sampler);
    const end = app.rss();
    peak = Math.max(peak, end);
    const check = await countCommittedClicks(databaseUrl, run.clickIds);
    results.memory = {
      seconds: config.memorySeconds,
      requests: run.total,
      requestsPerSecond: run.requestsPerSecond,
      startedMb: started / 2 ** 20,
      baselineMb: baseline / 2 ** 20,
      peakMb: peak / 2 ** 20,
      endMb: end / 2 ** 20,
      growthMb: (peak - baseline) / 2 ** 20,
      acknowledged: check.acknowledged,
      committed: check.found,
    };
  } finally {
    await app.stop();
  }
}

/**
 * Lighthouse's performance score of a plain storefront page with and without the referral block
 * (Built for Shopify: an app may cost at most 10 points). Needs no app server nor database.
 */
async function measureStorefront({ results }) {
  const storefront = await startStorefront();
  try {
    const profiles = [];
    for (const formFactor of config.lighthouseProfiles) {
      const plain = [];
      const withBlock = [];
      // Alternating, so that a busy moment of the shared machine weighs on both pages alike.
      for (let run = 0; run < config.lighthouseRuns; run += 1) {
        log(`Lighthouse (${formFactor}) run ${run + 1} of ${config.lighthouseRuns}`);
        plain.push(await runLighthouse(`${storefront.url}/`, { formFactor }));
        withBlock.push(await runLighthouse(`${storefront.url}/with-block`, { formFactor }));
      }
      const medianOf = (runs) => ({
        performance: median(runs.map((run) => run.performance)),
        lcpMs: median(runs.map((run) => run.lcpMs)),
        cls: median(runs.map((run) => run.cls)),
        transferBytes: median(runs.map((run) => run.transferBytes)),
        scores: runs.map((run) => run.performance),
      });
      const summary = { formFactor, plain: medianOf(plain), withBlock: medianOf(withBlock) };
      summary.pointsLost = summary.plain.performance - summary.withBlock.performance;
      profiles.push(summary);
    }
    results.storefront = { runs: config.lighthouseRuns, profiles };
  } finally {
    await storefront.close();
  }
}

/**
 * The embedded admin's home as Shopify's admin frames it (/app?embedded=1&shop=…&host=…&id_token=…),
 * loaded on its own by Lighthouse, mobile and desktop profiles. Served by the local admin preview
 * (development, the demo's data, a database of its own), which mints the session token.
 */
async function measureAdminFrame({ results }) {
  const database = await createMigratedDatabase("store_referrals_bench_admin");
  const app = await startServer({
    name: "app (local admin preview)",
    args: [path.join(root, "build", "server.js")],
    cwd: root,
    env: {
      NODE_ENV: "development",
      STORE_REFERRALS_DEMO: "1",
      HOST: "127.0.0.1",
      PORT: "0",
      DATABASE_URL: database.databaseUrl,
      // The preview refuses to run with real Shopify credentials.
      SHOPIFY_API_KEY: undefined,
      SHOPIFY_API_SECRET: undefined,
      POSTHOG_API_KEY: "",
    },
    ready: /listening on http:\/\/localhost:(\d+)/,
  });
  const frameUrl = async () => {
    // The preview's page names the frame's URL, with a session token minted for this load.
    const page = await fetch(`${app.url}/demo/admin`);
    const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(await page.text())?.[1];
    if (!src) throw new Error("the local admin preview named no frame");
    return new URL(src.replaceAll("&amp;", "&"), app.url).toString();
  };
  try {
    // Warm-up: the first render of each route compiles and fills the plans.
    await fetch(await frameUrl());
    const adminFrame = {};
    for (const formFactor of ["mobile", "desktop"]) {
      const runs = [];
      for (let run = 0; run < config.adminLighthouseRuns; run++) {
        runs.push(await runLighthouse(await frameUrl(), { formFactor }));
        log(
          `admin frame, Lighthouse ${formFactor} ${run + 1}/${config.adminLighthouseRuns}: performance ` +
            `${runs.at(-1).performance}, LCP ${Math.round(runs.at(-1).lcpMs)} ms`,
        );
      }
      adminFrame[formFactor] = runs;
    }
    results.adminFrame = adminFrame;
  } finally {
    await app.stop();
    await database
      .drop()
      .catch((error) => log(`could not drop ${database.name}: ${error.message}`));
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const postgresVersion = await assertServerReachable();
  await ensureBuild({ log });
  const harness = await buildHarnesses();
  const database = await createMigratedDatabase("store_referrals_bench");
  log(`database ${database.name} on ${new URL(serverUrl()).host}`);
  const results = {
    startedAt: startedAt.toISOString(),
    config,
    machine: machineDescription(postgresVersion),
    sections: [...sections],
  };

  const signup = fork(harness.signupLoad, [], {
    // Its own database reads need no Clerk keys: not a production process.
    env: {
      ...process.env,
      ...appEnvironment(database.databaseUrl, "bench-signup", {}),
      NODE_ENV: "test",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const stopAll = async () => {
    if (signup.connected) signup.send({ type: "stop" });
    await database
      .drop()
      .catch((error) => log(`could not drop ${database.name}: ${error.message}`));
  };
  process.once("SIGINT", () => {
    void stopAll().then(() => process.exit(130));
  });

  try {
    const clerkEnv = await new Promise((resolve, reject) => {
      signup.once("message", (message) => resolve(message.env));
      signup.once("exit", (code) => reject(new Error(`the sign-up harness exited (${code})`)));
    });
    const { referralCode } = await runJson({
      name: "fixtures",
      args: [harness.fixtures, "click-store"],
      env: appEnvironment(database.databaseUrl, "bench-fixtures", clerkEnv),
    });
    const context = {
      databaseUrl: database.databaseUrl,
      harness,
      clerkEnv,
      referralCode,
      results,
      signup,
    };
    if (sections.has("clicks")) await measureClicks(context);
    if (sections.has("memory")) await measureMemory(context);
    if (sections.has("stats")) await measureStats(context);
    if (sections.has("analytics")) await measureAnalytics(context);
    if (sections.has("signup")) await measureSignups(context);
    if (sections.has("storefront")) await measureStorefront(context);
    if (sections.has("admin")) await measureAdminFrame(context);
    if (sections.has("webhooks")) await measureWebhooks(context);
  } finally {
    await stopAll();
  }

  results.finishedAt = new Date().toISOString();
  console.info(`\n${formatSummaryTable(results)}`);
  const report = formatReport(results);
  const target = quick
    ? path.join(root, "bench", "tmp", "results-quick.md")
    : path.join(root, "bench", "results.md");
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, report);
  log(`wrote ${path.relative(root, target)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
