// The benchmark's verdicts, its summary table (stdout) and bench/results.md.
import { median, round } from "./stats.mjs";

export const LIMITS = {
  clickRatio: 1.5,
  fixedRateP99Ms: 50,
  statsP95Ms: 20,
  statsGrowth: 1.5,
  signupOwnP99Ms: 50,
  memoryGrowthMb: 50,
  // Built for Shopify: an app's storefront code may cost at most 10 Lighthouse performance points.
  storefrontPointsLost: 10,
  // Built for Shopify's p75 bar, here on Lighthouse's mobile profile (the worst one).
  adminLcpMs: 2500,
};

const sum = (values) => values.reduce((total, value) => total + value, 0);
const fmt = (value, digits = 1) =>
  value === null || value === undefined || Number.isNaN(value) ? "—" : String(round(value, digits));
const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "—");

function target(results, key) {
  return results.clicks?.targets.find((entry) => entry.key === key);
}

function summaryOf(runs, field) {
  return median(runs.map((run) => run[field]).filter((value) => value !== null));
}

/** Every target with its measured figure and verdict (sections not run are left out). */
export function evaluate(results) {
  const verdicts = [];
  const add = (name, measured, limit, pass) =>
    verdicts.push({ name, measured, limit, pass: Boolean(pass) });
  if (results.clicks) {
    const ratio = median(results.clicks.ratios);
    add(
      "Click route throughput vs naive baseline (median of rounds)",
      `${fmt(ratio, 2)}x`,
      `≥ ${LIMITS.clickRatio}x`,
      ratio >= LIMITS.clickRatio,
    );
  }
  const checked = [
    ...(target(results, "app")?.runs ?? []),
    ...(results.fixedRate ?? []),
    ...(results.memory ? [results.memory] : []),
  ];
  if (checked.length > 0) {
    const acknowledged = sum(checked.map((run) => run.acknowledged));
    const committed = sum(checked.map((run) => run.committed));
    add(
      "Acknowledged clicks (click cookie) committed",
      `${int(committed)} of ${int(acknowledged)}`,
      "all",
      committed === acknowledged && acknowledged > 0,
    );
  }
  if (results.fixedRate) {
    const p99 = summaryOf(results.fixedRate, "p99");
    add(
      `Click route p99 at a fixed ${results.config.fixedRate} requests/s (autocannon overallRate, median of rounds)`,
      `${fmt(p99)} ms`,
      `≤ ${LIMITS.fixedRateP99Ms} ms`,
      p99 <= LIMITS.fixedRateP99Ms,
    );
  }
  // A read's p95 at the larger row count, and its growth from the smaller one.
  const addReadTargets = ([small, large], readers) => {
    for (const [key, label] of readers) {
      add(
        `${label} p95 at ${int(large.rows)} rows`,
        `${fmt(large[key].p95, 2)} ms`,
        `≤ ${LIMITS.statsP95Ms} ms`,
        large[key].p95 <= LIMITS.statsP95Ms,
      );
      const growth = large[key].p95 / small[key].p95;
      add(
        `${label} p95, ${int(large.rows)} rows vs ${int(small.rows)}`,
        `${fmt(growth, 2)}x`,
        `≤ ${LIMITS.statsGrowth}x`,
        growth <= LIMITS.statsGrowth,
      );
    }
  };
  if (results.stats) {
    addReadTargets(results.stats, [
      ["model", "getStoreReferralStats"],
      ["endpoint", "GET /api/v1/analytics/summary"],
    ]);
  }
  if (results.analytics) {
    addReadTargets(results.analytics.stores, [
      ["endpoint", "GET /api/v1/analytics/breakdown"],
      ["page", "Performance page reads (breakdown + summary + daily series)"],
    ]);
    const { migration } = results.analytics;
    add(
      `Breakdown migration on ${int(migration.referralRows)} referral rows: clicks served meanwhile`,
      `${fmt(migration.seconds, 1)} s, ${int(migration.during.committed)} of ${int(migration.during.acknowledged)} committed`,
      "all, no errors",
      migration.during.committed === migration.during.acknowledged &&
        migration.during.errors === 0 &&
        migration.during.acknowledged > 0,
    );
  }
  if (results.signup) {
    const signup = results.signup;
    add(
      `Sign-up attribution (/auth/complete) p99 of our own time, ${results.signup?.rate}/s`,
      `${fmt(signup.own.p99)} ms`,
      `≤ ${LIMITS.signupOwnP99Ms} ms`,
      signup.own.p99 <= LIMITS.signupOwnP99Ms &&
        signup.failures === 0 &&
        signup.attributed === signup.completed,
    );
  }
  if (results.memory) {
    add(
      `Server RSS growth under ${results.memory.seconds} s of click load`,
      `${fmt(results.memory.growthMb)} MB`,
      `≤ ${LIMITS.memoryGrowthMb} MB`,
      results.memory.growthMb <= LIMITS.memoryGrowthMb,
    );
  }
  for (const profile of results.storefront?.profiles ?? []) {
    add(
      `Storefront Lighthouse performance (${profile.formFactor}), points lost to the block`,
      `${fmt(profile.pointsLost, 0)} (${fmt(profile.plain.performance, 0)} → ${fmt(profile.withBlock.performance, 0)})`,
      `≤ ${LIMITS.storefrontPointsLost}`,
      profile.pointsLost <= LIMITS.storefrontPointsLost,
    );
  }
  if (results.adminFrame) {
    const lcp = median(results.adminFrame.mobile.map((run) => run.lcpMs));
    add(
      "Admin frame LCP, Lighthouse mobile profile (median of runs)",
      `${int(lcp)} ms`,
      `≤ ${int(LIMITS.adminLcpMs)} ms`,
      lcp <= LIMITS.adminLcpMs,
    );
  }
  return verdicts;
}

