// The local stand-in for the Shopify admin (`npm run demo`; development only, 404 otherwise):
// a page that says it is a local preview, frames the embedded admin as Shopify's admin does
// (/app?embedded=1&shop=…&host=…&id_token=…), shows the app's <ui-nav-menu> links as its
// navigation and the app's toasts. The App Bridge stand-in inside the frame talks to it.
import {
  json,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type MouseEvent } from "react";

import {
  adminFrameUrl,
  demoAdminPreviewCookie,
  parseDemoAdminQuery,
  requireDemoAdmin,
  requireDemoShop,
} from "~/demo/admin/admin-preview.server";
import {
  DEMO_ADMIN_MESSAGE_SOURCE,
  DEMO_ADMIN_PATH,
  type DemoNavItem,
  type FrameMessage,
  type OuterMessageBody,
} from "~/demo/admin/app-bridge";
import { getStoreByShop } from "~/models/store.server";
import styles from "~/demo/admin/demo-admin.css";

export const meta: MetaFunction = () => [
  { title: "Store Referrals — local admin preview (not Shopify)" },
  { name: "robots", content: "noindex" },
];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  requireDemoAdmin();
  const { shopDomain, path } = parseDemoAdminQuery(new URL(request.url).searchParams);
  await requireDemoShop(shopDomain);
  const store = await getStoreByShop({ shopDomain });
  return json(
    {
      shopDomain,
      storeName: store?.name ?? shopDomain,
      path,
      frameUrl: adminFrameUrl({ shopDomain, path }),
    },
    // The frame URL carries a session token: never cached.
    { headers: { "set-cookie": demoAdminPreviewCookie(), "cache-control": "no-store" } },
  );
}

interface ShownToast {
  id: number;
  message: string;
  isError: boolean;
}

function pathnameOf(path: string) {
  return path.split("?")[0] ?? path;
}

function isCurrent(item: DemoNavItem, path: string) {
  const current = pathnameOf(path);
  const target = pathnameOf(item.href);
  return item.home ? current === target : current === target || current.startsWith(`${target}/`);
}

