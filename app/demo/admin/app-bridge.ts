// The stand-in for Shopify's App Bridge script inside the local admin preview (/demo/admin;
// development only, see docs/decisions/0009-local-admin-preview.md). It provides what the admin
// pages use from App Bridge, the way App Bridge does it:
// - `window.shopify`: idToken() (session tokens from /demo/session-token), toast.show(),
//   config, environment;
// - the fetch patch: same-origin fetches (Remix navigations, forms, fetchers) carry
//   `Authorization: Bearer <session token>`, retried once with a new token when the server asks;
// - `<ui-nav-menu>`: its links are sent to /demo/admin, which shows them as the admin's
//   navigation and asks back for `shopify:navigate` events when one is clicked.
// It talks to /demo/admin (same origin) with postMessage. The function below runs in the
// browser: it is sent as its source text, so it must not use anything from outside its body.

export const DEMO_ADMIN_PATH = "/demo/admin";

/** Messages between the admin frame and /demo/admin. */
export const DEMO_ADMIN_MESSAGE_SOURCE = "store-referrals-demo-admin";

export interface DemoNavItem {
  href: string;
  label: string;
  home: boolean;
}

export type FrameMessage = { source: typeof DEMO_ADMIN_MESSAGE_SOURCE } & (
  | { type: "nav-menu"; items: DemoNavItem[] }
  | { type: "location"; path: string }
  | { type: "toast"; message: string; isError: boolean; duration: number }
  // The app listens for shopify:navigate (it has hydrated): the admin's navigation can drive it.
  | { type: "ready"; ready: boolean }
);

export type OuterMessageBody = { type: "navigate"; href: string } | { type: "hello" };

interface StandInOptions {
  messageSource: string;
  shopDomain: string;
  apiKey: string;
  sessionTokenPath: string;
}

