// Journeys of a referred visitor up to the signup, through the real routes.
import { loader as completeSignupLoader } from "~/routes/auth.complete";
import { loader as referralLinkLoader } from "~/routes/r.$code";
import { cookieHeaderAfter, shopperRequest } from "~/test/shopper";

/** The Cookie header of a shopper who followed /r/<code> (the `ref` and `ref_click` cookies). */
export async function cookiesAfterFollowing(referralCode: string) {
  const response = await referralLinkLoader({
    request: shopperRequest(`/r/${referralCode}`),
    params: { code: referralCode },
    context: { clientAddress: "127.0.0.1" },
  });
  return cookieHeaderAfter(response);
}

/** GET /auth/complete with these cookies; a thrown Response (redirect) is returned. */
export async function completeSignup(cookie: string) {
  try {
    return await completeSignupLoader({
      request: shopperRequest("/auth/complete", {
        cookie,
        headers: { accept: "text/html" },
      }),
      params: {},
      context: {},
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
