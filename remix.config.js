/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // Tests live beside the code in __tests__ folders; they are never routes.
  ignoredRouteFiles: ["**/.*", "**/__tests__/**", "**/*.test.{ts,tsx}"],
  appDirectory: "app",
  serverModuleFormat: "esm",
  // polaris-viz ships ESM that Node cannot load as is; Polaris locales are JSON (bundled, since
  // Node 20 needs an import attribute to load JSON modules).
  serverDependenciesToBundle: [
    /^@shopify\/polaris-viz/,
    /^@shopify\/polaris-viz-core/,
    /^@shopify\/polaris\/locales\//,
  ],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
  // Development server port for live reload; the app itself listens on PORT (3000).
  dev: { port: 8002 },
};
