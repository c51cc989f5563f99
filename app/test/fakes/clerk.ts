// Clerk faked at its HTTP boundary on loopback, with the real @clerk/remix and @clerk/backend in
// the loop: the Backend API (users and their metadata) is a loopback server, and session tokens
// are RS256 JWTs signed by a test key whose public half is CLERK_JWT_KEY (networkless checks).
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";

import { Webhook } from "svix";

import { resetEnvForTests } from "~/env.server";
import { startFakeHttpServer, type FakeHttpServer } from "~/test/fakes/http";

type Metadata = Record<string, unknown>;

export interface FakeClerkUser {
  id: string;
  public_metadata: Metadata;
  private_metadata: Metadata;
  unsafe_metadata: Metadata;
  /** The user's e-mail addresses, the first one primary. */
  emails: string[];
}

export interface FakeClerk extends FakeHttpServer {
  users: Map<string, FakeClerkUser>;
  /** While true, every Backend API call answers 500. */
  failing: boolean;
  /** Every Backend API answer is held this long (a slow Clerk). */
  delayMs: number;
  addUser(
    id: string,
    metadata?: { public?: Metadata; unsafe?: Metadata; emails?: string[] },
  ): FakeClerkUser;
  /** The PATCH /v1/users/:id/metadata calls received, with their bodies. */
  metadataUpdates(userId: string): Metadata[];
}

const testKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKeyPem = testKeys.publicKey.export({ type: "spki", format: "pem" }).toString();
const otherKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** A production-instance publishable key (pk_live_: no development-browser handshake). */
export const TEST_CLERK_PUBLISHABLE_KEY = `pk_live_${Buffer.from("clerk.store-referrals.test$").toString("base64")}`;
export const TEST_CLERK_SECRET_KEY = "sk_live_store_referrals_test_secret";
/** The PEM public key that verifies the session tokens of clerkSessionToken (CLERK_JWT_KEY). */
export const TEST_CLERK_JWT_KEY = publicKeyPem;

/** Clerk's EmailAddress objects of a user's addresses (ids derived from the position). */
export function clerkEmailAddresses(userId: string, emails: string[]) {
  return emails.map((email_address, index) => ({
    id: `idn_${userId.slice(5)}${index}`,
    object: "email_address",
    email_address,
    verification: null,
    linked_to: [],
  }));
}

function userJson({ emails, ...user }: FakeClerkUser) {
  const now = Date.now();
  const emailAddresses = clerkEmailAddresses(user.id, emails);
  return {
    object: "user",
    ...user,
    primary_email_address_id: emailAddresses[0]?.id ?? null,
    email_addresses: emailAddresses,
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    created_at: now,
    updated_at: now,
  };
}

export async function startFakeClerk(): Promise<FakeClerk> {
  const users = new Map<string, FakeClerkUser>();
  // The handler reads `failing` from the fake once it exists (tests flip it between calls).
  const state: { fake?: { failing: boolean; delayMs: number } } = {};
  const server = await startFakeHttpServer((request, response) => {
    const send = (status: number, body: unknown) => {
      const answer = () => {
        if (response.destroyed) return;
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      const delayMs = state.fake?.delayMs ?? 0;
      if (delayMs > 0) setTimeout(answer, delayMs).unref();
      else answer();
    };
    if (state.fake?.failing) {
      return send(500, { errors: [{ code: "internal_clerk_error", message: "Fake outage" }] });
    }
    const match = /^\/v1\/users\/([^/?]+)(\/metadata)?$/.exec(request.path);
    const user = match ? users.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !user) {
      return send(404, { errors: [{ code: "resource_not_found", message: "Not found" }] });
    }
    if (request.method === "GET" && !match[2]) return send(200, userJson(user));
    if (request.method === "PATCH" && match[2]) {
      const body = JSON.parse(request.body || "{}") as Record<string, Metadata | undefined>;
      // Clerk merges the given keys into the existing metadata.
      Object.assign(user.public_metadata, body.public_metadata ?? {});
      Object.assign(user.private_metadata, body.private_metadata ?? {});
      Object.assign(user.unsafe_metadata, body.unsafe_metadata ?? {});
      return send(200, userJson(user));
    }
    return send(405, { errors: [{ code: "method_not_allowed", message: "Not allowed" }] });
  });
  const fake = Object.assign(server, {
    users,
    failing: false,
    delayMs: 0,
    addUser(
      id: string,
      metadata: { public?: Metadata; unsafe?: Metadata; emails?: string[] } = {},
    ) {
      const user: FakeClerkUser = {
        id,
        public_metadata: { ...metadata.public },
        private_metadata: {},
        unsafe_metadata: { ...metadata.unsafe },
        emails: [...(metadata.emails ?? [])],
      };
      users.set(id, user);
      return user;
    },
    metadataUpdates(userId: string) {
      return server.requests
        .filter(
          (request) =>
            request.method === "PATCH" && request.path === `/v1/users/${userId}/metadata`,
        )
        .map((request) => JSON.parse(request.body) as Metadata);
    },
  });
  state.fake = fake;
  return fake;
}

