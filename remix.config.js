/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Tests live beside the code in __tests__ folders; they are never routes. Only app/routes/ is
  // scanned for flat routes: the demo's routes (app/demo/routes/) are declared below, nowhere else.
  ignoredRouteFiles: ["**/.*", "**/__tests__/**", "**/*.test.{ts,tsx}"],
  appDirectory: "app",
  // The local preview's own pages (docs/decisions/0009-local-admin-preview.md): they live with the
  // rest of the demo in app/demo/ and answer 404 outside a local preview (never in production).
  // Paths are the URLs; files are relative to appDirectory.
  routes: (defineRoutes) =>
    defineRoutes((route) => {
      route("demo/admin", "demo/routes/admin.tsx");
      route("demo/app-bridge.js", "demo/routes/app-bridge.ts");
      route("demo/session-token", "demo/routes/session-token.ts");
      route("demo/sign-up", "demo/routes/sign-up.tsx");
      route("demo/sign-in", "demo/routes/sign-in.tsx");
    }),
  serverModuleFormat: "esm",
  // Polaris locales are JSON (bundled, since Node 20 needs an import attribute to load JSON
  // modules).
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales\//],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
  // Development server port for live reload; the app itself listens on PORT (3000).
  dev: { port: 8002 },
};
