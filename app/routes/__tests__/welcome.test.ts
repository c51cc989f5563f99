// /welcome, the post-signup page: it says whether the visitor is signed in and through which
// store they joined (this app's own record of the referral source), and links onward.
import { describe, expect, it } from "vitest";

import { action as demoSignUpAction } from "~/demo/routes/sign-up";
import { loader as welcomeLoader } from "~/routes/welcome";
import { createTestStore } from "~/test/builders";
import { cookieHeaderAfter, shopperRequest } from "~/test/shopper";
import { completeSignup, cookiesAfterFollowing } from "~/test/signup";

/** A shopper signed up with the demo identity; their session cookie after /auth/complete. */
async function signedUpShopper(referralCookies = "") {
  let signedUp: Response;
  try {
    signedUp = (await demoSignUpAction({
      request: shopperRequest("/demo/sign-up", {
        method: "POST",
        cookie: referralCookies,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          email: `w-${Math.random().toString(36).slice(2)}@example.com`,
        }),
      }),
      params: {},
      context: {},
    })) as Response;
  } catch (thrown) {
    signedUp = thrown as Response;
  }
  const cookie = cookieHeaderAfter(signedUp, referralCookies);
  await completeSignup(cookie);
  return cookie;
}

interface WelcomePage {
  signedIn: boolean;
  storeName: string | null;
  siteUrl: string;
  signUpUrl: string;
  signInUrl: string;
}

/** The page's data; it is never cached (it depends on who is signed in). */
async function welcome(cookie?: string): Promise<WelcomePage> {
  const response = (await welcomeLoader({
    request: shopperRequest("/welcome", { cookie }),
    params: {},
    context: {},
  })) as Response;
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  return (await response.json()) as WelcomePage;
}

describe("/welcome", () => {
  it("thanks the store a signed-in user joined through, and links onward", async () => {
    // GIVEN a shopper who signed up through a store's link
    const store = await createTestStore();
    const cookie = await signedUpShopper(await cookiesAfterFollowing(store.referralCode));
    // WHEN they land on /welcome
    const page = await welcome(cookie);
    // THEN it names that store
    expect(page).toMatchObject({ signedIn: true, storeName: store.name });
    expect(page.siteUrl).toMatch(/^https?:\/\//);
  });

  it("thanks no store for a sign-up without a referral", async () => {
    const page = await welcome(await signedUpShopper());
    expect(page).toMatchObject({ signedIn: true, storeName: null });
  });

  it("tells a signed-out visitor so, with the ways in", async () => {
    const page = await welcome();
    expect(page).toMatchObject({
      signedIn: false,
      storeName: null,
      signUpUrl: "/sign-up",
      signInUrl: "/sign-in",
    });
  });
});
