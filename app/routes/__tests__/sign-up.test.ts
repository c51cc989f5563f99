// /sign-up and /sign-in: the demo identity in previews without Clerk keys (its form at
// /demo/sign-up and /demo/sign-in, app/demo/routes/, running the same attribution as Clerk),
// Clerk's pages otherwise, and never the demo in production.
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { db } from "~/db.server";
import { resetEnvForTests } from "~/env.server";
import { signValue } from "~/lib/infra/keyed-hash.server";
import { action as demoSignInAction, loader as demoSignInLoader } from "~/demo/routes/sign-in";
import { action as demoSignUpAction, loader as demoSignUpLoader } from "~/demo/routes/sign-up";
import { action as signInAction, loader as signInLoader } from "~/routes/sign-in.$";
import { action as signUpAction, loader as signUpLoader } from "~/routes/sign-up.$";
import { usePostHogFake } from "~/test/analytics";
import { createTestStore } from "~/test/builders";
import { configureClerk, TEST_CLERK_PUBLISHABLE_KEY, unconfigureClerk } from "~/test/fakes/clerk";
import { cookieHeaderAfter, setCookiesOf, shopperRequest } from "~/test/shopper";
import { completeSignup, cookiesAfterFollowing } from "~/test/signup";

const posthog = usePostHogFake();

function uniqueEmail() {
  return `shopper-${Math.random().toString(36).slice(2)}@example.com`;
}

