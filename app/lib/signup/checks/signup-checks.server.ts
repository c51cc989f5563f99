// The sign-up quality checks, run for every sign-up through a store's link (decision 0014):
// deterministic, explainable, each with a reason code stored on the referral. They never fail or
// slow the sign-up: what they read (the e-mail from the identity provider, the facts from the
// database) is started at once, beside the attribution's first steps, and waited for only until
// SIGNUP_CHECK_TIMEOUT_MS after that start; a check whose input is late or failed, or that
// throws, is recorded as "not checked" and logged. The e-mail is used here and never stored.
import { getEnv } from "~/env.server";
import { anonymizeUserId } from "~/lib/infra/keyed-hash.server";
import { logger } from "~/lib/infra/logger.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import { checkDisposableEmail } from "~/lib/signup/checks/disposable-email.server";
import { parseEmailAddress, type EmailAddress } from "~/lib/signup/checks/email-address";
import { SIGNUP_CHECKS, type FlagReason, type SignupCheckName } from "~/lib/signup/checks/reasons";
import { checkRepeatVisitor } from "~/lib/signup/checks/repeat-visitor";
import { checkSelfReferral } from "~/lib/signup/checks/self-referral.server";
import { checkSignupBurst } from "~/lib/signup/checks/signup-burst";
import type { SignupQuality } from "~/models/referral-signups.server";
import { getSignupCheckFacts, type SignupCheckFacts } from "~/models/signup-check-facts.server";
import type { DatabaseClient } from "~/models/store.server";

const checkMetrics = {
  flagged: defineCounter(
    "signup_checks_flagged_total",
    "Sign-ups a quality check flagged, by reason code (one sign-up may count under several).",
  ),
  notChecked: defineCounter(
    "signup_checks_not_checked_total",
    "Sign-up quality checks that could not run, by check and reason (timeout, error, …).",
  ),
};

/** The UTC days before today a store's usual sign-up rate is taken from. */
export const BURST_BASELINE_DAYS = 7;

export interface SignupCheckInput {
  referralCode: string;
  clickId: string | null;
  /** The user's e-mail addresses: known (Clerk's webhook payload) or looked up. */
  emailAddresses: readonly unknown[] | (() => Promise<readonly unknown[]>);
  /** The webhook's transaction: the facts are then read through it, when they are needed. */
  client?: DatabaseClient;
  /** For the log lines. */
  userId: string;
}

export interface PendingSignupChecks {
  readonly referralCode: string;
  /** What the checks found; never rejects, resolves by the deadline at the latest. */
  outcome(): Promise<SignupQuality>;
}

type Settled<T> =
  { ok: true; value: T } | { ok: false; reason: "timeout" | "error"; error?: unknown };

function settle<T>(work: () => Promise<T>): Promise<Settled<T>> {
  try {
    return work().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, reason: "error" as const, error }),
    );
  } catch (error) {
    return Promise.resolve({ ok: false as const, reason: "error" as const, error });
  }
}

/** `settled`, or a time-out once `deadline` (epoch ms) has passed: never waits past it. */
async function byDeadline<T>(settled: Promise<Settled<T>>, deadline: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), {
      ok: false,
      reason: "timeout",
    });
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts reading what the checks need; `outcome()` decides. */
export function startSignupChecks(input: SignupCheckInput): PendingSignupChecks {
  const env = getEnv();
  const deadline = Date.now() + env.SIGNUP_CHECK_TIMEOUT_MS;
  const { emailAddresses } = input;
  const emails = settle(async () =>
    typeof emailAddresses === "function" ? await emailAddresses() : emailAddresses,
  );
  const readFacts = () =>
    settle(() =>
      getSignupCheckFacts(
        {
          referralCode: input.referralCode,
          clickId: input.clickId,
          visitorWindowMinutes: env.SIGNUP_REPEAT_VISITOR_WINDOW_MINUTES,
          baselineDays: BURST_BASELINE_DAYS,
        },
        input.client,
      ),
    );
  // On the pool the facts are read at once, beside the attribution's first steps. A transaction
  // runs one statement at a time: there they are read when needed, with a deadline of their own.
  const earlyFacts = input.client ? null : readFacts();

  return {
    referralCode: input.referralCode,
    async outcome() {
      try {
        const facts = earlyFacts
          ? await byDeadline(earlyFacts, deadline)
          : await byDeadline(readFacts(), Date.now() + env.SIGNUP_CHECK_TIMEOUT_MS);
        const addresses = await byDeadline(emails, deadline);
        return decideSignupQuality({ facts, addresses, userId: input.userId });
      } catch (error) {
        // Not expected (each check is isolated), but the sign-up must never see it.
        logger.warn("signup_checks.not_checked", {
          check: "all",
          user: anonymizeUserId(input.userId),
          error,
        });
        return { flagReasons: [], checksNotRun: [...SIGNUP_CHECKS] };
      }
    },
  };
}