function installAppBridgeStandIn(options: StandInOptions) {
  const { messageSource, shopDomain, apiKey, sessionTokenPath } = options;
  const originalFetch = window.fetch.bind(window);
  const addWindowListener = window.addEventListener.bind(window);
  const hiddenParams = ["embedded", "shop", "host", "id_token", "hmac", "session", "timestamp"];

  function tell(message: Record<string, unknown>) {
    if (window.parent === window) return;
    window.parent.postMessage({ source: messageSource, ...message }, window.location.origin);
  }

  // Session tokens: one at a time, reused until ten seconds before they expire.
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<string> | null = null;
  function idToken({ fresh = false } = {}): Promise<string> {
    if (!fresh && cached && cached.expiresAt - Date.now() > 10_000) {
      return Promise.resolve(cached.token);
    }
    pending ??= originalFetch(`${sessionTokenPath}?shop=${encodeURIComponent(shopDomain)}`, {
      cache: "no-store",
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`No session token (${response.status})`);
        const body = (await response.json()) as { token: string; expires_at: string };
        cached = { token: body.token, expiresAt: Date.parse(body.expires_at) };
        return body.token;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  // App Bridge adds the session token to the app's own fetches.
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (
      url.origin !== window.location.origin ||
      url.pathname.startsWith("/demo/") ||
      request.headers.has("Authorization")
    ) {
      return originalFetch(request);
    }
    const send = (token: string) => {
      const headers = new Headers(request.headers);
      headers.set("Authorization", `Bearer ${token}`);
      return originalFetch(new Request(request.clone(), { headers }));
    };
    const response = await send(await idToken());
    // shopify-app-remix asks for a retry with a new token when the one it got was not valid.
    if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") === "1") {
      return send(await idToken({ fresh: true }));
    }
    return response;
  };

  let toastCount = 0;
  const shopify = {
    config: { apiKey, shop: shopDomain, host: null, locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    origin: window.location.origin,
    idToken: () => idToken(),
    toast: {
      show(message: string, opts: { isError?: boolean; duration?: number } = {}) {
        toastCount += 1;
        tell({
          type: "toast",
          message,
          isError: Boolean(opts.isError),
          duration: opts.duration ?? 5000,
        });
        return `toast-${toastCount}`;
      },
      hide() {},
    },
    // The admin's loading bar is not shown in the preview.
    loading() {},
  };
  Object.defineProperty(window, "shopify", { value: shopify, configurable: true });

  // <ui-nav-menu>: hidden in the app's document, its links shown by /demo/admin.
  function navMenuItems() {
    const menu = document.querySelector("ui-nav-menu");
    if (!menu) return [];
    return Array.from(menu.querySelectorAll("a[href]")).map((anchor) => ({
      href: anchor.getAttribute("href") ?? "",
      label: (anchor.textContent ?? "").trim(),
      home: anchor.getAttribute("rel") === "home",
    }));
  }
  function reportNavMenu() {
    tell({ type: "nav-menu", items: navMenuItems() });
  }
  if (!customElements.get("ui-nav-menu")) {
    customElements.define(
      "ui-nav-menu",
      class extends HTMLElement {
        connectedCallback() {
          this.style.display = "none";
          new MutationObserver(reportNavMenu).observe(this, {
            subtree: true,
            childList: true,
            attributes: true,
            characterData: true,
          });
          reportNavMenu();
        }
      },
    );
  }

  // The address the admin shows: the app's path without the parameters the admin adds.
  function reportLocation() {
    const url = new URL(window.location.href);
    for (const name of hiddenParams) url.searchParams.delete(name);
    tell({ type: "location", path: `${url.pathname}${url.search}` });
  }
  for (const method of ["pushState", "replaceState"] as const) {
    const original = history[method].bind(history);
    history[method] = (...args: Parameters<History["pushState"]>) => {
      original(...args);
      reportLocation();
    };
  }
  addWindowListener("popstate", reportLocation);

  // The app is ready to be navigated once its AppProvider listens for shopify:navigate.
  let navigationReady = false;
  window.addEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject,
    listenerOptions?: boolean | AddEventListenerOptions,
  ) => {
    addWindowListener(type, listener, listenerOptions);
    if (type === "shopify:navigate" && !navigationReady) {
      navigationReady = true;
      tell({ type: "ready", ready: true });
    }
  };

  // The admin's navigation was clicked: App Bridge dispatches shopify:navigate on the menu's link
  // (the app's AppProvider listens for it and navigates with Remix).
  addWindowListener("message", (event: MessageEvent) => {
    if (event.origin !== window.location.origin || event.source !== window.parent) return;
    const message = event.data as { source?: string; type?: string; href?: string };
    if (message?.source !== messageSource) return;
    if (message.type === "hello") {
      reportNavMenu();
      reportLocation();
      tell({ type: "ready", ready: navigationReady });
    } else if (message.type === "navigate" && typeof message.href === "string") {
      const menuLink = Array.from(document.querySelectorAll("ui-nav-menu a[href]")).find(
        (anchor) => anchor.getAttribute("href") === message.href,
      );
      const target = menuLink ?? document.createElement("a");
      if (!menuLink) {
        target.setAttribute("href", message.href);
        target.setAttribute("hidden", "");
        document.body.append(target);
      }
      target.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
      if (!menuLink) target.remove();
    }
  });

  reportLocation();
}

/** The stand-in's source, configured for one shop. */
export function demoAppBridgeScript({
  shopDomain,
  apiKey,
  sessionTokenPath,
}: {
  shopDomain: string;
  apiKey: string;
  sessionTokenPath: string;
}): string {
  const options: StandInOptions = {
    messageSource: DEMO_ADMIN_MESSAGE_SOURCE,
    shopDomain,
    apiKey,
    sessionTokenPath,
  };
  return [
    "// Local preview only: a stand-in for Shopify's App Bridge (see /demo/admin).",
    `(${installAppBridgeStandIn.toString()})(${JSON.stringify(options)});`,
    "",
  ].join("\n");
}
