// The environment, validated once at start-up (see .env.example for every variable).
// Everything else reads `env` from here; nothing reads process.env directly.
import { z } from "zod";

const DEVELOPMENT_SECRET = "development-only-secret-do-not-use-in-production";
const DEMO_SHOPIFY_API_KEY = "demo-api-key";
const DEMO_SHOPIFY_API_SECRET = "demo-api-secret-used-only-by-the-local-preview";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = optionalString.pipe(z.url().optional());

const integer = (fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** An integer setting for which an empty value means unset (the default), not 0. */
const integerSetting = (fallback: number, range: { min?: number; max?: number }) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    integer(fallback, range),
  );

/** "true" / "1" turn it on; unset, empty, "false" or "0" leave it off. */
const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("")
  .transform((value) => value === "true" || value === "1");

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: integer(3000, { min: 0, max: 65535 }),
  HOST: z.string().default("0.0.0.0"),

  DATABASE_URL: optionalUrl,
  DATABASE_POOL_MAX: integer(10, { min: 1, max: 200 }),
  /** Where the embedded PGlite database keeps its files when DATABASE_URL is not set. */
  EMBEDDED_DATABASE_DIR: z.string().default(".data/pglite"),

  SHOPIFY_API_KEY: optionalString,
  SHOPIFY_API_SECRET: optionalString,
  SHOPIFY_APP_URL: optionalUrl,
  SCOPES: z.string().default(""),
  SHOP_CUSTOM_DOMAIN: optionalString,

  /** Base of the referral links shoppers click (the landing page). Defaults to SHOPIFY_APP_URL. */
  PUBLIC_SITE_URL: optionalUrl,
  /** Signs the click cookie and keys the visitor and user hashes. */
  APP_SECRET: optionalString.pipe(z.string().min(32).optional()),

  CLERK_PUBLISHABLE_KEY: optionalString,
  CLERK_SECRET_KEY: optionalString,
  CLERK_JWT_KEY: optionalString,
  CLERK_API_URL: optionalUrl,
  CLERK_WEBHOOK_SECRET: optionalString,
  POST_SIGNUP_URL: z.string().default("/welcome"),

  POSTHOG_API_KEY: optionalString,
  POSTHOG_HOST: z.url().default("https://us.i.posthog.com"),

  /** Server-to-server secret for POST /api/v1/referrals/activate (Syntropy's own backend). */
  ACTIVATION_API_SECRET: optionalString.pipe(z.string().min(24).optional()),
  API_RATE_LIMIT_PER_MINUTE: integer(60, { min: 1 }),
  /** The shopper's redirect never waits longer than this for the click to be recorded. */
  CLICK_RECORD_TIMEOUT_MS: integer(250, { min: 10, max: 10_000 }),
  /** Clicks waiting to be written at once; beyond it a click is dropped (and counted), never queued. */
  CLICK_QUEUE_LIMIT: integer(5000, { min: 1 }),
  // Retention (docs/privacy.md): what the purge of each app instance removes, and how often.
  /** A click's visitor hash is cleared after this many days: the 30-day cookie plus a margin. */
  RETENTION_VISITOR_HASH_DAYS: integerSetting(32, { min: 31, max: 3650 }),
  /** Clicks that never became a sign-up are deleted after this many days (13 months). */
  RETENTION_UNCONVERTED_CLICK_DAYS: integerSetting(396, { min: 31, max: 36500 }),
  /** Inbound webhook delivery records (replay protection): longer than any sender retries. */
  RETENTION_INBOUND_WEBHOOK_DAYS: integerSetting(30, { min: 7, max: 3650 }),
  /** Rate-limit windows of the Integration API (a decision needs only the current minute). */
  RETENTION_RATE_LIMIT_WINDOW_HOURS: integerSetting(24, { min: 1, max: 8760 }),
  /** The demo identity's users (never in production). */
  RETENTION_DEMO_USER_DAYS: integerSetting(30, { min: 1, max: 3650 }),
  /** How often each app instance runs the purge. */
  RETENTION_PURGE_INTERVAL_SECONDS: integerSetting(600, { min: 1, max: 86_400 }),
  /** Rows per purge statement: each one short, so that no lock is held long. */
  RETENTION_PURGE_BATCH_SIZE: integerSetting(1000, { min: 1, max: 10_000 }),
  /**
   * Sign-up quality checks (docs/decisions/0014-signup-quality-checks.md). The most the checks
   * may add to a sign-up: a check not done by then is recorded as "not checked".
   */
  SIGNUP_CHECK_TIMEOUT_MS: integer(1_000, { min: 10, max: 5_000 }),
  /** Sign-ups one visitor may make for a store within the window before the next are flagged. */
  SIGNUP_REPEAT_VISITOR_MAX: integer(2, { min: 1, max: 1_000 }),
  SIGNUP_REPEAT_VISITOR_WINDOW_MINUTES: integer(60, { min: 1, max: 7 * 24 * 60 }),
  /** A burst: more sign-ups in an hour than this and than FACTOR times the store's usual rate. */
  SIGNUP_BURST_MIN_PER_HOUR: integer(10, { min: 1, max: 1_000_000 }),
  SIGNUP_BURST_FACTOR: integer(5, { min: 1, max: 1_000 }),
  // Outbound webhooks (docs/decisions/0020-outbound-webhooks.md, README "Webhooks").
  /**
   * Development and tests only (refused in production): endpoints may be http:// and on
   * loopback (127.0.0.0/8, ::1). Private, link-local and metadata addresses stay refused.
   */
  WEBHOOK_ALLOW_LOOPBACK: flag,
  /**
   * Origins (https://host[:port], comma-separated) of Syntropy Health's own backend: only an
   * endpoint on one of them receives the raw user id (referred_user_id). Set by the operator.
   */
  WEBHOOK_TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  /** One attempt's limit (connect, send, answer). */
  WEBHOOK_ATTEMPT_TIMEOUT_MS: integerSetting(5_000, { min: 100, max: 30_000 }),
  /** The first retry's delay; each next one doubles (with jitter) up to the maximum below. */
  WEBHOOK_RETRY_BASE_MS: integerSetting(5_000, { min: 10, max: 3_600_000 }),
  WEBHOOK_RETRY_MAX_DELAY_MS: integerSetting(4 * 3_600_000, { min: 10, max: 86_400_000 }),
  /** How long a delivery is retried after its event (then it is failed): 24 h and more. */
  WEBHOOK_RETRY_WINDOW_SECONDS: integerSetting(86_400, { min: 1, max: 30 * 86_400 }),
  /**
   * Deliveries in a row that failed after every retry, after which an endpoint is disabled (its
   * admin says why). Retries alone never disable it: a shorter outage loses nothing.
   */
  WEBHOOK_MAX_CONSECUTIVE_FAILURES: integerSetting(5, { min: 1, max: 100_000 }),
  /** Attempts in flight per endpoint in one instance, so a slow receiver cannot starve others. */
  WEBHOOK_ENDPOINT_CONCURRENCY: integerSetting(8, { min: 1, max: 100 }),
  /** Attempts in flight in one instance (bounds its memory). */
  WEBHOOK_MAX_IN_FLIGHT: integerSetting(64, { min: 1, max: 1_000 }),
  /** How often an idle worker looks for due deliveries and new clicks. */
  WEBHOOK_POLL_INTERVAL_MS: integerSetting(250, { min: 10, max: 60_000 }),
  /** After a rotation, the previous secret signs too for this long. */
  WEBHOOK_SECRET_OVERLAP_HOURS: integerSetting(24, { min: 0, max: 720 }),
  /** Events and their delivery log are deleted after this many days (docs/privacy.md). */
  WEBHOOK_LOG_RETENTION_DAYS: integerSetting(30, { min: 2, max: 3650 }),
  /** Runs the delivery worker in this instance (on by default; `false` for a web-only instance). */
  WEBHOOK_WORKER_ENABLED: z
    .enum(["true", "false", ""])
    .default("true")
    .transform((value) => value !== "false"),
  /**
   * Proxies in front of the app that append to X-Forwarded-For: the visitor's address is the
   * entry this many hops from the right (0: the connection's peer, the header ignored). Default 1,
   * the one load balancer of docs/operations.md; entries further left are written by the client.
   * Empty means unset (as for the strings above): coerced, "" would be 0 and silently count every
   * visitor behind the load balancer as one.
   */
  TRUSTED_PROXY_HOPS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    integer(1, { min: 0, max: 10 }),
  ),
});

