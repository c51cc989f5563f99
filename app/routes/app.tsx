// The embedded admin's layout: Polaris + App Bridge, the navigation menu, the store's status,
// and Shopify's error and header boundaries. Its loader makes sure the shop's store exists.
import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useMemo, useState } from "react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "~/styles/polaris.generated.css";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { Box } from "@shopify/polaris";

import { AdminErrorBoundary } from "~/components/AdminErrorBoundary";
import { DateFormatContext, resolveLocale, type DateFormatSettings } from "~/components/dates";
import { PageSkeleton } from "~/components/PageSkeleton";
import { StoreStatusBanner } from "~/components/StoreStatusBanner";
import { localPreview } from "~/demo/index.server";
import { getEnv } from "~/env.server";
import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, store } = await requireStoreAdmin(request);
  return {
    apiKey: getEnv().SHOPIFY_API_KEY,
    // Inside the local admin preview (development only) App Bridge is its local stand-in.
    appBridgeUrl: localPreview()?.appBridgeUrl(request, session.shop),
    store: { name: store.name, status: store.status, statusReason: store.statusReason },
    // Every page formats its dates with these, on the server and in the browser alike.
    dateFormat: {
      locale: resolveLocale(new URL(request.url), request.headers.get("accept-language")),
      timeZone: store.timeZone,
    } satisfies DateFormatSettings,
  };
}

export default function AdminLayout() {
  const { apiKey, appBridgeUrl, store, dateFormat } = useLoaderData<typeof loader>();
  // Shopify's `locale` is in the first document's URL only: later navigations keep its locale.
  const [locale] = useState(dateFormat.locale);
  const dates = useMemo(
    () => ({ locale, timeZone: dateFormat.timeZone }),
    [locale, dateFormat.timeZone],
  );
  const navigation = useNavigation();
  const location = useLocation();
  // Skeletons while another admin page loads (not for a form on the same page).
  const loadingOtherPage =
    navigation.state === "loading" && navigation.location.pathname !== location.pathname;

  return (
    <AppProvider isEmbeddedApp={!appBridgeUrl} apiKey={apiKey}>
      <DateFormatContext.Provider value={dates}>
        {/* The local admin preview loads its App Bridge stand-in in place of Shopify's script. */}
        {appBridgeUrl ? <script src={appBridgeUrl} data-api-key={apiKey} /> : null}
        <NavMenu>
          <Link to="/app" rel="home">
            Referrals
          </Link>
          <Link to="/app/performance">Performance</Link>
          <Link to="/app/referrals">Referral events</Link>
          <Link to="/app/kit">In-store kit</Link>
          <Link to="/app/settings">Settings</Link>
          <Link to="/app/api-keys">Integration API</Link>
          <Link to="/app/webhooks">Webhooks</Link>
        </NavMenu>
        {/* The page's main landmark (Shopify's admin around the frame has its own navigation). */}
        <main>
          {store.status !== "active" ? (
            // As wide as a Polaris Page, above every page of the admin.
            <div style={{ maxWidth: "62.375rem", margin: "0 auto" }}>
              <Box paddingBlockStart="400" paddingInline="400">
                <StoreStatusBanner status={store.status} statusReason={store.statusReason} />
              </Box>
            </div>
          ) : null}
          {loadingOtherPage ? <PageSkeleton /> : <Outlet />}
        </main>
      </DateFormatContext.Provider>
    </AppProvider>
  );
}

// Shopify's auth responses and the app's own errors (see AdminErrorBoundary); Shopify's header
// handling for embedded apps.
export const ErrorBoundary = AdminErrorBoundary;

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