export default function DemoAdmin() {
  const { shopDomain, storeName, path: initialPath, frameUrl } = useLoaderData<typeof loader>();
  const frameRef = useRef<HTMLIFrameElement>(null);
  const [navItems, setNavItems] = useState<DemoNavItem[]>([]);
  const [path, setPath] = useState(initialPath);
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  // True once the app in the frame has hydrated and follows the navigation.
  const [appReady, setAppReady] = useState(false);

  const previewUrl = useCallback(
    (adminPathValue: string) =>
      `${DEMO_ADMIN_PATH}?${new URLSearchParams({ shop: shopDomain, path: adminPathValue })}`,
    [shopDomain],
  );

  const tellFrame = useCallback((message: OuterMessageBody) => {
    frameRef.current?.contentWindow?.postMessage(
      { source: DEMO_ADMIN_MESSAGE_SOURCE, ...message },
      window.location.origin,
    );
  }, []);

  useEffect(() => {
    let nextToastId = 0;
    function onMessage(event: MessageEvent) {
      if (event.origin !== window.location.origin) return;
      if (event.source !== frameRef.current?.contentWindow) return;
      const message = event.data as FrameMessage;
      if (message?.source !== DEMO_ADMIN_MESSAGE_SOURCE) return;
      if (message.type === "nav-menu") {
        setNavItems(message.items);
      } else if (message.type === "location") {
        setPath(message.path);
        // The address bar follows the app, so a reload opens the same page (Remix's state kept).
        window.history.replaceState(window.history.state, "", previewUrl(message.path));
      } else if (message.type === "ready") {
        setAppReady(message.ready);
      } else if (message.type === "toast") {
        const id = ++nextToastId;
        setToasts((shown) => [
          ...shown,
          { id, message: message.message, isError: message.isError },
        ]);
        setTimeout(
          () => setToasts((shown) => shown.filter((toast) => toast.id !== id)),
          message.duration,
        );
      }
    }
    window.addEventListener("message", onMessage);
    // The frame may have loaded before this page was interactive: ask for its menu again.
    tellFrame({ type: "hello" });
    return () => window.removeEventListener("message", onMessage);
  }, [previewUrl, tellFrame]);

  // A document load inside the frame without a token lands on Shopify's bounce page, which waits
  // for App Bridge from Shopify's CDN: reopen that page through the preview instead.
  function onFrameLoad() {
    let frameLocation: Location | undefined;
    try {
      frameLocation = frameRef.current?.contentWindow?.location;
    } catch {
      return;
    }
    if (frameLocation?.pathname === "/auth/session-token") {
      const reload = new URLSearchParams(frameLocation.search).get("shopify-reload");
      const target = reload ? new URL(reload, window.location.origin) : null;
      window.location.assign(previewUrl(target ? `${target.pathname}${target.search}` : "/app"));
      return;
    }
    setAppReady(false);
    tellFrame({ type: "hello" });
  }

  // Before the app can follow, the link itself reopens the preview on that page.
  function navigate(event: MouseEvent<HTMLAnchorElement>, href: string) {
    if (!appReady) return;
    event.preventDefault();
    tellFrame({ type: "navigate", href });
  }

  const home = navItems.find((item) => item.home);
  const pages = navItems.filter((item) => !item.home);

  return (
    <div className="demo-admin">
      <p className="demo-admin__notice" role="note">
        <strong>Local preview — not the Shopify admin.</strong> Development only: this page stands
        in for Shopify&apos;s admin so the app can be tried offline. Production answers 404 here.
      </p>
      <header className="demo-admin__topbar">
        <span className="demo-admin__brand">Store Referrals · admin preview</span>
        <span className="demo-admin__shop">
          {storeName} <span className="demo-admin__domain">{shopDomain}</span>
        </span>
      </header>
      <div className="demo-admin__body">
        <nav className="demo-admin__nav" aria-label="App navigation">
          <a
            className="demo-admin__app"
            href={previewUrl(home?.href ?? "/app")}
            aria-current={home && isCurrent(home, path) ? "page" : undefined}
            onClick={(event) => navigate(event, home?.href ?? "/app")}
          >
            Store Referrals
          </a>
          <ul>
            {pages.map((item) => (
              <li key={item.href}>
                <a
                  href={previewUrl(item.href)}
                  aria-current={isCurrent(item, path) ? "page" : undefined}
                  onClick={(event) => navigate(event, item.href)}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
          <p className="demo-admin__limits">
            Not emulated: Shopify sign-in and billing. Shopify&apos;s Admin API is a local stand-in:
            the storefront block&apos;s link is kept until the demo stops.
          </p>
        </nav>
        <main className="demo-admin__main">
          <iframe
            ref={frameRef}
            name="app-iframe"
            title="Store Referrals"
            src={frameUrl}
            allow="clipboard-read; clipboard-write"
            data-app-ready={appReady}
            onLoad={onFrameLoad}
          />
        </main>
      </div>
      <div className="demo-admin__toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={`demo-admin__toast${toast.isError ? " demo-admin__toast--error" : ""}`}
          >
            {toast.message}
          </div>
        ))}
      </div>
    </div>
  );
}

// Neutral on purpose: in production every demo route is a plain 404.
export function ErrorBoundary() {
  const error = useRouteError();
  if (!isRouteErrorResponse(error)) return <p>Something went wrong.</p>;
  const message =
    typeof error.data === "string"
      ? error.data
      : (error.data as { error?: { message?: string } } | null)?.error?.message;
  return (
    <main className="demo-admin__error">
      <h1>
        {error.status} {error.statusText}
      </h1>
      {message && message !== error.statusText ? <p>{message}</p> : null}
    </main>
  );
}
