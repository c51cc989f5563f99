import { describe, expect, it } from "vitest";

import { isBotUserAgent } from "~/lib/referral-links/bot.server";
import { BROWSER_USER_AGENT, INSTAGRAM_IN_APP_USER_AGENT } from "~/test/shopper";

describe("isBotUserAgent", () => {
  it.each([
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "WhatsApp/2.23.20.0 A",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15 (Applebot/0.1)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.4.0",
  ])("takes %s for a bot", (userAgent) => {
    expect(isBotUserAgent(userAgent)).toBe(true);
  });

  it("takes a request without a user agent for a script", () => {
    expect(isBotUserAgent(null)).toBe(true);
    expect(isBotUserAgent("")).toBe(true);
  });

  it.each([
    ["Instagram's in-app browser (iOS)", INSTAGRAM_IN_APP_USER_AGENT],
    [
      "Instagram's in-app browser (Android)",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UD1A.230803.041; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Instagram 308.0.0.36.109 Android",
    ],
    [
      "Facebook's in-app browser",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone13,2;FBMD/iPhone;FBSN/iOS;FBSV/16.0;FBSS/3]",
    ],
    ["a desktop browser", BROWSER_USER_AGENT],
  ])("takes %s for a person", (_, userAgent) => {
    expect(isBotUserAgent(userAgent)).toBe(false);
  });
});
