// The one place that decides whether a request comes from a person. Bots, crawlers and the
// link-preview fetchers of social and chat apps get the same responses as people, but they are
// never counted as clicks and never get the referral cookie.
import { isbot } from "isbot";

// Preview fetchers named explicitly, so that a change in isbot's patterns cannot start counting
// them. In-app browsers (Instagram, Facebook's FBAN/FBAV) are people: their agents are not here.
const LINK_PREVIEW_AGENTS =
  /facebookexternalhit|facebookcatalog|meta-externalagent|twitterbot|slackbot|linkedinbot|whatsapp|discordbot|telegrambot|pinterest|redditbot|skypeuripreview|embedly|iframely|vkshare|applebot|google-pagerenderer|bingpreview|microsoftpreview|snap url preview/i;

// isbot's pattern costs a few microseconds per call and the same agents arrive again and again
// on the click path: remember recent answers, in a bounded map of short agents only.
const CACHE_LIMIT = 1000;
const CACHEABLE_LENGTH = 512;
const answers = new Map<string, boolean>();

/**
 * True for bots and link-preview fetchers, and for requests without a User-Agent (every browser
 * sends one; a request without it is a script).
 */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
  if (!userAgent) return true;
  const known = answers.get(userAgent);
  if (known !== undefined) return known;
  const bot = LINK_PREVIEW_AGENTS.test(userAgent) || isbot(userAgent);
  if (userAgent.length <= CACHEABLE_LENGTH) {
    if (answers.size >= CACHE_LIMIT) answers.clear();
    answers.set(userAgent, bot);
  }
  return bot;
}
