// A Remix ServerBuild made of the app's own entry and route modules, for tests that render real
// documents and data requests through Remix's request handler without building the app.
import type { ServerBuild } from "@remix-run/node";

import * as entry from "~/entry.server";

export interface TestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: Record<string, unknown>;
}

export function testServerBuild(routes: Record<string, TestRoute>): ServerBuild {
  return {
    mode: "production",
    entry: { module: entry as unknown as ServerBuild["entry"]["module"] },
    routes: routes as unknown as ServerBuild["routes"],
    assets: {
      entry: { module: "/build/entry.client.js", imports: [] },
      routes: Object.fromEntries(
        Object.values(routes).map((route) => [
          route.id,
          {
            id: route.id,
            parentId: route.parentId,
            path: route.path,
            index: route.index,
            module: `/build/${route.id}.js`,
            imports: [],
            hasAction: "action" in route.module,
            hasLoader: "loader" in route.module,
            hasClientAction: false,
            hasClientLoader: false,
            hasErrorBoundary: false,
          },
        ]),
      ),
      url: "/build/manifest-test.js",
      version: "test",
    },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: {
      v3_fetcherPersist: true,
      v3_relativeSplatPath: true,
      v3_throwAbortReason: true,
      v3_lazyRouteDiscovery: true,
    } as ServerBuild["future"],
    isSpaMode: false,
  };
}
