// The store lifecycle of the product seeds: pending → active → suspended | deactivated, and
// deactivated → active on reinstall. Lifting a suspension (suspended → active) is an operator's
// decision only (see docs/decisions/0003-store-status-transitions.md).
import type { StoreStatus } from "@prisma/client";

export type StatusChangeActor = "install" | "uninstall" | "operator";

const ALLOWED: Record<StatusChangeActor, ReadonlyArray<readonly [StoreStatus, StoreStatus]>> = {
  install: [
    ["pending", "active"],
    ["deactivated", "active"],
  ],
  uninstall: [["active", "deactivated"]],
  operator: [
    ["pending", "active"],
    ["active", "suspended"],
    ["suspended", "active"],
  ],
};

export function canTransitionStore(
  from: StoreStatus,
  to: StoreStatus,
  actor: StatusChangeActor,
): boolean {
  return ALLOWED[actor].some(
    ([allowedFrom, allowedTo]) => allowedFrom === from && allowedTo === to,
  );
}

export class StoreStatusTransitionError extends Error {
  constructor(
    readonly from: StoreStatus,
    readonly to: StoreStatus,
    readonly actor: StatusChangeActor,
  ) {
    super(`A store cannot go from ${from} to ${to} (${actor}).`);
    this.name = "StoreStatusTransitionError";
  }
}
