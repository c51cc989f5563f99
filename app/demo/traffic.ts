// `npm run demo` shows bot filtering with real requests rather than seeded numbers (filtered
// visits leave no row to seed): once the server listens, a person and a few bots and link-preview
// fetchers follow the demo store's short link, and the guide prints what /metrics counted.

// The person's click is a real one in the demo store: its campaign says where it came from; its
// source and medium are the Instagram preset's (app/lib/referral-links/links.ts).
const DEMO_TRAFFIC_QUERY = "utm_source=instagram&utm_medium=social&utm_campaign=npm-run-demo";

interface DemoVisitor {
  who: string;
  method: "GET" | "HEAD";
  userAgent: string;
  /** The page the visitor came from (only its host is kept: the referring site). */
  referer?: string;
}

const DEMO_VISITORS: DemoVisitor[] = [
  {
    who: "Instagram's in-app browser",
    method: "GET",
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 613337123)",
    referer: "https://l.instagram.com/",
  },
  {
    who: "Facebook's link preview",
    method: "GET",
    userAgent: "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  },
  {
    who: "Slack's link preview",
    method: "GET",
    userAgent: "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  },
  { who: "WhatsApp's link preview", method: "GET", userAgent: "WhatsApp/2.24.6.77 A" },
  {
    who: "Googlebot",
    method: "GET",
    userAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  },
  {
    who: "a link checker's HEAD request",
    method: "HEAD",
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  },
];

export interface DemoTrafficReport {
  visitors: Array<{ who: string; gotCookie: boolean }>;
  /** Deltas of the process's counters over these requests, as /metrics reports them. */
  counted: number;
  notCounted: number;
  newClicks: number;
  alreadyCountedThisHour: number;
}

/** Sums of each `name{labels}` series in a Prometheus text exposition. */
function parseMetrics(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (match) series.set(match[1]!, Number(match[2]));
  }
  return series;
}

async function readMetrics(baseUrl: string) {
  const response = await fetch(`${baseUrl}/metrics`);
  return parseMetrics(await response.text());
}

export async function sendDemoLinkTraffic({
  baseUrl,
  referralCode,
}: {
  baseUrl: string;
  referralCode: string;
}): Promise<DemoTrafficReport> {
  const before = await readMetrics(baseUrl);
  const visitors: DemoTrafficReport["visitors"] = [];
  for (const visitor of DEMO_VISITORS) {
    const response = await fetch(`${baseUrl}/r/${referralCode}?${DEMO_TRAFFIC_QUERY}`, {
      method: visitor.method,
      headers: {
        "user-agent": visitor.userAgent,
        ...(visitor.referer ? { referer: visitor.referer } : {}),
      },
      redirect: "manual",
    });
    visitors.push({
      who: visitor.who,
      gotCookie: response.headers.getSetCookie().some((cookie) => cookie.startsWith("ref=")),
    });
  }
  const after = await readMetrics(baseUrl);
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  return {
    visitors,
    counted: delta('referral_link_visits_total{outcome="recorded"}'),
    notCounted: delta('referral_link_visits_total{outcome="not_a_person"}'),
    newClicks: delta("referral_clicks_recorded_total"),
    alreadyCountedThisHour: delta("referral_clicks_deduplicated_total"),
  };
}

export function describeDemoTraffic(report: DemoTrafficReport, shortLink: string): string[] {
  const who = (gotCookie: boolean) =>
    report.visitors
      .filter((visitor) => visitor.gotCookie === gotCookie)
      .map((visitor) => visitor.who)
      .join(", ") || "none";
  const repeated =
    report.alreadyCountedThisHour > 0
      ? ` (${report.alreadyCountedThisHour} already counted this hour: one click per visitor and hour)`
      : "";
  return [
    `Bots are not counted. Just now ${report.visitors.length} visitors followed ${shortLink}; GET /metrics says:`,
    `  ${report.counted} counted as a person, ${report.newClicks} new click${report.newClicks === 1 ? "" : "s"}${repeated}: ${who(true)}`,
    `  ${report.notCounted} not counted (same redirect, no cookie): ${who(false)}`,
  ];
}
