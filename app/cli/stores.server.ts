// The operator command of Syntropy Health's staff: list stores, suspend one (with a reason the
// partner sees), lift a suspension. Run as `npm run stores -- <command>` (scripts/stores.mjs).
// Exit codes: 0 done, 1 refused (unknown shop, transition not allowed, database), 2 usage error.
import { parseArgs } from "node:util";

import { z } from "zod";

import { isUsageError, runCommandMain, UsageError, type CommandOutput } from "~/cli/command.server";
import {
  changeStoreStatus,
  getStoreByShop,
  listStores,
  type Store,
  type StoreStatus,
} from "~/models/store.server";
import { StoreStatusTransitionError } from "~/models/store-status";

export type { CommandOutput };

export const USAGE = `Usage: npm run stores -- <command>

Commands:
  list [--status active|suspended|deactivated|pending]   every store, oldest first
  suspend <shop> [--reason "..."]                          pause a store's referrals (the reason is shown to the partner)
  reactivate <shop>                                        lift a suspension

<shop> is the shop's domain (chen-wellness.myshopify.com) or its handle (chen-wellness).
Needs DATABASE_URL.`;

const STATUSES = ["pending", "active", "suspended", "deactivated"] as const;

const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => (value.includes(".") ? value : `${value}.myshopify.com`))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "not a shop domain"));

const reason = z.string().trim().min(1, "the reason is empty").max(500, "the reason is too long");

function formatStore(store: Store) {
  const since = store.createdAt.toISOString().slice(0, 10);
  const reasonText = store.statusReason ? `  reason: ${store.statusReason}` : "";
  const uninstalled = store.uninstalledAt
    ? `  uninstalled ${store.uninstalledAt.toISOString().slice(0, 10)}`
    : "";
  return `${store.shopDomain.padEnd(40)} ${store.status.padEnd(12)} ${store.referralCode.padEnd(24)} ${since}  ${store.name}${reasonText}${uninstalled}`;
}

function parseShop(value: string | undefined) {
  if (!value) throw new UsageError("Name the shop.");
  const parsed = shopDomain.safeParse(value);
  if (!parsed.success) throw new UsageError(`"${value}" is not a shop domain.`);
  return parsed.data;
}

async function storeOrNull(shop: string, io: CommandOutput): Promise<Store | null> {
  const store = await getStoreByShop({ shopDomain: shop });
  if (!store) io.err(`No store for the shop ${shop}.`);
  return store;
}

/** Runs one command; returns the process exit code. Never throws for expected failures. */
export async function runStoresCommand(argv: string[], io: CommandOutput): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reason: { type: "string" },
        status: { type: "string" },
        help: { type: "boolean" },
      },
    });
    const [command, shopArgument, ...extra] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return values.help ? 0 : 2;
    }
    if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(" ")}`);

    switch (command) {
      case "list": {
        if (shopArgument) throw new UsageError("list takes no shop.");
        const status = z.enum(STATUSES).optional().safeParse(values.status);
        if (!status.success)
          throw new UsageError(`--status must be one of ${STATUSES.join(", ")}.`);
        const stores = await listStores({ status: status.data as StoreStatus | undefined });
        if (stores.length === 0) io.out("No stores.");
        for (const store of stores) io.out(formatStore(store));
        return 0;
      }
      case "suspend": {
        const shop = parseShop(shopArgument);
        const suspensionReason =
          values.reason === undefined ? null : reason.safeParse(values.reason);
        if (suspensionReason && !suspensionReason.success) {
          throw new UsageError(`--reason: ${suspensionReason.error.issues[0]?.message}`);
        }
        if (!(await storeOrNull(shop, io))) return 1;
        const store = await changeStoreStatus({
          shopDomain: shop,
          to: "suspended",
          actor: "operator",
          reason: suspensionReason?.data ?? null,
        });
        io.out(
          `Suspended ${shop}: its code ${store.referralCode} no longer credits clicks or sign-ups.`,
        );
        return 0;
      }
      case "reactivate": {
        if (values.reason !== undefined) throw new UsageError("reactivate takes no --reason.");
        const shop = parseShop(shopArgument);
        const current = await storeOrNull(shop, io);
        if (!current) return 1;
        if (current.status === "suspended" && current.uninstalledAt) {
          io.err(
            `Refused: ${shop} uninstalled the app; its store can only become active after the shop reinstalls it.`,
          );
          return 1;
        }
        const store = await changeStoreStatus({
          shopDomain: shop,
          to: "active",
          actor: "operator",
        });
        io.out(
          `Reactivated ${shop}: its code ${store.referralCode} credits clicks and sign-ups again.`,
        );
        return 0;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.err((error as Error).message);
      io.err(USAGE);
      return 2;
    }
    if (error instanceof StoreStatusTransitionError) {
      io.err(`Refused: the store is ${error.from}; an operator cannot make it ${error.to}.`);
      return 1;
    }
    throw error;
  }
}

/** The process entry (bundled and run by scripts/stores.mjs). */
export function main(argv: string[]): Promise<number> {
  return runCommandMain(argv, runStoresCommand);
}