/** Points the app at the fake: Clerk's keys, the test JWT key, the fake's API URL. */
export function configureClerk({
  apiUrl,
  webhookSecret,
}: {
  apiUrl: string;
  webhookSecret?: string;
}) {
  process.env.CLERK_PUBLISHABLE_KEY = TEST_CLERK_PUBLISHABLE_KEY;
  process.env.CLERK_SECRET_KEY = TEST_CLERK_SECRET_KEY;
  process.env.CLERK_JWT_KEY = TEST_CLERK_JWT_KEY;
  process.env.CLERK_API_URL = apiUrl;
  if (webhookSecret) process.env.CLERK_WEBHOOK_SECRET = webhookSecret;
  else delete process.env.CLERK_WEBHOOK_SECRET;
  resetEnvForTests();
}

export function unconfigureClerk() {
  for (const name of [
    "CLERK_PUBLISHABLE_KEY",
    "CLERK_SECRET_KEY",
    "CLERK_JWT_KEY",
    "CLERK_API_URL",
    "CLERK_WEBHOOK_SECRET",
  ]) {
    delete process.env[name];
  }
  resetEnvForTests();
}

/** A Clerk session token (RS256) for the user, as Clerk's frontend puts in `__session`. */
export function clerkSessionToken(
  userId: string,
  {
    azp = process.env.SHOPIFY_APP_URL ?? "https://store-referrals.test",
    signedBy = "test-key",
    issuedAt = Math.floor(Date.now() / 1000) - 5,
  }: { azp?: string; signedBy?: "test-key" | "another-key"; issuedAt?: number } = {},
) {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const header = encode({ alg: "RS256", typ: "JWT", kid: "ins_test" });
  const payload = encode({
    sub: userId,
    sid: `sess_${randomBytes(8).toString("hex")}`,
    azp: new URL(azp).origin,
    iss: "https://clerk.store-referrals.test",
    iat: issuedAt,
    nbf: issuedAt - 5,
    exp: issuedAt + 60,
  });
  const signature = createSign("RSA-SHA256")
    .update(`${header}.${payload}`)
    .sign(signedBy === "test-key" ? testKeys.privateKey : otherKeys.privateKey)
    .toString("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The Cookie header of a browser signed in to Clerk as this user. */
export function clerkSessionCookies(
  userId: string,
  options?: Parameters<typeof clerkSessionToken>[1],
) {
  const issuedAt = options?.issuedAt ?? Math.floor(Date.now() / 1000) - 5;
  return `__session=${clerkSessionToken(userId, { ...options, issuedAt })}; __client_uat=${issuedAt - 1}`;
}

/** A svix signing secret, as Clerk's dashboard shows it. */
export function testWebhookSecret() {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** A webhook delivery as Clerk sends it through svix: JSON body, svix-id/timestamp/signature. */
export function clerkWebhookRequest(
  payload: unknown,
  {
    secret,
    svixId = `msg_${randomBytes(12).toString("hex")}`,
    signWith = secret,
  }: { secret: string; svixId?: string; signWith?: string },
) {
  const body = JSON.stringify(payload);
  const timestamp = new Date();
  return new Request(new URL("/webhooks/clerk", "https://store-referrals.test"), {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": new Webhook(signWith).sign(svixId, timestamp, body),
    },
  });
}

/** Clerk's user.created event, with the unsafe metadata our sign-up page sets. */
export function userCreatedEvent(
  userId: string,
  unsafeMetadata: Record<string, unknown> = {},
  emails: string[] = [],
) {
  return {
    type: "user.created",
    object: "event",
    data: {
      id: userId,
      object: "user",
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: unsafeMetadata,
      email_addresses: clerkEmailAddresses(userId, emails),
      created_at: Date.now(),
    },
  };
}

/** Clerk's user.deleted event (its data is only the id and the deletion flag). */
export function userDeletedEvent(userId: unknown) {
  return {
    type: "user.deleted",
    object: "event",
    data: { id: userId, object: "user", deleted: true },
  };
}
