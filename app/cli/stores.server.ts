// The operator command of Syntropy Health's staff: list stores, suspend one (with a reason the
// partner sees), lift a suspension; review the sign-ups the quality checks flagged (list them,
// approve one, reject one with a reason). Run as `npm run stores -- <command>` (scripts/stores.mjs).
// Exit codes: 0 done (also a review repeated: nothing changes), 1 refused (unknown shop or
// sign-up, transition not allowed, a sign-up no check flagged, database), 2 usage error.
import { parseArgs } from "node:util";

import { z } from "zod";

import {
  usageErrorExit,
  runCommandMain,
  UsageError,
  type CommandOutput,
} from "~/cli/command.server";
import {
  changeStoreStatus,
  getStoreByShop,
  listStores,
  type Store,
  type StoreStatus,
} from "~/models/store.server";
import { StoreStatusTransitionError } from "~/models/store-status";
import { isUuid } from "~/lib/infra/uuid.server";
import { safeText } from "~/schemas/primitives";
import {
  listFlaggedReferrals,
  reviewFlaggedReferral,
  type FlaggedReferral,
  type ReviewDecision,
} from "~/models/referral-review.server";

export type { CommandOutput };

export const USAGE = `Usage: npm run stores -- <command>

Commands:
  list [--status active|suspended|deactivated|pending]   every store, oldest first
  suspend <shop> [--reason "..."]                          pause a store's referrals (the reason is shown to the partner)
  reactivate <shop>                                        lift a suspension
  flags [--store <shop>] [--all]                           sign-ups flagged by a quality check awaiting review
                                                           (--all: reviewed ones too), oldest first
  approve <sign-up id>                                     the flagged sign-up counts as qualified
  reject <sign-up id> --reason "..."                       the flagged sign-up leaves the qualified count

<shop> is the shop's domain (chen-wellness.myshopify.com) or its handle (chen-wellness).
A sign-up id is the referral event's id that flags prints.
Needs DATABASE_URL.`;

const STATUSES = ["pending", "active", "suspended", "deactivated"] as const;

const shopDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => (value.includes(".") ? value : `${value}.myshopify.com`))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "not a shop domain"));

const reason = safeText().trim().min(1, "the reason is empty").max(500, "the reason is too long");

function formatStore(store: Store) {
  const since = store.createdAt.toISOString().slice(0, 10);
  const reasonText = store.statusReason ? `  reason: ${store.statusReason}` : "";
  const uninstalled = store.uninstalledAt
    ? `  uninstalled ${store.uninstalledAt.toISOString().slice(0, 10)}`
    : "";
  return `${store.shopDomain.padEnd(40)} ${store.status.padEnd(12)} ${store.referralCode.padEnd(24)} ${since}  ${store.name}${reasonText}${uninstalled}`;
}

function formatFlaggedReferral(referral: FlaggedReferral) {
  const signedUp = referral.signedUpAt?.toISOString().slice(0, 16).replace("T", " ") ?? "—";
  const parts = [
    `${referral.id}  ${referral.shopDomain.padEnd(40)} ${signedUp}  ${referral.review.padEnd(8)}`,
    `  reasons: ${referral.flagReasons.join(", ") || "—"}`,
  ];
  if (referral.checksNotRun.length > 0) {
    parts.push(`  not checked: ${referral.checksNotRun.join(", ")}`);
  }
  if (referral.adClickIds.length > 0)
    parts.push(`  ad click ids: ${referral.adClickIds.join(", ")}`);
  if (referral.reviewNote) parts.push(`  note: ${referral.reviewNote}`);
  return parts.join("");
}

function parseReferralId(value: string | undefined) {
  if (!value) throw new UsageError("Name the sign-up (its id, as flags prints it).");
  const id = value.trim().toLowerCase();
  if (!isUuid(id)) throw new UsageError(`"${value}" is not a sign-up id.`);
  return id;
}

const DECISION_WORDS = { approved: "Approved", rejected: "Rejected" } as const;

async function review(
  id: string,
  decision: ReviewDecision,
  note: string | null,
  io: CommandOutput,
): Promise<number> {
  const result = await reviewFlaggedReferral({ referralId: id, decision, note });
  switch (result.outcome) {
    case "not_found":
      io.err(`No sign-up ${id}.`);
      return 1;
    case "not_flagged":
      io.err(
        `Refused: sign-up ${id} was not flagged by a check; only flagged sign-ups are reviewed.`,
      );
      return 1;
    case "unchanged":
      io.out(`Sign-up ${id} is already ${decision}: nothing changed.`);
      return 0;
    case "reviewed":
      io.out(
        `${DECISION_WORDS[decision]} sign-up ${id} (was ${result.from}): it ${
          decision === "approved" ? "counts as qualified" : "no longer counts as qualified"
        }.`,
      );
      return 0;
  }
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
        store: { type: "string" },
        all: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
    const [command, shopArgument, ...extra] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return values.help ? 0 : 2;
    }
    if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra.join(" ")}`);
    const reviewCommand = ["flags", "approve", "reject"].includes(command);
    if (!reviewCommand && (values.store !== undefined || values.all)) {
      throw new UsageError(`${command} takes no --store or --all.`);
    }

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
      case "flags": {
        if (shopArgument) throw new UsageError("flags takes no argument (use --store <shop>).");
        if (values.reason !== undefined) throw new UsageError("flags takes no --reason.");
        const shop = values.store === undefined ? undefined : parseShop(values.store);
        if (shop && !(await storeOrNull(shop, io))) return 1;
        const flagged = await listFlaggedReferrals({
          shopDomain: shop,
          includeReviewed: values.all ?? false,
        });
        if (flagged.length === 0) {
          io.out(values.all ? "No flagged sign-ups." : "No flagged sign-ups awaiting review.");
        }
        for (const referral of flagged) io.out(formatFlaggedReferral(referral));
        return 0;
      }
      case "approve": {
        if (values.reason !== undefined) throw new UsageError("approve takes no --reason.");
        if (values.store !== undefined || values.all) {
          throw new UsageError("approve takes the sign-up id only.");
        }
        return await review(parseReferralId(shopArgument), "approved", null, io);
      }
      case "reject": {
        if (values.store !== undefined || values.all) {
          throw new UsageError("reject takes the sign-up id and --reason only.");
        }
        const id = parseReferralId(shopArgument);
        if (values.reason === undefined) throw new UsageError('reject needs --reason "...".');
        const rejection = reason.safeParse(values.reason);
        if (!rejection.success) {
          throw new UsageError(`--reason: ${rejection.error.issues[0]?.message}`);
        }
        return await review(id, "rejected", rejection.data, io);
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    const usageExit = usageErrorExit(error, io, USAGE);
    if (usageExit !== null) return usageExit;
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
