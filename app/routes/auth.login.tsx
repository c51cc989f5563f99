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
import polarisStyles from "~/styles/polaris.generated.css";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { useState } from "react";

import { readForm } from "~/lib/infra/request-body.server";
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
  // Shopify's login() reads a form for any method but GET: HEAD asks for the same page as GET.
  const asGet =
    request.method === "HEAD" ? new Request(request.url, { headers: request.headers }) : request;
  return { errors: errorsOf(await login(asGet)) };
}

/** One shop domain: nothing larger is read (Shopify's login() would buffer any body whole). */
const LOGIN_FORM_MAX_BYTES = 16 * 1024;

export async function action({ request }: ActionFunctionArgs) {
  // Bounded and parsed here (413, 415, 400 in the error shape); login() reads the form again
  // itself, so it is handed the shop alone, as text (a file field would make it throw).
  const shop = (await readForm(request, LOGIN_FORM_MAX_BYTES)).get("shop");
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  headers.delete("transfer-encoding");
  headers.set("content-type", "application/x-www-form-urlencoded");
  const loginRequest = new Request(request.url, {
    method: "POST",
    headers,
    body: new URLSearchParams(typeof shop === "string" ? { shop } : {}),
  });
  const errors = errorsOf(await login(loginRequest));
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
