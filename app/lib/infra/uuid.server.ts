// Time-ordered UUIDs (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
// Click ids are generated here rather than by gen_random_uuid(): consecutive clicks then land
// on the primary key's rightmost pages instead of random ones, which keeps the click INSERT
// cheap once the table outgrows memory (docs/decisions/0010-performance-measured.md).
import { randomUUID } from "node:crypto";

/** A new UUIDv7: its random part comes from randomUUID() (Node's pooled CSPRNG bytes). */
export function timeOrderedUuid(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx": keep everything after the version
  // digit (random bits and the RFC variant), replace the first 48 bits by the time.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical text form (any version): safe to pass to a uuid column. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** The smallest UUIDv7 of a millisecond: every id minted at or after `ms` sorts above it. */
export function timeOrderedUuidFloor(ms: number): string {
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7000-8000-000000000000`;
}
