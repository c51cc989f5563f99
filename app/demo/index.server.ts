// The gate: the one module of app/demo/ that production code may import, and the one call it
// makes, `localPreview()`. It is null unless env.demoFeaturesEnabled (never in production, see
// env.server.ts); otherwise it holds every hook production code has into the local preview and
// the demo. Each production file calls it in one place (docs/decisions/0009-local-admin-preview.md,
// "The gate"). The demo's own routes live in app/demo/routes/ (registered in remix.config.js) and
// answer 404 outside a local preview.
import type { AdminGraphqlClient } from "@shopify/shopify-app-remix/server";

import { standInAdminGraphql } from "~/demo/admin/admin-api-stand-in";
import {
  applyDemoAdminHeaders,
  demoAppBridgeUrl,
  isDemoAdminRequest,
} from "~/demo/admin/admin-preview.server";
import {
  DEMO_SIGN_IN_PATH,
  DEMO_SIGN_UP_PATH,
  demoIdentity,
} from "~/demo/identity/demo-identity.server";
import { prepareDemoRun, type DemoRun } from "~/demo/run.server";
import { getEnv } from "~/env.server";
import type { IdentityProvider } from "~/lib/signup/identity-provider";

export type { DemoRun };

export interface LocalPreview {
  /** The demo identity, for app/lib/signup/identity.server.ts when Clerk has no keys. */
  readonly identity: IdentityProvider;
  /**
   * Where /sign-up or /sign-in sends a visitor when Clerk has no keys: the demo identity's form
   * (the query kept).
   */
  identityFormUrl(page: "sign-up" | "sign-in", request: Request): string;
  /**
   * entry.server.tsx, after Shopify's document headers: the admin documents framed by
   * /demo/admin may be framed by this origin, and none of the preview's pages preloads Shopify's
   * App Bridge script (a no-op unless env.demoAdminEnabled).
   */
  applyDocumentHeaders(request: Request, headers: Headers): void;
  /**
   * The admin layout (app/routes/app.tsx): the App Bridge stand-in's URL for an admin document
   * framed by /demo/admin; otherwise undefined (Shopify's own script).
   */
  appBridgeUrl(request: Request, shopDomain: string): string | undefined;
  /**
   * app/lib/shopify/admin-context.server.ts: for an admin request framed by /demo/admin, a local
   * stand-in for the Admin GraphQL operations the app uses (a demo shop has no Admin API on the
   * internet); otherwise undefined (the shop's real Admin API).
   */
  adminGraphql(request: Request, shopDomain: string): AdminGraphqlClient | undefined;
  /**
   * app/server/main.ts, through entry.server.tsx, for `npm run demo`: prepares the demo data
   * (logging its progress) and returns the guide to print once the server listens.
   */
  prepareDemo(options: { log(message: string): void }): Promise<DemoRun>;
}

const IDENTITY_FORMS = { "sign-up": DEMO_SIGN_UP_PATH, "sign-in": DEMO_SIGN_IN_PATH } as const;

const preview: LocalPreview = {
  identity: demoIdentity,
  identityFormUrl: (page, request) => `${IDENTITY_FORMS[page]}${new URL(request.url).search}`,
  applyDocumentHeaders: applyDemoAdminHeaders,
  appBridgeUrl: demoAppBridgeUrl,
  adminGraphql: (request, shopDomain) =>
    isDemoAdminRequest(request) ? standInAdminGraphql(shopDomain) : undefined,
  prepareDemo: prepareDemoRun,
};

/** The local preview's hooks, or null: always null in production. */
export function localPreview(): LocalPreview | null {
  return getEnv().demoFeaturesEnabled ? preview : null;
}
