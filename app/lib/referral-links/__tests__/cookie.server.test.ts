import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { resetEnvForTests } from "~/env.server";
import {
  clearReferralCookies,
  readReferralCookies,
  referralClickCookie,
  referralCodeCookie,
  signClickId,
  verifyClickId,
} from "~/lib/referral-links/cookie.server";

afterEach(() => {
  process.env.NODE_ENV = "test";
  resetEnvForTests();
});

describe("the referral cookies", () => {
  it("keep the code for 30 days, HttpOnly, SameSite=Lax and Secure", () => {
    expect(referralCodeCookie("store-chen-well-a1b2")).toBe(
      "ref=store-chen-well-a1b2; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax; Secure",
    );
  });

  it("leave Secure out in local development only (plain http)", () => {
    process.env.NODE_ENV = "development";
    resetEnvForTests();
    expect(referralCodeCookie("store-chen-well-a1b2")).toBe(
      "ref=store-chen-well-a1b2; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax",
    );
  });

  it("carry a click id that reads back only with its signature", () => {
    const clickId = randomUUID();
    const cookie = referralClickCookie(clickId);
    expect(cookie).toMatch(/^ref_click=[0-9a-f-]{36}\.[A-Za-z0-9_-]{32}; Max-Age=2592000; /);
    const signed = signClickId(clickId);
    expect(verifyClickId(signed)).toBe(clickId);
    // Another click id with the first one's signature, a truncated one, garbage: none reads.
    expect(verifyClickId(`${randomUUID()}.${signed.split(".")[1]}`)).toBeNull();
    expect(verifyClickId(signed.slice(0, -1))).toBeNull();
    expect(verifyClickId("not-a-click")).toBeNull();
  });

  it("do not accept a signature made with another APP_SECRET", () => {
    const signed = signClickId(randomUUID());
    const original = process.env.APP_SECRET;
    process.env.APP_SECRET = "another-secret-that-is-also-long-enough-0123";
    resetEnvForTests();
    try {
      expect(verifyClickId(signed)).toBeNull();
    } finally {
      process.env.APP_SECRET = original;
      resetEnvForTests();
    }
  });

  it("read back re-validated: a tampered code reads as none", () => {
    const clickId = randomUUID();
    expect(
      readReferralCookies(`other=1; ref=store-chen-well-a1b2; ref_click=${signClickId(clickId)}`),
    ).toEqual({
      referralCode: "store-chen-well-a1b2",
      clickId,
      signedClickId: signClickId(clickId),
    });
    expect(readReferralCookies("ref=%21%21%21; ref_click=forged.value")).toEqual({
      referralCode: null,
      clickId: null,
      signedClickId: null,
    });
    expect(readReferralCookies(null).referralCode).toBeNull();
  });

  it("are cleared with the same attributes", () => {
    expect(clearReferralCookies()).toEqual([
      "ref=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure",
      "ref_click=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure",
    ]);
  });
});