type RawEnvironment = z.infer<typeof environmentSchema>;

export type Environment = Omit<
  RawEnvironment,
  "SHOPIFY_API_KEY" | "SHOPIFY_API_SECRET" | "SHOPIFY_APP_URL" | "PUBLIC_SITE_URL" | "APP_SECRET"
> & {
  SHOPIFY_API_KEY: string;
  SHOPIFY_API_SECRET: string;
  SHOPIFY_APP_URL: string;
  PUBLIC_SITE_URL: string;
  APP_SECRET: string;
  isProduction: boolean;
  /** Clerk is configured; otherwise the local demo identity is used (never in production). */
  clerkEnabled: boolean;
  /** The demo identity and the local Shopify admin stand-in. Never true in production. */
  demoFeaturesEnabled: boolean;
  /**
   * The local Shopify admin stand-in (/demo/*): demo features on and the built-in demo Shopify
   * credentials, so it never signs session tokens with a real app secret (e.g. behind the tunnel
   * of `shopify app dev`).
   */
  demoAdminEnabled: boolean;
};

export class EnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
        "See .env.example and the Configuration section of README.md.",
    );
    this.name = "EnvironmentError";
  }
}

const REQUIRED_IN_PRODUCTION = [
  "DATABASE_URL",
  "SHOPIFY_API_KEY",
  "SHOPIFY_API_SECRET",
  "SHOPIFY_APP_URL",
  "APP_SECRET",
  "CLERK_PUBLISHABLE_KEY",
  "CLERK_SECRET_KEY",
] as const;

