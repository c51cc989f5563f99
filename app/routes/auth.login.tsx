// Where Shopify's library sends a visitor who opens the app outside the Shopify admin: enter the
// shop's domain, then Shopify's managed install (or the app in the admin) takes over.
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  AppProvider,
  BlockStack,
  Button,
  Card,
  FormLayout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { useState } from "react";

import { login } from "~/shopify.server";

export const meta: MetaFunction = () => [{ title: "Log in — Store Referrals" }];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

const LOGIN_ERRORS: Record<string, string> = {
  [LoginErrorType.MissingShop]: "Enter your shop's domain.",
  [LoginErrorType.InvalidShop]: "Enter a domain like your-shop.myshopify.com.",
};

function errorsOf(result: Awaited<ReturnType<typeof login>>) {
  return { shop: result.shop ? LOGIN_ERRORS[result.shop] : undefined };
}

export async function loader({ request }: LoaderFunctionArgs) {
  return { errors: errorsOf(await login(request)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const errors = errorsOf(await login(request));
  return Response.json({ errors }, { status: 400 });
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<{ errors: { shop?: string } }>();
  const [shop, setShop] = useState("");
  const error = actionData?.errors.shop ?? loaderData.errors.shop;
  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <BlockStack gap="200">
                <Text as="h1" variant="headingLg">
                  Store Referrals
                </Text>
                <Text as="p" tone="subdued">
                  Open the app from your Shopify admin, or enter your shop&apos;s domain.
                </Text>
              </BlockStack>
              <TextField
                label="Shop domain"
                name="shop"
                helpText="your-shop.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit variant="primary">
                Log in
              </Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