function decideSignupQuality({
  facts,
  addresses,
  userId,
}: {
  facts: Settled<SignupCheckFacts | null>;
  addresses: Settled<readonly unknown[]>;
  userId: string;
}): SignupQuality {
  const env = getEnv();
  const flagReasons: FlagReason[] = [];
  const checksNotRun: SignupCheckName[] = [];
  const notChecked = (check: SignupCheckName, reason: string, error?: unknown) => {
    checksNotRun.push(check);
    checkMetrics.notChecked.increment({ check, reason });
    logger.warn("signup_checks.not_checked", {
      check,
      reason,
      user: anonymizeUserId(userId),
      error,
    });
  };
  const run = (check: SignupCheckName, decide: () => FlagReason | null) => {
    try {
      const reason = decide();
      if (reason) {
        flagReasons.push(reason);
        checkMetrics.flagged.increment({ reason });
      }
    } catch (error) {
      notChecked(check, "error", error);
    }
  };

  // No active store: the sign-up will not be attributed, there is nothing to check.
  if (facts.ok && facts.value === null) return { flagReasons, checksNotRun };

  let emails: EmailAddress[] | null = null;
  if (!addresses.ok) {
    notChecked("self_referral", `email_${addresses.reason}`, addresses.error);
    notChecked("disposable_email", `email_${addresses.reason}`, addresses.error);
  } else {
    emails = parseEmailAddresses(addresses.value);
    if (emails.length === 0) {
      // A sign-up without a readable address (a phone number only): nothing to compare.
      checksNotRun.push("self_referral", "disposable_email");
      emails = null;
    }
  }

  if (!facts.ok) {
    if (emails) run("disposable_email", () => checkDisposableEmail(emails));
    for (const check of ["self_referral", "repeat_visitor", "signup_burst"] as const) {
      if (check !== "self_referral" || emails)
        notChecked(check, `facts_${facts.reason}`, facts.error);
    }
    return { flagReasons, checksNotRun: [...new Set(checksNotRun)] };
  }
  const known = facts.value!;
  if (emails) {
    run("self_referral", () => checkSelfReferral(emails, known.owner));
    run("disposable_email", () => checkDisposableEmail(emails));
  }
  // Without a click there is no visitor to count: not a flag, and nothing that failed.
  if (known.visitorHash) {
    run("repeat_visitor", () =>
      checkRepeatVisitor(
        { earlierSignups: known.visitorSignups },
        {
          maxPerWindow: env.SIGNUP_REPEAT_VISITOR_MAX,
          windowMinutes: env.SIGNUP_REPEAT_VISITOR_WINDOW_MINUTES,
        },
      ),
    );
  }
  run("signup_burst", () =>
    checkSignupBurst(
      { lastHourSignups: known.lastHourSignups, baselineSignups: known.baselineSignups },
      {
        minPerHour: env.SIGNUP_BURST_MIN_PER_HOUR,
        factor: env.SIGNUP_BURST_FACTOR,
        baselineDays: BURST_BASELINE_DAYS,
      },
    ),
  );
  return { flagReasons, checksNotRun };
}

/** The readable addresses among what the identity provider gave (at most 20 looked at). */
export function parseEmailAddresses(values: readonly unknown[]): EmailAddress[] {
  const emails: EmailAddress[] = [];
  if (!Array.isArray(values)) return emails;
  for (const value of values.slice(0, 20)) {
    const email = parseEmailAddress(value);
    if (email) emails.push(email);
  }
  return emails;
}