async function run<T>(work: () => Promise<T>): Promise<T | Response> {
  try {
    return await work();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

function formRequest(path: string, fields: Record<string, string>, cookie?: string) {
  return shopperRequest(path, {
    method: "POST",
    cookie,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

let savedEnvironment: Record<string, string | undefined> = {};

beforeEach(() => {
  savedEnvironment = { ...process.env };
});

afterEach(() => {
  for (const name of Object.keys(process.env)) {
    if (!(name in savedEnvironment)) delete process.env[name];
  }
  Object.assign(process.env, savedEnvironment);
  unconfigureClerk();
  resetEnvForTests();
});

describe("the demo identity (no Clerk keys, not production)", () => {
  it("sends /sign-up and /sign-in to the demo identity's form, keeping the query", async () => {
    // GIVEN no Clerk keys, outside production (the test environment)
    for (const [loader, path, form] of [
      [signUpLoader, "/sign-up", "/demo/sign-up"],
      [
        signInLoader,
        "/sign-in?redirect_url=%2Fauth%2Fcomplete",
        "/demo/sign-in?redirect_url=%2Fauth%2Fcomplete",
      ],
    ] as const) {
      // WHEN the page of the site is requested
      const response = (await run(() =>
        loader({ request: shopperRequest(path), params: { "*": "" }, context: {} }),
      )) as Response;
      // THEN the browser is sent to the local form
      expect(response.status, path).toBe(302);
      expect(response.headers.get("location")).toBe(form);
    }
  });

  it("offers the demo sign-up form naming the active store of the referral, never its code", async () => {
    // GIVEN a store's referral cookie, and one of a code no store has
    const store = await createTestStore();
    const formFor = async (cookie: string) =>
      (
        (await demoSignUpLoader({
          request: shopperRequest("/demo/sign-up", { cookie }),
          params: {},
          context: {},
        })) as Response
      ).json();
    // THEN the form names the store, and nothing for the unknown code
    expect(await formFor(`ref=${store.referralCode}`)).toEqual({
      mode: "demo",
      storeName: store.name,
    });
    expect(await formFor("ref=store-chen-well-a1b2")).toEqual({ mode: "demo", storeName: null });
  });

  it("sends a signed-in user opening /sign-up on to the post-signup page", async () => {
    // GIVEN a shopper who signed up with the demo form
    const signedUp = (await run(() =>
      demoSignUpAction({
        request: formRequest("/demo/sign-up", { email: uniqueEmail() }),
        params: {},
        context: {},
      }),
    )) as Response;
    // WHEN they open /sign-up again, signed in
    const again = (await run(() =>
      signUpLoader({
        request: shopperRequest("/sign-up", { cookie: cookieHeaderAfter(signedUp, "") }),
        params: { "*": "" },
        context: {},
      }),
    )) as Response;
    // THEN they go on to the post-signup page, not the form
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/welcome");
  });

  it("signs a shopper up and runs the same attribution as Clerk through /auth/complete", async () => {
    // GIVEN a shopper who followed a store's link
    const store = await createTestStore();
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    const email = uniqueEmail();
    // WHEN they sign up with the demo form
    const signedUp = (await run(() =>
      demoSignUpAction({
        request: formRequest("/demo/sign-up", { email }, referralCookies),
        params: {},
        context: {},
      }),
    )) as Response;
    // THEN a demo user exists (with the code as unsafe metadata) and a signed session is set
    expect(signedUp.status).toBe(302);
    expect(signedUp.headers.get("location")).toBe("/auth/complete");
    const session = setCookiesOf(signedUp)[0]!;
    expect(session.name).toBe("demo_session");
    expect(session.attributes).toEqual([
      "Max-Age=604800",
      "Path=/",
      "HttpOnly",
      "SameSite=Lax",
      "Secure",
    ]);
    const user = await db.prisma.demoUser.findUniqueOrThrow({ where: { email } });
    expect(user.id).toMatch(/^demo_user_[0-9a-f]{24}$/);
    expect(user.unsafeMetadata).toEqual({ referral_code: store.referralCode });
    // WHEN the browser follows the redirect
    const landed = await completeSignup(cookieHeaderAfter(signedUp, referralCookies));
    // THEN the signup is attributed as with Clerk: metadata, the click row, both events
    expect(landed.headers.get("location")).toBe("/welcome");
    const after = await db.prisma.demoUser.findUniqueOrThrow({ where: { email } });
    expect(after.publicMetadata).toEqual({ referral_source: store.referralCode });
    const rows = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(rows.map((row) => [row.status, row.referredUserId])).toEqual([["signed_up", user.id]]);
    expect(
      (await posthog.received((event) => event.distinctId === user.id)).map(({ event }) => event),
    ).toEqual(["REFERRAL_SIGNUP_COMPLETED", "STORE_REFERRAL_SIGNUP"]);
  });

  it("runs the sign-up quality checks on the demo form's e-mail, as on Clerk's", async () => {
    // GIVEN a store whose owner's address is known, and a shopper who followed its link
    const store = await createTestStore({ ownerEmail: "owner@chen-wellness.example" });
    const referralCookies = await cookiesAfterFollowing(store.referralCode);
    // WHEN the owner signs up through the demo form with their own address
    const signedUp = (await run(() =>
      demoSignUpAction({
        request: formRequest(
          "/demo/sign-up",
          { email: "Owner@Chen-Wellness.example" },
          referralCookies,
        ),
        params: {},
        context: {},
      }),
    )) as Response;
    const landed = await completeSignup(cookieHeaderAfter(signedUp, referralCookies));
    // THEN they land signed up, attributed, and the sign-up is flagged as a self-referral
    expect(landed.headers.get("location")).toBe("/welcome");
    const [row] = await db.prisma.storeReferral.findMany({ where: { storeId: store.id } });
    expect(row).toMatchObject({
      status: "signed_up",
      review: "flagged",
      flagReasons: ["self_referral_email"],
      checksNotRun: [],
    });
  });

  it("answers 400 to an invalid e-mail and creates nobody", async () => {
    const response = (await demoSignUpAction({
      request: formRequest("/demo/sign-up", { email: "not-an-email" }),
      params: {},
      context: {},
    })) as Response;
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "Enter a valid e-mail address." });
    expect(await db.prisma.demoUser.count({ where: { email: "not-an-email" } })).toBe(0);
  });

  it("signs an existing demo user in, and refuses an unknown e-mail", async () => {
    const email = uniqueEmail();
    await run(() =>
      demoSignUpAction({
        request: formRequest("/demo/sign-up", { email }),
        params: {},
        context: {},
      }),
    );
    const signedIn = (await run(() =>
      demoSignInAction({
        request: formRequest("/demo/sign-in", { email }),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(signedIn.headers.get("location")).toBe("/welcome");
    expect(setCookiesOf(signedIn)[0]!.name).toBe("demo_session");
    const unknown = (await demoSignInAction({
      request: formRequest("/demo/sign-in", { email: uniqueEmail() }),
      params: {},
      context: {},
    })) as Response;
    expect(unknown.status).toBe(400);
  });

  it("does not take a forged demo session for a signed-in user", async () => {
    const forged = signValue("click-cookie", "demo_user_000000000000000000000000");
    const response = await completeSignup(`demo_session=${forged}; ref=friend-code`);
    expect(response.headers.get("location")).toBe("/sign-in?redirect_url=%2Fauth%2Fcomplete");
  });
});

describe("with Clerk", () => {
  it("renders Clerk's sign-up with its state and the referral code for the unsafe metadata", async () => {
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    const referralCookies = await cookiesAfterFollowing((await createTestStore()).referralCode);
    const response = (await signUpLoader({
      request: shopperRequest("/sign-up", { cookie: referralCookies }),
      params: { "*": "" },
      context: {},
    })) as Response;
    const data = (await response.json()) as Record<string, unknown> & {
      clerkState: { __internal_clerk_state: Record<string, unknown> };
    };
    expect(data).toMatchObject({
      mode: "clerk",
      referralCode: expect.stringMatching(/^store-/),
      storeName: expect.stringMatching(/^Chen Wellness /),
      signedClickId: /ref_click=([^;]+)/.exec(referralCookies)![1],
      afterSignInUrl: "/welcome",
    });
    expect(data.clerkState.__internal_clerk_state).toMatchObject({
      __publishableKey: TEST_CLERK_PUBLISHABLE_KEY,
      __signUpUrl: "/sign-up",
      __signInUrl: "/sign-in",
      __signUpForceRedirectUrl: "/auth/complete",
    });
  });

  it("renders Clerk's sign-up when another cookie of the site holds a malformed escape (%80)", async () => {
    // GIVEN Clerk, and a shopper's browser with a cookie Clerk cannot decode
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    const referralCookies = await cookiesAfterFollowing((await createTestStore()).referralCode);
    // WHEN the sign-up page loads
    const response = (await signUpLoader({
      request: shopperRequest("/sign-up", { cookie: `_tracker=%80; ${referralCookies}` }),
      params: { "*": "" },
      context: {},
    })) as Response;
    // THEN it renders Clerk's sign-up with the referral code (the odd cookie is ignored)
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      mode: "clerk",
      referralCode: expect.stringMatching(/^store-/),
    });
  });

  it("renders Clerk's sign-up, signed out, for a token that is not a JWT instead of a 500", async () => {
    // GIVEN Clerk, and three-part tokens that are not base64url JSON (found by fuzzing)
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    const malformed = [
      { path: "/sign-up", cookie: "ref=; ref_click=; __session=..; __client_uat=" },
      { path: "/sign-up", cookie: "__session=e30.bnVsbA.eA; __client_uat=1700000000" },
      { path: "/sign-up", cookie: "_ga=%3B__session%3D..; __client_uat=0" },
      { path: "/sign-up", headers: { authorization: "Bearer a.b.c" } },
    ];
    for (const { path, ...options } of malformed) {
      // WHEN the sign-up page loads
      const response = (await run(() =>
        signUpLoader({ request: shopperRequest(path, options), params: { "*": "" }, context: {} }),
      )) as Response;
      // THEN Clerk's sign-up renders as for a signed-out visitor
      expect(response.status, JSON.stringify(options)).toBe(200);
      expect(await response.json()).toMatchObject({ mode: "clerk", referralCode: null });
    }
  });

  it("renders Clerk's sign-in, never the demo form", async () => {
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    const response = (await signInLoader({
      request: shopperRequest("/sign-in"),
      params: { "*": "" },
      context: {},
    })) as Response;
    expect(await response.json()).toMatchObject({ mode: "clerk", afterSignInUrl: "/welcome" });
  });

  it("has no demo form: /demo/sign-up and /demo/sign-in answer 404", async () => {
    // GIVEN Clerk (a preview with Clerk keys uses Clerk, never the demo identity)
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
    for (const [loader, path] of [
      [demoSignUpLoader, "/demo/sign-up"],
      [demoSignInLoader, "/demo/sign-in"],
    ] as const) {
      // WHEN the demo form is requested
      const response = (await run(() =>
        loader({ request: shopperRequest(path), params: {}, context: {} }),
      )) as Response;
      // THEN it does not exist
      expect(response.status, path).toBe(404);
    }
  });
});

describe("in production", () => {
  function productionEnvironment() {
    Object.assign(process.env, {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "prod-key",
      SHOPIFY_API_SECRET: "prod-secret",
      APP_SECRET: "production-secret-that-is-long-enough-012345",
    });
    configureClerk({ apiUrl: "http://127.0.0.1:9" });
  }

  it("never offers the demo sign-up: the page is Clerk's", async () => {
    productionEnvironment();
    const response = (await signUpLoader({
      request: shopperRequest("/sign-up"),
      params: { "*": "" },
      context: {},
    })) as Response;
    expect(await response.json()).toMatchObject({ mode: "clerk" });
  });

  it("refuses a demo sign-up or sign-in post (405 on Clerk's pages, 404 on the demo's) and creates nobody", async () => {
    productionEnvironment();
    const email = uniqueEmail();
    for (const [action, path, status] of [
      [signUpAction, "/sign-up", 405],
      [signInAction, "/sign-in", 405],
      [demoSignUpAction, "/demo/sign-up", 404],
      [demoSignInAction, "/demo/sign-in", 404],
    ] as const) {
      const response = (await run(() =>
        action({ request: formRequest(path, { email }), params: {}, context: {} }),
      )) as Response;
      expect(response.status, path).toBe(status);
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect(await db.prisma.demoUser.count({ where: { email } })).toBe(0);
  });

  it("does not accept a demo session, even one signed with the app's secret", async () => {
    productionEnvironment();
    const demoUser = `demo_user_${"ab".repeat(12)}`;
    const response = await completeSignup(
      `demo_session=${signValue("demo-session", demoUser)}; ref=friend-code`,
    );
    expect(response.headers.get("location")).toBe("/sign-in?redirect_url=%2Fauth%2Fcomplete");
  });
});

describe("methods and bodies", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE"])(
    "answers %s on /sign-up and /sign-in with 405, Allow: GET, HEAD, in the error shape",
    async (method) => {
      for (const [action, path] of [
        [signUpAction, "/sign-up"],
        [signInAction, "/sign-in"],
      ] as const) {
        // WHEN the page is sent another method than GET or HEAD
        // (Remix sends every method but GET and HEAD to the action, whatever it declares.)
        const send = action as (args: ActionFunctionArgs) => never;
        const response = (await run(async () =>
          send({ request: shopperRequest(path, { method }), params: { "*": "" }, context: {} }),
        )) as Response;
        // THEN 405 naming the methods it takes
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get("allow")).toBe("GET, HEAD");
        expect(await response.json()).toEqual({
          error: { code: "method_not_allowed", message: "This page answers GET and HEAD only." },
        });
      }
    },
  );

  it("keeps the 405's Allow on the rendered page, and the page's own headers otherwise", async () => {
    const { headers } = await import("~/routes/sign-up.$");
    const parentHeaders = new Headers({ "x-frame-options": "DENY" });
    const withError = new Headers(
      headers({
        parentHeaders,
        loaderHeaders: new Headers(),
        actionHeaders: new Headers(),
        errorHeaders: new Headers({ allow: "GET, HEAD" }),
      }),
    );
    expect(withError.get("allow")).toBe("GET, HEAD");
    expect(withError.get("x-frame-options")).toBe("DENY");
    const plain = new Headers(
      headers({
        parentHeaders,
        loaderHeaders: new Headers(),
        actionHeaders: new Headers(),
        errorHeaders: undefined,
      }),
    );
    expect(plain.get("allow")).toBeNull();
  });

  it("answers a demo sign-up posted as JSON with 415 and a broken multipart one with 400", async () => {
    for (const [contentType, body, status] of [
      ["application/json", '{"email":"a@example.com"}', 415],
      ["text/plain", "email=a@example.com", 415],
      ["multipart/form-data; boundary=x", "--x\r\nbroken", 400],
    ] as const) {
      const response = (await run(() =>
        demoSignUpAction({
          request: shopperRequest("/demo/sign-up", {
            method: "POST",
            headers: { "content-type": contentType },
            body,
          }),
          params: {},
          context: {},
        }),
      )) as Response;
      expect(response.status, contentType).toBe(status);
      expect(await response.json()).toHaveProperty("error.code");
    }
    expect(await db.prisma.demoUser.count({ where: { email: "a@example.com" } })).toBe(0);
  });
});
