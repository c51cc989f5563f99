// A plain storefront page on loopback, with and without the referral block, for Lighthouse:
//   /             the page alone
//   /with-block   the same page with the block (schema defaults, link published) and its stylesheet
// The stylesheet is served as Shopify's CDN serves theme assets: cacheable, its own request.
import http from "node:http";

import {
  readReferralBlockStylesheet,
  renderReferralBlock,
  storefrontPage,
} from "../../scripts/lib/theme-block.mjs";

export async function startStorefront() {
  const { name, css } = readReferralBlockStylesheet();
  const stylesheetHref = `/assets/${name}`;
  const pages = {
    "/": storefrontPage(),
    "/with-block": storefrontPage({ blockHtml: await renderReferralBlock(), stylesheetHref }),
  };
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://storefront.test");
    if (pathname === stylesheetHref) {
      response.writeHead(200, {
        "content-type": "text/css; charset=utf-8",
        "cache-control": "public, max-age=31536000, immutable",
      });
      return response.end(css);
    }
    const page = pages[pathname];
    if (page === undefined) {
      response.writeHead(404, { "content-type": "text/plain" });
      return response.end("Not found");
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(page);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((resolve) => server.close(resolve)) };
}
