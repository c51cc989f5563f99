// The local stand-in for the Shopify admin (`npm run demo`, development only; see
// docs/decisions/0009-local-admin-preview.md). /demo/admin frames the embedded admin the way
// Shopify's admin does, mints its session tokens and serves a stand-in for the App Bridge script.
// Everything here answers 404 unless env.demoAdminEnabled: never in production, never with the
// app's real Shopify secret.
import { createHmac, randomUUID } from "node:crypto";

import { parse as parseCookies, serialize as serializeCookie } from "cookie";
import { z } from "zod";

import { DEMO_SHOP_DOMAIN } from "~/demo/models/demo-store.server";
import { getEnv } from "~/env.server";
import { badRequest, errorResponse } from "~/lib/infra/http-errors.server";
import { hasOfflineSession } from "~/models/session.server";

export const DEMO_APP_BRIDGE_PATH = "/demo/app-bridge.js";
export const DEMO_SESSION_TOKEN_PATH = "/demo/session-token";

/** Shopify's session tokens live one minute; App Bridge fetches a new one when needed. */
const SESSION_TOKEN_LIFETIME_SECONDS = 60;

// Set by /demo/admin. SameSite=Strict: a browser never sends it to a frame inside another site
// (admin.shopify.com), so the real admin never gets the stand-in; it is sent with every document
// and data request of the admin framed by /demo/admin (same site), so the choice is stable.
const PREVIEW_COOKIE = "store_referrals_admin_preview";

export const shopDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "a shop domain like your-shop.myshopify.com");

const previewQuery = z.object({
  shop: shopDomainSchema.default(DEMO_SHOP_DOMAIN),
  path: z.string().max(2048).optional(),
});

/** The query of /demo/admin: the shop to preview (the demo store by default) and the admin path. */
export function parseDemoAdminQuery(searchParams: URLSearchParams) {
  const query = previewQuery.safeParse({
    shop: searchParams.get("shop") ?? undefined,
    path: searchParams.get("path") ?? undefined,
  });
  if (!query.success) {
    throw new Response("shop must be a shop domain like your-shop.myshopify.com.", {
      status: 400,
    });
  }
  return { shopDomain: query.data.shop, path: adminPath(query.data.path) };
}

const shopQuery = z.object({ shop: shopDomainSchema });

/** The `shop` query parameter of the preview's script and token routes; a 400 when malformed. */
export function requireShopQuery(request: Request): string {
  const query = shopQuery.safeParse({ shop: new URL(request.url).searchParams.get("shop") });
  if (!query.success) throw badRequest("shop must be a shop domain like your-shop.myshopify.com.");
  return query.data.shop;
}

/** Throws a 404 unless the local admin stand-in is available (a demo route must not exist otherwise). */
export function requireDemoAdmin(): void {
  if (!getEnv().demoAdminEnabled) {
    throw new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  }
}

/**
 * The shop to preview: one installed in this database (it has an offline session, as the demo
 * store does), otherwise a 404 naming it.
 */
export async function requireDemoShop(shopDomain: string): Promise<void> {
  if (await hasOfflineSession({ shopDomain })) return;
  throw errorResponse(
    404,
    "not_found",
    `No shop ${shopDomain} is installed in this local database.`,
  );
}

/** The Set-Cookie header of /demo/admin that marks the admin documents it frames. */
export function demoAdminPreviewCookie(): string {
  return serializeCookie(PREVIEW_COOKIE, "1", { path: "/", httpOnly: true, sameSite: "strict" });
}

/** True for a request of the embedded admin framed by /demo/admin (and only when available). */
export function isDemoAdminRequest(request: Request): boolean {
  if (!getEnv().demoAdminEnabled) return false;
  return parseCookies(request.headers.get("cookie") ?? "")[PREVIEW_COOKIE] === "1";
}

/**
 * The App Bridge script the admin layout loads: the local stand-in inside /demo/admin, otherwise
 * undefined (Shopify's own script from its CDN).
 */
export function demoAppBridgeUrl(request: Request, shopDomain: string): string | undefined {
  if (!isDemoAdminRequest(request)) return undefined;
  return `${DEMO_APP_BRIDGE_PATH}?${new URLSearchParams({ shop: shopDomain })}`;
}

/**
 * Shopify's document headers preload App Bridge from its CDN whenever a URL names a shop, and let
 * only the shop's admin frame the app. Neither the preview page nor the admin documents it frames
 * load that script, and those documents may be framed by this origin.
 */
export function applyDemoAdminHeaders(request: Request, headers: Headers): void {
  if (!getEnv().demoAdminEnabled) return;
  const framed = isDemoAdminRequest(request);
  if (!framed && !new URL(request.url).pathname.startsWith("/demo/")) return;
  headers.delete("Link");
  if (framed) headers.set("Content-Security-Policy", "frame-ancestors 'self';");
}

function base64url(value: string | Buffer) {
  return Buffer.from(value).toString("base64url");
}

/**
 * A session token for the shop, as Shopify's admin issues them (HS256, signed with the app's
 * secret, which here is the built-in demo value).
 */
export function mintSessionToken({
  shopDomain,
  now = new Date(),
}: {
  shopDomain: string;
  now?: Date;
}): { token: string; expiresAt: Date } {
  const env = getEnv();
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + SESSION_TOKEN_LIFETIME_SECONDS;
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shopDomain}/admin`,
      dest: `https://${shopDomain}`,
      aud: env.SHOPIFY_API_KEY,
      sub: "1",
      exp: expiresAt,
      nbf: issuedAt,
      iat: issuedAt,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", env.SHOPIFY_API_SECRET)
    .update(`${header}.${payload}`)
    .digest("base64url");
  return { token: `${header}.${payload}.${signature}`, expiresAt: new Date(expiresAt * 1000) };
}

/** The `host` parameter Shopify's admin passes to embedded apps (base64 of the admin's address). */
export function adminHostParam(shopDomain: string): string {
  return base64url(`admin.shopify.com/store/${shopDomain.replace(/\.myshopify\.com$/, "")}`);
}

// Parameters the admin adds to each document load; a requested path never sets them itself.
const ADMIN_PARAMS = ["embedded", "shop", "host", "id_token", "hmac", "session", "timestamp"];

/**
 * A path inside the embedded admin (`/app` or below, with its query), from an untrusted value.
 * Anything else (another origin, another part of the app) gives `/app`.
 */
export function adminPath(requested: string | null | undefined): string {
  const origin = "http://admin.invalid";
  let url: URL;
  try {
    url = new URL(requested || "/app", origin);
  } catch {
    return "/app";
  }
  if (url.origin !== origin || !/^\/app(\/|$)/.test(url.pathname)) return "/app";
  for (const name of ADMIN_PARAMS) url.searchParams.delete(name);
  return `${url.pathname}${url.search}`;
}

/** The URL Shopify's admin would load in its iframe: the path with embedded, shop, host and id_token. */
export function adminFrameUrl({ shopDomain, path }: { shopDomain: string; path: string }): string {
  const url = new URL(adminPath(path), "http://admin.invalid");
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shopDomain);
  url.searchParams.set("host", adminHostParam(shopDomain));
  url.searchParams.set("id_token", mintSessionToken({ shopDomain }).token);
  return `${url.pathname}${url.search}`;
}