function adminFrameRows(results) {
  return ["mobile", "desktop"].map((formFactor) => {
    const runs = results.adminFrame[formFactor];
    const of = (field) => median(runs.map((run) => run[field]));
    return [
      formFactor,
      int(of("performance")),
      int(of("lcpMs")),
      int(of("fcpMs")),
      int(of("tbtMs")),
      fmt(of("cls"), 3),
      int(of("transferBytes") / 1024),
      runs.map((run) => `${run.performance} / ${int(run.lcpMs)} ms`).join(", "),
    ];
  });
}

const ADMIN_FRAME_HEADER = [
  "profile",
  "performance",
  "LCP ms",
  "FCP ms",
  "TBT ms",
  "CLS",
  "transfer KiB",
  "per run (performance / LCP)",
];

function table(header, rows) {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    cells.map((cell, column) => String(cell).padEnd(widths[column])).join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

function markdownTable(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
}

function clickRows(results) {
  return results.clicks.targets.map(({ label, runs }) => [
    label,
    int(summaryOf(runs, "requestsPerSecond")),
    fmt(summaryOf(runs, "p50")),
    fmt(summaryOf(runs, "p99")),
    fmt(summaryOf(runs, "serverCpuMicros"), 0),
    fmt(summaryOf(runs, "postgresCpuMicros"), 0),
    runs.map((run) => int(run.requestsPerSecond)).join(" / "),
  ]);
}

const CLICK_HEADER = [
  "server",
  "req/s (median)",
  "p50 ms",
  "p99 ms",
  "server CPU µs/req",
  "PostgreSQL CPU µs/req",
  "req/s per round",
];

export function formatSummaryTable(results) {
  const parts = [];
  if (results.clicks) {
    parts.push(
      table(CLICK_HEADER, clickRows(results)),
      `queue + statement alone (in process, 50 callers): ${int(median(results.clicks.queue.map((run) => run.clicksPerSecond)))} clicks/s (median)`,
      `app / naive per round: ${results.clicks.ratios.map((ratio) => fmt(ratio, 2)).join(" / ")}`,
      "",
    );
  }
  if (results.adminFrame) {
    parts.push(
      "admin frame (/app, the admin home), Lighthouse 12.2.3, medians:",
      table(ADMIN_FRAME_HEADER, adminFrameRows(results)),
      "",
    );
  }
  const verdicts = evaluate(results);
  parts.push(
    table(
      ["target", "measured", "limit", "result"],
      verdicts.map((verdict) => [
        verdict.name,
        verdict.measured,
        verdict.limit,
        verdict.pass ? "PASS" : "FAIL",
      ]),
    ),
  );
  return parts.join("\n");
}

export function formatReport(results) {
  const { config, machine } = results;
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\`${config.mode === "quick" ? " -- --quick" : ""} on ${results.startedAt.slice(0, 10)} ` +
      `(${results.startedAt.slice(11, 16)}–${results.finishedAt.slice(11, 16)} UTC). How to run it and what each figure means: ` +
      "README.md, *Performance and reliability*; what was measured and changed: " +
      "docs/decisions/0010-performance-measured.md.",
    "",
    `**Machine:** ${machine.cpu} cores, ${machine.memory} RAM, ${machine.system}, Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres} on the same machine (fsync on, synchronous_commit on). ` +
      `Load average when the run started: ${machine.loadAverage}.`,
    "",
    "> **Caveat.** This machine is shared with other work and its figures swing by about 40% from " +
      "one run to the next. Every comparison below is made within one run, servers taking turns " +
      "round after round, and reported as medians of the rounds; compare ratios, not absolute figures.",
    "",
    "## Verdicts",
    "",
    markdownTable(
      ["target", "measured", "limit", "result"],
      evaluate(results).map((verdict) => [
        verdict.name,
        verdict.measured,
        verdict.limit,
        verdict.pass ? "**pass**" : "**FAIL**",
      ]),
    ),
    "",
  ];

  if (results.clicks) {
    const app = target(results, "app").runs;
    const naive = target(results, "naive").runs;
    const queue = results.clicks.queue;
    lines.push(
      "## The click route: `GET /r/:code`",
      "",
      `${config.rounds} rounds; in each, every server takes ${config.seconds} s of autocannon load in turn ` +
        `(${config.connections} keep-alive connections, a browser User-Agent, a new visitor per request ` +
        "through X-Forwarded-For, so that every request is a click to count). Medians of the rounds. " +
        "CPU per request is read from /proc: the server process, and the PostgreSQL backends of its " +
        "connections (by application_name).",
      "",
      markdownTable(CLICK_HEADER, clickRows(results)),
      "",
      `- **Full app vs naive baseline, per round:** ${results.clicks.ratios.map((ratio) => `${fmt(ratio, 2)}x`).join(", ")}; median **${fmt(median(results.clicks.ratios), 2)}x**.`,
      `- **Queue + statement alone** (recordReferralClick in process, 50 callers, no HTTP): ${queue.map((run) => int(run.clicksPerSecond)).join(" / ")} clicks/s, median ${int(median(queue.map((run) => run.clicksPerSecond)))}; average batch ${fmt(median(queue.map((run) => run.averageBatch)))} clicks; ${int(sum(queue.map((run) => run.found)))} of ${int(sum(queue.map((run) => run.acknowledged)))} acknowledged clicks found in the database.`,
      `- **Acknowledged clicks verified:** after each run the click ids of every response that carried a click cookie were looked up: app ${int(sum(app.map((run) => run.committed)))} of ${int(sum(app.map((run) => run.acknowledged)))} found, naive ${int(sum(naive.map((run) => run.committed)))} of ${int(sum(naive.map((run) => run.acknowledged)))}. Responses of the app that carried no click cookie (dropped within the time budget): ${int(sum(app.map((run) => run.redirects - run.acknowledged)))}.`,
      "- The bare server is bounded by the load generator (autocannon builds every request anew to vary the visitor), which shares the 2 cores with the servers and PostgreSQL.",
      "- The naive baseline (bench/servers/naive.mjs) does no store lookup, no deduplication and no rollup; the app does all three in its grouped statement. PostHog is off in every server (no key): the click event is not part of these figures.",
      "",
    );
  }
  if (results.fixedRate) {
    const fixed = results.fixedRate;
    lines.push(
      `## The click route at a fixed ${config.fixedRate} requests/s`,
      "",
      `In each round, ${config.fixedRateSeconds} s of autocannon's overallRate on the full app (${config.connections} connections, ` +
        `${config.fixedRate / config.connections} requests per connection and second).`,
      "",
      markdownTable(
        ["", "median of rounds", "per round"],
        [
          [
            "p99, autocannon (corrected for coordinated omission)",
            `**${fmt(summaryOf(fixed, "p99"))} ms**`,
            fixed.map((run) => fmt(run.p99)).join(" / "),
          ],
          [
            "p99 of the raw response times",
            `${fmt(summaryOf(fixed, "rawP99"))} ms`,
            fixed.map((run) => fmt(run.rawP99)).join(" / "),
          ],
          [
            "p50, autocannon",
            `${fmt(summaryOf(fixed, "p50"))} ms`,
            fixed.map((run) => fmt(run.p50)).join(" / "),
          ],
          [
            "slowest response",
            `${fmt(summaryOf(fixed, "max"))} ms`,
            fixed.map((run) => fmt(run.max)).join(" / "),
          ],
          [
            "requests/s served",
            int(summaryOf(fixed, "requestsPerSecond")),
            fixed.map((run) => int(run.requestsPerSecond)).join(" / "),
          ],
        ],
      ),
      "",
      `${int(sum(fixed.map((run) => run.committed)))} of ${int(sum(fixed.map((run) => run.acknowledged)))} acknowledged clicks found in the database.`,
      "",
      "How to read it: autocannon paces a rate per connection and per second (each connection sends its " +
        "share back to back when a second starts, then waits), so the app sees a burst every second; and it " +
        "corrects for coordinated omission as if each connection sent a request every millisecond " +
        "(`ceil(1 / rate)`), so one slow response adds a synthetic sample for each millisecond it lasted. " +
        "The verdict uses autocannon's figure as the target names it; the raw p99 shows the response times themselves.",
      "",
    );
  }
  if (results.memory) {
    const memory = results.memory;
    lines.push(
      "## Memory under click load",
      "",
      `A fresh app process: ${fmt(memory.startedMb)} MB RSS after start, ${fmt(memory.baselineMb)} MB after a 5 s warm-up ` +
        `(the baseline), then ${memory.seconds} s of full click load (${int(memory.requests)} requests, ${int(memory.requestsPerSecond)} req/s): ` +
        `peak ${fmt(memory.peakMb)} MB, ${fmt(memory.endMb)} MB at the end; **growth ${fmt(memory.growthMb)} MB** (peak minus baseline, sampled every 0.5 s). ` +
        `${int(memory.committed)} of ${int(memory.acknowledged)} acknowledged clicks found in the database.`,
      "",
    );
  }
  if (results.stats) {
    lines.push(
      "## Stats: `getStoreReferralStats` and `GET /api/v1/analytics/summary`",
      "",
      "Two stores, one with each row count, a year of history written with `INSERT … SELECT generate_series` " +
        "(every 10th click signed up, every 30th active) and the per-day rollup built from the rows as the " +
        "app's statements keep it. The model function is timed in process; the endpoint over HTTP " +
        "(one keep-alive connection, API key auth and its rate-limit upsert included). " +
        `${config.statsIterations} calls per store, the stores alternating.`,
      "",
      markdownTable(
        [
          "referral rows",
          "rollup days",
          "model p50 / p95 / p99 ms",
          "endpoint p50 / p95 / p99 ms",
          "total_clicks returned",
        ],
        results.stats.map((store) => [
          int(store.rows),
          int(store.rollupDays),
          `${fmt(store.model.p50, 2)} / ${fmt(store.model.p95, 2)} / ${fmt(store.model.p99, 2)}`,
          `${fmt(store.endpoint.p50, 2)} / ${fmt(store.endpoint.p95, 2)} / ${fmt(store.endpoint.p99, 2)}`,
          int(store.totalClicks),
        ]),
      ),
      "",
      "The stats read the rollup (one row per store and day), so their cost follows the number of days, not of referral rows.",
      "",
    );
  }
  if (results.analytics) {
    const { migration, stores } = results.analytics;
    lines.push(
      "## Analytics: the breakdown migration, `GET /api/v1/analytics/breakdown` and the Performance page's reads",
      "",
      "Two stores with a year of history written with `INSERT … SELECT generate_series` (every 10th " +
        "click signed up, every 30th active; 50 values of each UTM parameter and 50 referring sites, " +
        "out of step), StoreDailyStat built from the rows, the breakdown table emptied; then the " +
        "migration `20261203100100_fill_daily_breakdowns` run as Prisma runs it, while a stand-in of " +
        "the previous release (the naive server: one INSERT per click, no breakdown) serves 200 clicks/s.",
      "",
      `- **Migration:** ${fmt(migration.seconds, 1)} s on ${int(migration.referralRows)} referral rows ` +
        `(statements: ${migration.statementSeconds.map((value) => `${fmt(value, 1)} s`).join(", ")}), ` +
        `${int(migration.breakdownRows)} breakdown rows for the two stores.`,
      `- **Clicks meanwhile:** ${int(migration.during.requests)} served, ${int(migration.during.errors)} errors, ` +
        `${int(migration.during.committed)} of ${int(migration.during.acknowledged)} acknowledged clicks committed; ` +
        `p99 per second of load: median ${fmt(migration.during.p99Median)} ms, worst ${fmt(migration.during.p99Worst)} ms ` +
        `(without the migration: ${fmt(migration.quiet.p99)} ms).`,
      "",
      markdownTable(
        [
          "referral rows",
          "getBreakdown p50 / p95 / p99 ms",
          "page reads p50 / p95 / p99 ms",
          "endpoint p50 / p95 / p99 ms",
        ],
        stores.map((store) => [
          int(store.rows),
          `${fmt(store.breakdown.p50, 2)} / ${fmt(store.breakdown.p95, 2)} / ${fmt(store.breakdown.p99, 2)}`,
          `${fmt(store.page.p50, 2)} / ${fmt(store.page.p95, 2)} / ${fmt(store.page.p99, 2)}`,
          `${fmt(store.endpoint.p50, 2)} / ${fmt(store.endpoint.p95, 2)} / ${fmt(store.endpoint.p99, 2)}`,
        ]),
      ),
      "",
      "A year's range (365 days and the previous 365), the five dimensions in turn, in the store's zone: " +
        "the reads sum the breakdown rollup (at most 101 rows per day and dimension), so their cost follows " +
        "days × values, not referral rows.",
      "",
    );
  }
  if (results.signup) {
    const signup = results.signup;
    const saturated = signup.saturated;
    lines.push(
      "## Sign-up attribution: `GET /auth/complete`",
      "",
      `${int(signup.users)} users signing up at a steady ${signup.rate} per second (started on schedule whatever the answers), ` +
        "each first following the store's link (not timed), then landing on /auth/complete with a Clerk session " +
        "token (RS256, verified offline with CLERK_JWT_KEY) and the `ref` and `ref_click` cookies. Clerk's Backend " +
        "API is the loopback fake of app/test/fakes/clerk.ts " +
        `(${fmt(signup.clerkCallsPerSignup)} calls per sign-up: read the user, write referral_source).`,
      "",
      "**Our own time** = the client's latency minus the time the fake spent on that user's calls, measured " +
        "by the fake itself from each request's arrival to the end of its response. Loopback transit, the " +
        "Clerk SDK's client work and the benchmark client's own work stay in our time (it is overstated, not understated).",
      "",
      markdownTable(
        ["", "p50 ms", "p95 ms", "p99 ms"],
        [
          ["our own time", fmt(signup.own.p50), fmt(signup.own.p95), `**${fmt(signup.own.p99)}**`],
          [
            "client latency (with the fake)",
            fmt(signup.total.p50),
            fmt(signup.total.p95),
            fmt(signup.total.p99),
          ],
          ["the fake's time", fmt(signup.clerk.p50), "", fmt(signup.clerk.p99)],
          [
            `saturation: ${signup.concurrency} users back to back, our own time`,
            fmt(saturated.own.p50),
            fmt(saturated.own.p95),
            fmt(saturated.own.p99),
          ],
        ],
      ),
      "",
      `- ${int(signup.completed)} sign-ups redirected to the post-signup page, ${int(signup.failures)} failed; ` +
        `${int(signup.attributed)} attributed to the store (their click became signed_up).`,
      `- The app process (all its threads) used ${fmt(signup.cpuMillisPerSignup, 2)} ms of CPU per sign-up at ${signup.rate}/s and ` +
        `${fmt(signup.cpuMillisPerSignupSaturated, 2)} ms back to back (the click before each included): the Remix pipeline, ` +
        "Clerk's token check and its two Backend API calls, two statements. At saturation " +
        `(${signup.concurrency} users back to back, no pause) the app served ${fmt(saturated.signupsPerSecond)} sign-ups/s and the ` +
        "time of one is mostly its wait behind the others; that run has no target.",
      "",
    );
  }
  if (results.storefront) {
    lines.push(
      "## Storefront weight: Lighthouse with and without the block",
      "",
      "Lighthouse 12.2.3 (performance only, its simulated throttling) on Debian's Chromium, against a plain " +
        "storefront page on loopback (bench/servers/storefront.mjs) and the same page with the referral block " +
        "rendered by liquidjs at its schema's defaults, plus the block's stylesheet as its own request. " +
        `Median of ${results.storefront.runs} run(s) per page, the two pages alternating.`,
      "",
      markdownTable(
        ["profile", "page", "performance", "LCP ms", "CLS", "bytes transferred", "scores per run"],
        results.storefront.profiles.flatMap((profile) =>
          [
            ["plain page", profile.plain],
            ["with the block", profile.withBlock],
          ].map(([page, figures]) => [
            profile.formFactor,
            page,
            fmt(figures.performance, 0),
            fmt(figures.lcpMs, 0),
            fmt(figures.cls, 3),
            int(figures.transferBytes),
            figures.scores.join(" / "),
          ]),
        ),
      ),
      "",
    );
  }
  if (results.adminFrame) {
    lines.push(
      "## The admin frame: Lighthouse",
      "",
      `The embedded admin's home as Shopify's admin frames it (\`/app?embedded=1&shop=…&host=…&id_token=…\`, ` +
        "the demo store's 90 days of history), loaded on its own by Lighthouse 12.2.3 on Debian's Chromium, " +
        `performance category, ${config.adminLighthouseRuns} cold load(s) per profile (medians). Mobile: Moto G Power, ` +
        "slow 4G (150 ms RTT, 1.6 Mbit/s), 4x CPU slowdown, simulated; desktop: Lighthouse's desktop profile. " +
        "Served by the local admin preview (development, its own database), which mints the session token. " +
        "App Bridge's script on Shopify's CDN cannot be reached here: its request fails at once and is not in the figures.",
      "",
      markdownTable(ADMIN_FRAME_HEADER, adminFrameRows(results)),
      "",
      "Lighthouse's simulation multiplies the main-thread time it observed: on this shared machine the " +
        "figures move with its load (the same page measured 1.6 to 2.9 s mobile LCP within minutes).",
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
