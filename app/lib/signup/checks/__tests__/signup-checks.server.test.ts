// The checks' time box and fault isolation, against PostgreSQL: a lookup that never answers or
// throws, or a database that cannot be reached, is "not checked" by the deadline, never an error.
import { afterEach, describe, expect, it } from "vitest";

import { resetEnvForTests } from "~/env.server";
import { defineCounter } from "~/lib/infra/metrics.server";
import { startSignupChecks } from "~/lib/signup/checks/signup-checks.server";
import { createTestStore } from "~/test/builders";
import { closedPort, useDatabase } from "~/test/faults";

const workingDatabaseUrl = process.env.DATABASE_URL;

afterEach(() => {
  delete process.env.SIGNUP_CHECK_TIMEOUT_MS;
  resetEnvForTests();
});

function checksFor(referralCode: string, emailAddresses: () => Promise<readonly unknown[]>) {
  return startSignupChecks({ referralCode, clickId: null, emailAddresses, userId: "user_test" });
}

describe("startSignupChecks", () => {
  it("decides every check for a reachable lookup and database", async () => {
    const store = await createTestStore();
    const outcome = await checksFor(store.referralCode, async () => ["x@mailinator.com"]).outcome();
    expect(outcome).toEqual({ flagReasons: ["disposable_email"], checksNotRun: [] });
  });

  it("gives up on an e-mail lookup that never answers at the deadline: not checked", async () => {
    // GIVEN a 50 ms budget and an identity provider that never answers
    process.env.SIGNUP_CHECK_TIMEOUT_MS = "50";
    resetEnvForTests();
    const store = await createTestStore();
    const notChecked = defineCounter("signup_checks_not_checked_total", "");
    const timeoutsBefore = notChecked.value({ check: "self_referral", reason: "email_timeout" });
    // WHEN the checks are decided
    const started = performance.now();
    const outcome = await checksFor(store.referralCode, () => new Promise(() => {})).outcome();
    // THEN within the budget, the e-mail checks are not checked and the others ran
    expect(performance.now() - started).toBeLessThan(500);
    expect(outcome).toEqual({
      flagReasons: [],
      checksNotRun: ["self_referral", "disposable_email"],
    });
    // AND /metrics counts it
    expect(notChecked.value({ check: "self_referral", reason: "email_timeout" })).toBe(
      timeoutsBefore + 1,
    );
  });

  it("records a lookup that throws, even synchronously, as not checked", async () => {
    const store = await createTestStore();
    const outcome = await checksFor(store.referralCode, () => {
      throw new Error("identity provider exploded");
    }).outcome();
    expect(outcome.checksNotRun).toEqual(["self_referral", "disposable_email"]);
  });

  it("records the database checks as not checked when PostgreSQL is unreachable", async () => {
    const store = await createTestStore();
    await useDatabase(`postgresql://postgres@127.0.0.1:${await closedPort()}/postgres`);
    try {
      const outcome = await checksFor(store.referralCode, async () => [
        "x@mailinator.com",
      ]).outcome();
      // The e-mail-only check still runs; what needs the store or the counts is not checked.
      expect(outcome).toEqual({
        flagReasons: ["disposable_email"],
        checksNotRun: ["self_referral", "repeat_visitor", "signup_burst"],
      });
    } finally {
      await useDatabase(workingDatabaseUrl);
    }
  });

  it("checks nothing for a code of no active store (the sign-up will not be attributed)", async () => {
    const outcome = await checksFor("store-nobody-0000", async () => [
      "x@mailinator.com",
    ]).outcome();
    expect(outcome).toEqual({ flagReasons: [], checksNotRun: [] });
  });
});
