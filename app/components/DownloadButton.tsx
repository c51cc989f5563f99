// Downloads a file from one of the app's resource routes inside the embedded admin: a plain
// link would carry no session token, so the file is fetched with App Bridge's ID token and
// saved from a blob.
import { useAppBridge } from "@shopify/app-bridge-react";
import { Button } from "@shopify/polaris";
import { useState } from "react";

export function DownloadButton({
  url,
  filename,
  children,
  variant,
}: {
  url: string;
  filename: string;
  children: string;
  variant?: "primary" | "secondary";
}) {
  const shopify = useAppBridge();
  const [downloading, setDownloading] = useState(false);

  async function download() {
    setDownloading(true);
    try {
      const token = await shopify.idToken();
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`The download failed (${response.status}).`);
      const href = URL.createObjectURL(await response.blob());
      const anchor = document.createElement("a");
      anchor.href = href;
      anchor.download = filename;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      // The browser may save it silently (no dialog, no bar inside an iframe): say that it did.
      shopify.toast.show(`Downloaded ${filename}`);
    } catch {
      shopify.toast.show("The download failed. Try again.", { isError: true });
    } finally {
      setDownloading(false);
    }
  }

  return (
    <Button variant={variant} loading={downloading} onClick={download}>
      {children}
    </Button>
  );
}
