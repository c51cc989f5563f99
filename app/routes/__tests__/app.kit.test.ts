// In-store kit: the QR code encodes the store's own link as the "In-store signage" preset builds
// it (its UTM parameters, tagged channel=qr), as SVG and PNG.
import { afterAll, describe, expect, it, vi } from "vitest";

import { renderQrPng, renderQrSvg } from "~/lib/referral-links/qr-code.server";
import { loader as kitLoader } from "~/routes/app.kit";
import { loader as pngLoader } from "~/routes/app.kit.qr[.]png";
import { loader as svgLoader } from "~/routes/app.kit.qr[.]svg";
import { callRoute, createInstalledTestStore, loadData } from "~/test/routes";
import { adminRequest } from "~/test/shopify";

const shopifyAdmin = await vi.hoisted(async () => {
  const { interceptShopifyAdmin } = await import("~/test/fakes/shopify-admin");
  return interceptShopifyAdmin();
});
afterAll(() => shopifyAdmin.close());

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function qrLinkOf(referralCode: string) {
  return `https://store-referrals.test/?ref=${referralCode}&utm_source=in_store&utm_medium=signage&channel=qr`;
}

describe("in-store kit", () => {
  it("shows the store's link with the in-store preset's UTM parameters and channel=qr, with its QR code", async () => {
    const store = await createInstalledTestStore();
    const data = await loadData(
      kitLoader,
      await adminRequest("/app/kit", { shopDomain: store.shopDomain }),
    );
    expect(data.link).toBe(qrLinkOf(store.referralCode));
    expect(data.qrSvg).toBe(await renderQrSvg(qrLinkOf(store.referralCode)));
  });

  it("downloads a print-ready SVG encoding exactly the store's QR link", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      svgLoader,
      await adminRequest("/app/kit/qr.svg", { shopDomain: store.shopDomain }),
    );
    if (!(response instanceof Response)) throw new Error("Expected a response");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="${store.slug}-referral-qr.svg"`,
    );
    const svg = await response.text();
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toBe(await renderQrSvg(qrLinkOf(store.referralCode)));
  });

  it("downloads a 1200 px PNG encoding exactly the store's QR link", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      pngLoader,
      await adminRequest("/app/kit/qr.png", { shopDomain: store.shopDomain }),
    );
    if (!(response instanceof Response)) throw new Error("Expected a response");
    expect(response.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.equals(await renderQrPng(qrLinkOf(store.referralCode)))).toBe(true);
  });

  it("gives shop A its own QR code whatever the request names", async () => {
    const storeA = await createInstalledTestStore();
    const storeB = await createInstalledTestStore();
    const response = await callRoute(
      svgLoader,
      await adminRequest(`/app/kit/qr.svg?shop=${storeB.shopDomain}&code=${storeB.referralCode}`, {
        shopDomain: storeA.shopDomain,
      }),
    );
    const svg = await (response as Response).text();
    expect(svg).toBe(await renderQrSvg(qrLinkOf(storeA.referralCode)));
    expect(svg).not.toBe(await renderQrSvg(qrLinkOf(storeB.referralCode)));
  });

  it("refuses the download without a valid session token (401)", async () => {
    const store = await createInstalledTestStore();
    const response = await callRoute(
      pngLoader,
      await adminRequest("/app/kit/qr.png", { shopDomain: store.shopDomain, secret: "forged" }),
    );
    expect((response as Response).status).toBe(401);
  });
});
