// Any /app path without a page of its own: a Polaris "page not found" inside the admin layout, so
// the navigation stays and the way back is one click (the root's bare 404 replaced the whole
// admin). Answered with status 404; authenticated like every admin page.
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Page, Text } from "@shopify/polaris";

import { requireStoreAdmin } from "~/lib/shopify/admin-context.server";

export const meta: MetaFunction = () => [{ title: "Page not found" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStoreAdmin(request);
  return json({ path: new URL(request.url).pathname.slice(0, 200) }, { status: 404 });
}

export default function AdminPageNotFound() {
  return (
    <Page title="Page not found">
      <Card>
        <EmptyState heading="There is no page at this address" image="">
          <BlockStack gap="200">
            <Text as="p">
              It may have moved, or the link was mistyped. Every page of the app is in the
              navigation.
            </Text>
            <Text as="p">
              <Link to="/app">Back to the referrals overview</Link>
            </Text>
          </BlockStack>
        </EmptyState>
      </Card>
    </Page>
  );
}
