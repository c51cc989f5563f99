// The Remix load context the HTTP server (app/server/main.ts) passes to every loader and action.
import type { IncomingMessage } from "node:http";

// A type alias (not an interface) so that it fits Remix's AppLoadContext index signature.
export type StoreReferralsLoadContext = {
  /** The peer address of the connection (Remix's Request does not carry it). */
  clientAddress: string | null;
};

export function createLoadContext(request: IncomingMessage): StoreReferralsLoadContext {
  return { clientAddress: request.socket.remoteAddress ?? null };
}

export function clientAddressOf(context: unknown): string | null {
  const address = (context as Partial<StoreReferralsLoadContext> | null)?.clientAddress;
  return typeof address === "string" ? address : null;
}