/** Parses an environment (process.env by default); throws EnvironmentError naming each bad variable. */
export function parseEnvironment(
  source: Record<string, string | undefined> = process.env,
): Environment {
  const result = environmentSchema.safeParse(source);
  if (!result.success) {
    throw new EnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const raw = result.data;
  const isProduction = raw.NODE_ENV === "production";
  if (isProduction) {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !raw[name]);
    if (missing.length > 0) {
      throw new EnvironmentError(
        missing.map((name) => `${name}: required when NODE_ENV=production`),
      );
    }
  }
  if (isProduction && raw.WEBHOOK_ALLOW_LOOPBACK) {
    throw new EnvironmentError([
      "WEBHOOK_ALLOW_LOOPBACK: never allowed when NODE_ENV=production (SSRF protection)",
    ]);
  }
  const clerkEnabled = Boolean(raw.CLERK_PUBLISHABLE_KEY && raw.CLERK_SECRET_KEY);
  const appUrl = stripTrailingSlash(raw.SHOPIFY_APP_URL ?? `http://localhost:${raw.PORT || 3000}`);
  return {
    ...raw,
    SHOPIFY_API_KEY: raw.SHOPIFY_API_KEY ?? DEMO_SHOPIFY_API_KEY,
    SHOPIFY_API_SECRET: raw.SHOPIFY_API_SECRET ?? DEMO_SHOPIFY_API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    PUBLIC_SITE_URL: stripTrailingSlash(raw.PUBLIC_SITE_URL ?? appUrl),
    APP_SECRET: raw.APP_SECRET ?? DEVELOPMENT_SECRET,
    isProduction,
    clerkEnabled,
    demoFeaturesEnabled: !isProduction,
    demoAdminEnabled: !isProduction && !raw.SHOPIFY_API_SECRET,
  };
}

function stripTrailingSlash(url: string) {
  return url.replace(/\/+$/, "");
}

let cached: Environment | undefined;

/** The validated environment of this process (parsed on first use). */
export function getEnv(): Environment {
  cached ??= parseEnvironment();
  return cached;
}

/** Tests change process.env between cases; this makes the next getEnv() parse it again. */
export function resetEnvForTests() {
  cached = undefined;
}
