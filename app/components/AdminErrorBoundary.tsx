// The error boundary of the embedded admin. Shopify's library throws its auth pages (the
// session-token bounce, exit-iframe) as HTML responses: those are shown as they are. The app's
// own errors are JSON `{ error: { code, message } }` responses (or unexpected exceptions): those
// get a readable Polaris page instead of a bare status code.
// (Shopify's boundary.error recognises responses by their class name, which the minified
// browser bundle renames; hydration then fails. isRouteErrorResponse does not depend on it.)
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { AppProvider, Banner, BlockStack, Page, Text } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";

export function describeAdminError(error: unknown): { title: string; message: string } {
  if (isRouteErrorResponse(error)) {
    const data: unknown = error.data;
    const fromBody =
      typeof data === "object" && data !== null && "error" in data
        ? (data as { error?: { message?: unknown } }).error?.message
        : undefined;
    const title =
      error.status === 400
        ? "This request could not be understood"
        : error.status === 404
          ? "Not found"
          : `Something went wrong (${error.status})`;
    return {
      title,
      message: typeof fromBody === "string" ? fromBody : error.statusText || "Please try again.",
    };
  }
  return {
    title: "Something went wrong",
    message:
      "The page could not be shown. Reload it; if this keeps happening, contact Syntropy Health.",
  };
}

export function AdminErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && typeof error.data === "string") {
    return <div dangerouslySetInnerHTML={{ __html: error.data }} />;
  }
  const { title, message } = describeAdminError(error);
  return (
    <AppProvider i18n={en}>
      <Page title={title}>
        <Banner tone="critical">
          <BlockStack gap="200">
            <Text as="p">{message}</Text>
            <Text as="p" tone="subdued">
              <a href="/app">Back to the referrals overview</a>
            </Text>
          </BlockStack>
        </Banner>
      </Page>
    </AppProvider>
  );
}
